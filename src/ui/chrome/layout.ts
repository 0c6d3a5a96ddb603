// The workspace layout: the vector map's height, the three columns' widths, where each column
// splits between its two panels, and which panels are collapsed. Fractions, so the layout
// scales with the window; remembered in localStorage (validated on load: it is input too).

import { create } from 'zustand';

/** The panels the workspace arranges, by their titles. */
export type PanelId =
  | TopPanelId | 'Domain tree' | 'Devices' | 'Inspector' | 'Propagation' | '/proc/interrupts' | 'Event log';

/** What the area across the top shows: the x86 vector map, or on arm64 the GICv3 ITS (each collapses on its own). */
export type TopPanelId = 'Vector map' | 'GICv3 ITS';

/** Column c holds COLUMNS[c][0] above COLUMNS[c][1]. */
export const COLUMNS: readonly [PanelId, PanelId][] = [
  ['Domain tree', 'Devices'],
  ['Inspector', 'Propagation'],
  ['/proc/interrupts', 'Event log'],
];

export interface LayoutState {
  /** The height of the area across the top (vector map or ITS) as a share of the workspace; null: as tall as its content, at most 36%. */
  top: number | null;
  /** Column widths (shares, summing to 1). */
  cols: [number, number, number];
  /** Share of each column's height given to its upper panel. */
  rows: [number, number, number];
  collapsed: Partial<Record<PanelId, boolean>>;
  /** The panel shown alone over the whole workspace (double-click its title); null: none. */
  maximised?: PanelId | null;
}

export const DEFAULT_LAYOUT: LayoutState = {
  top: null,
  cols: [0.31, 0.26, 0.43],
  rows: [0.5, 0.47, 0.5],
  collapsed: {},
};

const KEY = 'irqscope.layout';
const VERSION = 1;
const PANELS: readonly PanelId[] = ['Vector map', 'GICv3 ITS', ...COLUMNS.flat()];

const share = (v: unknown, lo: number, hi: number): v is number => typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;

/** A stored layout, or the default for anything missing or out of range. */
export function parseLayout(raw: string | null): LayoutState {
  if (!raw || raw.length > 2000) return DEFAULT_LAYOUT;
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    if (v.v !== VERSION) return DEFAULT_LAYOUT;
    const out: LayoutState = { ...DEFAULT_LAYOUT, collapsed: {} };
    if (v.top === null || share(v.top, 0.05, 0.9)) out.top = v.top as number | null;
    if (Array.isArray(v.cols) && v.cols.length === 3 && v.cols.every((c) => share(c, 0.05, 0.9))) {
      const sum = (v.cols as number[]).reduce((a, b) => a + b, 0);
      out.cols = (v.cols as number[]).map((c) => c / sum) as LayoutState['cols'];
    }
    if (Array.isArray(v.rows) && v.rows.length === 3 && v.rows.every((r) => share(r, 0.05, 0.95))) {
      out.rows = [...v.rows] as LayoutState['rows'];
    }
    if (typeof v.maximised === 'string' && isPanelId(v.maximised)) out.maximised = v.maximised;
    if (v.collapsed && typeof v.collapsed === 'object') {
      for (const p of PANELS) if ((v.collapsed as Record<string, unknown>)[p] === true) out.collapsed[p] = true;
    }
    return out;
  } catch {
    return DEFAULT_LAYOUT;
  }
}

function load(): LayoutState {
  try {
    return parseLayout(typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY));
  } catch {
    return DEFAULT_LAYOUT;
  }
}

export const useLayout = create<LayoutState>()(() => load());

let saveTimer: ReturnType<typeof setTimeout> | null = null;
function save(): void {
  // A splitter drag changes the layout on every pointer move; write once it settles.
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    saveTimer = null;
    const { top, cols, rows, collapsed, maximised } = useLayout.getState();
    try {
      localStorage.setItem(KEY, JSON.stringify({ v: VERSION, top, cols, rows, collapsed, maximised }));
    } catch {
      /* private mode: the layout lasts for this page only */
    }
  }, 150);
}

export function setLayout(patch: Partial<LayoutState>): void {
  useLayout.setState(patch);
  save();
}

export function toggleCollapsed(p: PanelId): void {
  const c = useLayout.getState().collapsed;
  setLayout({ collapsed: { ...c, [p]: !c[p] } });
  flushLayout();
}

/** Show a panel alone over the workspace, or put the layout back when it already is. */
export function toggleMaximised(p: PanelId): void {
  setLayout({ maximised: useLayout.getState().maximised === p ? null : p });
  flushLayout();
}

export function resetLayout(): void {
  setLayout({ ...DEFAULT_LAYOUT, collapsed: {}, maximised: null });
  flushLayout();
}

/** Flush a pending save now (before a reload in tests, or page hide). */
export function flushLayout(): void {
  if (saveTimer) {
    clearTimeout(saveTimer);
    saveTimer = null;
    const { top, cols, rows, collapsed, maximised } = useLayout.getState();
    try {
      localStorage.setItem(KEY, JSON.stringify({ v: VERSION, top, cols, rows, collapsed, maximised }));
    } catch {
      /* ignore */
    }
  }
}

if (typeof window !== 'undefined') window.addEventListener('pagehide', flushLayout);

export function isPanelId(s: string): s is PanelId {
  return (PANELS as readonly string[]).includes(s);
}
