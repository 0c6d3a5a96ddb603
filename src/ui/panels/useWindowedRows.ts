// Windowing for long lists of fixed-height rows that sit somewhere inside a panel's scrolling
// body (a device card's descriptor table among other cards): only the rows in view, and a margin
// around them, are rendered; spacers of the right height stand in for the rest, so the scroll
// bar and the position of everything below stay as if every row were there.
//
// Used past a few hundred rows only (a 2,048-entry MSI-X store): below that every row is in the
// DOM, as before, and find-in-page sees them all.

import { useCallback, useEffect, useLayoutEffect, useState, type RefObject } from 'react';

/** Rows drawn beyond the visible ones on each side. */
const OVERSCAN = 40;
/** The range moves in steps of this many rows, so scrolling re-renders only now and then. */
const QUANTUM = 20;

export interface RowWindow {
  /** The rows to draw: [from, to). */
  from: number;
  to: number;
  /** The height every row is drawn at (px), and the spacers count with. */
  rowH: number;
}

/**
 * The rows of a `count`-row list whose rows are the children of `ref` (a <tbody>) that are in or
 * near view in the enclosing `[data-panel-body]`. `estimate` is the expected row height: the
 * tallest row drawn is measured, and every row is then drawn at that height (the caller sets it
 * as each row's height, and the spacers use it), so positions stay exact. With `fixed`, every row
 * is known to be `estimate` high and nothing is measured: the children of `ref` may then be groups
 * of rows (an imported machine's device cards, each a run of fixed-height lines). When not
 * `enabled`: every row.
 */
export function useWindowedRows(ref: RefObject<HTMLElement | null>, count: number, estimate: number, enabled: boolean, fixed = false): RowWindow {
  // The first draw has no rows: the layout effect measures before the first paint and draws what
  // is in view (a big machine's first layout then has a few hundred rows, not thousands).
  const [range, setRange] = useState<[number, number]>([0, 0]);
  const [rowH, setRowH] = useState(estimate);

  const measure = useCallback(() => {
    const el = ref.current;
    const body = el?.closest<HTMLElement>('[data-panel-body]');
    if (!el || !body) return;
    if (!fixed) {
      let tallest = 0;
      for (const row of el.children) if (!row.hasAttribute('aria-hidden')) tallest = Math.max(tallest, row.getBoundingClientRect().height);
      if (tallest > rowH + 0.5) {
        setRowH(Math.ceil(tallest));
        return;
      }
    }
    const top = el.getBoundingClientRect().top;
    const b = body.getBoundingClientRect();
    const y0 = b.top - top;
    const y1 = b.bottom - top;
    let from = Math.max(0, Math.floor(y0 / rowH) - OVERSCAN);
    let to = Math.max(0, Math.ceil(y1 / rowH) + OVERSCAN);
    from = Math.min(count, Math.floor(from / QUANTUM) * QUANTUM);
    // A list wholly out of view (a card far below) draws no row at all.
    to = Math.min(count, Math.max(from, Math.ceil(to / QUANTUM) * QUANTUM));
    setRange((r) => (r[0] === from && r[1] === to ? r : [from, to]));
  }, [ref, count, rowH, fixed]);

  // After every commit: what is above the list may have grown or shrunk.
  useLayoutEffect(() => {
    if (enabled) measure();
  });

  useEffect(() => {
    const body = ref.current?.closest<HTMLElement>('[data-panel-body]');
    if (!enabled || !body) return;
    body.addEventListener('scroll', measure, { passive: true });
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    ro?.observe(body);
    return () => {
      body.removeEventListener('scroll', measure);
      ro?.disconnect();
    };
  }, [enabled, measure, ref]);

  if (!enabled) return { from: 0, to: count, rowH };
  return { from: Math.min(range[0], count), to: Math.min(range[1], count), rowH };
}
