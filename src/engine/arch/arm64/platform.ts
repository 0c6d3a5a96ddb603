// Models the arm64 interrupt bring-up of an ACPI machine laid out like QEMU's virt board:
// drivers/irqchip/irq-gic-v3.c (gic_acpi_init → gic_init_bases, gic_smp_init, gic_starting_cpu),
// drivers/irqchip/irq-gic-v3-its.c (its_init, its_cpu_init), arch/arm64/kernel/smp.c (IPIs), the
// arch timer PPI and the PL011 SPI every such machine requests at boot; and how a device's write
// to the ITS doorbell reaches a CPU.

import type { Kernel } from '../../core/kernel';
import type { IrqData, IrqDesc } from '../../core/irqdesc';
import { IRQ_TYPE } from '../../core/irqdesc';
import type { IrqDomain } from '../../core/irqdomain';
import type { MsiMsg } from '../../core/chip';
import { requestIrq } from '../../core/manage';
import type { ArchBoot, Platform, PlatformCounters } from '../../platform';
import type { CpuView } from '../../view';
import type { MachineSpec } from '../../types';
import {
  type GicLayout, GicV3, LPI_BASE, SPI_BASE, gicIrqOfData, gicMapWired, gicPercpuEnable, gicSmpInit,
  gicV3Init, rdistFlush, rdistSetPending,
} from './gicv3';
import {
  type ItsCommand, type ItsDevice, ItsNode, formatItsCommand, itsCpuInitCollection, itsEventId, itsInit, itsTranslate,
} from './its';
import { gicV3ItsMsiParentOps, iortMsiMapId, itsPciMsiGlobalDomain } from './msi';
import { arm64Board } from './board';
import type { PciDev } from '../../pci/pcidev';

/** The physical map (QEMU virt: VIRT_GIC_DIST, VIRT_GIC_REDIST, VIRT_GIC_ITS; 256 SPIs). */
export const ARM64_LAYOUT: GicLayout & { itsBase: number } = {
  distBase: 0x0800_0000,
  redistBase: 0x080a_0000,
  redistStride: 0x2_0000,
  spis: 256,
  itsBase: 0x0808_0000,
};

/** ARCH_TIMER_PHYS_NONSECURE_PPI: the timer a host kernel that does not run at EL2 (nVHE) uses. */
export const ARCH_TIMER_PPI = 30;
/** The PL011 UART on SPI 1 (INTID 33). */
export const UART_SPI = SPI_BASE + 1;

/** NR_IRQS of asm-generic/irq.h: arm64 has no arch_probe_nr_irqs(), so nr_irqs starts at 64. */
export const ARM64_NR_IRQS = 64;

export interface Arm64Platform extends Platform {
  gic: GicV3;
  its: ItsNode;
  /** virqs of the boot interrupts. */
  boot: { ipiBase: number; archTimer: number; uart: number };
}

export const arm64Arch: ArchBoot = {
  nrIrqs: () => ARM64_NR_IRQS,
  // No arch_dynirq_lower_bound(): irq_domain_alloc_descs() searches from virq 1.
  dynirqLowerBound: 1,
  boot: (k, spec, counters) => bootArm64(k, spec, counters),
};

/** The GICv3 level of an interrupt (the root of its chain). */
function rootLevel(desc: IrqDesc): IrqData {
  let d = desc.irqData;
  while (d.parentData) d = d.parentData;
  return d;
}

/** The ITS level of an interrupt, if it has one. */
function itsLevel(its: ItsNode, desc: IrqDesc): IrqData | null {
  for (let d: IrqData | null = desc.irqData; d; d = d.parentData) if (d.domain === its.domain) return d;
  return null;
}

export function bootArm64(k: Kernel, spec: MachineSpec, counters: PlatformCounters): Arm64Platform {
  const board = arm64Board(spec);
  const gic = gicV3Init(k, ARM64_LAYOUT);
  const ipiBase = gicSmpInit(k, gic, k.profile.proc.arm64Ipis.length);
  const its = itsInit(k, gic, ARM64_LAYOUT.itsBase, gicV3ItsMsiParentOps);
  // its_cpu_init() on the boot CPU, then gic_starting_cpu() on each secondary.
  for (let cpu = 0; cpu < k.nrCpus; cpu++) itsCpuInitCollection(k, its, cpu);

  // The arch timer maps its PPIs in firmware order and requests the one it uses: level
  // triggered, a per-CPU interrupt enabled on each CPU by arch_timer_starting_cpu().
  const percpuVirqs = Array.from({ length: 8 }, (_, i) => ipiBase + i);
  let archTimer = 0;
  for (const ppi of board.timerPpis) {
    const virq = gicMapWired(k, gic, ppi, ppi === board.timer ? IRQ_TYPE.LEVEL_LOW : IRQ_TYPE.EDGE_RISING);
    if (ppi !== board.timer) continue;
    archTimer = virq;
    requestIrq(k, k.descs.get(virq)!, 'arch_timer');
    for (let cpu = 0; cpu < k.nrCpus; cpu++) gicPercpuEnable(k, gic, virq, cpu, true);
    percpuVirqs.push(virq);
  }
  // init_irq_proc(): /proc/irq/N for every descriptor there is now.
  for (const desc of k.descs.values()) desc.procDir = true;

  const intxVirq = new Map<string, number>();
  const mapIntx = (bdf: string): number => {
    const intid = board.intxIntid?.(bdf);
    if (intid === undefined) return 0;
    // irq_create_fwspec_mapping() finds an INTID mapped once already (a shared INTx line).
    const known = gic.domain.revmap.get(intid);
    const virq = known ? known.irq : gicMapWired(k, gic, intid, IRQ_TYPE.LEVEL_HIGH);
    intxVirq.set(bdf, virq);
    return virq;
  };
  let uart = 0;
  for (const b of board.late(k.profile, spec)) {
    if ('intxOf' in b) {
      mapIntx(b.intxOf);
      continue;
    }
    const virq = gicMapWired(k, gic, b.intid, b.type);
    if (!b.name) continue;
    requestIrq(k, k.descs.get(virq)!, b.name);
    if (b.intid < SPI_BASE) {
      for (let cpu = 0; cpu < k.nrCpus; cpu++) gicPercpuEnable(k, gic, virq, cpu, true);
      percpuVirqs.push(virq);
    }
    if (b.name === 'uart-pl011') uart = virq;
  }
  // The PCI MSI domains: per-device domains on the ITS (msi-lib, v6.11+), or 6.1's global one.
  const globalMsi = (spec.msiModel ?? k.profile.pciMsiModel) === 'v1' ? itsPciMsiGlobalDomain(k, its.domain) : null;

  const platform: Arm64Platform = {
    arch: 'arm64',
    gic,
    its,
    boot: { ipiBase, archTimer, uart },
    defaultDomain: gic.domain,
    msiParentFor: () => globalMsi ?? its.domain,
    ...(board.mapsIntxAtProbe ? { pciAssignIrq: (dev: PciDev) => intxVirq.get(dev.name) ?? mapIntx(dev.name) } : {}),
    deliverMsi(requester, msg) {
      arm64DeliverMsi(k, its, requester, msg);
    },
    runTimers() {},
    snapshot: () => arm64Snapshot(k, platform),
    cpuViews: () => arm64CpuViews(k, platform),
    matrixView: () => null,
    irqRoute(desc) {
      const root = rootLevel(desc);
      let cpu = desc.irqData.common.effectiveAffinity[0] ?? 0;
      if (root.domain === gic.domain && root.hwirq >= LPI_BASE) {
        const d = itsLevel(its, desc);
        if (d?.chipData) cpu = (d.chipData as ItsDevice).colMap[itsEventId(d)];
      } else if (root.domain === gic.domain) {
        const g = gicIrqOfData(root);
        if (g && g.route >= 0) cpu = g.route;
      }
      return { vector: root.hwirq, cpu, hwVector: root.hwirq, prevVector: 0, prevCpu: 0 };
    },
    canUnplug: () => 0,
    forceCompleteMove() {},
    offline(cpu) {
      // The dying CPU tears down its per-CPU interrupts (ipi_teardown, arch_timer_dying_cpu)
      // and PSCI CPU_OFF puts its redistributor to sleep (GICR_WAKER.ProcessorSleep). Its
      // collection stays mapped: LPIs still routed there wait in its pending table.
      for (const v of percpuVirqs) gicPercpuEnable(k, gic, v, cpu, false);
      gic.redists[cpu].awake = false;
      if (k.t.on) k.t.effect(`CPU${cpu}: per-CPU interrupts disabled, redistributor asleep; collection ${cpu} stays mapped`);
    },
    online(cpu) {
      // gic_starting_cpu(): gic_cpu_init() wakes the redistributor, its_cpu_init() finds LPIs
      // already enabled there and maps the CPU's collection again (MAPC + INVALL).
      k.t.enter('gic_starting_cpu', gic.domain.name, 'drivers/irqchip/irq-gic-v3.c');
      gic.redists[cpu].awake = true;
      if (k.t.on) k.t.effect(`CPU${cpu}: GICR_WAKER.ProcessorSleep cleared, LPIs already enabled in GICR_CTLR`);
      itsCpuInitCollection(k, its, cpu);
      for (const v of percpuVirqs) gicPercpuEnable(k, gic, v, cpu, true);
      k.t.leaveWith('0');
    },
    setOnline(cpu, on) {
      counters.setCpuOnline(cpu, on);
      // A CPU that takes interrupts again receives what waited at its redistributor.
      if (on) rdistFlush(k, gic, cpu);
    },
  };
  return platform;
}

/**
 * A device's memory write reaches GITS_TRANSLATER: the interconnect supplies the DeviceID
 * (requester ID through the IORT), the data is the EventID; the ITS translates them to an LPI
 * and a collection, and that collection's redistributor takes the LPI.
 */
export function arm64DeliverMsi(k: Kernel, its: ItsNode, requester: string, msg: MsiMsg): void {
  const on = k.t.on;
  k.t.enter('GITS_TRANSLATER write', its.domain.name, 'hardware: GICv3 ITS, redistributor');
  const addr = (msg.addressHi >>> 0) * 2 ** 32 + (msg.addressLo >>> 0);
  const drop = (why: string): void => {
    if (on) {
      k.t.effect(why);
      k.hop({ stage: 'fault', domain: its.domain.name, label: why });
    }
    k.t.leaveWith('dropped');
  };
  if (addr !== its.translater) {
    drop(`write to 0x${addr.toString(16)} is not the ITS doorbell 0x${its.translater.toString(16)}: a memory write, no interrupt`);
    return;
  }
  const deviceId = iortMsiMapId(requester);
  if (deviceId < 0) {
    drop(`${requester} has no DeviceID: dropped`);
    return;
  }
  const eventId = msg.data >>> 0;
  if (on) k.t.effect(`DeviceID 0x${deviceId.toString(16)} (requester ${requester}), EventID ${eventId}`);
  const r = itsTranslate(its, deviceId, eventId);
  if ('drop' in r) {
    drop(r.drop);
    return;
  }
  if (on) {
    const label = `DeviceID 0x${deviceId.toString(16)} EventID ${eventId} → LPI ${r.lpi}, collection ${r.cpu}`;
    k.t.effect(`device table → ITT: ${label}`);
    k.hop({ stage: 'its', domain: its.domain.name, label, cpu: r.cpu, vector: r.lpi });
  }
  rdistSetPending(k, its.gic, r.cpu, r.lpi, its.gic.domain.name);
  k.t.leaveWith(`LPI ${r.lpi} → CPU${r.cpu}`);
}

/** Canonical text of the GIC and ITS state (the command queue log is history, not state). */
function arm64Snapshot(k: Kernel, p: Arm64Platform): string {
  const { gic, its } = p;
  const devices = [...its.devices.values()].sort((a, b) => a.deviceId - b.deviceId).map((d) => {
    const used: [number, number][] = [];
    d.lpiMap.forEach((u, e) => {
      if (u) used.push([e, d.colMap[e]]);
    });
    return [d.deviceId, d.nrIts, d.lpiBase, d.nrLpis, d.shared, used];
  });
  const dt = [...its.dt.entries()].sort((a, b) => a[0] - b[0]).map(([id, e]) => [
    id, e.ittAddr, e.idBits, [...e.itt.entries()].sort((a, b) => a[0] - b[0]).map(([ev, x]) => [ev, x.lpi, x.icid]),
  ]);
  const wired: unknown[] = [];
  for (const [intid, d] of gic.domain.revmap) {
    if (intid >= LPI_BASE) continue;
    const g = gicIrqOfData(d);
    if (g) wired.push([intid, g.enabled, g.route, g.percpuEnabled?.map((e) => (e ? 1 : 0)).join('') ?? '']);
  }
  wired.sort((a, b) => (a as number[])[0] - (b as number[])[0]);
  return JSON.stringify({
    ranges: its.ranges.map((r) => [r.base, r.span]),
    devices,
    dt,
    ct: Array.from(its.ct),
    counts: [Array.from(its.lpiCountManaged), Array.from(its.lpiCountUnmanaged)],
    prop: [...gic.propChanged].sort((a, b) => a - b).map((l) => [l, gic.lpiConfig(l)]),
    pending: gic.redists.map((r) => [...r.pending].sort((a, b) => a - b)),
    awake: gic.redists.map((r) => (r.awake ? 1 : 0)).join(''),
    wired,
    online: k.onlineCpus().join(','),
  });
}

/** LPIs each CPU's collection receives, from the ITS's own tables. */
function lpisByCpu(its: ItsNode, nrCpus: number): number[][] {
  const out: number[][] = Array.from({ length: nrCpus }, () => []);
  for (const dte of its.dt.values()) {
    for (const e of dte.itt.values()) {
      const cpu = its.ct[e.icid];
      if (cpu >= 0) out[cpu].push(e.lpi);
    }
  }
  for (const l of out) l.sort((a, b) => a - b);
  return out;
}

/**
 * Per CPU: the collection, the LPIs routed to it and those pending at its redistributor. The
 * matrix columns carry the ITS's per-CPU LPI counts (cpu_lpi_count): managed = managed LPIs,
 * allocated = all LPIs targeted there; available = LPIs left in the (global) allocator.
 */
function arm64CpuViews(k: Kernel, p: Arm64Platform): CpuView[] {
  const { gic, its } = p;
  const lpis = lpisByCpu(its, k.nrCpus);
  const free = its.freeLpis();
  return Array.from({ length: k.nrCpus }, (_, cpu) => ({
    cpu,
    online: k.cpuOnline(cpu),
    available: free,
    managed: its.lpiCountManaged[cpu],
    managedAllocated: its.lpiCountManaged[cpu],
    allocated: its.lpiCountManaged[cpu] + its.lpiCountUnmanaged[cpu],
    collection: its.ct[cpu] >= 0 ? cpu : null,
    lpis: lpis[cpu],
    pendingLpis: [...gic.redists[cpu].pending].sort((a, b) => a - b),
  }));
}

/** One event of a device's ITT, for the views. */
export interface ItsEventView {
  eventId: number;
  lpi: number;
  /** The collection (= CPU) the ITT entry names. */
  icid: number;
  virq: number | null;
  enabled: boolean;
  pending: boolean;
}

export interface ItsDeviceView {
  deviceId: number;
  /** The device whose first allocation created the entry. */
  owner: string;
  nrItes: number;
  ittAddr: number;
  lpiBase: number;
  nrLpis: number;
  shared: boolean;
  /** Mapped in the device table (MAPD V=1). */
  mapped: boolean;
  events: ItsEventView[];
}

export interface ItsView {
  domain: string;
  base: number;
  /** The doorbell address devices write: base + GITS_TRANSLATER. */
  translater: number;
  devices: ItsDeviceView[];
  collections: { icid: number; cpu: number; rdbase: number; online: boolean; lpis: number }[];
  /** The last commands written to the queue, oldest first. */
  commands: (ItsCommand & { text: string })[];
  commandsTotal: number;
  freeLpis: number;
}

/** The ITS tables and the recent command queue, for the UI; null on a machine without an ITS. */
export function itsView(platform: Platform): ItsView | null {
  if (platform.arch !== 'arm64') return null;
  const { its, gic } = platform as Arm64Platform;
  const virqOf = (domain: IrqDomain, lpi: number): number | null => domain.revmap.get(lpi)?.irq ?? null;
  const devices: ItsDeviceView[] = [...its.devices.values()].sort((a, b) => a.deviceId - b.deviceId).map((d) => {
    const dte = its.dt.get(d.deviceId);
    const events: ItsEventView[] = dte
      ? [...dte.itt.entries()].sort((a, b) => a[0] - b[0]).map(([eventId, e]) => ({
        eventId, lpi: e.lpi, icid: e.icid, virq: virqOf(gic.domain, e.lpi), enabled: gic.lpiEnabled(e.lpi), pending: gic.pendingAt(e.lpi) >= 0,
      }))
      : [];
    return {
      deviceId: d.deviceId, owner: d.owner, nrItes: d.nrIts, ittAddr: d.ittAddr, lpiBase: d.lpiBase, nrLpis: d.nrLpis,
      shared: d.shared, mapped: dte !== undefined, events,
    };
  });
  const perCpu = lpisByCpu(its, its.ct.length);
  const collections = Array.from(its.ct).flatMap((cpu, icid) => (cpu < 0 ? [] : [{
    icid, cpu, rdbase: cpu, online: gic.redists[cpu].awake, lpis: perCpu[cpu].length,
  }]));
  return {
    domain: its.domain.name,
    base: its.physBase,
    translater: its.translater,
    devices,
    collections,
    commands: its.commands().map((c) => ({ ...c, text: formatItsCommand(c) })),
    commandsTotal: its.cmdSeq,
    freeLpis: its.freeLpis(),
  };
}

