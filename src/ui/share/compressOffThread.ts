// The page's side of compress.worker.ts: compress a link's JSON in that worker. One request at a
// time and the newest wins: a request made while another runs waits, and one that a newer request
// replaced before it started resolves with null (its link is out of date anyway). Where no worker
// can run, the page compresses (the same function).

import { compressLinkJson } from '../../scenario/url';

let worker: Worker | null = null;
let seq = 0;
let running: { id: number; json: string; resolve: (p: string | null) => void } | null = null;
let waiting: { json: string; resolve: (p: string | null) => void } | null = null;
/** No worker can run here (or it broke): compress on the page. */
let unavailable = false;

function start(): Worker | null {
  if (worker) return worker;
  if (typeof Worker !== 'function') return null;
  try {
    worker = new Worker(new URL('./compress.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return null;
  }
  worker.onmessage = (e: MessageEvent<{ id: number; payload: string }>) => {
    if (!running || e.data.id !== running.id) return;
    const done = running;
    running = null;
    done.resolve(e.data.payload);
    next();
  };
  worker.onerror = () => {
    // A broken worker: what it had and what waits are compressed on the page from now on.
    const lost = running;
    running = null;
    worker?.terminate();
    worker = null;
    unavailable = true;
    const job = waiting;
    waiting = null;
    // Only the newest is compressed: an older one answers null, as if replaced.
    if (job) {
      lost?.resolve(null);
      job.resolve(compressLinkJson(job.json));
    } else if (lost) lost.resolve(compressLinkJson(lost.json));
  };
  return worker;
}


function next(): void {
  if (running || !waiting) return;
  const w = start();
  const job = waiting;
  waiting = null;
  if (!w) {
    unavailable = true;
    job.resolve(compressLinkJson(job.json));
    return;
  }
  running = { id: ++seq, json: job.json, resolve: job.resolve };
  w.postMessage({ id: running.id, json: job.json });
}

/**
 * lz-string's compressToEncodedURIComponent(json), computed in a worker. Null when a newer request
 * replaced this one before it had its answer.
 */
export function compressOffThread(json: string): Promise<string | null> {
  if (unavailable) return Promise.resolve(compressLinkJson(json));
  return new Promise((resolve) => {
    waiting?.resolve(null);
    waiting = { json, resolve };
    next();
  });
}
