// "Touched by this step": the lines of the shown step's call trace that touched the selected
// interrupt, domain or device (the engine's trace line refs), each lighting it on hover.

import { useEffect, useMemo, useState } from 'react';
import type { ObjectRef } from '../../worker/protocol';
import { useStore } from '../store';
import { traceRefsOf } from './commands';
import { useCompare } from './store';
import { traceLines } from './traceLines';

function touches(refs: readonly ObjectRef[], sel: NonNullable<ReturnType<typeof useStore.getState>['selection']>): boolean {
  return refs.some((r) =>
    sel.kind === 'irq' ? r.kind === 'irq' && r.virq === sel.virq
      : sel.kind === 'domain' ? r.kind === 'domain' && r.name === sel.name
        : (r.kind === 'device' || r.kind === 'msix') && r.dev === sel.name);
}

export function TouchedLines() {
  const step = useStore((s) => s.snapshot?.step ?? 0);
  const record = useStore((s) => (step > 0 ? s.records[step - 1] : undefined));
  const selection = useStore((s) => s.selection);
  const refs = useCompare((s) => s.refs[step]?.refs ?? null);
  const [asked, setAsked] = useState(-1);
  useEffect(() => {
    if (step > 0 && selection && !refs && asked !== step) {
      setAsked(step);
      void traceRefsOf(step);
    }
  }, [step, selection, refs, asked]);
  const lines = useMemo(() => {
    if (!record || !refs || !selection) return [];
    return traceLines(record.result.trace).filter((l) => touches(refs[l.id] ?? [], selection));
  }, [record, refs, selection]);
  if (!selection || step === 0) return null;
  const name = selection.kind === 'irq' ? `irq ${selection.virq}` : selection.name;
  return (
    <section data-testid="touched" className="max-h-[35%] shrink-0 overflow-auto border-t border-slate-200 dark:border-slate-800">
      <h3 className="sticky top-0 bg-slate-50 px-2 py-0.5 text-[11px] font-semibold text-slate-700 dark:bg-slate-900 dark:text-slate-200">
        Step {step}’s trace lines that touched {name} <span className="font-normal text-slate-500">({lines.length})</span>
      </h3>
      {record?.result.traceOmitted && <p className="px-2 text-[10.5px] italic text-slate-500">This step’s trace was not kept; open it in the event log.</p>}
      <ul className="font-mono text-[10.5px] leading-[14px]">
        {lines.map((l) => (
          <li
            key={l.id}
            data-testid="touched-line"
            className="truncate px-2 text-slate-700 hover:bg-sky-50 dark:text-slate-300 dark:hover:bg-sky-950/40"
            title={l.effect ? `in ${l.fn}(): ${l.text}` : l.text}
            onMouseEnter={() => useCompare.setState({ lit: refs?.[l.id] ?? [] })}
            onMouseLeave={() => useCompare.setState({ lit: [] })}
          >
            {l.effect ? <><span className="text-slate-400">{l.fn}: </span>{l.text}</> : <span className="font-semibold">{l.text}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
