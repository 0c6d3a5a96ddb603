// The one file that imports the engine at run time. The worker host and the time line see
// only these functions, so a change in the engine's surface is a change here alone.

import { createMachine, type Machine } from '../engine/machine';
import { debugfsDomain, debugfsIrq, procInterrupts } from '../engine/render';
import { procLayout, procLayoutAgain, procLineOf, procLines, procSlices, type ProcLayout } from '../engine/render/procRows';
import { ViewTracker } from '../engine/delta';
import { errnoName } from '../engine/core/errno';
import { itsView } from '../engine/arch/arm64/platform';
import { roadDevicesView, type RoadDevicesView } from '../engine/roads/view';
import type { FullMachineView, ItsView, KernelFactLine, MachineSpec, VectorCells } from './protocol';
import type { SimMachine } from './timeline';

/** The engine's machine as the time line drives it. */
export type AdaptedMachine = Machine & SimMachine;

export { ViewTracker, procLayout, procLayoutAgain, procLineOf, procLines, procSlices, type ProcLayout };

export function createSimMachine(spec: MachineSpec): AdaptedMachine {
  // Traces are on: the event log shows the trace of every step. The time line turns them off
  // while it replays towards a step (setTrace), which is several times faster.
  const m = createMachine(spec, { trace: true }) as AdaptedMachine;
  m.setTrace = (on: boolean) => setTracing(m, on);
  return m;
}

/**
 * Switch call tracing of a machine. The engine reads its tracer's `on` flag at every call
 * site and at the start of every apply(), so flipping it between two actions is safe. When the
 * engine gets a public switch, call it here instead.
 */
export function setTracing(m: Machine, on: boolean): void {
  m.k.t.on = on;
}


export function withErrnoName<R extends { ok: boolean; errno?: number }>(r: R): R & { errnoName?: string } {
  return !r.ok && r.errno !== undefined ? { ...r, errnoName: errnoName(r.errno) } : r;
}

export function viewOf(m: AdaptedMachine): FullMachineView {
  return m.view();
}

/** The roads' mediated devices and logical functions (src/engine/roads). */
export function roadDevicesOf(m: AdaptedMachine): RoadDevicesView {
  return roadDevicesView(m.k);
}

/** How many commands the machine's ITS has been sent (-1: no ITS): its tables change only with one, or with an interrupt or CPU. */
export function itsCommandsSent(m: AdaptedMachine): number {
  const its = (m.platform as { its?: { cmdSeq?: number } }).its;
  return m.platform.arch === 'arm64' && typeof its?.cmdSeq === 'number' ? its.cmdSeq : -1;
}

/** The ITS tables and recent command queue (arm64); null on a machine without an ITS. */
export function itsOf(m: AdaptedMachine): ItsView | null {
  return itsView(m.platform);
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
export function vectorCellsOf(m: AdaptedMachine, into?: Uint8Array): VectorCells | null {
  // Machine.x86 throws on other architectures (arm64 has no vector matrix): ask the platform first.
  const matrix = m.platform.arch === 'x86' ? m.x86.vector?.matrix : undefined;
  if (!matrix) return null;
  const vectors = matrix.info().matrixBits;
  const cpus = m.spec.cpus;
  const buf = into && into.length === cpus * vectors ? into : new Uint8Array(cpus * vectors);
  const states = matrix.fillCellStates(buf);
  return { cpus, vectors, states };
}

// ---- compare and find (src/engine/diff) -------------------------------------------------------
export { buildSearchIndex, captureState, diffStates, searchIndex, traceLineRefs } from '../engine/diff';
export { IrqViews, LiveView } from '../engine/diff/live';
export type { MachineState, SearchIndex } from '../engine/diff';
import { kernelFactsDiffering, kernelProfile } from '../engine/profiles';
/** The Elixir tag of a kernel version (source links at that version). */
export const kernelProfileTag = (v: MachineSpec['kernel']): string => kernelProfile(v).elixirTag;
/** The facts where a kernel differs from the other modelled ones, with their links (KernelFactLine). */
export function kernelFactLines(v: MachineSpec['kernel']): KernelFactLine[] {
  const p = kernelProfile(v);
  return kernelFactsDiffering(p).map((d) => ({ id: d.fact.id, kernel: p.version, line: d.line, file: d.fact.file, urls: d.urls }));
}
