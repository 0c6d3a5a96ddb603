// "Continue as a simulation": an x86 or arm64 import that determines the CPUs, the PCI functions and
// their vector counts becomes a scenario (src/engine/types.ts) the app and `npm run sim` replay:
// each function gets its MSI-X table or MSI capability, then the calls that allocate and request the
// same vectors under the same names (every action of a shared irq), and the affinity the input shows
// as the /proc/irq/N/smp_affinity_list write an administrator would make. Everything the input does
// not give and the scenario needs is listed in `reconstructed`.

import type { Action, DeviceSpec, KernelVersion, Scenario } from '../engine/types';
import type { ImportedMachine } from './types';

/** An imported irq and the device vector the scenario allocates for it. */
export interface ImportedVector {
  irq: number;
  dev: string;
  index: number;
}

export type FromImport =
  | { ok: true; scenario: Scenario; reconstructed: string[]; kernelFrom: string; vectors: ImportedVector[] }
  | { ok: false; reason: string };

/** The line of `reconstructed` about irq numbers (irqNumbering replaces it once the scenario ran). */
export const NUMBERS_NOTE = 'interrupt numbers: the model numbers its irqs itself; devices and names match, irq numbers may not';

/**
 * Imported irq → the irq the simulation gave the same device vector, and the sentence that says so:
 * which numbers differ, or that they all agree. `simulated`: the simulated machine's irqs (view).
 */
export function irqNumbering(vectors: readonly ImportedVector[], simulated: readonly { virq: number; msi: { dev: string; index: number } | null }[]): { differ: [number, number][]; missing: number[]; note: string } {
  const at = new Map<string, number>();
  for (const i of simulated) if (i.msi) at.set(`${i.msi.dev}#${i.msi.index}`, i.virq);
  const differ: [number, number][] = [];
  const missing: number[] = [];
  for (const v of vectors) {
    const virq = at.get(`${v.dev}#${v.index}`);
    if (virq === undefined) missing.push(v.irq);
    else if (virq !== v.irq) differ.push([v.irq, virq]);
  }
  const parts: string[] = [];
  if (!differ.length && !missing.length) parts.push(`interrupt numbers: all ${vectors.length} device irqs have the input's numbers in the simulation`);
  else {
    parts.push(`interrupt numbers: the model numbers its irqs itself; ${vectors.length - differ.length - missing.length} of ${vectors.length} device irqs keep the input's number`);
    if (differ.length) parts.push(`imported irq → simulated irq: ${differ.map(([a, b]) => `${a} → ${b}`).join(', ')}`);
    if (missing.length) parts.push(`not allocated in the simulation: irq ${missing.join(', ')}`);
  }
  return { differ, missing, note: parts.join('; ') };
}

/** The kernel profile the model has for a release string ("6.12.48+deb13-amd64") or a layout. */
export function kernelProfile(m: ImportedMachine): { kernel: KernelVersion; from: string } {
  const rel = /^(\d+)\.(\d+)/.exec(m.kernelRelease ?? '');
  if (rel) {
    const major = Number(rel[1]);
    const minor = Number(rel[2]);
    const v = major * 1000 + minor;
    const kernel: KernelVersion = v <= 6001 ? '6.1' : v <= 6012 ? '6.12' : '7.2';
    return { kernel, from: `uname -r ${m.kernelRelease}` };
  }
  if (m.layout === '4.x-6.1' || m.layout === '2.6-3.x') return { kernel: '6.1', from: `the ${m.layout} layout (no uname -r)` };
  if (m.layout === '6.2-6.12' || m.layout === '4.x-6.12') return { kernel: '6.12', from: `the ${m.layout} layout (no uname -r)` };
  if (m.layout === '6.13-6.x' || m.layout === '7.x') return { kernel: '7.2', from: `the ${m.layout} layout (no uname -r)` };
  return { kernel: '7.2', from: 'nothing in the input (no uname -r, layout unknown): the default profile' };
}

const MAX_DEVICES = 256;

export function scenarioFromImport(m: ImportedMachine): FromImport {
  if (m.arch !== 'x86' && m.arch !== 'arm64') {
    return { ok: false, reason: m.arch === 'arm' ? 'the input does not say whether this ARM machine is arm64; the model simulates x86 and arm64' : 'the input does not show the architecture (x86 or arm64)' };
  }
  if (!m.cpus) return { ok: false, reason: 'the input does not show how many CPUs the machine has' };
  // Allocated in the order the input numbers them, so the model's numbers follow the input's where they can.
  const first = (d: ImportedMachine['devices'][number]) => Math.min(...d.irqs, Number.MAX_SAFE_INTEGER);
  const devices = m.devices.filter((d) => d.vectors > 0).sort((a, b) => first(a) - first(b));
  if (!devices.length) return { ok: false, reason: 'the input names no PCI function with MSI or MSI-X vectors' };
  if (devices.length > MAX_DEVICES) return { ok: false, reason: `${devices.length} PCI functions: the model takes up to ${MAX_DEVICES}` };

  const reconstructed: string[] = [];
  const ids = m.cpuIds ?? Array.from({ length: m.cpus }, (_, i) => i);
  const known = [...ids, ...(m.online ?? []), ...(m.possible ?? [])];
  const cpus = Math.max(...known) + 1;
  if (cpus > 512) return { ok: false, reason: `${cpus} CPUs: the model takes up to 512` };
  if (!m.cpuIds) reconstructed.push(`CPU numbers: the excerpt has no header; its ${m.cpus} columns are taken as CPU0…CPU${m.cpus - 1}`);
  const offline = Array.from({ length: cpus }, (_, i) => i).filter((c) => !ids.includes(c) && (!m.online || !m.online.includes(c)));
  const { kernel, from } = kernelProfile(m);
  const chips = m.irqs.map((i) => i.chip ?? '');
  let remap: 'intel-ir' | 'amd-ir' | 'none' | undefined;
  if (m.arch === 'x86') {
    const ir = chips.some((c) => c.startsWith('IR-'));
    const amd = chips.includes('IOMMU-MSI') || m.irqs.some((i) => i.actions.includes('AMD-Vi'));
    remap = !ir ? 'none' : amd ? 'amd-ir' : 'intel-ir';
    if (ir && !amd && !chips.includes('DMAR-MSI')) reconstructed.push('interrupt remapping: the chips say "IR-" but not whose; modelled as Intel VT-d');
  }

  const specs: DeviceSpec[] = [];
  const actions: Action[] = [];
  const vectors: ImportedVector[] = [];
  let unknownKind = 0;
  let sharedNote = false;
  let affinityNote = false;
  const affinityFrom = new Set<string>();
  for (const d of devices) {
    const rows = d.irqs.map((n) => m.irqs.find((i) => i.irq === n)!).filter(Boolean);
    const indexKnown = rows.every((r) => r.index !== null);
    const indices = indexKnown ? rows.map((r) => r.index!) : rows.map((_, k) => k);
    if (!indexKnown) reconstructed.push(`${d.bdf}: MSI indices not in the input; its vectors are taken in irq order`);
    const span = Math.max(d.vectors, ...indices.map((x) => x + 1));
    const name = deviceName(d.driver, rows.flatMap((r) => r.actions), d.bdf);
    const kind = d.kind === 'unknown' ? 'msix' : d.kind;
    if (d.kind === 'unknown') unknownKind++;
    const spec: DeviceSpec = { bdf: d.bdf, name };
    if (kind === 'msix') {
      if (span > 2048) return { ok: false, reason: `${d.bdf} has ${span} MSI-X vectors: the MSI-X table holds at most 2048` };
      spec.msix = { tableSize: span };
    } else {
      if (span > 32) return { ok: false, reason: `${d.bdf} has ${span} MSI vectors: MSI allows at most 32` };
      let pow = 1;
      while (pow < span) pow *= 2;
      spec.msi = { vectors: pow, maskable: true, addr64: true };
    }
    specs.push(spec);
    actions.push({ op: 'pci_alloc_irq_vectors', dev: d.bdf, min: span, max: span, flags: [kind === 'msix' ? 'MSIX' : 'MSI'] });
    rows.forEach((r, k) => {
      const index = indices[k];
      vectors.push({ irq: r.irq, dev: d.bdf, index });
      if (!r.actions.length) return;
      // A shared line: every action is requested, each with IRQF_SHARED as its driver must ask.
      const shared = r.actions.length > 1;
      if (shared) sharedNote = true;
      for (const a of r.actions) {
        actions.push({ op: 'request_irq', dev: d.bdf, index, name: a.slice(0, 256), ...(shared ? { flags: ['IRQF_SHARED' as const] } : {}) });
      }
    });
    rows.forEach((r, k) => {
      const aff = r.affinity ?? r.effective;
      if (!aff || !aff.length || aff.length >= cpus || aff.some((c) => c >= cpus)) return;
      affinityNote = true;
      affinityFrom.add(r.affinity ? 'smp_affinity_list' : 'effective_affinity_list');
      actions.push({ op: 'write_irq_affinity', dev: d.bdf, index: indices[k], cpus: aff });
    });
  }
  for (const c of offline) actions.push({ op: 'cpu_down', cpu: c });

  reconstructed.push(`kernel profile ${kernel}: from ${from}`);
  if (unknownKind) reconstructed.push(`MSI vs MSI-X: not in the input for ${unknownKind} function${unknownKind === 1 ? '' : 's'}; modelled as MSI-X`);
  reconstructed.push('MSI-X table sizes: the vectors the input shows (the device may offer more); MSI capabilities: maskable, 64-bit addresses');
  reconstructed.push('allocation: pci_alloc_irq_vectors() of exactly those vectors, without PCI_IRQ_AFFINITY (whether the kernel managed them is not in the input)');
  if (affinityNote) reconstructed.push(`affinity: a write of each irq's ${[...affinityFrom].join(' (else ')}${affinityFrom.size > 1 ? ')' : ''} from the input to /proc/irq/N/smp_affinity_list, as a step of its own (irqs spread over every CPU are left as allocated)`);
  if (sharedNote) reconstructed.push('shared interrupts: every action of a shared irq is requested, each with IRQF_SHARED (the input does not give the drivers\' flags)');
  if (offline.length) reconstructed.push(`offline CPUs ${offline.join(', ')}: no column in /proc/interrupts, so taken offline with cpu_down at the end`);
  reconstructed.push(NUMBERS_NOTE);
  reconstructed.push('the other interrupts (IO-APIC pins, timers, IPIs, platform controllers) are the model\'s own, not the input\'s');

  const scenario: Scenario = {
    version: 1,
    machine: { arch: m.arch, kernel, cpus, ...(remap ? { remap } : {}), devices: specs },
    actions,
  };
  return { ok: true, scenario, reconstructed, kernelFrom: from, vectors };
}

/** A device name for the scenario: the driver, else the common prefix of its actions ("nvme0"), else the BDF. */
function deviceName(driver: string | null, actions: readonly string[], bdf: string): string {
  if (driver) return driver;
  const first = actions[0];
  if (first) {
    const m = /^([A-Za-z_]+\d*?)(?:q\d+|-|_|$)/.exec(first);
    const stem = (m?.[1] || first).replace(/[^A-Za-z0-9_.:-]/g, '').slice(0, 64);
    if (stem) return stem;
  }
  return `pci-${bdf}`;
}
