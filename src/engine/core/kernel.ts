// The kernel-wide state every model function sees: CPUs, the descriptor table, the domain
// list, the log and the tracer. Architecture state hangs off the domains that own it.

import type { Tracer } from './trace';
import type { IrqDesc } from './irqdesc';
import type { VirqSpace } from './irqdesc';
import type { IrqDomain } from './irqdomain';
import type { MsiMsg } from './chip';
import type { Hop } from '../view';
import type { KernelProfile } from '../profiles';
import type { CpuTopology } from './affinity';

export interface KernelLogLine {
  level: 'info' | 'warn' | 'err' | 'crit' | 'emerg';
  text: string;
}

export interface Kernel {
  t: Tracer;
  /** The kernel version's facts (src/engine/profiles.ts). */
  profile: KernelProfile;
  /** Clusters and SMT siblings, as group_cpus_evenly() sees them. */
  topology: CpuTopology;
  nrCpus: number;
  cpuOnline(cpu: number): boolean;
  onlineCpus(): number[];
  /** irq_default_affinity: all possible CPUs. */
  defaultAffinity(): number[];
  descs: Map<number, IrqDesc>;
  virqs: VirqSpace;
  /** arch_dynirq_lower_bound(): dynamic virqs start here (above the IO-APIC GSIs on x86). */
  dynirqLowerBound: number;
  /** Every registered domain, in creation order. */
  domains: IrqDomain[];
  /** printk(): the line goes to the machine log and into the trace. */
  log(level: KernelLogLine['level'], text: string): void;
  /** generic_handle_irq() on `cpu`: run the flow handler as if the interrupt arrived there. */
  genericHandleIrq(desc: IrqDesc, cpu: number): void;
  /** The platform receives a device's MSI write (x86: remapping/APIC; arm64: the ITS). */
  deliverMsi(requester: string, msg: MsiMsg): void;
  /**
   * The hard-interrupt context being handled (smp_processor_id() and the vector that arrived),
   * set by common_interrupt() around the flow handler; null or absent in process context.
   */
  irqContext?: { cpu: number; vector: number } | null;
  /** Record a stage of an interrupt's trip (kept only while tracing). */
  hop(h: Hop): void;
  /** The widest chip name irq_domain_set_hwirq_and_chip() has set since boot (7.2's /proc chip column). */
  procChipWidth?: number;
  /** Drivers' CPU hotplug callbacks (cpuhp_setup_state_multi instances), in registration order. */
  cpuhp?: CpuhpInstance[];
}

/** One driver instance's CPU hotplug callbacks (kernel/cpu.c states it registered for). */
export interface CpuhpInstance {
  /** Who registered it, for traces ("virtio_net virtio0"). */
  name: string;
  /** CPUHP_AP_ONLINE_DYN startup: the CPU is online. */
  online?(cpu: number): void;
  /** CPUHP_AP_ONLINE_DYN teardown: the CPU is about to go. */
  downPrep?(cpu: number): void;
  /** A *_DEAD state: the CPU is gone. */
  dead?(cpu: number): void;
}
