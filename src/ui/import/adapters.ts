// An imported machine in the shapes the app's panels draw: the domain tree's nodes (TreeDomain) and
// the vector map's grid of cells (one CPU row per count column, one column per interrupt). Only the
// input's facts: a node's lines say how many irqs the input shows in it and where the fact comes
// from, never a size or a mapped count the input does not give.

import type { TreeDomain } from '../panels/domainTreeLayout';
import type { ImportedMachine } from '../../worker/protocol';

type ImportedDomain = ImportedMachine['domains'][number];

const SOURCE: Record<ImportedDomain['source'], string> = { debugfs: 'debugfs', proc: 'chip column', deduced: 'deduced' };

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The tree's nodes: each domain under its parent when the input names one it holds, else a root. */
export function importTree(m: ImportedMachine): TreeDomain[] {
  const names = new Set(m.domains.map((d) => d.name));
  return m.domains.map((d) => ({
    name: d.name,
    parent: d.parent && names.has(d.parent) ? d.parent : null,
    // A chip the model does not know is a plain named node (the tree's neutral colour).
    kind: d.kind,
    era: 'mainline',
    lines: [d.kind === 'chip' ? 'chip' : d.kind, `${plural(d.irqs.length, 'irq')} · ${SOURCE[d.source]}`],
  }));
}

/** The domain an irq ends in (its lowest level the input shows): where the tree marks it. */
export function domainOfIrq(m: ImportedMachine, irq: number): string | null {
  const holding = m.domains.filter((d) => d.irqs.includes(irq));
  if (!holding.length) return null;
  const parents = new Set(holding.map((d) => d.parent));
  return (holding.find((d) => !parents.has(d.name)) ?? holding[0]).name;
}

/** Highest cell code: codes 1…LEVELS are counts on a log scale, 0 is no interrupt counted. */
export const LEVELS = 255;

export interface HeatGrid {
  /** CPU rows: one per count column of the input. */
  cpus: number;
  /** One column per numbered irq with counts, in the input's order. */
  columns: number;
  /** Row-major cell codes: 0 for a count of 0, else 1…LEVELS by log(count + 1) / log(max + 1). */
  states: Uint8Array;
  /** The irq of each column. */
  irqs: number[];
  /** The count under each cell (row-major, like states). */
  counts: Float64Array;
  /** The busiest cell's count. */
  max: number;
  /** "CPU3" from the header, or "col 4" for a header-less excerpt (the column, not a CPU number). */
  rowLabels: string[];
  /** Each row's sum over the columns. */
  totals: number[];
}

/** The per-CPU counts of the numbered irqs as a grid; null when the input has no counts. */
export function heatGrid(m: ImportedMachine): HeatGrid | null {
  const rows = m.irqs.filter((i) => i.counts && i.counts.length);
  const cpus = m.cpus ?? Math.max(0, ...rows.map((r) => r.counts!.length));
  if (!rows.length || !cpus) return null;
  const columns = rows.length;
  const counts = new Float64Array(cpus * columns);
  let max = 0;
  const totals = new Array<number>(cpus).fill(0);
  rows.forEach((r, j) => {
    r.counts!.forEach((v, k) => {
      if (k >= cpus) return;
      counts[k * columns + j] = v;
      totals[k] += v;
      if (v > max) max = v;
    });
  });
  const states = new Uint8Array(cpus * columns);
  const scale = Math.log(max + 1);
  for (let i = 0; i < counts.length; i++) {
    const v = counts[i];
    states[i] = v <= 0 ? 0 : Math.max(1, Math.min(LEVELS, Math.ceil((Math.log(v + 1) / scale) * LEVELS)));
  }
  const rowLabels = Array.from({ length: cpus }, (_, k) => (m.cpuIds && m.cpuIds[k] !== undefined ? `CPU${m.cpuIds[k]}` : `col ${k + 1}`));
  return { cpus, columns, states, irqs: rows.map((r) => r.irq), counts, max, rowLabels, totals };
}

/** The count a cell code stands for at least (the legend's stops). */
export function levelFloor(level: number, max: number): number {
  if (level <= 0) return 0;
  return Math.max(1, Math.ceil(Math.exp(((level - 1) / LEVELS) * Math.log(max + 1)) - 1));
}

/** A cell code's colour: one hue, pale to deep as the count grows (deep to pale in the dark theme); 0 as a free vector cell. */
export function heatColour(code: number, dark: boolean, empty: string): string {
  if (code <= 0) return empty;
  const t = Math.min(1, code / LEVELS);
  const stops = dark ? [[12, 74, 110], [14, 165, 233], [224, 242, 254]] : [[186, 230, 253], [14, 165, 233], [30, 58, 138]];
  const [a, b] = t < 0.5 ? [stops[0], stops[1]] : [stops[1], stops[2]];
  const u = t < 0.5 ? t / 0.5 : (t - 0.5) / 0.5;
  const c = a.map((x, i) => Math.round(x + (b[i] - x) * u));
  return `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** Axis ticks: an irq number every `every` columns (so labels do not run into each other). */
export function heatTicks(irqs: readonly number[], every: number): { col: number; text: string }[] {
  const out: { col: number; text: string }[] = [];
  for (let j = 0; j < irqs.length; j += Math.max(1, every)) out.push({ col: j, text: String(irqs[j]) });
  return out;
}

/** A CPU list as the kernel prints one (0-3,8). */
export function cpuList(l: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < l.length; i++) {
    let j = i;
    while (j + 1 < l.length && l[j + 1] === l[j] + 1) j++;
    out.push(j > i ? `${l[i]}-${l[j]}` : String(l[i]));
    i = j;
  }
  return out.join(',');
}
