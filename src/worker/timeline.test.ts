import { describe, expect, it } from 'vitest';
import type { Action, ActionResult, MachineSpec } from './protocol';
import { Timeline, type SimMachine } from './timeline';

// A tiny deterministic machine: a list of applied ops; 'msleep' with ms < 0 is refused.
class ListMachine implements SimMachine {
  static created = 0;
  constructor(public ops: string[] = []) {
    ListMachine.created++;
  }
  apply(a: Action): ActionResult {
    if (a.op === 'msleep' && a.ms < 0) return { ok: false, errno: -22, message: 'refused', trace: [], hops: [] };
    this.ops.push(a.op === 'msleep' ? `sleep${a.ms}` : a.op);
    return { ok: true, message: 'ok', trace: [], hops: [] };
  }
  clone(): ListMachine {
    return new ListMachine([...this.ops]);
  }
}

/** Records whether tracing was on for each applied op. */
class TracingMachine implements SimMachine {
  tracing = true;
  seen: string[] = [];
  apply(a: Action): ActionResult {
    this.seen.push(`${a.op === 'msleep' ? a.ms : a.op}:${this.tracing ? 'on' : 'off'}`);
    return { ok: true, message: 'ok', trace: this.tracing ? [{ fn: 'f', effects: [], children: [] }] : [], hops: [] };
  }
  setTrace(on: boolean): void {
    this.tracing = on;
  }
}

class NoCloneMachine implements SimMachine {
  inner = new ListMachine();
  get ops() {
    return this.inner.ops;
  }
  apply(a: Action): ActionResult {
    return this.inner.apply(a);
  }
}

const spec: MachineSpec = { arch: 'x86', cpus: 1, devices: [] };
const sleeps = (n: number): Action[] => Array.from({ length: n }, (_, i) => ({ op: 'msleep', ms: i }));

describe('Timeline', () => {
  it('replays a scenario and records every result', () => {
    const t = new Timeline(() => new ListMachine(), spec);
    const recs = t.load(sleeps(5));
    expect(recs).toHaveLength(5);
    expect(t.step).toBe(5);
    expect(t.machine.ops).toEqual(['sleep0', 'sleep1', 'sleep2', 'sleep3', 'sleep4']);
  });

  it('goes back and forth to the same states', () => {
    const t = new Timeline(() => new ListMachine(), spec, 4);
    t.load(sleeps(20));
    t.gotoStep(3);
    expect(t.machine.ops).toEqual(['sleep0', 'sleep1', 'sleep2']);
    t.gotoStep(11);
    expect(t.machine.ops).toHaveLength(11);
    expect(t.machine.ops.at(-1)).toBe('sleep10');
    t.gotoStep(-5);
    expect(t.step).toBe(0);
    expect(t.machine.ops).toEqual([]);
    t.gotoStep(99);
    expect(t.step).toBe(20);
  });

  it('jumps from the nearest checkpoint instead of step 0', () => {
    const t = new Timeline(() => new ListMachine(), spec, 4);
    t.load(sleeps(20));
    t.gotoStep(19);
    t.gotoStep(10);
    expect(t.lastReplayCost).toBe(2); // from the checkpoint at 8
    expect(t.machine.ops).toHaveLength(10);
  });

  it('never mutates a checkpoint', () => {
    const t = new Timeline(() => new ListMachine(), spec, 4);
    t.load(sleeps(8));
    t.gotoStep(5);
    t.gotoStep(6);
    t.gotoStep(5);
    expect(t.machine.ops).toEqual(['sleep0', 'sleep1', 'sleep2', 'sleep3', 'sleep4']);
  });

  it('replays from a fresh machine when machines cannot be cloned', () => {
    const t = new Timeline(() => new NoCloneMachine(), spec, 4);
    t.load(sleeps(10));
    t.gotoStep(7);
    expect(t.lastReplayCost).toBe(7);
    expect(t.machine.ops).toHaveLength(7);
  });

  it('cuts the tail only when the action succeeds', () => {
    const t = new Timeline(() => new ListMachine(), spec, 4);
    t.load(sleeps(6));
    t.gotoStep(2);
    const refused = t.apply({ op: 'msleep', ms: -1 });
    expect(refused).toMatchObject({ recorded: false, cut: 0 });
    expect(t.length).toBe(6);
    const ok = t.apply({ op: 'msleep', ms: 99 });
    expect(ok).toMatchObject({ recorded: true, cut: 4 });
    expect(t.length).toBe(3);
    expect(t.step).toBe(3);
    t.gotoStep(0);
    t.gotoStep(3);
    expect(t.machine.ops).toEqual(['sleep0', 'sleep1', 'sleep99']);
  });

  it('replays a jump with traces off except the step shown, and returns its result', () => {
    const machines: TracingMachine[] = [];
    const t = new Timeline(() => {
      const m = new TracingMachine();
      machines.push(m);
      return m;
    }, spec);
    t.load(sleeps(6), 6);
    t.gotoStep(4);
    const m = machines.at(-1)!;
    expect(m.seen).toEqual(['0:off', '1:off', '2:off', '3:on']);
    expect(t.lastResult?.trace).toHaveLength(1);
    expect(m.tracing).toBe(true);
    t.gotoStep(5); // one step forward: applied with traces on
    expect(m.seen.at(-1)).toBe('4:on');
    t.gotoStep(5);
    expect(t.lastResult).toBeNull();
    t.gotoStep(0);
    expect(t.lastResult).toBeNull();
  });
});
