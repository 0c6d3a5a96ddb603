// What the app mounts for compare and find: the installs (diff following the step, trace hover,
// layout and pairing in the link, a test handle), the area around the workspace (the paired
// machine's frame, the Changes panel), and the overlays (marks, search palette).

import { useEffect, type ReactNode } from 'react';
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

/** The workspace with the paired machine beside it and the Changes panel on the right. */
export function CompareArea({ children }: { children: ReactNode }) {
  const open = useCompare((s) => s.open);
  const paired = useCompare((s) => s.pairing !== null);
  return (
    <div className="flex min-h-0 flex-1" data-split={paired || undefined}>
      <div className="flex min-h-0 min-w-0 flex-1 flex-col">{children}</div>
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
