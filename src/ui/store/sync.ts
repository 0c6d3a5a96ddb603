// The page's end of the state deltas and of the on-demand texts: turns a reply's StateDelta into
// the next Snapshot (asking the worker for everything when the delta does not follow from what
// the page has: a restarted worker, a dropped reply), and asks for the /proc/interrupts lines a
// panel shows. Every answer is tagged with the state it was made from (epoch, gen); one for
// another state than the store's is dropped, so a slow answer never overwrites a newer state.

import { engine } from '../../worker/client';
import type { ProcWindow, Snapshot, StateDelta } from '../../worker/protocol';
import { applyDelta, follows } from './delta';
import { useStore } from './index';

/** The /proc/interrupts lines (and columns) the panel shows: asked for again with every new state. */
let procWanted: { from: number; to: number; cols?: [number, number] } | null = null;

/** The panel says which lines (and columns) it shows. */
export function wantProcLines(from: number, to: number, cols?: [number, number]): void {
  procWanted = { from, to, cols };
}

/**
 * The snapshot a reply's delta leads to from the store's one (a full resync when it does not
 * follow), with the /proc/interrupts lines the panel shows in that state.
 */
export async function stateFrom(d: StateDelta): Promise<Snapshot> {
  const s = useStore.getState().snapshot;
  const next = follows(s, d) ? applyDelta(s, d) : applyDelta(null, await engine().resync());
  const want = procWanted;
  if (want && next.proc.lines > 0) {
    // Lines past the end of a shorter text: the panel asks again for its range in this one.
    const w = await engine().procLines(Math.min(want.from, next.proc.lines), Math.min(want.to, next.proc.lines), want.cols);
    if (w.epoch === next.epoch && w.gen === next.gen) next.procWindow = w;
  }
  return next;
}

/** Whether an answer made in state (epoch, gen) belongs to the state the store shows. */
export function current(epoch: number, gen: number): boolean {
  const s = useStore.getState().snapshot;
  return s !== null && s.epoch === epoch && s.gen === gen;
}

/**
 * Lines [from, to) of /proc/interrupts for the state the store shows (columns [c0, c1) of them
 * when `cols`); null when the store moved on (or away) before the answer came.
 */
export async function procWindow(from: number, to: number, cols?: [number, number]): Promise<ProcWindow | null> {
  if (!useStore.getState().snapshot) return null;
  const w = await engine().procLines(from, to, cols);
  return current(w.epoch, w.gen) ? w : null;
}

/** The line listing irq `virq` in the state the store shows (-1: not listed; null: the state moved on). */
export async function procLineOf(virq: number): Promise<number | null> {
  if (!useStore.getState().snapshot) return null;
  const r = await engine().procLineOf(virq);
  return current(r.epoch, r.gen) ? r.line : null;
}

/** The whole text of /proc/interrupts (the share report). Slow on big machines: never for drawing. */
export function procText(): Promise<string> {
  return engine().procInterrupts();
}

/** Past this many characters (lines × CPU columns × 11) the report carries the first lines only. */
const REPORT_CHARS = 4_000_000;

/**
 * /proc/interrupts for the share report: the whole text when it is of a size a mail can carry;
 * on a big machine its first lines and the architecture's rows, and a line saying what was left out.
 */
export async function procReportText(s: Snapshot): Promise<string> {
  if (s.proc.lines * (s.proc.cpus + 2) * 11 <= REPORT_CHARS) return procText();
  const keep = Math.max(2, Math.floor(REPORT_CHARS / ((s.proc.cpus + 2) * 11)));
  const head = await engine().procLines(0, keep);
  const archFrom = 1 + s.proc.rows;
  const tail = await engine().procLines(archFrom, s.proc.lines);
  const left = archFrom - keep;
  const note = left > 0 ? [`... ${left.toLocaleString('en-US')} more interrupt lines not included (the link opens the whole state)`] : [];
  return [...head.lines, ...note, ...tail.lines].join('\n') + '\n';
}
