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

/** pci_irq_vector(dev, nr): the Linux irq of a device's MSI/MSI-X vector nr (fails the test if it has none). */
export function pciIrqVector(m: Machine, dev: string, nr: number): number {
  return ok(m, { op: 'pci_irq_vector', dev, nr }).value as number;
}

/** The irq a handler was requested under (/proc/interrupts' last column), as the view shows it. */
export function irqNamed(m: Machine, name: string) {
  const irq = m.view().irqs.find((i) => i.actions.includes(name));
  if (!irq) throw new Error(`no interrupt requested as "${name}"`);
  return irq;
}

/**
 * The irq the next allocation of `n` interrupts gets: irq_alloc_descs_from() takes the first
 * range of n free descriptors at or above the dynamic lower bound (gsi_top on x86).
 */
export function nextIrq(m: Machine, n = 1): number {
  let first = m.k.dynirqLowerBound;
  while (Array.from({ length: n }, (_, i) => first + i).some((v) => m.k.descs.has(v))) first++;
  return first;
}
