// The travel drawn on the domain tree: a token that runs along the tree's links from stop to
// stop (moved by the frame clock, not by React) leaving a trail on the links it took, and on
// top of the nodes the marks of the stops reached so far — numbered stamps, a ring on the
// current level, and the label of what was read or written there.

import { useEffect, useMemo, useRef } from 'react';
import type { Layout, LaidNode } from '../panels/domainTreeLayout';
import { FONT_LABEL, LABEL_LINE, MONO, NODE_H, wrapText } from '../panels/domainTreeLayout';
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
    const at = s.domain ? (layout.alias.get(s.domain) ?? s.domain) : null;
    const node = at ? byName.get(at) : undefined;
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

/** Where a stop shows on this layout: its domain, or the collapsed domain that stands for it. */
function shownAt(layout: Layout, domain: string | null): string | null {
  return domain ? (layout.alias.get(domain) ?? domain) : null;
}

/**
 * The travel's label of each domain once stops 0…last are reached: the stop numbers that
 * happened there ("2·5") and the latest one's label. With `versions`, every label the domain
 * shows over the whole travel (to reserve room for the largest).
 */
export function travelLabelTexts(travel: Travel, last: number, at: (d: string) => string, versions: true): Map<string, string[]>;
export function travelLabelTexts(travel: Travel, last: number, at: (d: string) => string, versions?: false): Map<string, { text: string; i: number; s: Stop; visits: number[] }>;
export function travelLabelTexts(travel: Travel, last: number, at: (d: string) => string, versions = false) {
  const visits = new Map<string, number[]>();
  const all = new Map<string, string[]>();
  const latest = new Map<string, { text: string; i: number; s: Stop; visits: number[] }>();
  for (let i = 0; i <= last && i < travel.stops.length; i++) {
    const s = travel.stops[i];
    if (!s.domain) continue;
    const d = at(s.domain);
    const v = [...(visits.get(d) ?? []), i + 1];
    visits.set(d, v);
    const text = `${v.join('·')}. ${s.label}`;
    const list = all.get(d) ?? [];
    list.push(text);
    all.set(d, list);
    latest.set(d, { text, i, s, visits: v });
  }
  return versions ? all : latest;
}

/** The travel's labels in the slots the layout reserved under each domain, and a ring on the current one. */
export function TravelMarks({ layout }: { layout: Layout }) {
  const travel = useTravel((s) => s.travel);
  const index = useTravel((s) => s.index);
  const done = useTravel((s) => s.done);
  const still = useTravel(reduced);
  if (!travel) return null;
  const last = still || done ? travel.stops.length - 1 : index;
  const texts = travelLabelTexts(travel, last, (d) => shownAt(layout, d) ?? d);
  const current = !still && !done && index >= 0 ? (travel.stops[index] ?? null) : null;
  const currentName = shownAt(layout, current?.domain ?? null);
  return (
    <g data-testid="travel-marks" pointerEvents="none">
      {layout.nodes.map((n) => {
        const t = texts.get(n.d.name);
        const slot = n.slots.find((x) => x.kind === 'travel');
        if (!t) return null;
        const isCurrent = n.d.name === currentName;
        const lines = wrapText(t.text, n.labelW - 10, FONT_LABEL);
        return (
          <g key={n.d.name} data-travel-node={n.d.name}>
            {isCurrent && (
              <rect x={n.x - 3} y={n.y - 3} width={n.w + 6} height={NODE_H + 6} rx={8} fill="none" className={`${svgStroke(t.s.kind)} [stroke-width:3]`} />
            )}
            {slot && (
              <g data-testid={isCurrent ? 'travel-callout' : undefined} className={t.s.failed ? 'text-rose-800 dark:text-rose-200' : 'text-slate-900 dark:text-slate-50'}>
                <g transform={`translate(${n.x},${slot.y})`} data-testid="travel-badge" data-tree-label id={`tree-travel-${n.d.name.replace(/[^A-Za-z0-9_-]/g, '_')}`}>
                  <title>{`${t.visits.join(', ')}. ${t.s.fn ? `${t.s.fn}(): ` : ''}${t.s.label}`}</title>
                  <rect width={n.labelW} height={slot.h} rx={3} className={`${isCurrent ? 'fill-amber-50 dark:fill-slate-800' : 'fill-white dark:fill-slate-900'} ${svgStroke(t.s.kind)}`} strokeWidth={isCurrent ? 1.8 : 1.2} />
                  {lines.map((l, k) => (
                    <text key={k} x={5} y={13 + k * LABEL_LINE} style={{ fontFamily: MONO }} className="fill-current text-[11px] font-semibold" data-tree-text>{l}</text>
                  ))}
                </g>
              </g>
            )}
          </g>
        );
      })}
    </g>
  );
}
