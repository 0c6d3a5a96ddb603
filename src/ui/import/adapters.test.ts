// The import → panel adapters, checked against facts read off the input text itself (a committed
// capture of a real 7.2 kernel and public pastes), by plain string handling, not by the parser.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importText } from '../../import/index';
import { irqNumbering, scenarioFromImport } from '../../import/scenario';
import { runScenario } from '../../scenario/run';
import type { ImportedMachine } from '../../worker/protocol';
import { cpuList, domainOfIrq, heatColour, heatGrid, heatTicks, importTree, LEVELS, levelFloor } from './adapters';

const CAPTURE = new URL('../../../conformance/fixtures/7.2/x86/q35-ir-4cpu/capture.txt', import.meta.url).pathname;
const AMD = new URL('../../import/samples/x86-6.x-ir-pci-msix-amd.txt', import.meta.url).pathname;
const XT = new URL('../../import/samples/x86-2.4-xt-pic-rhel-doc.txt', import.meta.url).pathname;

/** The first /proc/interrupts of a capture, as text. */
function bootProc(capture: string): string {
  return readFileSync(capture, 'utf8').split('@@ file /proc/interrupts\n')[1].split(/\n@@ /)[0] + '\n';
}

function load(text: string): ImportedMachine {
  const r = importText(text);
  if (!r.ok) throw new Error(r.error);
  return r.machine;
}

/** Numbered rows of a /proc/interrupts text: irq, counts, the rest of the line. */
function rows(proc: string, ncpu: number) {
  return proc.split('\n').flatMap((l) => {
    const m = /^\s*(\d+):((?:\s+\d+){1,})\s*(.*)$/.exec(l);
    if (!m) return [];
    const nums = m[2].trim().split(/\s+/).map(Number);
    return [{ irq: Number(m[1]), counts: nums.slice(0, ncpu), rest: m[3] }];
  });
}

const TEXTS = [
  ...(existsSync(CAPTURE) ? [{ name: '7.2 q35-ir capture', proc: bootProc(CAPTURE) }] : []),
  { name: 'AMD IR paste', proc: readFileSync(AMD, 'utf8') },
];

describe.each(TEXTS)('$name', ({ proc }) => {
  const m = load(proc);
  const header = proc.split('\n').find((l) => /^\s*CPU\d+/.test(l))!.trim().split(/\s+/);
  const text = rows(proc, header.length);

  it('the heat grid has a row per CPU of the header and a column per numbered row, in the input\'s order', () => {
    const g = heatGrid(m)!;
    expect(g.cpus).toBe(header.length);
    expect(g.rowLabels).toEqual(header);
    expect(g.irqs).toEqual(text.map((r) => r.irq));
    expect(g.columns).toBe(text.length);
  });

  it('every cell holds the count the line prints, and the busiest count is the largest of them', () => {
    const g = heatGrid(m)!;
    const all = text.flatMap((r) => r.counts);
    expect(g.max).toBe(Math.max(...all));
    text.forEach((r, j) => r.counts.forEach((v, k) => {
      expect(g.counts[k * g.columns + j]).toBe(v);
      // A zero count is the empty cell; any other is a heat level, the busiest the top one.
      if (v === 0) expect(g.states[k * g.columns + j]).toBe(0);
      else expect(g.states[k * g.columns + j]).toBeGreaterThan(0);
      if (v === g.max) expect(g.states[k * g.columns + j]).toBe(LEVELS);
    }));
    header.forEach((_, k) => expect(g.totals[k]).toBe(text.reduce((a, r) => a + r.counts[k], 0)));
  });

  it('the tree has a node per MSI-X domain the chip column names, with the number of its rows', () => {
    const tree = importTree(m);
    const chips = new Map<string, number>();
    for (const r of text) {
      const c = /^(IR-PCI-MSIX-[0-9a-f:.]+)\s/.exec(r.rest)?.[1];
      if (c) chips.set(c, (chips.get(c) ?? 0) + 1);
    }
    expect(chips.size).toBeGreaterThan(0);
    for (const [chip, n] of chips) {
      const node = tree.find((d) => d.name === chip)!;
      expect(node, chip).toBeDefined();
      expect(node.lines?.[1]).toBe(`${n} irq${n === 1 ? '' : 's'} · chip column`);
      // Only the input's facts: no size or mapped count.
      expect(node.size).toBeUndefined();
      expect(node.mapped).toBeUndefined();
    }
    // Every parent named is a node of the tree.
    const names = new Set(tree.map((d) => d.name));
    for (const d of tree) if (d.parent) expect(names.has(d.parent)).toBe(true);
  });

  it('an MSI-X irq is marked in the domain its chip column names', () => {
    const r = text.find((x) => /^IR-PCI-MSIX-/.test(x.rest))!;
    expect(domainOfIrq(m, r.irq)).toBe(/^(\S+)/.exec(r.rest)![1]);
  });
});

describe('adapters on other inputs', () => {
  it('a 2.4 XT-PIC paste: its chips are plain named nodes, no MSI domain', () => {
    const m = load(readFileSync(XT, 'utf8'));
    const tree = importTree(m);
    expect(tree.some((d) => d.name === 'XT-PIC')).toBe(true);
    expect(tree.some((d) => d.kind.startsWith('msi'))).toBe(false);
  });

  it('a header-less excerpt labels its rows by column, not by a CPU number it does not know', () => {
    const m = load('  25:          3          7  IR-PCI-MSIX-0000:01:00.0    0-edge      nvme0q0\n');
    const g = heatGrid(m)!;
    expect(g.rowLabels).toEqual(['col 1', 'col 2']);
    expect(g.counts[0]).toBe(3);
    expect(g.counts[1]).toBe(7);
  });

  it('no counts, no grid', () => {
    const m = load('==> /proc/irq/30/smp_affinity_list <==\n0-3\n');
    expect(heatGrid(m)).toBeNull();
  });

  it('the legend\'s stops and ticks', () => {
    expect(levelFloor(0, 1000)).toBe(0);
    expect(levelFloor(1, 1000)).toBe(1);
    expect(levelFloor(LEVELS, 1000)).toBeLessThanOrEqual(1000);
    expect(heatTicks([24, 25, 26, 27, 30], 2)).toEqual([{ col: 0, text: '24' }, { col: 2, text: '26' }, { col: 4, text: '30' }]);
    expect(heatColour(0, false, '#eee')).toBe('#eee');
    expect(heatColour(LEVELS, false, '')).toMatch(/^#[0-9a-f]{6}$/);
    expect(cpuList([0, 1, 2, 3, 8, 10, 11])).toBe('0-3,8,10-11');
  });
});

describe('continue as a simulation: shared irqs, affinity, irq numbers', () => {
  // A made-up paste: one MSI-X vector with two actions (a shared irq), and an MSI function numbered apart.
  const SHARED = readFileSync(new URL('./testdata/shared-msix.txt', import.meta.url).pathname, 'utf8');

  it('every action of a shared irq is requested, and the simulation says which irq numbers differ', () => {
    const m = load(SHARED);
    const s = scenarioFromImport(m);
    if (!s.ok) throw new Error(s.reason);
    const { machine, results } = runScenario(s.scenario, { trace: false });
    expect(results.filter((r) => !r.ok).map((r) => r.message)).toEqual([]);
    const irqs = machine.view().irqs;
    const q1 = irqs.find((i) => i.actions.includes('nvme0q1'))!;
    expect(q1.actions).toEqual(['nvme0q1', 'nvme0q1-poll']);
    const n = irqNumbering(s.vectors, irqs);
    // The NVMe function comes first in the input's numbering and keeps 25-27; ahci's 30 is the next free one.
    expect(n.differ).toEqual([[30, 28]]);
    expect(n.note).toContain('30 → 28');
    expect(s.reconstructed.join('\n')).toContain('every action of a shared irq is requested');
  });

  it('each irq\'s affinity from the input becomes a /proc smp_affinity_list write', () => {
    const bundle = [
      '@@ file /proc/interrupts', SHARED.trimEnd(),
      '@@ file /proc/irq', '/proc/irq/27/smp_affinity_list:2', '/proc/irq/30/smp_affinity_list:0-3',
      '',
    ].join('\n');
    const s = scenarioFromImport(load(bundle));
    if (!s.ok) throw new Error(s.reason);
    const writes = s.scenario.actions.filter((a) => a.op === 'write_irq_affinity');
    expect(writes).toEqual([{ op: 'write_irq_affinity', dev: '0000:01:00.0', index: 2, cpus: [2] }]);
    const { machine } = runScenario(s.scenario, { trace: false });
    expect(machine.view().irqs.find((i) => i.actions.includes('nvme0q2'))!.affinity).toEqual([2]);
  });
});
