// The board an arm64 kernel boots on, as far as interrupts see it: the wired interrupts the
// kernel and its built-in drivers map and request at boot, in order (their virq numbers follow
// from it: irq_domain_alloc_descs() takes the lowest free number). "generic" is the model's ACPI
// machine; "qemu-virt" is QEMU's virt board (device tree) as Debian's kernels boot it.

import type { MachineSpec } from '../../types';
import type { KernelProfile } from '../../profiles';
import { IRQ_TYPE } from '../../core/irqdesc';
import { pciDevId } from '../../pci/pcidev';
import { SPI_BASE } from './gicv3';

/**
 * One boot-time mapping: a PPI or SPI with its trigger, requested under `name` (per-CPU for a
 * PPI), mapped only (a chained GPIO parent, a timer PPI the kernel does not use), or a PCI
 * function's INTx as a built-in driver's probe maps it (pci_assign_irq()).
 */
export type Arm64BootIrq =
  | { intid: number; type: number; name?: string }
  | { intxOf: string };

export interface Arm64Board {
  name: NonNullable<MachineSpec['platform']>;
  /** The timer's PPIs in firmware order; `timer` is the one the kernel requests. */
  timerPpis: readonly number[];
  timer: number;
  /** What the boot maps after the timer and before init_irq_proc(). */
  early: readonly Arm64BootIrq[];
  /** What the built-in drivers map and request after init_irq_proc(), in probe order. */
  late(profile: KernelProfile, spec: MachineSpec): Arm64BootIrq[];
  /** The SPI (INTID) of a function's INTx A, as the host bridge's interrupt-map swizzles it. */
  intxIntid?(bdf: string): number;
  /** A PCI function's INTx is mapped when its driver probes (DT: of_irq_parse_and_map_pci()). */
  mapsIntxAtProbe: boolean;
}

const LEVEL = IRQ_TYPE.LEVEL_HIGH;

/** The model's ACPI machine: the GTDT's non-secure physical timer and the SPCR console. */
const generic: Arm64Board = {
  name: 'generic',
  timerPpis: [30],
  timer: 30,
  early: [],
  late: () => [{ intid: SPI_BASE + 1, type: LEVEL, name: 'uart-pl011' }],
  mapsIntxAtProbe: false,
};

/**
 * QEMU virt: the timer node lists the secure, non-secure physical, virtual and hypervisor PPIs
 * (29, 30, 27, 26); a guest kernel at EL1 uses the virtual timer. Then the PL011 (SPI 1), the
 * PL061 GPIO (SPI 7, a chained handler), the PL031 RTC (SPI 2) and the PMU (PPI 7) probe — the
 * PMU before the GPIO in 6.1, after the RTC since, when virtio-pci is built in and maps a
 * virtio function's INTx at boot. PCI INTx A of slot s is SPI 3 + (s mod 4).
 */
const virt: Arm64Board = {
  name: 'qemu-virt',
  timerPpis: [29, 30, 27, 26],
  timer: 27,
  early: [],
  late(profile, spec) {
    const uart = { intid: SPI_BASE + 1, type: LEVEL, name: 'uart-pl011' };
    const gpio = { intid: SPI_BASE + 7, type: LEVEL };
    const rtc = { intid: SPI_BASE + 2, type: LEVEL, name: 'rtc-pl031' };
    const pmu = { intid: 23, type: LEVEL, name: 'arm-pmu' };
    if (!profile.arm64VirtioPciBuiltin) return [uart, pmu, gpio, rtc];
    // virtio-pci is built into the later kernels: it probes every virtio function at boot.
    const virtio = spec.devices.filter((d) => d.driver === 'virtio_net').map((d) => ({ intxOf: d.bdf }));
    return [uart, gpio, ...virtio, rtc, pmu];
  },
  intxIntid(bdf) {
    const slot = (pciDevId(bdf) >> 3) & 0x1f;
    return SPI_BASE + 3 + (slot % 4);
  },
  mapsIntxAtProbe: true,
};

export function arm64Board(spec: MachineSpec): Arm64Board {
  return spec.platform === 'qemu-virt' ? virt : generic;
}
