// Models an interrupt storm against kernel/irq/spurious.c and the flow handlers of
// kernel/irq/chip.c: a device that keeps signalling (a stuck INTx level, an MSI that cannot be
// masked), `count` raises of one interrupt. The hardware and kernel/irq code run for each raise
// until the effect of one raise repeats exactly; from then on the counters (kstat_irqs,
// note_interrupt()'s counts, lost INTx assertions, SPU) advance in one step per batch, stopping
// at the next 100,000-interrupt mark so "nobody cared" fires on the interrupt it would.

import type { Kernel } from '../core/kernel';
import { SPURIOUS_WINDOW } from '../core/spurious';
import type { IrqDesc } from '../core/irqdesc';
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

interface Capture {
  refs: Ref[];
  vals: number[];
  /** Indexes of desc.irqCount refs (the spurious window must not be crossed in a batch). */
  windows: number[];
  fixed: string;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

function capture(h: StormHost): Capture {
  const refs: Ref[] = [];
  const windows: number[] = [];
  const fixed: unknown[] = [];
  const descs = [...h.k.descs.values()].sort((a, b) => a.irq - b.irq);
  for (const d of descs) {
    const o = d as unknown as Record<string, unknown>;
    d.kstat.forEach((_, c) => refs.push([d.kstat as unknown as Record<number, unknown>, c]));
    refs.push([o, 'irqsUnhandled'], [o, 'noteUnhandled']);
    windows.push(refs.length);
    refs.push([o, 'irqCount']);
    for (const a of d.action) refs.push([a as unknown as Record<string, unknown>, 'handled']);
    fixed.push(descFixed(d));
  }
  const sp = h.spurious as unknown as Record<number, unknown>;
  h.spurious.forEach((_, c) => refs.push([sp, c]));
  refs.push([h as unknown as Record<string, unknown>, 'errCount']);
  for (const dev of h.devices) {
    refs.push([dev as unknown as Record<string, unknown>, 'intxLost']);
    fixed.push([dev.name, dev.intxStatus, dev.msiCap?.pendingBits, dev.msiCap?.maskBits, dev.msixCap ? Array.from(dev.msixCap.pba).join('') : '',
      dev.msixCap?.table.map((e) => e.ctrl).join('')]);
  }
  fixed.push(h.archSnapshot());
  return { refs, vals: refs.map(([o, key]) => num(o[key])), windows, fixed: JSON.stringify(fixed) };
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
 */
export function raiseStorm(h: StormHost, count: number, raiseOnce: () => void): StormResult {
  const k = h.k;
  const t = k.t;
  const start = capture(h);
  raiseOnce();
  const startLog = h.log.length;
  const wasOn = t.on;
  t.on = false;
  let done = 1;
  let stepped = 0;
  let batched = 0;
  let prevKey: string | null = null;
  try {
    while (done < count) {
      const a = capture(h);
      const logAt = h.log.length;
      raiseOnce();
      done++;
      stepped++;
      const b = capture(h);
      if (a.fixed !== b.fixed || a.refs.length !== b.refs.length || a.refs.some(([o, key], i) => b.refs[i][0] !== o || b.refs[i][1] !== key)) {
        prevKey = null;
        continue;
      }
      const delta = b.vals.map((v, i) => v - a.vals[i]);
      const key = `${delta.join(',')}|${h.log.slice(logAt).map((l) => l.text).join('\n')}`;
      if (key !== prevKey) {
        prevKey = key;
        continue;
      }
      // Two raises in a row did exactly the same: the rest is linear, up to the next window mark.
      let n = count - done;
      for (const i of b.windows) {
        if (delta[i] > 0) n = Math.min(n, Math.floor((SPURIOUS_WINDOW - 1 - b.vals[i]) / delta[i]));
      }
      if (n <= 0) continue;
      b.refs.forEach(([o, key2], i) => {
        if (delta[i]) o[key2] = b.vals[i] + delta[i] * n;
      });
      done += n;
      batched += n;
      prevKey = null;
    }
  } finally {
    t.on = wasOn;
  }
  const end = capture(h);
  const moved: string[] = [];
  if (end.refs.length === start.refs.length) {
    const descs = [...k.descs.values()].sort((a, b) => a.irq - b.irq);
    for (const d of descs) {
      const i = start.refs.findIndex(([o]) => o === (d.kstat as unknown));
      const kstatStart = i >= 0 ? d.kstat.reduce((s, _, c) => s + start.vals[i + c], 0) : 0;
      const kstat = d.kstat.reduce((s, v) => s + v, 0) - kstatStart;
      const j = start.refs.findIndex(([o, key]) => o === (d as unknown) && key === 'irqsUnhandled');
      const noHandler = j >= 0 ? d.irqsUnhandled - start.vals[j] : 0;
      if (kstat || noHandler) {
        moved.push(`irq ${d.irq}: ${kstat ? `+${kstat} in kstat_irqs` : ''}${kstat && noHandler ? ', ' : ''}${noHandler ? `${noHandler} arrived with no handler or disabled (not counted)` : ''}`);
      }
    }
    for (const dev of h.devices) {
      const j = start.refs.findIndex(([o]) => o === (dev as unknown));
      if (j >= 0 && dev.intxLost !== start.vals[j]) moved.push(`${dev.name}: ${dev.intxLost - start.vals[j]} INTx assertions nobody saw`);
    }
  }
  return { stepped, batched, printk: h.log.slice(startLog), moved };
}
