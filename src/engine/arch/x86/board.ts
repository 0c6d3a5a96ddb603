// The board an x86 kernel boots on, as far as interrupts see it: the IO-APIC's pins, which ISA
// interrupts are level triggered (ACPI's SCI and PCI link interrupts), the PCI INTx routing of
// its _PRT, and the interrupts the kernel and its built-in drivers request at boot, in order.
// "generic" is the model's PC; "qemu-q35" is QEMU's q35 as Debian's kernels boot it.

import type { KernelVersion, MachineSpec } from '../../types';
import { pciDevId } from '../../pci/pcidev';

/** A boot-time request: an ISA irq with its handler name, or the IOMMU's fault interrupt. */
export type BootIrq = { irq: number; name: string } | { dmar: number };

export interface X86Board {
  name: NonNullable<MachineSpec['platform']>;
  /** ISA irqs whose IO-APIC pin is level triggered (active high: the SCI and ACPI PCI links). */
  levelIsa: readonly number[];
  /** Descriptor 2 stays the legacy PIC's cascade (XT-PIC), as on every PC kernel. */
  cascadeDesc: boolean;
  /** Requested on the boot CPU before the others come up (x86_late_time_init: timer, then the IOMMU fault irq). */
  bsp(kernel: KernelVersion, remap: MachineSpec['remap']): BootIrq[];
  /** Requested once all CPUs are up, in the order their initcalls run (an IOMMU fault irq only with remapping). */
  smp(kernel: KernelVersion): BootIrq[];
  /** GSI of a function's INTx A, as the firmware's _PRT routes it. */
  intxGsi(bdf: string): number;
}

/** The model's PC: SCI on 9, legacy handlers, PCI links on GSI 16-23 by bus and slot. */
const generic: X86Board = {
  name: 'generic',
  levelIsa: [9],
  cascadeDesc: false,
  bsp: () => [{ irq: 0, name: 'timer' }],
  smp: () => [{ irq: 1, name: 'i8042' }, { irq: 8, name: 'rtc0' }, { irq: 9, name: 'acpi' }, { irq: 12, name: 'i8042' }],
  intxGsi(bdf) {
    const id = pciDevId(bdf);
    return 16 + (((id >> 8) + ((id >> 3) & 0x1f)) & 7);
  },
};

/**
 * QEMU q35: ACPI's PCI link devices LNKA-LNKD take ISA irqs 5, 10 and 11 (level), the SCI is 9;
 * slots outside the ICH9's own functions swizzle INTx A-D onto PIRQ E-H = GSI 20-23. Boot
 * handlers, in the order the captures' effective CPUs prove (each activation takes the CPU with
 * the most free vectors, so the order shows): the timer; the IOMMU fault interrupt — on the boot
 * CPU in 6.1 (irq_remap_enable_fault_handling() in apic_bsp_setup()), from intel_iommu_init()
 * once all CPUs are up since enable_drhd_fault_handling() skips IOMMUs of another node (6.12);
 * then acpi (SCI, subsys_initcall), i8042's aux and kbd ports, rtc0, and the console's ttyS0.
 */
const q35: X86Board = {
  name: 'qemu-q35',
  levelIsa: [5, 9, 10, 11],
  cascadeDesc: true,
  bsp: (kernel, remap) => [{ irq: 0, name: 'timer' }, ...(remap === 'intel-ir' && kernel === '6.1' ? [{ dmar: 0 }] : [])],
  smp: (kernel) => [
    { irq: 9, name: 'acpi' },
    ...(kernel === '6.1' ? [] : [{ dmar: 0 }]),
    { irq: 12, name: 'i8042' }, { irq: 1, name: 'i8042' }, { irq: 8, name: 'rtc0' }, { irq: 4, name: 'ttyS0' },
  ],
  intxGsi(bdf) {
    const slot = (pciDevId(bdf) >> 3) & 0x1f;
    return 20 + (slot % 4);
  },
};

export const X86_BOARDS: Record<'generic' | 'qemu-q35', X86Board> = { generic, 'qemu-q35': q35 };

export function x86Board(spec: MachineSpec): X86Board {
  return spec.platform === 'qemu-q35' ? X86_BOARDS['qemu-q35'] : X86_BOARDS.generic;
}
