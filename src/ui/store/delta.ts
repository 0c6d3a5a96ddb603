// The page's side of the state deltas: applies a StateDelta from the worker to the Snapshot the
// store holds and gives the next one (a new object; the old one is left as it was, so whoever
// still holds it — the travel's "before" — sees it unchanged). Unchanged parts are the same
// objects as before, so a panel that draws only devices does not redraw when only a CPU changed.
//
// Kept apart from commands.ts so the delta protocol is unit-tested without a worker
// (delta.test.ts holds it to the engine's full view after random action sequences).

import type { CpuView, DeviceView, MachineView, Snapshot, StateDelta, VectorCells } from '../../worker/protocol';
import { mergeIrqs } from '../../engine/mergeIrqs';

/** Whether `d` follows from `s` (a full delta follows from anything). */
export function follows(s: Snapshot | null, d: StateDelta): boolean {
  return d.full || (s !== null && s.epoch === d.epoch && s.gen === d.from);
}


function applyView(prev: MachineView | null, d: StateDelta['view']): MachineView {
  const base: MachineView = d.full || !prev
    ? { arch: d.arch ?? 'x86', cpus: [], remap: d.remap ?? 'none', domains: [], irqs: [], devices: [], log: [], matrix: null }
    : prev;
  const next: MachineView = { ...base };
  if (d.cpus) {
    const cpus: CpuView[] = base.cpus.slice(0, d.cpus.count);
    for (const c of d.cpus.set) cpus[c.cpu] = c;
    next.cpus = cpus;
  }
  if (d.domains) next.domains = d.domains;
  if (d.irqs) next.irqs = d.full ? d.irqs.set : mergeIrqs(base.irqs, d.irqs.set, d.irqs.removed);
  if (d.devices) {
    const byName = new Map<string, DeviceView>(base.devices.map((x) => [x.name, x]));
    for (const x of d.devices.set) byName.set(x.name, x);
    next.devices = d.devices.names.map((n) => byName.get(n)!).filter(Boolean);
  }
  if (d.log) next.log = d.log.keep === base.log.length && d.log.add.length === 0 ? base.log : [...base.log.slice(0, d.log.keep), ...d.log.add];
  if (d.matrix !== undefined) next.matrix = d.matrix;
  return next;
}

function applyCells(prev: VectorCells | null, d: StateDelta): VectorCells | null {
  if (d.cells === undefined) return d.full ? null : prev;
  if (d.cells === null) return null;
  const { cpus, vectors, rows, states } = d.cells;
  // Copy on write: the previous snapshot keeps its cells.
  const full = d.full || !prev || prev.cpus !== cpus || prev.vectors !== vectors;
  const out = full ? new Uint8Array(cpus * vectors) : prev.states.slice();
  for (let i = 0; i < rows.length; i++) out.set(states.subarray(i * vectors, (i + 1) * vectors), rows[i] * vectors);
  const seq = (prev?.seq ?? 0) + 1;
  return { cpus, vectors, states: out, seq, ...(full ? {} : { dirty: Array.from(rows) }) };
}

/** The snapshot after `d` (check `follows(s, d)` first: a delta applied to another state is wrong). */
export function applyDelta(s: Snapshot | null, d: StateDelta): Snapshot {
  const prev = d.full ? null : s;
  return {
    step: d.step,
    view: applyView(prev?.view ?? null, d.view),
    cells: applyCells(prev?.cells ?? null, d),
    proc: d.proc,
    its: d.its !== undefined ? d.its : (prev?.its ?? null),
    epoch: d.epoch,
    gen: d.gen,
  };
}
