// Wheel zoom (around the pointer) and drag-to-pan for an SVG, plus fit-to-bounds.

import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';

export interface Transform {
  x: number;
  y: number;
  k: number;
}

const clampK = (k: number) => Math.min(3, Math.max(0.2, k));

export function usePanZoom(svgRef: React.RefObject<SVGSVGElement | null>) {
  const [t, setT] = useState<Transform>({ x: 0, y: 0, k: 1 });
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
      setT((p) => {
        const k = clampK(p.k * Math.exp(-e.deltaY * 0.0015));
        return { k, x: px - ((px - p.x) * k) / p.k, y: py - ((py - p.y) * k) / p.k };
      });
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
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

  const fit = useCallback(
    (b: { x0: number; y0: number; x1: number; y1: number }, pad = 10) => {
      const svg = svgRef.current;
      if (!svg) return;
      const w = svg.clientWidth;
      const h = svg.clientHeight;
      if (w === 0 || h === 0) return;
      const k = clampK(Math.min(1.25, (w - 2 * pad) / (b.x1 - b.x0), (h - 2 * pad) / (b.y1 - b.y0)));
      setT({ k, x: (w - (b.x1 - b.x0) * k) / 2 - b.x0 * k, y: (h - (b.y1 - b.y0) * k) / 2 - b.y0 * k });
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

  return { t, fit, zoomBy, wasDrag, handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp } };
}
