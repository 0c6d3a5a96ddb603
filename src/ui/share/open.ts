// Opening work from outside — a link (the URL's hash), a JSON file, a guided story — and keeping
// the URL and localStorage in step with what is shown.
//
// Untrusted input never half-loads: a link or a file is size-checked, decoded and validated
// first (src/scenario/url.ts, validate.ts); when anything is wrong a banner says what, and the
// current work stays exactly as it was. When something does open, the work it replaced is kept:
// "Undo open" in the banner brings it back. On a fresh load without a scenario in the URL, the
// work saved in localStorage comes back.

import { STORIES, storyByName, storyWaits } from '../../scenario/stories';
import { decodeLink, encodeLink, isStoryScenario, knownPayload, linkParts, rememberPayload, type LinkInput, type LinkRefusal, type LinkSelection } from '../../scenario/url';
import { presetOf } from '../presets';
import { MAX_FILE_BYTES, parseScenario } from '../../scenario/validate';
import type { Scenario } from '../../worker/protocol';
import { cancelEngine, engineLoading } from '../../worker/client';
import { useStore, type Work } from '../store';
import { announceStep, loadScenario } from '../store/commands';
import { damagedWork, dropDamagedWork, loadWork, pushHistory, saveWork, type HistoryEntry } from './persist';
import { compressOffThread } from './compressOffThread';
import { cancelledCount } from '../store/cancelLoad';
import { kernelName, kernelOf } from '../kernel/versions';

/** The work on screen now (null on the first screen). */
export function currentWork(): Work | null {
  const s = useStore.getState();
  if (!s.scenario || !s.snapshot) return null;
  const w: Work = { scenario: s.scenario, step: s.snapshot.step, selection: s.selection, story: s.story, presetId: s.presetId };
  if (s.refusals.length) w.refusals = s.refusals.map(({ id: _id, ...r }) => r);
  return w;
}

/** A link's refused calls as the log keeps them: the kernel's answer, without a trace (the link has none). */
function refusalsOfLink(refused: readonly LinkRefusal[]): NonNullable<Work['refusals']> {
  return refused.map((r) => ({
    atStep: r.atStep,
    action: r.action,
    result: { ok: false, errno: r.errno, ...(r.errnoName ? { errnoName: r.errnoName } : {}), message: r.message, trace: [], hops: [] },
  }));
}

/** What a link carries of the log's refused calls. */
function linkRefusals(w: Work): LinkRefusal[] | undefined {
  return w.refusals?.map((r) => ({
    atStep: r.atStep, action: r.action, errno: r.result.errno ?? -1, ...(r.result.errnoName ? { errnoName: r.result.errnoName } : {}), message: r.result.message,
  }));
}

/**
 * The picker machine a link names, when it is one and the link's machine is that machine (on
 * whichever kernel: the kernel selector keeps the machine's name).
 */
function presetOfLink(id: string | null | undefined, machine: Scenario['machine']): string | null {
  return id ? presetOf(machine, { anyKernel: true, id })?.id ?? null : null;
}

function sameScenario(a: Scenario, b: Scenario): boolean {
  return a === b || JSON.stringify([a.machine, a.actions]) === JSON.stringify([b.machine, b.actions]);
}

/** "12 steps on x86, 4 CPUs, Intel IR" */
export function describeWork(w: Work): string {
  const m = w.scenario.machine;
  const n = w.scenario.actions.length;
  const story = w.story ? storyByName(w.story) : undefined;
  const what = story && isStoryScenario(story, w.scenario) ? `the story “${story.title}”` : `${n} step${n === 1 ? '' : 's'}`;
  const remap = m.arch === 'x86' ? `, ${m.remap === 'none' ? 'no remapping' : m.remap === 'amd-ir' ? 'AMD IR' : 'Intel IR'}` : '';
  return `${what} on ${m.arch}, ${m.cpus} CPU${m.cpus === 1 ? '' : 's'}${remap}, at step ${w.step} (${kernelName(kernelOf(m))})`;
}

/** The story whose scenario this is, if any (an exported story comes back as its story). */
function storyOf(scenario: Scenario): string | null {
  return STORIES.find((s) => !storyWaits(s) && isStoryScenario(s, scenario))?.name ?? null;
}

/**
 * Load `w` into the worker and the store. True when the page now shows exactly `w`; false when
 * the load failed (the reason is in the toast the command queue set, left as it is).
 */
async function loadWorkNow(w: Work): Promise<boolean> {
  // A new choice never waits behind a long load: stop it, and put back what the page shows.
  if (engineLoading()) {
    const cur = currentWork();
    await cancelEngine(cur ? { ...cur.scenario, step: cur.step } : undefined);
  }
  const before = useStore.getState().snapshot;
  await loadScenario({ ...w.scenario, step: w.step }, w.presetId, { selection: w.selection, story: w.story ?? storyOf(w.scenario), refusals: w.refusals });
  const s = useStore.getState();
  const shown = s.snapshot !== before && s.scenario !== null && s.snapshot?.step === w.step && sameScenario(s.scenario, w.scenario);
  if (shown) announceStep();
  return shown;
}

/** The failure a load left in the toast (the command queue's), as banner text. */
function loadFailure(): string {
  const t = useStore.getState().toast;
  return t && t.tone === 'error' ? `${t.title}: ${t.detail}` : 'the engine did not answer';
}

/**
 * Open `w`, replacing `prev` (the current work, or on start-up the saved one). When `prev` had
 * steps and was different, it is kept for "Undo open" and in the saved history. When the load
 * fails, the banner says so and the work on screen stays (the worker is brought back to it).
 */
async function openWork(w: Work, what: string, prev: Work | null): Promise<boolean> {
  const shownBefore = currentWork();
  const cancels = cancelledCount();
  if (!(await loadWorkNow(w))) {
    if (cancelledCount() !== cancels) {
      // Stopped (Cancel, or another choice): the work on screen stays, the worker has it again.
      useStore.getState().setBanner({ tone: 'info', title: `Opening ${what} was cancelled — nothing was changed` });
      return false;
    }
    const why = loadFailure();
    // "the story …" reads "The story …"; a file's own name keeps its case.
    badInput(`${what.startsWith('the ') ? `The${what.slice(3)}` : what} could not be opened — nothing was changed`, why);
    // The worker may have been left elsewhere (a reply lost on the way): put it back.
    if (shownBefore && !/was refused/.test(why)) await cancelEngine({ ...shownBefore.scenario, step: shownBefore.step });
    return false;
  }
  const s = useStore.getState();
  if (prev && prev.scenario.actions.length > 0 && !sameScenario(prev.scenario, w.scenario)) {
    const kept = pushHistory(prev, `replaced by ${what}`);
    if (!kept.ok) s.setToast({ tone: 'error', title: 'Your previous work is kept for this page only', detail: `It could not be saved in the browser: ${kept.error}. Export it to keep it.` });
    useStore.setState({ previousWork: prev });
    s.setBanner({
      tone: 'info',
      title: `Opened ${what}`,
      detail: `Your previous work (${describeWork(prev)}) is kept: “Undo open” brings it back.`,
      actions: ['undoOpen'],
    });
  } else {
    useStore.setState({ previousWork: null });
    if (s.banner?.actions?.includes('undoOpen')) s.setBanner(null);
  }
  return true;
}

/** Put back the work the last open replaced. */
export async function undoOpen(): Promise<void> {
  const prev = useStore.getState().previousWork;
  if (!prev) return;
  useStore.setState({ previousWork: null });
  useStore.getState().setBanner(null);
  if (await loadWorkNow(prev)) useStore.getState().setToast({ tone: 'info', title: 'previous work restored', detail: describeWork(prev) });
  else {
    useStore.setState({ previousWork: prev });
    badInput('Your previous work could not be restored — nothing was changed', loadFailure());
  }
}

/** Open a guided story at its first step. */
export function openStory(name: string, step = 0): Promise<void> {
  const story = storyByName(name);
  if (!story) return Promise.resolve();
  return openWork({ scenario: story.scenario, step, selection: null, story: story.name, presetId: null }, `the story “${story.title}”`, currentWork()).then(() => undefined);
}

function badInput(title: string, error: string): void {
  useStore.getState().setBanner({ tone: 'error', title, detail: error });
}

/** Open what a location hash holds. `boot`: the page is starting (restore saved work if needed). */
export async function openHash(hash: string, boot: boolean): Promise<void> {
  const r = decodeLink(hash);
  const saved = boot ? restoreCandidate() : null;
  if (!r.ok) {
    badInput('This link could not be opened — nothing was changed', r.error);
    if (boot && saved) await loadWorkNow(saved);
    syncUrl(true);
    return;
  }
  if (!r.state) {
    if (boot && saved) await loadWorkNow(saved);
    return;
  }
  const st = r.state;
  const selection = st.selection as LinkSelection | null;
  const prev = boot ? saved : currentWork();
  // The machine of the picker the link names (s2), or that of the work on screen (or saved: a reload).
  const presetId = presetOfLink(st.preset, st.scenario.machine) ?? (prev && sameScenario(prev.scenario, st.scenario) ? prev.presetId : null);
  const work: Work = { scenario: st.scenario, step: st.step, selection, story: st.story, presetId };
  if (st.refused?.length) work.refusals = refusalsOfLink(st.refused);
  const opened = await openWork(
    work,
    st.story ? `the story “${storyByName(st.story)?.title ?? st.story}” from the link` : 'the scenario from the link',
    prev,
  );
  // The address bar shows what is on screen, not the link that failed (a reload must not retry it).
  if (!opened) syncUrl(true);
}

/** The saved work, or null; a damaged saved entry is reported in the banner (its text is kept). */
function restoreCandidate(): Work | null {
  const r = loadWork();
  if (!r.ok) {
    useStore.getState().setBanner({
      tone: 'error',
      title: 'Your saved work could not be restored',
      detail: `${r.error}\nIts text is kept in this browser until you download it — picking a machine does not overwrite it.`,
      actions: damagedWork() !== null ? ['downloadDamaged'] : undefined,
    });
    return null;
  }
  return r.work;
}

/** Download the saved work that could not be restored, then forget it. */
export function downloadDamagedWork(): void {
  const text = damagedWork();
  if (text === null) return;
  download('irqscope-damaged-saved-work.json', text);
  dropDamagedWork();
}

/** Bring back work a link, a file or a story replaced (the saved history, newest first). */
export function restoreEarlier(e: HistoryEntry): Promise<boolean> {
  return openWork(e.work, `your earlier work (${describeWork(e.work)})`, currentWork());
}

/** Open a scenario JSON file (file picker or drop). Checked for size before it is read. */
export async function openFile(file: File): Promise<void> {
  const name = file.name || 'the file';
  const title = `${name} could not be opened — nothing was changed`;
  if (file.size > MAX_FILE_BYTES) {
    badInput(title, `too large: ${file.size.toLocaleString('en-US')} bytes, the limit is ${MAX_FILE_BYTES.toLocaleString('en-US')} (${MAX_FILE_BYTES / 1024 / 1024} MiB); not read`);
    return;
  }
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    badInput(title, `could not read it: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const r = parseScenario(text, { maxBytes: MAX_FILE_BYTES });
  if (!r.ok) {
    badInput(title, r.error);
    return;
  }
  const { step, ...scenario } = r.scenario;
  const n = scenario.actions.length;
  if (step !== undefined && step > n) {
    badInput(title, `step: ${step} is beyond the end: the scenario has ${n} step${n === 1 ? '' : 's'} (0…${n})`);
    return;
  }
  await openWork({ scenario, step: step ?? n, selection: null, story: null, presetId: null }, name, currentWork());
}

// ---- export ----------------------------------------------------------------------------

/** A file name for the current work: the story's name, or machine and step count. */
export function exportName(w: Work): string {
  const m = w.scenario.machine;
  const base = w.story && storyByName(w.story) ? w.story : `${m.arch}-${m.cpus}cpu-${w.scenario.actions.length}steps`;
  return `irqscope-${base}.json`;
}

/**
 * The scenario file: the scenario with the step shown, as `npm run sim` and import read it.
 * Compact, one action a line: what the app exports, it imports (pretty-printing made files
 * 1.7× larger than the scenario and past the limit).
 */
export function exportText(w: Work): string {
  const { actions, ...head } = { ...w.scenario, step: w.step };
  const lines = actions.map((a) => `  ${JSON.stringify(a)}`).join(',\n');
  return `${JSON.stringify(head).replace(/}$/, `,"actions":[${actions.length ? `\n${lines}\n` : ''}]}`)}\n`;
}

export function download(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function exportJson(): void {
  const w = currentWork();
  if (w) download(exportName(w), exportText(w));
}

// ---- the URL and localStorage follow the store -----------------------------------------------

/** The hash for the current work ('' on the first screen). */
export function currentHash(): string {
  const w = currentWork();
  return w ? encodeLink(linkInputOf(w)) : '';
}

function linkInputOf(w: Work): LinkInput {
  return { scenario: w.scenario, step: w.step, selection: w.selection as LinkSelection | null, story: w.story, preset: w.presetId, refused: linkRefusals(w) };
}

/**
 * syncUrl for a long scenario: its link's payload is compressed in a worker first (hundreds of ms
 * for thousands of steps, which must not be one long task on the page), so that syncUrl finds it
 * known. Work changed meanwhile is compressed in turn; a newer call takes over from an older one.
 */
async function syncOffThread(): Promise<void> {
  for (;;) {
    const w = currentWork();
    const parts = w ? linkParts(linkInputOf(w)) : null;
    if (!parts || parts.json === null || knownPayload(parts.json) !== undefined) break;
    const payload = await compressOffThread(parts.json);
    if (payload === null) return;
    rememberPayload(parts.json, payload);
  }
  syncUrl();
}

/** The full link to the current work. */
export function currentLink(): string {
  return location.href.replace(/#.*$/, '') + currentHash();
}

let syncing = false;

/** Write the current work to the URL (replaceState: no history entry, no hashchange) and storage. */
export function syncUrl(force = false): void {
  if (!syncing && !force) return;
  const w = currentWork();
  const hash = currentHash();
  if (hash !== location.hash && !(hash === '' && location.hash === '')) {
    history.replaceState(history.state, '', hash || location.pathname + location.search);
  }
  if (!w) return;
  const saved = saveWork(w);
  if (!saved.ok && !saveFailing) {
    useStore.getState().setToast({ tone: 'error', title: 'Your work is not being saved in this browser', detail: `${saved.error}. Export it (Share → Export) to keep it.` });
  }
  saveFailing = !saved.ok;
}

/** The last save failed (the user was told once; told again after a save succeeds and fails anew). */
let saveFailing = false;

/**
 * Start-up: open what the URL holds (or the saved work), then keep URL and storage following the
 * store, and open links typed or pasted into the address bar (hashchange).
 */
export async function startLinks(): Promise<() => void> {
  await openHash(location.hash, true);
  syncing = true;
  syncUrl();
  const unsub = useStore.subscribe((s, prev) => {
    const long = (s.scenario?.actions.length ?? 0) > DEFER_FROM;
    if (s.scenario !== prev.scenario && long) {
      syncSoon();
    } else if (long && (s.snapshot?.step !== prev.snapshot?.step || s.selection !== prev.selection || s.story !== prev.story || s.presetId !== prev.presetId || s.refusals !== prev.refusals)) {
      // A long scenario's link is long too: replacing it takes tens of ms (90 ms for 4,000
      // steps), which must not land in the frames of every step shown.
      syncSoon();
    } else if (s.scenario !== prev.scenario || s.snapshot?.step !== prev.snapshot?.step || s.selection !== prev.selection || s.story !== prev.story || s.presetId !== prev.presetId || s.refusals !== prev.refusals) {
      syncNow();
    }
  });
  const onHash = () => void openHash(location.hash, false);
  const onHide = () => {
    if (pending) syncNow();
  };
  window.addEventListener('hashchange', onHash);
  window.addEventListener('pagehide', onHide);
  return () => {
    syncing = false;
    cancelSoon();
    unsub();
    window.removeEventListener('hashchange', onHash);
    window.removeEventListener('pagehide', onHide);
  };
}

/**
 * A scenario longer than this many steps is written to the URL and storage after the panels have
 * drawn it: compressing thousands of steps for the link takes tens of ms, which would otherwise
 * hold back the first frame of every new step.
 */
const DEFER_FROM = 1000;
let pending = false;
let idle = 0;
let timer: ReturnType<typeof setTimeout> | null = null;

function cancelSoon(): void {
  if (idle) cancelIdleCallback(idle);
  if (timer) clearTimeout(timer);
  idle = 0;
  timer = null;
  pending = false;
}

function syncNow(): void {
  cancelSoon();
  syncUrl();
}

/** syncUrl when the page is next idle (not in the frame that draws the new step), within a second. */
function syncSoon(): void {
  if (pending) return;
  pending = true;
  const run = () => {
    idle = 0;
    timer = null;
    // While steps play, the link waits for the pause (pagehide still writes it).
    if (useStore.getState().playing) {
      timer = setTimeout(run, 500);
      return;
    }
    pending = false;
    void syncOffThread();
  };
  if (typeof requestIdleCallback === 'function') idle = requestIdleCallback(run, { timeout: 1000 });
  else timer = setTimeout(run, 50);
}
