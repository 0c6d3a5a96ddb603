// Models arch/x86/include/asm/irq_vectors.h: the x86 vector numbers the model uses.

export const NR_VECTORS = 256;
export const FIRST_EXTERNAL_VECTOR = 0x20;
export const ISA_IRQ_VECTOR_BASE = 0x30;
export const IA32_SYSCALL_VECTOR = 0x80;
export const MANAGED_IRQ_SHUTDOWN_VECTOR = 0xef;
/** 0xeb since v6.10 (POSTED_MSI_NOTIFICATION_VECTOR reserved); 0xec before. */
export const FIRST_SYSTEM_VECTOR = 0xeb;
export const LOCAL_TIMER_VECTOR = 0xec;
export const SPURIOUS_APIC_VECTOR = 0xff;
export const PIC_CASCADE_IR = 2;
export const NR_LEGACY_IRQS = 16;

/** ISA_IRQ_VECTOR(irq) */
export function isaIrqVector(irq: number): number {
  return ISA_IRQ_VECTOR_BASE + irq;
}

/**
 * The system vectors a current x86-64 kernel installs: exceptions 0-19 and 21 (#CP), the
 * 0x80 syscall gate and every vector from FIRST_SYSTEM_VECTOR up (lapic_assign_system_vectors).
 */
export function x86SystemVectors(): number[] {
  const out: number[] = [];
  for (let v = 0; v <= 19; v++) out.push(v);
  out.push(21, IA32_SYSCALL_VECTOR);
  for (let v = LOCAL_TIMER_VECTOR; v < NR_VECTORS; v++) out.push(v);
  return out;
}

/** Names of the system vectors, for views of the vector map. */
export const SYSTEM_VECTOR_NAMES: Record<number, string> = {
  0x02: 'NMI', 0x12: '#MC', 0x32: 'PIC cascade', 0x80: 'syscall', 0xec: 'LOCAL_TIMER', 0xed: 'HYPERV_STIMER0',
  0xee: 'HYPERV_REENLIGHTENMENT', 0xef: 'MANAGED_IRQ_SHUTDOWN', 0xf0: 'POSTED_INTR_NESTED',
  0xf1: 'POSTED_INTR_WAKEUP', 0xf2: 'POSTED_INTR', 0xf3: 'HYPERVISOR_CALLBACK', 0xf4: 'DEFERRED_ERROR',
  0xf6: 'IRQ_WORK', 0xf7: 'X86_PLATFORM_IPI', 0xf8: 'REBOOT', 0xf9: 'THRESHOLD_APIC', 0xfa: 'THERMAL_APIC',
  0xfb: 'CALL_FUNCTION_SINGLE', 0xfc: 'CALL_FUNCTION', 0xfd: 'RESCHEDULE', 0xfe: 'ERROR_APIC', 0xff: 'SPURIOUS_APIC',
};
