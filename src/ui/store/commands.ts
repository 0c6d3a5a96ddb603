// The UI's commands: everything that asks the engine worker something and puts the
// answer into the store. Callable from components, shortcuts and tests alike.
// Commands run one at a time (a queue), so fast key presses cannot interleave.

import { engine } from '../../worker/client';
import { validateAction } from '../../scenario/validate';
import type { Action, ResultView, Scenario, Snapshot } from '../../worker/protocol';
import { callTitle, describeAction, machineTitle, pendingNote } from '../format';
import { PRESETS, presetScenario } from '../presets';
import { useStore, type EditEntry, type Refusal, type Selection } from './index';
import { stateFrom } from './sync';
import { cancelRunningLoad, noteCancelled } from './cancelLoad';
import { fillTail, pendingRecords, settleStep } from './tail';

/** An action the engine answered (recorded or refused), after the store has the new snapshot. */
export interface Applied {
  action: Action;
  result: ResultView;
  before: Snapshot | null;
  after: Snapshot;
}
const appliedListeners = new Set<(e: Applied) => void>();

/** Listen to every answered action (the travel animation starts from here). */
export function onApplied(l: (e: Applied) => void): () => void {
  appliedListeners.add(l);
  return () => appliedListeners.delete(l);
}

/** A step shown by a jump or a load: its action and what the kernel answered there. */
export interface Shown {
  step: number;
  action: Action | null;
  result: ResultView | null;
  /** How it came: a jump of one step forward, any other jump, or a load (link, story, undo). */
  how: 'forward' | 'jump' | 'load';
}
const shownListeners = new Set<(e: Shown) => void>();

/** Listen to every step the view jumps to or opens at (the travel replays that step's journey). */
export function onStepShown(l: (e: Shown) => void): () => void {
  shownListeners.add(l);
  return () => shownListeners.delete(l);
}

function emitShown(step: number, result: ResultView | null, how: Shown['how']): void {
  const rec = step > 0 ? useStore.getState().records[step - 1] : undefined;
  const e: Shown = { step, action: rec?.action ?? null, result: result ?? rec?.result ?? null, how };
  for (const l of shownListeners) l(e);
}

let queue: Promise<unknown> = Promise.resolve();
let pending = 0;
let refusalSeq = 0;

export function enqueue<T>(job: () => Promise<T>): Promise<T | undefined> {
  // busy is true from the moment a command is queued until the last one has answered.
  pending++;
  useStore.setState({ busy: true });
  const run = async (): Promise<T | undefined> => {
    try {
      return await job();
    } catch (e) {
      if (noteCancelled(e)) {
        useStore.getState().setToast({ tone: 'info', title: 'Load cancelled', detail: 'the engine was stopped; the work on screen stays as it was' });
        return undefined;
      }
      const msg = e instanceof Error ? e.message : String(e);
      useStore.getState().setToast({ tone: 'error', title: 'The engine failed', detail: msg });
      return undefined;
    } finally {
      pending--;
      if (pending === 0) useStore.setState({ busy: false });
    }
  };
  const p = queue.then(run, run);
  queue = p;
  return p;
}

/** How a load leaves the rest of the UI (all optional: a fresh start). */
export interface LoadOptions {
  /** Select this after loading (a link's `sel=`). */
  selection?: Selection;
  /** The guided story the scenario is (its captions are shown). */
  story?: string | null;
  /** Keep the undo/redo history (undo and redo themselves load); otherwise it starts empty. */
  keepHistory?: boolean;
  /** The refused calls to list in the event log (a link's, or work put back); none otherwise. */
  refusals?: readonly Omit<Refusal, 'id'>[];
}

/** Boot a machine from a scenario and replay its actions, up to scenario.step when given. */
export function loadScenario(scenario: Scenario, presetId: string | null = null, opts: LoadOptions = {}): Promise<unknown> {
  void cancelRunningLoad(); // a new choice never waits behind a long load
  return enqueue(async () => {
    const reply = await engine().load(scenario, undefined, { deferTail: true });
    const shownTo = reply.records.length;
    const tail = reply.tail ? pendingRecords(scenario.actions.slice(shownTo)) : [];
    const records = tail.length ? [...reply.records, ...tail] : reply.records;
    const snapshot = await stateFrom(reply.delta);
    const { step: _step, ...rest } = scenario; // the step lives in the snapshot
    void _step;
    const before = useStore.getState();
    const nextScenario = { ...rest, actions: records.map((r) => r.action) };
    // Replacing other work (a machine switch, a story, a link, "Undo open") is a jump that
    // Ctrl+Z undoes: the work it replaced becomes an entry of the edit history.
    const replaced = !opts.keepHistory ? workEntry(before, nextScenario, presetId) : null;
    useStore.setState({
      scenario: nextScenario,
      presetId,
      records,
      refusals: (opts.refusals ?? []).filter((r) => r.atStep <= records.length).map((r) => ({ ...r, id: ++refusalSeq })),
      snapshot,
      selection: opts.selection ?? null,
      selectedCpu: null,
      toast: null,
      story: opts.story ?? null,
      playing: false,
      ...(opts.keepHistory ? {} : replaced ? { past: [...before.past, replaced].slice(-200), future: [] } : { past: [], future: [] }),
    });
    if (scenario.machine.cpus > SMOOTH_CPUS) useStore.getState().setToast(bigMachineNote(scenario.machine.cpus));
    emitShown(snapshot.step, null, 'load');
    await refreshInspector();
    // The steps after the one shown: asked for once the panels have what they need.
    if (tail.length) void fillTail(reply.loadToken, shownTo, tail);
  });
}

/** Machines up to this many CPUs are measured to stay smooth (npm run bench:ui); beyond, a note says what is slow. */
export const SMOOTH_CPUS = 1024;

function bigMachineNote(cpus: number) {
  return {
    tone: 'info' as const,
    title: `${cpus.toLocaleString('en-US')} CPUs: beyond ${SMOOTH_CPUS.toLocaleString('en-US')}, some things are slow`,
    detail:
      'Loading and stepping back replay every action (about 0.2 ms each; there are no checkpoints), cpu_down moves every interrupt, ' +
      '/proc/interrupts lines are 11 characters per CPU wide (drawn a window at a time), and past 2,048 CPUs the vector map has one pixel per CPU.',
  };
}

/** The work on screen as an undo entry, when loading `next` would replace it (null: nothing to keep). */
function workEntry(s: ReturnType<typeof useStore.getState>, next: Scenario, presetId: string | null): EditEntry | null {
  if (!s.scenario || !s.snapshot) return null;
  const same = s.scenario === next || JSON.stringify([s.scenario.machine, s.scenario.actions]) === JSON.stringify([next.machine, next.actions]);
  if (same && s.presetId === presetId) return null;
  const n = s.scenario.actions.length;
  return {
    label: `switch from ${n} step${n === 1 ? '' : 's'} on ${machineTitle(s.scenario.machine)}`,
    actions: s.scenario.actions,
    step: s.snapshot.step,
    work: { scenario: s.scenario, step: s.snapshot.step, selection: s.selection, story: s.story, presetId: s.presetId },
  };
}

/** Boot one of the picker's machines; asks first when that would drop recorded steps. */
export function pickPreset(id: string, confirmed = false): Promise<unknown> {
  const p = PRESETS.find((x) => x.id === id);
  const s = useStore.getState();
  if (!p) return Promise.resolve();
  if (!confirmed && s.records.length > 0) {
    s.openDialog({ kind: 'switchMachine', presetId: id });
    return Promise.resolve();
  }
  return loadScenario(presetScenario(p), p.id);
}

/** Leave the current machine and go back to the first screen. */
export function closeScenario(): void {
  useStore.setState({
    scenario: null, presetId: null, records: [], refusals: [], snapshot: null, selection: null, inspector: null,
    story: null, playing: false, past: [], future: [],
  });
}

/**
 * Apply an action at the current step. If the current step is before the end, the user is
 * asked first whether to cut the tail (unless `confirmed`).
 */
export function runAction(action: Action, confirmed = false): Promise<unknown> {
  const s = useStore.getState();
  if (!s.scenario || !s.snapshot) return Promise.resolve();
  // Every action from the UI passes the scenario schema first: what a link, a file or the
  // command line would refuse is never applied, recorded or saved.
  const valid = validateAction(action);
  if (!valid.ok) {
    s.setToast({ tone: 'error', title: `-EINVAL · ${String((action as { op?: unknown }).op)} refused`, detail: `not a valid call: ${valid.error} (nothing changed)` });
    return Promise.resolve();
  }
  if (!confirmed && s.snapshot.step < s.records.length) {
    s.openDialog({ kind: 'confirmCut', action });
    return Promise.resolve();
  }
  return enqueue(async () => {
    const before = useStore.getState();
    const at = before.snapshot?.step ?? 0;
    const reply = await engine().apply(action);
    const { result, recorded, cut } = reply;
    const snapshot = await stateFrom(reply.delta);
    if (recorded && before.scenario) {
      const records = [...before.records.slice(0, at), { action, result }];
      // An edit: undo (Ctrl+Z) brings back the actions and the step from before it.
      const edit = { label: cut > 0 ? `${action.op} (cut ${cut} step${cut === 1 ? '' : 's'})` : action.op, actions: before.scenario.actions, step: at };
      useStore.setState({
        scenario: { ...before.scenario, actions: records.map((r) => r.action) },
        records,
        refusals: before.refusals.filter((r) => r.atStep <= at),
        snapshot,
        past: [...before.past, edit].slice(-200),
        future: [],
        playing: false,
      });
      before.setToast({
        tone: 'ok',
        title: callTitle(action, result),
        detail: withPending(cut > 0 ? `${result.message} (cut ${cut} later step${cut === 1 ? '' : 's'})` : result.message, result),
      });
    } else {
      useStore.setState({
        refusals: [...before.refusals, { id: ++refusalSeq, atStep: at, action, result }],
        snapshot,
      });
      before.setToast({
        tone: 'error',
        title: `${result.errnoName ?? `error ${result.errno ?? ''}`} · ${action.op} refused`,
        detail: `${result.message} (nothing changed)`,
      });
    }
    for (const l of appliedListeners) l({ action, result, before: before.snapshot, after: snapshot });
    await refreshInspector();
  });
}

/** A call that left a move pending says so, with the engine's reason (IRQCHIP_MOVE_DEFERRED). */
function withPending(detail: string, result: ResultView): string {
  const note = pendingNote(result);
  return note ? `${detail} · pending: ${note}` : detail;
}

/** The step most recently asked for and not shown yet (null: none pending). */
let wantedStep: number | null = null;
let gotoQueued = false;
let gotoJob: Promise<unknown> = Promise.resolve();

/** The step the view is at, or will be at once the pending jumps are done. */
export function intendedStep(): number {
  return wantedStep ?? useStore.getState().snapshot?.step ?? 0;
}

/**
 * Show the machine after the first k actions. Jumps asked for while one is waiting in the
 * queue merge into it (the latest wins), so dragging the scrubber does not pile up replays.
 */
export function gotoStep(k: number): Promise<unknown> {
  const n = useStore.getState().records.length;
  wantedStep = Math.max(0, Math.min(n, Math.trunc(k) || 0));
  if (gotoQueued) return gotoJob;
  gotoQueued = true;
  gotoJob = enqueue(async () => {
    gotoQueued = false;
    const target = wantedStep ?? 0;
    let reply;
    let snapshot;
    try {
      reply = await engine().gotoStep(target);
      snapshot = await stateFrom(reply.delta);
    } finally {
      // Done (or failed): unless a newer jump is waiting, the view is where it will stay. Only
      // once the new state is in hand: a key pressed meanwhile must count from `target`, not
      // from the step still on screen (fast presses under load were lost that way).
      if (wantedStep === target) wantedStep = null;
    }
    const { result } = reply;
    const from = useStore.getState().snapshot?.step ?? 0;
    useStore.setState({ snapshot });
    settleStep(snapshot.step, result);
    announceStep();
    emitShown(snapshot.step, result, snapshot.step === from + 1 ? 'forward' : 'jump');
    await refreshInspector();
  });
  return gotoJob;
}

/** Say in the status line which step is shown: after which call, and its errno if it failed. */
export function announceStep(): void {
  const { records, setToast, snapshot } = useStore.getState();
  if (!snapshot) return;
  {
    const at = snapshot.step;
    const rec = at > 0 ? records[at - 1] : undefined;
    const later = records.length - at;
    const cutNote = later > 0 ? ` · a new action here asks before replacing the ${later} later step${later === 1 ? '' : 's'}` : '';
    if (rec && !rec.result.ok) {
      // A step that failed in the scenario: its errno, as when it was first run.
      setToast({
        tone: 'error',
        title: `${rec.result.errnoName ?? `error ${rec.result.errno ?? ''}`} · ${rec.action.op} (step ${at} / ${records.length})`,
        detail: `${rec.result.message} (nothing changed)${cutNote}`,
      });
    } else {
      setToast({
        tone: 'info',
        title: `step ${at} / ${records.length}`,
        detail: (rec ? `after ${describeAction(rec.action)}` : 'the freshly booted machine') + cutNote,
      });
    }
  }
}

/** Step forward (delta 1) or back (-1) from where the view is going. */
export function stepBy(delta: number): Promise<unknown> {
  return gotoStep(intendedStep() + delta);
}

export function select(selection: Selection): Promise<unknown> {
  useStore.getState().select(selection);
  return enqueue(refreshInspector);
}

/** Ask the engine for the inspector text of the current selection. */
export async function refreshInspector(): Promise<void> {
  const { selection, snapshot } = useStore.getState();
  if (!selection || !snapshot) {
    useStore.setState({ inspector: null });
    return;
  }
  const view = snapshot.view;
  if (selection.kind === 'irq') {
    const path = `/sys/kernel/debug/irq/irqs/${selection.virq}`;
    const exists = view.irqs.some((i) => i.virq === selection.virq);
    const text = exists
      ? await engine().debugfsIrq(selection.virq)
      : `irq ${selection.virq} does not exist at step ${snapshot.step}.`;
    useStore.setState({ inspector: { path, text } });
    return;
  }
  const domainName =
    selection.kind === 'domain'
      ? selection.name
      : (view.devices.find((d) => d.name === selection.name)?.stores.find((s) => s.domain)?.domain ?? null);
  if (selection.kind === 'device' && !domainName) {
    useStore.setState({
      inspector: { path: `device ${selection.name}`, text: `${selection.name} has no per-device MSI domain at step ${snapshot.step}.` },
    });
    return;
  }
  const name = domainName as string;
  const exists = view.domains.some((d) => d.name === name);
  const text = exists ? await engine().debugfsDomain(name) : `Domain ${name} does not exist at step ${snapshot.step}.`;
  useStore.setState({ inspector: { path: `/sys/kernel/debug/irq/domains/${name}`, text } });
}
