// Models kernel/irq/debugfs.c (irq_debug_show: /sys/kernel/debug/irq/irqs/N) + kernel/irq/irqdomain.c
// (irq_domain_debug_show: /sys/kernel/debug/irq/domains/NAME), with kernel/irq/msi.c
// msi_domain_debug_show for the MSI domains' levels (notes/formats.md §3-4).

import type { Machine } from '../machine';
import type { Kernel } from '../core/kernel';
import type { IrqData } from '../core/irqdesc';
import { IRQ_DOMAIN_FLAG, type IrqDomain } from '../core/irqdomain';
import { formatCpuList } from '../core/cpumask';
import type { MsiMsg } from '../core/chip';
import { IRQCHIP_FLAGS, IRQDATA_STATES, IRQDESC_ISTATES, IRQDESC_STATES, IRQDOMAIN_FLAGS, bitNames } from './names';

type NameTable = Parameters<typeof bitNames>[1];

const sp = (n: number): string => ' '.repeat(Math.max(n, 0));
/** "0x%08x" */
const hex08 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
/** "0x%lx" */
const hexl = (n: number): string => `0x${n.toString(16)}`;

/** irq_debug_show_bits(): each set bit's name, in table order, at column ind + 12. */
function showBits(ind: number, state: number, table: NameTable): string {
  let s = '';
  for (const name of bitNames(state, table)) s += `${sp(ind + 12)}${name}\n`;
  return s;
}

/** msi_domain_debug_show(): the cached message of the interrupt's MSI descriptor (v6.15+). */
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
function domainDebugShow(k: Kernel, d: IrqDomain, irqd: IrqData | null, ind: number): string {
  if (d.ops.debugShow) return d.ops.debugShow(k, d, irqd, ind);
  // Every domain made by msi_create_irq_domain() / the per-device MSI domains uses
  // msi_domain_ops, whose .debug_show is msi_domain_debug_show.
  if (d.flags & IRQ_DOMAIN_FLAG.MSI) return msiDomainDebugShow(irqd, ind);
  return '';
}

/** irq_debug_show_chip() */
function showChip(data: IrqData, ind: number): string {
  const chip = data.chip as typeof data.chip | null | undefined;
  if (!chip) return 'chip: None\n';
  return `${sp(ind)}chip:    ${chip.name}\n${sp(ind + 1)}flags:   ${hexl(chip.flags)}\n` + showBits(ind, chip.flags, IRQCHIP_FLAGS);
}

/** irq_debug_show_data(): one level of the hierarchy, then its parent 4 columns deeper. */
function showData(k: Kernel, data: IrqData, ind: number): string {
  let s = `${sp(ind)}domain:  ${data.domain ? data.domain.name : ''}\n`;
  s += `${sp(ind + 1)}hwirq:   ${hexl(data.hwirq)}\n`;
  s += showChip(data, ind + 1);
  if (data.domain) s += domainDebugShow(k, data.domain, data, ind + 1);
  // A non-hierarchical level has no parent_data in the kernel (the model keeps one underneath).
  if (!data.parentData || !(data.domain.flags & IRQ_DOMAIN_FLAG.HIERARCHY)) return s;
  s += `${sp(ind + 1)}parent:\n`;
  return s + showData(k, data.parentData, ind + 4);
}

/** /sys/kernel/debug/irq/irqs/<virq>; null when there is no such descriptor. */
export function debugfsIrq(m: Machine, virq: number): string | null {
  const desc = m.k.descs.get(virq);
  if (!desc) return null;
  const data = desc.irqData;
  const c = data.common;
  let s = `handler:  ${desc.handleIrq}\n`;
  s += `device:   ${desc.devName || '(null)'}\n`;
  s += `status:   ${hex08(desc.status)}\n` + showBits(0, desc.status, IRQDESC_STATES);
  s += `istate:   ${hex08(desc.istate)}\n` + showBits(0, desc.istate, IRQDESC_ISTATES);
  s += `ddepth:   ${desc.depth}\n`;
  s += `wdepth:   ${desc.wakeDepth}\n`;
  s += `dstate:   ${hex08(c.state)}\n` + showBits(0, c.state, IRQDATA_STATES);
  s += `node:     ${c.node}\n`;
  s += `affinity: ${formatCpuList(c.affinity)}\n`;
  s += `effectiv: ${formatCpuList(c.effectiveAffinity)}\n`;
  // CONFIG_GENERIC_PENDING_IRQ: x86 has it, arm64 does not.
  if (m.platform.arch === 'x86') s += `pending:  ${formatCpuList(c.pendingMask)}\n`;
  return s + showData(m.k, data, 0);
}

/** irq_domain_debug_show_one() */
function showDomain(k: Kernel, d: IrqDomain, ind: number): string {
  let s = `${sp(ind)}name:   ${d.name}\n`;
  s += `${sp(ind + 1)}size:   ${d.revmapSize}\n`;
  s += `${sp(ind + 1)}mapped: ${d.mapcount}\n`;
  s += `${sp(ind + 1)}flags:  ${hex08(d.flags)}\n`;
  s += showBits(ind, d.flags, IRQDOMAIN_FLAGS);
  s += domainDebugShow(k, d, null, ind + 1);
  if (!d.parent || !(d.flags & IRQ_DOMAIN_FLAG.HIERARCHY)) return s;
  s += `${sp(ind + 1)}parent: ${d.parent.name}\n`;
  return s + showDomain(k, d.parent, ind + 4);
}

/**
 * /sys/kernel/debug/irq/domains/<name>; null when there is no such domain. The file
 * `default` shows the default host domain (irq_set_default_host(): VECTOR on x86, the GICv3
 * domain on arm64).
 */
export function debugfsDomain(m: Machine, name: string): string | null {
  const d = m.findDomain(name) ?? (name === 'default' ? m.platform.defaultDomain : undefined);
  if (!d) return null;
  return showDomain(m.k, d, 0);
}
