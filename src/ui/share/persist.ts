// The user's work kept across reloads: the current scenario (written when it changes) and the
// step, selection and story (written on every move), in localStorage. What comes back from
// storage is validated like any other input: a damaged entry is reported, never half-loaded,
// and never lost — its text is set aside (`irqscope.damaged`) before anything can overwrite it,
// so the user can download it. Work that something else replaced (a link opened over it) goes
// to a small history (`irqscope.history`, size-checked), and a save that fails says so.

import { parseSelection, formatSelection, type LinkSelection } from '../../scenario/url';
import { validateScenario } from '../../scenario/validate';
import type { Scenario } from '../../worker/protocol';
import type { Work } from '../store';

const WORK_KEY = 'irqscope.work';
const POS_KEY = 'irqscope.pos';
const DAMAGED_KEY = 'irqscope.damaged';
const HISTORY_KEY = 'irqscope.history';

/** Entries kept in the history of replaced work, and the most characters they may take together. */
export const HISTORY_MAX = 5;
export const HISTORY_MAX_CHARS = 1_500_000;

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

export type SaveStatus = { ok: true } | { ok: false; error: string };

function quotaText(e: unknown): string {
  const name = e instanceof Error ? e.name : '';
  return name === 'QuotaExceededError' || /quota/i.test(String(e))
    ? 'the browser\'s storage for this page is full'
    : `the browser refused to store it (${e instanceof Error ? e.message : String(e)})`;
}

function posOf(w: Work): SavedPos {
  return {
    v: 1,
    step: w.step,
    sel: w.selection ? formatSelection(w.selection as LinkSelection) : null,
    story: w.story,
    presetId: w.presetId,
  };
}

/** Save the work. The scenario is rewritten only when it changed (it can be large). */
export function saveWork(w: Work | null): SaveStatus {
  const ls = storage();
  if (!ls) return { ok: false, error: 'this browser keeps no storage for this page (private mode?)' };
  try {
    if (!w) {
      ls.removeItem(WORK_KEY);
      ls.removeItem(POS_KEY);
      lastScenarioJson = '';
      lastScenario = null;
      return { ok: true };
    }
    if (w.scenario !== lastScenario) {
      const json = JSON.stringify(w.scenario);
      if (json !== lastScenarioJson) {
        ls.setItem(WORK_KEY, json);
        lastScenarioJson = json;
      }
      lastScenario = w.scenario;
    }
    ls.setItem(POS_KEY, JSON.stringify(posOf(w)));
    return { ok: true };
  } catch (e) {
    // The stored scenario may now be the previous one: make the next save write it again.
    lastScenario = null;
    lastScenarioJson = '';
    return { ok: false, error: quotaText(e) };
  }
}

export type Loaded = { ok: true; work: Work | null } | { ok: false; error: string };

/** The step, selection, story and preset stored beside a scenario; anything malformed is ignored. */
function readPos(posText: string | null, scenario: Scenario): Omit<Work, 'scenario'> {
  let raw: unknown = null;
  try {
    raw = posText ? JSON.parse(posText) : null;
  } catch {
    raw = null;
  }
  const pos: Partial<Record<keyof SavedPos, unknown>> = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const n = scenario.actions.length;
  const step = typeof pos.step === 'number' && Number.isInteger(pos.step) && pos.step >= 0 && pos.step <= n ? pos.step : n;
  const sel = typeof pos.sel === 'string' ? parseSelection(pos.sel) : null;
  const str = (v: unknown) => (typeof v === 'string' && v.length <= 200 ? v : null);
  return { step, selection: sel && typeof sel !== 'string' ? sel : null, story: str(pos.story), presetId: str(pos.presetId) };
}

/** Scenario text from storage, validated; the error says what is wrong. */
function readScenario(text: string): { ok: true; scenario: Scenario } | { ok: false; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'the saved scenario is not valid JSON' };
  }
  return validateScenario(data);
}

/**
 * The saved work, validated; `work: null` when there is none. A damaged entry is set aside
 * first (see damagedWork), so the next save cannot destroy it.
 */
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
  const v = readScenario(text);
  if (!v.ok) {
    try {
      if (ls.getItem(DAMAGED_KEY) !== text) ls.setItem(DAMAGED_KEY, text);
    } catch {
      /* full: the entry itself stays where it is until the user decides */
    }
    return { ok: false, error: v.error };
  }
  lastScenarioJson = text;
  return { ok: true, work: { scenario: v.scenario, ...readPos(posText, v.scenario) } };
}

/** The text of saved work that could not be restored, kept for download (null: none). */
export function damagedWork(): string | null {
  try {
    return storage()?.getItem(DAMAGED_KEY) ?? null;
  } catch {
    return null;
  }
}

/** Forget the damaged entry (after the user downloaded it or said to drop it). */
export function dropDamagedWork(): void {
  try {
    storage()?.removeItem(DAMAGED_KEY);
  } catch {
    /* nothing to do */
  }
}

// ---- history of replaced work --------------------------------------------------------------

export interface HistoryEntry {
  /** When it was replaced (ms since the epoch). */
  at: number;
  /** Why: "a link was opened", "a file was opened"… */
  why: string;
  work: Work;
}

interface StoredEntry {
  at: number;
  why: string;
  scenario: string;
  pos: string;
}

function readHistoryRaw(ls: Storage): StoredEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(ls.getItem(HISTORY_KEY) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (e): e is StoredEntry =>
      e !== null && typeof e === 'object' && typeof e.at === 'number' && typeof e.why === 'string' && typeof e.scenario === 'string' && typeof e.pos === 'string',
  );
}

/**
 * Keep `w` in the history of replaced work (newest first, at most HISTORY_MAX entries and
 * HISTORY_MAX_CHARS characters; the oldest go first). Says when it could not.
 */
export function pushHistory(w: Work, why: string): SaveStatus {
  const ls = storage();
  if (!ls) return { ok: false, error: 'this browser keeps no storage for this page (private mode?)' };
  const entry: StoredEntry = { at: Date.now(), why, scenario: JSON.stringify(w.scenario), pos: JSON.stringify(posOf(w)) };
  if (entry.scenario.length > HISTORY_MAX_CHARS) return { ok: false, error: `it is too large to keep in the browser (${entry.scenario.length.toLocaleString('en-US')} characters)` };
  const list = [entry, ...readHistoryRaw(ls).filter((e) => e.scenario !== entry.scenario)].slice(0, HISTORY_MAX);
  while (list.length > 1 && list.reduce((n, e) => n + e.scenario.length + e.pos.length, 0) > HISTORY_MAX_CHARS) list.pop();
  try {
    ls.setItem(HISTORY_KEY, JSON.stringify(list));
    return { ok: true };
  } catch (e) {
    return { ok: false, error: quotaText(e) };
  }
}

/** The history of replaced work, newest first; entries that do not validate are left out. */
export function loadHistory(): HistoryEntry[] {
  const ls = storage();
  if (!ls) return [];
  const out: HistoryEntry[] = [];
  for (const e of readHistoryRaw(ls)) {
    const v = readScenario(e.scenario);
    if (v.ok) out.push({ at: e.at, why: e.why, work: { scenario: v.scenario, ...readPos(e.pos, v.scenario) } });
  }
  return out;
}
