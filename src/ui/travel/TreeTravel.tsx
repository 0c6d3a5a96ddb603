// The travel drawn on the domain tree: a token that runs along the tree's links from stop to
// stop (moved by the frame clock, not by React) leaving a trail on the links it took, and on
// top of the nodes the marks of the stops reached so far — numbered stamps, a ring on the
// current level, and the label of what was read or written there.

import { useEffect, useMemo, useRef } from 'react';
import type { Layout, LaidNode } from '../panels/domainTreeLayout';
import { NODE_H } from '../panels/domainTreeLayout';
import { MOVE_SHARE, onFrame } from './player';
import type { Stop, Travel } from './stops';
import { reduced, useTravel } from './store';
import { svgFill, svgStroke } from './tones';

type Pt = [number, number];

/**
 * A polyline along the tree's link curves, with cumulative lengths. Stretches inside a node
 * (from the side the token came in to the side it leaves by) count zero: the token jumps
 * across a node and spends its time on the links, where it can be seen.
 */
interface Route {
  pts: Pt[];
  len: number[];
  /** Links only, for the trail (one sub-path per link). */
  d: string;
}

function bezier(p0: Pt, p1: Pt, p2: Pt, p3: Pt, out: Pt[], samples = 14): void {
  for (let i = 1; i <= samples; i++) {
    const t = i / samples;
    const u = 1 - t;
    out.push([
      u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
      u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1],
    ]);
  }
}

/** Domains from `a` up to the root. */
function ancestry(a: LaidNode, byName: Map<string, LaidNode>): LaidNode[] {
  const out = [a];
  let n: LaidNode | undefined = a;
  while (n?.d.parent && (n = byName.get(n.d.parent))) out.push(n);
  return out;
}

const f1 = (p: Pt) => `${p[0].toFixed(1)},${p[1].toFixed(1)}`;

/**
 * The way from the token's place at node a (`from`, a point on a's edge) to node b through
 * the tree, along the links as they are drawn. Returns the route and where it ends: the side
 * of b it came in by. The first stop comes in from the device, right of its domain.
 */
export function route(a: LaidNode | null, from: Pt | null, b: LaidNode, byName: Map<string, LaidNode>): { r: Route; port: Pt } {
  const pts: Pt[] = [];
  const vis: boolean[] = [];
  const links: string[] = [];
  const push = (p: Pt, visible: boolean) => {
    pts.push(p);
    vis.push(visible);
  };
  let port: Pt;
  if (!a || !from) {
    const y = b.y + NODE_H / 2;
    port = [b.x + b.w, y];
    push([b.x + b.w + 40, y], false);
    push(port, true);
    links.push(`M${f1([b.x + b.w + 40, y])}L${f1(port)}`);
  } else if (a === b) {
    port = from;
    push(from, false);
  } else {
    const up = ancestry(a, byName);
    const down = ancestry(b, byName);
    const common = up.find((n) => down.includes(n));
    const path = common ? [...up.slice(0, up.indexOf(common) + 1), ...down.slice(0, down.indexOf(common)).reverse()] : [a, b];
    push(from, false);
    let entry: Pt = from;
    for (let i = 0; i + 1 < path.length; i++) {
      const u = path[i];
      const v = path[i + 1];
      const uy = u.y + NODE_H / 2;
      const vy = v.y + NODE_H / 2;
      // Toward the root: out of u's left side into v's right side; away from it, the other way.
      const toRoot = v.d.name === u.d.parent;
      const exit: Pt = toRoot ? [u.x, uy] : [u.x + u.w, uy];
      entry = toRoot ? [v.x + v.w, vy] : [v.x, vy];
      const mx = (exit[0] + entry[0]) / 2;
      push(exit, false);
      const curve: Pt[] = [];
      bezier(exit, [mx, uy], [mx, vy], entry, curve);
      for (const p of curve) push(p, true);
      links.push(`M${f1(exit)}C${f1([mx, uy])} ${f1([mx, vy])} ${f1(entry)}`);
    }
    port = entry;
  }
  const len = [0];
  for (let i = 1; i < pts.length; i++) len.push(len[i - 1] + (vis[i] ? Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]) : 0));
  return { r: { pts, len, d: links.join('') }, port };
}

function at(r: Route, f: number): Pt {
  const total = r.len[r.len.length - 1];
  if (total === 0 || r.pts.length < 2) return r.pts[r.pts.length - 1];
  const d = f * total;
  let i = 1;
  while (i < r.len.length - 1 && r.len[i] < d) i++;
  const seg = r.len[i] - r.len[i - 1];
  if (seg === 0) return r.pts[i];
  const k = (d - r.len[i - 1]) / seg;
  return [r.pts[i - 1][0] + (r.pts[i][0] - r.pts[i - 1][0]) * k, r.pts[i - 1][1] + (r.pts[i][1] - r.pts[i - 1][1]) * k];
}

const ease = (x: number) => (x < 0.5 ? 2 * x * x : 1 - (-2 * x + 2) ** 2 / 2);

/** Each stop's route on this layout (null for stops at levels the tree does not show). */
function routes(travel: Travel | null, layout: Layout): (Route | null)[] {
  if (!travel) return [];
  const byName = new Map(layout.nodes.map((n) => [n.d.name, n]));
  let prev: LaidNode | null = null;
  let port: Pt | null = null;
  return travel.stops.map((s) => {
    const node = s.domain ? byName.get(s.domain) : undefined;
    if (!node) return null;
    const next = route(prev, port, node, byName);
    prev = node;
    port = next.port;
    return next.r;
  });
}

function useRoutes(layout: Layout) {
  const travel = useTravel((s) => s.travel);
  return { travel, paths: useMemo(() => routes(travel, layout), [travel, layout]) };
}

/** The links the message has gone along so far; render it under the nodes. */
export function TravelTrail({ layout }: { layout: Layout }) {
  const { travel, paths } = useRoutes(layout);
  const index = useTravel((s) => s.index);
  const done = useTravel((s) => s.done);
  const still = useTravel(reduced);
  const last = travel ? (still || done ? travel.stops.length - 1 : index) : -1;
  return (
    <g data-testid="travel-trail" pointerEvents="none">
      {paths.slice(0, last + 1).map((r, i) =>
        r && r.d && travel ? (
          <path key={i} d={r.d} fill="none" strokeLinecap="round" className={`${svgStroke(travel.stops[i].kind)} [stroke-width:2.5] opacity-70`} />
        ) : null,
      )}
    </g>
  );
}

/** The moving token, over everything; the frame clock moves it, not React. */
export function TravelToken({ layout }: { layout: Layout }) {
  const g = useRef<SVGGElement>(null);
  const dot = useRef<SVGCircleElement>(null);
  const { paths } = useRoutes(layout);
  const pathsRef = useRef(paths);
  pathsRef.current = paths;
  const shown = useRef({ visible: false, cls: '' });

  useEffect(
    () =>
      onFrame((f) => {
        const el = g.current;
        if (!el) return;
        const r = f.travel && !f.still && !f.done ? pathsRef.current[f.index] : null;
        if (!r) {
          if (shown.current.visible) el.setAttribute('visibility', 'hidden');
          shown.current.visible = false;
          return;
        }
        const p = at(r, ease(Math.min(1, f.frac / MOVE_SHARE)));
        if (!shown.current.visible) el.setAttribute('visibility', 'visible');
        shown.current.visible = true;
        el.setAttribute('transform', `translate(${p[0].toFixed(1)},${p[1].toFixed(1)})`);
        const cls = svgFill(f.travel!.stops[f.index].kind);
        if (dot.current && shown.current.cls !== cls) {
          dot.current.setAttribute('class', cls);
          shown.current.cls = cls;
        }
      }),
    [],
  );
  return (
    <g ref={g} visibility="hidden" data-testid="travel-token" pointerEvents="none">
      <circle r={9.5} className="fill-amber-400/35" />
      <circle ref={dot} r={5} className="fill-amber-500" />
      <circle r={5} fill="none" className="stroke-white dark:stroke-slate-900" strokeWidth={1.5} />
    </g>
  );
}

const BADGE_CH = 5.75; // 9.5px monospace
const CALLOUT_CH = 6.05; // 10px monospace
const BADGE_H = 14;
const LINE_H = 13;

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, Math.max(1, n - 1))}…` : s;
}

/** Break a label into lines of at most n characters, at spaces where it can. */
function wrap(s: string, n: number, maxLines = 4): string[] {
  const out: string[] = [];
  let rest = s;
  while (rest.length > n && out.length < maxLines - 1) {
    let cut = rest.lastIndexOf(' ', n);
    if (cut < n * 0.5) cut = n;
    out.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  out.push(clip(rest, n));
  return out;
}

/**
 * How wide a label under node n can be before it runs into another node (or another label)
 * to its right: labels stay clear of the tree's other levels.
 */
function roomRight(n: LaidNode, layout: Layout, labelled: ReadonlySet<string>): number {
  const y0 = n.y + NODE_H;
  const y1 = y0 + BADGE_H + 4;
  let limit = Math.max(layout.bounds.x1, n.x + n.w) - n.x - 2;
  for (const o of layout.nodes) {
    if (o === n || o.x <= n.x) continue;
    const boxes: [number, number][] = [[o.y - 8, o.y + NODE_H]];
    if (labelled.has(o.d.name)) boxes.push([o.y + NODE_H, o.y + NODE_H + BADGE_H + 2]);
    for (const [a, b] of boxes) if (a < y1 && b > y0) limit = Math.min(limit, o.x - n.x - 6);
  }
  return Math.max(n.w - 4, limit);
}

/** Marks over the nodes: which stops happened at each level and what the latest one did. */
/** Height the selected interrupt's chain badge takes under a node (the travel's label goes below it). */
export const CHAIN_BADGE_H = 16;

export function TravelMarks({ layout, below }: { layout: Layout; below?: ReadonlyMap<string, unknown> }) {
  const travel = useTravel((s) => s.travel);
  const index = useTravel((s) => s.index);
  const done = useTravel((s) => s.done);
  const still = useTravel(reduced);
  if (!travel) return null;
  const last = still || done ? travel.stops.length - 1 : index;
  const byNode = new Map<string, { i: number; s: Stop }[]>();
  for (let i = 0; i <= last && i < travel.stops.length; i++) {
    const s = travel.stops[i];
    if (!s.domain) continue;
    const list = byNode.get(s.domain) ?? [];
    list.push({ i, s });
    byNode.set(s.domain, list);
  }
  const labelled = new Set(byNode.keys());
  const current = !still && !done && index >= 0 ? (travel.stops[index] ?? null) : null;
  const currentNode = current?.domain ? layout.nodes.find((n) => n.d.name === current.domain) : undefined;
  return (
    <g data-testid="travel-marks" pointerEvents="none">
      {layout.nodes.map((n) => {
        const list = byNode.get(n.d.name);
        if (!list) return null;
        const latest = list[list.length - 1];
        const isCurrent = n === currentNode;
        const room = roomRight(n, layout, labelled);
        const dy = below?.has(n.d.name) ? CHAIN_BADGE_H : 0;
        const text = clip(`${latest.i + 1}. ${latest.s.label}`, Math.floor((room - 10) / BADGE_CH));
        return (
          <g key={n.d.name} data-travel-node={n.d.name}>
            {isCurrent && (
              <rect x={n.x - 3} y={n.y - 3} width={n.w + 6} height={NODE_H + 6} rx={8} fill="none" className={`${svgStroke(latest.s.kind)} [stroke-width:3]`} />
            )}
            {list.map(({ i, s }, k) => (
              <g key={i} transform={`translate(${n.x + 10 + k * 15},${n.y})`}>
                <circle r={6.5} className={`${svgFill(s.kind)} stroke-white dark:stroke-slate-900`} strokeWidth={1.2} />
                <text textAnchor="middle" y={3} className="fill-white font-mono text-[8.5px] font-bold">{i + 1}</text>
              </g>
            ))}
            {!isCurrent && <Badge x={n.x + 2} y={n.y + NODE_H + 2 + dy} lines={[text]} ch={BADGE_CH} at={latest} size="text-[9.5px]" />}
          </g>
        );
      })}
      {currentNode && current && (
        // The stop being shown: its whole label, wrapped within the room its column has, over the rest.
        <g data-testid="travel-callout">
          <Badge
            x={currentNode.x + 2}
            y={currentNode.y + NODE_H + 2 + (below?.has(currentNode.d.name) ? CHAIN_BADGE_H : 0)}
            lines={wrap(`${index + 1}. ${current.label}`, Math.floor((roomRight(currentNode, layout, new Set()) - 12) / CALLOUT_CH))}
            ch={CALLOUT_CH}
            at={{ i: index, s: current }}
            size="text-[10px]"
            strong
          />
        </g>
      )}
    </g>
  );
}

function Badge({ x, y, lines, ch, at, size, strong }: { x: number; y: number; lines: string[]; ch: number; at: { i: number; s: Stop }; size: string; strong?: boolean }) {
  const w = Math.max(...lines.map((l) => l.length)) * ch + 10;
  const h = lines.length === 1 ? (strong ? 16 : BADGE_H) : lines.length * LINE_H + 4;
  return (
    <g transform={`translate(${x},${y})`} data-testid="travel-badge">
      <title>{`${at.i + 1}. ${at.s.fn ? `${at.s.fn}(): ` : ''}${at.s.label}`}</title>
      <rect width={w} height={h} rx={3} className={`${strong ? 'fill-amber-50 dark:fill-slate-800' : 'fill-white dark:fill-slate-900'} ${svgStroke(at.s.kind)}`} strokeWidth={strong ? 1.6 : 1.1} />
      {lines.map((l, k) => (
        <text key={k} x={5} y={lines.length === 1 ? h / 2 + 3.4 : 12 + k * LINE_H} className={`font-mono ${size} font-semibold ${at.s.failed ? 'fill-rose-700 dark:fill-rose-300' : 'fill-slate-800 dark:fill-slate-100'}`}>
          {l}
        </text>
      ))}
    </g>
  );
}
