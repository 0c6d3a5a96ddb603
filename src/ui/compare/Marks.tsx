// Marks in the panels: the diff's added and changed objects (amber), and what a hovered trace
// line touched (sky). One <style> element built from the panels' data attributes, and an overlay
// canvas on the vector map (portalled next to its canvas) for the cells. No panel is changed.

import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useStore } from '../store';
import { useCompare } from './store';
import { cellsOf, css, markedRefs, selectorsOf } from './marks';

const CHANGED = 'rgb(245, 158, 11)'; // amber-500
const LIT = 'rgb(14, 165, 233)'; // sky-500

/** The marks' stylesheet and the vector map overlay. Render once, anywhere. */
export function Marks() {
  const view = useStore((s) => s.snapshot?.view ?? null);
  const step = useStore((s) => s.snapshot?.step ?? null);
  const diff = useCompare((s) => s.diff);
  const diffStep = useCompare((s) => s.diffStep);
  const open = useCompare((s) => s.open);
  const lit = useCompare((s) => s.lit);
  // A diff of another step than the one shown marks nothing (it is being refreshed).
  const changes = open && diff && diffStep === step ? diff.changes : null;
  const marked = useMemo(() => (changes ? markedRefs(changes) : []), [changes]);
  const text = useMemo(() => {
    const m = marked.flatMap((r) => selectorsOf(r, view));
    const l = lit.flatMap((r) => selectorsOf(r, view));
    return [
      css(m.filter((s) => !s.endsWith('> rect')), `box-shadow: inset 3px 0 0 ${CHANGED}, inset 0 0 0 1px ${CHANGED} !important; background-color: rgb(254 243 199 / 0.55) !important;`),
      css(m.filter((s) => s.endsWith('> rect')), `stroke: ${CHANGED} !important; stroke-width: 3px !important; stroke-dasharray: 6 3;`),
      css(l.filter((s) => !s.endsWith('> rect')), `outline: 2px solid ${LIT} !important; outline-offset: -2px; background-color: rgb(224 242 254 / 0.8) !important;`),
      css(l.filter((s) => s.endsWith('> rect')), `stroke: ${LIT} !important; stroke-width: 4px !important;`),
    ].filter(Boolean).join('\n');
  }, [marked, lit, view]);
  const cells = useMemo(() => ({ changed: cellsOf(marked.filter((r) => r.kind === 'vector'), view), lit: cellsOf(lit, view) }), [marked, lit, view]);
  return (
    <>
      <style data-testid="compare-marks">{text}</style>
      <VectorOverlay changed={cells.changed} lit={cells.lit} />
    </>
  );
}

/** Outlines on the vector map's cells, drawn on a canvas laid over the map's own. */
function VectorOverlay({ changed, lit }: { changed: [number, number][]; lit: [number, number][] }) {
  const [host, setHost] = useState<HTMLCanvasElement | null>(null);
  // The map's canvas comes and goes (collapse, another machine): find it after each render.
  useEffect(() => {
    const find = () => setHost((h) => {
      const c = document.querySelector<HTMLCanvasElement>('[data-testid="vector-canvas"]');
      return c === h ? h : c;
    });
    find();
    const mo = new MutationObserver(find);
    mo.observe(document.body, { childList: true, subtree: true });
    return () => mo.disconnect();
  }, []);
  if (!host || !host.parentElement || (!changed.length && !lit.length)) return null;
  return createPortal(<OverlayCanvas base={host} changed={changed} lit={lit} />, host.parentElement);
}

function OverlayCanvas({ base, changed, lit }: { base: HTMLCanvasElement; changed: [number, number][]; lit: [number, number][] }) {
  const [el, setEl] = useState<HTMLCanvasElement | null>(null);
  // On a map taller than its panel the base canvas covers only the band in view, starting at
  // data-top (map coordinates), and moves as the map scrolls: follow it.
  const [band, setBand] = useState(() => bandOf(base));
  useEffect(() => {
    const follow = () => setBand((b) => {
      const n = bandOf(base);
      return n.top === b.top && n.w === b.w && n.h === b.h ? b : n;
    });
    follow();
    const mo = new MutationObserver(follow);
    mo.observe(base, { attributes: true, attributeFilter: ['data-top', 'style', 'width', 'height'] });
    return () => mo.disconnect();
  }, [base]);
  const { top, w, h } = band;
  useEffect(() => {
    if (!el) return;
    const dpr = window.devicePixelRatio || 1;
    el.width = Math.round(w * dpr);
    el.height = Math.round(h * dpr);
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const gx = Number(base.dataset.gridX);
    const ah = Number(base.dataset.axisH);
    const cw = Number(base.dataset.cellW);
    const rh = Number(base.dataset.rowH);
    const draw = (cells: [number, number][], colour: string) => {
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5;
      for (const [cpu, v] of cells) {
        const x = gx + v * cw;
        const y = ah + cpu * rh - top;
        if (y + rh < -2 || y > h + 2) continue;
        ctx.strokeRect(x - 1, y - 1, Math.max(cw, 2) + 2, Math.max(rh, 2) + 2);
      }
    };
    draw(changed, CHANGED);
    draw(lit, LIT);
  }, [el, base, changed, lit, w, h, top]);
  return (
    <canvas
      ref={setEl}
      aria-hidden="true"
      data-testid="compare-cells"
      data-changed={changed.map(([c, v]) => `${c}:${v}`).join(' ')}
      data-lit={lit.map(([c, v]) => `${c}:${v}`).join(' ')}
      data-top={top}
      className="pointer-events-none absolute left-0 block"
      style={{ width: w, height: h, top }}
    />
  );
}

/** Where the map's base canvas is: its band's top in map coordinates, and its size. */
function bandOf(base: HTMLCanvasElement): { top: number; w: number; h: number } {
  return { top: Number(base.dataset.top ?? 0) || 0, w: base.clientWidth, h: base.clientHeight };
}
