// Narrow windows and phones (below 900 px): one column, the panels as tabs, the header's
// actions in a menu. One media query, shared by the pieces that change.

import { useSyncExternalStore } from 'react';

export const NARROW_QUERY = '(max-width: 899.98px)';

function subscribe(on: () => void): () => void {
  if (typeof matchMedia !== 'function') return () => {};
  const mq = matchMedia(NARROW_QUERY);
  mq.addEventListener('change', on);
  return () => mq.removeEventListener('change', on);
}

const narrowNow = () => typeof matchMedia === 'function' && matchMedia(NARROW_QUERY).matches;

/** Is the window narrower than 900 px? */
export function useNarrow(): boolean {
  return useSyncExternalStore(subscribe, narrowNow, () => false);
}
