// Models arch/x86/include/asm/irq_vectors.h, the system-vector gates of arch/x86/kernel/idt.c and
// lapic_assign_system_vectors() of arch/x86/kernel/apic/vector.c: the x86 vector numbers.

import { type KernelProfile, kernelProfile } from '../../profiles';

export const NR_VECTORS = 256;
export const FIRST_EXTERNAL_VECTOR = 0x20;
export const ISA_IRQ_VECTOR_BASE = 0x30;
export const IA32_SYSCALL_VECTOR = 0x80;
export const MANAGED_IRQ_SHUTDOWN_VECTOR = 0xef;
/** 0xeb since v6.10 (POSTED_MSI_NOTIFICATION_VECTOR reserved); 0xec before. Per kernel: KernelProfile.firstSystemVector. */
export const FIRST_SYSTEM_VECTOR = 0xeb;
export const LOCAL_TIMER_VECTOR = 0xec;
export const SPURIOUS_APIC_VECTOR = 0xff;
export const PIC_CASCADE_IR = 2;
export const NR_LEGACY_IRQS = 16;

/** IRQ_MOVE_CLEANUP_VECTOR: FIRST_EXTERNAL_VECTOR, a system vector until v6.6. */
export const IRQ_MOVE_CLEANUP_VECTOR = 0x20;
export const HYPERV_STIMER0_VECTOR = 0xed;
export const HYPERV_REENLIGHTENMENT_VECTOR = 0xee;
export const POSTED_INTR_NESTED_VECTOR = 0xf0;
export const POSTED_INTR_WAKEUP_VECTOR = 0xf1;
export const POSTED_INTR_VECTOR = 0xf2;
export const HYPERVISOR_CALLBACK_VECTOR = 0xf3;
export const DEFERRED_ERROR_VECTOR = 0xf4;
/** 7.2: PERF_GUEST_MEDIATED_PMI_VECTOR (unused before). */
export const PERF_GUEST_MEDIATED_PMI_VECTOR = 0xf5;
export const POSTED_MSI_NOTIFICATION_VECTOR = 0xeb;

/** ISA_IRQ_VECTOR(irq) */
export function isaIrqVector(irq: number): number {
  return ISA_IRQ_VECTOR_BASE + irq;
}

/** What of the machine decides which system gates exist, beyond the kernel's version and build. */
export interface X86IdtOptions {
  /** ia32_enabled(): CONFIG_IA32_EMULATION (every Debian build) and not ia32_emulation=false. Default true. */
  ia32?: boolean;
  /** nr_legacy_irqs() > 1: a legacy PIC, whose cascade (IRQ 2, vector 0x32) is a system vector. Default true. */
  legacyPic?: boolean;
  /**
   * kvm_guest_init(): a KVM guest offered KVM_FEATURE_ASYNC_PF_INT takes HYPERVISOR_CALLBACK_VECTOR
   * (0xf3) with alloc_intr_gate() for async page faults. Default false (bare metal).
   */
  kvmAsyncPfInt?: boolean;
  /** A Hyper-V guest: the callback, HYPERV_REENLIGHTENMENT and HYPERV_STIMER0 gates. Default false. */
  hyperv?: boolean;
}

/**
 * The system_vectors bitmap after boot: the exception and int 0x80 gates of idt_setup_traps(),
 * the apic_idts of idt_setup_apic_and_irq_gates() and the gates hypervisor guests add with
 * alloc_intr_gate(). Unused vectors of the system range are not in it (they get the spurious
 * entry without a bit), so MANAGED_IRQ_SHUTDOWN_VECTOR (0xef) never is; neither is 0xeb without
 * CONFIG_X86_POSTED_MSI (Debian does not set it). Sorted.
 */
export function x86SystemVectors(profile: KernelProfile = kernelProfile(undefined), opts: X86IdtOptions = {}): number[] {
  const idt = profile.x86Idt;
  const v = new Set<number>(idt.exceptions);
  if (opts.ia32 ?? true) v.add(IA32_SYSCALL_VECTOR);
  // apic_idts (CONFIG_SMP, X86_THERMAL_VECTOR, X86_MCE_THRESHOLD, X86_MCE_AMD, X86_LOCAL_APIC, KVM, IRQ_WORK)
  for (const x of [0xfd, 0xfc, 0xfb, 0xf8, 0xfa, 0xf9, DEFERRED_ERROR_VECTOR, LOCAL_TIMER_VECTOR, 0xf7,
    POSTED_INTR_VECTOR, POSTED_INTR_WAKEUP_VECTOR, POSTED_INTR_NESTED_VECTOR, 0xf6, SPURIOUS_APIC_VECTOR, 0xfe]) v.add(x);
  if (idt.moveCleanupVector) v.add(IRQ_MOVE_CLEANUP_VECTOR);
  if (idt.perfGuestMediatedPmi) v.add(PERF_GUEST_MEDIATED_PMI_VECTOR);
  if (opts.kvmAsyncPfInt || opts.hyperv) v.add(HYPERVISOR_CALLBACK_VECTOR);
  if (opts.hyperv) {
    v.add(HYPERV_REENLIGHTENMENT_VECTOR);
    v.add(HYPERV_STIMER0_VECTOR);
  }
  return [...v].sort((a, b) => a - b);
}

/**
 * lapic_assign_system_vectors(): every system_vectors bit, then the legacy cascade when a PIC
 * is there (nr_legacy_irqs() > 1) — the bits of the matrix's system_map, which the VECTOR
 * domain's debugfs prints as "System: <count>: <list>". Sorted.
 */
export function x86MatrixSystemVectors(profile: KernelProfile = kernelProfile(undefined), opts: X86IdtOptions = {}): number[] {
  const v = x86SystemVectors(profile, opts);
  if (opts.legacyPic ?? true) v.push(isaIrqVector(PIC_CASCADE_IR));
  return v.sort((a, b) => a - b);
}

/** Names of the system vectors (irq_vectors.h) of the given kernel, for views of the vector map. */
export function systemVectorNames(profile: KernelProfile = kernelProfile(undefined)): Record<number, string> {
  const names: Record<number, string> = { ...SYSTEM_VECTOR_NAMES };
  if (profile.x86Idt.moveCleanupVector) names[IRQ_MOVE_CLEANUP_VECTOR] = 'IRQ_MOVE_CLEANUP';
  if (!profile.x86Idt.perfGuestMediatedPmi) delete names[PERF_GUEST_MEDIATED_PMI_VECTOR];
  if (profile.firstSystemVector > POSTED_MSI_NOTIFICATION_VECTOR) delete names[POSTED_MSI_NOTIFICATION_VECTOR];
  return names;
}

/** Names of the system vectors of the newest kernel (7.2), for views of the vector map. */
export const SYSTEM_VECTOR_NAMES: Record<number, string> = {
  0x02: 'NMI', 0x12: '#MC', 0x32: 'PIC cascade', 0x80: 'syscall', 0xeb: 'POSTED_MSI_NOTIFICATION',
  0xec: 'LOCAL_TIMER', 0xed: 'HYPERV_STIMER0', 0xee: 'HYPERV_REENLIGHTENMENT', 0xef: 'MANAGED_IRQ_SHUTDOWN',
  0xf0: 'POSTED_INTR_NESTED', 0xf1: 'POSTED_INTR_WAKEUP', 0xf2: 'POSTED_INTR', 0xf3: 'HYPERVISOR_CALLBACK',
  0xf4: 'DEFERRED_ERROR', 0xf5: 'PERF_GUEST_MEDIATED_PMI', 0xf6: 'IRQ_WORK', 0xf7: 'X86_PLATFORM_IPI',
  0xf8: 'REBOOT', 0xf9: 'THRESHOLD_APIC', 0xfa: 'THERMAL_APIC', 0xfb: 'CALL_FUNCTION_SINGLE',
  0xfc: 'CALL_FUNCTION', 0xfd: 'RESCHEDULE', 0xfe: 'ERROR_APIC', 0xff: 'SPURIOUS_APIC',
};
