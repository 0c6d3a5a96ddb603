// The worker's door: what reaches the engine from the page (or from anything posing as it) is
// validated; a load replaces the machine only once its reply was delivered; long loads report
// progress and keep only the last call traces (any other comes back on request).

import { describe, expect, it } from 'vitest';
import { createHost } from './host';
import { Timeline } from './timeline';
import { LOAD_TRACES_KEPT, type Scenario } from './protocol';
import { runScenario } from '../scenario/run';

const NVME = '0000:3d:00.0';
const base: Scenario = {
  version: 1,
  machine: { arch: 'x86', cpus: 2, remap: 'none', devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 8 } }] },
  actions: [
    { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 2, flags: ['MSIX'] },
    { op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' },
  ],
};
const other: Scenario = { version: 1, machine: { arch: 'x86', cpus: 4, remap: 'none', devices: [] }, actions: [{ op: 'cpu_down', cpu: 3 }] };

describe('a load replaces the machine only when its reply reached the page', () => {
  it('undelivered: the machine on screen stays, and keeps answering', async () => {
    const h = createHost({ adoptOnDelivery: true });
    h.delivered((await h.load(base)).loadToken);
    const failed = await h.load(other);
    expect(failed.delta.view.cpus?.count).toBe(4);
    h.undelivered(failed.loadToken);
    const snap = await h.snapshot();
    expect(snap.view.cpus).toHaveLength(2);
    expect(snap.step).toBe(2);
    expect(snap.proc).toContain('nvme0q0');
    // A reply delivered late for a load that was superseded adopts nothing.
    const first = await h.load(other);
    const second = await h.load(base);
    h.delivered(first.loadToken);
    expect((await h.snapshot()).view.cpus).toHaveLength(2);
    h.delivered(second.loadToken);
    expect((await h.snapshot()).step).toBe(2);
  });

  it('delivered: the new machine is the one on screen', async () => {
    const h = createHost({ adoptOnDelivery: true });
    h.delivered((await h.load(base)).loadToken);
    h.delivered((await h.load(other)).loadToken);
    expect((await h.snapshot()).view.cpus).toHaveLength(4);
  });
});

describe('the door refuses what the scenario schema refuses', () => {
  it('an invalid scenario is refused with the reason, and the current machine stays', async () => {
    const h = createHost();
    await h.load(base);
    const before = await h.snapshot();
    for (const bad of [
      { ...base, machine: { ...base.machine, cpus: 1e9 } },
      { ...base, machine: { ...base.machine, cpus: '4' } },
      { ...base, machine: { ...base.machine, devices: [base.machine.devices[0], base.machine.devices[0]] } },
      { ...base, actions: [{ op: '__proto__' }] },
      { ...base, step: 3 },
    ]) {
      await expect(h.load(bad as unknown as Scenario)).rejects.toThrow(/The scenario was refused: /);
    }
    expect(await h.snapshot()).toEqual(before);
  });

  it('an invalid action is refused with -EINVAL and the reason; nothing changes', async () => {
    const h = createHost();
    await h.load(base);
    const before = await h.snapshot();
    for (const bad of [
      { op: '__proto__' }, { op: 'constructor' }, { op: 'toString' }, { op: 'hasOwnProperty' },
      { op: 'free_irq' }, { op: 'irq_set_affinity', virq: 24, cpus: 'all' },
      { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1e16, flags: ['MSIX'] },
      { op: 'msi_domain_alloc_irq_at', dev: NVME, domain: 'ims', index: 0, icookie: 1_048_576 },
      { op: 'request_irq', dev: NVME, index: 1, name: 'x\r\nstep 9: ok' },
      null, 42,
    ]) {
      const r = await h.apply(bad as never);
      expect(r.result.ok).toBe(false);
      expect(r.result.errnoName).toBe('-EINVAL');
      expect(r.result.message).toMatch(/^invalid action: /);
      expect(r.recorded).toBe(false);
    }
    const { step, view, proc, cells } = await h.snapshot();
    expect({ step, view, proc, cells }).toEqual({ step: before.step, view: before.view, proc: before.proc, cells: before.cells });
  });
});

describe('long loads', () => {
  it('report their progress while they replay', () => {
    const seen: [number, number][] = [];
    const t = new Timeline(() => ({ apply: () => ({ ok: true, message: '', trace: [], hops: [] }) }), base.machine);
    t.load(Array.from({ length: 5 }, () => ({ op: 'msleep' as const, ms: 1 })), 5, { onProgress: (d, n) => seen.push([d, n]), progressMs: 0 });
    expect(seen).toEqual([[1, 5], [2, 5], [3, 5], [4, 5], [5, 5]]);
  });

  it(`keep the call traces of the last ${LOAD_TRACES_KEPT} steps; traceAt gives any other, as a fresh replay does`, async () => {
    const actions = Array.from({ length: LOAD_TRACES_KEPT + 6 }, (_, i) => ({ op: 'raise' as const, dev: NVME, index: i % 2 }));
    const s: Scenario = { ...base, actions: [...base.actions, ...actions] };
    const h = createHost();
    const r = await h.load(s);
    const n = s.actions.length;
    expect(r.records.slice(0, n - LOAD_TRACES_KEPT).every((x) => x.result.traceOmitted === true && x.result.trace.length === 0)).toBe(true);
    expect(r.records.slice(n - LOAD_TRACES_KEPT).every((x) => !x.result.traceOmitted && x.result.trace.length > 0)).toBe(true);
    const ref = runScenario(s);
    expect((await h.traceAt(1))?.trace).toEqual(ref.results[0].trace);
    expect((await h.traceAt(5))?.trace).toEqual(ref.results[4].trace);
    expect(await h.traceAt(0)).toBeNull();
    expect(await h.traceAt(n + 1)).toBeNull();
    // the machine on screen did not move
    expect((await h.snapshot()).step).toBe(n);
  });
});
