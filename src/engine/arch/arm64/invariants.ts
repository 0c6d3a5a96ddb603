// Models the consistency rules drivers/irqchip/irq-gic-v3-its.c keeps between the kernel's
// bookkeeping (its_device event maps, cpu_lpi_count, the irq_data chains) and what the ITS and
// the GIC hold (device table, ITTs, collections, LPI configuration). Each check returns the
// first violation as a sentence, or null; the property tests run them after every action.

import type { Machine } from '../../machine';
import { noIrqChip } from '../../core/chip';
import { IRQD, type IrqData, irqd } from '../../core/irqdesc';
import { irqDataChain } from '../../core/irqdomain';
import type { Arm64Platform } from './platform';
import type { ItsDevice } from './its';
import { LPI_BASE, LPI_NR } from './gicv3';

const hex = (n: number): string => `0x${n.toString(16)}`;

/**
 * No LPI is mapped by two ITT entries, no (collection, LPI) pair is used twice; every ITT entry
 * belongs to an activated interrupt whose ITS level names the same device, EventID, LPI and
 * collection (= its effective CPU); every activated ITS-level interrupt has its ITT entry;
 * the LPI blocks of the devices and the allocator's free ranges tile 8192-65535 exactly; the
 * per-CPU LPI counts are what the activated interrupts add up to; a started interrupt's LPI
 * is enabled in the configuration table exactly when it is not masked.
 */
export function checkItsTables(m: Machine): string | null {
  const p = m.platform as Arm64Platform;
  const { its, gic } = p;
  const lpiOwner = new Map<number, string>();
  for (const [devid, dte] of its.dt) {
    const dev = its.devices.get(devid);
    if (!dev) return `device table entry ${hex(devid)} has no its_device`;
    for (const [ev, e] of dte.itt) {
      const where = `ITT of DeviceID ${hex(devid)} EventID ${ev}`;
      const other = lpiOwner.get(e.lpi);
      if (other) return `LPI ${e.lpi} is mapped by both ${other} and ${where}`;
      lpiOwner.set(e.lpi, where);
      const d = its.domain.revmap.get(e.lpi);
      if (!d) return `${where}: LPI ${e.lpi} belongs to no interrupt of the ITS domain`;
      if (d.chipData !== dev || e.lpi - dev.lpiBase !== ev) return `${where}: the interrupt (irq ${d.irq}) names another device or event`;
      if (!irqd(d, IRQD.ACTIVATED)) return `${where}: irq ${d.irq} is mapped (MAPTI) but not activated`;
      if (dev.colMap[ev] !== e.icid) return `${where}: the ITS routes to collection ${e.icid}, the driver's col_map says ${dev.colMap[ev]}`;
      if (its.ct[e.icid] !== e.icid) return `${where}: collection ${e.icid} is not mapped to CPU${e.icid}`;
      if (d.common.effectiveAffinity.length !== 1 || d.common.effectiveAffinity[0] !== e.icid) {
        return `${where}: irq ${d.irq} effective affinity ${d.common.effectiveAffinity.join(',')} is not collection ${e.icid}`;
      }
    }
  }
  const managed = new Int32Array(its.ct.length);
  const unmanaged = new Int32Array(its.ct.length);
  for (const d of its.domain.revmap.values()) {
    const dev = d.chipData as ItsDevice | null;
    if (!dev) return `irq ${d.irq}: ITS level without its_device`;
    if (its.devices.get(dev.deviceId) !== dev) return `irq ${d.irq}: its_device ${hex(dev.deviceId)} is not on the device list`;
    const ev = d.hwirq - dev.lpiBase;
    if (ev < 0 || ev >= dev.nrLpis || !dev.lpiMap[ev]) return `irq ${d.irq}: LPI ${d.hwirq} is outside the events in use of DeviceID ${hex(dev.deviceId)}`;
    if (!irqd(d, IRQD.ACTIVATED)) continue;
    if (!its.dt.get(dev.deviceId)?.itt.get(ev)) return `irq ${d.irq}: activated but DeviceID ${hex(dev.deviceId)} EventID ${ev} has no ITT entry`;
    (irqd(d, IRQD.AFFINITY_MANAGED) ? managed : unmanaged)[dev.colMap[ev]]++;
    if (irqd(d, IRQD.IRQ_STARTED) && gic.lpiEnabled(d.hwirq) === irqd(d, IRQD.IRQ_MASKED)) {
      return `irq ${d.irq}: LPI ${d.hwirq} is ${gic.lpiEnabled(d.hwirq) ? 'enabled' : 'disabled'} in the configuration table but ${irqd(d, IRQD.IRQ_MASKED) ? '' : 'not '}IRQD_IRQ_MASKED`;
    }
  }
  for (let cpu = 0; cpu < its.ct.length; cpu++) {
    if (managed[cpu] !== its.lpiCountManaged[cpu] || unmanaged[cpu] !== its.lpiCountUnmanaged[cpu]) {
      return `CPU${cpu}: cpu_lpi_count managed ${its.lpiCountManaged[cpu]} / unmanaged ${its.lpiCountUnmanaged[cpu]}, the activated LPIs there are ${managed[cpu]} / ${unmanaged[cpu]}`;
    }
  }
  const blocks = [
    ...[...its.devices.values()].map((d) => ({ base: d.lpiBase, span: d.nrLpis, what: `DeviceID ${hex(d.deviceId)}` })),
    ...its.ranges.map((r) => ({ base: r.base, span: r.span, what: 'free range' })),
  ].sort((a, b) => a.base - b.base);
  let next = LPI_BASE;
  for (const b of blocks) {
    if (b.base !== next) return `LPI ${Math.min(b.base, next)}: ${b.base < next ? `${b.what} overlaps the block before it` : 'neither free nor owned (leaked)'}`;
    next = b.base + b.span;
  }
  if (next !== LPI_BASE + LPI_NR) return `LPIs ${next}-${LPI_BASE + LPI_NR - 1} are neither free nor owned (leaked)`;
  for (const rd of gic.redists) {
    for (const lpi of rd.pending) if (!lpiOwner.has(lpi)) return `LPI ${lpi} pending at CPU${rd.cpu}'s redistributor has no ITT entry`;
  }
  return null;
}

/**
 * Every interrupt has a complete irq_data chain ending at the GICv3 domain, each level in its
 * domain's revmap, and an ITS level with the same hwirq (LPI INTID) as its GICv3 level.
 */
export function checkGicChains(m: Machine): string | null {
  const p = m.platform as Arm64Platform;
  for (const desc of m.sortedDescs()) {
    const chain = irqDataChain(desc);
    let its: IrqData | null = null;
    for (const d of chain) {
      const where = `irq ${desc.irq} level ${d.domain.name}`;
      if (d.irq !== desc.irq) return `${where}: irq_data.irq is ${d.irq}`;
      if (d.common !== desc.irqData.common) return `${where}: not sharing irq_common_data`;
      if (d.chip === noIrqChip) return `${where}: no chip`;
      if (!m.k.domains.includes(d.domain)) return `${where}: domain is not registered (removed?)`;
      if (d.domain.revmap.get(d.hwirq) !== d) return `${where}: hwirq ${hex(d.hwirq)} is not in the domain's revmap`;
      if (d.parentData && d.parentData.domain !== d.domain.parent) return `${where}: parent level is ${d.parentData.domain.name}`;
      if (d.domain === p.its.domain) its = d;
    }
    const root = chain[chain.length - 1];
    if (root.domain !== p.gic.domain) return `irq ${desc.irq}: chain ends at ${root.domain.name}, not the GICv3 domain`;
    if (its && its.hwirq !== root.hwirq) return `irq ${desc.irq}: ITS hwirq ${its.hwirq} but GICv3 INTID ${root.hwirq}`;
    if (root.hwirq >= LPI_BASE && !its) return `irq ${desc.irq}: LPI ${root.hwirq} without an ITS level`;
  }
  return null;
}

/** The ITS and LPI state a machine must return to once everything is freed (no history). */
export function itsResourceText(m: Machine): string {
  const { its, gic } = m.platform as Arm64Platform;
  return JSON.stringify({
    ranges: its.ranges,
    devices: [...its.devices.keys()],
    dt: [...its.dt.keys()],
    ct: Array.from(its.ct),
    counts: [Array.from(its.lpiCountManaged), Array.from(its.lpiCountUnmanaged)],
    pending: gic.redists.map((r) => r.pending.size),
    lpisMapped: gic.domain.revmap.size,
  });
}
