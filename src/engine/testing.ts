// What the engine's unit tests share: a machine the engine may not model, a kernel call that
// must succeed, the function names of a trace, an interrupt's count. Test code only: nothing
// outside the tests imports it.

import type { Action, MachineSpec } from './types';
import { formatTrace, type TraceNode } from './core/trace';
import { createMachine, type Machine } from './machine';

/** The machine, or null when the engine cannot build it (tests that need it are then skipped). */
export function machineIfModelled(spec: MachineSpec): Machine | null {
  try {
    return createMachine(spec);
  } catch {
    return null;
  }
}

/** Applies a call the test needs to succeed; if it fails, throws with its errno, message and trace. */
export function ok(m: Machine, a: Action) {
  const r = m.apply(a);
  if (!r.ok) throw new Error(`${JSON.stringify(a)} failed: ${r.errno} ${r.message}\n${formatTrace(r.trace)}`);
  return r;
}

/** Every function name in a trace, depth first (notes, which name no function, left out). */
export function calls(t: readonly TraceNode[]): string[] {
  return t.flatMap((n) => (n.fn ? [n.fn, ...calls(n.children)] : calls(n.children)));
}

/** How often an interrupt was handled, summed over the CPUs (its /proc/interrupts counts). */
export function count(m: Machine, virq: number): number {
  return m.k.descs.get(virq)!.kstat.reduce((a, b) => a + b, 0);
}
