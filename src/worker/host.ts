// The worker host: one machine time line behind the EngineApi. Kept apart from
// engine.worker.ts (which only exposes it) so tests can drive it directly in Node.

import {
  createSimMachine, debugfsDomainText, roadDevicesOf, debugfsIrqText, itsOf, procInterruptsText, vectorCellsOf,
  viewOf, withErrnoName, type AdaptedMachine,
} from './engine-adapter';
import { LOAD_TRACES_KEPT, type Action, type ApplyReply, type EngineApi, type FullSnapshot, type LoadReply, type StepRecord } from './protocol';
import { Timeline } from './timeline';
import { StateTracker, genCounter } from './state';
import { validateAction, validateScenario } from '../scenario/validate';
import { importMachine } from './import';
import { createCompare } from './compare';

export interface HostOptions {
  /**
   * A load's machine replaces the current one only when `delivered(loadToken)` is called (the
   * worker calls it once the reply has been posted to the page). Without it (tests, Node), a
   * load replaces the machine at once.
   */
  adoptOnDelivery?: boolean;
}

/** The host's EngineApi plus what the worker itself calls. */
export interface Host extends EngineApi {
  /** The reply of load `token` reached the page: its machine becomes the current one. */
  delivered(token: number): void;
  /** The reply of load `token` could not be sent: its machine is dropped, the current one stays. */
  undelivered(token: number): void;
}

export function createHost(opts: HostOptions = {}): Host {
  let timeline: Timeline<AdaptedMachine> | null = null;
  // What the page has of the current machine's state: every reply carries the changes from it.
  const gens = genCounter();
  let tracker = new StateTracker(gens);
  let staged: { token: number; timeline: Timeline<AdaptedMachine>; tracker: StateTracker } | null = null;
  let tokens = 0;
  /** The steps a deferred load left for tailRecords(): of which load, from which step, at which version. */
  let tail: { token: number; timeline: Timeline<AdaptedMachine>; from: number; version: number } | null = null;

  const tl = (): Timeline<AdaptedMachine> => {
    if (!timeline) throw new Error('No machine loaded: call load(scenario) first.');
    return timeline;
  };
  // Diff, search, trace ↔ state (compare.ts): states kept as the time line leaves a step.
  const cmp = createCompare(tl);

  const snapshot = (): FullSnapshot => {
    const t = tl();
    const m = t.machine;
    return { step: t.step, view: viewOf(m), cells: vectorCellsOf(m), proc: procInterruptsText(m), its: itsOf(m) };
  };
  /** Records of steps from+1… as the page gets them (errno names), their traces kept for search (compare.ts). */
  const pageRecords = (t: Timeline<AdaptedMachine>, from: number, recs: StepRecord[]): StepRecord[] => {
    const records = recs.map((r) => ({ action: r.action, result: withErrnoName(r.result) }));
    records.forEach((r, i) => cmp.sawTrace(t, from + i + 1, r.result.trace));
    return records;
  };
  // Every delta the page is sent also keeps the diff's view of the machine up to date (compare.ts).
  const delta = () => {
    const d = tracker.delta(tl().machine, tl().step);
    cmp.sawDelta(tl(), d);
    return d;
  };

  return {
    ...cmp.api,
    async load(scenario, onProgress, loadOpts) {
      // The engine's door: a scenario from anywhere (a link, a file, a test hook) is checked.
      const v = validateScenario(scenario);
      if (!v.ok) throw new Error(`The scenario was refused: ${v.error}`);
      // Valid: replay it as sent (validation may rewrite old files' ops; the page did that already).
      const s = scenario;
      const n = s.actions.length;
      const step = s.step ?? n;
      if (step > n) throw new Error(`The scenario was refused: step ${step} is beyond the end (0…${n})`);
      const t = new Timeline(createSimMachine, s.machine);
      const deferTail = !!loadOpts?.deferTail && step < n;
      const records = pageRecords(t, 0, t.load(s.actions, step, { keepTraces: LOAD_TRACES_KEPT, onProgress: onProgress ? (done, total) => onProgress({ done, total }) : undefined, deferTail }));
      const loadToken = ++tokens;
      if (deferTail) tail = { token: loadToken, timeline: t, from: step, version: t.version };
      // A load's state goes whole to the page; its tracker becomes the host's with its machine.
      const tr = new StateTracker(gens);
      const d = tr.delta(t.machine, t.step);
      cmp.sawDelta(t, d);
      if (opts.adoptOnDelivery) staged = { token: loadToken, timeline: t, tracker: tr };
      else {
        timeline = t;
        tracker = tr;
      }
      const reply: LoadReply = { records, delta: d, loadToken };
      if (deferTail) reply.tail = n - step;
      return reply;
    },
    async tailRecords(token) {
      const p = tail;
      if (!p || p.token !== token) return null;
      tail = null;
      // Only for the time line that load made, as it was: not once replaced, cut or added to.
      if (p.timeline !== timeline || p.timeline.version !== p.version) return null;
      return pageRecords(p.timeline, p.from, p.timeline.tailRecords(p.from, LOAD_TRACES_KEPT));
    },
    delivered(token) {
      if (staged?.token === token) {
        timeline = staged.timeline;
        tracker = staged.tracker;
      }
      if (staged && staged.token <= token) staged = null;
    },
    undelivered(token) {
      if (staged?.token === token) staged = null;
    },
    async traceAt(step) {
      const r = tl().resultAt(step);
      return r ? withErrnoName(r) : null;
    },
    async roadDevices() {
      return roadDevicesOf(tl().machine);
    },
    async apply(action) {
      const t = tl();
      const v = validateAction(action);
      if (!v.ok) {
        const refused: ApplyReply = {
          result: withErrnoName({ ok: false, errno: -22, message: `invalid action: ${v.error}`, trace: [], hops: [] }),
          recorded: false, cut: 0, delta: delta(),
        };
        return refused;
      }
      cmp.leaving(t);
      const { result, recorded, cut } = t.apply(v.action as Action);
      if (recorded) cmp.sawTrace(t, t.step, result.trace);
      return { result: withErrnoName(result), recorded, cut, delta: delta() };
    },
    async view() {
      return viewOf(tl().machine);
    },
    async snapshot() {
      return snapshot();
    },
    async resync() {
      tl();
      tracker.reset();
      return delta();
    },
    async procLines(from, to, cols) {
      return tracker.procLines(tl().machine, from, to, cols);
    },
    async procLineOf(virq) {
      return tracker.procLineOf(tl().machine, virq);
    },
    async vectorCells() {
      return vectorCellsOf(tl().machine);
    },
    async procInterrupts() {
      return procInterruptsText(tl().machine);
    },
    async debugfsIrq(virq) {
      return debugfsIrqText(tl().machine, virq);
    },
    async debugfsDomain(name) {
      return debugfsDomainText(tl().machine, name);
    },
    async importMachine(text, onProgress) {
      return importMachine(text, onProgress);
    },
    async gotoStep(k) {
      const t = tl();
      cmp.leaving(t);
      t.gotoStep(k);
      if (t.lastResult) cmp.sawTrace(t, t.step, t.lastResult.trace);
      return { delta: delta(), result: t.lastResult ? withErrnoName(t.lastResult) : null };
    },
  };
}
