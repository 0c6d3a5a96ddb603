// The one file that imports the engine at run time. The worker host and the time line see
// only these functions, so a change in the engine's surface is a change here alone.

import { createMachine, type Machine } from '../engine/machine';
import { debugfsDomain, debugfsIrq, procInterrupts } from '../engine/render';
import { errnoName } from '../engine/core/errno';
import type { MachineSpec, MachineView, VectorCells } from './protocol';
import type { SimMachine } from './timeline';

/** The engine's machine as the time line drives it. */
export type AdaptedMachine = Machine & SimMachine;

export function createSimMachine(spec: MachineSpec): AdaptedMachine {
  // Traces are kept on: the event log shows the trace of every step, replayed ones included.
  return createMachine(spec, { trace: true });
}


export function withErrnoName<R extends { ok: boolean; errno?: number }>(r: R): R & { errnoName?: string } {
  return !r.ok && r.errno !== undefined ? { ...r, errnoName: errnoName(r.errno) } : r;
}

export function viewOf(m: AdaptedMachine): MachineView {
  return m.view();
}

export function procInterruptsText(m: AdaptedMachine): string {
  return procInterrupts(m);
}

export function debugfsIrqText(m: AdaptedMachine, virq: number): string {
  return debugfsIrq(m, virq) ?? `irq ${virq}: no such interrupt descriptor`;
}

export function debugfsDomainText(m: AdaptedMachine, name: string): string {
  return debugfsDomain(m, name) ?? `${name}: no such domain`;
}

/**
 * The matrix cell states of every (cpu, vector), from the VECTOR domain's own matrix
 * (IrqMatrix.fillCellStates). The render module has no vectorCells() yet; when it gets one,
 * call it here instead.
 */
export function vectorCellsOf(m: AdaptedMachine): VectorCells | null {
  const matrix = m.x86?.vector?.matrix;
  if (!matrix) return null;
  const vectors = matrix.info().matrixBits;
  const cpus = m.spec.cpus;
  const states = matrix.fillCellStates(new Uint8Array(cpus * vectors));
  return { cpus, vectors, states };
}
