// The typed message protocol between the page and the engine worker. Everything that
// crosses the boundary is plain, structured-cloneable data: no classes, Maps or functions.

import type { Action, KernelVersion, MachineSpec, Scenario } from '../scenario/types';
import type { ActionResult, MachineView as FullMachineView } from '../engine/view';
import type { CompactIrqView, CompactView, ViewDelta } from '../engine/delta';

/**
 * The page's picture of the machine: machine.view() without each interrupt's per-CPU counts
 * (the /proc/interrupts panel asks for the lines in view instead). Kept up to date by deltas.
 */
export type MachineView = CompactView;
/** An interrupt as the page keeps it (no per-CPU counts; affinity arrays shared between equal masks). */
export type IrqView = CompactIrqView;
export type { Action, KernelVersion, MachineSpec, Scenario, ActionResult, FullMachineView, ViewDelta };
export type { TraceNode } from '../engine/core/trace';
export type {
  CpuView, DeviceView, DomainView, ImsView, IrqLevelView, MsiEntryView, MsiStoreView,
} from '../engine/view';
export type { ItsDeviceView, ItsEventView, ItsView } from '../engine/arch/arm64/platform';
export type { RoadDevicesView } from '../engine/roads/view';
import type { RoadDevicesView } from '../engine/roads/view';
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
 * `pending`: (the page's) a step of a deferred tail whose result has not arrived yet.
 */
export type ResultView = ActionResult & { errnoName?: string; traceOmitted?: true; pending?: true };

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
 * null on architectures without a vector matrix. `dirty`: the CPU rows that changed since the
 * page's previous cells (absent: all of them, or unknown).
 */
export interface VectorCells {
  cpus: number;
  vectors: number;
  states: Uint8Array;
  /** The page's count of cell states it has applied; `dirty` is relative to the one numbered seq - 1. */
  seq?: number;
  dirty?: readonly number[];
}

/** What the page knows of /proc/interrupts without its text: it asks for the lines in view (`procLines`). */
export interface ProcInfo {
  /** Lines of the whole text: the header, one per listed interrupt, the architecture's rows. */
  lines: number;
  /** Listed interrupts (lines 1…rows). */
  rows: number;
  /** Online CPUs (one column each). */
  cpus: number;
}

/**
 * Lines [from, from + lines.length) of /proc/interrupts in state `gen` (a `procLines` reply),
 * whole or cut to the columns [c0, c1) asked for.
 */
export interface ProcWindow {
  epoch: number;
  gen: number;
  /** Line 0: the CPU header, always sent (cut like the others). */
  header: string;
  from: number;
  lines: string[];
  /** The irq each line lists (null: not an irq row). */
  virqs: (number | null)[];
  /** The columns sent: each line is `whole.slice(c0, c1)` (c1 Infinity: to the end). */
  c0: number;
  c1: number;
  /** The longest of the whole lines sent, and of the header. */
  width: number;
}

/**
 * The changes from the state the page has (epoch, `from`) to the worker's current one (`gen`).
 * `full`: the page drops what it has. Typed arrays in it are transferred, not copied.
 */
export interface StateDelta {
  /** Names the worker (a restarted one has another): gens of one worker only follow each other. */
  epoch: number;
  /** The gen this delta applies to (ignored when `full`). */
  from: number;
  gen: number;
  full: boolean;
  step: number;
  view: ViewDelta;
  /** The cell rows that changed (all of them when full); absent: none changed (or no matrix). */
  cells?: { cpus: number; vectors: number; rows: Int32Array; states: Uint8Array } | null;
  proc: ProcInfo;
  /** arm64: the ITS tables, when they changed (null: no ITS). */
  its?: ItsView | null;
}

/** Everything the panels draw for one state of the machine (the page builds it from deltas). */
export interface Snapshot {
  /** How many of the scenario's actions have been applied (0 = freshly booted machine). */
  step: number;
  view: MachineView;
  cells: VectorCells | null;
  /** The shape of /proc/interrupts; its lines come on demand (`procLines`). */
  proc: ProcInfo;
  /** arm64: the ITS device table, ITTs, collections and recent command queue; null elsewhere. */
  its: ItsView | null;
  /** The worker that made this state, and its generation there (stale replies are told by it). */
  epoch: number;
  gen: number;
  /**
   * The /proc/interrupts lines the panel showed, asked for again with the state (page only), so
   * the panels draw the new state together, not the text a reply later.
   */
  procWindow?: ProcWindow;
}

/** The whole state at once, as the command line and tests read it (`snapshot()`): the full view and /proc text. */
export interface FullSnapshot {
  step: number;
  view: FullMachineView;
  cells: VectorCells | null;
  proc: string;
  its: ItsView | null;
}

/** The state at a step (as a delta), with the result of that step's action when it was applied again. */
export interface GotoReply {
  delta: StateDelta;
  /**
   * The result (with its call trace) of action `step`, applied again to reach this state;
   * null when the jump did not apply it (step 0, or the machine was already there).
   */
  result: ResultView | null;
}

export interface LoadReply {
  /** Always a full delta: the page drops the state it had. */
  delta: StateDelta;
  /**
   * One record per scenario action, in order (replayed from a fresh machine) — up to
   * scenario.step only when the load deferred the rest (`tail`).
   */
  records: StepRecord[];
  /** How many steps after scenario.step a deferred load left out of `records`: `tailRecords` gives them. */
  tail?: number;
  /**
   * Names this load. In the worker the new machine replaces the old one only once this reply
   * has been delivered to the page; a reply that cannot be sent leaves the old machine.
   */
  loadToken: number;
}

export interface EngineLoadOptions {
  /**
   * Reply once the machine is at scenario.step: the steps after it are not run first (a step
   * chosen before the end would otherwise mean replaying everything twice); `tailRecords`
   * gives their records after.
   */
  deferTail?: boolean;
}

/** Call traces kept in a load's records: those of the last this many steps. */
export const LOAD_TRACES_KEPT = 32;

/** The result and the state after it (an empty delta when the action was refused). */
export interface ApplyReply {
  delta: StateDelta;
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
  /**
   * The version facts in which `kernel` (default: the loaded machine's) differs from another
   * modelled kernel, each as the one line the trace and the inspector show, with its source file's
   * Elixir link at every version (profiles.ts kernelFactsDiffering()).
   */
  kernelFacts(kernel?: KernelVersion): Promise<KernelFactLine[]>;
}

/** One kernel fact where the kernels differ: "since 6.16: …" and the file at every version. */
export interface KernelFactLine {
  /** The profile field ("managedShutdownKeepsDepth", "proc.show"). */
  id: string;
  kernel: KernelVersion;
  line: string;
  /** The source file (an Elixir path). */
  file: string;
  urls: Record<KernelVersion, string>;
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
  load(scenario: Scenario, onProgress?: (p: LoadProgress) => void, opts?: EngineLoadOptions): Promise<LoadReply>;
  /**
   * The records of the steps after scenario.step that load `loadToken` deferred (replayed on a
   * scratch machine); null when there are none, or that load's time line was replaced, cut or
   * added to since.
   */
  tailRecords(loadToken: number): Promise<StepRecord[] | null>;
  /** The result of step k (1…n) with its call trace, for a record whose trace the load left out. */
  traceAt(step: number): Promise<ResultView | null>;
  /** The roads' devices in the current state: mediated devices and logical functions (src/engine/roads). */
  roadDevices(): Promise<RoadDevicesView>;
  /**
   * Apply one action at the current step. When the current step is before the end, the
   * tail is cut first (the page asks the user before calling this). Refused actions
   * (ok: false) change nothing and are not recorded. An action the scenario schema refuses
   * is refused here too (-EINVAL, the reason in the message) and never reaches the engine.
   */
  apply(action: Action): Promise<ApplyReply>;
  /** The whole view (with every interrupt's counts): for tests and the command line, never on big machines. */
  view(): Promise<FullMachineView>;
  /** The whole state at once (full view, whole /proc text): for tests and the command line. */
  snapshot(): Promise<FullSnapshot>;
  /**
   * A full delta of the current state (the page lost track: another worker, a dropped reply).
   * Later deltas follow from it.
   */
  resync(): Promise<StateDelta>;
  vectorCells(): Promise<VectorCells | null>;
  /** The whole text of /proc/interrupts (the share report; slow on big machines). */
  procInterrupts(): Promise<string>;
  /**
   * Lines [from, to) of /proc/interrupts in the current state, with the header (line 0); `cols`:
   * only the characters [c0, c1) of each (the columns a panel shows of 11-character-per-CPU lines).
   */
  procLines(from: number, to: number, cols?: [number, number]): Promise<ProcWindow>;
  /** The line of /proc/interrupts that lists irq `virq` (-1: not listed), in the current state. */
  procLineOf(virq: number): Promise<{ epoch: number; gen: number; line: number }>;
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
