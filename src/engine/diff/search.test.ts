// Search over a state and its traces, and the objects a trace line names.

import { describe, expect, it } from 'vitest';
import { createMachine } from '../machine';
import type { Action, MachineSpec } from '../types';
import { ok } from '../testing';
import { buildSearchIndex, captureState, searchIndex, traceLineRefs, traceLines } from './index';

const NVME = '0000:3d:00.0';
const spec: MachineSpec = { arch: 'x86', cpus: 4, remap: 'intel-ir', msiModel: 'v2', devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 65 } }] };
const probe: Action[] = [
  { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 5, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 },
  ...[0, 1, 2, 3, 4].map((i): Action => ({ op: 'request_irq', dev: NVME, index: i, name: `nvme0q${i}` })),
];

const m = createMachine(spec);
for (const a of probe) ok(m, a);
const moved = ok(m, { op: 'write_irq_affinity', dev: NVME, index: 0, cpus: [3] });
const state = captureState(m);
const index = buildSearchIndex(state, [{ step: m.step, trace: moved.trace }]);
const admin = state.view.irqs.find((i) => i.actions.includes('nvme0q0'))!;
const irte = state.irtes.find((e) => e.virq === admin.virq)!;

describe('search', () => {
  it('irq N and a handler name find the descriptor', () => {
    expect(searchIndex(index, `irq ${admin.virq}`)[0]).toMatchObject({ kind: 'irq', target: { select: { kind: 'irq', virq: admin.virq } } });
    expect(searchIndex(index, `IRQ   ${admin.virq}`)[0].kind).toBe('irq');
    expect(searchIndex(index, 'nvme0q3')[0]).toMatchObject({ kind: 'irq', title: expect.stringContaining('nvme0q3') });
  });

  it('IRTE N finds the entry and selects the interrupt it remaps', () => {
    const h = searchIndex(index, `IRTE ${irte.index}`)[0];
    expect(h).toMatchObject({ kind: 'irte', target: { select: { kind: 'irq', virq: admin.virq }, ref: { kind: 'irte', index: irte.index } } });
    expect(h.detail).toBe('vector 0x22 → APIC ID 3');
  });

  it('a message address finds the MSI-X entries that carry it', () => {
    const entry = state.view.devices[0].stores[0].entries[1];
    const addr = `0x${(entry.addressLo >>> 0).toString(16)}`;
    const hits = searchIndex(index, addr);
    expect(hits[0]).toMatchObject({ kind: 'msix', target: { ref: { kind: 'msix', dev: NVME, index: 1 } } });
  });

  it('a BDF, long or short, finds the device; a domain by name', () => {
    expect(searchIndex(index, NVME)[0]).toMatchObject({ kind: 'device', target: { select: { kind: 'device', name: NVME } } });
    expect(searchIndex(index, '3d:00.0')[0].kind).toBe('device');
    expect(searchIndex(index, 'INTEL-IR-0-13')[0]).toMatchObject({ kind: 'domain', target: { select: { kind: 'domain', name: 'INTEL-IR-0-13' } } });
  });

  it('a kernel function finds its call in the step’s trace', () => {
    const h = searchIndex(index, 'intel_ir_set_affinity')[0];
    expect(h).toMatchObject({ kind: 'function', title: 'intel_ir_set_affinity()', target: { step: m.step } });
    const line = traceLines(moved.trace).find((l) => l.id === h.target.line)!;
    expect(line.node.fn).toBe('intel_ir_set_affinity');
    // Effect lines are searchable too.
    expect(searchIndex(index, 'modify_irte').some((x) => x.kind === 'trace' && x.title.startsWith(`modify_irte: IRTE ${irte.index}`))).toBe(true);
  });

  it('nothing for nothing', () => {
    expect(searchIndex(index, '   ')).toEqual([]);
    expect(searchIndex(index, 'no-such-thing-anywhere')).toEqual([]);
  });
});

describe('trace lines name what they touched', () => {
  it('modify_irte lights the IRTE, its interrupt and that interrupt’s vector cell', () => {
    const refs = traceLineRefs(state, moved.trace);
    const line = traceLines(moved.trace).find((l) => l.text.startsWith('modify_irte'))!;
    expect(refs[line.id]).toEqual(expect.arrayContaining([
      { kind: 'irte', unit: 'dmar0', index: irte.index, sourceId: irte.sourceId },
      { kind: 'irq', virq: admin.virq },
      { kind: 'vector', cpu: 3, vector: 0x22 },
    ]));
    // A call line names its domain.
    const call = traceLines(moved.trace).find((l) => l.node.fn === 'intel_ir_set_affinity' && l.effect === null)!;
    expect(refs[call.id]).toEqual([{ kind: 'domain', name: 'INTEL-IR-0-13' }]);
  });

  it('arm64: LPI N finds the ITT entry and its interrupt', () => {
    const a = createMachine({ arch: 'arm64', cpus: 4, devices: [{ bdf: '0000:00:02.0', name: 'nvme', msix: { tableSize: 8 } }] });
    const r = ok(a, { op: 'pci_alloc_irq_vectors', dev: '0000:00:02.0', min: 1, max: 2, flags: ['MSIX'] });
    const s = captureState(a);
    const lpi = s.its!.devices[0].events[1];
    const idx = buildSearchIndex(s, [{ step: 1, trace: r.trace }]);
    const h = searchIndex(idx, `LPI ${lpi.lpi}`)[0];
    expect(h).toMatchObject({ kind: 'lpi', target: { select: { kind: 'irq', virq: lpi.virq }, ref: { kind: 'itt', eventId: 1, lpi: lpi.lpi } } });
  });
});
