// Layout of the domain tree: roots on the left, children to the right, one column per level
// sized to its widest node. Text is measured, never shrunk: every node keeps its size, and
// under each node a slot is reserved for its labels (the selected interrupt's hwirq badge, the
// travel's label) so that no label overlaps a node or another label. Subtrees stack top to
// bottom, each taking the height of its tallest column, so blocks never overlap in any column.
// d3-hierarchy builds the tree; the placement is ours because it depends on measured heights.

import { stratify, type HierarchyNode } from 'd3-hierarchy';
import type { DomainView } from '../../worker/protocol';

/** Fonts of the tree, the same strings the SVG uses (text is measured in these). */
export const MONO = 'ui-monospace, SFMono-Regular, Menlo, Monaco, Consolas, "Liberation Mono", "Courier New", monospace';
export const FONT_NAME = `600 12px ${MONO}`;
export const FONT_LINE = `400 11px ${MONO}`;
export const FONT_LABEL = `600 11px ${MONO}`;

export const NODE_H = 54;
/** One line of a label badge, and the badge's padding (top + bottom). */
export const LABEL_LINE = 15;
export const LABEL_PAD = 5;
const LABEL_GAP = 3;
const BLOCK_GAP = 16;
const COL_GAP = 40;
/** Room right of a node for its collapse toggle. */
export const TOGGLE_R = 8;

export type Measure = (text: string, font: string) => number;

let ctx: CanvasRenderingContext2D | null | undefined;
/** Text width in px: the browser's own measurement, or a monospace estimate outside one. */
export const measureText: Measure = (text, font) => {
  if (ctx === undefined) {
    try {
      ctx = typeof document !== 'undefined' ? document.createElement('canvas').getContext('2d') : null;
    } catch {
      ctx = null;
    }
  }
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 11);
  if (!ctx) return text.length * size * 0.62;
  ctx.font = font;
  return ctx.measureText(text).width;
};

/** Break a label into lines no wider than `width` (at spaces where it can). */
export function wrapText(text: string, width: number, font: string, measure: Measure = measureText): string[] {
  const out: string[] = [];
  let line = '';
  const push = () => {
    if (line) out.push(line);
    line = '';
  };
  for (const word of text.split(/(?<= )/)) {
    const next = line + word;
    if (measure(next.trimEnd(), font) <= width) {
      line = next;
      continue;
    }
    push();
    // A word wider than the line is cut where it fills it.
    let w = word;
    while (measure(w.trimEnd(), font) > width && w.length > 1) {
      let k = w.length - 1;
      while (k > 1 && measure(w.slice(0, k), font) > width) k--;
      out.push(w.slice(0, k));
      w = w.slice(k);
    }
    line = w;
  }
  push();
  return out.length ? out.map((l) => l.trimEnd()) : [''];
}

/**
 * What the tree draws of a domain: a simulated one (DomainView: its size and mapped count) or one
 * an import proves (its own two lines, never a size it does not know).
 */
export type TreeDomain = Pick<DomainView, 'name' | 'parent' | 'kind' | 'era'> & {
  size?: number;
  mapped?: number;
  /** Lines 2 and 3 when given: they replace the kind and the size. */
  lines?: readonly [string, string];
};

/** Line 2 and 3 of a node: what kind of domain, then its size and mapped count. */
export function nodeLines(d: TreeDomain): readonly [string, string] {
  return d.lines ?? [d.kind, `size ${d.size} · mapped ${d.mapped}`];
}

export function nodeWidth(d: TreeDomain, measure: Measure = measureText): number {
  const [a, b] = nodeLines(d);
  const era = d.era !== 'mainline' ? measure(d.era, FONT_LABEL) + 22 : 0;
  return Math.ceil(Math.max(measure(d.name, FONT_NAME), measure(a, FONT_LINE) + era, measure(b, FONT_LINE), 110) + 20);
}

/** A label under a node: its kind decides its colours; lines are already wrapped. */
export interface NodeLabel {
  kind: 'chain' | 'travel';
  lines: number;
}

export interface LaidNode {
  d: TreeDomain;
  x: number; // left
  y: number; // top
  w: number;
  /** Width a label under this node may take (its column and the gap after it). */
  labelW: number;
  /** Top of each label slot, in the order given. */
  slots: { kind: NodeLabel['kind']; y: number; h: number }[];
  /** Domains below it (all levels), and whether they are folded away. */
  descendants: number;
  collapsed: boolean;
}

export interface Layout {
  nodes: LaidNode[];
  links: { from: LaidNode; to: LaidNode }[];
  bounds: { x0: number; y0: number; x1: number; y1: number };
  /** A folded-away domain → the collapsed ancestor that stands for it. */
  alias: Map<string, string>;
}

export interface LayoutOptions {
  /** Label slots to reserve under each domain (by name), top to bottom. */
  labels?: ReadonlyMap<string, readonly NodeLabel[]>;
  collapsed?: ReadonlySet<string>;
  measure?: Measure;
}

type Item = { id: string; parent: string | null; d: TreeDomain | null };
const ROOT = '\u0000root';

export function labelHeight(lines: number): number {
  return lines * LABEL_LINE + LABEL_PAD;
}

export function layoutDomains(domains: readonly TreeDomain[], opts: LayoutOptions = {}): Layout {
  const measure = opts.measure ?? measureText;
  const collapsed = opts.collapsed ?? new Set<string>();
  const alias = new Map<string, string>();
  if (domains.length === 0) return { nodes: [], links: [], bounds: { x0: 0, y0: 0, x1: 1, y1: 1 }, alias };
  const names = new Set(domains.map((d) => d.name));
  const items: Item[] = [{ id: ROOT, parent: null, d: null }];
  for (const d of domains) items.push({ id: d.name, parent: d.parent && names.has(d.parent) ? d.parent : ROOT, d });
  const root = stratify<Item>().id((i) => i.id).parentId((i) => i.parent)(items);

  // What is shown: everything below a collapsed domain is folded into it.
  const shown = (n: HierarchyNode<Item>): HierarchyNode<Item>[] => (n.data.d && collapsed.has(n.id!) ? [] : (n.children ?? []));
  root.each((n) => {
    if (!n.data.d || !collapsed.has(n.id!)) return;
    n.each((m) => {
      if (m !== n) alias.set(m.id!, n.id!);
    });
  });
  // Nodes under a collapsed one that is itself folded point at the outermost one.
  for (const [k, v] of alias) {
    let a = v;
    while (alias.has(a)) a = alias.get(a)!;
    alias.set(k, a);
  }

  // Column widths from the widest shown node per depth.
  const colW: number[] = [];
  const visit = (n: HierarchyNode<Item>) => {
    if (n.data.d) colW[n.depth] = Math.max(colW[n.depth] ?? 0, nodeWidth(n.data.d, measure));
    for (const c of shown(n)) visit(c);
  };
  visit(root);
  const colX: number[] = [0, 0];
  for (let depth = 2; depth < colW.length + 1; depth++) colX[depth] = colX[depth - 1] + (colW[depth - 1] ?? 0) + COL_GAP;

  const nodes: LaidNode[] = [];
  const byId = new Map<string, LaidNode>();
  /** Place the subtree of n from `top`; returns the bottom of everything it placed. */
  const place = (n: HierarchyNode<Item>, top: number): number => {
    const kids = shown(n);
    let bottom = top;
    const placed: LaidNode[] = [];
    for (const c of kids) {
      bottom = place(c, bottom);
      const ln = byId.get(c.id!);
      if (ln) placed.push(ln);
    }
    const d = n.data.d;
    if (!d) return bottom;
    const labels = opts.labels?.get(d.name) ?? [];
    const slotsH = labels.reduce((h, l) => h + labelHeight(l.lines) + LABEL_GAP, 0);
    const blockH = NODE_H + (slotsH ? LABEL_GAP + slotsH : 0);
    // Centred on its children where they leave room, never above the subtree's top.
    const centre = placed.length ? (placed[0].y + placed[placed.length - 1].y) / 2 : top;
    const y = Math.max(top, centre);
    const w = colW[n.depth];
    const ln: LaidNode = {
      d, x: colX[n.depth], y, w, labelW: w + COL_GAP - 2 * TOGGLE_R - 4, slots: [],
      descendants: n.descendants().length - 1, collapsed: collapsed.has(d.name) && (n.children?.length ?? 0) > 0,
    };
    let sy = y + NODE_H + LABEL_GAP;
    for (const l of labels) {
      const h = labelHeight(l.lines);
      ln.slots.push({ kind: l.kind, y: sy, h });
      sy += h + LABEL_GAP;
    }
    byId.set(n.id!, ln);
    nodes.push(ln);
    return Math.max(bottom, y + blockH + BLOCK_GAP);
  };
  place(root, 0);

  const links: Layout['links'] = [];
  for (const n of nodes) {
    const p = n.d.parent ? byId.get(n.d.parent) : undefined;
    if (p) links.push({ from: p, to: n });
  }
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const n of nodes) {
    const last = n.slots.at(-1);
    x0 = Math.min(x0, n.x);
    y0 = Math.min(y0, n.y);
    x1 = Math.max(x1, n.x + n.w + 2 * TOGGLE_R + 4, n.slots.length ? n.x + n.labelW : 0);
    y1 = Math.max(y1, last ? last.y + last.h : n.y + NODE_H);
  }
  return { nodes, links, bounds: { x0: x0 - 8, y0: y0 - 8, x1: x1 + 8, y1: y1 + 8 }, alias };
}
