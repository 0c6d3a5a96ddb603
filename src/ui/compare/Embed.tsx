// Embed mode (?embed): one story step, one scenario or one panel (&panel=NAME) without the app's
// chrome, for documentation and mail — with a link back to the full state. `?embed=mirror` is the
// right side of the split view: it shows what its parent frame sends (scenario and step) and
// neither reads nor writes the saved work.

import { useEffect } from 'react';
import { useStore } from '../store';
import { gotoStep, loadScenario } from '../store/commands';
import { openHash } from '../share/open';
import { setLayout } from '../chrome/layout';
import { Workspace } from '../chrome/Workspace';
import { machineTitle } from '../format';
import type { Scenario } from '../../worker/protocol';
import { MIRROR_MESSAGE } from './SplitView';
import { embedMode } from './link';

function sameScenario(a: Scenario | null, b: Scenario): boolean {
  return !!a && JSON.stringify({ m: a.machine, a: a.actions }) === JSON.stringify({ m: b.machine, a: b.actions });
}

/** Follow the parent frame (mirror mode). */
function useMirror(): void {
  useEffect(() => {
    const onMsg = (e: MessageEvent) => {
      if (e.origin !== location.origin || e.source !== window.parent || e.data?.type !== MIRROR_MESSAGE) return;
      const { scenario, step } = e.data as { scenario: Scenario; step: number };
      const cur = useStore.getState().scenario;
      if (sameScenario(cur, scenario)) void gotoStep(step);
      else void loadScenario({ ...scenario, step });
    };
    window.addEventListener('message', onMsg);
    window.parent.postMessage({ type: `${MIRROR_MESSAGE}:ready` }, location.origin);
    return () => window.removeEventListener('message', onMsg);
  }, []);
}

export function EmbedView() {
  const mode = embedMode();
  const scenario = useStore((s) => s.scenario);
  const step = useStore((s) => s.snapshot?.step ?? 0);
  const loaded = useStore((s) => s.snapshot !== null);
  useEffect(() => {
    if (mode?.panel) setLayout({ maximised: mode.panel });
    if (mode?.mode === 'page') void openHash(location.hash, false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (mode?.mode === 'mirror') return <Mirror loaded={loaded} />;
  const back = `${location.pathname}${location.hash}`;
  return (
    <div className="flex h-screen flex-col bg-slate-100 text-slate-900 dark:bg-slate-950 dark:text-slate-100" data-testid="embed">
      <p className="flex h-6 shrink-0 items-center gap-2 border-b border-slate-200 bg-white px-2 text-[11px] dark:border-slate-800 dark:bg-slate-900">
        <span className="font-bold">irqscope</span>
        {scenario && <span className="truncate text-slate-600 dark:text-slate-300">{machineTitle(scenario.machine)} · step {step} of {scenario.actions.length}</span>}
        <a href={back} target="_blank" rel="noopener" className="ml-auto shrink-0 text-sky-700 hover:underline dark:text-sky-300" data-testid="embed-open">Open the full state ↗</a>
      </p>
      {loaded ? <Workspace /> : <p className="p-3 text-xs text-slate-500">Loading…</p>}
    </div>
  );
}

function Mirror({ loaded }: { loaded: boolean }) {
  useMirror();
  return (
    <div className="flex h-screen flex-col bg-slate-100 text-slate-900 dark:bg-slate-950 dark:text-slate-100" data-testid="mirror">
      {loaded ? <Workspace /> : <p className="p-3 text-xs text-slate-500">Waiting for the paired machine…</p>}
    </div>
  );
}
