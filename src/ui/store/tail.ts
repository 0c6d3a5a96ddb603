// The steps after the one a load opens at (a link or a story at step k of n): the worker answers
// as soon as the machine is at step k, and their results follow (tailRecords). Meanwhile the store
// holds placeholders (`pending`) for them, so the length of the scenario, the log and the time
// line are right at once; each is replaced when its result arrives, unless the work changed since.

import { engine } from '../../worker/client';
import type { Action, ResultView, StepRecord } from '../../worker/protocol';
import { useStore } from './index';

/** A placeholder's result: not run yet. */
function pendingResult(): ResultView {
  return { ok: true, message: 'not run yet', trace: [], hops: [], pending: true };
}

/** Placeholders for steps whose results have not arrived. */
export function pendingRecords(actions: readonly Action[]): StepRecord[] {
  return actions.map((action) => ({ action, result: pendingResult() }));
}

/** Replace each placeholder still in the store (at index from+j) by records[j], when there is one. */
function settle(placeholders: readonly StepRecord[], from: number, records: readonly (StepRecord | undefined)[]): void {
  const s = useStore.getState();
  let next: StepRecord[] | null = null;
  placeholders.forEach((p, j) => {
    const i = from + j;
    if (s.records[i] === p && records[j]) (next ??= s.records.slice())[i] = records[j];
  });
  if (next) useStore.setState({ records: next });
}

/** Ask the worker for load `token`'s deferred steps (from index `from`) and put them in place of `placeholders`. */
export async function fillTail(token: number, from: number, placeholders: readonly StepRecord[]): Promise<void> {
  const records = await engine().tailRecords(token).catch(() => null);
  if (records) settle(placeholders, from, records);
}

/** A jump reached step k of a pending tail: its result is known now (the jump ran it). */
export function settleStep(k: number, result: ResultView | null): void {
  const s = useStore.getState();
  const rec = k > 0 ? s.records[k - 1] : undefined;
  if (!rec?.result.pending || !result) return;
  settle([rec], k - 1, [{ action: rec.action, result }]);
}

/** Every step still pending gets its record from `records` (a whole load of the same work: the engine restarted after a cancel). */
export function settlePending(records: readonly StepRecord[] | undefined): void {
  const shown = useStore.getState().records;
  if (!records || records.length !== shown.length) return;
  const same = (i: number) => JSON.stringify(records[i].action) === JSON.stringify(shown[i].action);
  settle(shown, 0, shown.map((r, i) => (r.result.pending && same(i) ? records[i] : undefined)));
}
