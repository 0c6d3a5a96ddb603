// The picker's machines boot in the worker host (the engine the app runs), and each shows what
// its blurb promises: the ITS on arm64, IMS stores, subdevices, the four MSI domain models.

import { describe, expect, it } from 'vitest';
import { createHost } from '../worker/host';
import { PRESETS, presetOf, presetScenario } from './presets';
import { validateScenario } from '../scenario/validate';
import { PRESETS as SCENARIO_PRESETS } from '../scenario/presets';

async function boot(id: string) {
  const p = PRESETS.find((x) => x.id === id)!;
  const h = createHost();
  await h.load(presetScenario(p));
  const snap = await h.snapshot();
  return { h, snap };
}

describe('machine presets', () => {
  it('the QEMU machines are the conformance harness\'s (src/scenario/presets.ts), grouped apart', () => {
    for (const id of ['qemu-q35-ir', 'qemu-q35', 'qemu-virt']) {
      const p = PRESETS.find((x) => x.id === id)!;
      expect(p.group).toBe('qemu');
      expect(p.machine).toEqual(SCENARIO_PRESETS[id].scenario.machine);
    }
  });

  it('every preset boots, with unique ids and titles that do not contain one another', async () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    for (const p of PRESETS) {
      for (const q of PRESETS) if (p !== q) expect(`${q.title} ${q.blurb}`).not.toContain(p.title);
      const { snap } = await boot(p.id);
      expect(snap.view.cpus.length).toBe(p.machine.cpus);
      expect(snap.view.devices.filter((d) => d.kind === 'pci').map((d) => d.name)).toEqual(p.machine.devices.map((d) => d.bdf));
    }
  });

  it('arm64: an ITS with a collection per CPU; NVMe MSI-X goes through MAPD and MAPTI', async () => {
    const { h, snap } = await boot('arm64-4-its');
    expect(snap.its?.collections.map((c) => c.cpu)).toEqual([0, 1, 2, 3]);
    expect(snap.cells).toBeNull();
    const r = await h.apply({ op: 'pci_alloc_irq_vectors', dev: '0002:01:00.0', min: 1, max: 5, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 });
    expect(r.result.ok).toBe(true);
    const its = (await h.snapshot()).its;
    expect(its?.commands.map((c) => c.cmd)).toContain('MAPD');
    expect(its?.devices[0].events).toHaveLength(5);
    expect((await h.apply({ op: 'pci_msix_alloc_irq_at', dev: '0002:01:00.0', index: 'any' })).result.errnoName).toBe('-ENOTSUPP');
  });

  it('IMS machines have a device or queue store; CXL has two PMU subdevices', async () => {
    expect((await boot('ims-device')).snap.view.devices[0].ims?.storage).toBe('device');
    expect((await boot('ims-queue')).snap.view.devices[0].ims?.storage).toBe('queue');
    const cxl = (await boot('cxl-subdevices')).snap.view.devices;
    expect(cxl.filter((d) => d.kind === 'subdevice').map((d) => [d.name, d.parent])).toEqual([['cxl_pmu.0', '0000:0c:00.0'], ['cxl_pmu.1', '0000:0c:00.0']]);
  });

  it('the three older MSI models refuse dynamic MSI-X; v1 uses the global IR-PCI-MSI domain', async () => {
    for (const id of ['x86-model-v1', 'x86-model-nonhier', 'x86-model-legacy']) {
      const { h } = await boot(id);
      expect((await h.apply({ op: 'pci_alloc_irq_vectors', dev: '0000:3d:00.0', min: 1, max: 2, flags: ['MSIX'] })).result.ok).toBe(true);
      expect((await h.apply({ op: 'pci_msix_alloc_irq_at', dev: '0000:3d:00.0', index: 'any' })).result.errnoName).toBe('-ENOTSUPP');
      if (id === 'x86-model-v1') {
        await h.apply({ op: 'request_irq', dev: '0000:3d:00.0', index: 0, name: 'nvme0q0' });
        expect(await h.procInterrupts()).toMatch(/IR-PCI-MSI\s+31981568-edge\s+nvme0q0/);
      }
    }
  });
});

describe('presetOf: the picker machine a scenario runs on', () => {
  it('is found after validation reorders the keys, and on another kernel only when asked', () => {
    const p = PRESETS.find((x) => x.id === 'qemu-q35-ir')!;
    const v = validateScenario({ version: 1, machine: { ...p.machine, kernel: '6.12' }, actions: [] });
    if (!v.ok) throw new Error(v.error);
    expect(JSON.stringify(v.scenario.machine)).not.toBe(JSON.stringify({ ...p.machine, kernel: '6.12' }));
    expect(presetOf(v.scenario.machine)).toBeUndefined();
    expect(presetOf(v.scenario.machine, { anyKernel: true })?.id).toBe('qemu-q35-ir');
    expect(presetOf(v.scenario.machine, { anyKernel: true, id: 'x86-4-ir' })).toBeUndefined();
    expect(presetOf({ ...v.scenario.machine, cpus: 8 }, { anyKernel: true })).toBeUndefined();
  });
});
