/// <reference lib="webworker" />
// The engine's Web Worker: exposes the host's EngineApi through Comlink. The only logic here:
// a load's machine replaces the current one once its reply has actually been posted to the
// page (a reply that cannot be sent — too large to clone, out of memory — leaves the old one).

import * as Comlink from 'comlink';
import { createHost } from './host';

const host = createHost({ adoptOnDelivery: true });

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
