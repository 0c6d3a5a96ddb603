// The lines of a call trace with the ids the engine gives them (src/engine/diff/search.ts
// traceLines): a call "0.2.1" (its path of child indexes), an effect of it "0.2.1:e3".

import type { TraceNode } from '../../worker/protocol';

export interface TraceLine {
  id: string;
  fn: string;
  text: string;
  effect: boolean;
}

export function traceLines(trace: readonly TraceNode[]): TraceLine[] {
  const out: TraceLine[] = [];
  const walk = (ns: readonly TraceNode[], path: string) => {
    ns.forEach((n, i) => {
      const id = path ? `${path}.${i}` : String(i);
      if (n.fn) out.push({ id, fn: n.fn, text: `${n.fn}()${n.domain ? ` [${n.domain}]` : ''}`, effect: false });
      n.effects.forEach((e, j) => out.push({ id: `${id}:e${j}`, fn: n.fn, text: e, effect: true }));
      walk(n.children, id);
    });
  };
  walk(trace, '');
  return out;
}
