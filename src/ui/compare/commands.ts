// The compare calls to the worker: the diff the Changes panel shows (refreshed when the shown step
// or the comparison changes, while the panel is open), the trace line refs of a step, the Elixir tag.

import { engine } from '../../worker/client';
import type { DiffSide } from '../../worker/protocol';
import { useStore } from '../store';
import { embedMode } from './link';
import { openStory } from '../share/open';
import { useCompare, type CompareWith } from './store';
import { pairedScenario, pairedStep, pairingLabel, storyPairing } from './pairing';

export { pairedScenario, pairingLabel };

let seq = 0;

/** Ask the engine for the diff the panel shows; marks follow it. */
export async function refreshDiff(): Promise<void> {
  const c = useCompare.getState();
  const { snapshot, scenario } = useStore.getState();
  if (!c.open || !snapshot || !scenario) return;
  const step = snapshot.step;
  const mine = ++seq;
  let a: DiffSide;
  let b: DiffSide = { step, label: `step ${step}` };
  const w: CompareWith = c.with;
  if (w.kind === 'pair' && c.pairing) {
    const paired = pairedScenario(scenario, c.pairing);
    const k = pairedStep(paired, step);
    a = { step, label: `step ${step}` };
    b = { step: k, scenario: paired, label: `step ${k} (${pairingLabel(c.pairing)})` };
  } else if (w.kind === 'step') {
    a = { step: Math.min(w.step, scenario.actions.length), label: `step ${w.step}` };
  } else {
    a = { step: Math.max(0, step - 1), label: `step ${Math.max(0, step - 1)}` };
  }
  useCompare.setState({ busy: true });
  try {
    const diff = await engine().diff(a, b);
    if (mine !== seq) return;
    useCompare.setState({ diff, diffStep: step, busy: false, error: null });
    performance.mark('irqscope:diff');
  } catch (e) {
    if (mine !== seq) return;
    useCompare.setState({ busy: false, error: e instanceof Error ? e.message : String(e) });
  }
}

export function setCompareOpen(open: boolean): void {
  useCompare.setState({ open, ...(open ? {} : { diff: null, diffStep: null, lit: [] }) });
  if (open) void refreshDiff();
}

export function setCompareWith(w: CompareWith): void {
  useCompare.setState({ with: w });
  void refreshDiff();
}

/** The trace line refs of step k (cached per loaded scenario). */
export async function traceRefsOf(step: number): Promise<Record<string, import('../../worker/protocol').ObjectRef[]> | null> {
  const have = useCompare.getState().refs[step];
  if (have) return have.refs;
  const r = await engine().traceRefs(step);
  if (!r) return null;
  useCompare.setState((s) => ({ refs: { ...s.refs, [step]: r }, elixirTag: r.elixirTag }));
  return r.refs;
}

/**
 * The story followed changed (another story, other work): a pairing its former story made goes
 * with it. A pairing the user chose stays. Not in a split view's mirror.
 */
export function followStoryPairing(story: string | null, prev: string | null): void {
  if (embedMode() !== null) return;
  const c = useCompare.getState();
  // Only the pairing the former story opened with (a link may pair a story with any other).
  if (!c.storyPaired || !c.pairing?.story || storyPairing(prev)?.story !== c.pairing.story) return;
  if (storyPairing(story)?.story === c.pairing.story) return;
  useCompare.setState({ pairing: null, storyPaired: false });
  if (c.with.kind === 'pair') setCompareWith({ kind: 'previous' });
}

/**
 * Open a story from the picker: a story with a partner (compareWith: a road and the design that won,
 * two kernels, two architectures) opens side by side with it. A link opens what it says (its
 * ?pair= carries the pairing when the split view was open).
 */
export async function openStoryBeside(name: string): Promise<void> {
  await openStory(name);
  const want = storyPairing(name);
  const c = useCompare.getState();
  if (!want || useStore.getState().story !== name || embedMode() !== null) return;
  if (!c.pairing || c.storyPaired) useCompare.setState({ pairing: want, storyPaired: true });
}

/**
 * Keep the diff and the caches following the app: a new step shown refreshes the diff (when the
 * panel is open); a new scenario drops the trace refs and asks for the kernel's Elixir tag.
 */
export function installCompare(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const unsub = useStore.subscribe((s, prev) => {
    if (s.story !== prev.story) followStoryPairing(s.story, prev.story);
    if (s.scenario !== prev.scenario) {
      useCompare.setState({ refs: {} });
      if (s.scenario?.machine.kernel !== prev.scenario?.machine.kernel || !prev.scenario) {
        void engine().elixirTag().then((elixirTag) => useCompare.setState({ elixirTag })).catch(() => {});
      }
    }
    if (s.snapshot !== prev.snapshot || s.scenario !== prev.scenario) {
      if (timer) clearTimeout(timer);
      // After the panels have drawn the new step: the diff never holds a step back.
      timer = setTimeout(() => void refreshDiff(), 0);
    }
  });
  return () => {
    unsub();
    if (timer) clearTimeout(timer);
  };
}
