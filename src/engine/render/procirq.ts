// Models kernel/irq/proc.c show_irq_affinity() and irq_effective_aff_list_proc_show(): the
// /proc/irq/N/smp_affinity_list and effective_affinity_list files, for each descriptor that has
// a /proc/irq/N directory.

import type { Machine } from '../machine';
import { IRQD, irqd } from '../core/irqdesc';

/** A CPU list as %*pbl prints it: runs as a-b, comma separated. */
export function cpuListText(cpus: readonly number[]): string {
  const s = [...cpus].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    parts.push(j > i ? `${s[i]}-${s[j]}` : `${s[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** irq → { smp_affinity_list, effective_affinity_list }, for every irq with a /proc/irq/N directory. */
export function procIrqAffinity(m: Machine): Map<number, { affinity: string; effective: string }> {
  const out = new Map<number, { affinity: string; effective: string }>();
  for (const desc of [...m.k.descs.values()].sort((a, b) => a.irq - b.irq)) {
    if (!desc.procDir) continue;
    const d = desc.irqData;
    // A move parked until the next interrupt (IRQD_SETAFFINITY_PENDING) shows its pending mask.
    const mask = irqd(d, IRQD.SETAFFINITY_PENDING) ? d.common.pendingMask : d.common.affinity;
    out.set(desc.irq, { affinity: cpuListText(mask), effective: cpuListText(d.common.effectiveAffinity) });
  }
  return out;
}
