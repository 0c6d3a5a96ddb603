// The link's compression, off the page's thread: lz-string over the JSON the page sends. A long
// scenario's payload takes a few hundred ms to compress (16,000 steps: ~250 ms), which would
// otherwise be one long task after every step. Only lz-string is bundled here.

import * as LZ from 'lz-string';

const LZString: typeof LZ = (LZ as unknown as { default?: typeof LZ }).default ?? LZ;

self.onmessage = (e: MessageEvent<{ id: number; json: string }>) => {
  const { id, json } = e.data;
  self.postMessage({ id, payload: LZString.compressToEncodedURIComponent(json) });
};
