// Side by side: the loaded machine on the left with its own panels, the paired machine on the
// right — the same scenario on a machine with other settings (no IR, another kernel), in a frame
// of this app without chrome (?embed=mirror) that follows the left side's scenario and step: one
// timeline, the same actions applied to both (each kernel accepts or refuses them as it does).

import { useEffect, useRef, useState } from 'react';
import { useStore } from '../store';
import { machineTitle } from '../format';
import { pairedScenario, pairingLabel } from './commands';
import { useCompare } from './store';

export const MIRROR_MESSAGE = 'irqscope:mirror';

export function PairFrame() {
  const pairing = useCompare((s) => s.pairing);
  const scenario = useStore((s) => s.scenario);
  const step = useStore((s) => s.snapshot?.step ?? 0);
  const ref = useRef<HTMLIFrameElement>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const onMsg = (e: MessageEvent) => {
      if (e.origin === location.origin && e.source === ref.current?.contentWindow && e.data?.type === `${MIRROR_MESSAGE}:ready`) setReady(true);
    };
    window.addEventListener('message', onMsg);
    return () => window.removeEventListener('message', onMsg);
  }, []);
  useEffect(() => {
    const w = ref.current?.contentWindow;
    if (!ready || !w || !scenario || !pairing) return;
    w.postMessage({ type: MIRROR_MESSAGE, scenario: pairedScenario(scenario, pairing), step }, location.origin);
  }, [ready, scenario, pairing, step]);
  if (!pairing || !scenario) return null;
  const paired = pairedScenario(scenario, pairing);
  return (
    <section aria-label="Paired machine" data-testid="pair-frame" className="flex min-h-0 min-w-0 flex-1 flex-col border-l-2 border-violet-300 dark:border-violet-800">
      <p className="flex h-6 shrink-0 items-center gap-2 bg-violet-50 px-2 text-[11px] text-violet-900 dark:bg-violet-950/50 dark:text-violet-200">
        <span className="font-semibold">paired: {pairingLabel(pairing)}</span>
        <span className="truncate text-violet-700 dark:text-violet-300">{machineTitle(paired.machine)} · same calls, step {step}</span>
        <button type="button" className="ml-auto rounded px-1 hover:bg-violet-200 dark:hover:bg-violet-900" onClick={() => useCompare.setState({ pairing: null })} aria-label="Close the side-by-side view">✕</button>
      </p>
      <iframe ref={ref} title={`Paired machine: ${pairingLabel(pairing)}`} src={`${location.pathname}?embed=mirror`} className="min-h-0 w-full flex-1 border-0 bg-white dark:bg-slate-950" />
    </section>
  );
}
