// The page's side of the state deltas: applies a StateDelta from the worker to the Snapshot the
// store holds and gives the next one (a new object; the old one is left as it was, so whoever
// still holds it — the travel's "before" — sees it unchanged). Unchanged parts are the same
// objects as before, so a panel that draws only devices does not redraw when only a CPU changed.
//
// Kept apart from commands.ts so the delta protocol is unit-tested without a worker
// (delta.test.ts holds it to the engine's full view after random action sequences).

import type { MachineView, Snapshot, StateDelta, VectorCells } from '../../worker/protocol';
import { applyViewDelta } from '../../engine/applyViewDelta';

/** Whether `d` follows from `s` (a full delta follows from anything). */
export function follows(s: Snapshot | null, d: StateDelta): boolean {
  return d.full || (s !== null && s.epoch === d.epoch && s.gen === d.from);
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
    view: applyViewDelta<MachineView>(prev?.view ?? null, d.view),
    cells: applyCells(prev?.cells ?? null, d),
    proc: d.proc,
    its: d.its !== undefined ? d.its : (prev?.its ?? null),
    epoch: d.epoch,
    gen: d.gen,
  };
}
