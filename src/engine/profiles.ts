// The kernel versions the model reproduces, and what differs between them: one table of
// version facts that the engine reads (no version checks spread through the code). Each fact
// names the kernel change it comes from; the judge of each profile is that kernel booted in
// QEMU (conformance/fixtures).

import type { KernelVersion } from './types';

export const KERNEL_VERSIONS: readonly KernelVersion[] = ['6.1', '6.12', '7.2'];
export const DEFAULT_KERNEL: KernelVersion = '7.2';

export interface KernelProfile {
  version: KernelVersion;
  /** The Elixir tag for source links (https://elixir.bootlin.com/linux/<tag>/source/...). */
  elixirTag: string;
  /**
   * How dev_get_msi_domain() is set up for PCI: one global PCI-MSI domain per remapping unit
   * (before v6.2's per-device MSI domains reached x86 in v6.4/v6.5), or per-device domains.
   */
  pciMsiModel: 'v1' | 'v2';
  /** arch/x86/include/asm/irq_vectors.h: 0xec before v6.10, 0xeb from v6.10 (POSTED_MSI_NOTIFICATION). */
  firstSystemVector: number;
  /**
   * lib/group_cpus.c groups CPUs by cluster first (__try_group_cluster_cpus, after 6.12): with
   * one-CPU clusters the kernel's unstable sort orders them, so four managed queues on four
   * CPUs land on CPUs 1, 3, 2, 0 instead of 0, 1, 2, 3.
   */
  groupCpusByCluster: boolean;
  /** /proc/interrupts: how its rows are laid out (see ProcFacts). */
  proc: ProcFacts;
  /** /sys/kernel/debug/irq: which names and blocks the files print (see DebugfsFacts). */
  debugfs: DebugfsFacts;
  /** x86 IDT gates that are system vectors besides the APIC ones (see X86IdtFacts). */
  x86Idt: X86IdtFacts;
  /**
   * kernel/irq/chip.c + cpuhotplug.c (v6.16, disable depth kept across CPU hotplug): irq_shutdown()
   * adds one to the disable depth (before: sets it to 1), an aborted managed startup leaves depth 1,
   * and on CPU online irq_startup_managed() takes one back and starts the interrupt only at depth 0
   * (before: irq_startup() unconditionally). So disable_irq → cpu_down → cpu_up stays disabled.
   */
  managedShutdownKeepsDepth: boolean;
  /**
   * kernel/irq/msi.c (v6.16, msi_prepare at domain creation): msi_create_device_irq_domain() calls
   * msi_domain_prepare_irqs(domain, dev, hwsize) once into info->alloc_data, every allocation copies
   * it (populate_alloc_info()), and msi_remove_device_irq_domain() calls ops->msi_teardown — the ITS
   * creates its device (ITT for hwsize events) with the domain and frees it with the domain. Before:
   * msi_prepare per allocation, and its_irq_domain_free() freed the ITS device with its last LPI.
   */
  msiPrepareOnDomainCreate: boolean;
  /**
   * drivers/pci/msi/msi.c + irqdomain.c (v6.16): pci_setup_msi_device_domain(dev, nvec) sizes the
   * PCI/MSI device domain with pci_msi_vec_count() (the Multiple Message Capable count, before
   * maxvec caps it); before: hwsize 1.
   */
  pciMsiDomainVecCount: boolean;
  /**
   * drivers/irqchip/irq-msi-lib.c msi_lib_init_dev_msi_info(): 6.12 gives every child chip the
   * parent's irq_eoi and irq_ack; 7.2 only those msi_parent_ops.chip_flags name (the GICv3 ITS:
   * MSI_CHIP_FLAG_SET_EOI alone).
   */
  msiLibChipFlags: boolean;
  /**
   * kernel/irq/proc.c write_irq_affinity(): the errno a /proc/irq/N/smp_affinity(_list) write gets
   * for an interrupt user space may not move (managed, per-CPU, no balancing): -EIO in 6.1,
   * -EPERM since (the 6.12 and 7.2 captures print "Operation not permitted").
   */
  procAffinityRefused: number;
  /**
   * Debian's arm64 build of this kernel has virtio-pci built in (not a module) and probes the PL031
   * RTC before the PMU: at boot a virtio function's INTx is mapped, and the PMU's PPI comes after
   * the RTC (the 6.12 and 7.2 virt captures: 15 INTx, 16 rtc-pl031, 17 arm-pmu; 6.1: 14 arm-pmu).
   */
  arm64VirtioPciBuiltin: boolean;
  /**
   * drivers/irqchip/irq-gic-v3-its.c its_probe_one(): msi_domain_flags = ISOLATED_MSI |
   * MSI_IMMUTABLE (7.2; IRQ_DOMAIN_FLAG_MSI_IMMUTABLE does not exist in 6.12): the ITS domain reads
   * 0x923 in debugfs instead of 0x123.
   */
  itsMsiImmutable: boolean;
  /**
   * Where x86 requests the IOMMU's fault interrupt (dmar0): 6.1 from irq_remap_enable_fault_handling()
   * in apic_bsp_setup(), on the boot CPU alone; since, enable_drhd_fault_handling() is a per-node
   * CPU hotplug callback that skips an IOMMU whose node is not yet known, and intel_iommu_init()
   * requests it once all CPUs are up (drivers/iommu/intel/dmar.c, irq_remapping.c).
   */
  iommuFaultIrqAtBspSetup: boolean;
  /**
   * drivers/iommu/amd/init.c iommu_setup_intcapxt(): 6.1 requests one "AMD-Vi" interrupt for the
   * event, PPR and GA logs (all three INTCAPXT registers written alike); since, one each —
   * "AMD-Vi%d-Evt", "-PPR", "-GA", hwirq = its INTCAPXT register offset (0x170, 0x178, 0x180).
   */
  amdIommuIrqPerLog: boolean;
}

/**
 * How /proc/interrupts lays out its rows: kernel/irq/proc.c for the irq rows,
 * arch/x86/kernel/irq.c and arch/arm64/kernel/smp.c (arch_show_interrupts) for the rest.
 */
export interface ProcFacts {
  /**
   * 'show_interrupts' (to 7.1 at least): the irq column "%*d: " is prec wide, prec = 3 plus one
   * per power of ten up to nr_irqs (j = 1000), recomputed on every read; then "%10u " per online
   * CPU, the chip as " %8s" (so a short name has two blanks before it) and the hwirq as " %*lu".
   * 'irq_seq_show' (7.2): prec starts at 4 (n = 10000) and never shrinks; "%*u:" then " %10u" per
   * online CPU, two blanks, the chip as "%-*s" padded to the longest chip name set since boot
   * (irq_proc_update_chip(), at least 8), one blank and the hwirq as "%*lu" (" %*s" of "" without
   * a domain).
   */
  show: 'show_interrupts' | 'irq_seq_show';
  /** 6.1: show_interrupts() also lists a descriptor with no action whose counts are not all zero. */
  listsCountsWithoutAction: boolean;
  /**
   * x86 arch_show_interrupts(). 'printf': one seq_printf per row, "%*s: " + "%10u " per CPU +
   * "  text", every configured row always, ERR and MIS as one total ("%*s: %10u"). 'irq_stat_info':
   * the irq_stat_info[] table, "%*s:" + " %10u" per CPU + "  text" (so " NMI:" at prec 4), every row
   * per CPU (ERR, MIS too), SPU/RTR/ERR/MIS hidden until first counted, DFR only on AMD/Hygon CPUs,
   * the VPMI row (PERF_GUEST_MEDIATED_PMI_VECTOR).
   */
  x86Arch: 'printf' | 'irq_stat_info';
  /** arm64 ipi_types[]: the IPI rows, IPI0 first (NR_IPI = 7 in 6.1, MAX_IPI = 8 since). */
  arm64Ipis: readonly string[];
  /**
   * arm64 IPI row. 'pad': "%*s%u:%s" (prec - 1 wide "IPI", a blank only when prec >= 4) + "%10u "
   * per CPU + "      %s". 'tight' (7.2): "%*s%u: " + "%10u " per CPU + " %s".
   */
  arm64IpiRow: 'pad' | 'tight';
}

/** What /sys/kernel/debug/irq/irqs/N and domains/NAME print (kernel/irq/debugfs.c, irqdomain.c, msi.c). */
export interface DebugfsFacts {
  /**
   * Before 6.13 "can move in process context" was the per-irq IRQ_MOVE_PCNTXT / IRQD_MOVE_PCNTXT
   * (set by the remapping drivers and HPET), and irqdata_states names IRQD_MOVE_PCNTXT (0x8000);
   * from 6.13 it is the chip flag IRQCHIP_MOVE_DEFERRED (0x1000) on the chips that cannot.
   */
  movePcntxt: boolean;
  /** irqdata_states names IRQD_RESEND_WHEN_IN_PROGRESS (v6.5). */
  resendWhenInProgress: boolean;
  /** irq_domain_debug_show_one() prints the IRQ_DOMAIN_FLAG_* names under the flags (not in 6.1). */
  domainFlagNames: boolean;
  /**
   * The enum of irq_domain flags (include/linux/irqdomain.h). 'msi-remap' (6.1): MSI_REMAP 0x20,
   * MSI_NOMASK_QUIRK 0x40, NO_MAP 0x80, no MSI_PARENT/MSI_DEVICE. 'destroy-gc' (6.12): ISOLATED_MSI
   * 0x20, NO_MAP 0x40, MSI_PARENT 0x100, MSI_DEVICE 0x200, DESTROY_GC 0x400. 'fwnode-parent' (7.2):
   * those and MSI_IMMUTABLE 0x800, FWNODE_PARENT 0x1000.
   */
  domainFlagBits: 'msi-remap' | 'destroy-gc' | 'fwnode-parent';
  /** msi_domain_debug_show(): an MSI level prints its cached message (address_hi/lo, msg_data). */
  msiMessage: boolean;
  /** status: carries _IRQ_PROC_VALID (IRQ_RESERVED, 0x400000) on an irq /proc/interrupts lists (7.2). */
  procValidStatus: boolean;
}

/**
 * x86 system vectors that are IDT gates other than the APIC ones (arch/x86/kernel/idt.c, the
 * configuration of Debian's build of each version): what lapic_assign_system_vectors() finds
 * in system_vectors besides the apic_idts and the legacy cascade.
 */
export interface X86IdtFacts {
  /**
   * Exception gates below 32: 0-19 always; 20 (#VE) with CONFIG_INTEL_TDX_GUEST (Debian 6.12+),
   * 21 (#CP) with CONFIG_X86_KERNEL_IBT / X86_CET (Debian 6.12+), 29 (#VC) with AMD_MEM_ENCRYPT.
   */
  exceptions: readonly number[];
  /** IRQ_MOVE_CLEANUP_VECTOR (0x20) is an APIC system vector (until v6.6, replaced by a timer). */
  moveCleanupVector: boolean;
  /** PERF_GUEST_MEDIATED_PMI_VECTOR (0xf5) is installed (7.2, CONFIG_GUEST_PERF_EVENTS). */
  perfGuestMediatedPmi: boolean;
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** arm64 ipi_types[] of 6.1 (NR_IPI = 7). */
const ARM64_IPIS_6_1 = [
  'Rescheduling interrupts', 'Function call interrupts', 'CPU stop interrupts',
  'CPU stop (for crash dump) interrupts', 'Timer broadcast interrupts', 'IRQ work interrupts',
  'CPU wake-up interrupts',
] as const;
/** arm64 ipi_types[] since the NMI IPIs (MAX_IPI = 8, every one printed). */
const ARM64_IPIS_MAX = [
  'Rescheduling interrupts', 'Function call interrupts', 'CPU stop interrupts', 'CPU stop NMIs',
  'Timer broadcast interrupts', 'IRQ work interrupts', 'CPU backtrace interrupts', 'KGDB roundup interrupts',
] as const;

const PROC_6_1: ProcFacts = { show: 'show_interrupts', listsCountsWithoutAction: true, x86Arch: 'printf', arm64Ipis: ARM64_IPIS_6_1, arm64IpiRow: 'pad' };
const PROC_6_12: ProcFacts = { show: 'show_interrupts', listsCountsWithoutAction: false, x86Arch: 'printf', arm64Ipis: ARM64_IPIS_MAX, arm64IpiRow: 'pad' };
const PROC_7_2: ProcFacts = { show: 'irq_seq_show', listsCountsWithoutAction: false, x86Arch: 'irq_stat_info', arm64Ipis: ARM64_IPIS_MAX, arm64IpiRow: 'tight' };

const DEBUGFS_6_1: DebugfsFacts = {
  movePcntxt: true, resendWhenInProgress: false, domainFlagNames: false, domainFlagBits: 'msi-remap', msiMessage: false, procValidStatus: false,
};
const DEBUGFS_6_12: DebugfsFacts = {
  movePcntxt: true, resendWhenInProgress: true, domainFlagNames: true, domainFlagBits: 'destroy-gc', msiMessage: false, procValidStatus: false,
};
const DEBUGFS_7_2: DebugfsFacts = {
  movePcntxt: false, resendWhenInProgress: true, domainFlagNames: true, domainFlagBits: 'fwnode-parent', msiMessage: true, procValidStatus: true,
};

const IDT_6_1: X86IdtFacts = { exceptions: [...range(0, 19), 29], moveCleanupVector: true, perfGuestMediatedPmi: false };
const IDT_6_12: X86IdtFacts = { exceptions: [...range(0, 21), 29], moveCleanupVector: false, perfGuestMediatedPmi: false };
const IDT_7_2: X86IdtFacts = { exceptions: [...range(0, 21), 29], moveCleanupVector: false, perfGuestMediatedPmi: true };

export const KERNEL_PROFILES: Readonly<Record<KernelVersion, KernelProfile>> = {
  '6.1': { version: '6.1', elixirTag: 'v6.1', pciMsiModel: 'v1', firstSystemVector: 0xec, groupCpusByCluster: false,
    proc: PROC_6_1, debugfs: DEBUGFS_6_1, x86Idt: IDT_6_1,
    managedShutdownKeepsDepth: false, msiPrepareOnDomainCreate: false, pciMsiDomainVecCount: false, msiLibChipFlags: false,
    itsMsiImmutable: false, iommuFaultIrqAtBspSetup: true, amdIommuIrqPerLog: false, procAffinityRefused: -5, arm64VirtioPciBuiltin: false },
  '6.12': { version: '6.12', elixirTag: 'v6.12', pciMsiModel: 'v2', firstSystemVector: 0xeb, groupCpusByCluster: false,
    proc: PROC_6_12, debugfs: DEBUGFS_6_12, x86Idt: IDT_6_12,
    managedShutdownKeepsDepth: false, msiPrepareOnDomainCreate: false, pciMsiDomainVecCount: false, msiLibChipFlags: false,
    itsMsiImmutable: false, iommuFaultIrqAtBspSetup: false, amdIommuIrqPerLog: true, procAffinityRefused: -1, arm64VirtioPciBuiltin: true },
  '7.2': { version: '7.2', elixirTag: 'v7.2', pciMsiModel: 'v2', firstSystemVector: 0xeb, groupCpusByCluster: true,
    proc: PROC_7_2, debugfs: DEBUGFS_7_2, x86Idt: IDT_7_2,
    managedShutdownKeepsDepth: true, msiPrepareOnDomainCreate: true, pciMsiDomainVecCount: true, msiLibChipFlags: true,
    itsMsiImmutable: true, iommuFaultIrqAtBspSetup: false, amdIommuIrqPerLog: true, procAffinityRefused: -1, arm64VirtioPciBuiltin: true },
};

export function kernelProfile(v: KernelVersion | undefined): KernelProfile {
  return KERNEL_PROFILES[v ?? DEFAULT_KERNEL];
}

/**
 * One version fact as the UI shows it where the selected kernel behaves differently from the
 * others: "since 6.13: …" (or "before 6.13: …") and the source file, linked at each version.
 */
export interface KernelFact {
  /** The profile field it describes ("firstSystemVector", "proc.show"). */
  id: string;
  /** The mainline release that changed it; when `exact` is false, the first modelled version that has the change. */
  since: string;
  exact: boolean;
  /** The newer behaviour, one line. */
  text: string;
  /** The older behaviour, one line. */
  before: string;
  /** The source file that shows it (an Elixir path). */
  file: string;
  /** Whether a profile has the newer behaviour. */
  isNew(p: KernelProfile): boolean;
  /** The fact's value in a profile, as a short text. */
  value(p: KernelProfile): string;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

export const KERNEL_FACTS: readonly KernelFact[] = [
  {
    id: 'firstSystemVector', since: '6.10', exact: true, file: 'arch/x86/include/asm/irq_vectors.h',
    text: 'FIRST_SYSTEM_VECTOR is 0xeb (POSTED_MSI_NOTIFICATION_VECTOR): device vectors end at 0xea',
    before: 'FIRST_SYSTEM_VECTOR is 0xec (LOCAL_TIMER_VECTOR): device vectors go up to 0xeb',
    isNew: (p) => p.firstSystemVector === 0xeb, value: (p) => hex(p.firstSystemVector),
  },
  {
    id: 'x86Idt.moveCleanupVector', since: '6.6', exact: true, file: 'arch/x86/kernel/apic/vector.c',
    text: 'an old vector is freed by a per-CPU timer after a move; vector 0x20 is a device vector',
    before: 'IRQ_MOVE_CLEANUP_VECTOR (0x20) is a system vector: an IPI frees an old vector after a move',
    isNew: (p) => !p.x86Idt.moveCleanupVector, value: (p) => (p.x86Idt.moveCleanupVector ? 'IPI on 0x20' : 'timer'),
  },
  {
    id: 'x86Idt.perfGuestMediatedPmi', since: '7.2', exact: false, file: 'arch/x86/include/asm/irq_vectors.h',
    text: 'vector 0xf5 is PERF_GUEST_MEDIATED_PMI_VECTOR, counted in the VPMI row of /proc/interrupts',
    before: 'vector 0xf5 is unused (its IDT entry goes to the spurious handler)',
    isNew: (p) => p.x86Idt.perfGuestMediatedPmi, value: (p) => (p.x86Idt.perfGuestMediatedPmi ? 'PERF_GUEST_MEDIATED_PMI' : 'unused'),
  },
  {
    id: 'x86Idt.exceptions', since: '6.12', exact: false, file: 'arch/x86/kernel/idt.c',
    text: "Debian's build installs #VE (20, INTEL_TDX_GUEST) and #CP (21, X86_CET): both are system vectors",
    before: "Debian's build has no #VE or #CP gate: vectors 20 and 21 are not system vectors",
    isNew: (p) => p.x86Idt.exceptions.includes(21), value: (p) => p.x86Idt.exceptions.join(','),
  },
  {
    id: 'pciMsiModel', since: '6.12', exact: false, file: 'drivers/pci/msi/irqdomain.c',
    text: 'each PCI device gets its own MSI domain on an MSI parent (PCI-MSIX-<bdf>, hwirq = the vector index)',
    before: 'one global PCI-MSI domain per remapping unit (IR-PCI-MSI, hwirq encodes the requester ID)',
    isNew: (p) => p.pciMsiModel === 'v2', value: (p) => p.pciMsiModel,
  },
  {
    id: 'groupCpusByCluster', since: '7.2', exact: false, file: 'lib/group_cpus.c',
    text: 'managed queues are spread over CPU clusters first: with one-CPU clusters the order is the sort\'s (1, 3, 2, 0)',
    before: 'managed queues are spread over the CPUs of each node in order (0, 1, 2, 3)',
    isNew: (p) => p.groupCpusByCluster, value: (p) => (p.groupCpusByCluster ? 'by cluster' : 'by node'),
  },
  {
    id: 'proc.show', since: '7.2', exact: false, file: 'kernel/irq/proc.c',
    text: '/proc/interrupts numbers irqs at least 4 wide and pads the chip column to the longest chip name set since boot',
    before: '/proc/interrupts numbers irqs 3 wide below nr_irqs 1000 and right-aligns the chip in 8 columns after two blanks',
    isNew: (p) => p.proc.show === 'irq_seq_show', value: (p) => p.proc.show,
  },
  {
    id: 'proc.listsCountsWithoutAction', since: '6.12', exact: false, file: 'kernel/irq/proc.c',
    text: '/proc/interrupts leaves out an irq without handler, whatever its counts',
    before: '/proc/interrupts still lists an irq without handler while its counts are not all zero',
    isNew: (p) => !p.proc.listsCountsWithoutAction, value: (p) => (p.proc.listsCountsWithoutAction ? 'listed' : 'left out'),
  },
  {
    id: 'proc.x86Arch', since: '7.2', exact: false, file: 'arch/x86/kernel/irq.c',
    text: 'x86 rows come from irq_stat_info[]: aligned with the irq column, SPU/RTR/ERR/MIS hidden until counted, ERR and MIS per CPU, VPMI',
    before: 'every x86 row is always printed, ERR and MIS as one total each',
    isNew: (p) => p.proc.x86Arch === 'irq_stat_info', value: (p) => p.proc.x86Arch,
  },
  {
    id: 'proc.arm64Ipis', since: '6.12', exact: false, file: 'arch/arm64/kernel/smp.c',
    text: 'arm64 prints 8 IPI rows: CPU stop NMIs, CPU backtrace and KGDB roundup interrupts among them',
    before: 'arm64 prints 7 IPI rows: CPU stop (for crash dump) and CPU wake-up interrupts among them',
    isNew: (p) => p.proc.arm64Ipis.length === 8, value: (p) => `${p.proc.arm64Ipis.length} IPIs`,
  },
  {
    id: 'proc.arm64IpiRow', since: '7.2', exact: false, file: 'arch/arm64/kernel/smp.c',
    text: 'an arm64 IPI row starts "IPI0: " and has one blank before its name',
    before: 'an arm64 IPI row has six blanks before its name',
    isNew: (p) => p.proc.arm64IpiRow === 'tight', value: (p) => p.proc.arm64IpiRow,
  },
  {
    id: 'debugfs.movePcntxt', since: '6.13', exact: true, file: 'include/linux/irq.h',
    text: 'IRQCHIP_MOVE_DEFERRED marks the chips whose affinity changes wait for the next interrupt',
    before: 'IRQ_MOVE_PCNTXT / IRQD_MOVE_PCNTXT mark the interrupts that may move in process context (set by the remapping drivers)',
    isNew: (p) => !p.debugfs.movePcntxt, value: (p) => (p.debugfs.movePcntxt ? 'IRQD_MOVE_PCNTXT' : 'IRQCHIP_MOVE_DEFERRED'),
  },
  {
    id: 'debugfs.resendWhenInProgress', since: '6.5', exact: true, file: 'kernel/irq/debugfs.c',
    text: 'debugfs names IRQD_RESEND_WHEN_IN_PROGRESS',
    before: 'there is no IRQD_RESEND_WHEN_IN_PROGRESS',
    isNew: (p) => p.debugfs.resendWhenInProgress, value: (p) => String(p.debugfs.resendWhenInProgress),
  },
  {
    id: 'debugfs.domainFlagNames', since: '6.12', exact: false, file: 'kernel/irq/irqdomain.c',
    text: 'a debugfs domain file names its IRQ_DOMAIN_FLAG_* bits under the flags',
    before: 'a debugfs domain file prints its flags as a number only',
    isNew: (p) => p.debugfs.domainFlagNames, value: (p) => String(p.debugfs.domainFlagNames),
  },
  {
    id: 'debugfs.domainFlagBits', since: '6.12', exact: false, file: 'include/linux/irqdomain.h',
    text: 'IRQ_DOMAIN_FLAG_ISOLATED_MSI is 0x20, NO_MAP 0x40, MSI_PARENT 0x100, MSI_DEVICE 0x200',
    before: 'IRQ_DOMAIN_FLAG_MSI_REMAP is 0x20, MSI_NOMASK_QUIRK 0x40, NO_MAP 0x80; no MSI parent or device domains',
    isNew: (p) => p.debugfs.domainFlagBits !== 'msi-remap', value: (p) => p.debugfs.domainFlagBits,
  },
  {
    id: 'debugfs.msiMessage', since: '7.2', exact: false, file: 'kernel/irq/msi.c',
    text: 'debugfs prints the MSI message an interrupt last wrote (address_hi, address_lo, msg_data)',
    before: 'debugfs does not show MSI messages',
    isNew: (p) => p.debugfs.msiMessage, value: (p) => String(p.debugfs.msiMessage),
  },
  {
    id: 'debugfs.procValidStatus', since: '7.2', exact: false, file: 'kernel/irq/settings.h',
    text: 'an irq /proc/interrupts lists carries _IRQ_PROC_VALID (0x400000) in its debugfs status',
    before: 'the debugfs status has no /proc/interrupts bit',
    isNew: (p) => p.debugfs.procValidStatus, value: (p) => String(p.debugfs.procValidStatus),
  },
  {
    id: 'procAffinityRefused', since: '6.12', exact: false, file: 'kernel/irq/proc.c',
    text: 'writing smp_affinity of a managed (or per-CPU, no-balancing) interrupt fails with -EPERM',
    before: 'writing smp_affinity of a managed interrupt fails with -EIO',
    isNew: (p) => p.procAffinityRefused === -1, value: (p) => (p.procAffinityRefused === -1 ? '-EPERM' : '-EIO'),
  },
  {
    id: 'managedShutdownKeepsDepth', since: '6.16', exact: true, file: 'kernel/irq/chip.c',
    text: 'a managed interrupt shut down on CPU offline adds to its disable depth and irq_startup_managed() takes it back: disable_irq, cpu_down, cpu_up leaves it disabled',
    before: 'a managed interrupt shut down on CPU offline gets depth 1 and is started again on CPU online, even if it was disabled',
    isNew: (p) => p.managedShutdownKeepsDepth, value: (p) => (p.managedShutdownKeepsDepth ? 'depth kept' : 'depth reset'),
  },
  {
    id: 'msiPrepareOnDomainCreate', since: '6.16', exact: true, file: 'kernel/irq/msi.c',
    text: 'a per-device MSI domain prepares its device once, at creation (the ITS device and its ITT for hwsize events), and msi_teardown frees it with the domain',
    before: 'msi_prepare runs at every allocation; the ITS frees its device with the last LPI',
    isNew: (p) => p.msiPrepareOnDomainCreate, value: (p) => (p.msiPrepareOnDomainCreate ? 'at domain creation' : 'per allocation'),
  },
  {
    id: 'pciMsiDomainVecCount', since: '6.16', exact: true, file: 'drivers/pci/msi/irqdomain.c',
    text: "a PCI/MSI device domain is sized with the device's MSI vector count (pci_msi_vec_count())",
    before: 'a PCI/MSI device domain has hwsize 1',
    isNew: (p) => p.pciMsiDomainVecCount, value: (p) => (p.pciMsiDomainVecCount ? 'vector count' : '1'),
  },
  {
    id: 'msiLibChipFlags', since: '7.2', exact: false, file: 'drivers/irqchip/irq-msi-lib.c',
    text: "msi-lib gives a child chip only the parent callbacks its msi_parent_ops.chip_flags name (the ITS: irq_eoi, no irq_ack)",
    before: "msi-lib gives every child chip the parent's irq_eoi and irq_ack",
    isNew: (p) => p.msiLibChipFlags, value: (p) => (p.msiLibChipFlags ? 'chip_flags' : 'eoi + ack'),
  },
  {
    id: 'itsMsiImmutable', since: '7.2', exact: false, file: 'drivers/irqchip/irq-gic-v3-its.c',
    text: 'the ITS domain is IRQ_DOMAIN_FLAG_MSI_IMMUTABLE too (its flags read 0x923)',
    before: 'the ITS domain flags read 0x123 (there is no IRQ_DOMAIN_FLAG_MSI_IMMUTABLE)',
    isNew: (p) => p.itsMsiImmutable, value: (p) => (p.itsMsiImmutable ? 'MSI_IMMUTABLE' : '-'),
  },
  {
    id: 'iommuFaultIrqAtBspSetup', since: '6.12', exact: false, file: 'drivers/iommu/intel/dmar.c',
    text: "the IOMMU fault interrupt (dmar0) is requested from intel_iommu_init(), once all CPUs are up",
    before: 'the IOMMU fault interrupt (dmar0) is requested in apic_bsp_setup(), on the boot CPU alone',
    isNew: (p) => !p.iommuFaultIrqAtBspSetup, value: (p) => (p.iommuFaultIrqAtBspSetup ? 'apic_bsp_setup' : 'intel_iommu_init'),
  },
  {
    id: 'amdIommuIrqPerLog', since: '6.12', exact: false, file: 'drivers/iommu/amd/init.c',
    text: 'an AMD IOMMU in x2APIC mode has one IOMMU-MSI interrupt per log: AMD-Vi0-Evt, AMD-Vi0-PPR, AMD-Vi0-GA',
    before: 'an AMD IOMMU in x2APIC mode has one IOMMU-MSI interrupt, "AMD-Vi", for its event, PPR and GA logs',
    isNew: (p) => p.amdIommuIrqPerLog, value: (p) => (p.amdIommuIrqPerLog ? 'one per log' : 'one'),
  },
];

/** The Elixir link of a source file at a profile's version. */
export function elixirUrl(p: KernelProfile, file: string): string {
  return `https://elixir.bootlin.com/linux/${p.elixirTag}/source/${file}`;
}

/**
 * The facts in which a profile differs from at least one other modelled version, each with the
 * one line the trace and the inspector show ("since 6.13: …" / "before 6.13: …") and the links
 * of its source file at every version.
 */
export function kernelFactsDiffering(p: KernelProfile): { fact: KernelFact; line: string; urls: Record<KernelVersion, string> }[] {
  const out: { fact: KernelFact; line: string; urls: Record<KernelVersion, string> }[] = [];
  for (const f of KERNEL_FACTS) {
    const mine = f.value(p);
    if (KERNEL_VERSIONS.every((v) => f.value(KERNEL_PROFILES[v]) === mine)) continue;
    // Not known to the release: the change lies between the previous modelled version and this one.
    const prev = KERNEL_VERSIONS[KERNEL_VERSIONS.indexOf(f.since as KernelVersion) - 1];
    let line: string;
    if (f.exact || !prev) line = f.isNew(p) ? `since ${f.since}: ${f.text}` : `before ${f.since}: ${f.before}`;
    else line = f.isNew(p) ? `since a change between ${prev} and ${f.since}: ${f.text}` : `until a change between ${prev} and ${f.since}: ${f.before}`;
    const urls = Object.fromEntries(KERNEL_VERSIONS.map((v) => [v, elixirUrl(KERNEL_PROFILES[v], f.file)])) as Record<KernelVersion, string>;
    out.push({ fact: f, line, urls });
  }
  return out;
}
