// Every step of the scenario with the kernel's answer and its call trace. Clicking a step
// shows the machine as it was right after it; refused attempts are listed but are not steps.

import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { Panel } from '../chrome/Panel';
import { btnGhost } from '../chrome/styles';
import { describeArgs, pendingNote, plural, returnText, specDeviceCounts } from '../format';
import { useStore, type Refusal } from '../store';
import { gotoStep } from '../store/commands';
import type { Action, MachineView, ResultView, StepRecord, TraceNode } from '../../worker/protocol';
import { listedSteps, MORE } from './logWindow';
import { countCalls } from './TraceTree';
import { StepTrace } from './StepTrace';

function StepIcon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 12 12" className="h-3 w-3" aria-hidden="true">
      <path d={d} className="fill-current stroke-current" strokeWidth={1.4} strokeLinejoin="round" />
    </svg>
  );
}

function ResultBadge({ action, r }: { action: Action; r: ResultView }) {
  if (r.pending) {
    return <span className="shrink-0 rounded bg-slate-100 px-1 font-mono text-[11px] text-slate-600 dark:bg-slate-800 dark:text-slate-300" title="Not run yet: its result is on its way" data-testid="log-return">…</span>;
  }
  if (!r.ok) {
    return <span className="shrink-0 rounded bg-rose-100 px-1 font-mono text-[11px] font-bold text-rose-800 dark:bg-rose-950 dark:text-rose-200">{r.errnoName ?? r.errno}</span>;
  }
  const { ret, extra } = returnText(r);
  return (
    <span className="flex shrink-0 flex-col items-end gap-0.5">
      <span
        className="rounded bg-emerald-100 px-1 font-mono text-[11px] text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
        title={ret !== null ? `What ${action.op}() returned` : `${action.op}() returns nothing (void)`}
        data-testid="log-return"
      >
        {ret !== null ? `= ${ret}` : 'ok'}
      </span>
      {extra && <span className="font-mono text-[11px] text-slate-600 dark:text-slate-300" data-testid="log-extra">{extra}</span>}
    </span>
  );
}

type LogLine = MachineView['log'][number];

function KernelLog({ lines }: { lines: readonly LogLine[] | undefined }) {
  if (!lines?.length) return null;
  return (
    <ul className="mt-0.5 font-mono text-[10.5px]" aria-label="kernel log">
      {lines.map((l, i) => (
        <li key={i} className={l.level === 'info' ? 'text-slate-500' : 'text-amber-700 dark:text-amber-400'}>
          dmesg: {l.text}
        </li>
      ))}
    </ul>
  );
}

const sameLines = (a: readonly LogLine[] | undefined, b: readonly LogLine[] | undefined): boolean =>
  a === b || (!!a && !!b && a.length === b.length && a.every((l, i) => l.text === b[i].text && l.level === b[i].level));

/**
 * The kernel log of the view, by step. A step's lines keep their array from the previous view
 * when they did not change, so the log entries that show them are not drawn again.
 */
function useLogByStep(log: readonly LogLine[] | undefined): Map<number, readonly LogLine[]> {
  const prev = useRef(new Map<number, readonly LogLine[]>());
  return useMemo(() => {
    const next = new Map<number, LogLine[]>();
    for (const l of log ?? []) {
      let a = next.get(l.step);
      if (!a) next.set(l.step, (a = []));
      a.push(l);
    }
    const out = new Map<number, readonly LogLine[]>();
    for (const [k, a] of next) {
      const old = prev.current.get(k);
      out.set(k, sameLines(old, a) ? (old as readonly LogLine[]) : a);
    }
    prev.current = out;
    return out;
  }, [log]);
}

/** What a refused call printed (dev_crit and friends are traced as "printk: …" effects). */
function RefusalLog({ trace }: { trace: readonly TraceNode[] }) {
  const lines: string[] = [];
  const walk = (nodes: readonly TraceNode[]) => {
    for (const x of nodes) {
      for (const e of x.effects) if (e.startsWith('printk: ')) lines.push(e.slice(8));
      walk(x.children);
    }
  };
  walk(trace);
  if (!lines.length) return null;
  return (
    <ul className="mt-0.5 pl-5 font-mono text-[10.5px] text-amber-700 dark:text-amber-400" aria-label="kernel log">
      {lines.map((l, i) => <li key={i}>dmesg: {l}</li>)}
    </ul>
  );
}

/** A move left pending (the engine's reason, from the trace). */
function PendingLine({ r }: { r: ResultView }) {
  const note = useMemo(() => pendingNote(r), [r]);
  if (!note) return null;
  return (
    <p className="pl-5 text-[11px] text-amber-800 dark:text-amber-300" data-testid="log-pending">
      <span className="font-semibold">pending</span> · {note}
    </p>
  );
}

interface EntryProps {
  n: number | null;
  record: StepRecord | Refusal;
  current: boolean;
  future: boolean;
  /** What the kernel printed at this step (steps only). */
  dmesg?: readonly LogLine[];
}

/** One step (or refused attempt). Memoized: a new view redraws only the entries it changed. */
const Entry = memo(function Entry({ n, record, current, future, dmesg }: EntryProps) {
  const [open, setOpen] = useState(false);
  const r = record.result;
  const calls = countCalls(r.trace);
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (current) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [current]);
  // A refusal just made: bring it (its errno and what the kernel printed) into view.
  useEffect(() => {
    if (n === null) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [n]);
  return (
    <li
      ref={ref}
      data-testid={n === null ? 'log-refusal' : 'log-step'}
      data-step={n ?? undefined}
      aria-current={current ? 'step' : undefined}
      className={`border-b border-slate-100 px-2 py-1 dark:border-slate-800 ${current ? 'bg-sky-50 dark:bg-sky-950/50' : ''} ${future ? 'opacity-50' : ''} ${n === null ? 'bg-rose-50/60 dark:bg-rose-950/20' : ''}`}
    >
      <div className="flex items-start gap-1.5">
        {n !== null ? (
          <button
            type="button"
            onClick={() => void gotoStep(n)}
            className="min-w-0 flex-1 text-left focus-visible:outline-2 focus-visible:outline-sky-500"
            title={`Go to step ${n}`}
          >
            <span className="mr-1 font-mono text-[10.5px] text-slate-400">#{n}</span>
            <span className="font-mono text-[11px] font-semibold text-slate-800 dark:text-slate-100">{record.action.op}</span>
            <span className="block pl-5 font-mono text-[10.5px] text-slate-600 [overflow-wrap:anywhere] dark:text-slate-300">{describeArgs(record.action)}</span>
          </button>
        ) : (
          <p className="min-w-0 flex-1">
            <span className="mr-1 text-[10px] font-semibold uppercase tracking-wide text-rose-700 dark:text-rose-300">refused</span>
            <span className="font-mono text-[11px] font-semibold text-slate-700 dark:text-slate-200">{record.action.op}</span>
            <span className="block pl-5 font-mono text-[10.5px] text-slate-600 [overflow-wrap:anywhere] dark:text-slate-300">{describeArgs(record.action)}</span>
          </p>
        )}
        <ResultBadge action={record.action} r={r} />
      </div>
      <p className="pl-5 text-[11px] text-slate-700 dark:text-slate-300">{r.message}</p>
      <PendingLine r={r} />
      {n !== null && !future && <KernelLog lines={dmesg} />}
      {n === null && <RefusalLog trace={r.trace} />}
      {!r.pending && <button type="button" className={btnGhost + ' ml-4 h-5 px-1 text-[10.5px]'} aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'} kernel call trace ({r.traceOmitted ? 'fetched when opened' : `${calls} call${calls === 1 ? '' : 's'}`})
      </button>}
      {open && !r.pending && (
        <div className="ml-4 mt-0.5 overflow-x-auto rounded bg-slate-50 p-1 dark:bg-slate-950">
          <StepTrace step={n} action={record.action} result={r} />
        </div>
      )}
    </li>
  );
});

/** Stands for the steps a long log does not list, with buttons to list them. */
function Hidden({ first, last, where, onMore, onAll }: { first: number; last: number; where: 'before' | 'after'; onMore: () => void; onAll: () => void }) {
  const count = last - first + 1;
  if (count <= 0) return null;
  const fmt = (x: number) => x.toLocaleString('en-US');
  return (
    <li data-testid="log-hidden" data-where={where} className="flex flex-wrap items-center gap-x-2 gap-y-0.5 border-b border-slate-100 bg-slate-50 px-2 py-1 text-[11px] text-slate-600 dark:border-slate-800 dark:bg-slate-800/40 dark:text-slate-300">
      <span>
        ⋯ {fmt(count)} {where === 'before' ? 'earlier' : 'later'} step{count === 1 ? '' : 's'} not listed (#{fmt(first)}–#{fmt(last)})
      </span>
      {count > MORE && (
        <button type="button" className={btnGhost + ' h-5 border border-slate-300 dark:border-slate-600'} onClick={onMore}>
          show {fmt(MORE)} {where === 'before' ? 'earlier' : 'later'}
        </button>
      )}
      <button type="button" className={btnGhost + ' h-5 border border-slate-300 dark:border-slate-600'} onClick={onAll}>
        show all {fmt(count)}
      </button>
    </li>
  );
}

const NO_REFUSALS: readonly Refusal[] = [];

export function EventLogPanel() {
  const records = useStore((s) => s.records);
  const refusals = useStore((s) => s.refusals);
  const step = useStore((s) => s.snapshot?.step ?? 0);
  const log = useStore((s) => s.snapshot?.view.log);
  const spec = useStore((s) => s.scenario?.machine);
  const n = records.length;
  const dmesg = useLogByStep(log);
  const [more, setMore] = useState({ before: 0, after: 0, all: false });
  const [lo, hi] = listedSteps(step, n, more);

  const refusalsByStep = useMemo(() => {
    const m = new Map<number, Refusal[]>();
    for (const r of refusals) {
      let a = m.get(r.atStep);
      if (!a) m.set(r.atStep, (a = []));
      a.push(r);
    }
    return m;
  }, [refusals]);
  const refusalsAt = (k: number) =>
    (refusalsByStep.get(k) ?? NO_REFUSALS).map((r) => <Entry key={`r${r.id}`} n={null} record={r} current={false} future={false} />);

  const items: React.ReactNode[] = [];
  items.push(
    <li key="boot" data-testid="log-step" data-step={0} aria-current={step === 0 ? 'step' : undefined} className={`border-b border-slate-100 px-2 py-1 dark:border-slate-800 ${step === 0 ? 'bg-sky-50 dark:bg-sky-950/50' : ''}`}>
      <button type="button" onClick={() => void gotoStep(0)} className="w-full text-left text-[11px] focus-visible:outline-2 focus-visible:outline-sky-500" title="Go to step 0">
        <span className="mr-1 font-mono text-[10.5px] text-slate-400">#0</span>
        boot: {spec ? `${spec.arch}, ${plural(spec.cpus, 'CPU')}${spec.arch === 'x86' ? `, remap ${spec.remap ?? 'none'}` : ''}, ${specDeviceCounts(spec)}` : ''}
      </button>
    </li>,
  );
  items.push(...refusalsAt(0));
  const all = () => setMore((m) => ({ ...m, all: true }));
  items.push(<Hidden key="hidden-before" first={1} last={lo - 1} where="before" onMore={() => setMore((m) => ({ ...m, before: m.before + MORE }))} onAll={all} />);
  for (let k = lo; k <= hi; k++) {
    items.push(<Entry key={`s${k}`} n={k} record={records[k - 1]} current={k === step} future={k > step} dmesg={dmesg.get(k)} />);
    items.push(...refusalsAt(k));
  }
  items.push(<Hidden key="hidden-after" first={hi + 1} last={n} where="after" onMore={() => setMore((m) => ({ ...m, after: m.after + MORE }))} onAll={all} />);

  return (
    <Panel
      title="Event log"
      testId="event-log"
      subtitle={`step ${step} / ${n}`}
      tools={
        <>
          <button type="button" className={btnGhost} aria-label="First step" title="First step (Home)" disabled={step === 0} onClick={() => void gotoStep(0)}><StepIcon d="M3 2v8M10 2 5 6l5 4z" /></button>
          <button type="button" className={btnGhost} aria-label="Step back" title="Step back ([)" disabled={step === 0} onClick={() => void gotoStep(step - 1)}><StepIcon d="M8.5 2 3.5 6l5 4z" /></button>
          <button type="button" className={btnGhost} aria-label="Step forward" title="Step forward (])" disabled={step >= n} onClick={() => void gotoStep(step + 1)}><StepIcon d="M3.5 2l5 4-5 4z" /></button>
          <button type="button" className={btnGhost} aria-label="Last step" title="Last step (End)" disabled={step >= n} onClick={() => void gotoStep(n)}><StepIcon d="M9 2v8M2 2l5 4-5 4z" /></button>
        </>
      }
    >
      <ol aria-label="steps">{items}</ol>
      {n === 0 && refusals.length === 0 && (
        <p className="p-3 text-xs text-slate-500">No steps yet. Allocate vectors (press <span className="font-mono">a</span>) to start.</p>
      )}
    </Panel>
  );
}
