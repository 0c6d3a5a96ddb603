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

  it('deferred: the reply comes at the step shown, and the later steps follow as a full load has them', async () => {
    const actions = Array.from({ length: LOAD_TRACES_KEPT + 6 }, (_, i) => ({ op: 'raise' as const, dev: NVME, index: i % 2 }));
    // step 3 of 42, and one refused call among the later ones (irq 0 is taken, not shared)
    const s: Scenario = { ...base, actions: [...base.actions, ...actions, { op: 'request_irq', dev: NVME, index: 0, name: 'again' }], step: 3 };
    const n = s.actions.length;
    const whole = await createHost().load(s);
    const h = createHost();
    const r = await h.load(s, undefined, { deferTail: true });
    expect(r.records).toHaveLength(3);
    expect(r.tail).toBe(n - 3);
    expect(r.delta.step).toBe(3);
    const gist = (x: { action: unknown; result: { ok: boolean; errno?: number; message: string } }) => [x.action, x.result.ok, x.result.errno, x.result.message];
    expect(r.records.map(gist)).toEqual(whole.records.slice(0, 3).map(gist));
    expect(r.records[2].result.trace).toEqual(whole.records[2].result.trace);
    const later = await h.tailRecords(r.loadToken);
    expect(later).toHaveLength(n - 3);
    // the same results as a load that ran everything: the refused raise, traces for the last ones
    expect(later!.map(gist)).toEqual(whole.records.slice(3).map(gist));
    expect(later![later!.length - 1].result).toMatchObject({ ok: false, errnoName: '-EBUSY' });
    expect(later!.slice(-LOAD_TRACES_KEPT).map((x) => x.result.trace)).toEqual(whole.records.slice(-LOAD_TRACES_KEPT).map((x) => x.result.trace));
    // the machine stayed at step 3, and asking again gives nothing
    expect((await h.snapshot()).step).toBe(3);
    expect(await h.tailRecords(r.loadToken)).toBeNull();
    // stepping forward runs the later steps on the machine itself
    const g = await h.gotoStep(4);
    expect(g.result?.message).toBe(whole.records[3].result.message);
  });

  it('deferred: nothing comes for a tail cut or replaced since', async () => {
    const s: Scenario = { ...base, actions: [...base.actions, { op: 'raise', dev: NVME, index: 0 }, { op: 'raise', dev: NVME, index: 0 }], step: 2 };
    const h = createHost();
    const cut = await h.load(s, undefined, { deferTail: true });
    await h.apply({ op: 'raise', dev: NVME, index: 0 });
    expect(await h.tailRecords(cut.loadToken)).toBeNull();
    const replaced = await h.load(s, undefined, { deferTail: true });
    await h.load(base);
    expect(await h.tailRecords(replaced.loadToken)).toBeNull();
    // a load at its last step defers nothing
    const end = await h.load(base, undefined, { deferTail: true });
    expect(end.tail).toBeUndefined();
    expect(end.records).toHaveLength(base.actions.length);
  });

  it('give the step a load stops at its trace and journey, however far back it is', async () => {
    const actions = Array.from({ length: LOAD_TRACES_KEPT + 6 }, (_, i) => ({ op: 'raise' as const, dev: NVME, index: i % 2 }));
    const s: Scenario = { ...base, actions: [...base.actions, ...actions], step: 4 };
    const r = await createHost().load(s);
    const ref = runScenario({ ...s, step: undefined });
    // step 4 raises irq 0: the same result as a fresh run, with its call trace and its hops
    expect(r.records[3].result.traceOmitted).toBeUndefined();
    expect(r.records[3].result.trace).toEqual(ref.results[3].trace);
    expect(r.records[3].result.hops).toEqual(ref.results[3].hops);
    expect(r.records[3].result.hops.length).toBeGreaterThan(0);
    // the steps around it, untraced, say so and agree otherwise
    expect(r.records[2].result).toMatchObject({ traceOmitted: true, trace: [], hops: [], ok: true, message: ref.results[2].message });
  });
});
