// The reader's side of a view delta (src/engine/delta.ts ViewDelta): one function shared by the
// page's store (src/ui/store/delta.ts) and the diff's live view (diff/live.ts). No imports: the
// page bundles it without the engine, and its types are structural so either side's view fits.

/** What a view has, as far as applying a delta goes. */
export interface DeltaView {
  arch: string;
  remap: string;
  cpus: readonly { cpu: number }[];
  domains: readonly unknown[];
  irqs: readonly { virq: number }[];
  devices: readonly { name: string }[];
  log: readonly unknown[];
  matrix: unknown;
}

/** A delta of a view of type V (ViewDelta for the engine's CompactView). */
export interface DeltaFor<V extends DeltaView> {
  full: boolean;
  arch?: V['arch'];
  remap?: V['remap'];
  cpus?: { count: number; set: V['cpus'] };
  domains?: V['domains'];
  irqs?: { set: V['irqs']; removed: readonly number[] };
  devices?: { set: V['devices']; names: readonly string[] };
  log?: { keep: number; add: V['log'] };
  matrix?: V['matrix'];
}

/**
 * The view after `d`: a new object; unchanged parts are the same objects as in `prev` (which is
 * left as it was), so a reader that draws only devices sees nothing new when only a CPU changed.
 */
export function applyViewDelta<V extends DeltaView>(prev: V | null, d: DeltaFor<V>): V {
  const base = d.full || !prev
    ? ({ arch: d.arch ?? 'x86', cpus: [], remap: d.remap ?? 'none', domains: [], irqs: [], devices: [], log: [], matrix: null } as unknown as V)
    : prev;
  const next: V = { ...base };
  if (d.arch !== undefined) next.arch = d.arch;
  if (d.remap !== undefined) next.remap = d.remap;
  if (d.cpus) {
    const cpus = base.cpus.slice(0, d.cpus.count);
    for (const c of d.cpus.set) cpus[c.cpu] = c;
    next.cpus = cpus as V['cpus'];
  }
  if (d.domains) next.domains = d.domains;
  if (d.irqs) next.irqs = (d.full ? d.irqs.set.slice() : mergeIrqs(base.irqs, d.irqs.set, d.irqs.removed)) as V['irqs'];
  if (d.devices) {
    const byName = new Map<string, V['devices'][number]>(base.devices.map((x) => [x.name, x]));
    for (const x of d.devices.set) byName.set(x.name, x);
    next.devices = d.devices.names.map((n) => byName.get(n)!).filter(Boolean) as V['devices'];
  }
  if (d.log) next.log = (d.log.keep === base.log.length && d.log.add.length === 0 ? base.log : [...base.log.slice(0, d.log.keep), ...d.log.add]) as V['log'];
  if (d.matrix !== undefined) next.matrix = d.matrix;
  return next;
}

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
