// Models the kernel's text interfaces over the interrupt core: kernel/irq/proc.c +
// arch/x86/kernel/irq.c and arch/arm64/kernel/smp.c (/proc/interrupts) and kernel/irq/debugfs.c
// + kernel/irq/irqdomain.c (/sys/kernel/debug/irq/irqs/N, /sys/kernel/debug/irq/domains/NAME),
// each as the machine's kernel version prints it.

export { arm64IpiTypes, formatHeader, formatIrqRow, procChipWidth, procInterrupts, procPrec, type ProcIrqRow, x86CpuVendor } from './proc';
export {
  type DebugfsSelection, debugfsAll, debugfsDomain, debugfsDomainNames, debugfsIrq, debugfsIrqNumbers,
} from './debugfs';
export {
  IRQCHIP_FLAGS, IRQDATA_STATES, IRQDESC_ISTATES, IRQDESC_STATES, IRQDOMAIN_FLAGS, bitNames, domainFlagsOf, irqchipFlags,
  irqdataStates,
} from './names';
