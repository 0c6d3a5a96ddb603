// Pan and zoom for the domain tree's SVG: the wheel scrolls (Shift: sideways), Ctrl+wheel or a
// pinch zooms around the pointer, a drag pans. Zoom never goes below 1, so text keeps its size
// (11 px and up): a tree bigger than the panel scrolls instead of shrinking.

import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';

export interface Transform {
  x: number;
  y: number;
  k: number;
}

/** A box in tree coordinates. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export const MIN_K = 1;
export const MAX_K = 3;
const clampK = (k: number) => Math.min(MAX_K, Math.max(MIN_K, k));

export function usePanZoom(svgRef: React.RefObject<SVGSVGElement | null>) {
  const [t, setT] = useState<Transform>({ x: 0, y: 0, k: 1 });
  const [size, setSize] = useState<{ w: number; h: number }>({ w: 0, h: 0 });
  const drag = useRef<{ id: number; x: number; y: number; moved: boolean } | null>(null);
  const lastWasDrag = useRef(false);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = svg.getBoundingClientRect();
      const px = e.clientX - r.left;
      const py = e.clientY - r.top;
      if (e.ctrlKey || e.metaKey) {
        setT((p) => {
          const k = clampK(p.k * Math.exp(-e.deltaY * 0.0015));
          return { k, x: px - ((px - p.x) * k) / p.k, y: py - ((py - p.y) * k) / p.k };
        });
        return;
      }
      const dx = e.shiftKey && !e.deltaX ? e.deltaY : e.deltaX;
      const dy = e.shiftKey && !e.deltaX ? 0 : e.deltaY;
      setT((p) => ({ ...p, x: p.x - dx, y: p.y - dy }));
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => setSize({ w: svg.clientWidth, h: svg.clientHeight }));
    ro?.observe(svg);
    setSize({ w: svg.clientWidth, h: svg.clientHeight });
    return () => {
      svg.removeEventListener('wheel', onWheel);
      ro?.disconnect();
    };
  }, [svgRef]);

  const onPointerDown = useCallback((e: ReactPointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    lastWasDrag.current = false;
    drag.current = { id: e.pointerId, x: e.clientX, y: e.clientY, moved: false };
  }, []);

  const onPointerMove = useCallback((e: ReactPointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!d.moved) e.currentTarget.setPointerCapture(e.pointerId);
    d.moved = true;
    d.x = e.clientX;
    d.y = e.clientY;
    setT((p) => ({ ...p, x: p.x + dx, y: p.y + dy }));
  }, []);

  const onPointerUp = useCallback((e: ReactPointerEvent<SVGSVGElement>) => {
    if (drag.current?.id === e.pointerId) {
      lastWasDrag.current = drag.current.moved;
      if (drag.current.moved) e.currentTarget.releasePointerCapture(e.pointerId);
      drag.current = null;
    }
  }, []);

  /** Was the last pointer gesture a drag (so the click that ends it should not select)? */
  const wasDrag = useCallback(() => lastWasDrag.current, []);

  /**
   * Show box b as large as fits (never below full size, at most 1.25×): centred when it fits;
   * otherwise with `anchor` (a point of b: the root, the selected interrupt's top level) in view,
   * or from b's top-left corner, the rest a scroll away. With `most`, a b taller than the panel is
   * scrolled so that the box `most.keep` (the root) is in view together with as many of
   * `most.nodes` as fit whole (the upper such view when several show as many).
   */
  const fit = useCallback(
    (b: Box, anchor?: { x: number; y: number }, pad = 10, most?: { keep: Box; nodes: readonly Box[] }) => {
      const svg = svgRef.current;
      if (!svg) return;
      const w = svg.clientWidth;
      const h = svg.clientHeight;
      if (w === 0 || h === 0) return;
      const k = clampK(Math.min(1.25, (w - 2 * pad) / (b.x1 - b.x0), (h - 2 * pad) / (b.y1 - b.y0)));
      const bw = (b.x1 - b.x0) * k;
      const bh = (b.y1 - b.y0) * k;
      const place = (size: number, span: number, lo: number, hi: number, at: number | undefined) => {
        if (span <= size - 2 * pad) return (size - span) / 2 - lo * k;
        const want = at === undefined ? pad - lo * k : size / 2 - at * k;
        return Math.min(pad - lo * k, Math.max(size - pad - hi * k, want));
      };
      const x = place(w, bw, b.x0, b.x1, anchor?.x);
      let y = place(h, bh, b.y0, b.y1, anchor?.y);
      if (most && bh > h - 2 * pad) y = mostInView(most, k, x, w, h, pad, [h - pad - b.y1 * k, pad - b.y0 * k], y);
      setT({ k, x, y });
    },
    [svgRef],
  );

  /**
   * Pan (at the current zoom) just enough to bring box b into view; with `nodes`, a node that this
   * would leave cut at the left edge is scrolled out of view whole when b stays in view.
   */
  const reveal = useCallback(
    (b: Box, pad = 12, nodes?: readonly Box[]) => {
      const svg = svgRef.current;
      if (!svg) return;
      const w = svg.clientWidth;
      const h = svg.clientHeight;
      if (w === 0 || h === 0) return;
      setT((p) => {
        let { x, y } = p;
        const l = b.x0 * p.k + x, r = b.x1 * p.k + x, top = b.y0 * p.k + y, bot = b.y1 * p.k + y;
        if (r > w - pad) x -= r - (w - pad);
        if (l + (x - p.x) < pad) x += pad - (l + (x - p.x));
        if (bot > h - pad) y -= bot - (h - pad);
        if (top + (y - p.y) < pad) y += pad - (top + (y - p.y));
        if (x !== p.x)
          for (const n of nodes ?? []) {
            const nl = n.x0 * p.k + x;
            const nr = n.x1 * p.k + x;
            if (nl < 0 && nr > 0 && b.x0 * p.k + x - nr >= pad) x -= nr;
          }
        return x === p.x && y === p.y ? p : { ...p, x, y };
      });
    },
    [svgRef],
  );

  /** Centre the view on tree point (cx, cy) (the minimap). */
  const centreOn = useCallback(
    (cx: number, cy: number) => {
      const svg = svgRef.current;
      if (!svg) return;
      setT((p) => ({ ...p, x: svg.clientWidth / 2 - cx * p.k, y: svg.clientHeight / 2 - cy * p.k }));
    },
    [svgRef],
  );

  const zoomBy = useCallback(
    (f: number) => {
      const svg = svgRef.current;
      const cx = (svg?.clientWidth ?? 0) / 2;
      const cy = (svg?.clientHeight ?? 0) / 2;
      setT((p) => {
        const k = clampK(p.k * f);
        return { k, x: cx - ((cx - p.x) * k) / p.k, y: cy - ((cy - p.y) * k) / p.k };
      });
    },
    [svgRef],
  );

  /** The part of the tree in view, in tree coordinates (null before the SVG has a size). */
  const view = useMemo<Box | null>(
    () => (size.w && size.h ? { x0: -t.x / t.k, y0: -t.y / t.k, x1: (size.w - t.x) / t.k, y1: (size.h - t.y) / t.k } : null),
    [t, size],
  );

  return { t, fit, zoomBy, wasDrag, reveal, centreOn, view, handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp } };
}

/**
 * The vertical offset (between `range`'s ends) at which `most.keep` is whole in view and the most of
 * `most.nodes` is in view (at horizontal offset x and zoom k): each node counts with the share of it
 * in view, and once more when it is whole; the largest such offset (the upper part of the tree) on a
 * tie. `fallback` when keep cannot be whole in view.
 */
function mostInView(most: { keep: Box; nodes: readonly Box[] }, k: number, x: number, w: number, h: number, pad: number, range: [number, number], fallback: number): number {
  const lo = Math.max(range[0], pad - most.keep.y0 * k);
  const hi = Math.min(range[1], h - pad - most.keep.y1 * k);
  if (lo > hi) return fallback;
  const share = (a0: number, a1: number, size: number) => Math.max(0, Math.min(a1, size) - Math.max(a0, 0)) / Math.max(1, a1 - a0);
  const across = most.nodes.map((n) => ({ n, sx: share(n.x0 * k + x, n.x1 * k + x, w) })).filter((e) => e.sx > 0);
  const score = (y: number) => {
    let s = 0;
    for (const { n, sx } of across) {
      const sy = share(n.y0 * k + y, n.y1 * k + y, h);
      s += sx * sy + (sx === 1 && n.y0 * k + y >= 0 && n.y1 * k + y <= h ? 1 : 0);
    }
    return s;
  };
  // The score changes slope only where a node's edge meets the view's edge (or its padding).
  const tops = [lo, hi];
  for (const { n } of across) for (const e of [0, pad]) tops.push(e - n.y0 * k, e - n.y1 * k, h - e - n.y0 * k, h - e - n.y1 * k);
  let best = hi;
  let most_ = score(hi);
  for (const y of tops) {
    if (y < lo || y > hi) continue;
    const c = score(y);
    if (c > most_ + 1e-6 || (Math.abs(c - most_) <= 1e-6 && y > best)) [best, most_] = [y, c];
  }
  return best;
}
