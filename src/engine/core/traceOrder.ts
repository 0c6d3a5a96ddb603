// The order of a trace node's effects and calls (TraceNode.effectsAt): what the node recorded and
// which calls it made, interleaved as they happened. No imports, so the page bundles it without
// the engine (the trace tree, the trace's line list).

/** One line under a call: its effect number `effect`, or its child call number `child`. */
export type TraceItem = { effect: number; child?: undefined } | { child: number; effect?: undefined };

/** Effects and child calls of a node in the order they happened. */
export function traceItems(n: { effects: readonly unknown[]; effectsAt?: readonly number[]; children: readonly unknown[] }): TraceItem[] {
  const out: TraceItem[] = [];
  const at = n.effectsAt;
  let e = 0;
  for (let c = 0; c <= n.children.length; c++) {
    // Effects recorded when c calls had been made come before call c (all of them before any call without effectsAt).
    while (e < n.effects.length && (at ? (at[e] ?? 0) <= c : true)) out.push({ effect: e++ });
    if (c < n.children.length) out.push({ child: c });
  }
  return out;
}
