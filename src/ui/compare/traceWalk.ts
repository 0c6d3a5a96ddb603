// Walking a step's call trace call by call: which call lines there are (the ids the engine's trace
// refs use), and which stop of the step's journey (the Propagation panel and the token on the
// domain tree, src/ui/travel) each call is. A journey is built from the engine's answer only — the
// hops of a raise, the domain-level calls of a trace — so a call is matched to a stop by what both
// name: the function and its domain for a call stop, the domain for a hop. Calls that made no stop
// (the core's walkers, the calls the journey leaves out after the first interrupt) have none.

import type { TraceNode } from '../../worker/protocol';
import type { Stop, Travel } from '../travel/stops';

export interface CallLine {
  /** The line id (compare/traceLines.ts): "0.2.1". */
  id: string;
  fn: string;
  domain: string | undefined;
}

/** The calls of a trace in the order the kernel made them (pre-order), with their line ids. */
export function callLines(trace: readonly TraceNode[]): CallLine[] {
  const out: CallLine[] = [];
  const walk = (ns: readonly TraceNode[], path: string) => {
    ns.forEach((n, i) => {
      const id = path ? `${path}.${i}` : String(i);
      if (n.fn) out.push({ id, fn: n.fn, domain: n.domain });
      walk(n.children, id);
    });
  };
  walk(trace, '');
  return out;
}

/** A tree domain is the trace's domain, or the tree's name of it ("INTEL-IR-0" is drawn as "INTEL-IR-0-13"). */
function sameDomain(tree: string | null, trace: string | undefined): boolean {
  return !!tree && !!trace && (tree === trace || tree.startsWith(`${trace}-`));
}

const isHop = (s: Stop) => s.fn === undefined;

/**
 * The stop of `travel` each call line is (line id → stop index), matched in order: a call stop by
 * its function and domain, a hop by its domain (the device's write, the call without a domain, is
 * a raise's first hop; only the calls under it are on the message's path). Each call looks only at
 * the stops from the last one matched on.
 */
export function stopsOfCalls(travel: Travel | null, calls: readonly CallLine[]): Map<string, number> {
  const out = new Map<string, number>();
  if (!travel) return out;
  const stops = travel.stops;
  let from = 0;
  // A raise's hops are the message's path: the device's write (the trace's call without a domain)
  // and the calls under it. Calls before it (a cleanup timer that ran first) are not on the path.
  let path: CallLine | undefined;
  if (travel.mode === 'hops') {
    path = calls.find((c) => !c.domain);
    if (path && stops[0] && isHop(stops[0])) out.set(path.id, 0);
  }
  calls.forEach((c) => {
    if (path && (c === path || !c.id.startsWith(`${path.id}.`))) return;
    for (let j = from; j < stops.length; j++) {
      const s = stops[j];
      const hit = isHop(s) ? sameDomain(s.domain, c.domain) : s.fn === c.fn && sameDomain(s.domain, c.domain);
      if (!hit) continue;
      out.set(c.id, j);
      // A call stop is that call's alone; a hop may stand for several calls at its level.
      from = isHop(s) ? j : j + 1;
      return;
    }
  });
  return out;
}
