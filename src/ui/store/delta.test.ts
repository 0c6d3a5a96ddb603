// The delta protocol end to end, without a browser: the worker host's replies applied by the
// page's applyDelta must give, after every reply, what a fresh full view of the machine gives —
// the view (without per-irq counts), the vector cells, the ITS tables, the step, and the shape of
// /proc/interrupts (whose lines, asked for in windows, are the whole text's). Random machines (x86
// with and without remapping, three kernels, arm64) and random sequences of actions, refusals,
// jumps back and forth and resyncs.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHost, type Host } from '../../worker/host';
import { compactOf } from '../../engine/delta';
import type { Action, MachineSpec, Snapshot, StateDelta } from '../../worker/protocol';
import { applyDelta, follows } from './delta';

const NUM_RUNS = Number(process.env.IRQSCOPE_FC_RUNS ?? 40);
const BDFS = ['0000:01:00.0', '0000:3d:00.0'];

const specArb: fc.Arbitrary<MachineSpec> = fc
  .record({
    arch: fc.constantFrom('x86' as const, 'x86' as const, 'arm64' as const),
    cpus: fc.integer({ min: 2, max: 6 }),
    remap: fc.constantFrom('intel-ir' as const, 'none' as const),
    kernel: fc.constantFrom('6.1' as const, '6.12' as const, '7.2' as const),
    sizes: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 2 }),
  })
  .map(({ arch, cpus, remap, kernel, sizes }) => ({
    arch, cpus, kernel, ...(arch === 'x86' ? { remap } : {}),
    devices: sizes.map((n, i) => ({ bdf: arch === 'arm64' ? BDFS[i].replace(/^0000/, '0002') : BDFS[i], name: `dev${i}`, msix: { tableSize: n }, ...(i === 0 ? { msi: { vectors: 4, maskable: true, addr64: true } } : {}) })),
  }));

type Op = { kind: 'apply'; action: Action } | { kind: 'goto'; to: number } | { kind: 'resync' };

function opArb(spec: MachineSpec): fc.Arbitrary<Op> {
  const dev = fc.constantFrom(...spec.devices.map((d) => d.bdf));
  const index = fc.integer({ min: 0, max: 9 });
  const cpu = fc.integer({ min: 0, max: spec.cpus - 1 });
  const cpus = fc.uniqueArray(cpu, { minLength: 1, maxLength: spec.cpus }).map((c) => c.sort((a, b) => a - b));
  const irq = (op: string) => fc.record({ op: fc.constant(op), dev, index }) as fc.Arbitrary<Action>;
  const action: fc.Arbitrary<Action> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('pci_alloc_irq_vectors'), dev, min: fc.constant(1), max: fc.integer({ min: 1, max: 9 }), flags: fc.constantFrom(['MSIX'], ['MSIX', 'AFFINITY'], ['MSI']) }) as fc.Arbitrary<Action> },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('request_irq'), dev, index, name: fc.constantFrom('q', 'io') }) as fc.Arbitrary<Action> },
    { weight: 4, arbitrary: irq('raise') },
    { weight: 2, arbitrary: irq('free_irq') },
    { weight: 1, arbitrary: irq('disable_irq') },
    { weight: 1, arbitrary: irq('enable_irq') },
    { weight: 1, arbitrary: irq('mask') },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('irq_set_affinity'), dev, index, cpus }) as fc.Arbitrary<Action> },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('cpu_down'), cpu }) as fc.Arbitrary<Action> },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('cpu_up'), cpu }) as fc.Arbitrary<Action> },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('pci_free_irq_vectors'), dev }) as fc.Arbitrary<Action> },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('pci_msix_alloc_irq_at'), dev, index: fc.constantFrom(3, 'any' as const) }) as fc.Arbitrary<Action> },
    { weight: 1, arbitrary: irq('unmask') },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('driver_bind'), dev, driver: fc.constant('nvme') }) as fc.Arbitrary<Action> },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('driver_unbind'), dev }) as fc.Arbitrary<Action> },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('pci_msix_free_irq'), dev, index }) as fc.Arbitrary<Action> },
  );
  return fc.oneof(
    { weight: 8, arbitrary: action.map((a): Op => ({ kind: 'apply', action: a })) },
    { weight: 2, arbitrary: fc.nat(40).map((to): Op => ({ kind: 'goto', to })) },
    { weight: 1, arbitrary: fc.constant<Op>({ kind: 'resync' }) },
  );
}

/** The page's snapshot must be what the worker's machine is now. */
async function same(h: Host, page: Snapshot): Promise<void> {
  const full = await h.snapshot();
  expect(page.step).toBe(full.step);
  expect(page.view).toEqual(compactOf(full.view));
  expect(page.its).toEqual(full.its);
  expect(page.cells?.states ?? null).toEqual(full.cells?.states ?? null);
  const lines = full.proc.split('\n').length - 1;
  expect(page.proc.lines).toBe(lines);
  // The lines, asked for in two windows, are the whole text's.
  const cut = Math.floor(lines / 2);
  const a = await h.procLines(0, cut);
  const b = await h.procLines(cut, lines);
  expect([a.epoch, a.gen, b.gen]).toEqual([page.epoch, page.gen, page.gen]);
  expect([...a.lines, ...b.lines].join('\n') + '\n').toBe(full.proc);
}

describe('state deltas: the page after applying them equals a fresh full view', () => {
  it('over random machines and action sequences, jumps and resyncs', async () => {
    await fc.assert(
      fc.asyncProperty(
        specArb.chain((spec) => fc.tuple(fc.constant(spec), fc.array(opArb(spec), { minLength: 1, maxLength: 14 }))),
        async ([spec, ops]) => {
          const h = createHost();
          const loaded = await h.load({ version: 1, machine: spec, actions: [] });
          expect(loaded.delta.full).toBe(true);
          let page = applyDelta(null, loaded.delta);
          await same(h, page);
          let steps = 0;
          for (const op of ops) {
            let d: StateDelta;
            if (op.kind === 'apply') {
              const r = await h.apply(op.action);
              if (r.recorded) steps = r.delta.step;
              d = r.delta;
            } else if (op.kind === 'goto') d = (await h.gotoStep(op.to % (steps + 1))).delta;
            else d = await h.resync();
            expect(follows(page, d)).toBe(true);
            page = applyDelta(page, d);
            await same(h, page);
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  }, 120_000);

  it('through moves left pending, cleanups, hotplug, masks and a driver, without and with remapping', async () => {
    for (const remap of ['none', 'intel-ir'] as const) {
      const dev = BDFS[1];
      const spec: MachineSpec = { arch: 'x86', cpus: 4, remap, devices: [{ bdf: dev, name: 'nvme', msix: { tableSize: 8 } }] };
      const h = createHost();
      let page = applyDelta(null, (await h.load({ version: 1, machine: spec, actions: [] })).delta);
      const steps: Action[] = [
        { op: 'pci_alloc_irq_vectors', dev, min: 1, max: 4, flags: ['MSIX'] },
        ...[0, 1, 2, 3].map((index): Action => ({ op: 'request_irq', dev, index, name: `q${index}` })),
        // Without remapping the move waits for the next interrupt, which rewrites the MSI-X entry;
        // the old vector is freed by the cleanup timer at the next call.
        { op: 'irq_set_affinity', dev, index: 1, cpus: [3] },
        { op: 'raise', dev, index: 1 },
        { op: 'raise', dev, index: 1 },
        { op: 'raise', dev, index: 0 },
        { op: 'raise', dev, index: 0 },
        { op: 'irq_set_affinity', dev, index: 2, cpus: [0] },
        { op: 'cpu_down', cpu: 3 },
        { op: 'raise', dev, index: 2 },
        { op: 'mask', dev, index: 0 },
        { op: 'raise', dev, index: 0 },
        { op: 'unmask', dev, index: 0 },
        { op: 'disable_irq', dev, index: 3 },
        { op: 'enable_irq', dev, index: 3 },
        { op: 'cpu_up', cpu: 3 },
        { op: 'free_irq', dev, index: 1 },
        { op: 'pci_msix_free_irq', dev, index: 1 },
        { op: 'pci_msix_alloc_irq_at', dev, index: 'any' },
        { op: 'pci_free_irq_vectors', dev },
        { op: 'driver_bind', dev, driver: 'nvme' },
        { op: 'raise', dev, index: 0 },
        { op: 'cpu_down', cpu: 1 },
        { op: 'driver_unbind', dev },
      ];
      for (const a of steps) {
        const r = await h.apply(a);
        expect(follows(page, r.delta)).toBe(true);
        page = applyDelta(page, r.delta);
        await same(h, page);
      }
      // Back and forth through the same steps.
      for (const k of [3, 12, 7, steps.length, 0, 9]) {
        page = applyDelta(page, (await h.gotoStep(k)).delta);
        await same(h, page);
      }
    }
  });

  it('a refused action sends nothing that changed; an unchanged part keeps its objects', async () => {
    const h = createHost();
    const spec: MachineSpec = { arch: 'x86', cpus: 4, remap: 'intel-ir', devices: [{ bdf: BDFS[1], name: 'nvme', msix: { tableSize: 8 } }] };
    const actions: Action[] = [
      { op: 'pci_alloc_irq_vectors', dev: BDFS[1], min: 1, max: 4, flags: ['MSIX'] },
      { op: 'request_irq', dev: BDFS[1], index: 0, name: 'q0' },
    ];
    let page = applyDelta(null, (await h.load({ version: 1, machine: spec, actions })).delta);
    const refused = await h.apply({ op: 'pci_msix_alloc_irq_at', dev: BDFS[1], index: 99 });
    expect(refused.result.ok).toBe(false);
    expect(refused.delta.view).toEqual({ full: false });
    expect(refused.delta.cells).toBeUndefined();
    const before = page;
    page = applyDelta(page, refused.delta);
    expect(page.view.irqs).toBe(before.view.irqs);
    expect(page.cells).toBe(before.cells);
    // A raise moves a count: no view part changes (counts are not in it), /proc is asked for again.
    const raised = await h.apply({ op: 'raise', dev: BDFS[1], index: 0 });
    expect(raised.delta.view.irqs).toBeUndefined();
    expect(raised.delta.view.devices).toBeUndefined();
    page = applyDelta(page, raised.delta);
    await same(h, page);
    // cpu_down: that CPU's row and counters, and the moved interrupts.
    const down = await h.apply({ op: 'cpu_down', cpu: 3 });
    expect(down.delta.view.cpus?.set.map((c) => c.cpu)).toContain(3);
    expect(Array.from(down.delta.cells?.rows ?? [])).toContain(3);
    expect(down.delta.cells!.rows.length).toBeLessThan(4);
    const moved = new Set(down.delta.view.cpus!.set.map((c) => c.cpu));
    const stays = before.view.cpus.filter((c) => !moved.has(c.cpu));
    expect(stays.length).toBeGreaterThan(0);
    page = applyDelta(page, down.delta);
    for (const c of stays) expect(page.view.cpus[c.cpu]).toBe(c);
    await same(h, page);
  });

  it('a delta that does not follow the page state is told apart (another worker, a skipped reply)', async () => {
    const spec: MachineSpec = { arch: 'x86', cpus: 2, remap: 'none', devices: [{ bdf: BDFS[0], name: 'n', msix: { tableSize: 2 } }] };
    const h = createHost();
    const page = applyDelta(null, (await h.load({ version: 1, machine: spec, actions: [] })).delta);
    const first = await h.apply({ op: 'pci_alloc_irq_vectors', dev: BDFS[0], min: 1, max: 2, flags: ['MSIX'] });
    const second = await h.apply({ op: 'request_irq', dev: BDFS[0], index: 0, name: 'q' });
    expect(follows(page, first.delta)).toBe(true);
    expect(follows(page, second.delta)).toBe(false);
    const other = createHost();
    await other.load({ version: 1, machine: spec, actions: [] });
    const elsewhere = await other.apply({ op: 'cpu_down', cpu: 1 });
    expect(follows(applyDelta(page, first.delta), elsewhere.delta)).toBe(false);
    // A resync is full: it follows from anything, and later deltas follow from it.
    const again = applyDelta(page, await h.resync());
    await same(h, again);
    expect(follows(again, (await h.apply({ op: 'raise', dev: BDFS[0], index: 0 })).delta)).toBe(true);
  });
});
