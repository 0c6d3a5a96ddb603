// The worker host against the real engine, without a worker: load, apply, time travel.

import { describe, expect, it } from 'vitest';
import { createHost } from './host';
import type { Action, Scenario } from './protocol';

const scenario = (actions: Action[] = []): Scenario => ({
  version: 1,
  machine: {
    arch: 'x86', cpus: 4, remap: 'intel-ir', msiModel: 'v2',
    devices: [
      { bdf: '0000:3d:00.0', name: 'nvme', msix: { tableSize: 65 } },
      { bdf: '0000:01:00.0', name: 'nic', msi: { vectors: 8, maskable: true, addr64: true } },
    ],
  },
  actions,
});

const steps: Action[] = [
  { op: 'pci_alloc_irq_vectors', dev: '0000:3d:00.0', min: 1, max: 4, flags: ['MSIX', 'AFFINITY'] },
  { op: 'request_irq', dev: '0000:3d:00.0', index: 1, name: 'nvme0q1' },
  { op: 'raise', dev: '0000:3d:00.0', index: 1 },
  { op: 'pci_msix_alloc_irq_at', dev: '0000:3d:00.0', index: 'any' },
];

describe('engine host', () => {
  it('replays a scenario and reports every step', async () => {
    const h = createHost();
    const r = await h.load(scenario(steps));
    expect(r.records.map((x) => x.result.ok)).toEqual([true, true, true, true]);
    expect(r.delta).toMatchObject({ full: true, step: 4 });
    const s = await h.snapshot();
    expect(s.proc).toMatch(/IR-PCI-MSIX-0000:3d:00\.0\s+1-edge\s+nvme0q1/);
    expect(s.cells?.cpus).toBe(4);
    expect(s.cells?.states.length).toBe(4 * 256);
  });

  it('shows the same state at a step however it gets there', async () => {
    const h = createHost();
    const seen: string[] = [];
    await h.load(scenario());
    seen.push(JSON.stringify(await h.snapshot()));
    for (const a of steps) {
      await h.apply(a);
      seen.push(JSON.stringify(await h.snapshot()));
    }
    for (const k of [2, 0, 4, 1, 3]) {
      await h.gotoStep(k);
      expect(JSON.stringify(await h.snapshot())).toBe(seen[k]);
    }
  });

  it('replays a jump with traces off but returns the shown step with its trace', async () => {
    const h = createHost();
    const loaded = await h.load(scenario(steps));
    await h.gotoStep(0);
    const r = await h.gotoStep(3);
    expect(r.delta.step).toBe(3);
    // The third action (raise) again, with the same trace and hops as when it was loaded.
    expect(r.result?.ok).toBe(true);
    expect(r.result?.trace).toEqual(loaded.records[2].result.trace);
    expect(r.result?.hops).toEqual(loaded.records[2].result.hops);
    expect(r.result?.trace.length).toBeGreaterThan(0);
    // Traces are on again afterwards: the next action carries its trace.
    const a = await h.apply({ op: 'raise', dev: '0000:3d:00.0', index: 1 });
    expect(a.result.trace.length).toBeGreaterThan(0);
    expect((await h.gotoStep(0)).result).toBeNull();
  });

  it('names the errno of a refusal and keeps the state', async () => {
    const h = createHost();
    await h.load(scenario(steps.slice(0, 1)));
    const before = JSON.stringify(await h.snapshot());
    const r = await h.apply({ op: 'pci_msix_alloc_irq_at', dev: '0000:3d:00.0', index: 65 });
    expect(r.result.ok).toBe(false);
    expect(r.result.errnoName).toBe('-ERANGE');
    expect(r.recorded).toBe(false);
    expect(JSON.stringify(await h.snapshot())).toBe(before);
  });

  it('cuts the tail when a new step is applied in the past', async () => {
    const h = createHost();
    await h.load(scenario(steps));
    await h.gotoStep(1);
    const r = await h.apply({ op: 'request_irq', dev: '0000:3d:00.0', index: 0, name: 'nvme0q0' });
    expect(r).toMatchObject({ recorded: true, cut: 3, delta: { step: 2 } });
    const proc = await h.procInterrupts();
    expect(proc).toContain('nvme0q0');
    expect(proc).not.toContain('nvme0q1');
  });

  it('renders debugfs files for an irq and a domain', async () => {
    const h = createHost();
    await h.load(scenario(steps));
    const virq = (await h.view()).devices[0].stores[0].entries[1].virq;
    expect(await h.debugfsIrq(virq)).toContain('domain:  IR-PCI-MSIX-0000:3d:00.0');
    expect(await h.debugfsDomain('VECTOR')).toContain('Online bitmaps:');
  });

  it('snapshots carry the ITS on arm64 (null on x86), the same however the step is reached', async () => {
    const h = createHost();
    await h.load(scenario(steps));
    expect((await h.snapshot()).its).toBeNull();
    const arm: Scenario = {
      version: 1,
      machine: { arch: 'arm64', cpus: 4, devices: [{ bdf: '0002:01:00.0', name: 'nvme', msix: { tableSize: 65 } }] },
      actions: [
        { op: 'pci_alloc_irq_vectors', dev: '0002:01:00.0', min: 1, max: 2, flags: ['MSIX'] },
        { op: 'irq_set_affinity', dev: '0002:01:00.0', index: 0, cpus: [2] },
      ],
    };
    await h.load(arm);
    const loaded = await h.snapshot();
    expect(loaded.its?.devices[0].events.map((e) => e.eventId)).toEqual([0, 1]);
    expect(loaded.its?.commands.map((c) => c.cmd)).toContain('MOVI');
    await h.gotoStep(0);
    expect((await h.snapshot()).its?.devices).toEqual([]);
    await h.gotoStep(2);
    expect((await h.snapshot()).its).toEqual(loaded.its);
  });
});
