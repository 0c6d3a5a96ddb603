// What the page has, seen from the worker: the state it was last sent (the engine's ViewTracker
// for the view, the vector cells, the ITS tables), so each reply carries only what changed since
// (a StateDelta). Generations number the states sent; an epoch names this worker, so a page that
// talks to a restarted worker sees the numbers do not follow and asks for everything again.
//
// /proc/interrupts is never sent whole: its layout (which interrupts it lists, the columns) is
// worked out once per state and the page asks for the lines it shows.

import {
  ViewTracker, itsCommandsSent, itsOf, procLayout, procLayoutAgain, procLineOf, procLines, procSlices, vectorCellsOf, type AdaptedMachine,
  type ProcLayout,
} from './engine-adapter';
import type { ProcWindow, StateDelta } from './protocol';

/** The generations of one host: shared by the trackers of its loads, so (epoch, gen) never repeats. */
export interface GenCounter {
  readonly epoch: number;
  next(): number;
}

export function genCounter(): GenCounter {
  // Any number a restarted worker is unlikely to draw again; nothing depends on its value.
  const epoch = (Math.floor(Math.random() * 0x7fffffff) ^ (Date.now() & 0x7fffffff)) >>> 0;
  let gen = 0;
  return { epoch, next: () => ++gen };
}

export class StateTracker {
  private view = new ViewTracker();
  private cells: Uint8Array | null = null;
  private spare: Uint8Array | null = null;
  private its: string | undefined;
  /** The machine and ITS command count the ITS tables were last read at. */
  private itsAt: { m: AdaptedMachine; sent: number } | null = null;
  private gen = 0;
  private layout: { m: AdaptedMachine; gen: number; l: ProcLayout } | null = null;

  constructor(private readonly gens: GenCounter) {}

  get epoch(): number {
    return this.gens.epoch;
  }

  /** The generation of the last state sent (0: none yet). */
  get current(): number {
    return this.gen;
  }

  /** Forget what the page has: the next delta is full. */
  reset(): void {
    this.view.reset();
    this.cells = null;
    this.its = undefined;
    this.itsAt = null;
  }

  /** The changes from the state the page has to `m` at `step`; the page is then assumed to have them. */
  delta(m: AdaptedMachine, step: number): StateDelta {
    const from = this.gen;
    const view = this.view.delta(m);
    const full = view.full;
    const last = this.layout;
    this.gen = this.gens.next();
    // Only counts moved (no interrupt or CPU changed on the same machine): the listed lines stay.
    this.layout = last && last.m === m && !full && !view.irqs && !view.cpus
      ? { m, gen: this.gen, l: procLayoutAgain(m, last.l) }
      : null;
    const d: StateDelta = { epoch: this.epoch, from, gen: this.gen, full, step, view, proc: { lines: 0, rows: 0, cpus: 0 } };

    // Cells: the rows that differ from the page's copy (two buffers, swapped: no allocation per action).
    const cells = vectorCellsOf(m, this.spare ?? undefined);
    if (!cells) {
      if (full || this.cells) d.cells = null;
      this.cells = null;
    } else {
      const { cpus, vectors, states } = cells;
      const prev = full || !this.cells || this.cells.length !== states.length ? null : this.cells;
      const rows: number[] = [];
      for (let cpu = 0; cpu < cpus; cpu++) {
        if (!prev) {
          rows.push(cpu);
          continue;
        }
        const o = cpu * vectors;
        for (let v = 0; v < vectors; v++) {
          if (prev[o + v] !== states[o + v]) {
            rows.push(cpu);
            break;
          }
        }
      }
      if (rows.length || !prev) {
        const out = new Uint8Array(rows.length * vectors);
        rows.forEach((cpu, i) => out.set(states.subarray(cpu * vectors, (cpu + 1) * vectors), i * vectors));
        d.cells = { cpus, vectors, rows: Int32Array.from(rows), states: out };
      }
      this.spare = this.cells;
      this.cells = states;
    }

    // The ITS tables (arm64): sent whole when they changed. They change only with an ITS command,
    // an interrupt (mapping, enable bit) or a CPU (pending LPIs, a redistributor asleep): read
    // them again only then (on 1,024 CPUs that is ~100 ms).
    const sent = itsCommandsSent(m);
    if (full || view.irqs || view.cpus || view.devices || this.itsAt?.m !== m || this.itsAt.sent !== sent) {
      const its = itsOf(m);
      const itsKey = its ? JSON.stringify(its) : 'null';
      if (full || itsKey !== this.its) d.its = its;
      this.its = itsKey;
      this.itsAt = { m, sent };
    }

    const l = this.layoutOf(m);
    d.proc = { lines: l.lines, rows: l.listed.length, cpus: l.cpus.length };
    return d;
  }

  /** The /proc/interrupts layout of `m` in the state last sent. */
  private layoutOf(m: AdaptedMachine): ProcLayout {
    if (this.layout && this.layout.m === m && this.layout.gen === this.gen) return this.layout.l;
    const l = procLayout(m);
    this.layout = { m, gen: this.gen, l };
    return l;
  }

  /** Lines [from, to) of /proc/interrupts in the state last sent (`m` must be that machine), whole or columns [c0, c1). */
  procLines(m: AdaptedMachine, from: number, to: number, cols?: [number, number]): ProcWindow {
    const l = this.layoutOf(m);
    const a = Math.max(0, Math.min(l.lines, Math.trunc(from) || 0));
    // At most a few thousand lines per reply: a window, never the whole text of a big machine.
    const b = Math.max(a, Math.min(l.lines, Math.trunc(to) || 0, a + 4096));
    const base = { epoch: this.epoch, gen: this.gen, from: a };
    if (cols) {
      const [c0, c1] = cols;
      const head = procSlices(l, 0, 1, c0, c1);
      const s = procSlices(l, a, b, c0, c1);
      return { ...base, header: head.lines[0] ?? '', lines: s.lines, virqs: s.virqs, c0, c1, width: Math.max(head.width, s.width) };
    }
    const header = procLines(l, 0, 1)[0] ?? '';
    const lines = procLines(l, a, b);
    const virqs = procSlices(l, a, b, 0, 0).virqs;
    return { ...base, header, lines, virqs, c0: 0, c1: Infinity, width: Math.max(header.length, ...lines.map((x) => x.length)) };
  }

  procLineOf(m: AdaptedMachine, virq: number): { epoch: number; gen: number; line: number } {
    return { epoch: this.epoch, gen: this.gen, line: procLineOf(this.layoutOf(m), virq) };
  }
}

/** The buffers of a delta, to transfer rather than copy. */
export function deltaTransferables(d: StateDelta): Transferable[] {
  return d.cells ? [d.cells.rows.buffer, d.cells.states.buffer] : [];
}
