// The page side of the worker bridge: starts the engine worker and returns its typed,
// promise-based API. The UI talks to the engine only through this.
//
// A long load must never hold the page hostage: `cancelEngine()` stops the worker where it is
// (a replay cannot be interrupted from inside), rejects every call still waiting with
// EngineCancelled, and starts a fresh worker — optionally loading the work to go back to first.
// Loads report their progress to `onLoadProgress` listeners while they run.

import * as Comlink from 'comlink';
import type { EngineApi, LoadProgress, Scenario } from './protocol';

/** A call that was waiting on a worker that cancelEngine() stopped. */
export class EngineCancelled extends Error {
  constructor() {
    super('cancelled: the engine was stopped and restarted');
    this.name = 'EngineCancelled';
  }
}

type Remote = Comlink.Remote<EngineApi>;

let worker: Worker | null = null;
let remote: Remote | null = null;
let api: Remote | null = null;
/** Rejecters of the calls in flight on the current worker. */
const inFlight = new Set<(e: Error) => void>();
const progressListeners = new Set<(p: LoadProgress | null) => void>();

/** Hear how far the running load has got (`null`: no load running any more). */
export function onLoadProgress(l: (p: LoadProgress | null) => void): () => void {
  progressListeners.add(l);
  return () => progressListeners.delete(l);
}

function emitProgress(p: LoadProgress | null): void {
  for (const l of progressListeners) l(p);
}

/** How many loads are running (or waiting) in the worker. */
let loading = 0;
/** Counts the workers started: a call of a stopped worker no longer counts in `loading`. */
let generation = 0;

/** True while a load is running in the worker (a new choice should cancel it first). */
export function engineLoading(): boolean {
  return loading > 0;
}

function start(): Remote {
  worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
  remote = Comlink.wrap<EngineApi>(worker);
  const r = remote;
  const gen = ++generation;
  // Every call can be abandoned: it settles with the worker's answer or with EngineCancelled.
  api = new Proxy({} as Remote, {
    get(_t, prop) {
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return (...args: unknown[]) => {
        const isLoad = prop === 'load';
        // Progress a stopped worker posted before it stopped is not shown, nor progress arriving
        // after the answer (it comes on a port of its own, so it may come later).
        let settled = false;
        if (isLoad && args[1] === undefined) args[1] = Comlink.proxy((p: LoadProgress) => gen === generation && !settled && emitProgress(p));
        if (isLoad) loading++;
        return new Promise((resolve, reject) => {
          const cancel = (e: Error) => reject(e);
          inFlight.add(cancel);
          (r as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[prop](...args)
            .then(resolve, reject)
            .finally(() => {
              settled = true;
              inFlight.delete(cancel);
              if (isLoad && gen === generation && --loading === 0) emitProgress(null);
            });
        });
      };
    },
  });
  return api;
}

export function engine(): Remote {
  return api ?? start();
}

/**
 * Stop the worker now (a load that runs too long, a choice that replaces it): every call still
 * waiting rejects with EngineCancelled, and a fresh worker starts. `restore` (the work the page
 * still shows) is loaded into it first, so the page and the worker agree again.
 */
export function cancelEngine(restore?: Scenario): Promise<unknown> {
  worker?.terminate();
  if (remote) remote[Comlink.releaseProxy]?.();
  worker = null;
  remote = null;
  api = null;
  loading = 0;
  const waiting = [...inFlight];
  inFlight.clear();
  for (const reject of waiting) reject(new EngineCancelled());
  emitProgress(null);
  const fresh = engine();
  return restore ? fresh.load(restore).catch(() => undefined) : Promise.resolve();
}
