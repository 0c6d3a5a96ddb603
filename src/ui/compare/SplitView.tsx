// Side by side: the loaded machine on the left with its own panels, the paired machine on the
// right — the same scenario on a machine with other settings (no IR, another kernel, the other
// architecture) or another story (a story's partner), in a frame of this app without chrome
// (?embed=mirror) that follows the left side's step: one timeline, the same actions applied to both
// (each kernel accepts or refuses them as it does); a partner story shows its own caption.

import { useEffect, useRef, useState } from 'react';
import { useStore } from '../store';
import { machineTitle } from '../format';
import { pairedScenario, pairedStep, pairingLabel } from './pairing';
import { storyByName } from '../../scenario/stories';
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
    const paired = pairedScenario(scenario, pairing);
    w.postMessage({ type: MIRROR_MESSAGE, scenario: paired, step: pairedStep(paired, step), story: pairing.story ?? null }, location.origin);
  }, [ready, scenario, pairing, step]);
  useSameTab(ref, ready && !!pairing);
  if (!pairing || !scenario) return null;
  const paired = pairedScenario(scenario, pairing);
  const k = pairedStep(paired, step);
  const partner = pairing.story ? storyByName(pairing.story) : undefined;
  const kernel = paired.machine.kernel ?? '7.2';
  return (
    <section aria-label="Paired machine" data-testid="pair-frame" data-pair={pairing.story ?? pairingLabel(pairing)} className="flex min-h-0 min-w-0 flex-1 flex-col border-l-2 border-violet-300 dark:border-violet-800">
      <p className="flex h-6 shrink-0 items-center gap-2 bg-violet-50 px-2 text-[11px] text-violet-900 dark:bg-violet-950/50 dark:text-violet-200">
        <span className="shrink-0 font-semibold">{partner ? 'beside:' : 'paired:'} {partner ? partner.name : pairingLabel(pairing)}</span>
        <span className="min-w-0 truncate text-violet-700 dark:text-violet-300" title={partner?.title}>
          {machineTitle(paired.machine)} · {kernel} · {partner ? `step ${k} of ${paired.actions.length}` : `same calls, step ${k}`}
        </span>
        <button type="button" className="ml-auto rounded px-1 hover:bg-violet-200 dark:hover:bg-violet-900" onClick={() => useCompare.setState({ pairing: null, storyPaired: false })} aria-label="Close the side-by-side view">✕</button>
      </p>
      <iframe ref={ref} title={`Paired machine: ${pairingLabel(pairing)}`} src={`${location.pathname}?embed=mirror`} className="min-h-0 w-full flex-1 border-0 bg-white dark:bg-slate-950" />
    </section>
  );
}

/**
 * Both halves show their panels as tabs on a laptop screen: the paired side shows the tab the left
 * side shows (the tab list's selected tab, followed), so the same panel is compared.
 */
function useSameTab(frame: React.RefObject<HTMLIFrameElement | null>, on: boolean): void {
  useEffect(() => {
    if (!on) return;
    const side = document.querySelector('[data-split] > div:first-child');
    if (!side) return;
    let last = '';
    const send = () => {
      const tab = side.querySelector<HTMLElement>('[role="tablist"] [role="tab"][aria-selected="true"]');
      if (!tab?.id || tab.id === last) return;
      last = tab.id;
      frame.current?.contentWindow?.postMessage({ type: `${MIRROR_MESSAGE}:tab`, tab: tab.id }, location.origin);
    };
    send();
    const mo = new MutationObserver(send);
    mo.observe(side, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-selected'] });
    return () => mo.disconnect();
  }, [frame, on]);
}
