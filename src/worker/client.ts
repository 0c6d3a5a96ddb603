// The page side of the worker bridge: starts the engine worker and returns its typed,
// promise-based API. The UI talks to the engine only through this.

import * as Comlink from 'comlink';
import type { EngineApi } from './protocol';

let client: Comlink.Remote<EngineApi> | null = null;

export function engine(): Comlink.Remote<EngineApi> {
  if (!client) {
    const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
    client = Comlink.wrap<EngineApi>(worker);
  }
  return client;
}
