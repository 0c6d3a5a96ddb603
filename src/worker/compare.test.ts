// The worker's diff, search and trace ↔ state calls, on the real engine through the host.

import { describe, expect, it } from 'vitest';
import { createHost } from './host';
import { PRESETS } from '../scenario/presets';
import { runScenario } from '../scenario/run';

const ir = PRESETS['nvme-x86-ir'].scenario;
const noir = { ...ir, machine: { ...ir.machine, remap: 'none' as const } };

/** The NVMe admin queue (nvme0q0) after `k` steps of a scenario, and its IRTE when it has one. */
function adminQueue(scenario: typeof ir, k: number) {
  const m = runScenario(scenario, { upTo: k, trace: false }).machine;
  const irq = m.view().irqs.find((i) => i.actions.includes('nvme0q0'))!;
  return { irq, irte: captureState(m).irtes.find((e) => e.virq === irq.virq) };
}

describe('compare through the host', () => {
  it('this step against the previous one, however the step was reached', async () => {
    const h = createHost();
    await h.load({ ...ir, step: 7 });
    const first = await h.diff({ step: 6 }, { step: 7 });
    expect(first.changes.length).toBeGreaterThan(0);
    await h.gotoStep(8);
    const d = await h.diff({ step: 7 }, { step: 8 });
    expect(d.changes.filter((c) => c.kind === 'irte').map((c) => c.label)).toEqual([`IRTE ${adminQueue(ir, 7).irte!.index} (dmar0)`]);
    // The same diff from a fresh host that never stood on step 7 (replayed on a scratch machine).
    const h2 = createHost();
    await h2.load(ir);
    expect((await h2.diff({ step: 7 }, { step: 8 })).changes).toEqual(d.changes);
  });

  it('a paired machine at the same step: IR against no IR', async () => {
    const h = createHost();
    await h.load({ ...ir, step: 8 });
    const d = await h.diff({ step: 8, label: 'IR' }, { step: 8, scenario: noir, label: 'no IR' });
    expect(d.a.label).toBe('IR');
    expect(d.changes.some((c) => c.kind === 'irte' && c.op === 'removed')).toBe(true);
    // The paired machine's own step diff: the deferred move.
    const own = await h.diff({ step: 7, scenario: noir }, { step: 8, scenario: noir });
    expect(own.changes.filter((c) => c.kind !== 'debugfs').map((c) => c.id)).toEqual([`irq:${adminQueue(noir, 8).irq.virq}`]);
  });

  it('search and trace lines', async () => {
    const h = createHost();
    await h.load({ ...ir, step: 8 });
    // The admin queue's IRTE finds the admin queue; its move to CPU3 (step 8) touched both.
    const { irq: admin, irte } = adminQueue(ir, 8);
    expect((await h.search(`IRTE ${irte!.index}`))[0]).toMatchObject({ kind: 'irte', target: { select: { kind: 'irq', virq: admin.virq } } });
    expect((await h.search('intel_ir_set_affinity'))[0]).toMatchObject({ kind: 'function', target: { step: 8 } });
    const r = await h.traceRefs(8);
    expect(r?.elixirTag).toBe('v7.2');
    const lit = Object.values(r!.refs).find((refs) => refs.some((x) => x.kind === 'irte'));
    expect(admin.cpu).toBe(3);
    expect(lit).toEqual(expect.arrayContaining([{ kind: 'irq', virq: admin.virq }, { kind: 'vector', cpu: 3, vector: admin.vector }]));
    expect(await h.elixirTag()).toBe('v7.2');
  });
});

// ---- captures from the host's deltas -------------------------------------------------------------
// The diff's states are made from the deltas the host sends the page (the view), counts copied only
// when they moved, cached as the time line leaves a step: whatever way the time line went (actions,
// refusals, cuts, jumps back and forth, resyncs), the diff of this step against the previous one
// must be the diff of two fresh full captures of machines replayed to those steps.

import fc from 'fast-check';
import { createMachine } from '../engine/machine';
import { captureState, diffStates } from '../engine/diff';
import type { Action, MachineSpec } from './protocol';

const BDFS = ['0000:01:00.0', '0000:3d:00.0'];
const specArb: fc.Arbitrary<MachineSpec> = fc
  .record({
    cpus: fc.integer({ min: 2, max: 5 }),
    remap: fc.constantFrom('intel-ir' as const, 'none' as const),
    kernel: fc.constantFrom('6.1' as const, '6.12' as const, '7.2' as const),
    sizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 2 }),
  })
  .map(({ cpus, remap, kernel, sizes }) => ({
    arch: 'x86' as const, cpus, kernel, remap,
    devices: sizes.map((n, i) => ({ bdf: BDFS[i], name: `dev${i}`, msix: { tableSize: n } })),
  }));

type Op = { kind: 'apply'; action: Action } | { kind: 'goto'; to: number } | { kind: 'resync' } | { kind: 'diff' };

function opArb(spec: MachineSpec): fc.Arbitrary<Op> {
  const dev = fc.constantFrom(...spec.devices.map((d) => d.bdf));
  const index = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 1 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 5 }) });
  const cpu = fc.integer({ min: 0, max: spec.cpus - 1 });
  const irq = (op: string) => fc.record({ op: fc.constant(op), dev, index }) as fc.Arbitrary<Action>;
  const action: fc.Arbitrary<Action> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('pci_alloc_irq_vectors'), dev, min: fc.constant(1), max: fc.integer({ min: 1, max: 6 }), flags: fc.constantFrom(['MSIX'], ['MSIX', 'AFFINITY']) }) as fc.Arbitrary<Action> },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('request_irq'), dev, index, name: fc.constantFrom('q', 'io') }) as fc.Arbitrary<Action> },
    { weight: 4, arbitrary: irq('raise') },
    { weight: 1, arbitrary: irq('free_irq') },
    { weight: 1, arbitrary: irq('disable_irq') },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('irq_set_affinity'), dev, index, cpus: fc.uniqueArray(cpu, { minLength: 1, maxLength: spec.cpus }).map((c) => c.sort((a, b) => a - b)) }) as fc.Arbitrary<Action> },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('cpu_down'), cpu }) as fc.Arbitrary<Action> },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('cpu_up'), cpu }) as fc.Arbitrary<Action> },
  );
  return fc.oneof(
    { weight: 6, arbitrary: action.map((a): Op => ({ kind: 'apply', action: a })) },
    { weight: 2, arbitrary: fc.nat(30).map((to): Op => ({ kind: 'goto', to })) },
    { weight: 1, arbitrary: fc.constant<Op>({ kind: 'resync' }) },
    { weight: 3, arbitrary: fc.constant<Op>({ kind: 'diff' }) },
  );
}

/** The diff of fresh full captures (whole /proc text, machine.view()) at steps k-1 and k. */
function reference(spec: MachineSpec, actions: readonly Action[], k: number) {
  const m = createMachine(spec, { trace: false });
  for (const a of actions.slice(0, k - 1)) m.apply(a);
  const a = captureState(m, { label: `step ${k - 1}` });
  if (k > 0) m.apply(actions[k - 1]);
  return diffStates(k > 0 ? a : captureState(m, { label: `step ${k - 1}` }), captureState(m, { label: `step ${k}` }));
}

describe('diff states from the host’s deltas', () => {
  it('equal fresh full captures, however the time line got there', async () => {
    await fc.assert(
      fc.asyncProperty(
        specArb.chain((spec) => fc.tuple(fc.constant(spec), fc.array(opArb(spec), { minLength: 2, maxLength: 12 }))),
        async ([spec, ops]) => {
          const h = createHost();
          // Two interrupts requested at the start, so that raises, moves and frees find something.
          const dev = spec.devices[0].bdf;
          let actions: Action[] = [
            { op: 'pci_alloc_irq_vectors', dev, min: 1, max: 2, flags: ['MSIX'] },
            { op: 'request_irq', dev, index: 0, name: 'q0' },
            { op: 'request_irq', dev, index: 1, name: 'q1' },
          ].slice(0, spec.devices[0].msix!.tableSize === 1 ? 2 : 3) as Action[];
          let step = actions.length;
          await h.load({ version: 1, machine: spec, actions });
          for (const op of ops) {
            if (op.kind === 'apply') {
              const r = await h.apply(op.action);
              if (r.recorded) {
                actions = [...actions.slice(0, step), op.action];
                step = actions.length;
              }
            } else if (op.kind === 'goto') step = (await h.gotoStep(op.to % (actions.length + 1))).delta.step;
            else if (op.kind === 'resync') await h.resync();
            if (step === 0) continue;
            const got = await h.diff({ step: step - 1 }, { step });
            // The kernel log aside: a refused call's WARNING stays in the live machine's log, and a
            // machine replayed from the recorded steps never printed it.
            const noLog = (d: { changes: { kind: string }[] }) => d.changes.filter((c) => c.kind !== 'dmesg');
            expect(noLog(got)).toEqual(noLog(reference(spec, actions, step)));
          }
        },
      ),
      { numRuns: Number(process.env.IRQSCOPE_FC_RUNS ?? 25) },
    );
  }, 180_000);
});
