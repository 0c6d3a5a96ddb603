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
import { storyByName, storyCaption } from '../../scenario/stories';

function sameScenario(a: Scenario | null, b: Scenario): boolean {
  return !!a && JSON.stringify({ m: a.machine, a: a.actions }) === JSON.stringify({ m: b.machine, a: b.actions });
}

/** The tab the left side of the split view shows (the panels as tabs on both halves). */
let wantTab = '';
function showTab(): void {
  const tab = wantTab ? document.getElementById(wantTab) : null;
  if (tab?.getAttribute('role') === 'tab' && tab.getAttribute('aria-selected') !== 'true') tab.click();
}

/** Follow the parent frame (mirror mode). */
function useMirror(): void {
  useEffect(() => {
    const onMsg = (e: MessageEvent) => {
      if (e.origin !== location.origin || e.source !== window.parent) return;
      // The left side's tab (both halves show their panels as tabs): show the same one.
      if (e.data?.type === `${MIRROR_MESSAGE}:tab` && typeof e.data.tab === 'string' && /^tab-[\w/ -]{1,40}$/.test(e.data.tab)) {
        wantTab = e.data.tab;
        showTab();
        return;
      }
      if (e.data?.type !== MIRROR_MESSAGE) return;
      const { scenario, step, story } = e.data as { scenario: Scenario; step: number; story?: string | null };
      const st = useStore.getState();
      if (sameScenario(st.scenario, scenario) && st.story === (story ?? null)) void gotoStep(step);
      else void loadScenario({ ...scenario, step }, null, { story: story ?? null }).then(() => requestAnimationFrame(showTab));
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
      <MirrorCaption />
      {loaded ? <Workspace /> : <p className="p-3 text-xs text-slate-500">Waiting for the paired machine…</p>}
    </div>
  );
}

/** A partner story's caption at the step shown (the left side has its own in the time line bar). */
function MirrorCaption() {
  const name = useStore((s) => s.story);
  const step = useStore((s) => s.snapshot?.step ?? 0);
  const story = name ? storyByName(name) : undefined;
  if (!story) return null;
  return (
    <p data-testid="mirror-caption" aria-live="polite" className="shrink-0 border-b border-violet-200 bg-violet-50/70 px-2 py-1 text-[12px] leading-snug text-slate-800 dark:border-violet-900 dark:bg-violet-950/40 dark:text-slate-100">
      <span className="mr-1 font-mono text-[11px] text-violet-700 dark:text-violet-300">{story.name} · {step}/{story.scenario.actions.length}</span>
      {storyCaption(story, step)}
    </p>
  );
}
