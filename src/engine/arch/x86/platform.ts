// Boots the x86 interrupt hierarchy of a machine (arch_early_irq_init, interrupt remapping,
// IO-APIC with the legacy interrupts every PC has) and routes device messages to CPUs.

import type { Kernel } from '../../core/kernel';
import { EPERM } from '../../core/errno';
import type { IrqDesc } from '../../core/irqdesc';
import type { IrqDomain } from '../../core/irqdomain';
import type { ArchBoot, Platform, PlatformCounters } from '../../platform';
import { IRQF, requestIrq } from '../../core/manage';
import type { MachineSpec } from '../../types';
import {
  type ApicChipData, type X86VectorState, irqForceCompleteMove, lapicCanUnplugCpu, vectorCleanupTimers, vectorState,
  VECTOR_UNUSED, x86VectorInit,
} from './vector';
import { x86MsiParentInit } from './msi';
import { amdIrInit, intelIrInit, irteEntries } from './remap';
import { IOAPIC_MAX_PINS, ioapicAllocPin, ioapicInit, ioapicPinMessage } from './ioapic';
import { x86MsiModelInit } from './msimodels';
import { setPciIntxWire } from '../../pci/intx';
import type { PciDev } from '../../pci/pcidev';
import { type BootIrq, type X86Board, x86Board } from './board';
import { iommuBootIrqs } from './dmar';
import { i8259CascadeDesc } from './i8259';
import { commonInterrupt, x86DeliverMsi } from './apic';
import { irqDomainGetIrqData } from '../../core/irqdomain';
import { NR_LEGACY_IRQS, NR_VECTORS } from './vectors';

export interface X86Platform extends Platform {
  vectorDomain: IrqDomain;
  vector: X86VectorState;
  ir: IrqDomain | null;
  ioapic: IrqDomain;
}

/** NR_IRQS_LEGACY + per-CPU + MSI room, as arch_probe_nr_irqs() sizes nr_irqs on x86. */
function archProbeNrIrqs(gsiTop: number, nrCpus: number): number {
  let nr = gsiTop + NR_LEGACY_IRQS + 8 * nrCpus;
  nr += gsiTop <= NR_LEGACY_IRQS ? 8 * nrCpus : gsiTop * 16;
  return nr;
}

/** The IO-APIC's pins: the machine's MachineSpec.ioapicPins, else its board's (q35: 24). */
export function ioapicPinsOf(spec: MachineSpec): number {
  const pins = spec.ioapicPins ?? x86Board(spec).ioapicPins;
  if (!Number.isInteger(pins) || pins < 24 || pins > IOAPIC_MAX_PINS) {
    throw new RangeError(`machine.ioapicPins: expected a whole number 24…${IOAPIC_MAX_PINS} (the ISA irqs, 8 PCI links; reg_01.entries is 8 bits)`);
  }
  return pins;
}

/** gsi_top = the IO-APIC's pins: GSIs 0..pins-1, dynamic interrupts from there (arch_dynirq_lower_bound()). */
export const x86Arch: ArchBoot = {
  nrIrqs: (spec) => archProbeNrIrqs(ioapicPinsOf(spec), spec.cpus),
  // arch_probe_nr_irqs() first caps NR_IRQS at NR_VECTORS * nr_cpu_ids, then lowers it further.
  nrIrqsPeak: (spec) => Math.max(NR_VECTORS * spec.cpus, archProbeNrIrqs(ioapicPinsOf(spec), spec.cpus)),
  dynirqLowerBound: 24,
  boot: (k, spec, counters) => bootX86(k, spec, counters),
};

export function bootX86(k: Kernel, spec: MachineSpec, counters: PlatformCounters): X86Platform {
  const vectorDomain = x86VectorInit(k);
  x86MsiParentInit(vectorDomain);
  const vs = vectorState(vectorDomain);
  const remap = spec.remap ?? 'intel-ir';
  const ir = remap === 'intel-ir' ? intelIrInit(k, vectorDomain, 0) : remap === 'amd-ir' ? amdIrInit(k, vectorDomain, 0) : null;
  const board = x86Board(spec);
  const pins = ioapicPinsOf(spec);
  // arch_dynirq_lower_bound(): ioapic_dynirq_base = gsi_top.
  k.dynirqLowerBound = pins;
  if (board.cascadeDesc) i8259CascadeDesc(k);
  const ioapic = ioapicInit(k, ir ?? vectorDomain, ir !== null, 2, pins);
  for (const l of board.isaPins) {
    ioapicAllocPin(k, ioapic, { irq: l.irq, pin: l.pin, level: l.level, legacy: l.irq < NR_LEGACY_IRQS, legacyKeep: l.irq === 0 });
  }
  const bootRequest = (b: BootIrq) => {
    if ('iommu' in b) return iommuBootIrqs(k, vectorDomain, remap, b.iommu);
    const desc = k.descs.get(b.irq);
    // setup_default_timer_irq(): IRQF_NOBALANCING | IRQF_IRQPOLL | IRQF_TIMER.
    if (desc) requestIrq(k, desc, b.name, b.irq === 0 ? { flags: IRQF.NOBALANCING | IRQF.IRQPOLL | IRQF.TIMER } : {});
  };
  // The boot CPU alone: the secondary CPUs come up (lapic_online) after x86_late_time_init.
  const secondaries = Array.from({ length: k.nrCpus - 1 }, (_, i) => i + 1);
  for (const cpu of secondaries) {
    vs.matrix.offline(cpu);
    counters.setCpuOnline(cpu, false);
  }
  for (const b of board.bsp) bootRequest(b);
  for (const cpu of secondaries) {
    vs.matrix.online(cpu);
    counters.setCpuOnline(cpu, true);
  }
  vs.matrix.takeWarnings();
  // init_irq_proc(): /proc/irq/N for every descriptor there is now.
  for (const desc of k.descs.values()) desc.procDir = true;
  for (const b of board.smp) bootRequest(b);

  // dev_get_msi_domain() per MachineSpec.msiModel, else as the kernel version does it.
  const msiParentFor = x86MsiModelInit(k, spec.msiModel ?? k.profile.pciMsiModel, vectorDomain, ir);

  const platform: X86Platform = {
    arch: 'x86',
    defaultDomain: vectorDomain,
    cpuViews: () => Array.from({ length: k.nrCpus }, (_, cpu) => {
      const c = vs.matrix.cpuInfo(cpu);
      return { cpu, online: k.cpuOnline(cpu), available: c.available, managed: c.managed, managedAllocated: c.managedAllocated, allocated: c.allocated };
    }),
    matrixView: () => {
      const info = vs.matrix.info();
      const systemVectors: number[] = [];
      for (let v = 0; v < NR_VECTORS; v++) if (vs.matrix.isSystem(v)) systemVectors.push(v);
      return { globalAvailable: info.globalAvailable, globalReserved: info.globalReserved, totalAllocated: info.totalAllocated, systemVectors };
    },
    irqRoute(desc) {
      const d = irqDomainGetIrqData(k, vectorDomain, desc.irq);
      const a = d?.chipData as ApicChipData | null | undefined;
      return { vector: a?.vector ?? 0, cpu: a?.cpu ?? 0, hwVector: a?.hwIrqCfg.vector ?? 0, prevVector: a?.prevVector ?? 0, prevCpu: a?.prevCpu ?? 0 };
    },
    vectorDomain,
    vector: vs,
    ir,
    ioapic,
    msiParentFor,
    pciIntxRoute: (dev) => acpiPciIrqEnable(k, ioapic, dev, board, pins),
    deliverMsi(requester, msg) {
      const r = x86DeliverMsi(k, { vector: vs, ir }, msg, requester);
      // An IOMMU fault is reported by the IOMMU's own fault interrupt and log, not on ERR.
      if ('fault' in r) return;
      const outcome = commonInterrupt(k, vs, r.cpu, r.vector);
      if (outcome === 'spurious') counters.spurious[r.cpu]++;
    },
    runTimers() {
      vectorCleanupTimers(k, vs);
    },
    snapshot() {
      return JSON.stringify({ matrix: vs.matrix.snapshot(), irte: ir ? irteEntries(ir) : [], table: Array.from(vs.vectorIrq).join(',') });
    },
    canUnplug(cpu) {
      // x86 CPU0 is not hotpluggable (since v6.5 never; 6.1 only with cpu0_hotplug or
      // CONFIG_BOOTPARAM_HOTPLUG_CPU0, which Debian leaves off): register_cpu() marks its device
      // offline_disabled, so drivers/base refuses before kernel/cpu.c is asked.
      if (cpu === 0) {
        k.t.enter('device_offline', 'cpu0', 'drivers/base/core.c');
        if (k.t.on) {
          k.t.effect('cpu0 is offline_disabled (arch_cpu_is_hotpluggable(0) is false on x86): device_offline() returns -EPERM; cpu_device_down() never runs');
          k.t.effect('user space sees no /sys/devices/system/cpu/cpu0/online file: device_add_attrs() creates it only for a device that can go offline');
        }
        return k.t.leave(-EPERM);
      }
      return lapicCanUnplugCpu(k, vs, cpu);
    },
    forceCompleteMove(desc: IrqDesc) {
      const d = irqDomainGetIrqData(k, vectorDomain, desc.irq);
      if (d) irqForceCompleteMove(k, vs, d);
    },
    offline(cpu) {
      // lapic_offline(): pending cleanups of this CPU run now, then the matrix map goes offline.
      for (const a of vs.cleanupList[cpu].splice(0)) {
        vs.matrix.free(a.prevCpu, a.prevVector, a.isManaged);
        vs.setIrqAt(a.prevCpu, a.prevVector, VECTOR_UNUSED);
        a.cleanupPending = false;
        a.prevVector = 0;
      }
      vs.matrix.offline(cpu);
      for (const w of vs.matrix.takeWarnings()) k.log('warn', w);
    },
    online(cpu) {
      vs.matrix.online(cpu);
      // lapic_online(): only legacy PIC vectors survive in the per-CPU table.
      for (let v = 0; v < NR_VECTORS; v++) vs.setIrqAt(cpu, v, VECTOR_UNUSED);
    },
    setOnline(cpu, on) {
      counters.setCpuOnline(cpu, on);
    },
  };
  // An asserted INTx line: the IO-APIC pin sends its message unless it is masked.
  setPciIntxWire(k, (irq) => {
    const desc = k.descs.get(irq);
    const m = desc ? ioapicPinMessage(ioapic, desc.irqData.hwirq) : null;
    if (!m) return false;
    platform.deliverMsi(m.requester, m.msg);
    return true;
  });
  return platform;
}

/**
 * acpi_pci_irq_enable() → acpi_register_gsi() → mp_map_gsi_to_irq(): INTx A of the function, as
 * the board's _PRT routes it (level, active low), mapped to the IO-APIC pin of that GSI (shared
 * when another function is already on it). The kernel does this at pci_enable_device(); the
 * model does it when the device appears.
 */
function acpiPciIrqEnable(k: Kernel, ioapic: IrqDomain, dev: PciDev, board: X86Board, pins: number): number {
  const gsi = board.intxGsi(dev.name, pins);
  if (k.descs.has(gsi)) return gsi;
  const irq = ioapicAllocPin(k, ioapic, { irq: gsi, pin: gsi, level: true, legacy: false });
  return irq > 0 ? irq : 0;
}
