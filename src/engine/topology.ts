// The CPU topology a machine presents to the kernel (clusters, SMT siblings), as
// topology_cluster_cpumask() and topology_sibling_cpumask() report it.

import { type CpuTopology, flatTopology } from './core/affinity';
import type { MachineSpec } from './types';

/**
 * x86: the cluster is the set of CPUs sharing an L2 (cpu_l2c_shared_mask); without SMT every
 * CPU has its own, as QEMU's -cpu max gives a TCG guest. arm64: the CPUs of one cluster
 * (cpu_topology[].cluster_sibling), all of them on QEMU virt.
 */
export function cpuTopology(spec: MachineSpec): CpuTopology {
  const flat = flatTopology(spec.cpus);
  if (spec.arch === 'arm64') return { cluster: new Array<number>(spec.cpus).fill(0), core: flat.core };
  return flat;
}
