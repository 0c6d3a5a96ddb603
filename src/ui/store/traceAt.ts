// The call trace of a step whose record the load left without it (`traceOmitted`: a load keeps
// the traces of its last steps only). Asked of the worker when the trace is opened, kept per
// record (a record replaced by a cut or a new load asks again).

import { engine } from '../../worker/client';
import type { ResultView } from '../../worker/protocol';

const fetched = new WeakMap<ResultView, Promise<ResultView | null>>();

/** The result of step `step` (1…n) with its trace; `record` is the store's result for that step. */
export function traceOf(step: number, record: ResultView): Promise<ResultView | null> {
  if (!record.traceOmitted) return Promise.resolve(record);
  let p = fetched.get(record);
  if (!p) {
    p = engine().traceAt(step);
    p.catch(() => fetched.delete(record));
    fetched.set(record, p);
  }
  return p;
}
