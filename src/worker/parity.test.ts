// The app and the command line give the same results for a scenario: every story replayed by
// runScenario (what `npm run sim` uses) and by the worker host (what the app uses: load, then
// jumps back and forth) gives the same /proc/interrupts text, the same view and the same
// per-step results. Both run the same engine, so beside the two paths' agreement each story's
// results are held to what the story claims from the kernel (ok, the value, or the errno of
// every step), which the engine does not write.

import { describe, expect, it } from 'vitest';
import { debugfsIrq, procInterrupts } from '../engine/render';
import { runScenario } from '../scenario/run';
import { STORIES, storyWaits } from '../scenario/stories';
import { createHost } from './host';
import { errnoName } from '../engine/core/errno';
import type { ResultView } from './protocol';

/** The host's answer in the story's terms: 'ok', the value the story claims, or the errno name. */
function outcome(r: ResultView, claimed: string | number): string | number {
  if (!r.ok) return r.errno !== undefined ? errnoName(r.errno) : 'failed';
  return claimed !== 'ok' && r.value !== undefined ? r.value : 'ok';
}

const playable = STORIES.filter((s) => !storyWaits(s));

describe('app (worker host) and command line (runScenario) agree', () => {
  for (const story of playable) {
    it(story.name, async () => {
      const n = story.scenario.actions.length;
      const h = createHost();
      const loaded = await h.load(story.scenario);
      const cli = runScenario(story.scenario);
      expect(loaded.delta.step).toBe(n);
      // The kernel's answers the story claims, step by step (not the engine's own output).
      expect(loaded.records.map((r, i) => outcome(r.result, story.outcomes[i]))).toEqual(story.outcomes);
      const full = await h.snapshot();
      expect(full.proc).toBe(procInterrupts(cli.machine));
      expect(JSON.stringify(full.view)).toBe(JSON.stringify(cli.machine.view()));
      expect(loaded.records.map((r) => [r.result.ok, r.result.errno, r.result.value, r.result.message])).toEqual(
        cli.results.map((r) => [r.ok, r.errno, r.value, r.message]),
      );
      // Jumps (replayed with traces off but the last step) show what a fresh run to k shows.
      for (const k of [...new Set([0, 1, Math.floor(n / 2), n - 1, n])].filter((x) => x >= 0 && x <= n)) {
        const snap = await h.gotoStep(k);
        const ref = runScenario(story.scenario, { upTo: k });
        const shown = await h.snapshot();
        expect(shown.proc).toBe(procInterrupts(ref.machine));
        expect(JSON.stringify(shown.view)).toBe(JSON.stringify(ref.machine.view()));
        const virq = ref.machine.view().irqs.find((i) => i.msi)?.virq;
        if (virq !== undefined) expect(await h.debugfsIrq(virq)).toBe(debugfsIrq(ref.machine, virq));
        if (k > 0) expect(snap.result?.trace).toEqual(ref.results[k - 1].trace);
      }
    });
  }
});
