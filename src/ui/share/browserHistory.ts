// Browser Back and Forward move through the work: opening a story or a link, switching machine
// and jumping to a step are history entries. The URL itself is written by open.ts (replaceState
// as the view changes); this module only adds an entry before such a change, so the entry left
// behind keeps the old address. Going back to a step of the same scenario is a jump (no reload);
// going back to other work opens it like any link would (open.ts, on hashchange).

import { decodeLink } from '../../scenario/url';
import type { Scenario } from '../../worker/protocol';
import { useStore } from '../store';
import { gotoStep } from '../store/commands';

/** Step changes closer together than this (a scrubber drag, held arrow keys) are one entry. */
const COALESCE_MS = 400;

function sameScenario(a: Scenario, b: Scenario): boolean {
  return a === b || JSON.stringify([a.machine, a.actions]) === JSON.stringify([b.machine, b.actions]);
}

/** Install once, before the link machinery (its subscription must run first). Returns the uninstall. */
export function installBrowserHistory(): () => void {
  if (typeof window === 'undefined' || typeof history === 'undefined') return () => {};
  let last = 0;
  let lastWasJump = false;
  /** A Back/Forward is being applied: its changes are not new entries. */
  let traversing = false;
  let fallback: ReturnType<typeof setTimeout> | null = null;
  const settle = () => {
    traversing = false;
    if (fallback) clearTimeout(fallback);
    fallback = null;
  };

  const unsub = useStore.subscribe((s, prev) => {
    if (traversing) {
      // Other work opened by the traversal: done once it is on screen.
      if (s.scenario !== prev.scenario) settle();
      return;
    }
    if (!prev.scenario || !s.scenario || !prev.snapshot || !s.snapshot) return;
    const otherWork = s.story !== prev.story || s.presetId !== prev.presetId || s.scenario.machine !== prev.scenario.machine;
    const jump = s.scenario === prev.scenario && s.snapshot.step !== prev.snapshot.step && !s.playing && !prev.playing;
    if (!otherWork && !jump) return;
    const now = typeof performance !== 'undefined' ? performance.now() : Date.now();
    if (jump && !otherWork && lastWasJump && now - last < COALESCE_MS) {
      last = now;
      return;
    }
    last = now;
    lastWasJump = jump && !otherWork;
    // A copy of the entry we are on; open.ts then writes the new address into it.
    history.pushState(history.state, '', location.href);
  });

  const onPop = () => {
    traversing = true;
    if (fallback) clearTimeout(fallback);
    fallback = setTimeout(settle, 3000);
  };
  // Runs before open.ts's listener (capture, registered first): a step of the scenario on screen
  // is a jump, not a reload of the whole scenario.
  const onHash = (e: HashChangeEvent) => {
    if (!traversing) return;
    const r = decodeLink(location.hash);
    const s = useStore.getState();
    if (!r.ok || !r.state || !s.scenario || !sameScenario(r.state.scenario, s.scenario) || r.state.story !== s.story) return;
    e.stopImmediatePropagation();
    void gotoStep(r.state.step).finally(settle);
  };
  window.addEventListener('popstate', onPop);
  window.addEventListener('hashchange', onHash, { capture: true });
  return () => {
    unsub();
    settle();
    window.removeEventListener('popstate', onPop);
    window.removeEventListener('hashchange', onHash, { capture: true });
  };
}
