// Stopping a load that runs too long: the Cancel button of the progress bar, and any new choice
// (a machine, a kernel, a story, a link, an undo) made while one runs. The worker is stopped and
// restarted with the work the page still shows (cancelEngine), and the command queue counts the
// calls that ended so as a cancellation, not as a failure of the engine.

import { cancelEngine, EngineCancelled, engineLoading } from '../../worker/client';
import type { LoadReply, Scenario } from '../../worker/protocol';
import { settlePending } from './tail';
import { useStore } from './index';

/** The work the page shows, as the worker should have it again (undefined on the first screen). */
function shown(): Scenario | undefined {
  const s = useStore.getState();
  return s.scenario && s.snapshot ? { ...s.scenario, step: s.snapshot.step } : undefined;
}

let cancelled = 0;

/** How many commands ended because the engine was stopped (compare before and after a load). */
export function cancelledCount(): number {
  return cancelled;
}

/** The command queue met `e`: true (and counted) when it is a cancellation. */
export function noteCancelled(e: unknown): boolean {
  if (!(e instanceof EngineCancelled)) return false;
  cancelled++;
  return true;
}

/** Stop the running load, if any, and put the shown work back in a fresh worker. */
export function cancelRunningLoad(): Promise<unknown> {
  if (!engineLoading()) return Promise.resolve();
  // The restarted engine loads the shown work whole: steps still pending get their records from it.
  return cancelEngine(shown()).then((reply) => settlePending((reply as LoadReply | undefined)?.records));
}
