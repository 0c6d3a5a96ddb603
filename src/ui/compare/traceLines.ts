// The lines of a call trace with the ids the engine gives them (src/engine/diff/search.ts
// traceLines): a call "0.2.1" (its path of child indexes), an effect of it "0.2.1:e3"; effects and
// calls in the order they happened.

import type { TraceNode } from '../../worker/protocol';
import { traceItems } from '../../engine/core/traceOrder';

export interface TraceLine {
  id: string;
  fn: string;
  text: string;
  effect: boolean;
}

export function traceLines(trace: readonly TraceNode[]): TraceLine[] {
  const out: TraceLine[] = [];
  // `first`: the child number of ns[0] (one child at a time, as traceItems() interleaves them).
  const walk = (ns: readonly TraceNode[], path: string, first = 0) => {
    ns.forEach((n, i) => {
      const id = path ? `${path}.${first + i}` : String(first + i);
      if (n.fn) out.push({ id, fn: n.fn, text: `${n.fn}()${n.domain ? ` [${n.domain}]` : ''}`, effect: false });
      for (const it of traceItems(n)) {
        if (it.effect !== undefined) out.push({ id: `${id}:e${it.effect}`, fn: n.fn, text: n.effects[it.effect], effect: true });
        else walk([n.children[it.child]], id, it.child);
      }
    });
  };
  walk(trace, '');
  return out;
}
