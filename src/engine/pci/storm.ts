// Models an interrupt storm against kernel/irq/spurious.c and the flow handlers of
// kernel/irq/chip.c: a device that keeps signalling (a stuck INTx level, an MSI that cannot be
// masked), `count` raises of one interrupt. The hardware and kernel/irq code run for each raise
// until the effect of one raise repeats exactly; from then on the counters (kstat_irqs,
// note_interrupt()'s counts, lost INTx assertions, SPU) advance in one step per batch, stopping
// at the next 100,000-interrupt mark so "nobody cared" fires on the interrupt it would.

import type { Kernel } from '../core/kernel';
import { SPURIOUS_WINDOW } from '../core/spurious';
import { type IrqDesc, kstatCounts } from '../core/irqdesc';
import type { PciDev } from './pcidev';

/** What the storm needs of the machine: its kernel, devices, arch counters, log, arch state. */
export interface StormHost {
  k: Kernel;
  devices: Iterable<PciDev>;
  spurious: number[];
  errCount: number;
  log: { level: string; text: string }[];
  /** Canonical text of the architecture's private state (vector tables, IRTEs…). */
  archSnapshot(): string;
}

type Ref = [Record<string | number, unknown>, string | number];

/**
 * The state between two raises. Every descriptor is summarised (its counters' sums) and its
 * fixed state recorded; only the `watched` ones — those a raise of this storm has touched —
 * have their counters recorded one by one (a storm touches one or two of thousands).
 */
interface Capture {
  descs: IrqDesc[];
  /** Per descriptor: sum of kstat, irqs_unhandled, note's unhandled count, irq_count, handled sum. */
  summary: Float64Array;
  refs: Ref[];
  vals: number[];
  /** Indexes of desc.irqCount refs (the spurious window must not be crossed in a batch). */
  windows: number[];
  /** The descriptors' and devices' state that counters do not change (the arch text apart). */
  fixed: string;
}

const SUMMARY = 5;

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function capture(h: StormHost, watched: ReadonlySet<IrqDesc>): Capture {
  const refs: Ref[] = [];
  const windows: number[] = [];
  const fixed: unknown[] = [];
  const descs = [...h.k.descs.values()].sort((a, b) => a.irq - b.irq);
  const summary = new Float64Array(descs.length * SUMMARY);
  descs.forEach((d, n) => {
    let ks = 0;
    for (const v of d.kstat) ks += v;
    let handled = 0;
    for (const a of d.action) handled += num(a.handled);
    summary.set([ks, num(d.irqsUnhandled), num(d.noteUnhandled), num(d.irqCount), handled], n * SUMMARY);
    fixed.push(descFixed(d));
    if (!watched.has(d)) return;
    const o = d as unknown as Record<string, unknown>;
    const kstat = kstatCounts(d);
    kstat.forEach((_, c) => refs.push([kstat as unknown as Record<number, unknown>, c]));
    refs.push([o, 'irqsUnhandled'], [o, 'noteUnhandled']);
    windows.push(refs.length);
    refs.push([o, 'irqCount']);
    for (const a of d.action) refs.push([a as unknown as Record<string, unknown>, 'handled']);
  });
  const sp = h.spurious as unknown as Record<number, unknown>;
  h.spurious.forEach((_, c) => refs.push([sp, c]));
  refs.push([h as unknown as Record<string, unknown>, 'errCount']);
  for (const dev of h.devices) {
    refs.push([dev as unknown as Record<string, unknown>, 'intxLost']);
    fixed.push([dev.name, dev.intxStatus, dev.msiCap?.pendingBits, dev.msiCap?.maskBits, dev.msixCap ? Array.from(dev.msixCap.pba).join('') : '',
      dev.msixCap?.table.map((e) => e.ctrl).join('')]);
  }
  return { descs, summary, refs, vals: refs.map(([o, key]) => num(o[key])), windows, fixed: JSON.stringify(fixed) };
}

function sameShape(a: Capture, b: Capture): boolean {
  return a.fixed === b.fixed && a.descs.length === b.descs.length && a.descs.every((d, i) => b.descs[i] === d) &&
    a.refs.length === b.refs.length && a.refs.every(([o, key], i) => b.refs[i][0] === o && b.refs[i][1] === key);
}

/** Descriptors whose counters moved between a and b that are not watched yet (added to `watched`). */
function newlyTouched(a: Capture, b: Capture, watched: Set<IrqDesc>): boolean {
  let found = false;
  b.descs.forEach((d, n) => {
    if (watched.has(d)) return;
    const i = a.descs[n] === d ? n : a.descs.indexOf(d);
    for (let j = 0; j < SUMMARY; j++) {
      if (i < 0 || a.summary[i * SUMMARY + j] !== b.summary[n * SUMMARY + j]) {
        if (i >= 0 || b.summary.subarray(n * SUMMARY, n * SUMMARY + SUMMARY).some((v) => v !== 0)) {
          watched.add(d);
          found = true;
        }
        break;
      }
    }
  });
  return found;
}

function descFixed(d: IrqDesc): unknown {
  const c = d.irqData.common;
  return [d.irq, d.istate, d.depth, c.state, d.action.length, c.effectiveAffinity.join(','), c.pendingMask.join(',')];
}

export interface StormResult {
  /** Raises after the first: simulated one by one, and advanced in batches. */
  stepped: number;
  batched: number;
  /** Log lines printed during the storm (after the first raise). */
  printk: { level: string; text: string }[];
  /** Per interrupt: how its counters moved over the whole storm. */
  moved: string[];
}

/**
 * Raise `count` times: the first raise traced call by call, then tracing is off while the storm
 * runs; `raiseOnce` is the single raise. Log lines that repeat with every raise in a
 * batch are printed only for the raises simulated one by one (printk rate limiting drops the
 * rest in the kernel too).
 *
 * The cost follows the outcome, not `count`: once two raises in a row had the same effect, the
 * counters advance arithmetically up to the next note_interrupt() window mark; and once two
 * windows in a row went the same way (same state at the same point of the window), whole
 * windows are skipped arithmetically too. Ten million raises cost a handful of simulated ones.
 */
export function raiseStorm(h: StormHost, count: number, raiseOnce: () => void): StormResult {
  const k = h.k;
  const t = k.t;
  const watched = new Set<IrqDesc>();
  const start = capture(h, watched);
  const startLog = h.log.length;
  raiseOnce();
  const wasOn = t.on;
  t.on = false;
  let done = 1;
  let stepped = 0;
  let batched = 0;
  let prevKey: string | null = null;
  /** The architecture's text of the state `a` (taken when a batch may follow). */
  let archA: string | null = null;
  let a = capture(h, watched);
  newlyTouched(start, a, watched);
  a = capture(h, watched);
  /** The state at the end of the last batch (just before a window mark), for whole-window skips. */
  let mark: { done: number; cap: Capture; arch: string; log: number } | null = null;
  let lastCycleLog: string | null = null;
  try {
    while (done < count) {
      const logAt = h.log.length;
      raiseOnce();
      done++;
      stepped++;
      let b = capture(h, watched);
      if (newlyTouched(a, b, watched) || !sameShape(a, b)) {
        prevKey = null;
        archA = null;
        a = capture(h, watched);
        continue;
      }
      const delta = b.vals.map((v, i) => v - a.vals[i]);
      const key = `${delta.join(',')}|${h.log.slice(logAt).map((l) => l.text).join('\n')}`;
      const archB = h.archSnapshot();
      if (key !== prevKey || archA !== archB) {
        prevKey = key;
        archA = archB;
        a = b;
        continue;
      }
      // Two raises in a row did exactly the same: the rest is linear, up to the next window mark.
      let n = count - done;
      for (const i of b.windows) {
        if (delta[i] > 0) n = Math.min(n, Math.floor((SPURIOUS_WINDOW - 1 - b.vals[i]) / delta[i]));
      }
      prevKey = null;
      archA = null;
      if (n <= 0) {
        a = b;
        continue;
      }
      b.refs.forEach(([o, key2], i) => {
        if (delta[i]) o[key2] = b.vals[i] + delta[i] * n;
      });
      done += n;
      batched += n;
      b = capture(h, watched);
      a = b;
      // At a window mark again: if the last whole window went exactly as the one before it, the
      // remaining whole windows will too (a deterministic machine in the same state).
      const here = { done, cap: b, arch: archB, log: h.log.length };
      if (mark && sameShape(mark.cap, b) && mark.arch === here.arch) {
        const from = mark.cap;
        const d = b.vals.map((v, i) => v - from.vals[i]);
        const cycleLog = h.log.slice(mark.log).map((l) => l.text).join('\n');
        const sameWindowPoint = b.windows.every((i) => d[i] === 0);
        const per = done - mark.done;
        const m = per > 0 ? Math.floor((count - done) / per) : 0;
        if (sameWindowPoint && cycleLog === lastCycleLog && m > 0) {
          b.refs.forEach(([o, key2], i) => {
            if (d[i]) o[key2] = b.vals[i] + d[i] * m;
          });
          done += m * per;
          batched += m * per;
          a = capture(h, watched);
          mark = null;
          continue;
        }
        lastCycleLog = cycleLog;
      } else if (mark) lastCycleLog = null;
      mark = here;
    }
  } finally {
    t.on = wasOn;
  }
  const end = capture(h, watched);
  const moved: string[] = [];
  if (end.descs.length === start.descs.length && end.descs.every((d, i) => start.descs[i] === d)) {
    end.descs.forEach((d, n) => {
      const kstat = end.summary[n * SUMMARY] - start.summary[n * SUMMARY];
      const noHandler = end.summary[n * SUMMARY + 1] - start.summary[n * SUMMARY + 1];
      if (kstat || noHandler) {
        moved.push(`irq ${d.irq}: ${kstat ? `+${kstat} in kstat_irqs` : ''}${kstat && noHandler ? ', ' : ''}${noHandler ? `${noHandler} arrived with no handler or disabled (not counted)` : ''}`);
      }
    });
    const devs = [...h.devices];
    const lost0 = start.refs.length - devs.length;
    devs.forEach((dev, i) => {
      const before = start.vals[lost0 + i];
      if (dev.intxLost !== before) moved.push(`${dev.name}: ${dev.intxLost - before} INTx assertions nobody saw`);
    });
  }
  return { stepped, batched, printk: h.log.slice(startLog), moved };
}
