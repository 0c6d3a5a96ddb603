// What the app mounts for compare and find: the installs (diff following the step, trace hover,
// layout and pairing in the link, a test handle), the area around the workspace (the paired
// machine's frame, the Changes panel), and the overlays (marks, search palette).

import { useEffect, useRef, useState, type ReactNode } from 'react';
import { NarrowScope } from '../chrome/narrow';
import { testHookWanted } from '../chrome/testHook';
import { SearchHost } from '../search/SearchPalette';
import { installCompare, refreshDiff, setCompareOpen } from './commands';
import { ChangesPanel } from './ChangesPanel';
import { installCompareLinks } from './link';
import { Marks } from './Marks';
import { PairFrame } from './SplitView';
import { useCompare, type CompareState } from './store';
import { installTraceHover } from './traceHover';

declare global {
  interface Window {
    __irqscopeCompare?: { state(): CompareState; refresh(): Promise<void>; open(on: boolean): void };
  }
}

export function useCompareInstall(): void {
  useEffect(() => {
    const offs = [installCompare(), installTraceHover(), installCompareLinks()];
    if (testHookWanted()) window.__irqscopeCompare = { state: () => useCompare.getState(), refresh: refreshDiff, open: setCompareOpen };
    return () => offs.forEach((f) => f());
  }, []);
}

/** Below this width a side of the split view shows its panels as tabs (as a narrow window does). */
const SIDE_NARROW_PX = 900;

/** The width of an element, followed (ResizeObserver). */
function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [w, setW] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver !== 'function') return;
    const ro = new ResizeObserver(() => setW(el.clientWidth));
    ro.observe(el);
    setW(el.clientWidth);
    return () => ro.disconnect();
  }, []);
  return [ref, w];
}

/**
 * The workspace with the paired machine beside it and the Changes panel on the right. Side by
 * side on a laptop screen each half is narrower than the three-column layout needs: then both
 * show their panels as tabs (the paired frame by its own width), the same panel on each side.
 */
export function CompareArea({ children }: { children: ReactNode }) {
  const open = useCompare((s) => s.open);
  const paired = useCompare((s) => s.pairing !== null);
  const [left, width] = useWidth();
  const narrow = paired && width > 0 && width < SIDE_NARROW_PX;
  return (
    <div className="flex min-h-0 flex-1" data-split={paired || undefined}>
      <div ref={left} className="flex min-h-0 min-w-0 flex-1 flex-col" data-side-narrow={narrow || undefined}>
        <NarrowScope.Provider value={narrow}>{children}</NarrowScope.Provider>
      </div>
      {paired && <PairFrame />}
      {open && <div className="flex min-h-0 shrink-0 p-1.5 pl-0"><ChangesPanel /></div>}
    </div>
  );
}

export function CompareOverlays() {
  return (
    <>
      <Marks />
      <SearchHost />
    </>
  );
}
