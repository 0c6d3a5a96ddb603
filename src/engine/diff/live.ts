// A machine's view kept up to date from view deltas (src/engine/delta.ts), so that capturing a
// state for a diff costs what changed, not the whole world: on a 256-CPU machine with 4,113
// interrupts machine.view() copies a million per-CPU counts and /proc/interrupts is 12 MB.
//
// - the reader's side of the delta protocol is applyViewDelta() (src/engine/applyViewDelta.ts,
//   shared with the page's store). Unchanged parts stay the same objects.
// - LiveView: a CompactView that follows a machine, either from the deltas another reader was
//   given (the worker host computes one per step for the page: feed()) or from its own tracker
//   (update(): scratch machines).
// - IrqViews: each interrupt's view with its per-CPU counts, made again only when its compact
//   view changed or its counts moved. Within one
//   descriptor kstat_irqs only grows (kstat_incr_irqs_this_cpu), so a descriptor whose sum of
//   counts is what it was has the counts it had; a descriptor freed and allocated again is
//   another object.

import type { Machine } from '../machine';
import type { IrqDesc } from '../core/irqdesc';
import { ViewTracker, type CompactIrqView, type CompactView, type ViewDelta } from '../delta';
import { applyViewDelta } from '../applyViewDelta';
import type { IrqView, MachineView } from '../view';

/**
 * A CompactView following one machine. `feed(d, from, gen)` takes the deltas another reader was
 * given (numbered: a delta that does not follow the last one fed makes the view unknown);
 * `update(m)` brings it to the machine's state with a tracker of its own.
 */
export class LiveView {
  private tracker: ViewTracker | null = null;
  private cur: CompactView | null = null;
  private gen = -1;

  /** The view, when it is known (null: feed a full delta or call update()). */
  get view(): CompactView | null {
    return this.cur;
  }

  /** The numbered delta `gen` (from `from`) another reader was given. */
  feed(d: ViewDelta, from: number, gen: number): void {
    this.tracker = null;
    if (d.full) this.cur = applyViewDelta<CompactView>(null, d);
    else if (this.cur && from === this.gen) this.cur = applyViewDelta<CompactView>(this.cur, d);
    else this.cur = null;
    this.gen = this.cur ? gen : -1;
  }

  /** Forget the view (the deltas are no longer followed). */
  drop(): void {
    this.cur = null;
    this.gen = -1;
    this.tracker = null;
  }

  /**
   * The machine's view now. From the fed deltas when they are followed (`gen`, when given, must
   * be the last one fed), otherwise from a tracker of this LiveView's own (a full pass the first
   * time, then only what changed). Afterwards the view is the machine's at generation `gen`.
   */
  update(m: Machine, gen = -1): CompactView {
    if (this.cur && !this.tracker && gen >= 0 && gen === this.gen) return this.cur;
    if (!this.tracker) {
      this.tracker = new ViewTracker();
      this.cur = null;
    }
    this.cur = applyViewDelta<CompactView>(this.cur, this.tracker.delta(m));
    this.gen = gen;
    // A view made by the own tracker cannot take the other reader's next delta: it is not numbered.
    if (gen >= 0) this.tracker = null;
    return this.cur;
  }
}

interface IrqMemo {
  desc: IrqDesc;
  sum: number;
  compact: CompactIrqView;
  full: IrqView;
}

/**
 * Each interrupt's IrqView (a CompactIrqView with its per-CPU counts), made again only when its
 * compact view or its counts changed: one pass over the interrupts, summing each one's counts
 * (see the file comment), without copying any that did not move.
 */
export class IrqViews {
  private memo = new Map<number, IrqMemo>();

  view(m: Machine, cv: CompactView): MachineView {
    const descs = m.k.descs;
    const irqs: IrqView[] = new Array(cv.irqs.length);
    for (let i = 0; i < cv.irqs.length; i++) {
      const c = cv.irqs[i];
      const desc = descs.get(c.virq);
      const k = desc?.kstat ?? [];
      let sum = 0;
      for (let j = 0; j < k.length; j++) sum += k[j];
      const old = this.memo.get(c.virq);
      if (old && old.desc === desc && old.sum === sum && old.full.counts.length === k.length) {
        if (old.compact !== c) {
          old.full = { ...c, counts: old.full.counts };
          old.compact = c;
        }
        irqs[i] = old.full;
        continue;
      }
      const full: IrqView = { ...c, counts: k.slice() };
      if (desc) this.memo.set(c.virq, { desc, sum, compact: c, full });
      irqs[i] = full;
    }
    // Interrupts gone since: forget them (the memo holds at most the interrupts of the last view).
    if (this.memo.size > cv.irqs.length) {
      const live = new Set(cv.irqs.map((c) => c.virq));
      for (const virq of this.memo.keys()) if (!live.has(virq)) this.memo.delete(virq);
    }
    return { ...cv, irqs };
  }
}
