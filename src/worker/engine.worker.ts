/// <reference lib="webworker" />
// The engine's Web Worker: exposes the host's EngineApi through Comlink. The only logic here:
// a load's machine replaces the current one once its reply has actually been posted to the
// page (a reply that cannot be sent — too large to clone, out of memory — leaves the old one),
// and the typed arrays of a state delta are transferred to the page, not copied.

import * as Comlink from 'comlink';
import { createHost } from './host';
import { deltaTransferables } from './state';
import type { StateDelta } from './protocol';

const host = createHost({ adoptOnDelivery: true });

/** The replies that carry a state delta: its cell buffers move to the page (the worker keeps none of them). */
const withDelta = ['load', 'apply', 'gotoStep'] as const;
for (const name of withDelta) {
  const call = host[name] as (...a: unknown[]) => Promise<{ delta: StateDelta }>;
  (host as unknown as Record<string, unknown>)[name] = async (...a: unknown[]) => {
    const r = await call.apply(host, a);
    return Comlink.transfer(r, deltaTransferables(r.delta));
  };
}
{
  const resync = host.resync.bind(host);
  host.resync = async () => {
    const d = await resync();
    return Comlink.transfer(d, deltaTransferables(d));
  };
}

/** The load token of a Comlink reply carrying a LoadReply, or null. */
function loadTokenOf(msg: unknown): number | null {
  const value = (msg as { value?: { loadToken?: unknown } } | null)?.value;
  return value && typeof value === 'object' && typeof value.loadToken === 'number' ? value.loadToken : null;
}

const endpoint: Comlink.Endpoint = {
  postMessage(msg: unknown, transfer?: Transferable[]) {
    const token = loadTokenOf(msg);
    try {
      self.postMessage(msg, transfer ?? []);
    } catch (e) {
      if (token !== null) host.undelivered(token);
      throw e;
    }
    if (token !== null) host.delivered(token);
  },
  addEventListener: self.addEventListener.bind(self) as Comlink.Endpoint['addEventListener'],
  removeEventListener: self.removeEventListener.bind(self) as Comlink.Endpoint['removeEventListener'],
};

Comlink.expose(host, endpoint);
