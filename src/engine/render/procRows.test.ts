// The row-range printer of /proc/interrupts against the whole text: any split of the line range
// into windows, concatenated, is procInterrupts() byte for byte — on x86 and arm64, for each
// kernel's layout (6.1 lists descriptors with counts and no action; 7.2 pads the chip column),
// with CPUs offline (no column) and counts moved.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMachine, type Machine } from '../machine';
import type { Action, MachineSpec } from '../types';
import { procInterrupts } from './proc';
import { procLayout, procLayoutAgain, procLineOf, procLines, procSlices } from './procRows';
import { kstatCounts } from '../core/irqdesc';

const NVME = '0000:3d:00.0';

function machine(spec: Partial<MachineSpec> & Pick<MachineSpec, 'arch'>, actions: Action[]): Machine {
  const m = createMachine({ cpus: 4, devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 65 } }], ...spec } as MachineSpec, { trace: false });
  for (const a of actions) m.apply(a);
  return m;
}

const busy: Action[] = [
  { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 9, flags: ['MSIX'] },
  ...[0, 1, 2, 3, 4, 5].map((i): Action => ({ op: 'request_irq', dev: NVME, index: i, name: `nvme0q${i}` })),
  { op: 'raise', dev: NVME, index: 2 },
  { op: 'raise', dev: NVME, index: 7 },
  { op: 'free_irq', dev: NVME, index: 3 },
  { op: 'cpu_down', cpu: 2 },
  { op: 'raise', dev: NVME, index: 4 },
];

const machines: [string, () => Machine][] = [
  ['x86 7.2, IR', () => machine({ arch: 'x86', remap: 'intel-ir', kernel: '7.2' }, busy)],
  ['x86 6.12, no IR', () => machine({ arch: 'x86', remap: 'none', kernel: '6.12' }, busy)],
  ['x86 6.1 (counts without an action are listed)', () => machine({ arch: 'x86', remap: 'intel-ir', kernel: '6.1' }, busy)],
  ['arm64 7.2', () => machine({ arch: 'arm64', kernel: '7.2', devices: [{ bdf: '0002:01:00.0', name: 'nvme', msix: { tableSize: 65 } }] }, busy.map((a) => ('dev' in a ? { ...a, dev: '0002:01:00.0' } : a) as Action))],
  ['arm64 6.1', () => machine({ arch: 'arm64', kernel: '6.1', devices: [{ bdf: '0002:01:00.0', name: 'nvme', msix: { tableSize: 65 } }] }, busy.map((a) => ('dev' in a ? { ...a, dev: '0002:01:00.0' } : a) as Action))],
];

describe('procLines: /proc/interrupts a window at a time', () => {
  for (const [name, make] of machines) {
    it(`${name}: every line once, in order, equals the whole text`, () => {
      const m = make();
      const whole = procInterrupts(m);
      const l = procLayout(m);
      expect(procLines(l, 0, l.lines).join('\n') + '\n').toBe(whole);
      expect(l.lines).toBe(whole.split('\n').length - 1);
      // Any split into windows gives the same lines.
      fc.assert(
        fc.property(fc.uniqueArray(fc.integer({ min: 1, max: l.lines - 1 }), { maxLength: 6 }), (cuts) => {
          const bounds = [0, ...cuts.sort((a, b) => a - b), l.lines];
          const parts = bounds.slice(1).flatMap((b, i) => procLines(l, bounds[i], b));
          expect(parts.join('\n') + '\n').toBe(whole);
        }),
        { numRuns: 50 },
      );
    });
  }

  for (const [name, make] of machines) {
    it(`${name}: any columns of any lines are those of the whole text`, () => {
      const m = make();
      const whole = procInterrupts(m).split('\n').slice(0, -1);
      const l = procLayout(m);
      const longest = Math.max(...whole.map((x) => x.length));
      fc.assert(
        fc.property(fc.nat(l.lines), fc.nat(l.lines), fc.nat(longest + 20), fc.nat(longest + 20), (x, y, u, v) => {
          const [a, b] = [Math.min(x, y), Math.max(x, y)];
          const [c0, c1] = [Math.min(u, v), Math.max(u, v)];
          const s = procSlices(l, a, b, c0, c1);
          expect(s.lines).toEqual(whole.slice(a, b).map((t) => t.slice(c0, c1)));
          expect(s.virqs).toEqual(whole.slice(a, b).map((t) => (/^\s*(\d+):/.exec(t) ? Number(/^\s*(\d+):/.exec(t)![1]) : null)));
          if (b > a) expect(s.width).toBe(Math.max(...whole.slice(a, b).map((t) => t.length)));
        }),
        { numRuns: 200 },
      );
    });
  }

  it('a count past ten digits widens its column: that line is cut from its whole text', () => {
    const m = machines[0][1]();
    const l = procLayout(m);
    const desc = l.listed[l.listed.length - 1];
    kstatCounts(desc)[1] = 12_345_678_901;
    const whole = procInterrupts(m).split('\n');
    const i = procLineOf(l, desc.irq);
    for (const [c0, c1] of [[0, 30], [10, 40], [25, 70], [0, 500]]) expect(procSlices(l, i, i + 1, c0, c1).lines[0]).toBe(whole[i].slice(c0, c1));
  });

  for (const [name, make] of machines) {
    it(`${name}: a layout made again after counts moved prints the whole text of the new state`, () => {
      const m = make();
      const before = procLayout(m);
      const dev = [...m.devices.keys()][0];
      for (const index of [0, 1, 2, 4]) m.apply({ op: 'raise', dev, index });
      const again = procLayoutAgain(m, before);
      expect(procLines(again, 0, again.lines).join('\n') + '\n').toBe(procInterrupts(m));
    });
  }

  it('names the line of each listed irq and -1 for one it does not list', () => {
    const m = machines[0][1]();
    const l = procLayout(m);
    const lines = procInterrupts(m).split('\n');
    for (const desc of l.listed) expect(lines[procLineOf(l, desc.irq)]).toMatch(new RegExp(`^\\s*${desc.irq}:`));
    const unlisted = [...m.k.descs.values()].find((d) => !l.listed.includes(d));
    if (unlisted) expect(procLineOf(l, unlisted.irq)).toBe(-1);
    expect(procLineOf(l, 99_999)).toBe(-1);
  });

  it('clamps a range past either end', () => {
    const m = machines[1][1]();
    const l = procLayout(m);
    expect(procLines(l, -5, 2)).toEqual(procLines(l, 0, 2));
    expect(procLines(l, l.lines - 1, l.lines + 50)).toHaveLength(1);
    expect(procLines(l, 10, 5)).toEqual([]);
  });
});
