// Captures that cost what changed: a view kept from deltas, counts copied only when they moved,
// and /proc/interrupts left out of a big machine's capture (its header and architecture rows
// compared, its rows of interrupts through the descriptors' counts).

import { describe, expect, it } from 'vitest';
import { createMachine } from '../machine';
import { compactOf } from '../delta';
import { ok } from '../testing';
import type { Action, MachineSpec } from '../types';
import { captureState, diffStates } from './index';
import { IrqViews, LiveView } from './live';
import { PROC_TEXT_LIMIT } from './state';

const NVME = '0000:3d:00.0';
const spec: MachineSpec = { arch: 'x86', cpus: 4, remap: 'intel-ir', devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 8 } }] };
const probe: Action[] = [
  { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 4, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 },
  ...[0, 1, 2, 3].map((i): Action => ({ op: 'request_irq', dev: NVME, index: i, name: `nvme0q${i}` })),
];

describe('LiveView with a tracker of its own (a scratch machine)', () => {
  it('follows the machine: after each call it is the compact machine.view()', () => {
    const m = createMachine(spec, { trace: false });
    const live = new LiveView();
    expect(live.update(m)).toEqual(compactOf(m.view()));
    for (const a of [...probe, { op: 'raise', dev: NVME, index: 1 }, { op: 'cpu_down', cpu: 2 }, { op: 'free_irq', dev: NVME, index: 0 }] as Action[]) {
      ok(m, a);
      expect(live.update(m)).toEqual(compactOf(m.view()));
    }
  });
});

describe('IrqViews', () => {
  it('keep the arrays and irq views of interrupts whose counts did not move', () => {
    const m = createMachine(spec, { trace: false });
    for (const a of probe) ok(m, a);
    const live = new LiveView();
    const irqs = new IrqViews();
    const before = irqs.view(m, live.update(m));
    expect(before).toEqual(m.view());
    ok(m, { op: 'raise', dev: NVME, index: 2 });
    const after = irqs.view(m, live.update(m));
    expect(after).toEqual(m.view());
    const moved = after.irqs.filter((v, i) => v !== before.irqs[i]);
    // Only the raised interrupt's view is new (its count on the CPU that took it).
    expect(moved.map((v) => v.actions)).toEqual([['nvme0q2']]);
    expect(moved[0].counts.reduce((x, y) => x + y, 0)).toBe(1);
  });
});

describe('a capture without the whole /proc/interrupts text', () => {
  const m = createMachine(spec, { trace: false });
  for (const a of probe) ok(m, a);
  const across = (a: Action) => {
    const full = captureState(m);
    const head = captureState(m, { procText: false });
    ok(m, a);
    return { full: diffStates(full, captureState(m)), head: diffStates(head, captureState(m, { procText: false })) };
  };

  it('holds the header and the architecture rows only', () => {
    const s = captureState(m, { procText: false });
    expect(s.proc).toBeNull();
    expect(s.procHead?.header).toMatch(/^\s+CPU0\s+CPU1\s+CPU2\s+CPU3\s*$/);
    expect(s.procHead?.arch.map((l) => l.split(':')[0].trim())).toContain('LOC');
    // 'auto' prints the text of a small machine, the same bytes as the whole file.
    expect(captureState(m, { procText: 'auto' }).proc).toBe(captureState(m).proc);
    expect(4 * m.view().irqs.length).toBeLessThan(PROC_TEXT_LIMIT);
  });

  it('a raise: the row of the interrupt is not compared as text, its count is (under the descriptor)', () => {
    const { full, head } = across({ op: 'raise', dev: NVME, index: 1 });
    const procIds = (d: typeof full) => d.changes.filter((c) => c.kind === 'proc').map((c) => c.id);
    const virq = full.changes.find((c) => c.kind === 'irq')!.virq!;
    expect(procIds(full)).toEqual([`proc:${virq}`]);
    expect(procIds(head)).toEqual([]);
    expect(head.changes.filter((c) => c.kind !== 'proc')).toEqual(full.changes.filter((c) => c.kind !== 'proc'));
    expect(head.notes.join(' ')).toMatch(/header and architecture rows only/);
  });

  it('cpu_down: the header loses the CPU column, as in the whole text', () => {
    const { full, head } = across({ op: 'cpu_down', cpu: 3 });
    const header = (d: typeof full) => d.changes.find((c) => c.id === 'proc:CPUs');
    expect(header(head)).toBeDefined();
    expect(header(head)).toEqual(header(full));
    // Every architecture row loses its CPU3 column too.
    const archRows = (d: typeof full) => d.changes.filter((c) => c.kind === 'proc' && !/^proc:\d+$/.test(c.id)).map((c) => c.id);
    expect(archRows(head)).toEqual(archRows(full));
  });
});
