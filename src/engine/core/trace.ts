// The call trace every action returns: the tree of kernel functions it ran, each with its
// domain, what it changed and its result. A disabled tracer costs one branch per call site.

import { errnoName } from './errno';
import { traceItems } from './traceOrder';

/** One kernel call in a trace. `result` is "0", "-ENOSPC", "true", "virq 24", … */
export interface TraceNode {
  fn: string;
  /** Kernel source file the function lives in, e.g. "kernel/irq/msi.c". */
  file?: string;
  domain?: string;
  effects: string[];
  /**
   * Where each effect was recorded among the calls: `effectsAt[i]` calls had been made when
   * effects[i] was (an effect after a child call is shown after it). Absent when every effect came
   * before the first call. `traceItems()` gives effects and calls in the order the kernel made them.
   */
  effectsAt?: number[];
  result?: string;
  children: TraceNode[];
}

/**
 * A trace is bounded: at most this many calls are recorded for one action (binding a driver to a
 * 2,048-entry table makes tens of thousands), and at most MAX_SIBLINGS calls under one caller;
 * the calls left out are counted and named in a note ("… 1,990 more calls: msi_domain_alloc ×995, …").
 */
export const MAX_TRACE_NODES = 2000;
export const MAX_SIBLINGS = 64;
/** At most this many effects are recorded for one call. */
export const MAX_EFFECTS = 64;

export class Tracer {
  /** Callers test `t.on` before building effect strings. */
  on: boolean;
  private root: TraceNode[] = [];
  private stack: TraceNode[] = [];
  /** Calls recorded for the current action. */
  private nodes = 0;
  /** > 0 while inside a call that is not recorded (its own calls are not either). */
  private skipping = 0;
  /** Calls left out, per caller (null: the top level), by function name. */
  private omitted = new Map<TraceNode | null, Map<string, number>>();
  private omittedEffects = new Map<TraceNode | null, number>();

  constructor(on: boolean) {
    this.on = on;
  }

  /** Start a fresh trace for one action. */
  reset(): void {
    if (!this.on) return;
    this.root = [];
    this.stack = [];
    this.clearLimits();
  }

  private clearLimits(): void {
    this.nodes = 0;
    this.skipping = 0;
    if (this.omitted.size) this.omitted.clear();
    if (this.omittedEffects.size) this.omittedEffects.clear();
  }

  enter(fn: string, domain?: string, file?: string): void {
    if (!this.on) return;
    if (this.skipping > 0) {
      this.skipping++;
      return;
    }
    const top = this.stack[this.stack.length - 1];
    const siblings = top ? top.children : this.root;
    if (this.nodes >= MAX_TRACE_NODES || siblings.length >= MAX_SIBLINGS) {
      const key = top ?? null;
      let m = this.omitted.get(key);
      if (!m) this.omitted.set(key, (m = new Map()));
      m.set(fn, (m.get(fn) ?? 0) + 1);
      this.skipping = 1;
      return;
    }
    this.nodes++;
    const node: TraceNode = { fn, effects: [], children: [] };
    if (domain !== undefined) node.domain = domain;
    if (file !== undefined) node.file = file;
    siblings.push(node);
    this.stack.push(node);
  }

  /** Record what the current call changed or decided. */
  effect(text: string): void {
    if (!this.on || this.skipping > 0) return;
    const top = this.stack[this.stack.length - 1];
    const list = top ? top.effects : null;
    if ((list ? list.length : this.root.length) >= (list ? MAX_EFFECTS : MAX_SIBLINGS)) {
      const key = top ?? null;
      this.omittedEffects.set(key, (this.omittedEffects.get(key) ?? 0) + 1);
      return;
    }
    if (list) {
      const top2 = top as TraceNode;
      if (top2.effectsAt || top2.children.length) (top2.effectsAt ??= list.map(() => 0)).push(top2.children.length);
      list.push(text);
    } else this.root.push({ fn: '', effects: [text], children: [] });
  }

  /** Close the current call with a numeric kernel result (negative = errno) and return it. */
  leave<T extends number>(result: T): T {
    if (this.on) this.close(result < 0 ? errnoName(result) : String(result));
    return result;
  }

  /** Close the current call with a free-form result, e.g. "true" or "virq 24". */
  leaveWith(result?: string): void {
    if (this.on) this.close(result);
  }

  private close(result: string | undefined): void {
    if (this.skipping > 0) {
      this.skipping--;
      return;
    }
    const node = this.stack.pop();
    if (node && result !== undefined) node.result = result;
  }

  /** The finished trace of the current action (with a note where calls were left out). */
  take(): TraceNode[] {
    if (!this.on) return [];
    const out = this.root;
    for (const [node, m] of this.omitted) {
      let total = 0;
      for (const n of m.values()) total += n;
      const names = [...m].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([fn, n]) => `${fn} ×${n.toLocaleString('en-US')}`);
      const note = `… ${total.toLocaleString('en-US')} more call${total === 1 ? '' : 's'} here, not recorded (trace limit): ${names.join(', ')}${m.size > 6 ? ', …' : ''}`;
      if (node) pushLast(node, note);
      else out.push({ fn: '', effects: [note], children: [] });
    }
    for (const [node, n] of this.omittedEffects) {
      const note = `… ${n.toLocaleString('en-US')} more effect${n === 1 ? '' : 's'} not recorded (trace limit)`;
      if (node) pushLast(node, note);
      else out.push({ fn: '', effects: [note], children: [] });
    }
    this.root = [];
    this.stack = [];
    this.clearLimits();
    return out;
  }
}

/** A note about the whole call: after its last child call. */
function pushLast(node: TraceNode, text: string): void {
  if (node.effectsAt || node.children.length) (node.effectsAt ??= node.effects.map(() => 0)).push(node.children.length);
  node.effects.push(text);
}

export { traceItems, type TraceItem } from './traceOrder';

/** Render a trace as indented text, one call a line, its effects and calls beneath it in the order they happened. */
export function formatTrace(nodes: readonly TraceNode[], indent = 0): string {
  let out = '';
  for (const n of nodes) {
    const pad = '  '.repeat(indent);
    if (n.fn) {
      const dom = n.domain ? ` [${n.domain}]` : '';
      const res = n.result !== undefined ? ` = ${n.result}` : '';
      out += `${pad}${n.fn}()${dom}${res}\n`;
    }
    for (const it of traceItems(n)) {
      if (it.effect !== undefined) out += `${pad}${n.fn ? '  · ' : '· '}${n.effects[it.effect]}\n`;
      else out += formatTrace([n.children[it.child]], indent + 1);
    }
  }
  return out;
}
