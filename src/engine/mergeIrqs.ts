// One merge of an irq-ordered list with the entries a delta set and removed, shared by the page's
// store (src/ui/store/delta.ts) and the diff's live view (diff/live.ts). No imports: the page
// bundles it without the engine.

/** `prev` with `set` replacing or adding entries and `removed` dropped; both lists in irq order. */
export function mergeIrqs<T extends { virq: number }>(prev: readonly T[], set: readonly T[], removed: readonly number[]): T[] {
  const gone = new Set(removed);
  const out: T[] = [];
  let j = 0;
  for (const irq of prev) {
    while (j < set.length && set[j].virq < irq.virq) out.push(set[j++]);
    if (j < set.length && set[j].virq === irq.virq) {
      out.push(set[j++]);
      continue;
    }
    if (!gone.has(irq.virq)) out.push(irq);
  }
  while (j < set.length) out.push(set[j++]);
  return out;
}
