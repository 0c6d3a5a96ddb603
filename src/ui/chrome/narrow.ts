// Narrow windows and phones (below 900 px): one column, the panels as tabs, the header's
// actions in a menu. One media query, shared by the pieces that change.

import { createContext, useContext, useSyncExternalStore } from 'react';

export const NARROW_QUERY = '(max-width: 899.98px)';

function subscribe(on: () => void): () => void {
  if (typeof matchMedia !== 'function') return () => {};
  const mq = matchMedia(NARROW_QUERY);
  mq.addEventListener('change', on);
  return () => mq.removeEventListener('change', on);
}

const narrowNow = () => typeof matchMedia === 'function' && matchMedia(NARROW_QUERY).matches;

/**
 * A part of the page laid out narrow whatever the window's width (true): the left half of the
 * side-by-side view (compare/install.tsx) when it is narrower than 900 px.
 */
export const NarrowScope = createContext(false);

/** Is the window narrower than 900 px (or the part of the page in a NarrowScope)? */
export function useNarrow(): boolean {
  const scoped = useContext(NarrowScope);
  return useSyncExternalStore(subscribe, narrowNow, () => false) || scoped;
}
