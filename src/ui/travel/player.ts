// The travel animation's clock. One requestAnimationFrame loop advances a time line of stops;
// each frame goes straight to the subscribers that draw motion (the tree's token, the vector
// map's pulse, the progress bar) without React, and only a change of stop touches the store.
// A new action, a step or a machine switch cancels whatever is playing: input never waits.

import { onApplied, onStepShown } from '../store/commands';
import { useStore } from '../store';
import { traceOf } from '../store/traceAt';
import { travelFor, type Travel } from './stops';
import { reduced, saveSettings, useTravel, type Motion } from './store';

/** How long one stop takes at 1×: the move to it, then a dwell on its label. */
export const STOP_MS = 700;
/** The share of a stop spent moving to it (the rest is the dwell). */
export const MOVE_SHARE = 0.45;
/** A frame longer than this (a big React commit, a background tab) does not skip stops. */
const MAX_FRAME_MS = 100;

export interface Frame {
  travel: Travel | null;
  /** The stop being moved to or dwelt on (the store's `index` is the last one arrived at). */
  index: number;
  /** 0…1 through that stop (1 when done or reduced). */
  frac: number;
  /** 0…1 through the whole travel. */
  progress: number;
  /** No motion: everything is shown at once. */
  still: boolean;
  done: boolean;
  now: number;
}

type FrameListener = (f: Frame) => void;
const listeners = new Set<FrameListener>();

let t = 0; // ms of the time line played (in 1× time)
/** Extra speed-up of the travel playing now (a step of a played story fits its step's time). */
let fitScale = 1;
let last: number | null = null;
let raf = 0;

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function frameOf(): Frame {
  const s = useTravel.getState();
  const travel = s.travel;
  const n = travel?.stops.length ?? 0;
  const still = reduced(s);
  if (!travel || n === 0) return { travel: null, index: -1, frac: 1, progress: 0, still, done: true, now: now() };
  if (s.done || still) return { travel, index: n - 1, frac: 1, progress: 1, still, done: true, now: now() };
  const total = n * STOP_MS;
  const tt = Math.min(t, total);
  const index = Math.min(n - 1, Math.floor(tt / STOP_MS));
  return { travel, index, frac: (tt - index * STOP_MS) / STOP_MS, progress: tt / total, still, done: false, now: now() };
}

/** The last stop the token has arrived at, t ms into the time line (-1: still on its way to the first). */
function reachedAt(time: number): number {
  return Math.floor((time - MOVE_SHARE * STOP_MS) / STOP_MS);
}

function emit(): void {
  const f = frameOf();
  for (const l of listeners) l(f);
}

/** Draw on every frame (and once now, with the current state). Returns the unsubscribe. */
export function onFrame(l: FrameListener): () => void {
  listeners.add(l);
  l(frameOf());
  return () => listeners.delete(l);
}

function stopLoop(): void {
  if (raf) cancelAnimationFrame(raf);
  raf = 0;
  last = null;
}

function loop(ts: number): void {
  raf = 0;
  const s = useTravel.getState();
  if (!s.travel || !s.playing) return;
  const dt = last === null ? 0 : Math.min(ts - last, MAX_FRAME_MS);
  last = ts;
  t += dt * s.speed * fitScale;
  const n = s.travel.stops.length;
  if (t >= n * STOP_MS) {
    t = n * STOP_MS;
    useTravel.setState({ index: n - 1, playing: false, done: true });
    emit();
    return;
  }
  const index = reachedAt(t);
  if (index !== s.index) useTravel.setState({ index });
  emit();
  raf = requestAnimationFrame(loop);
}

function startLoop(): void {
  if (raf || typeof requestAnimationFrame !== 'function') return;
  last = null;
  raf = requestAnimationFrame(loop);
}

/** Play a travel from its first stop (or show it all at once when motion is reduced). */
export function play(travel: Travel | null, withinMs = 0): void {
  stopLoop();
  t = 0;
  const sp = useTravel.getState().speed;
  fitScale = travel && withinMs > 0 ? Math.max(1, (travel.stops.length * STOP_MS) / (sp * withinMs)) : 1;
  const s = useTravel.getState();
  if (!travel || travel.stops.length === 0) {
    useTravel.setState({ travel: null, index: -1, playing: false, done: true, seq: s.seq + 1, walked: null });
    emit();
    return;
  }
  const still = reduced(s);
  useTravel.setState({
    travel,
    seq: s.seq + 1,
    index: still ? travel.stops.length - 1 : -1,
    playing: !still,
    done: still,
    walked: null,
  });
  emit();
  if (!still) startLoop();
}

export function cancel(): void {
  if (useTravel.getState().travel) play(null);
}

export function pause(): void {
  stopLoop();
  useTravel.setState({ playing: false });
  emit();
}

export function resume(): void {
  const s = useTravel.getState();
  if (!s.travel || s.done || reduced(s)) return;
  useTravel.setState({ playing: true, walked: null });
  startLoop();
}

/** Jump to the end: every stop shown, the count moved. */
export function skip(): void {
  const s = useTravel.getState();
  if (!s.travel) return;
  stopLoop();
  t = s.travel.stops.length * STOP_MS;
  useTravel.setState({ index: s.travel.stops.length - 1, playing: false, done: true, walked: null });
  emit();
}

/** Play the current travel again from the start. */
export function replay(): void {
  const s = useTravel.getState();
  if (s.travel) play(s.travel);
}

/** Replay the journey of the step shown (the Propagation panel's ↺ and the log's replay button). */
export function replayStep(step: number): void {
  const { records, snapshot } = useStore.getState();
  const rec = step > 0 ? records[step - 1] : undefined;
  if (!rec || !snapshot) return;
  if (!rec.result.traceOmitted) {
    play(travelFor(rec.action, rec.result, snapshot.view.domains));
    return;
  }
  // A step a load ran untraced: its journey is replayed in the worker first.
  void traceOf(step, rec.result).then((r) => {
    const s = useStore.getState();
    if (r && s.snapshot?.step === step && s.records[step - 1] === rec) play(travelFor(rec.action, r, s.snapshot.view.domains));
  });
}

/** Show stop i (paused on its label). */
export function seek(i: number): void {
  const s = useTravel.getState();
  if (!s.travel || reduced(s)) return;
  const n = s.travel.stops.length;
  const k = Math.max(0, Math.min(n - 1, i));
  stopLoop();
  t = k * STOP_MS + STOP_MS * 0.99;
  useTravel.setState({ index: k, playing: false, done: k === n - 1, walked: null });
  emit();
}

/**
 * Point at stop i of the travel on screen, from a walk through its step's call trace: the token
 * waits there (as seek) and the caption marks it, with motion reduced too. null: no stop.
 */
export function walkTo(i: number | null): void {
  const s = useTravel.getState();
  if (!s.travel) return;
  if (i === null) {
    useTravel.setState({ walked: null });
    return;
  }
  const k = Math.max(0, Math.min(s.travel.stops.length - 1, i));
  seek(k);
  useTravel.setState({ walked: k });
  emit();
}

export function setSpeed(speed: number): void {
  useTravel.setState({ speed });
  saveSettings();
}

export function setMotion(motion: Motion): void {
  const before = reduced(useTravel.getState());
  useTravel.setState({ motion });
  saveSettings();
  const s = useTravel.getState();
  if (reduced(s) && !before && s.travel) skip();
  else emit();
}

let installed = 0;
let uninstall: (() => void) | null = null;

/**
 * Wire the player to the app: every action the engine answers starts its travel; any other
 * change of the machine on screen (a step, a load) cancels it. Idempotent.
 */
export function installTravel(): () => void {
  installed++;
  if (!uninstall) {
    const offApplied = onApplied(({ action, result, before, after }) => {
      play(travelFor(action, result, after.view.domains.length ? after.view.domains : (before?.view.domains ?? [])));
    });
    const offStore = useStore.subscribe((s, prev) => {
      if (s.snapshot !== prev.snapshot) cancel();
    });
    // A step shown by stepping, playing, a click in the log, a link or a story plays its journey
    // (a raise travels, a call goes through the domains), fitted into the step's time when playing.
    const offShown = onStepShown(({ action, result }) => {
      const s = useStore.getState();
      if (!action || !result || !s.snapshot) return;
      const withinMs = s.playing ? (1000 / s.speed) * 0.9 : 0;
      play(travelFor(action, result, s.snapshot.view.domains), withinMs);
    });
    let offMq = () => {};
    if (typeof matchMedia === 'function') {
      const mq = matchMedia('(prefers-reduced-motion: reduce)');
      const on = () => {
        const was = reduced(useTravel.getState());
        useTravel.setState({ systemReduce: mq.matches });
        if (!was && reduced(useTravel.getState())) skip();
        else emit();
      };
      mq.addEventListener('change', on);
      offMq = () => mq.removeEventListener('change', on);
    }
    uninstall = () => {
      offApplied();
      offStore();
      offShown();
      offMq();
    };
  }
  return () => {
    installed--;
    if (installed === 0 && uninstall) {
      uninstall();
      uninstall = null;
      cancel();
    }
  };
}
