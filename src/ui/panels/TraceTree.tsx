// A kernel call trace as a tree: function (linked to Elixir), domain, result, effects; walked call
// by call with the step's journey following (compare/TraceWalk.tsx).

import type { TraceNode } from '../../worker/protocol';
import { traceItems } from '../../engine/core/traceOrder';
import { elixirIdentUrl, useElixirTag } from '../compare/elixir';
import { TraceWalk } from '../compare/TraceWalk';

function FnName({ fn, file }: { fn: string; file?: string }) {
  // At the machine's kernel version (its profile's Elixir tag, from the engine).
  const tag = useElixirTag();
  const url = elixirIdentUrl(fn, tag);
  const title = file ? `${fn}() in ${file}` : `${fn}()`;
  return url ? (
    <a href={url} target="_blank" rel="noopener noreferrer" title={`${title}: open in Elixir at ${tag}`} className="font-semibold text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-300">
      {fn}
    </a>
  ) : (
    <span className="font-semibold" title={title}>{fn}</span>
  );
}

function resultTone(r: string): string {
  return r.startsWith('-E') || r === 'false' ? 'text-rose-600 dark:text-rose-400 font-semibold' : 'text-emerald-700 dark:text-emerald-400';
}

/** `id`: the line id the engine's trace refs use (compare/traceLines.ts): "0.2", its effects "0.2:e1". */
function Node({ n, id }: { n: TraceNode; id: string }) {
  return (
    <li className="pl-2">
      {n.fn && (
        <div className="whitespace-nowrap" data-trace-line={id} tabIndex={-1}>
          <FnName fn={n.fn} file={n.file} />
          <span className="text-slate-500">()</span>
          {n.domain && <span className="text-slate-500"> [{n.domain}]</span>}
          {n.result !== undefined && (
            <>
              <span className="text-slate-500"> = </span>
              <span className={resultTone(n.result)}>{n.result}</span>
            </>
          )}
        </div>
      )}
      {groups(n).map((g) =>
        g.kind === 'effects' ? (
          <ul key={`e${g.items[0]}`} className="text-slate-600 dark:text-slate-300">
            {g.items.map((i) => (
              <li key={i} data-trace-line={`${id}:e${i}`} tabIndex={-1} className="whitespace-pre-wrap pl-3 -indent-2 hover:bg-sky-50 dark:hover:bg-sky-950/40">· {n.effects[i]}</li>
            ))}
          </ul>
        ) : (
          <ul key={`c${g.items[0]}`} className="ml-1 border-l border-slate-200 dark:border-slate-700">
            {g.items.map((i) => <Node key={i} n={n.children[i]} id={`${id}.${i}`} />)}
          </ul>
        ),
      )}
    </li>
  );
}

/** A node's effects and calls in the order they happened, in runs of one kind. */
function groups(n: TraceNode): { kind: 'effects' | 'calls'; items: number[] }[] {
  const out: { kind: 'effects' | 'calls'; items: number[] }[] = [];
  for (const it of traceItems(n)) {
    const kind = it.effect !== undefined ? 'effects' : 'calls';
    const last = out[out.length - 1];
    const i = it.effect !== undefined ? it.effect : it.child;
    if (last && last.kind === kind) last.items.push(i);
    else out.push({ kind, items: [i] });
  }
  return out;
}

export function countCalls(nodes: readonly TraceNode[]): number {
  let n = 0;
  for (const x of nodes) n += (x.fn ? 1 : 0) + countCalls(x.children);
  return n;
}

export function TraceTree({ nodes }: { nodes: readonly TraceNode[] }) {
  if (nodes.length === 0) return <p className="text-[11px] italic text-slate-500">No trace recorded.</p>;
  return (
    <TraceWalk nodes={nodes}>
      <ul data-testid="trace" className="font-mono text-[10.5px] leading-[15px]">
        {nodes.map((n, i) => <Node key={i} n={n} id={String(i)} />)}
      </ul>
    </TraceWalk>
  );
}
