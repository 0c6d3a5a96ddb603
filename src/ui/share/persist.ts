// The user's work kept across reloads: the current scenario (written when it changes) and the
// step, selection and story (written on every move), in localStorage. What comes back from
// storage is validated like any other input: a damaged entry is reported, never half-loaded.

import { parseSelection, formatSelection, type LinkSelection } from '../../scenario/url';
import { validateScenario } from '../../scenario/validate';
import type { Work } from '../store';

const WORK_KEY = 'irqscope.work';
const POS_KEY = 'irqscope.pos';

interface SavedPos {
  v: 1;
  step: number;
  sel: string | null;
  story: string | null;
  presetId: string | null;
}

let lastScenarioJson = '';
let lastScenario: object | null = null;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Save the work. The scenario is rewritten only when it changed (it can be large). */
export function saveWork(w: Work | null): void {
  const ls = storage();
  if (!ls) return;
  try {
    if (!w) {
      ls.removeItem(WORK_KEY);
      ls.removeItem(POS_KEY);
      lastScenarioJson = '';
      lastScenario = null;
      return;
    }
    if (w.scenario !== lastScenario) {
      const json = JSON.stringify(w.scenario);
      if (json !== lastScenarioJson) {
        ls.setItem(WORK_KEY, json);
        lastScenarioJson = json;
      }
      lastScenario = w.scenario;
    }
    const pos: SavedPos = {
      v: 1,
      step: w.step,
      sel: w.selection ? formatSelection(w.selection as LinkSelection) : null,
      story: w.story,
      presetId: w.presetId,
    };
    ls.setItem(POS_KEY, JSON.stringify(pos));
  } catch {
    /* quota or private mode: the work lasts for this page only */
  }
}

export type Loaded = { ok: true; work: Work | null } | { ok: false; error: string };

/** The saved work, validated; `work: null` when there is none. */
export function loadWork(): Loaded {
  const ls = storage();
  if (!ls) return { ok: true, work: null };
  let text: string | null;
  let posText: string | null;
  try {
    text = ls.getItem(WORK_KEY);
    posText = ls.getItem(POS_KEY);
  } catch {
    return { ok: true, work: null };
  }
  if (!text) return { ok: true, work: null };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'the saved scenario is not valid JSON' };
  }
  const v = validateScenario(data);
  if (!v.ok) return { ok: false, error: v.error };
  const scenario = v.scenario;
  lastScenarioJson = text;
  let pos: Partial<SavedPos> = {};
  try {
    pos = posText ? (JSON.parse(posText) as Partial<SavedPos>) : {};
  } catch {
    pos = {};
  }
  const n = scenario.actions.length;
  const step = typeof pos.step === 'number' && Number.isInteger(pos.step) && pos.step >= 0 && pos.step <= n ? pos.step : n;
  const sel = typeof pos.sel === 'string' ? parseSelection(pos.sel) : null;
  return {
    ok: true,
    work: {
      scenario,
      step,
      selection: sel && typeof sel !== 'string' ? sel : null,
      story: typeof pos.story === 'string' ? pos.story : null,
      presetId: typeof pos.presetId === 'string' ? pos.presetId : null,
    },
  };
}
