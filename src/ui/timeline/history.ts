// Undo and redo of edits (Ctrl+Z / Ctrl+Shift+Z): each edit is an action added to the scenario,
// with the tail it cut, or a jump to other work (a machine switch, a story, a link, "Undo open").
// Kept apart from stepping: moving through the time line is not an edit and never changes the
// scenario. Undo reloads the scenario as it was before the edit, at the step the user was at;
// redo reloads it as it was after. A jump's entry holds the whole work it replaced.

import { useStore, type EditEntry } from '../store';
import { loadScenario } from '../store/commands';

function swap(from: 'past' | 'future'): Promise<unknown> {
  const s = useStore.getState();
  const stack = s[from];
  const entry = stack.at(-1);
  if (!entry || !s.scenario || !s.snapshot) return Promise.resolve();
  const current: EditEntry = {
    label: entry.label,
    actions: s.scenario.actions,
    step: s.snapshot.step,
    ...(entry.work ? { work: { scenario: s.scenario, step: s.snapshot.step, selection: s.selection, story: s.story, presetId: s.presetId } } : {}),
  };
  const to = from === 'past' ? 'future' : 'past';
  useStore.setState({ [from]: stack.slice(0, -1), [to]: [...s[to], current] } as Pick<typeof s, 'past' | 'future'>);
  const w = entry.work;
  const done = w
    ? loadScenario({ ...w.scenario, step: w.step }, w.presetId, { keepHistory: true, selection: w.selection, story: w.story })
    : loadScenario({ ...s.scenario, actions: entry.actions, step: entry.step }, s.presetId, {
      keepHistory: true,
      selection: s.selection,
      story: s.story,
    });
  return done.then(() =>
    useStore.getState().setToast({
      tone: 'info',
      title: from === 'past' ? `undid ${entry.label}` : `redid ${entry.label}`,
      detail: `${entry.actions.length} step${entry.actions.length === 1 ? '' : 's'}, showing step ${useStore.getState().snapshot?.step ?? 0}`,
    }),
  );
}

/** Undo the last edit: the last added action, the cut it made, or a jump to other work. */
export function undoEdit(): Promise<unknown> {
  return swap('past');
}

/** Redo the last undone edit. */
export function redoEdit(): Promise<unknown> {
  return swap('future');
}
