// Models the kernel's text interfaces over the interrupt core: kernel/irq/proc.c +
// arch/x86/kernel/irq.c (/proc/interrupts) and kernel/irq/debugfs.c + kernel/irq/irqdomain.c
// (/sys/kernel/debug/irq/irqs/N, /sys/kernel/debug/irq/domains/NAME).

export { procInterrupts, procPrec } from './proc';
export { debugfsDomain, debugfsIrq } from './debugfs';
export { IRQCHIP_FLAGS, IRQDATA_STATES, IRQDESC_ISTATES, IRQDESC_STATES, IRQDOMAIN_FLAGS, bitNames } from './names';
