// The x86 vector matrix: one row per CPU, 256 vector cells each, coloured by the engine's
// cell states; hover names the CPU, vector and interrupt; clicking selects them; right click
// (or the context-menu key on the focused map) offers cpu_down/cpu_up and the cell's irq.
//
// The base layer is drawn in tiles of TILE_ROWS CPU rows, one canvas each: a new state redraws
// only the tiles whose cells or CPU counters changed (the store's delta names the changed rows,
// and unchanged CPUs keep their objects), so an action on a 1,024-CPU map repaints a tile or
// two. A tile's cells go through one ImageData of one pixel per cell, scaled up without
// smoothing. The overlay on top holds what changes often — hover and selection rings, and the
// travel's pulse on the (cpu, vector) a message goes to, drawn frame by frame outside React — and
// clears only what it drew last time. It covers the band of the map in view (and a margin), not
// the whole map: a frame of the pulse hands the compositor that band's pixels, not a canvas
// thousands of rows high (data-top says where the band starts, in map coordinates).
//
// `CellGrid` is the drawing alone, from plain props (a grid of cell codes, a palette, row labels
// and counters, rings to mark): `VectorMapPanel` feeds it the simulated machine's matrix, and an
// imported machine's per-CPU counts are drawn by it too (src/ui/import).

import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { isMenuKey, openMenu } from '../chrome/ContextMenu';
import { Panel } from '../chrome/Panel';
import { hex2 } from '../format';
import { useStore } from '../store';
import { select } from '../store/commands';
import type { CpuView, IrqView, VectorCells } from '../../worker/protocol';
import { MOVE_SHARE, onFrame, type Frame } from '../travel/player';
import type { StopKind } from '../travel/stops';
import { toneColour } from '../travel/tones';
import { CELL_LEGEND, cellColour, cellName } from './cells';
import { AXIS_H, COUNTERS, geometry, hit, TILE_ROWS, tileCount, tileOf, VECTORS, type Geometry, type GridShape } from './vectorMapGeometry';
import { followPanelBody } from './followPanelBody';

/** What the grid needs of a row (a CPU): whether it is online. Its other facts go through props. */
export interface GridRow {
  online: boolean;
}

/** A mark around a cell (the selected interrupt's vector; dashed: its previous one). */
export interface GridRing {
  row: number;
  col: number;
  dashed: boolean;
}

/** A labelled column of the axis. */
export interface AxisTick {
  col: number;
  text: string;
}

/** How the grid labels and counts a row; the vector map's own when absent. */
export interface RowText<R extends GridRow> {
  label: (row: number) => string;
  counters: (r: R) => readonly (number | string)[];
  headings: readonly string[];
}

interface Hover {
  cpu: number;
  vector: number | null;
  /** Pointer position in the viewport (the tooltip is fixed-positioned in <body>, so no panel clips it). */
  cx: number;
  cy: number;
}

type IrqIndex = Map<number, { irq: IrqView; prev: boolean }>;

function irqIndex(irqs: readonly IrqView[]): IrqIndex {
  const m: IrqIndex = new Map();
  for (const irq of irqs) {
    if (irq.prevVector > 0) m.set(irq.prevCpu * VECTORS + irq.prevVector, { irq, prev: true });
    if (irq.vector > 0) m.set(irq.cpu * VECTORS + irq.vector, { irq, prev: false });
  }
  return m;
}

const FONT = '10px ui-monospace, SFMono-Regular, Menlo, monospace';

/** #rrggbb → the little-endian RGBA word ImageData's Uint32 view takes. */
function rgbaWord(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return (0xff << 24) | ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff);
}

/** The 256 colours a palette gives cell codes 0…255, as ImageData words. */
export function paletteWords(colour: (code: number) => string): Uint32Array {
  const l = new Uint32Array(256);
  for (let c = 0; c < 256; c++) l[c] = rgbaWord(colour(c));
  return l;
}

const lutCache = new Map<boolean, Uint32Array>();
function lut(dark: boolean): Uint32Array {
  let l = lutCache.get(dark);
  if (!l) {
    l = paletteWords((c) => cellColour(c, dark));
    lutCache.set(dark, l);
  }
  return l;
}

/** One pixel per (cpu, vector) of a tile's rows, reused between draws. */
let cellCanvas: HTMLCanvasElement | null = null;
function cellImage(cells: VectorCells, row0: number, rows: number, colours: Uint32Array): HTMLCanvasElement | null {
  if (typeof document === 'undefined') return null;
  cellCanvas ??= document.createElement('canvas');
  const c = cellCanvas;
  if (c.width !== cells.vectors || c.height !== rows) {
    c.width = cells.vectors;
    c.height = rows;
  }
  const ctx = c.getContext('2d');
  if (!ctx) return null;
  const img = ctx.createImageData(cells.vectors, rows);
  const px = new Uint32Array(img.data.buffer);
  const st = cells.states;
  const o = row0 * cells.vectors;
  for (let i = 0; i < px.length; i++) px[i] = colours[st[o + i]];
  ctx.putImageData(img, 0, 0);
  return c;
}

/** The vector map's axis: hex labels every 0x20. */
const VECTOR_TICKS: readonly AxisTick[] = Array.from({ length: VECTORS / 0x20 }, (_, i) => ({ col: i * 0x20, text: hex2(i * 0x20) }));

/** The axis above the grid: its ticks, and the counters' headings. */
function drawAxis(ctx: CanvasRenderingContext2D, g: Geometry, dark: boolean, ticks: readonly AxisTick[], headings: readonly string[]) {
  const dim = dark ? '#64748b' : '#94a3b8';
  ctx.clearRect(0, 0, g.width, AXIS_H);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  ctx.fillStyle = dim;
  ctx.textAlign = 'left';
  for (const { col, text } of ticks) {
    const x = g.gridX + col * g.cw;
    ctx.fillRect(x, AXIS_H - 4, 1, 4);
    ctx.fillText(text, x + 2, AXIS_H / 2 - 1);
  }
  if (g.showCounters) {
    ctx.textAlign = 'right';
    headings.forEach((c, i) => ctx.fillText(c, g.countersX + (i + 1) * g.counterW - 4, AXIS_H / 2 - 1));
  }
}

/** The CPU rows of one tile (rows [row0, row0 + rows)), in the tile's own coordinates; `only`: just these rows of it. */
function drawTile<R extends GridRow>(ctx: CanvasRenderingContext2D, g: Geometry, cells: VectorCells, cpus: readonly R[], text_: RowText<R>, colours: Uint32Array, dark: boolean, selCpu: number | null, row0: number, rows: number, only?: readonly number[]) {
  const text = dark ? '#cbd5e1' : '#334155';
  const dim = dark ? '#64748b' : '#94a3b8';
  const cellH = g.rh - g.gap;
  // Rows drawn on their own (a few changed) keep the labels of dense maps, which span several rows.
  const perRow = g.showAllLabels || g.showCounters;
  const list = only ?? Array.from({ length: rows }, (_, r) => row0 + r);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  ctx.imageSmoothingEnabled = false;
  if (!only) {
    ctx.clearRect(0, 0, g.width, rows * g.rh);
    const img = cellImage(cells, row0, rows, colours);
    if (img) ctx.drawImage(img, 0, 0, cells.vectors, rows, g.gridX, 0, g.cw * cells.vectors, rows * g.rh);
  } else {
    for (const cpu of list) {
      const y = (cpu - row0) * g.rh;
      if (perRow) ctx.clearRect(0, y, g.width, g.rh);
      else ctx.clearRect(g.gridX, y, g.gridW, g.rh);
      const img = cellImage(cells, cpu, 1, colours);
      if (img) ctx.drawImage(img, 0, 0, cells.vectors, 1, g.gridX, y, g.cw * cells.vectors, g.rh);
    }
  }
  // Cell separators when cells are wide enough to need them, then the gaps between rows.
  if (g.cw >= 4 && cellH >= 6) {
    ctx.fillStyle = dark ? 'rgba(15,23,42,0.55)' : 'rgba(255,255,255,0.6)';
    for (const cpu of only ?? [row0]) {
      const y = only ? (cpu - row0) * g.rh : 0;
      const h = only ? g.rh : rows * g.rh;
      for (let v = 1; v < cells.vectors; v++) ctx.fillRect(g.gridX + v * g.cw - 0.5, y, 0.5, h);
    }
  }
  if (g.gap > 0) for (const cpu of list) ctx.clearRect(g.gridX, (cpu - row0) * g.rh + cellH, g.gridW, g.gap);

  for (const cpu of list) {
    const y = (cpu - row0) * g.rh;
    const info = cpus[cpu];
    if (info && !info.online) {
      // Offline rows are washed out and tinted so they stand out even 2 px high.
      ctx.fillStyle = dark ? 'rgba(2,6,23,0.55)' : 'rgba(255,255,255,0.6)';
      ctx.fillRect(g.gridX, y, g.gridW, cellH);
      ctx.fillStyle = dark ? 'rgba(244,63,94,0.35)' : 'rgba(225,29,72,0.25)';
      ctx.fillRect(g.gridX, y, g.gridW, cellH);
    }
    const isSel = selCpu === cpu;
    if (g.showAllLabels) {
      ctx.textAlign = 'left';
      ctx.fillStyle = isSel ? (dark ? '#7dd3fc' : '#0369a1') : info?.online === false ? dim : text;
      ctx.font = `${isSel ? 'bold ' : ''}${FONT}`;
      ctx.fillText(`${text_.label(cpu)}${info?.online === false ? ' off' : ''}`, 2, y + cellH / 2);
      ctx.font = FONT;
    } else if (cpu % 8 === 0 && !only) {
      // Dense maps: a label and a tick every 8 CPUs (every 64 past 2,048 CPUs, one pixel a row).
      if (g.rh >= 2 || cpu % 64 === 0) {
        ctx.textAlign = 'left';
        ctx.fillStyle = text;
        ctx.fillText(text_.label(cpu), 2, y + 4);
      }
      ctx.fillStyle = dim;
      ctx.fillRect(g.gridX - 6, y, 4, 1);
    }
    if (g.showCounters && info) {
      ctx.textAlign = 'right';
      ctx.fillStyle = info.online ? text : dim;
      text_.counters(info).forEach((n, i) => ctx.fillText(String(n), g.countersX + (i + 1) * g.counterW - 4, y + cellH / 2));
    }
  }
}

/** What a tile was last drawn from: it is redrawn when any of it changed for its rows. */
interface TileDrawn {
  /** The canvas it was drawn on (a new canvas element starts blank). */
  canvas: HTMLCanvasElement | null;
  g: Geometry;
  dark: boolean;
  cells: VectorCells;
  cpus: readonly GridRow[];
  selCpu: number | null;
  colours: Uint32Array;
}

/**
 * What of tile `t` must be redrawn to go from what it shows (`was`) to `now`: nothing (null), all
 * of it, or the CPU rows listed.
 */
function tileStale(t: number, was: TileDrawn | undefined, now: TileDrawn, rows: number): 'all' | number[] | null {
  if (!was || was.canvas !== now.canvas || was.g !== now.g || was.dark !== now.dark || was.colours !== now.colours) return 'all';
  const row0 = t * TILE_ROWS;
  const dirty = new Set<number>();
  if (was.cells !== now.cells) {
    // The store's delta names the rows it changed when the cells follow the ones drawn; otherwise compare.
    if (now.cells.dirty && now.cells.seq !== undefined && was.cells.seq === now.cells.seq - 1) {
      for (const cpu of now.cells.dirty) if (tileOf(cpu) === t) dirty.add(cpu);
    } else {
      const a = was.cells.states;
      const b = now.cells.states;
      const v = now.cells.vectors;
      if (a.length !== b.length) return 'all';
      for (let cpu = row0; cpu < row0 + rows; cpu++) {
        for (let i = cpu * v; i < (cpu + 1) * v; i++) {
          if (a[i] !== b[i]) {
            dirty.add(cpu);
            break;
          }
        }
      }
    }
  }
  // Unchanged CPUs keep their view objects from one state to the next.
  if (was.cpus !== now.cpus) for (let c = row0; c < row0 + rows; c++) if (was.cpus[c] !== now.cpus[c]) dirty.add(c);
  if (was.selCpu !== now.selCpu && now.g.showAllLabels) {
    for (const c of [was.selCpu, now.selCpu]) if (c !== null && tileOf(c) === t) dirty.add(c);
  }
  if (dirty.size === 0) return null;
  // Many rows: one pass over the whole tile is cheaper than row by row.
  return dirty.size > rows / 4 ? 'all' : [...dirty].sort((x, y) => x - y);
}

interface OverlayState {
  g: Geometry;
  dark: boolean;
  rings: readonly GridRing[];
  /** The selected interrupt (a finished travel's mark of another one gives way to it). */
  selVirq: number | null;
  selCpu: number | null;
  hover: Hover | null;
}

/** The (cpu, vector) the travel has reached, with the kind of stop that named it. */
function pulseTarget(f: Frame): { cpu: number; vector: number; kind: StopKind; live: boolean } | null {
  const t = f.travel;
  if (!t) return null;
  for (let i = Math.min(f.index, t.stops.length - 1); i >= 0; i--) {
    const s = t.stops[i];
    // x86 vectors only (an arm64 hop's "vector" is an LPI INTID, and there is no matrix there).
    if (s.cpu === undefined || s.vector === undefined || s.vector >= VECTORS) continue;
    if (i === f.index && !f.done && !f.still && f.frac < MOVE_SHARE) continue; // not there yet
    return { cpu: s.cpu, vector: s.vector, kind: s.kind, live: !f.done && !f.still };
  }
  return null;
}

/** The rectangles each overlay last drew on: the next draw clears those only, not a canvas thousands of rows high. */
const overlayMarks = new WeakMap<HTMLCanvasElement, [number, number, number, number][]>();

function drawOverlay(ctx: CanvasRenderingContext2D, o: OverlayState, f: Frame | null) {
  const { g, dark } = o;
  const cellH = g.rh - g.gap;
  const marks: [number, number, number, number][] = [];
  for (const [x, y, w, h] of overlayMarks.get(ctx.canvas) ?? []) ctx.clearRect(x, y, w, h);
  overlayMarks.set(ctx.canvas, marks);
  /** Note a rectangle drawn on (with a margin for line widths and antialiasing). */
  const mark = (x: number, y: number, w: number, h: number) => marks.push([Math.floor(x - 3), Math.floor(y - 3), Math.ceil(w + 6), Math.ceil(h + 6)]);
  const ring = (cpu: number, v: number, colour: string, dashed: boolean, pad = 1.5, width = 2) => {
    const x = g.gridX + v * g.cw;
    const y = AXIS_H + cpu * g.rh;
    mark(x - pad - width, y - pad - width, g.cw + 2 * (pad + width), cellH + 2 * (pad + width));
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    if (dashed) ctx.setLineDash([2, 2]);
    ctx.strokeRect(x - pad, y - pad, g.cw + 2 * pad, cellH + 2 * pad);
    ctx.restore();
  };
  if (o.selCpu !== null) {
    const y = AXIS_H + o.selCpu * g.rh;
    ctx.strokeStyle = dark ? '#7dd3fc' : '#0369a1';
    ctx.lineWidth = 1;
    ctx.strokeRect(g.gridX - 0.5, y - 0.5, g.gridW + 1, cellH + 1);
    mark(g.gridX - 9, y + cellH / 2 - 5, g.gridW + 10, 10);
    mark(g.gridX - 1, y - 1, g.gridW + 2, cellH + 2);
    if (!g.showAllLabels) {
      ctx.fillStyle = dark ? '#7dd3fc' : '#0369a1';
      ctx.beginPath();
      ctx.moveTo(g.gridX - 8, y + cellH / 2 - 4);
      ctx.lineTo(g.gridX - 2, y + cellH / 2);
      ctx.lineTo(g.gridX - 8, y + cellH / 2 + 4);
      ctx.fill();
    }
  }
  for (const r of o.rings) ring(r.row, r.col, dark ? '#fb7185' : '#e11d48', r.dashed);

  // A finished animation's cell gives way to the selection: the map marks what is selected.
  const p0 = f ? pulseTarget(f) : null;
  const p = p0 && (p0.live || o.selVirq === null || (f?.travel?.virq ?? null) === o.selVirq) ? p0 : null;
  if (p && f && p.cpu < (g.height - AXIS_H) / g.rh) {
    const colour = toneColour(p.kind, dark);
    const cx = g.gridX + p.vector * g.cw + g.cw / 2;
    const cy = AXIS_H + p.cpu * g.rh + cellH / 2;
    // Cross-hair bands along the CPU's row and the vector's column.
    ctx.save();
    ctx.globalAlpha = 0.22;
    ctx.fillStyle = colour;
    ctx.fillRect(g.gridX, AXIS_H + p.cpu * g.rh - 1, g.gridW, cellH + 2);
    ctx.fillRect(g.gridX + p.vector * g.cw - 1, AXIS_H, g.cw + 2, g.height - AXIS_H);
    ctx.restore();
    mark(g.gridX, AXIS_H + p.cpu * g.rh - 1, g.gridW, cellH + 2);
    mark(g.gridX + p.vector * g.cw - 1, AXIS_H, g.cw + 2, g.height - AXIS_H);
    mark(cx - 23, cy - 23, 46, 46);
    ring(p.cpu, p.vector, colour, false, 2.5, 2.5);
    if (p.live) {
      // An expanding, fading ring, once every 900 ms.
      const phase = (f.now % 900) / 900;
      ctx.save();
      ctx.globalAlpha = 1 - phase;
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(cx, cy, 4 + phase * 16, 0, Math.PI * 2);
      ctx.stroke();
      ctx.restore();
    }
  }
  if (o.hover && o.hover.vector !== null) ring(o.hover.cpu, o.hover.vector, dark ? '#f8fafc' : '#0f172a', false);
}

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [w, setW] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setW(el.clientWidth);
    const ro = new ResizeObserver(() => setW(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

/** The tooltip box by the pointer (portalled to <body>, so no panel clips it). */
function GridTooltip({ hover, children }: { hover: Hover; children: ReactNode }) {
  return (
    <div
      role="tooltip"
      data-testid="vector-tooltip"
      className="pointer-events-none fixed z-30 max-w-80 rounded border border-slate-300 bg-white px-2 py-1 font-mono text-[11px] text-slate-800 shadow-lg dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
      style={{
        left: Math.max(4, Math.min(hover.cx + 14, window.innerWidth - 330)),
        top: hover.cy + 64 > window.innerHeight ? hover.cy - 56 : hover.cy + 16,
      }}
    >
      {children}
    </div>
  );
}

/** The vector map's tooltip: the CPU, the vector, its state and the interrupt on it. */
function VectorTip({ cpu, v, cells, irqs }: { cpu: number; v: number | null; cells: VectorCells; irqs: IrqIndex }) {
  const state = v === null ? null : cells.states[cpu * cells.vectors + v];
  const owner = v === null ? undefined : irqs.get(cpu * VECTORS + v);
  return (
    <>
      <div>
        CPU{cpu}
        {v !== null && <> · vector {hex2(v)} ({v})</>}
        {state !== null && <> · {cellName(state)}</>}
      </div>
      {owner && (
        <div>
          irq {owner.irq.virq}
          {owner.irq.actions.length > 0 && ` ${owner.irq.actions.join(', ')}`}
          {owner.irq.msi && ` · ${owner.irq.msi.dev} #${owner.irq.msi.index}`}
          {owner.prev && ' · previous vector (move pending)'}
        </div>
      )}
      {v === null && <div className="text-slate-500">click to select CPU{cpu} for cpu_down / cpu_up; right click for its menu</div>}
    </>
  );
}

/** Dense maps have no room for the counters: the hovered or selected CPU's are shown here. */
function CpuReadout({ cpu }: { cpu: CpuView | undefined }) {
  return (
    <p className="h-4 px-1 font-mono text-[10.5px] text-slate-600 dark:text-slate-300" data-testid="cpu-readout">
      {cpu ? (
        <>
          CPU{cpu.cpu}
          {cpu.online ? '' : ' (offline)'} · avl {cpu.available} · man {cpu.managed} · mac {cpu.managedAllocated} · act {cpu.allocated}
        </>
      ) : (
        'hover a row for its CPU counters (avl man mac act); click to select it'
      )}
    </p>
  );
}

/**
 * The band [y0, y0 + h) of a map `height` px high that is in view in the enclosing panel body,
 * with a margin, in steps (scrolling moves it now and then). A map that fits is one band.
 */
function useBand(ref: React.RefObject<HTMLElement | null>, height: number): { y0: number; h: number } {
  const [band, setBand] = useState({ y0: 0, h: height });
  useEffect(() => {
    const el = ref.current;
    const body = el?.closest<HTMLElement>('[data-panel-body]');
    const read = () => {
      let y0 = 0;
      let y1 = height;
      if (el && body && height > body.clientHeight + 2 * BAND_MARGIN) {
        const top = el.getBoundingClientRect().top - body.getBoundingClientRect().top;
        y0 = Math.max(0, Math.floor((-top - BAND_MARGIN) / BAND_STEP) * BAND_STEP);
        y1 = Math.min(height, Math.ceil((-top + body.clientHeight + BAND_MARGIN) / BAND_STEP) * BAND_STEP);
      }
      const h = Math.max(0, y1 - y0);
      setBand((b) => (b.y0 === y0 && b.h === h ? b : { y0, h }));
    };
    if (!body) {
      read();
      return;
    }
    return followPanelBody(body, read);
  }, [ref, height]);
  return band;
}
const BAND_MARGIN = 128;
const BAND_STEP = 64;

/** Size a canvas (CSS px) for the device pixel ratio (a change clears it) and set its transform (`dy`: drawn from map y = dy). */
function fit(c: HTMLCanvasElement, width: number, height: number, dy = 0): CanvasRenderingContext2D | null {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(width * dpr);
  const h = Math.round(height * dpr);
  if (c.width !== w || c.height !== h) {
    c.width = w;
    c.height = h;
  }
  const ctx = c.getContext('2d');
  ctx?.setTransform(dpr, 0, 0, dpr, 0, -dy * dpr);
  return ctx;
}

export interface CellGridProps<R extends GridRow> {
  /** Rows × columns of cell codes, row-major (`cpus` rows of `vectors` columns); null: `empty` is shown. */
  cells: VectorCells | null;
  /** One per row, in order; a row whose object changed is redrawn. */
  rows: readonly R[];
  shape?: GridShape;
  /** Cell code → colour word (paletteWords); one object per theme, so a change redraws. */
  colours: Uint32Array;
  /** The axis's labelled columns (a function of the geometry when their spacing depends on the cell width). */
  ticks: readonly AxisTick[] | ((g: Geometry) => readonly AxisTick[]);
  /** The row's label ("CPU3"), its counters and their headings. */
  rowText: RowText<R>;
  selRow: number | null;
  onSelectRow: (row: number) => void;
  rings: readonly GridRing[];
  selVirq?: number | null;
  /** Mark the cell a travelling message reaches (the simulation's journey). */
  pulse?: boolean;
  tip: (row: number, col: number | null) => ReactNode;
  onCellClick?: (row: number, col: number | null) => void;
  onMenu?: (row: number, col: number | null, at: { x: number; y: number }, el: HTMLElement) => void;
  /** Under the grid when its counters do not fit beside it: the hovered (else selected) row's. */
  readout?: (row: number | null) => ReactNode;
  ariaLabel: string;
  gen?: number;
  empty: ReactNode;
}

/** The grid alone: CPU rows of cells, drawn in tiles, with an overlay for rings, hover and pulse. */
export function CellGrid<R extends GridRow>(props: CellGridProps<R>) {
  const { cells, rows: cpus, shape, colours, ticks, rowText, selRow: selectedCpu, onSelectRow: selectCpu, rings, tip } = props;
  const dark = useStore((s) => s.theme === 'dark');
  const wrapRef = useRef<HTMLDivElement>(null);
  const topRef = useRef<HTMLCanvasElement>(null);
  const width = useWidth(wrapRef);
  const [hover, setHover] = useState<Hover | null>(null);
  const nCpus = cells?.cpus ?? 0;
  const shapeKey = `${shape?.columns}|${shape?.counters}|${shape?.counterW}|${shape?.maxCell}`;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const g = useMemo(() => (nCpus > 0 && width > 0 ? geometry(width, nCpus, shape) : null), [nCpus, width, shapeKey]);

  // Base layer: the axis when the size or theme change; each tile when its rows changed.
  const axisRef = useRef<HTMLCanvasElement>(null);
  const tileRefs = useRef<(HTMLCanvasElement | null)[]>([]);
  const drawn = useRef<(TileDrawn | undefined)[]>([]);
  const [tilesDrawn, setTilesDrawn] = useState(0);
  const textRef = useRef(rowText);
  textRef.current = rowText;
  useEffect(() => {
    const axis = axisRef.current;
    if (!axis || !g) return;
    const ctx = fit(axis, g.width, AXIS_H);
    if (ctx) drawAxis(ctx, g, dark, typeof ticks === 'function' ? ticks(g) : ticks, textRef.current.headings);
  }, [g, dark, ticks]);
  useEffect(() => {
    if (!g || !cells) return;
    let n = 0;
    for (let t = 0; t < tileCount(cells.cpus); t++) {
      const c = tileRefs.current[t];
      const now: TileDrawn = { canvas: c, g, dark, cells, cpus, selCpu: selectedCpu, colours };
      const rows = Math.min(TILE_ROWS, cells.cpus - t * TILE_ROWS);
      let stale = c ? tileStale(t, drawn.current[t], now, rows) : null;
      if (!c || !stale) continue;
      // A canvas resized (the pixel ratio changed) starts blank: all of it then.
      const dpr = window.devicePixelRatio || 1;
      if (c.width !== Math.round(g.width * dpr) || c.height !== Math.round(rows * g.rh * dpr)) stale = 'all';
      const ctx = fit(c, g.width, rows * g.rh);
      if (!ctx) continue;
      drawTile(ctx, g, cells, cpus, textRef.current, colours, dark, selectedCpu, t * TILE_ROWS, rows, stale === 'all' ? undefined : stale);
      drawn.current[t] = now;
      n++;
    }
    // How many tiles the last state redrew (tests and the bench read it): runs for every state
    // (gen), so a state that changed no tile says 0.
    setTilesDrawn(n);
  }, [g, cells, cpus, colours, dark, selectedCpu, props.gen]);

  // Overlay: hover, selection and the travel pulse. Frames redraw it while a travel shows a cell.
  const stackRef = useRef<HTMLDivElement>(null);
  const band = useBand(stackRef, g?.height ?? 0);
  const bandRef = useRef(band);
  bandRef.current = band;
  const overlay = useRef<OverlayState | null>(null);
  overlay.current = g ? { g, dark, rings, selVirq: props.selVirq ?? null, selCpu: selectedCpu, hover } : null;
  const lastFrame = useRef<Frame | null>(null);
  const pulseKey = useRef('');
  const drewPulse = useRef(false);
  const pulse = !!props.pulse;
  useEffect(() => {
    const c = topRef.current;
    const o = overlay.current;
    if (!c || !o) return;
    const ctx = fit(c, o.g.width, band.h, band.y0);
    if (ctx) drawOverlay(ctx, o, lastFrame.current);
    drewPulse.current = !!(lastFrame.current && pulseTarget(lastFrame.current));
  });
  useEffect(() => {
    if (!pulse) return;
    return onFrame((f) => {
      lastFrame.current = f;
      const c = topRef.current;
      const o = overlay.current;
      if (!c || !o) return;
      const target = pulseTarget(f);
      // Nothing to pulse, and nothing pulsing to wipe: leave the overlay alone.
      if (!target && !drewPulse.current) return;
      const ctx = c.getContext('2d');
      if (ctx) drawOverlay(ctx, o, f);
      drewPulse.current = !!target;
      // Bring the pulsing cell into view once when the message gets there.
      const key = target ? `${f.travel?.title}|${target.cpu}|${target.vector}` : '';
      if (target && key !== pulseKey.current) {
        const body = c.closest<HTMLElement>('[data-panel-body]');
        if (body) {
          const y = c.getBoundingClientRect().top - bandRef.current.y0 + AXIS_H + target.cpu * o.g.rh;
          const b = body.getBoundingClientRect();
          if (y < b.top + 8 || y > b.bottom - 8) body.scrollTop += y - (b.top + b.height / 2);
        }
      }
      pulseKey.current = key;
    });
  }, [pulse]);

  const at = (e: MouseEvent<HTMLCanvasElement>) => {
    if (!g || !cells) return null;
    const r = e.currentTarget.getBoundingClientRect();
    const h = hit(g, cells.cpus, e.clientX - r.left, e.clientY - r.top + band.y0);
    return h ? { ...h, cx: e.clientX, cy: e.clientY } : null;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    if (!cells || !g) return;
    if (isMenuKey(e) && props.onMenu) {
      e.preventDefault();
      const cpu = selectedCpu ?? 0;
      const r = e.currentTarget.getBoundingClientRect();
      props.onMenu(cpu, null, { x: r.left + g.gridX, y: Math.min(r.top - band.y0 + AXIS_H + (cpu + 1) * g.rh, window.innerHeight - 8) }, e.currentTarget);
      return;
    }
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : e.key === 'PageDown' ? 8 : e.key === 'PageUp' ? -8 : 0;
    if (step) {
      e.preventDefault();
      selectCpu(Math.max(0, Math.min(cells.cpus - 1, (selectedCpu ?? (step > 0 ? -1 : cells.cpus)) + step)));
    }
  };

  return (
    <div ref={wrapRef} className="relative px-1 pt-1">
      {cells && g ? (
        <>
          <div ref={stackRef} className="relative" style={{ width: g.width, height: g.height }}>
            <canvas ref={axisRef} aria-hidden="true" style={{ width: g.width, height: AXIS_H }} className="absolute left-0 top-0 block" />
            {Array.from({ length: tileCount(cells.cpus) }, (_, t) => {
              const rows = Math.min(TILE_ROWS, cells.cpus - t * TILE_ROWS);
              return (
                <canvas
                  key={t}
                  ref={(el) => {
                    tileRefs.current[t] = el;
                  }}
                  aria-hidden="true"
                  data-testid="vector-tile"
                  style={{ width: g.width, height: rows * g.rh, top: AXIS_H + t * TILE_ROWS * g.rh }}
                  className="absolute left-0 block"
                />
              );
            })}
            <canvas
              ref={topRef}
              data-testid="vector-canvas"
              data-grid-x={g.gridX}
              data-axis-h={AXIS_H}
              data-cell-w={g.cw}
              data-row-h={g.rh}
              data-top={band.y0}
              data-gen={props.gen}
              data-tiles-drawn={tilesDrawn}
              tabIndex={0}
              style={{ width: g.width, height: band.h, top: band.y0 }}
              className="absolute left-0 block cursor-crosshair rounded-sm focus-visible:outline-2 focus-visible:outline-sky-500"
              aria-label={props.ariaLabel}
              role="img"
              onMouseMove={(e) => setHover(at(e))}
              onMouseLeave={() => setHover(null)}
              onKeyDown={onKeyDown}
              onContextMenu={(e) => {
                const h = at(e);
                if (!h || !props.onMenu) return;
                e.preventDefault();
                setHover(null);
                props.onMenu(h.cpu, h.vector, { x: e.clientX, y: e.clientY }, e.currentTarget);
              }}
              onClick={(e) => {
                const h = at(e);
                if (!h) return;
                selectCpu(h.cpu);
                props.onCellClick?.(h.cpu, h.vector);
              }}
            />
          </div>
          {hover && createPortal(<GridTooltip hover={hover}>{tip(hover.cpu, hover.vector)}</GridTooltip>, document.body)}
          {!g.showCounters && props.readout?.(hover?.cpu ?? selectedCpu)}
        </>
      ) : (
        props.empty
      )}
    </div>
  );
}

const VECTOR_ROW_TEXT: RowText<CpuView> = {
  label: (cpu) => `CPU${cpu}`,
  counters: (c) => [c.available, c.managed, c.managedAllocated, c.allocated],
  headings: COUNTERS,
};

export function VectorMapPanel() {
  const snapshot = useStore((s) => s.snapshot);
  const selection = useStore((s) => s.selection);
  const selectedCpu = useStore((s) => s.selectedCpu);
  const selectCpu = useStore((s) => s.selectCpu);
  const dark = useStore((s) => s.theme === 'dark');

  const view = snapshot?.view;
  const cells = snapshot?.cells ?? null;
  const irqs = useMemo(() => irqIndex(view?.irqs ?? []), [view?.irqs]);
  const selIrq = selection?.kind === 'irq' ? (view?.irqs.find((i) => i.virq === selection.virq) ?? null) : null;
  const rings = useMemo<GridRing[]>(() => {
    const r: GridRing[] = [];
    if (selIrq && selIrq.vector > 0) r.push({ row: selIrq.cpu, col: selIrq.vector, dashed: false });
    if (selIrq && selIrq.prevVector > 0) r.push({ row: selIrq.prevCpu, col: selIrq.prevVector, dashed: true });
    return r;
  }, [selIrq]);
  const ownerAt = (cpu: number, vector: number | null) => (vector !== null ? irqs.get(cpu * VECTORS + vector) : undefined);

  const m = view?.matrix;
  return (
    <Panel
      title="Vector map"
      testId="vector-map"
      subtitle={m ? `Global available ${m.globalAvailable} · reserved ${m.globalReserved} · Total allocated ${m.totalAllocated}` : undefined}
      tools={
        cells && (
        <ul className="flex flex-wrap items-center gap-x-2.5 gap-y-0.5 text-[10.5px] text-slate-600 dark:text-slate-300" aria-label="legend">
          {CELL_LEGEND.map((l) => (
            <li key={l.code} className="flex items-center gap-1" title={l.title}>
              <span className="inline-block h-2.5 w-2.5 rounded-sm border border-slate-400/40" style={{ background: cellColour(l.code, dark) }} />
              {l.label}
            </li>
          ))}
        </ul>
        )
      }
    >
      <CellGrid
        cells={cells}
        rows={view?.cpus ?? NO_CPUS}
        colours={lut(dark)}
        ticks={VECTOR_TICKS}
        rowText={VECTOR_ROW_TEXT}
        selRow={selectedCpu}
        onSelectRow={selectCpu}
        rings={rings}
        selVirq={selIrq?.virq ?? null}
        pulse
        gen={snapshot?.gen}
        ariaLabel={`Vector matrix: ${cells?.cpus ?? 0} CPUs by ${cells?.vectors ?? 0} vectors. Up and Down pick a CPU; the context-menu key or Shift+F10 opens its menu.`}
        tip={(cpu, v) => cells && <VectorTip cpu={cpu} v={v} cells={cells} irqs={irqs} />}
        onMenu={(cpu, v, pt, el) => {
          const owner = ownerAt(cpu, v);
          openMenu({ kind: 'cpu', cpu, ...(owner ? { virq: owner.irq.virq } : {}) }, pt, el);
        }}
        onCellClick={(cpu, v) => {
          const owner = ownerAt(cpu, v);
          if (owner) void select({ kind: 'irq', virq: owner.irq.virq });
        }}
        readout={(cpu) => <CpuReadout cpu={view?.cpus[cpu ?? -1]} />}
        empty={
          <p className="p-2 text-xs text-slate-500">
            {view && view.arch !== 'x86' ? 'No x86 vector matrix on this architecture.' : 'The engine did not report vector cells.'}
          </p>
        }
      />
    </Panel>
  );
}

const NO_CPUS: readonly CpuView[] = [];
