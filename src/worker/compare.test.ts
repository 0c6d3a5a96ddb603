// The worker's diff, search and trace ↔ state calls, on the real engine through the host.

import { describe, expect, it } from 'vitest';
import { createHost } from './host';
import { PRESETS } from '../scenario/presets';

const ir = PRESETS['nvme-x86-ir'].scenario;
const noir = { ...ir, machine: { ...ir.machine, remap: 'none' as const } };

describe('compare through the host', () => {
  it('this step against the previous one, however the step was reached', async () => {
    const h = createHost();
    await h.load({ ...ir, step: 7 });
    const first = await h.diff({ step: 6 }, { step: 7 });
    expect(first.changes.length).toBeGreaterThan(0);
    await h.gotoStep(8);
    const d = await h.diff({ step: 7 }, { step: 8 });
    expect(d.changes.filter((c) => c.kind === 'irte').map((c) => c.label)).toEqual(['IRTE 16 (dmar0)']);
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
    expect(own.changes.filter((c) => c.kind !== 'debugfs').map((c) => c.id)).toEqual(['irq:24']);
  });

  it('search and trace lines', async () => {
    const h = createHost();
    await h.load({ ...ir, step: 8 });
    expect((await h.search('IRTE 16'))[0]).toMatchObject({ kind: 'irte', target: { select: { kind: 'irq', virq: 24 } } });
    expect((await h.search('intel_ir_set_affinity'))[0]).toMatchObject({ kind: 'function', target: { step: 8 } });
    const r = await h.traceRefs(8);
    expect(r?.elixirTag).toBe('v7.2');
    const lit = Object.values(r!.refs).find((refs) => refs.some((x) => x.kind === 'irte'));
    expect(lit).toEqual(expect.arrayContaining([{ kind: 'irq', virq: 24 }, { kind: 'vector', cpu: 3, vector: 0x22 }]));
    expect(await h.elixirTag()).toBe('v7.2');
  });
});
