// Models kernel/irq/affinity.c (irq_create_affinity_masks, irq_calc_affinity_vectors) and
// lib/group_cpus.c group_cpus_evenly() for a single NUMA node.

import type { IrqAffinityDesc } from './irqdomain';

/** struct irq_affinity: vectors before/after the spread set keep the default affinity. */
export interface IrqAffinity {
  preVectors: number;
  postVectors: number;
}

/**
 * group_cpus_evenly(): split the CPUs into `numgrps` groups of consecutive CPUs, the first
 * (ncpus % numgrps) groups one CPU larger; with more groups than CPUs, one CPU per group
 * and the surplus groups get the CPUs again from the start.
 */
export function groupCpusEvenly(numgrps: number, cpus: readonly number[]): number[][] {
  const groups: number[][] = Array.from({ length: numgrps }, () => []);
  const ncpus = cpus.length;
  if (numgrps >= ncpus) {
    for (let g = 0; g < numgrps; g++) groups[g].push(cpus[g % ncpus]);
    return groups;
  }
  const per = Math.floor(ncpus / numgrps);
  let extra = ncpus - numgrps * per;
  let c = 0;
  for (let g = 0; g < numgrps; g++) {
    let n = per;
    if (extra) {
      n++;
      extra--;
    }
    for (let i = 0; i < n; i++) groups[g].push(cpus[c++]);
  }
  return groups;
}

/** irq_calc_affinity_vectors(): pre + post + min(#possible CPUs, max - pre - post). */
export function irqCalcAffinityVectors(minvec: number, maxvec: number, affd: IrqAffinity, nrCpus: number): number {
  const resv = affd.preVectors + affd.postVectors;
  if (resv > minvec) return 0;
  return resv + Math.min(nrCpus, maxvec - resv);
}

/** irq_create_affinity_masks(): pre/post vectors default and unmanaged, the rest spread and managed. */
export function irqCreateAffinityMasks(nvec: number, affd: IrqAffinity, possible: readonly number[]): IrqAffinityDesc[] {
  const out: IrqAffinityDesc[] = [];
  const affvecs = nvec > affd.preVectors + affd.postVectors ? nvec - affd.preVectors - affd.postVectors : 0;
  for (let i = 0; i < affd.preVectors && out.length < nvec; i++) out.push({ mask: [...possible], isManaged: false });
  if (affvecs) for (const g of groupCpusEvenly(affvecs, possible)) out.push({ mask: g, isManaged: true });
  while (out.length < nvec) out.push({ mask: [...possible], isManaged: false });
  return out;
}
