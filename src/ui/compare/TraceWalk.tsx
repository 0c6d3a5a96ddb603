// Walk a step's call trace call by call: ◂ / ▸ (or ↑ / ↓, Home / End inside the trace) move to the
// previous or next call; the call's line is marked and focused (which lights, as hovering does,
// what the engine says it touched: traceHover.ts), and the step's journey follows — the stop this
// call made is shown in the Propagation panel and the token waits at it on the domain tree.

import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { TraceNode } from '../../worker/protocol';
import { useStore } from '../store';
import { play, walkTo } from '../travel/player';
import { KIND_TEXT, travelFor, type Travel } from '../travel/stops';
import { useTravel } from '../travel/store';
import { callLines, stopsOfCalls } from './traceWalk';

/** The journey of step k as the travel player shows it, made once per (step, trace). */
const journeys = new WeakMap<readonly TraceNode[], { step: number; travel: Travel | null }>();

function journeyOf(step: number, trace: readonly TraceNode[]): Travel | null {
  const have = journeys.get(trace);
  if (have && have.step === step) return have.travel;
  const { records, snapshot } = useStore.getState();
  const rec = records[step - 1];
  const travel = rec && snapshot ? travelFor(rec.action, { ...rec.result, trace: trace as TraceNode[] }, snapshot.view.domains) : null;
  journeys.set(trace, { step, travel });
  return travel;
}

const btn =
  'inline-flex h-5 items-center rounded border border-slate-300 bg-white px-1.5 text-[10.5px] font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-500 disabled:opacity-40 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200 dark:hover:bg-slate-700';

export function TraceWalk({ nodes, children }: { nodes: readonly TraceNode[]; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const calls = useMemo(() => callLines(nodes), [nodes]);
  const [at, setAt] = useState(-1);
  const [stop, setStop] = useState<{ i: number; kind: string } | null>(null);
  const travelShown = useTravel((s) => s.travel);

  // The mark goes with the trace: a new trace (another step opened) starts the walk again.
  useEffect(() => setAt(-1), [nodes]);

  const stepOf = (): number | null => {
    const entry = box.current?.closest<HTMLElement>('[data-step]');
    const k = Number(entry?.dataset.step);
    return entry && Number.isInteger(k) && k >= 1 ? k : null;
  };

  const go = (i: number) => {
    if (!calls.length) return;
    const k = Math.max(0, Math.min(calls.length - 1, i));
    setAt(k);
    const root = box.current;
    if (!root) return;
    root.querySelectorAll('[data-walk]').forEach((el) => el.removeAttribute('data-walk'));
    const line = root.querySelector<HTMLElement>(`[data-trace-line="${calls[k].id}"]`);
    if (line) {
      line.setAttribute('data-walk', 'current');
      line.scrollIntoView({ block: 'nearest' });
      // Focus lights what the line touched (traceHover.ts), as hovering it does.
      line.focus({ preventScroll: true });
    }
    // The journey follows: this step's travel, paused at the stop this call made.
    const step = stepOf();
    const travel = step !== null ? journeyOf(step, nodes) : null;
    if (!travel) {
      setStop(null);
      return;
    }
    if (useTravel.getState().travel !== travel) play(travel);
    const j = stopsOfCalls(travel, calls).get(calls[k].id);
    walkTo(j ?? null);
    setStop(j === undefined ? null : { i: j, kind: KIND_TEXT[travel.stops[j].kind] });
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const keys: Record<string, () => void> = {
      ArrowDown: () => go(at + 1),
      ArrowUp: () => go(at < 0 ? 0 : at - 1),
      Home: () => go(0),
      End: () => go(calls.length - 1),
    };
    const f = keys[e.key];
    if (!f) return;
    e.preventDefault();
    e.stopPropagation();
    f();
  };

  const current = at >= 0 ? calls[at] : null;
  // Another travel took the Propagation panel (a step shown, an action): the walk's stop is no longer on screen.
  const stopShown = stop && travelShown && journeys.get(nodes)?.travel === travelShown ? stop : null;
  return (
    <div ref={box} onKeyDown={onKey} data-testid="trace-walk" className="[&_[data-walk=current]]:bg-amber-100 [&_[data-walk=current]]:outline [&_[data-walk=current]]:outline-1 [&_[data-walk=current]]:outline-amber-500 dark:[&_[data-walk=current]]:bg-amber-900/50">
      {calls.length > 1 && (
        <div className="mb-1 flex flex-wrap items-center gap-1 font-sans" role="group" aria-label="Walk the trace call by call">
          <button type="button" className={btn} aria-label="Previous call" aria-keyshortcuts="ArrowUp" title="Previous call (↑ in the trace)" disabled={at <= 0} onClick={() => go(at - 1)}>◂ call</button>
          <button type="button" className={btn} aria-label="Next call" aria-keyshortcuts="ArrowDown" title="Next call (↓ in the trace; Home, End)" disabled={at >= calls.length - 1} onClick={() => go(at + 1)}>call ▸</button>
          <span className="min-w-0 truncate text-[10.5px] text-slate-600 dark:text-slate-300" data-testid="trace-walk-status" aria-live="polite">
            {current ? (
              <>
                {at + 1}/{calls.length} <span className="font-mono">{current.fn}()</span>
                {stopShown ? ` · stop ${stopShown.i + 1} in Propagation (${stopShown.kind})` : stop === null ? ' · no stop of the journey' : ''}
              </>
            ) : (
              `${calls.length} calls: walk them with the journey following`
            )}
          </span>
        </div>
      )}
      {children}
    </div>
  );
}
