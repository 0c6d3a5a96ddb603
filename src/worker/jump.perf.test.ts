// How long the worker takes to jump to the last step of a 10,000-step scenario (design.md
// "Time travel"; target ≤ 100 ms). Prints the figures and asserts only correctness: timings on
// a shared CI machine are not a test.

import { describe, expect, it } from 'vitest';
import { buildLoad } from '../../bench/engine.bench';
import { createSimMachine } from './engine-adapter';
import { createHost } from './host';
import { Timeline } from './timeline';
import type { Scenario } from './protocol';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

describe('time line jumps', () => {
  it('jumps to the last step of a 10,000-step scenario (prints the time)', async () => {
    const plan = buildLoad(64, 10_000, 0x5ce);
    const scenario: Scenario = { version: 1, machine: plan.spec, actions: plan.actions };
    const h = createHost();
    let t0 = performance.now();
    const loaded = await h.load({ ...scenario, step: 0 });
    const loadMs = performance.now() - t0;
    expect(loaded.records).toHaveLength(10_000);
    expect(loaded.delta.step).toBe(0);
    await h.gotoStep(10_000);
    const lastProc = await h.procInterrupts();

    const toEnd: number[] = [];
    const backOne: number[] = [];
    const snap: number[] = [];
    for (let i = 0; i < 7; i++) {
      await h.gotoStep(0);
      t0 = performance.now();
      const r = await h.gotoStep(10_000);
      toEnd.push(performance.now() - t0);
      expect(r.delta.step).toBe(10_000);
      expect(await h.procInterrupts()).toBe(lastProc);
      expect(r.result?.trace.length).toBeGreaterThan(0);
      t0 = performance.now();
      const b = await h.gotoStep(9_999);
      backOne.push(performance.now() - t0);
      expect(b.delta.step).toBe(9_999);
      t0 = performance.now();
      await h.snapshot();
      snap.push(performance.now() - t0);
    }
    // The replay alone: a time line over the same machines, without the snapshot.
    const t = new Timeline(createSimMachine, plan.spec);
    t.load(plan.actions, 0);
    const replay: number[] = [];
    for (let i = 0; i < 7; i++) {
      t.gotoStep(0);
      t0 = performance.now();
      t.gotoStep(10_000);
      replay.push(performance.now() - t0);
      expect(t.lastReplayCost).toBe(10_000);
    }
    const f = (xs: number[]) => `${median(xs).toFixed(1)} ms (best ${Math.min(...xs).toFixed(1)})`;
    console.log(
      `[jump] 10,000-step scenario on 64 CPUs (up to 4,096 live MSI-X interrupts): load with traces ${loadMs.toFixed(0)} ms; ` +
        `jump 0 → 10,000: ${f(toEnd)} = replay with traces off ${f(replay)} + snapshot (view, vector cells, /proc text) ${f(snap)}; ` +
        `jump 10,000 → 9,999: ${f(backOne)}. Target ≤ 100 ms. Medians of 7; timings vary with the machine's load.`,
    );
  }, 60_000);
});
