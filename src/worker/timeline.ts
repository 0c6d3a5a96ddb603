// The scenario's time line inside the worker: the action list, the live machine at the
// current step, and checkpoints so that jumping back does not replay from step 0.
// Pure logic over a minimal machine interface, so it is unit-tested without a worker.
//
// Jumps: from the nearest checkpoint when machines can be cloned; the engine has no clone()
// yet, so a jump back replays from a fresh machine. Either way the replayed actions run with
// call traces off (several times faster) except the last one, so the step shown still has
// its full trace (`lastResult`).

import type { Action, ActionResult, MachineSpec, StepRecord } from './protocol';

/** What the time line needs from a machine. `clone` enables checkpoints, `setTrace` fast replays. */
export interface SimMachine {
  apply(action: Action): ActionResult;
  clone?(): SimMachine;
  /** Turn call tracing on or off (results carry empty traces while off). */
  setTrace?(on: boolean): void;
}

export type MachineFactory<M extends SimMachine> = (spec: MachineSpec) => M;

/** Checkpoint spacing: a jump replays at most this many actions (when machines can be cloned). */
export const CHECKPOINT_EVERY = 16;

/** A step's result as a load keeps it when its trace is not kept: no call trace, no hops, and says so. */
function untraced(result: ActionResult): ActionResult {
  return { ...result, trace: [], hops: [], traceOmitted: true } as ActionResult;
}

export class Timeline<M extends SimMachine> {
  private actions: Action[] = [];
  private live: M;
  private at = 0;
  /** step -> a pristine clone of the machine after that many actions. Never applied to. */
  private checkpoints = new Map<number, M>();
  /** Changes whenever the action list does (a load, a recorded action): a deferred tail is for one version. */
  version = 0;
  /** How many actions the last gotoStep replayed (tests and the bench read it). */
  lastReplayCost = 0;
  /**
   * The result of the current step's action when the last gotoStep applied it again (with its
   * trace); null when it did not (no move, step 0, or the live machine was already there).
   */
  lastResult: ActionResult | null = null;

  constructor(
    private readonly factory: MachineFactory<M>,
    private readonly spec: MachineSpec,
    private readonly every = CHECKPOINT_EVERY,
  ) {
    this.live = factory(spec);
  }

  get machine(): M {
    return this.live;
  }

  get step(): number {
    return this.at;
  }

  get length(): number {
    return this.actions.length;
  }

  /** The machine and the actions of the time line (a diff replays other steps on a scratch machine). */
  get scenario(): { machine: MachineSpec; actions: readonly Action[] } {
    return { machine: this.spec, actions: this.actions };
  }

  /**
   * Replay `actions` from a fresh machine, recording every result, then stop at `step`.
   * `keepTraces`: steps before the last this many run untraced (`traceOmitted`: no call trace,
   * no hops), so memory stays bounded — except the step stopped at, which always has its trace.
   * `onProgress(done, total)` is called every `progressMs` of a long replay. `deferTail`: stop
   * at `step` (the records end there; `tailRecords` gives the rest).
   */
  load(
    actions: readonly Action[],
    step = actions.length,
    opts: { keepTraces?: number; onProgress?: (done: number, total: number) => void; progressMs?: number; deferTail?: boolean } = {},
  ): StepRecord[] {
    this.actions = [];
    this.checkpoints.clear();
    this.live = this.factory(this.spec);
    this.at = 0;
    this.version++;
    const records: StepRecord[] = [];
    if (opts.deferTail && step < actions.length) {
      // Only up to the step shown: the rest is known (gotoStep goes on from here) and its results
      // come later from tailRecords(), on a scratch machine.
      records.push(...this.load(actions.slice(0, step), step, { ...opts, deferTail: false }));
      this.actions = actions.slice();
      return records;
    }
    const n = actions.length;
    const firstKept = opts.keepTraces === undefined ? 0 : Math.max(0, n - opts.keepTraces);
    const every = opts.progressMs ?? 200;
    let last = opts.onProgress ? Date.now() : 0;
    // The steps whose traces are not kept run with tracing off (half the time, a fraction of the garbage).
    const quiet = this.live.setTrace !== undefined && firstKept > 0;
    if (quiet) this.live.setTrace!(false);
    for (let i = 0; i < n; i++) {
      const action = actions[i];
      if (quiet && i === firstKept) this.live.setTrace!(true);
      let result = this.live.apply(action);
      if (i < firstKept) result = untraced(result);
      this.actions.push(action);
      this.at++;
      this.maybeCheckpoint();
      records.push({ action, result });
      if (opts.onProgress && Date.now() - last >= every) {
        last = Date.now();
        opts.onProgress(i + 1, n);
      }
    }
    if (quiet) this.live.setTrace!(true);
    this.gotoStep(step);
    // Going back to an earlier step replayed it traced: the step shown has its trace and journey.
    if (this.lastResult && this.at > 0) records[this.at - 1] = { action: records[this.at - 1].action, result: this.lastResult };
    return records;
  }

  /**
   * The records of steps from+1…length, as load() would have made them (traces kept for the last
   * `keepTraces` steps), replayed on a scratch machine: the live one is untouched.
   */
  tailRecords(from: number, keepTraces: number): StepRecord[] {
    const m = this.factory(this.spec);
    const n = this.actions.length;
    const firstKept = Math.max(from, n - keepTraces);
    m.setTrace?.(false);
    for (let i = 0; i < from; i++) m.apply(this.actions[i]);
    const records: StepRecord[] = [];
    for (let i = from; i < n; i++) {
      if (i === firstKept) m.setTrace?.(true);
      const action = this.actions[i];
      const result = m.apply(action);
      records.push({ action, result: i < firstKept ? untraced(result) : result });
    }
    return records;
  }

  /** The result of action k (1…length) with its trace, replayed on a scratch machine (the live one is untouched). */
  resultAt(k: number): ActionResult | null {
    if (!Number.isInteger(k) || k < 1 || k > this.actions.length) return null;
    const m = this.factory(this.spec);
    m.setTrace?.(false);
    for (let i = 0; i < k - 1; i++) m.apply(this.actions[i]);
    m.setTrace?.(true);
    return m.apply(this.actions[k - 1]);
  }

  /**
   * Apply at the current step. A refused action changes nothing (the engine unwinds it and
   * the tail stays). A successful one cuts the tail after the current step and is appended.
   */
  apply(action: Action): { result: ActionResult; recorded: boolean; cut: number } {
    const result = this.live.apply(action);
    if (!result.ok) return { result, recorded: false, cut: 0 };
    const cut = this.actions.length - this.at;
    if (cut > 0) {
      this.actions.length = this.at;
      for (const k of [...this.checkpoints.keys()]) if (k > this.at) this.checkpoints.delete(k);
    }
    this.actions.push(action);
    this.at++;
    this.version++;
    this.maybeCheckpoint();
    return { result, recorded: true, cut };
  }

  /** Bring the live machine to the state after the first k actions (clamped to 0…length). */
  gotoStep(k: number): void {
    const target = Math.max(0, Math.min(this.actions.length, Math.trunc(k) || 0));
    this.lastReplayCost = 0;
    this.lastResult = null;
    if (target === this.at) return;
    // The nearest checkpoint at or before the target; moving forward from the live machine
    // is better whenever the live machine is closer.
    let from = 0;
    for (const c of this.checkpoints.keys()) if (c <= target && c > from) from = c;
    if (target > this.at && this.at >= from) {
      this.replay(this.at, target);
      return;
    }
    const cp = from > 0 ? this.checkpoints.get(from) : undefined;
    this.live = cp && cp.clone ? (cp.clone() as M) : this.factory(this.spec);
    this.live.setTrace?.(true); // a clone may have been taken during a quiet replay
    this.at = cp ? from : 0;
    this.replay(this.at, target);
  }

  /** Apply actions from..to-1 to the live machine: traces off, except for the last one. */
  private replay(from: number, to: number): void {
    const m = this.live;
    const quiet = m.setTrace !== undefined && to - from > 1;
    if (quiet) m.setTrace!(false);
    try {
      for (let i = from; i < to; i++) {
        if (quiet && i === to - 1) m.setTrace!(true);
        const r = m.apply(this.actions[i]);
        if (i === to - 1) this.lastResult = r;
        this.at = i + 1;
        this.lastReplayCost++;
        this.maybeCheckpoint();
      }
    } finally {
      if (quiet) m.setTrace!(true);
    }
  }

  private maybeCheckpoint(): void {
    if (this.at % this.every !== 0 || this.checkpoints.has(this.at) || !this.live.clone) return;
    this.checkpoints.set(this.at, this.live.clone() as M);
  }
}
