// Geometry of the vector map canvas: where each CPU row and vector column is drawn. The same grid
// draws an imported machine's per-CPU counts (one column per interrupt instead of per vector).

export const VECTORS = 256;
export const GUTTER = 52;
export const AXIS_H = 16;
export const COUNTER_W = 34;
export const COUNTERS = ['avl', 'man', 'mac', 'act'] as const;

export interface Geometry {
  width: number;
  height: number;
  cw: number; // cell width
  rh: number; // row pitch
  gap: number; // gap between rows
  gridX: number;
  gridW: number;
  countersX: number;
  showCounters: boolean;
  showAllLabels: boolean;
  /** Columns of the grid (VECTORS on the vector map). */
  columns: number;
  /** Counters right of the grid, and the width of each. */
  counters: number;
  counterW: number;
}

export interface GridShape {
  /** Columns of the grid; VECTORS when absent. */
  columns?: number;
  /** How many counters right of the grid (the vector map's four when absent), and their width. */
  counters?: number;
  counterW?: number;
  /** The widest a cell gets (a grid of few columns would otherwise stretch them). */
  maxCell?: number;
}

export function rowPitch(cpus: number): number {
  if (cpus <= 8) return 16;
  if (cpus <= 16) return 12;
  if (cpus <= 32) return 7;
  if (cpus <= 64) return 3;
  if (cpus <= 128) return 3;
  if (cpus <= 2048) return 2;
  return 1;
}

/**
 * The map is drawn in horizontal tiles of this many CPU rows, one canvas each: a change redraws
 * the tiles whose rows changed, and the browser composites the rest as they were.
 */
export const TILE_ROWS = 64;

/** How many tiles a map of `cpus` rows has. */
export function tileCount(cpus: number): number {
  return Math.ceil(cpus / TILE_ROWS);
}

/** The tile that draws CPU row `cpu`. */
export function tileOf(cpu: number): number {
  return Math.floor(cpu / TILE_ROWS);
}

export function geometry(width: number, cpus: number, shape: GridShape = {}): Geometry {
  const columns = shape.columns ?? VECTORS;
  const counters = shape.counters ?? COUNTERS.length;
  const counterW = shape.counterW ?? COUNTER_W;
  const rh = rowPitch(cpus);
  const showCounters = rh >= 12 && counters > 0;
  const countersW = counterW * counters + 8;
  const avail = width - GUTTER - (showCounters ? countersW : 8);
  const cw = Math.max(1, Math.min(shape.maxCell ?? Infinity, Math.floor(avail / columns)));
  const gridW = cw * columns;
  return {
    // A grid of more columns than fit is wider than the panel (which scrolls); 256 vectors always fit.
    width: Math.max(width, GUTTER + gridW + (showCounters ? countersW : 8)),
    height: AXIS_H + cpus * rh + 2,
    cw,
    rh,
    gap: rh >= 6 ? 2 : rh >= 3 ? 1 : 0,
    gridX: GUTTER,
    gridW,
    countersX: GUTTER + gridW + 8,
    showCounters,
    showAllLabels: rh >= 10,
    columns,
    counters,
    counterW,
  };
}

/** The (cpu, vector) under a point, or the CPU row when left of the grid; null outside. */
export function hit(g: Geometry, cpus: number, x: number, y: number): { cpu: number; vector: number | null } | null {
  if (y < AXIS_H) return null;
  const cpu = Math.floor((y - AXIS_H) / g.rh);
  if (cpu < 0 || cpu >= cpus) return null;
  if (x < g.gridX) return { cpu, vector: null };
  const vector = Math.floor((x - g.gridX) / g.cw);
  if (vector >= g.columns) return { cpu, vector: null };
  return { cpu, vector };
}
