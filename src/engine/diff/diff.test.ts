// The diff of two states, against what the kernel calls in between do. Expected changes come from
// the kernel's behaviour (intel_ir_set_affinity() rewrites one IRTE and leaves the device's
// message alone; without remapping the move waits for the next interrupt, which then rewrites
// the MSI-X entry), not from the diff's own output.

import { describe, expect, it } from 'vitest';
import { createMachine, type Machine } from '../machine';
import type { Action, MachineSpec } from '../types';
import { ok } from '../testing';
import { captureState, diffStates, formatDiff, lineHunks, type Change, type StateDiff } from './index';

const NVME = '0000:3d:00.0';
const probe: Action[] = [
  { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 5, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 },
  ...[0, 1, 2, 3, 4].map((i): Action => ({ op: 'request_irq', dev: NVME, index: i, name: `nvme0q${i}` })),
];
const nvmeMachine = (remap: 'intel-ir' | 'none', kernel?: '6.1' | '6.12' | '7.2'): MachineSpec => ({
  // A kernel named: its own MSI model (6.1: one global PCI/MSI domain); otherwise v2.
  arch: 'x86', cpus: 4, remap, devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 65 } }], ...(kernel ? { kernel } : { msiModel: 'v2' }),
});

function booted(spec: MachineSpec, actions: readonly Action[]): Machine {
  const m = createMachine(spec, { trace: false });
  for (const a of actions) ok(m, a);
  return m;
}

/** The diff made by one more call on a machine. */
function across(m: Machine, a: Action): StateDiff {
  const before = captureState(m);
  ok(m, a);
  return diffStates(before, captureState(m));
}

const kinds = (d: StateDiff) => [...new Set(d.changes.map((c) => c.kind))];
const ids = (d: StateDiff, kind: Change['kind']) => d.changes.filter((c) => c.kind === kind).map((c) => c.id);
const field = (c: Change | undefined, name: string) => c?.fields.find((f) => f.field === name);

describe('affinity write with interrupt remapping (intel_ir_set_affinity)', () => {
  const m = booted(nvmeMachine('intel-ir'), probe);
  const admin = m.view().irqs.find((i) => i.actions.includes('nvme0q0'))!;
  const irteBefore = captureState(m).irtes.find((e) => e.virq === admin.virq)!;
  const d = across(m, { op: 'write_irq_affinity', dev: NVME, index: 0, cpus: [3] });

  it('rewrites exactly one IRTE: the admin queue’s, now aimed at CPU3', () => {
    const irtes = d.changes.filter((c) => c.kind === 'irte');
    expect(irtes.map((c) => c.id)).toEqual([`irte:dmar0:0:${irteBefore.index}`]);
    expect(irtes[0].op).toBe('changed');
    expect(field(irtes[0], 'destination APIC ID')).toEqual({ field: 'destination APIC ID', before: String(irteBefore.dest), after: '3' });
  });

  it('leaves the device alone: no MSI-X entry and no msi_desc changes (the IRTE index in the message stays)', () => {
    expect(ids(d, 'msix')).toEqual([]);
    expect(ids(d, 'msi')).toEqual([]);
  });

  it('allocates the new vector on CPU3 and keeps the old one until cleanup', () => {
    const vectors = d.changes.filter((c) => c.kind === 'vector');
    expect(vectors).toHaveLength(1);
    expect(vectors[0]).toMatchObject({ op: 'added', virq: admin.virq, ref: { kind: 'vector', cpu: 3 } });
    const irq = d.changes.find((c) => c.id === `irq:${admin.virq}`)!;
    expect(field(irq, 'effective affinity')?.after).toBe('3');
    // The old vector stays where the admin queue was (request_irq() put it on the least loaded CPU).
    expect(field(irq, 'previous vector')?.after).toMatch(new RegExp(`on CPU${admin.cpu} \\(move pending cleanup\\)`));
    expect(field(irq, 'state bits')?.after).toContain('IRQD_AFFINITY_SET');
  });

  it('touches nothing else of the kernel objects', () => {
    expect(kinds(d).filter((k) => !['debugfs', 'proc', 'dmesg'].includes(k)).sort()).toEqual(['cpu', 'irq', 'irte', 'matrix', 'vector']);
    expect(ids(d, 'irq')).toEqual([`irq:${admin.virq}`]);
    expect(ids(d, 'cpu')).toEqual(['cpu:3']);
  });

  it('the next jiffy frees the old vector: its cell is removed', () => {
    const next = across(m, { op: 'raise', dev: NVME, index: 0 });
    const freed = next.changes.filter((c) => c.kind === 'vector');
    expect(freed).toHaveLength(1);
    expect(freed[0]).toMatchObject({ op: 'removed', ref: { kind: 'vector', cpu: admin.cpu } });
    // The interrupt is counted on CPU3: the irq's count and its /proc/interrupts row.
    const irq = next.changes.find((c) => c.id === `irq:${admin.virq}`)!;
    expect(field(irq, 'count CPU3')).toEqual({ field: 'count CPU3', before: '0', after: '1' });
    expect(ids(next, 'proc')).toContain(`proc:${admin.virq}`);
  });
});

describe('the same write without remapping: the move is deferred', () => {
  const m = booted(nvmeMachine('none'), probe);
  const admin = m.view().irqs.find((i) => i.actions.includes('nvme0q0'))!;
  const d = across(m, { op: 'write_irq_affinity', dev: NVME, index: 0, cpus: [3] });

  it('only sets IRQD_SETAFFINITY_PENDING: no vector, no message, no device change yet', () => {
    expect(kinds(d).filter((k) => k !== 'debugfs').sort()).toEqual(['irq']);
    const irq = d.changes.find((c) => c.id === `irq:${admin.virq}`)!;
    expect(field(irq, 'state bits')?.after).toContain('IRQD_SETAFFINITY_PENDING');
    expect(field(irq, 'vector')).toBeUndefined();
  });

  it('the next interrupt moves it: the MSI-X message is rewritten (the destination is in the address)', () => {
    const next = across(m, { op: 'raise', dev: NVME, index: 0 });
    expect(ids(next, 'msix')).toEqual([`msix:${NVME}:0`]);
    const entry = next.changes.find((c) => c.kind === 'msix')!;
    expect(field(entry, 'message address')?.after).toBe('0x0:0xfee03000');
    expect(ids(next, 'msi')).toEqual([`msi:${NVME}:0:0`]);
    expect(ids(next, 'irte')).toEqual([]);
    const irq = next.changes.find((c) => c.id === `irq:${admin.virq}`)!;
    expect(field(irq, 'state bits')?.before).toContain('IRQD_SETAFFINITY_PENDING');
  });
});

describe('two machines at the same step', () => {
  it('IR against no IR: the IRTEs are on one side, the domains differ by the remapping level', () => {
    const ir = captureState(booted(nvmeMachine('intel-ir'), probe), { label: 'IR' });
    const noir = captureState(booted(nvmeMachine('none'), probe), { label: 'no IR' });
    const d = diffStates(ir, noir);
    expect(d.a.label).toBe('IR');
    const irtes = d.changes.filter((c) => c.kind === 'irte');
    expect(irtes.length).toBe(ir.irtes.length);
    expect(irtes.every((c) => c.op === 'removed')).toBe(true);
    expect(d.changes.find((c) => c.id === 'domain:INTEL-IR-0-13')?.op).toBe('removed');
    // The device's MSI-X domain is named after its parent: IR-PCI-MSIX-… against PCI-MSIX-….
    expect(d.changes.some((c) => c.kind === 'domain' && c.op === 'added' && c.label.startsWith(`domain PCI-MSIX-${NVME}`))).toBe(true);
  });

  it('6.1 against 7.2: the global PCI/MSI domain of 6.1 against per-device domains', () => {
    const d = diffStates(captureState(booted(nvmeMachine('intel-ir', '6.1'), probe)), captureState(booted(nvmeMachine('intel-ir', '7.2'), probe)));
    expect(d.a.kernel).toBe('6.1');
    expect(d.b.kernel).toBe('7.2');
    // v6.1 irq_remapping.c: pci_msi_create_irq_domain(… "INTEL-IR-MSI-%d" …) on bus token PCI_MSI (3).
    expect(d.changes.filter((c) => c.kind === 'domain' && c.op === 'removed').map((c) => c.label)).toContain('domain INTEL-IR-MSI-0-3');
    expect(d.changes.some((c) => c.kind === 'domain' && c.op === 'added' && c.label.includes(`IR-PCI-MSIX-${NVME}`))).toBe(true);
  });

  it('a state against itself: nothing', () => {
    const s = captureState(booted(nvmeMachine('intel-ir'), probe));
    const d = diffStates(s, s);
    expect(d.changes).toEqual([]);
    expect(formatDiff(d)).toMatch(/no changes/);
  });
});

describe('arm64 with an ITS', () => {
  const spec: MachineSpec = { arch: 'arm64', cpus: 4, devices: [{ bdf: '0000:00:02.0', name: 'nvme', msix: { tableSize: 8 } }] };
  it('an allocation maps an ITS device and one ITT entry per vector (MAPD, MAPTI)', () => {
    const m = booted(spec, []);
    const d = across(m, { op: 'pci_alloc_irq_vectors', dev: '0000:00:02.0', min: 1, max: 2, flags: ['MSIX'] });
    const itts = d.changes.filter((c) => c.kind === 'itt');
    expect(itts.map((c) => c.op)).toEqual(['added', 'added']);
    expect(itts.map((c) => (c.ref as { eventId: number }).eventId)).toEqual([0, 1]);
    expect(d.changes.filter((c) => c.kind === 'its-device').map((c) => c.op)).toEqual(['added']);
    expect(d.changes.filter((c) => c.kind === 'its-cmd').map((c) => c.label)).toEqual(expect.arrayContaining([expect.stringMatching(/MAPD/), expect.stringMatching(/MAPTI/)]));
    // LPIs are interrupts: the ITT entry names the LPI its irq is mapped to.
    const lpi = field(itts[0], 'LPI')!.after;
    expect(Number(lpi)).toBeGreaterThanOrEqual(8192);
    expect(ids(d, 'vector')).toEqual([]);
  });
});

describe('lineHunks', () => {
  it('reports runs of removed and added lines with the line number in the new text', () => {
    expect(lineHunks('a\nb\nc', 'a\nB\nc')).toEqual([{ field: 'line 2', before: 'b', after: 'B' }]);
    expect(lineHunks('a\nc', 'a\nb\nc')).toEqual([{ field: 'line 2', before: '', after: 'b' }]);
    expect(lineHunks('a\nb\nc', 'a\nc')).toEqual([{ field: 'line 2', before: 'b', after: '' }]);
    expect(lineHunks('x', 'x')).toEqual([]);
  });
});
