// The call trace every action returns: the tree of kernel functions it ran, each with its
// domain, what it changed and its result. A disabled tracer costs one branch per call site.

import { errnoName } from './errno';

/** One kernel call in a trace. `result` is "0", "-ENOSPC", "true", "virq 24", … */
export interface TraceNode {
  fn: string;
  /** Kernel source file the function lives in, e.g. "kernel/irq/msi.c". */
  file?: string;
  domain?: string;
  effects: string[];
  result?: string;
  children: TraceNode[];
}

export class Tracer {
  /** Callers test `t.on` before building effect strings. */
  on: boolean;
  private root: TraceNode[] = [];
  private stack: TraceNode[] = [];

  constructor(on: boolean) {
    this.on = on;
  }

  /** Start a fresh trace for one action. */
  reset(): void {
    if (!this.on) return;
    this.root = [];
    this.stack = [];
  }

  enter(fn: string, domain?: string, file?: string): void {
    if (!this.on) return;
    const node: TraceNode = { fn, effects: [], children: [] };
    if (domain !== undefined) node.domain = domain;
    if (file !== undefined) node.file = file;
    const top = this.stack[this.stack.length - 1];
    (top ? top.children : this.root).push(node);
    this.stack.push(node);
  }

  /** Record what the current call changed or decided. */
  effect(text: string): void {
    if (!this.on) return;
    const top = this.stack[this.stack.length - 1];
    if (top) top.effects.push(text);
    else this.root.push({ fn: '', effects: [text], children: [] });
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
    const node = this.stack.pop();
    if (node && result !== undefined) node.result = result;
  }

  /** The finished trace of the current action. */
  take(): TraceNode[] {
    if (!this.on) return [];
    const out = this.root;
    this.root = [];
    this.stack = [];
    return out;
  }
}

/** Render a trace as indented text, one call a line, effects beneath it. */
export function formatTrace(nodes: readonly TraceNode[], indent = 0): string {
  let out = '';
  for (const n of nodes) {
    const pad = '  '.repeat(indent);
    if (n.fn) {
      const dom = n.domain ? ` [${n.domain}]` : '';
      const res = n.result !== undefined ? ` = ${n.result}` : '';
      out += `${pad}${n.fn}()${dom}${res}\n`;
    }
    for (const e of n.effects) out += `${pad}${n.fn ? '  · ' : '· '}${e}\n`;
    out += formatTrace(n.children, indent + 1);
  }
  return out;
}
