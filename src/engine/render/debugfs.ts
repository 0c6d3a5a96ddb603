// Models kernel/irq/debugfs.c (irq_debug_show: /sys/kernel/debug/irq/irqs/N) + kernel/irq/irqdomain.c
// (irq_domain_debug_show: /sys/kernel/debug/irq/domains/NAME), with kernel/irq/msi.c
// msi_domain_debug_show for the MSI domains' levels, as each kernel of src/engine/profiles.ts
// prints them (DebugfsFacts). The files exist with CONFIG_GENERIC_IRQ_DEBUGFS (not in Debian's
// builds: these texts follow the kernel sources).

import type { Machine } from '../machine';
import type { Kernel } from '../core/kernel';
import type { IrqData, IrqDesc } from '../core/irqdesc';
import { IRQ_DOMAIN_FLAG, type IrqDomain } from '../core/irqdomain';
import { formatCpuList } from '../core/cpumask';
import type { MsiMsg } from '../core/chip';
import type { DebugfsFacts } from '../profiles';
import {
  IRQCHIP_MOVE_DEFERRED, IRQDESC_ISTATES, IRQDESC_STATES, IRQDOMAIN_FLAGS, IRQD_MOVE_PCNTXT, bitNames, domainFlagsOf,
  irqchipFlags, irqdataStates,
} from './names';

type NameTable = Parameters<typeof bitNames>[1];

/** _IRQ_HIDDEN, and _IRQ_PROC_VALID (IRQ_RESERVED) of 7.2 (kernel/irq/settings.h). */
const IRQ_HIDDEN = 0x100000;
const IRQ_PROC_VALID = 0x400000;
/** IRQ_MOVE_PCNTXT (include/linux/irq.h, before v6.13): the status bit behind IRQD_MOVE_PCNTXT. */
const IRQ_MOVE_PCNTXT = 0x4000;

const sp = (n: number): string => ' '.repeat(Math.max(n, 0));
/** "0x%08x" */
const hex08 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
/** "0x%lx" */
const hexl = (n: number): string => `0x${n.toString(16)}`;

/** What one rendering needs: the kernel state and the facts of its version. */
interface Ctx {
  k: Kernel;
  f: DebugfsFacts;
}

/** irq_debug_show_bits(): each set bit's name, in table order, at column ind + 12. */
function showBits(ind: number, state: number, table: NameTable): string {
  let s = '';
  for (const name of bitNames(state, table)) s += `${sp(ind + 12)}${name}\n`;
  return s;
}

/** msi_domain_debug_show(): the cached message of the interrupt's MSI descriptor. */
function msiDomainDebugShow(irqd: IrqData | null, ind: number): string {
  const desc = irqd?.common.msiDesc;
  if (!desc) return '';
  const msg: MsiMsg = desc.msg;
  return (
    `\n${sp(ind + 1)}address_hi: ${hex08(msg.addressHi)}` +
    `\n${sp(ind + 1)}address_lo: ${hex08(msg.addressLo)}` +
    `\n${sp(ind + 1)}msg_data:   ${hex08(msg.data)}\n`
  );
}

/** domain->ops->debug_show(m, d, irqd, ind), if the domain has one. */
function domainDebugShow(c: Ctx, d: IrqDomain, irqd: IrqData | null, ind: number): string {
  if (d.ops.debugShow) return d.ops.debugShow(c.k, d, irqd, ind);
  // Every domain made by msi_create_irq_domain() / the per-device MSI domains uses
  // msi_domain_ops, whose .debug_show is msi_domain_debug_show (when the kernel has it).
  if (c.f.msiMessage && d.flags & IRQ_DOMAIN_FLAG.MSI) return msiDomainDebugShow(irqd, ind);
  return '';
}

/** irq_debug_show_chip() */
function showChip(c: Ctx, data: IrqData, ind: number): string {
  const chip = data.chip as typeof data.chip | null | undefined;
  if (!chip) return 'chip: None\n';
  // Before 6.13 there is no IRQCHIP_MOVE_DEFERRED: the chip flags word lacks it.
  const flags = c.f.movePcntxt ? chip.flags & ~IRQCHIP_MOVE_DEFERRED : chip.flags;
  return `${sp(ind)}chip:    ${chip.name}\n${sp(ind + 1)}flags:   ${hexl(flags)}\n` + showBits(ind, flags, irqchipFlags(c.f));
}

/** irq_debug_show_data(): one level of the hierarchy, then its parent 4 columns deeper. */
function showData(c: Ctx, data: IrqData, ind: number): string {
  let s = `${sp(ind)}domain:  ${data.domain ? data.domain.name : ''}\n`;
  s += `${sp(ind + 1)}hwirq:   ${hexl(data.hwirq)}\n`;
  s += showChip(c, data, ind + 1);
  if (data.domain) s += domainDebugShow(c, data.domain, data, ind + 1);
  // A non-hierarchical level has no parent_data in the kernel (the model keeps one underneath).
  if (!data.parentData || !(data.domain.flags & IRQ_DOMAIN_FLAG.HIERARCHY)) return s;
  s += `${sp(ind + 1)}parent:\n`;
  return s + showData(c, data.parentData, ind + 4);
}

/**
 * Before 6.13 the remapping drivers (intel_irq_remapping_alloc, irq_remapping_alloc) set
 * IRQ_MOVE_PCNTXT on every interrupt they allocate, which irq_modify_status() mirrors as
 * IRQD_MOVE_PCNTXT; the model keeps the 7.2 form (no IRQCHIP_MOVE_DEFERRED on those chips).
 */
function movesInProcessContext(desc: IrqDesc): boolean {
  for (let d: IrqData | null = desc.irqData; d; d = d.parentData) if (d.domain?.kind === 'remap') return true;
  return false;
}

/** The status word: 7.2 adds _IRQ_PROC_VALID to what /proc/interrupts lists; before 6.13 IRQ_MOVE_PCNTXT. */
function statusOf(c: Ctx, desc: IrqDesc): number {
  let s = desc.status;
  if (c.f.procValidStatus && !(s & IRQ_HIDDEN) && desc.action.length > 0) s |= IRQ_PROC_VALID;
  if (c.f.movePcntxt && movesInProcessContext(desc)) s |= IRQ_MOVE_PCNTXT;
  return s >>> 0;
}

/** The dstate word: IRQD_MOVE_PCNTXT before 6.13 where IRQ_MOVE_PCNTXT is set. */
function dstateOf(c: Ctx, desc: IrqDesc): number {
  let s = desc.irqData.common.state;
  if (c.f.movePcntxt && movesInProcessContext(desc)) s |= IRQD_MOVE_PCNTXT;
  return s >>> 0;
}

/** /sys/kernel/debug/irq/irqs/<virq>; null when there is no such descriptor. */
export function debugfsIrq(m: Machine, virq: number): string | null {
  const desc = m.k.descs.get(virq);
  if (!desc) return null;
  const c: Ctx = { k: m.k, f: m.k.profile.debugfs };
  const data = desc.irqData;
  const cd = data.common;
  const status = statusOf(c, desc);
  const dstate = dstateOf(c, desc);
  let s = `handler:  ${desc.handleIrq}\n`;
  s += `device:   ${desc.devName || '(null)'}\n`;
  s += `status:   ${hex08(status)}\n` + showBits(0, status, IRQDESC_STATES);
  s += `istate:   ${hex08(desc.istate)}\n` + showBits(0, desc.istate, IRQDESC_ISTATES);
  s += `ddepth:   ${desc.depth}\n`;
  s += `wdepth:   ${desc.wakeDepth}\n`;
  s += `dstate:   ${hex08(dstate)}\n` + showBits(0, dstate, irqdataStates(c.f));
  s += `node:     ${cd.node}\n`;
  s += `affinity: ${formatCpuList(cd.affinity)}\n`;
  s += `effectiv: ${formatCpuList(cd.effectiveAffinity)}\n`;
  // CONFIG_GENERIC_PENDING_IRQ: x86 has it, arm64 does not.
  if (m.platform.arch === 'x86') s += `pending:  ${formatCpuList(cd.pendingMask)}\n`;
  return s + showData(c, data, 0);
}

/** irq_domain_debug_show_one() */
function showDomain(c: Ctx, d: IrqDomain, ind: number): string {
  const flags = domainFlagsOf(d.flags, c.f, d.kind);
  let s = `${sp(ind)}name:   ${d.name}\n`;
  s += `${sp(ind + 1)}size:   ${d.revmapSize}\n`;
  s += `${sp(ind + 1)}mapped: ${d.mapcount}\n`;
  s += `${sp(ind + 1)}flags:  ${hex08(flags)}\n`;
  if (c.f.domainFlagNames) s += showBits(ind, flags, IRQDOMAIN_FLAGS);
  s += domainDebugShow(c, d, null, ind + 1);
  if (!d.parent || !(d.flags & IRQ_DOMAIN_FLAG.HIERARCHY)) return s;
  s += `${sp(ind + 1)}parent: ${d.parent.name}\n`;
  return s + showDomain(c, d.parent, ind + 4);
}

/**
 * irq_set_default_domain() / irq_set_default_host(): x86 makes VECTOR the default domain
 * (arch_early_irq_init); no arm64 irqchip of these machines sets one, so there the file
 * `default` exists and is empty.
 */
function defaultDomain(m: Machine): IrqDomain | null {
  return m.platform.arch === 'x86' ? m.platform.defaultDomain : null;
}

/**
 * /sys/kernel/debug/irq/domains/<name>; null when there is no such file. The file `default`
 * shows the default host domain, or nothing when there is none.
 */
export function debugfsDomain(m: Machine, name: string): string | null {
  const c: Ctx = { k: m.k, f: m.k.profile.debugfs };
  if (name === 'default') {
    const d = m.findDomain(name) ?? defaultDomain(m);
    return d ? showDomain(c, d, 0) : '';
  }
  const d = m.findDomain(name);
  if (!d) return null;
  return showDomain(c, d, 0);
}

/** The files of /sys/kernel/debug/irq/domains: one per named domain, and `default`. Sorted as ls sorts them. */
export function debugfsDomainNames(m: Machine): string[] {
  const names = new Set<string>(['default']);
  for (const d of m.k.domains) if (d.name) names.add(d.name);
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The files of /sys/kernel/debug/irq/irqs: one per descriptor (irq_add_debugfs_entry), by number. */
export function debugfsIrqNumbers(m: Machine): number[] {
  return m.sortedDescs().map((d) => d.irq);
}

/** Which files debugfsAll() prints: every file, or one irq, or one domain. */
export interface DebugfsSelection {
  irq?: number;
  domain?: string;
}

/**
 * The whole /sys/kernel/debug/irq tree as `tail -n +1` prints a list of files: each file under
 * a "==> path <==" line, a blank line between files. Domains first (ls order, `default` with
 * them), then every irq by number (IO-APIC, legacy, MSI, GIC, IPIs alike). With `irq` or
 * `domain` only that file. A file that does not exist is left out and named in `missing`.
 */
export function debugfsAll(m: Machine, sel: DebugfsSelection = {}): { text: string; missing: string[] } {
  const parts: string[] = [];
  const missing: string[] = [];
  const add = (path: string, text: string | null) => {
    if (text === null) {
      missing.push(path);
      return;
    }
    parts.push(`==> ${path} <==\n${text}`);
  };
  const only = sel.irq !== undefined || sel.domain !== undefined;
  if (sel.domain !== undefined || !only) {
    const names = sel.domain !== undefined ? [sel.domain] : debugfsDomainNames(m);
    for (const n of names) add(`/sys/kernel/debug/irq/domains/${n}`, debugfsDomain(m, n));
  }
  if (sel.irq !== undefined || !only) {
    const irqs = sel.irq !== undefined ? [sel.irq] : debugfsIrqNumbers(m);
    for (const v of irqs) add(`/sys/kernel/debug/irq/irqs/${v}`, debugfsIrq(m, v));
  }
  const text = parts.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('\n');
  return { text, missing };
}
