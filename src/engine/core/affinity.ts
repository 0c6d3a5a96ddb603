// Models kernel/irq/affinity.c (irq_create_affinity_masks, irq_calc_affinity_vectors) and
// lib/group_cpus.c group_cpus_evenly() for a single NUMA node.

import { kernelSort } from './sort';
import type { IrqAffinityDesc } from './irqdomain';

/** struct irq_affinity: vectors before/after the spread set keep the default affinity. */
export interface IrqAffinity {
  preVectors: number;
  postVectors: number;
  /**
   * nr_sets / set_size[]: the sets a driver's calc_sets() splits the spread vectors into (NVMe:
   * default, read and poll queues), each spread over all CPUs on its own. Absent: one set.
   */
  setSizes?: readonly number[];
}

/** IRQ_AFFINITY_MAX_SETS */
export const IRQ_AFFINITY_MAX_SETS = 4;

/**
 * The CPU topology group_cpus_evenly() reads: per CPU its cluster (topology_cluster_cpumask:
 * CPUs sharing an L2 on x86, a cluster on arm64) and its core (topology_sibling_cpumask: SMT
 * siblings). One NUMA node.
 */
export interface CpuTopology {
  cluster: readonly number[];
  core: readonly number[];
}

/** Every CPU its own core and cluster: what QEMU's -cpu max gives an x86 guest under TCG. */
export function flatTopology(nrCpus: number): CpuTopology {
  const ids = Array.from({ length: nrCpus }, (_, i) => i);
  return { cluster: ids, core: ids };
}

/** struct node_groups: id and, sharing one word, the CPU count and then the group count. */
interface NodeGroups {
  id: number;
  ncpus: number;
  ngroups: number;
}

/** grp_spread_init_one(): take the first CPUs of `nmsk`, each with its SMT siblings first. */
function grpSpreadInitOne(group: number[], nmsk: Set<number>, cpusPerGrp: number, topo: CpuTopology): void {
  while (cpusPerGrp > 0) {
    if (!nmsk.size) return;
    const cpu = Math.min(...nmsk);
    nmsk.delete(cpu);
    group.push(cpu);
    cpusPerGrp--;
    for (let sibl = 0; sibl < topo.core.length && cpusPerGrp > 0; sibl++) {
      if (topo.core[sibl] !== topo.core[cpu] || !nmsk.delete(sibl)) continue;
      group.push(sibl);
      cpusPerGrp--;
    }
  }
}

/** alloc_groups_to_nodes(): sort by CPU count (the kernel's unstable sort), then share out. */
function allocGroupsToNodes(numgrps: number, numcpus: number, groups: NodeGroups[]): void {
  kernelSort(groups, (a, b) => a.ncpus - b.ncpus);
  let remaining = numcpus;
  for (const g of groups) {
    const ngroups = Math.max(1, Math.floor((numgrps * g.ncpus) / remaining));
    g.ngroups = ngroups;
    remaining -= g.ncpus;
    numgrps -= ngroups;
  }
}

/** assign_cpus_to_groups(): consecutive CPUs, the first (ncpus % ngroups) groups one larger. */
function assignCpusToGroups(ncpus: number, nmsk: Set<number>, ngroups: number, masks: number[][], cur: { grp: number }, lastGrp: number, topo: CpuTopology): void {
  let extra = ncpus - ngroups * Math.floor(ncpus / ngroups);
  for (let v = 0; v < ngroups; v++, cur.grp++) {
    let perGrp = Math.floor(ncpus / ngroups);
    if (extra) {
      perGrp++;
      extra--;
    }
    if (cur.grp >= lastGrp) cur.grp = 0;
    grpSpreadInitOne(masks[cur.grp], nmsk, perGrp, topo);
  }
}

/**
 * __try_group_cluster_cpus() (lib/group_cpus.c since the cluster-aware grouping): the node's
 * clusters, in the order of their first CPU, sorted by size, each gets its share of groups.
 * False when the CPUs have no cluster or there are more clusters than groups.
 */
function tryGroupClusterCpus(nodeCpus: number[], ngroups: number, masks: number[][], cur: { grp: number }, lastGrp: number, topo: CpuTopology): boolean {
  const clusters: number[][] = [];
  const left = new Set(nodeCpus);
  while (left.size) {
    const first = Math.min(...left);
    const members = topo.cluster.map((c, cpu) => (c === topo.cluster[first] ? cpu : -1)).filter((c) => c >= 0);
    for (const c of members) left.delete(c);
    clusters.push(members);
  }
  if (clusters.length === 0 || clusters.length > ngroups) return false;
  const groups: NodeGroups[] = clusters.map((m, id) => ({ id, ncpus: m.filter((c) => nodeCpus.includes(c)).length, ngroups: 0 }));
  allocGroupsToNodes(ngroups, nodeCpus.length, groups);
  for (const g of groups) {
    const nmsk = new Set(clusters[g.id].filter((c) => nodeCpus.includes(c)));
    if (!nmsk.size) continue;
    assignCpusToGroups(nmsk.size, nmsk, g.ngroups, masks, cur, lastGrp, topo);
  }
  return true;
}

/** __group_cpus_evenly() for one NUMA node: the groups it filled. */
function groupCpusEvenlyStage(startgrp: number, numgrps: number, cpus: number[], masks: number[][], topo: CpuTopology, byCluster: boolean): number {
  if (!cpus.length) return 0;
  const cur = { grp: startgrp };
  // One node: with one group it takes every CPU.
  if (numgrps <= 1) {
    masks[cur.grp].push(...cpus);
    return numgrps;
  }
  const ngroups = Math.min(cpus.length, numgrps);
  if (byCluster && tryGroupClusterCpus(cpus, ngroups, masks, cur, numgrps, topo)) return ngroups;
  assignCpusToGroups(cpus.length, new Set(cpus), ngroups, masks, cur, numgrps, topo);
  return ngroups;
}

/**
 * group_cpus_evenly() (lib/group_cpus.c; kernel/irq/affinity.c's irq_build_affinity_masks()
 * in 6.1): present CPUs first, then the possible ones not present, one NUMA node. With
 * `byCluster` (the cluster-aware grouping) each cluster gets whole groups, and the kernel's
 * heapsort of equal-sized clusters decides their order: on four one-CPU clusters the groups go
 * to CPUs 1, 3, 2, 0.
 */
export function groupCpusEvenly(numgrps: number, present: readonly number[], topo: CpuTopology = flatTopology(present.length), byCluster = false, possible: readonly number[] = present): number[][] {
  const masks: number[][] = Array.from({ length: numgrps }, () => []);
  const nrPresent = groupCpusEvenlyStage(0, numgrps, [...present], masks, topo, byCluster);
  const others = possible.filter((c) => !present.includes(c));
  groupCpusEvenlyStage(nrPresent >= numgrps ? 0 : nrPresent, numgrps, others, masks, topo, byCluster);
  for (const m of masks) m.sort((a, b) => a - b);
  return masks;
}

/** irq_calc_affinity_vectors(): pre + post + min(#possible CPUs, max - pre - post). */
export function irqCalcAffinityVectors(minvec: number, maxvec: number, affd: IrqAffinity, nrCpus: number): number {
  const resv = affd.preVectors + affd.postVectors;
  if (resv > minvec) return 0;
  // With calc_sets the driver splits whatever it gets: every vector up to maxvec may be spread.
  const setVecs = affd.setSizes ? maxvec - resv : nrCpus;
  return resv + Math.min(setVecs, maxvec - resv);
}

/** irq_create_affinity_masks(): pre/post vectors default and unmanaged, the rest spread and managed. */
export function irqCreateAffinityMasks(nvec: number, affd: IrqAffinity, possible: readonly number[], topo?: CpuTopology, byCluster = false): IrqAffinityDesc[] {
  const out: IrqAffinityDesc[] = [];
  const affvecs = nvec > affd.preVectors + affd.postVectors ? nvec - affd.preVectors - affd.postVectors : 0;
  for (let i = 0; i < affd.preVectors && out.length < nvec; i++) out.push({ mask: [...possible], isManaged: false });
  // Each set is spread over all CPUs on its own; a group left without CPUs keeps the default
  // affinity, as do spread vectors no set took (still managed).
  // A scenario's fixed sizes stand for calc_sets(): taken in order, as far as the vectors go.
  let left = affvecs;
  for (const want of affvecs ? affd.setSizes ?? [affvecs] : []) {
    const size = Math.min(want, left);
    left -= size;
    if (size) for (const g of groupCpusEvenly(size, possible, topo, byCluster)) out.push({ mask: g.length ? g : [...possible], isManaged: true });
  }
  while (out.length < nvec - affd.postVectors) out.push({ mask: [...possible], isManaged: true });
  while (out.length < nvec) out.push({ mask: [...possible], isManaged: false });
  return out;
}
