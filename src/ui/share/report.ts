// A plain-text report for a mail or a bug: what machine, which kernel calls with what results,
// /proc/interrupts and the selected interrupt's debugfs file (text from the engine's own
// renderers, through the worker), and the link that reopens it all. When the link is too long
// for mail, the report says so and points at the JSON file instead (like the TypeScript
// Playground's issue exporter does past ~4,000 characters).

import { storyByName } from '../../scenario/stories';
import { LONG_LINK_CHARS } from '../../scenario/url';
import type { MachineSpec, Scenario, StepRecord } from '../../worker/protocol';
import { kernelName, kernelOf } from '../kernel/versions';
import { describeAction, returnText } from '../format';

export interface ReportInput {
  scenario: Scenario;
  records: readonly StepRecord[];
  step: number;
  story: string | null;
  link: string;
  /** /proc/interrupts at `step`. */
  proc: string;
  /** The inspector's file at `step` (debugfs of the selected irq or domain), if any. */
  inspector: { path: string; text: string } | null;
  /** The JSON file name the report points at when the link is too long. */
  jsonName: string;
}

/** Steps listed in full; longer scenarios list the first ones and point at the file. */
export const REPORT_MAX_STEPS = 400;

function machineLine(m: MachineSpec): string {
  const remap = m.arch === 'x86' ? `, ${m.remap === 'none' ? 'no interrupt remapping' : m.remap === 'amd-ir' ? 'AMD IOMMU interrupt remapping' : 'Intel VT-d interrupt remapping'}` : '';
  return `${m.arch}, ${kernelName(kernelOf(m))}, ${m.cpus} CPU${m.cpus === 1 ? '' : 's'}${remap}, MSI domain model ${m.msiModel ?? 'v2'}`;
}

function deviceLine(d: MachineSpec['devices'][number]): string {
  const caps: string[] = [];
  if (d.msi) caps.push(`MSI ${d.msi.vectors} vector${d.msi.vectors === 1 ? '' : 's'}${d.msi.maskable ? ', maskable' : ', no mask bits'}${d.msi.addr64 ? ', 64-bit' : ', 32-bit'}`);
  if (d.msix) caps.push(`MSI-X table ${d.msix.tableSize}`);
  if (d.ims) caps.push(`IMS ${d.ims.storage} store ${d.ims.size}`);
  if (d.subdevices?.length) caps.push(`subdevices ${d.subdevices.map((s) => s.name).join(', ')}`);
  return `  ${d.bdf} ${d.name}${caps.length ? `: ${caps.join('; ')}` : ''}`;
}

function resultLine(action: StepRecord['action'], r: StepRecord['result']): string {
  if (r.pending) return `${action.op}(): not run yet (its result is still being computed)`;
  if (r.ok) {
    const { ret, extra } = returnText(r);
    return `${action.op}()${ret !== null ? ` = ${ret}` : ''}${extra ? ` (${extra})` : ''}: ${r.message}`;
  }
  const name = r.errnoName ?? `error ${r.errno ?? ''}`;
  return r.message.startsWith(name) ? r.message : `${name}: ${r.message}`;
}

export function linkIsLong(link: string): boolean {
  return link.length > LONG_LINK_CHARS;
}

export function buildReport(x: ReportInput): string {
  const n = x.records.length;
  const story = x.story ? storyByName(x.story) : undefined;
  const title = story ? `${story.title} (guided story “${story.name}”)` : `A scenario of ${n} kernel call${n === 1 ? '' : 's'}`;
  const out: string[] = [];
  out.push(`irqscope: ${title}`);
  out.push('');
  if (linkIsLong(x.link)) {
    out.push(`Link: too long to send (${x.link.length.toLocaleString('en-US')} characters; mail clients break links over ~${LONG_LINK_CHARS.toLocaleString('en-US')}).`);
    out.push(`      Attach the scenario file instead (${x.jsonName}, from Share → Export JSON): open it with Import in`);
    out.push(`      irqscope or run \`npm run sim -- ${x.jsonName} --step ${x.step} --format proc\`.`);
  } else {
    out.push(`Link: ${x.link}`);
  }
  out.push('');
  out.push(`Machine: ${machineLine(x.scenario.machine)}`);
  if (x.scenario.machine.devices.length) {
    out.push('Devices:');
    for (const d of x.scenario.machine.devices) out.push(deviceLine(d));
  }
  out.push('');
  out.push(`Steps (${n}; the state below is after step ${x.step}${x.step === n ? ', the last' : ''}):`);
  const w = String(n).length;
  const shown = x.records.slice(0, REPORT_MAX_STEPS);
  shown.forEach((r, i) => {
    const k = i + 1;
    out.push(`${k === x.step ? '>' : ' '}${String(k).padStart(w + 1)}  ${describeAction(r.action)}`);
    out.push(`${' '.repeat(w + 4)}${resultLine(r.action, r.result)}`);
  });
  if (n > shown.length) out.push(`   … ${n - shown.length} more steps: see the scenario file.`);
  out.push('');
  out.push(`# cat /proc/interrupts   (after step ${x.step})`);
  out.push(x.proc.replace(/\n+$/, ''));
  out.push('');
  if (x.inspector) {
    out.push(`# cat ${x.inspector.path}   (after step ${x.step})`);
    out.push(x.inspector.text.replace(/\n+$/, ''));
  } else {
    out.push('(No interrupt selected: select one to add its /sys/kernel/debug/irq/irqs/N file.)');
  }
  out.push('');
  const sources = x.scenario.machine.arch === 'arm64'
    ? 'kernel/irq, drivers/pci/msi, drivers/irqchip/irq-gic-v3-its.c'
    : `kernel/irq, drivers/pci/msi, arch/x86/kernel/apic${x.scenario.machine.remap === 'none' ? '' : x.scenario.machine.remap === 'amd-ir' ? ', drivers/iommu/amd/iommu.c' : ', drivers/iommu/intel/irq_remapping.c'}`;
  out.push(`-- made with irqscope, a model of the Linux interrupt core (${sources})`);
  return `${out.join('\n')}\n`;
}
