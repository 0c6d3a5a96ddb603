// The hostile-input fuzz suite at a small size (CI); `npm run fuzz` runs it large. Seeded:
// IRQSCOPE_FUZZ_SEED replays a run. Targets: 0 crashes, 0 hangs over 5 s, 0 state changes on
// refusal, 0 refusals without a named negative errno, 0 lost work.

import { describe, expect, it } from 'vitest';
import { emptyStats, fuzzFiles, fuzzLinks, fuzzSaved, fuzzScenarios, summary, type FuzzStats } from './run';

const SEED = Number(process.env.IRQSCOPE_FUZZ_SEED ?? 20261207);

function clean(st: FuzzStats): void {
  const shown = st.findings.slice(0, 5).map((f) => `${f.kind} (seed ${f.seed}): ${f.what}\n${JSON.stringify(f.input)?.slice(0, 2000)}`);
  expect(shown, summary(st)).toEqual([]);
}

describe('hostile input (small fuzz run; npm run fuzz for the large one)', () => {
  it('random validated scenarios: no crash, no hang, refusals change nothing and name their errno', () => {
    const st = emptyStats();
    fuzzScenarios(st, SEED, 150);
    expect(st.scenarios).toBeGreaterThan(100);
    expect(st.refusals).toBeGreaterThan(0);
    expect(st.actions - st.refusals).toBeGreaterThan(500);
    clean(st);
  }, 120_000);

  it('mutated links and files: never throw, accept only valid scenarios, refuse with a reason', () => {
    const st = emptyStats();
    fuzzLinks(st, SEED, 300);
    fuzzFiles(st, SEED, 300);
    clean(st);
  }, 120_000);

  it('mutated saved work: never throws, restores only valid work, never loses what it refuses', async () => {
    const st = emptyStats();
    await fuzzSaved(st, SEED, 300);
    clean(st);
  }, 120_000);
});
