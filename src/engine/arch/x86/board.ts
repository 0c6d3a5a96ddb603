// The board an x86 kernel boots on, as far as interrupts see it: the IO-APIC's pins and their
// legacy users (the ISA interrupts it takes over from the PIC, which of them are level triggered),
// the PCI INTx routing of its _PRT, and the interrupts the kernel and its built-in drivers request
// at boot, in order. "generic" is the model's PC; "qemu-q35" is QEMU's q35 as Debian's kernels
// boot it.

import type { MachineSpec } from '../../types';
import { pciDevId } from '../../pci/pcidev';

/**
 * A boot-time request: an ISA irq with its handler name, or the IOMMU's own interrupt(s) at one
 * of the two places the kernel may request them — apic_bsp_setup() (irq_remap_enable_fault_handling,
 * on the boot CPU alone) or the IOMMU's init once all CPUs are up (intel_iommu_init /
 * amd_iommu_init, both from pci_iommu_init, a rootfs_initcall). The platform knows which IOMMU
 * requests where (KernelProfile.iommuFaultIrqAtBspSetup).
 */
export type BootIrq = { irq: number; name: string } | { iommu: 'apic_bsp_setup' | 'iommu_init' };

/** An IO-APIC pin an ISA irq is wired to (the MADT's interrupt source overrides). */
export interface IsaPin {
  irq: number;
  pin: number;
  /** Level triggered, active high (the SCI, ACPI PCI link interrupts); else edge. */
  level: boolean;
}

export interface X86Board {
  name: NonNullable<MachineSpec['platform']>;
  /** IO-APIC pins (GSIs) when the machine does not say (MachineSpec.ioapicPins). */
  ioapicPins: number;
  /** The ISA irqs the IO-APIC takes over from the PIC, and their pins. */
  isaPins: readonly IsaPin[];
  /** Descriptor 2 stays the legacy PIC's cascade (XT-PIC), as on every PC kernel. */
  cascadeDesc: boolean;
  /** Requested on the boot CPU before the others come up (x86_late_time_init: timer, then the IOMMU fault irq). */
  bsp: readonly BootIrq[];
  /** Requested once all CPUs are up, in the order their initcalls run. */
  smp: readonly BootIrq[];
  /** GSI of a function's INTx A, as the firmware's _PRT routes it onto `pins` IO-APIC pins. */
  intxGsi(bdf: string, pins: number): number;
}

/**
 * Every PC: the IO-APIC takes over ISA IRQs 0, 1 and 3-15 (IRQ0 on pin 2, the others on their
 * own pin; the cascade IRQ 2 has none); `level` lists the level-triggered ones.
 */
function pcIsaPins(level: readonly number[]): IsaPin[] {
  return [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((irq) => ({ irq, pin: irq === 0 ? 2 : irq, level: level.includes(irq) }));
}

/**
 * The model's PC: SCI on 9, legacy handlers, PCI links on the GSIs above the ISA ones by bus
 * and slot (16-23 on a 24-pin IO-APIC). The IOMMU's own interrupts come where q35 has them (a
 * VT-d machine's dmar0 is the first dynamic irq, 24, as on every real one): after the timer on
 * the boot CPU in 6.1, after acpi since.
 */
const generic: X86Board = {
  name: 'generic',
  ioapicPins: 24,
  isaPins: pcIsaPins([9]),
  cascadeDesc: false,
  bsp: [{ irq: 0, name: 'timer' }, { iommu: 'apic_bsp_setup' }],
  smp: [{ irq: 1, name: 'i8042' }, { irq: 8, name: 'rtc0' }, { irq: 9, name: 'acpi' }, { iommu: 'iommu_init' }, { irq: 12, name: 'i8042' }],
  intxGsi(bdf, pins) {
    const id = pciDevId(bdf);
    return 16 + (((id >> 8) + ((id >> 3) & 0x1f)) % (pins - 16));
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
  ioapicPins: 24,
  isaPins: pcIsaPins([5, 9, 10, 11]),
  cascadeDesc: true,
  bsp: [{ irq: 0, name: 'timer' }, { iommu: 'apic_bsp_setup' }],
  smp: [
    { irq: 9, name: 'acpi' }, { iommu: 'iommu_init' },
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
