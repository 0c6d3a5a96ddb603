// The panels on one laptop screen: the vector map across the top, then three columns of two
// panels each. Every boundary is a splitter (drag or keyboard), every panel collapses to its
// title bar, and the arrangement is remembered (layout.ts).

import { createContext, Fragment, useContext, useRef, type ReactNode } from 'react';
import { DevicesPanel } from '../panels/DevicesPanel';
import { DomainTreePanel } from '../panels/DomainTreePanel';
import { EventLogPanel } from '../panels/EventLogPanel';
import { InspectorPanel } from '../panels/InspectorPanel';
import { ProcInterruptsPanel } from '../panels/ProcInterruptsPanel';
import { MapArea } from '../panels/MapArea';
import { TravelPanel } from '../travel/TravelPanel';
import { COLUMNS, DEFAULT_LAYOUT, setLayout, useLayout, type PanelId, type TopPanelId } from './layout';
import { useStore } from '../store';
import { panelDomId } from './Panel';
import { PanelBoundary } from './PanelBoundary';
import { Splitter } from './Splitter';
import { useNarrow } from './narrow';
import { NarrowWorkspace } from './NarrowWorkspace';

type Lower = Exclude<PanelId, TopPanelId>;

const PANEL: Record<Lower, () => ReactNode> = {
  'Domain tree': () => <DomainTreePanel />,
  Devices: () => <DevicesPanel />,
  Inspector: () => <InspectorPanel />,
  Propagation: () => <TravelPanel />,
  '/proc/interrupts': () => <ProcInterruptsPanel />,
  'Event log': () => <EventLogPanel />,
};

/**
 * What the workspace arranges in its places: the simulated machine's panels when absent, or another
 * machine's panels in the same places (an imported one), with the same splitters, collapsing and tabs.
 */
export interface WorkspaceContent {
  panels: Record<Lower, () => ReactNode>;
  top: () => ReactNode;
  topId: TopPanelId;
  /** Narrow tabs' names for the places whose panel is another one. */
  tabs?: Partial<Record<PanelId, string>>;
}
const Content = createContext<WorkspaceContent | null>(null);
const usePanels = () => useContext(Content)?.panels ?? PANEL;

/** Smallest column width and panel height a splitter leaves (px). */
const MIN_COL = 200;
const MIN_ROW = 64;
const MIN_TOP = 48;
/** The split panes fill their cell; a collapsed one is its title bar. */
const CELL = 'flex min-h-0 min-w-0 flex-col [&>section]:flex-1';

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function Column({ c }: { c: number }) {
  const PANEL = usePanels();
  const [upper, lower] = COLUMNS[c];
  const share = useLayout((s) => s.rows[c]);
  const width = useLayout((s) => s.cols[c]);
  const upperCollapsed = useLayout((s) => !!s.collapsed[upper]);
  const lowerCollapsed = useLayout((s) => !!s.collapsed[lower]);
  const ref = useRef<HTMLDivElement>(null);
  const start = useRef({ share, h: 1 });
  const height = () => Math.max(1, (ref.current?.clientHeight ?? 1) - 6);
  const set = (v: number) => {
    const h = height();
    const lo = Math.min(0.5, MIN_ROW / h);
    const rows = [...useLayout.getState().rows] as [number, number, number];
    rows[c] = clamp(v, lo, 1 - lo);
    setLayout({ rows });
  };
  const both = !upperCollapsed && !lowerCollapsed;
  const flex = (collapsed: boolean, grow: number) => (collapsed ? { flex: '0 0 auto' } : { flex: `${both ? grow : 1} 1 0px` });
  return (
    <div ref={ref} className="flex min-h-0 min-w-0 flex-col" style={{ flex: `${width} 1 0px` }} data-column={c}>
      <div className={CELL} style={flex(upperCollapsed, share)} data-cell={upper}>
        <PanelBoundary name={upper}>{PANEL[upper as Exclude<PanelId, TopPanelId>]()}</PanelBoundary>
      </div>
      {both ? (
        <Splitter
          orientation="horizontal"
          label={`Resize ${upper} and ${lower}`}
          controls={panelDomId(upper)}
          value={share * 100}
          onStart={() => (start.current = { share: useLayout.getState().rows[c], h: height() })}
          onMove={(d) => set(start.current.share + d / start.current.h)}
          onStep={(d) => set(d === 'min' ? 0 : d === 'max' ? 1 : useLayout.getState().rows[c] + d / height())}
          onReset={() => set(DEFAULT_LAYOUT.rows[c])}
          testId={`split-row-${c}`}
        />
      ) : (
        <div className="h-1.5 shrink-0" />
      )}
      <div className={CELL} style={flex(lowerCollapsed, 1 - share)} data-cell={lower}>
        <PanelBoundary name={lower}>{PANEL[lower as Exclude<PanelId, TopPanelId>]()}</PanelBoundary>
      </div>
    </div>
  );
}

/** Below 900 px: one column, the panels as tabs (NarrowWorkspace); otherwise the split layout. */
export function Workspace({ content }: { content?: WorkspaceContent }) {
  const narrow = useNarrow();
  return (
    <Content.Provider value={content ?? null}>
      {narrow ? <NarrowWorkspace panels={content?.panels ?? PANEL} content={content} /> : <WideWorkspace />}
    </Content.Provider>
  );
}

function WideWorkspace() {
  const top = useLayout((s) => s.top);
  const cols = useLayout((s) => s.cols);
  const content = useContext(Content);
  const PANEL = usePanels();
  const Top = content?.top ?? MapArea;
  // The area across the top: the vector map, or on arm64 the ITS in its place (MapArea).
  const storeTop: TopPanelId = useStore((s) => (s.snapshot?.view.arch === 'arm64' ? 'GICv3 ITS' : 'Vector map'));
  const topId = content?.topId ?? storeTop;
  const mapCollapsed = useLayout((s) => !!s.collapsed[topId]);
  const mainRef = useRef<HTMLElement>(null);
  const topRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const start = useRef({ h: 0, total: 1, cols: cols as number[], w: 1 });

  const total = () => Math.max(1, (mainRef.current?.clientHeight ?? 1) - 12);
  const setTop = (px: number) => {
    const t = total();
    setLayout({ top: clamp(px, MIN_TOP, t - 2 * MIN_ROW - 40) / t });
  };
  const gridW = () => Math.max(1, (gridRef.current?.clientWidth ?? 1) - 12);
  /** Move the boundary after column c by d px (taken from or given to column c+1). */
  const moveCol = (c: number, from: number[], d: number, w: number) => {
    const min = Math.min(0.3, MIN_COL / w);
    const pair = from[c] + from[c + 1];
    const a = clamp(from[c] + d / w, min, pair - min);
    const next = [...from] as [number, number, number];
    next[c] = a;
    next[c + 1] = pair - a;
    setLayout({ cols: next });
  };
  const colValue = (c: number) => (cols.slice(0, c + 1).reduce((a, b) => a + b, 0)) * 100;
  // A maximised panel (double-click its title) has the workspace to itself.
  const maximised = useLayout((s) => s.maximised ?? null);
  if (maximised && (maximised === topId || Object.hasOwn(PANEL, maximised))) {
    return (
      <main ref={mainRef} className="flex min-h-0 flex-1 flex-col p-1.5" data-testid="workspace" data-maximised={maximised}>
        <div className={`${CELL} flex-1`} data-cell={maximised}>
          <PanelBoundary name={maximised}>{maximised === topId ? <Top /> : PANEL[maximised as Exclude<PanelId, TopPanelId>]()}</PanelBoundary>
        </div>
      </main>
    );
  }

  return (
    <main ref={mainRef} tabIndex={-1} className="flex min-h-0 flex-1 flex-col p-1.5 outline-none" data-testid="workspace">
      <div
        ref={topRef}
        className={`flex min-h-0 shrink-0 flex-col ${top !== null && !mapCollapsed ? '[&>section]:flex-1' : ''}`}
        style={mapCollapsed ? undefined : top === null ? { maxHeight: '36vh' } : { height: `${top * 100}%` }}
        data-cell={topId}
      >
        <PanelBoundary name={topId}>
          <Top />
        </PanelBoundary>
      </div>
      {mapCollapsed ? (
        <div className="h-1.5 shrink-0" />
      ) : (
        <Splitter
          orientation="horizontal"
          label={`Resize ${topId} and the panels below`}
          controls={panelDomId(topId)}
          value={top !== null ? top * 100 : ((topRef.current?.clientHeight ?? 0) / total()) * 100}
          onStart={() => (start.current = { ...start.current, h: topRef.current?.clientHeight ?? 0, total: total() })}
          onMove={(d) => setTop(start.current.h + d)}
          onStep={(d) => setTop(d === 'min' ? 0 : d === 'max' ? Infinity : (topRef.current?.clientHeight ?? 0) + d)}
          onReset={() => setLayout({ top: null })}
          testId="split-top"
        />
      )}
      <div ref={gridRef} className="flex min-h-0 flex-1">
        {[0, 1, 2].map((c) => (
          <Fragment key={c}>
            <Column c={c} />
            {c < 2 && (
            <Splitter
              orientation="vertical"
              label={`Resize ${COLUMNS[c][0]} column and ${COLUMNS[c + 1]?.[0] ?? ''} column`}
              controls={panelDomId(COLUMNS[c][0])}
              value={colValue(c)}
              onStart={() => (start.current = { ...start.current, cols: [...useLayout.getState().cols], w: gridW() })}
              onMove={(d) => moveCol(c, start.current.cols, d, start.current.w)}
              onStep={(d) => {
                const from = [...useLayout.getState().cols];
                const w = gridW();
                moveCol(c, from, d === 'min' ? -w : d === 'max' ? w : d, w);
              }}
              onReset={() => {
                const from = [...useLayout.getState().cols];
                const pair = from[c] + from[c + 1];
                const def = DEFAULT_LAYOUT.cols;
                from[c] = (pair * def[c]) / (def[c] + def[c + 1]);
                from[c + 1] = pair - from[c];
                setLayout({ cols: from as [number, number, number] });
              }}
              testId={`split-col-${c}`}
            />
            )}
          </Fragment>
        ))}
      </div>
    </main>
  );
}
