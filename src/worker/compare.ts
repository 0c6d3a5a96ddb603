// The worker's diff, search and trace ↔ state calls (CompareApi) over the engine's src/engine/diff.
// States of the loaded time line are captured when the time line leaves a step (so "this step
// against the previous one" needs no replay when stepping forward) and on demand; any other step,
// and the steps of another scenario (a paired machine: IR against no IR, 6.1 against 7.2), are
// replayed on a scratch machine with traces off, which moves forward from where it stopped.
//
// A capture costs what changed, not the machine's size: the view comes from the deltas the host
// already computes for the page (sawDelta; a scratch machine has a tracker of its own), each
// interrupt's counts are copied only when they moved, and on a big machine the whole
// /proc/interrupts text is left out (its header and architecture rows are compared; the rows of
// interrupts change with their descriptors).

import {
  buildSearchIndex, captureState, createSimMachine, diffStates, IrqViews, LiveView, searchIndex, traceLineRefs,
  type AdaptedMachine, type MachineState, type SearchIndex,
} from './engine-adapter';
import type { Action, CompareApi, DiffSide, MachineSpec, Scenario, StateDelta, TraceNode } from './protocol';
import type { Timeline } from './timeline';
import { validateScenario } from '../scenario/validate';
import { kernelFactLines, kernelProfileTag } from './engine-adapter';

/** States kept per time line (a few steps around the one shown). */
const KEEP_STATES = 8;
/** Scratch machines kept for other scenarios (the paired machine and one more). */
const KEEP_SCRATCH = 3;

/** What a capture of one machine reuses from the last one: the view, the irq views with their counts. */
interface Capturing {
  live: LiveView;
  irqs: IrqViews;
}

interface LineCache extends Capturing {
  states: Map<number, MachineState>;
  traces: Map<number, readonly TraceNode[]>;
  index: { step: number; index: SearchIndex } | null;
  /** The generation of the host's last delta for this time line (-1: none yet). */
  gen: number;
}

interface Scratch extends Capturing {
  key: string;
  machine: AdaptedMachine;
  step: number;
  traces: Map<number, readonly TraceNode[]>;
}

const capturing = (): Capturing => ({ live: new LiveView(), irqs: new IrqViews() });

/** The state of `m` now; `gen`: the generation the host's deltas have it at (-1: a scratch machine). */
function capture(m: AdaptedMachine, c: Capturing, gen: number, label?: string): MachineState {
  const view = c.irqs.view(m, c.live.update(m, gen));
  return captureState(m, { view, procText: 'auto', ...(label ? { label } : {}) });
}

/** A scenario's key: its machine and actions as they are now (the time line's list grows in place). */
const keyOf = (machine: MachineSpec, actions: readonly Action[]): string => JSON.stringify([machine, actions]);

export interface Compare {
  api: CompareApi;
  /** The time line is about to leave its step (apply, jump): keep that step's state if diffs are wanted. */
  leaving(t: Timeline<AdaptedMachine>): void;
  /** A step's call trace the host has (a load's kept traces, an apply, a jump). */
  sawTrace(t: Timeline<AdaptedMachine>, step: number, trace: readonly TraceNode[] | undefined): void;
  /** The delta the host computed for the time line's state now (every one, in order). */
  sawDelta(t: Timeline<AdaptedMachine>, d: StateDelta): void;
}

export function createCompare(current: () => Timeline<AdaptedMachine>): Compare {
  const lines = new WeakMap<Timeline<AdaptedMachine>, LineCache>();
  const scratch: Scratch[] = [];
  /** Diffs were asked for: capture the states the time line leaves. */
  let tracking = false;

  const cacheOf = (t: Timeline<AdaptedMachine>): LineCache => {
    let c = lines.get(t);
    if (!c) lines.set(t, (c = { states: new Map(), traces: new Map(), index: null, gen: -1, ...capturing() }));
    return c;
  };
  const keep = (c: LineCache, step: number, s: MachineState) => {
    c.states.set(step, s);
    while (c.states.size > KEEP_STATES) c.states.delete(c.states.keys().next().value!);
  };

  /**
   * A machine of `scenario` at `step`: a scratch machine moved forward, or replayed from boot.
   * `traced`: the step's own call trace is wanted (trace ↔ state lines); a diff needs none (a
   * 2,048-vector allocation's trace is most of its replay).
   */
  const scratchAt = (machine: MachineSpec, actions: readonly Action[], step: number, traced: boolean): Scratch => {
    const key = keyOf(machine, actions);
    let s = scratch.find((x) => x.key === key && (x.step < step || (x.step === step && (!traced || step === 0 || x.traces.has(step)))));
    if (!s) {
      const m = createSimMachine(machine);
      s = { key, machine: m, step: 0, traces: new Map(), ...capturing() };
      scratch.unshift(s);
      while (scratch.length > KEEP_SCRATCH) scratch.pop();
    }
    const m = s.machine;
    m.setTrace?.(false);
    try {
      for (; s.step < step; s.step++) {
        const last = traced && s.step === step - 1;
        if (last) m.setTrace?.(true);
        const r = m.apply(actions[s.step]);
        if (last) s.traces.set(step, r.trace);
      }
    } finally {
      m.setTrace?.(true);
    }
    return s;
  };

  /** The state of the loaded time line at `step`. */
  const lineState = (step: number): MachineState => {
    const t = current();
    const c = cacheOf(t);
    const k = Math.max(0, Math.min(t.length, Math.trunc(step)));
    const have = c.states.get(k);
    if (have) return have;
    let s: MachineState;
    if (k === t.step) s = capture(t.machine, c, c.gen);
    else {
      // Keyed by the whole scenario: the same scratch machine moves on to later steps.
      const { machine, actions } = t.scenario;
      const sc = scratchAt(machine, actions, k, false);
      s = capture(sc.machine, sc, -1);
      const tr = sc.traces.get(k);
      if (tr) c.traces.set(k, tr);
    }
    keep(c, k, s);
    return s;
  };

  const sideState = (side: DiffSide): MachineState => {
    if (!side.scenario) {
      const s = lineState(side.step);
      return side.label ? { ...s, label: side.label } : s;
    }
    const v = validateScenario(side.scenario);
    if (!v.ok) throw new Error(`The paired scenario was refused: ${v.error}`);
    const sc: Scenario = side.scenario;
    const k = Math.max(0, Math.min(sc.actions.length, Math.trunc(side.step)));
    const s = scratchAt(sc.machine, sc.actions, k, false);
    return capture(s.machine, s, -1, side.label ?? `step ${k}`);
  };

  const traceOf = (step: number): readonly TraceNode[] | null => {
    const t = current();
    const c = cacheOf(t);
    const have = c.traces.get(step);
    if (have) return have;
    const r = t.resultAt(step);
    if (!r) return null;
    c.traces.set(step, r.trace);
    return r.trace;
  };

  return {
    leaving(t) {
      const c = cacheOf(t);
      c.index = null;
      // A new action at step k cuts the steps after k: their states and traces go.
      for (const k of [...c.states.keys()]) if (k > t.step) c.states.delete(k);
      for (const k of [...c.traces.keys()]) if (k > t.step) c.traces.delete(k);
      if (tracking && !c.states.has(t.step)) keep(c, t.step, capture(t.machine, c, c.gen));
    },
    sawDelta(t, d) {
      const c = cacheOf(t);
      c.gen = d.gen;
      // Followed only once diffs were asked for (until then nothing is kept).
      if (tracking) c.live.feed(d.view, d.from, d.gen);
      else c.live.drop();
    },
    sawTrace(t, step, trace) {
      if (trace && trace.length) cacheOf(t).traces.set(step, trace);
    },
    api: {
      async diff(a, b) {
        tracking = true;
        const sa = sideState({ ...a, label: a.label ?? `step ${a.step}` });
        const sb = sideState({ ...b, label: b.label ?? `step ${b.step}` });
        return diffStates(sa, sb);
      },
      async search(query, limit) {
        const t = current();
        const c = cacheOf(t);
        if (!c.index || c.index.step !== t.step) {
          const state = lineState(t.step);
          const traces = [...c.traces.entries()].filter(([k]) => k <= t.step).sort((x, y) => y[0] - x[0]).slice(0, 32)
            .map(([step, trace]) => ({ step, trace }));
          if (t.step > 0 && !c.traces.has(t.step)) {
            const tr = traceOf(t.step);
            if (tr) traces.unshift({ step: t.step, trace: tr });
          }
          c.index = { step: t.step, index: buildSearchIndex(state, traces) };
        }
        return searchIndex(c.index.index, query, limit);
      },
      async elixirTag() {
        return kernelProfileTag(current().scenario.machine.kernel);
      },
      async kernelFacts(kernel) {
        return kernelFactLines(kernel ?? current().scenario.machine.kernel);
      },
      async traceRefs(step, scenario) {
        if (scenario) {
          const k = Math.max(1, Math.min(scenario.actions.length, Math.trunc(step)));
          const s = scratchAt(scenario.machine, scenario.actions, k, true);
          const tr = s.traces.get(k);
          const state = capture(s.machine, s, -1);
          return tr ? { step: k, elixirTag: state.elixirTag, refs: traceLineRefs(state, tr) } : null;
        }
        const tr = traceOf(step);
        if (!tr) return null;
        const state = lineState(step);
        return { step, elixirTag: state.elixirTag, refs: traceLineRefs(state, tr) };
      },
    },
  };
}
