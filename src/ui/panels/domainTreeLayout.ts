// d3-hierarchy layout of the domain tree: roots on the left, children to the right,
// one column per level sized to its widest label.

import { stratify, tree, type HierarchyPointNode } from 'd3-hierarchy';
import type { DomainView } from '../../worker/protocol';

export const CHAR_W = 6.62; // 11px monospace
const SMALL_W = 6.02; // 10px monospace
export const NODE_H = 48;
// Under a node: the selected chain's hwirq badge and a travel label, one below the other.
const ROW_GAP = 38;
const COL_GAP = 28;

export interface LaidNode {
  d: DomainView;
  x: number; // left
  y: number; // top
  w: number;
}

export interface Layout {
  nodes: LaidNode[];
  links: { from: LaidNode; to: LaidNode }[];
  bounds: { x0: number; y0: number; x1: number; y1: number };
}

type Item = { id: string; parent: string | null; d: DomainView | null };
const ROOT = '\u0000root';

/** Line 2 and 3 of a node: what kind of domain, then its size and mapped count. */
export function nodeLines(d: DomainView): [string, string] {
  return [d.kind, `size ${d.size} · mapped ${d.mapped}`];
}

export function nodeWidth(d: DomainView): number {
  const [a, b] = nodeLines(d);
  return Math.ceil(Math.max(d.name.length * CHAR_W, Math.max(a.length, b.length) * SMALL_W, 96) + 16);
}

export function layoutDomains(domains: readonly DomainView[]): Layout {
  if (domains.length === 0) return { nodes: [], links: [], bounds: { x0: 0, y0: 0, x1: 1, y1: 1 } };
  const names = new Set(domains.map((d) => d.name));
  const items: Item[] = [{ id: ROOT, parent: null, d: null }];
  for (const d of domains) items.push({ id: d.name, parent: d.parent && names.has(d.parent) ? d.parent : ROOT, d });

  const root = stratify<Item>()
    .id((i) => i.id)
    .parentId((i) => i.parent)(items);
  const laid = tree<Item>().nodeSize([NODE_H + ROW_GAP, 1]).separation(() => 1)(root);

  // Column x positions from the widest node per depth (depth 0 is the invisible root).
  const colW: number[] = [];
  laid.each((n) => {
    if (n.data.d) colW[n.depth] = Math.max(colW[n.depth] ?? 0, nodeWidth(n.data.d));
  });
  const colX: number[] = [0, 0];
  for (let depth = 2; depth < colW.length + 1; depth++) colX[depth] = colX[depth - 1] + (colW[depth - 1] ?? 0) + COL_GAP;

  const byId = new Map<string, LaidNode>();
  const nodes: LaidNode[] = [];
  laid.each((n: HierarchyPointNode<Item>) => {
    if (!n.data.d) return;
    const ln: LaidNode = { d: n.data.d, x: colX[n.depth], y: n.x - NODE_H / 2, w: colW[n.depth] };
    byId.set(n.data.id, ln);
    nodes.push(ln);
  });
  const links: Layout['links'] = [];
  for (const n of nodes) {
    const p = n.d.parent ? byId.get(n.d.parent) : undefined;
    if (p) links.push({ from: p, to: n });
  }
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const n of nodes) {
    x0 = Math.min(x0, n.x);
    y0 = Math.min(y0, n.y - 12);
    x1 = Math.max(x1, n.x + n.w);
    y1 = Math.max(y1, n.y + NODE_H + 34);
  }
  return { nodes, links, bounds: { x0, y0, x1, y1 } };
}
