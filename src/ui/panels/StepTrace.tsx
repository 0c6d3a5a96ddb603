// The opened trace of a step in the event log: the kernel's calls (fetched from the worker when
// the load left them out), and where the machine's kernel behaves differently for this call, one
// line per fact with its source at every version.

import { useEffect, useState } from 'react';
import type { Action, ResultView } from '../../worker/protocol';
import { useStore } from '../store';
import { traceOf } from '../store/traceAt';
import { KernelFactLines } from '../kernel/FactLines';
import { kernelOf } from '../kernel/facts';
import { factsForStep } from '../kernel/relevance';
import { TraceTree } from './TraceTree';

/** `step`: the step number (null: a refused attempt, whose trace is always kept). */
export function StepTrace({ step, action, result }: { step: number | null; action: Action; result: ResultView }) {
  const machine = useStore((s) => s.scenario?.machine);
  const [got, setGot] = useState<{ for: ResultView; r: ResultView | null; error?: string } | null>(null);
  const omitted = !!result.traceOmitted && step !== null;
  useEffect(() => {
    if (!omitted || step === null) return;
    let live = true;
    traceOf(step, result).then(
      (r) => live && setGot({ for: result, r }),
      (e) => live && setGot({ for: result, r: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [omitted, step, result]);
  const r = omitted ? (got?.for === result ? got.r : undefined) : result;
  const arch = machine?.arch ?? 'x86';
  return (
    <>
      {machine && step !== null && (
        <KernelFactLines kernel={kernelOf(machine)} ids={factsForStep(action, r ?? result, arch)} className="mb-1 border-b border-slate-200 pb-1 dark:border-slate-700" />
      )}
      {r ? (
        <TraceTree nodes={r.trace} />
      ) : got?.for === result ? (
        <p role="alert" className="text-[11px] text-rose-700 dark:text-rose-300">The trace of step {step} could not be fetched: {got.error ?? 'the engine has no such step'}.</p>
      ) : (
        <p data-testid="trace-loading" className="text-[11px] italic text-slate-600 dark:text-slate-300">Fetching the trace of step {step} (a long load keeps only the last steps’ traces)…</p>
      )}
    </>
  );
}
