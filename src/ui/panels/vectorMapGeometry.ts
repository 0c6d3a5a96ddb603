// Geometry of the vector map canvas: where each CPU row and vector column is drawn.

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

export function geometry(width: number, cpus: number): Geometry {
  const rh = rowPitch(cpus);
  const showCounters = rh >= 12;
  const countersW = COUNTER_W * COUNTERS.length + 8;
  const avail = width - GUTTER - (showCounters ? countersW : 8);
  const cw = Math.max(1, Math.floor(avail / VECTORS));
  const gridW = cw * VECTORS;
  return {
    width,
    height: AXIS_H + cpus * rh + 2,
    cw,
    rh,
    gap: rh >= 6 ? 2 : rh >= 3 ? 1 : 0,
    gridX: GUTTER,
    gridW,
    countersX: GUTTER + gridW + 8,
    showCounters,
    showAllLabels: rh >= 10,
  };
}

/** The (cpu, vector) under a point, or the CPU row when left of the grid; null outside. */
export function hit(g: Geometry, cpus: number, x: number, y: number): { cpu: number; vector: number | null } | null {
  if (y < AXIS_H) return null;
  const cpu = Math.floor((y - AXIS_H) / g.rh);
  if (cpu < 0 || cpu >= cpus) return null;
  if (x < g.gridX) return { cpu, vector: null };
  const vector = Math.floor((x - g.gridX) / g.cw);
  if (vector >= VECTORS) return { cpu, vector: null };
  return { cpu, vector };
}
