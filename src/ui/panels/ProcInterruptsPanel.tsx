// /proc/interrupts as the engine prints it. A row with an irq number selects that interrupt;
// right click (or the context-menu key) on it offers the interrupt's commands. While a raised
// interrupt travels, the count is the new one at once (the animation explains it, it does not
// gate it); the row flashes when the message reaches its handler.
//
// The text is never in the page whole: the store knows how many lines it has (snapshot.proc),
// and the panel asks the worker for the lines in view (and a margin), again whenever the state
// or the scroll position changes. Short texts (a few hundred lines) are asked for whole, so every
// line is in the DOM and find-in-page sees them; of long lines (hundreds of CPUs, 11 characters
// each) only the columns in view (and a margin) are asked for and drawn.

import { memo, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { contextMenuHandlers } from '../chrome/ContextMenu';
import { Panel } from '../chrome/Panel';
import { useStore } from '../store';
import { select } from '../store/commands';
import { procLineOf, procWindow, wantProcLines } from '../store/sync';
import { countMoved, reduced, useTravel } from '../travel/store';
import type { ProcWindow } from '../../worker/protocol';
import { followPanelBody } from './followPanelBody';

const LINE_H = 14;
/** Up to this many lines every line is in the DOM (find-in-page works); above, only those in view. */
const WINDOW_FROM = 400;
const OVERSCAN = 30;
/** The line range moves in steps of this many lines, so scrolling asks the worker now and then. */
const QUANTUM = 16;
/** Lines longer than this (in characters) are asked for across the columns in view only (and a margin). */
const COLUMNS_FROM = 1500;
const COL_OVERSCAN = 160;
const COL_QUANTUM = 64;

/** One line; its props are plain values, so a line whose text and marks did not change is not drawn again. */
const Line = memo(function Line({ text, virq, i, selected, flash, c0 }: { text: string; virq: number | null; i: number; selected: number | null; flash: boolean; c0: number }) {
  const pad = c0 > 0 ? { paddingLeft: `${c0}ch` } : undefined;
  if (virq === null) {
    return (
      <div style={pad} className={`h-[14px] whitespace-pre ${i === 0 ? 'font-semibold' : 'text-slate-500 dark:text-slate-400'}`}>{text || ' '}</div>
    );
  }
  const menu = contextMenuHandlers(() => ({ kind: 'irq', virq }));
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (menu.onKeyDown(e)) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      void select({ kind: 'irq', virq });
    }
  };
  return (
    <div
      role="button"
      tabIndex={0}
      data-virq={virq}
      data-flash={flash || undefined}
      aria-pressed={virq === selected}
      onClick={() => void select({ kind: 'irq', virq })}
      onKeyDown={onKeyDown}
      onContextMenu={menu.onContextMenu}
      style={pad}
      className={`h-[14px] cursor-pointer whitespace-pre rounded-sm focus-visible:outline-2 focus-visible:outline-sky-500 ${
        flash ? 'bg-emerald-200 dark:bg-emerald-800/70' : virq === selected ? 'bg-amber-100 dark:bg-amber-900/40' : 'hover:bg-slate-100 dark:hover:bg-slate-800'
      }`}
    >
      {text}
    </div>
  );
});

/** The row of the raised interrupt flashes when its count moves (a steady highlight when motion is reduced). */
function useFlash(): number | null {
  const seq = useTravel((s) => s.seq);
  const virq = useTravel((s) => s.travel?.virq ?? null);
  const moved = useTravel((s) => s.travel !== null && s.travel.countAt >= 0 && countMoved(s));
  const still = useTravel(reduced);
  const [on, setOn] = useState<number | null>(null);
  useEffect(() => {
    if (!moved || virq === null) {
      setOn(null);
      return;
    }
    setOn(virq);
    const t = setTimeout(() => setOn(null), still ? 2500 : 1400);
    return () => clearTimeout(t);
  }, [seq, moved, virq, still]);
  return on;
}

/** The scroll box's position and size (the panel body), followed while `on`. */
function useScrollBox(ref: React.RefObject<HTMLElement | null>, on: boolean) {
  const [box, setBox] = useState({ top: 0, left: 0, h: 600, w: 800 });
  useEffect(() => {
    const body = ref.current?.closest<HTMLElement>('[data-panel-body]');
    if (!on || !body) return;
    const read = () =>
      setBox((b) =>
        b.top === body.scrollTop && b.left === body.scrollLeft && b.h === body.clientHeight && b.w === body.clientWidth
          ? b
          : { top: body.scrollTop, left: body.scrollLeft, h: body.clientHeight, w: body.clientWidth },
      );
    return followPanelBody(body, read);
  }, [ref, on]);
  return box;
}

export function ProcInterruptsPanel() {
  const info = useStore((s) => s.snapshot?.proc ?? null);
  // The lines asked for together with the state (sync.ts): drawn in the same commit as the other panels.
  const pre = useStore((s) => s.snapshot?.procWindow ?? null);
  const gen = useStore((s) => s.snapshot?.gen ?? 0);
  const epoch = useStore((s) => s.snapshot?.epoch ?? 0);
  const selection = useStore((s) => s.selection);
  const selected = selection?.kind === 'irq' ? selection.virq : null;
  const flash = useFlash();
  const total = info?.lines ?? 0;
  const windowed = total > WINDOW_FROM;

  const ref = useRef<HTMLDivElement>(null);
  const probe = useRef<HTMLSpanElement>(null);
  const box = useScrollBox(ref, windowed);
  const [chW, setChW] = useState(6);
  useLayoutEffect(() => {
    const w = probe.current?.getBoundingClientRect().width;
    if (w) setChW(w / 100);
  }, []);

  // The lines wanted: all of a short text; the ones in view (and a margin) of a long one.
  let from = 0;
  let to = total;
  if (windowed) {
    from = Math.max(0, Math.floor(Math.floor(box.top / LINE_H - OVERSCAN) / QUANTUM) * QUANTUM);
    to = Math.min(total, Math.ceil(Math.ceil((box.top + box.h) / LINE_H + OVERSCAN) / QUANTUM) * QUANTUM);
  }
  // The columns wanted: all of short lines; of long ones (a line is ~11 characters per CPU) those in view.
  const cols = (info?.cpus ?? 0) * 11 > COLUMNS_FROM;
  const c0 = cols ? Math.max(0, Math.floor((box.left / chW - COL_OVERSCAN) / COL_QUANTUM) * COL_QUANTUM) : 0;
  const c1 = cols ? Math.ceil(((box.left + box.w) / chW + COL_OVERSCAN) / COL_QUANTUM) * COL_QUANTUM : 0;

  // Ask the worker for them; one request at a time, the latest wanted range next. An answer for
  // another state than the store's is dropped (sync.ts): what is drawn is always this state's or
  // the previous one's until the answer comes (data-gen says which).
  const [own, setWin] = useState<ProcWindow | null>(null);
  const want = `${epoch}:${gen}:${from}:${to}:${c0}:${c1}`;
  useEffect(() => wantProcLines(from, to, c1 > 0 ? [c0, c1] : undefined), [from, to, c0, c1]);
  const covers = (w: ProcWindow | null) =>
    !!w && w.epoch === epoch && w.gen === gen && w.from <= from && w.from + w.lines.length >= Math.min(to, total) &&
    (c1 > 0 ? w.c0 <= c0 && w.c1 >= c1 : !Number.isFinite(w.c1));
  const win = covers(pre) ? pre : covers(own) ? own : (own ?? pre);
  const asking = useRef<string | null>(null);
  const wanted = useRef(want);
  wanted.current = want;
  const coveredNow = useRef(false);
  coveredNow.current = covers(pre);
  useEffect(() => {
    if (!info) {
      setWin(null);
      return;
    }
    if (covers(pre)) return;
    const ask = (key: string) => {
      asking.current = key;
      const [, , a, b, x0, x1] = key.split(':').map(Number);
      void procWindow(a, b, x1 > 0 ? [x0, x1] : undefined).then(
        (w) => {
          asking.current = null;
          if (w) setWin(w);
          // Still wanted something else (scrolled, or the state moved on): ask again.
          if (wanted.current !== key && !coveredNow.current) ask(wanted.current);
        },
        () => {
          asking.current = null;
        },
      );
    };
    if (asking.current === null) ask(want);
  }, [want, info]);

  // Bring the flashing row into view (the worker says which line lists it).
  useEffect(() => {
    if (flash === null) return;
    let live = true;
    void procLineOf(flash).then((i) => {
      const body = ref.current?.closest<HTMLElement>('[data-panel-body]');
      if (!live || i === null || i < 0 || !body) return;
      const y = i * LINE_H; // under the sticky header line
      if (y < body.scrollTop + LINE_H || y + LINE_H > body.scrollTop + body.clientHeight) body.scrollTop = y - body.clientHeight / 2;
    });
    return () => {
      live = false;
    };
  }, [flash]);

  const lines = win?.lines ?? [];
  const virqs = win?.virqs ?? [];
  const header = win?.header ?? '';
  const width = win?.width ?? 0;
  const w0 = win && Number.isFinite(win.c1) ? win.c0 : 0;
  const wFrom = win?.from ?? 0;
  const first = windowed ? wFrom : 1;
  const skip = windowed ? 0 : 1;
  const rows = info?.rows ?? 0;

  return (
    <Panel
      title="/proc/interrupts"
      testId="proc-interrupts"
      subtitle={`${rows.toLocaleString('en-US')} irq row${rows === 1 ? '' : 's'}`}
    >
      <div
        ref={ref}
        className="min-w-max px-1.5 pb-1 font-mono text-[10px] leading-[14px] text-slate-800 dark:text-slate-200"
        data-testid="proc-text"
        data-gen={win && win.gen === gen && win.epoch === epoch ? gen : undefined}
        data-lines={total}
        style={windowed || cols ? { height: windowed ? total * LINE_H + 8 : undefined, width: `${width + 2}ch`, position: 'relative' } : undefined}
      >
        <span ref={probe} aria-hidden="true" className="invisible absolute whitespace-pre">{'0'.repeat(100)}</span>
        {/* The CPU header stays in view while the rows scroll under it. */}
        <div className="sticky top-0 z-10 -mx-1.5 bg-white px-1.5 dark:bg-slate-900">
          <Line text={header} virq={null} i={0} selected={selected} flash={false} c0={w0} />
        </div>
        {windowed && <div style={{ height: Math.max(0, first - 1) * LINE_H }} />}
        {lines.slice(skip).map((text, k) => {
          const i = first + k;
          if (i === 0) return null;
          const virq = virqs[k + skip] ?? null;
          return <Line key={i} text={text} virq={virq} i={i} selected={selected} flash={flash !== null && virq === flash} c0={w0} />;
        })}
      </div>
    </Panel>
  );
}
