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
}

export const KERNEL_PROFILES: Readonly<Record<KernelVersion, KernelProfile>> = {
  '6.1': { version: '6.1', elixirTag: 'v6.1', pciMsiModel: 'v1', firstSystemVector: 0xec, groupCpusByCluster: false },
  '6.12': { version: '6.12', elixirTag: 'v6.12', pciMsiModel: 'v2', firstSystemVector: 0xeb, groupCpusByCluster: false },
  '7.2': { version: '7.2', elixirTag: 'v7.2', pciMsiModel: 'v2', firstSystemVector: 0xeb, groupCpusByCluster: true },
};

export function kernelProfile(v: KernelVersion | undefined): KernelProfile {
  return KERNEL_PROFILES[v ?? DEFAULT_KERNEL];
}
