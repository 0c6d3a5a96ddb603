// /proc/interrupts as the engine prints it. A row with an irq number selects that interrupt;
// right click (or the context-menu key) on it offers the interrupt's commands. While a raised
// interrupt travels, the count is the new one at once (the animation explains it, it does not
// gate it); the row flashes when the message reaches its handler. Long texts (hundreds of CPUs, thousands of irqs) draw only
// the lines in view.

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { contextMenuHandlers } from '../chrome/ContextMenu';
import { Panel } from '../chrome/Panel';
import { useStore } from '../store';
import { select } from '../store/commands';
import { countMoved, reduced, useTravel } from '../travel/store';

const ROW = /^\s*(\d+):/;
const LINE_H = 14;
/** Below this many lines every line is in the DOM (find-in-page works); above, only those in view. */
const WINDOW_FROM = 400;
const OVERSCAN = 30;

function Line({ line, i, selected, flash }: { line: string; i: number; selected: number | null; flash: boolean }) {
  const m = ROW.exec(line);
  if (!m) {
    return (
      <div className={`h-[14px] whitespace-pre ${i === 0 ? 'font-semibold' : 'text-slate-500 dark:text-slate-400'}`}>{line || ' '}</div>
    );
  }
  const virq = Number(m[1]);
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
      className={`h-[14px] cursor-pointer whitespace-pre rounded-sm focus-visible:outline-2 focus-visible:outline-sky-500 ${
        flash ? 'bg-emerald-200 dark:bg-emerald-800/70' : virq === selected ? 'bg-amber-100 dark:bg-amber-900/40' : 'hover:bg-slate-100 dark:hover:bg-slate-800'
      }`}
    >
      {line}
    </div>
  );
}

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

export function ProcInterruptsPanel() {
  // The count is the kernel's state after the step: shown at once; the animation explains it.
  const proc = useStore((s) => s.snapshot?.proc ?? '');
  const selection = useStore((s) => s.selection);
  const selected = selection?.kind === 'irq' ? selection.virq : null;
  const lines = useMemo(() => proc.replace(/\n$/, '').split('\n'), [proc]);
  const rows = useMemo(() => lines.filter((l) => ROW.test(l)).length, [lines]);
  const flash = useFlash();
  const windowed = lines.length > WINDOW_FROM;

  // Windowing: the scroll position of the panel body decides which lines are drawn.
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, h: 600 });
  useEffect(() => {
    const body = ref.current?.closest<HTMLElement>('[data-panel-body]');
    if (!windowed || !body) return;
    const on = () => setView({ top: body.scrollTop, h: body.clientHeight });
    on();
    body.addEventListener('scroll', on, { passive: true });
    const ro = new ResizeObserver(on);
    ro.observe(body);
    return () => {
      body.removeEventListener('scroll', on);
      ro.disconnect();
    };
  }, [windowed]);

  // Bring the flashing row into view.
  useEffect(() => {
    if (flash === null) return;
    const body = ref.current?.closest<HTMLElement>('[data-panel-body]');
    if (!body) return;
    const i = lines.findIndex((l) => ROW.exec(l)?.[1] === String(flash));
    if (i < 0) return;
    const y = i * LINE_H; // under the sticky header line
    if (y < body.scrollTop + LINE_H || y + LINE_H > body.scrollTop + body.clientHeight) body.scrollTop = y - body.clientHeight / 2;
  }, [flash, lines]);

  const from = windowed ? Math.max(0, Math.floor(view.top / LINE_H) - OVERSCAN) : 0;
  const to = windowed ? Math.min(lines.length, Math.ceil((view.top + view.h) / LINE_H) + OVERSCAN) : lines.length;
  const width = useMemo(() => (windowed ? lines.reduce((w, l) => Math.max(w, l.length), 0) : 0), [lines, windowed]);

  return (
    <Panel
      title="/proc/interrupts"
      testId="proc-interrupts"
      subtitle={`${rows} irq row${rows === 1 ? '' : 's'}`}
    >
      <div
        ref={ref}
        className="min-w-max px-1.5 pb-1 font-mono text-[10px] leading-[14px] text-slate-800 dark:text-slate-200"
        data-testid="proc-text"
        style={windowed ? { height: lines.length * LINE_H + 8, width: `${width + 2}ch`, position: 'relative' } : undefined}
      >
        {/* The CPU header stays in view while the rows scroll under it. */}
        <div className="sticky top-0 z-10 -mx-1.5 bg-white px-1.5 dark:bg-slate-900">
          <Line line={lines[0] ?? ''} i={0} selected={selected} flash={false} />
        </div>
        {windowed && <div style={{ height: Math.max(0, from - 1) * LINE_H }} />}
        {lines.slice(Math.max(1, from), to).map((line, k) => {
          const i = Math.max(1, from) + k;
          const virq = ROW.exec(line)?.[1];
          return <Line key={i} line={line} i={i} selected={selected} flash={flash !== null && virq === String(flash)} />;
        })}
      </div>
    </Panel>
  );
}
