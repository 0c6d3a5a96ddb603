// The typed message protocol between the page and the engine worker. Everything that
// crosses the boundary is plain, structured-cloneable data: no classes, Maps or functions.

import type { Action, MachineSpec, Scenario } from '../scenario/types';
import type { ActionResult, MachineView } from '../engine/view';

export type { Action, MachineSpec, Scenario, ActionResult, MachineView };
export type { TraceNode } from '../engine/core/trace';
export type {
  CpuView, DeviceView, DomainView, ImsView, IrqLevelView, IrqView, MsiEntryView, MsiStoreView,
} from '../engine/view';
export type { ItsDeviceView, ItsEventView, ItsView } from '../engine/arch/arm64/platform';
import type { ItsView } from '../engine/arch/arm64/platform';

// "Open your machine" (src/import, src/worker/import.ts): an imported capture and its simulation.
import type { ImportedMachine } from '../import/types';
export type { ImportedMachine };
export type ImportReply =
  | {
      ok: true;
      machine: ImportedMachine;
      simulation: { ok: true; scenario: Scenario; reconstructed: string[] } | { ok: false; reason: string };
    }
  | { ok: false; error: string; line: number | null };

/**
 * An engine result plus its errno's kernel name ("-ENOSPC"), filled in by the worker.
 * `traceOmitted`: a load keeps the call traces of its last steps only (`traceAt(step)` gives any
 * other one): a long scenario's traces would not fit in memory at once.
 */
export type ResultView = ActionResult & { errnoName?: string; traceOmitted?: true };

/** How far a long load has got (`load`'s onProgress). */
export interface LoadProgress {
  done: number;
  total: number;
}

/** One step of the scenario: the action and what the kernel answered. */
export interface StepRecord {
  action: Action;
  result: ResultView;
}

/**
 * Per-(cpu, vector) cell states of the x86 vector matrix, row-major
 * (`states[cpu * vectors + vector]`), with the engine's `Cell` codes (see cells.ts).
 * null on architectures without a vector matrix.
 */
export interface VectorCells {
  cpus: number;
  vectors: number;
  states: Uint8Array;
}

/** Everything the panels draw for one state of the machine. */
export interface Snapshot {
  /** How many of the scenario's actions have been applied (0 = freshly booted machine). */
  step: number;
  view: MachineView;
  cells: VectorCells | null;
  proc: string;
  /** arm64: the ITS device table, ITTs, collections and recent command queue; null elsewhere. */
  its: ItsView | null;
}

/** The snapshot at a step, with the result of that step's action when it was applied again. */
export interface GotoReply extends Snapshot {
  /**
   * The result (with its call trace) of action `step`, applied again to reach this state;
   * null when the jump did not apply it (step 0, or the machine was already there).
   */
  result: ResultView | null;
}

export interface LoadReply extends Snapshot {
  /** One record per scenario action, in order (replayed from a fresh machine). */
  records: StepRecord[];
  /**
   * Names this load. In the worker the new machine replaces the old one only once this reply
   * has been delivered to the page; a reply that cannot be sent leaves the old machine.
   */
  loadToken: number;
}

/** Call traces kept in a load's records: those of the last this many steps. */
export const LOAD_TRACES_KEPT = 32;

/** The result and the snapshot after it (`view` is unchanged when the action was refused). */
export interface ApplyReply extends Snapshot {
  result: ResultView;
  /** true when the action became a step (it succeeded); refused actions are not recorded. */
  recorded: boolean;
  /** How many tail steps were cut to apply it (applying at step k < end cuts k+1…end). */
  cut: number;
}

// ---- compare and find (src/engine/diff) ----------------------------------------------------------
export type {
  Change, ChangeKind, FieldChange, ObjectRef, SearchHit, SearchTarget, StateDiff,
} from '../engine/diff';
import type { ObjectRef, SearchHit, StateDiff } from '../engine/diff';

/** One side of a diff: a step of the loaded scenario, or of another scenario (a paired machine). */
export interface DiffSide {
  step: number;
  /** Absent: the loaded scenario. */
  scenario?: Scenario;
  label?: string;
}

/** What a step's trace lines touched (line id → objects) and the kernel's Elixir tag. */
export interface TraceRefs {
  step: number;
  elixirTag: string;
  refs: Record<string, ObjectRef[]>;
}

/** The diff, search and trace ↔ state calls (src/engine/diff through the worker). */
export interface CompareApi {
  /** The engine's diff from state a to state b. */
  diff(a: DiffSide, b: DiffSide): Promise<StateDiff>;
  /** Search the shown step's state and the call traces the worker holds (this step's and earlier ones). */
  search(query: string, limit?: number): Promise<SearchHit[]>;
  /** The objects each trace line of step k (1…n) names, resolved against the state after step k. */
  traceRefs(step: number, scenario?: Scenario): Promise<TraceRefs | null>;
  /** The Elixir tag of the loaded machine's kernel ("v7.2"): source links at that version. */
  elixirTag(): Promise<string>;
}

/**
 * The worker's API. Every method returns a Promise (Comlink makes them so anyway).
 * The worker owns the machine; the page owns the scenario and sends it whole on load.
 */
export interface EngineApi extends CompareApi {
  /**
   * Build a fresh machine from scenario.machine and replay its actions up to scenario.step
   * (default: all). The scenario is validated first (a bad one is refused with the reason, and
   * the current machine stays). `onProgress` hears how far a long replay has got, a few times a
   * second. The machine on screen is replaced only when the reply reaches the page.
   */
  load(scenario: Scenario, onProgress?: (p: LoadProgress) => void): Promise<LoadReply>;
  /** The result of step k (1…n) with its call trace, for a record whose trace the load left out. */
  traceAt(step: number): Promise<ResultView | null>;
  /**
   * Apply one action at the current step. When the current step is before the end, the
   * tail is cut first (the page asks the user before calling this). Refused actions
   * (ok: false) change nothing and are not recorded. An action the scenario schema refuses
   * is refused here too (-EINVAL, the reason in the message) and never reaches the engine.
   */
  apply(action: Action): Promise<ApplyReply>;
  view(): Promise<MachineView>;
  snapshot(): Promise<Snapshot>;
  vectorCells(): Promise<VectorCells | null>;
  procInterrupts(): Promise<string>;
  debugfsIrq(virq: number): Promise<string>;
  debugfsDomain(name: string): Promise<string>;
  /**
   * Show the machine after the scenario's first k actions (0…n). Replays from the nearest
   * checkpoint (or step 0) with traces off, except for action k itself.
   */
  gotoStep(k: number): Promise<GotoReply>;
  /** Import a real machine's capture (text); the open machine is not touched. */
  importMachine(text: string, onProgress?: (fraction: number) => void): Promise<ImportReply>;
}
