// Drivers and devres: driver_bind / driver_unbind through the driver core (really_probe,
// devres_release_all), the probes of the modelled drivers as call trees, failing probes that
// unwind, and S5 step 6 — MSI set up on a device before its driver binds leaves devres behind
// and the driver core refuses the probe ("Resources present before probing", -EBUSY).

import { describe, expect, it } from 'vitest';
import { createMachine, type Machine } from '../machine';
import { formatTrace, type TraceNode } from '../core/trace';
import { procInterrupts } from '../render';
import type { MachineSpec } from '../types';
import { calls, ok } from '../testing';

const NVME = '0000:3d:00.0';
const PORT = '0000:00:1c.0';
const CXL = '0000:0d:00.0';
const DSA = '0000:6a:01.0';
const PMU = 'cxl_pmu.0';

function machine(opts: { remap?: MachineSpec['remap']; model?: MachineSpec['msiModel']; cpus?: number } = {}): Machine {
  return createMachine({
    arch: 'x86', cpus: opts.cpus ?? 4, remap: opts.remap ?? 'intel-ir', msiModel: opts.model ?? 'v2',
    devices: [
      { bdf: NVME, name: 'nvme', msix: { tableSize: 65 } },
      { bdf: PORT, name: 'rootport', msi: { vectors: 4, maskable: true, addr64: true } },
      { bdf: CXL, name: 'cxl-mem', msix: { tableSize: 16 }, subdevices: [{ name: PMU }] },
      { bdf: DSA, name: 'dsa', msix: { tableSize: 9 }, ims: { storage: 'device', size: 16 } },
    ],
  });
}

function find(ns: readonly TraceNode[], fn: string): TraceNode | undefined {
  for (const n of ns) {
    if (n.fn === fn) return n;
    const c = find(n.children, fn);
    if (c) return c;
  }
  return undefined;
}

const dev = (m: Machine, name: string) => m.pciDev(name) ?? m.subdevice(name)!;
const logText = (m: Machine) => m.log.map((l) => `${l.level}: ${l.text}`);
/** The machine state without the log (what a failed call must not change). */
const state = (m: Machine) => m.snapshot();

// ---- S5 step 6 ------------------------------------------------------------------------------

describe('S5 step 6: MSI set up on a device before its driver binds', () => {
  it('pci_alloc_irq_vectors() with no driver bound leaves msi_setup_device_data devres behind, even after pci_free_irq_vectors()', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 2, flags: ['MSIX'] });
    ok(m, { op: 'pci_free_irq_vectors', dev: NVME });
    expect(dev(m, NVME).devres.map((e) => e.release)).toEqual(['msi_device_data_release']);
    expect(m.view().devices.find((d) => d.name === NVME)!.devres).toEqual(['msi_device_data_release']);
  });

  it('the next driver_bind fails with -EBUSY and dev_crit "Resources present before probing"; nothing changes', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 2, flags: ['MSIX'] });
    ok(m, { op: 'pci_free_irq_vectors', dev: NVME });
    const before = state(m);
    const r = m.apply({ op: 'driver_bind', dev: NVME, driver: 'nvme' });
    expect(r).toMatchObject({ ok: false, errno: -16 });
    expect(logText(m)).toContain(`crit: pci ${NVME}: Resources present before probing`);
    expect(calls(r.trace)).toEqual(['device_driver_attach', '__driver_probe_device', 'really_probe']);
    expect(find(r.trace, 'really_probe')!.result).toBe('-EBUSY');
    expect(formatTrace(r.trace)).toContain('devres list of 0000:3d:00.0 is not empty: msi_device_data_release');
    expect(dev(m, NVME).driver).toBeNull();
    expect(state(m)).toBe(before);
  });

  it('the same on a subdevice: a parent that sets up the subdevice\'s MSI domain before its driver binds blocks cxl_pmu', () => {
    const m = machine();
    ok(m, { op: 'driver_bind', dev: CXL, driver: 'cxl_pci' });
    ok(m, { op: 'pci_msi_create_subdevice_irq_domain', subdev: PMU });
    expect(dev(m, PMU).devres.map((e) => e.release)).toEqual(['msi_device_data_release']);
    const r = m.apply({ op: 'driver_bind', dev: PMU, driver: 'cxl_pmu' });
    expect(r).toMatchObject({ ok: false, errno: -16 });
    expect(logText(m)).toContain(`crit: auxiliary ${PMU}: Resources present before probing`);
  });

  it('without the early set-up the subdevice driver binds: its own domain, MSI-X entry 1 of the PCI device, a devm handler', () => {
    const m = machine();
    ok(m, { op: 'driver_bind', dev: CXL, driver: 'cxl_pci' });
    const r = ok(m, { op: 'driver_bind', dev: PMU, driver: 'cxl_pmu' });
    expect(calls(r.trace)).toEqual(expect.arrayContaining(['cxl_pmu_probe', 'pci_msi_create_subdevice_irq_domain', 'pci_subdev_msix_alloc_irq_at', 'devm_request_irq']));
    expect(dev(m, PMU).driver).toBe('cxl_pmu');
    expect(dev(m, PMU).devres.map((e) => e.release)).toEqual(['msi_device_data_release', 'devm_irq_release']);
    expect(procInterrupts(m)).toMatch(/ PCI-MSIX-PROXY-SUBDEV-cxl_pmu.0 +1-edge +cxl_pmu.0_overflow$/m);
  });
});

// ---- driver_bind / driver_unbind ----------------------------------------------------------------

describe('driver_bind: the probe is one action whose trace is the tree of its calls', () => {
  it('nvme: enable, one early vector for the admin queue, free it all, then pci_alloc_irq_vectors_affinity(1, 1 + CPUs, pre_vectors 1) and a handler per queue', () => {
    const m = machine();
    const r = ok(m, { op: 'driver_bind', dev: NVME, driver: 'nvme' });
    expect(r.value).toBe('nvme');
    const seq = calls(r.trace).filter((f) => /^(nvme_|pci_|really_probe|call_driver_probe)/.test(f));
    expect(seq.slice(0, 10)).toEqual([
      'really_probe', 'call_driver_probe', 'nvme_probe', 'pci_enable_device_mem', 'pci_alloc_irq_vectors_affinity',
      'pci_setup_msix_device_domain', 'pci_request_irq', 'nvme_setup_io_queues', 'pci_free_irq', 'pci_free_irq_vectors',
    ]);
    expect(find(r.trace, 'nvme_setup_irqs')!.result).toBe('5');
    const proc = procInterrupts(m);
    for (let q = 0; q < 5; q++) expect(proc).toMatch(new RegExp(` IR-PCI-MSIX-0000:3d:00.0 +${q}-edge +nvme0q${q}$`, 'm'));
    const managed = m.view().irqs.filter((i) => i.msi?.dev === NVME).map((i) => i.managed);
    expect(managed).toEqual([false, true, true, true, true]);
  });

  it('nvme with a single MSI vector: the admin and I/O queue share it (two handlers on one shared irq)', () => {
    const m = createMachine({ arch: 'x86', cpus: 4, remap: 'none', devices: [{ bdf: NVME, name: 'nvme', msi: { vectors: 8, maskable: true, addr64: true } }] });
    ok(m, { op: 'driver_bind', dev: NVME, driver: 'nvme' });
    expect(procInterrupts(m)).toMatch(/ PCI-MSI-0000:3d:00.0 +0-edge +nvme0q0, nvme0q1$/m);
  });

  it('pcieport: MSI resize — 4 vectors allocated, 2 needed (PME/hotplug on 0, AER on 1): free all and allocate 2', () => {
    const m = machine();
    const r = ok(m, { op: 'driver_bind', dev: PORT, driver: 'pcieport' });
    const vec = find(r.trace, 'pcie_port_enable_irq_vec')!;
    expect(vec.effects.join('\n')).toContain('2 vectors needed, 4 allocated');
    expect(calls(vec.children)).toEqual(expect.arrayContaining(['pci_alloc_irq_vectors_affinity', 'pci_free_irq_vectors', 'pci_disable_msi']));
    expect(vec.children.filter((n) => n.fn === 'pci_alloc_irq_vectors_affinity').map((n) => n.result)).toEqual(['4', '2']);
    expect(formatTrace(r.trace)).toContain('MSI Enable cleared, INTx re-enabled: until MSI is on again the device signals on its INTx pin');
    const proc = procInterrupts(m);
    expect(proc).toMatch(/ IR-PCI-MSI-0000:00:1c.0 +0-edge +PCIe PME, pciehp$/m);
    expect(proc).toMatch(/ IR-PCI-MSI-0000:00:1c.0 +1-edge +aerdrv$/m);
  });

  it('pcieport without remapping: MSI gives 1 vector < 2 needed → -EIO internally, INTx fallback: all services share the GSI', () => {
    const m = machine({ remap: 'none' });
    const r = ok(m, { op: 'driver_bind', dev: PORT, driver: 'pcieport' });
    expect(find(r.trace, 'pcie_port_enable_irq_vec')!.result).toBe('-EIO');
    const gsi = m.pciDev(PORT)!.irq;
    expect(procInterrupts(m)).toMatch(new RegExp(`^ +${gsi}:.*IO-APIC +${gsi}-fasteoi +PCIe PME, pciehp, aerdrv$`, 'm'));
  });

  it('cxl_pci: MSI-X with one vector (pcim + devm), and the subdevice MSI parent (proposal) on v2', () => {
    const m = machine();
    const r = ok(m, { op: 'driver_bind', dev: CXL, driver: 'cxl_pci' });
    expect(calls(r.trace)).toEqual(expect.arrayContaining(['pcim_enable_device', 'pcim_setup_msi_release', 'devm_request_irq', 'pci_enable_msi_parent_domain', 'pci_msi_init_subdevice']));
    expect(dev(m, CXL).devres.map((e) => e.release)).toEqual([
      'pcim_disable_device', 'msi_device_data_release', 'pcim_msi_release', 'devm_irq_release', 'auxiliary_device_destroy',
    ]);
    expect(m.pciDev(CXL)!.msixEnabled).toBe(true);
    expect(m.view().irqs.filter((i) => i.msi?.dev === CXL)).toHaveLength(1);
  });

  it('cxl_pci on v1: no MSI parent for the subdevices; cxl_pmu then cannot bind (-ENODEV, dev_dbg only)', () => {
    const m = machine({ model: 'v1' });
    const r = ok(m, { op: 'driver_bind', dev: CXL, driver: 'cxl_pci' });
    expect(formatTrace(r.trace)).toContain('their drivers get no interrupts');
    const before = state(m);
    const p = m.apply({ op: 'driver_bind', dev: PMU, driver: 'cxl_pmu' });
    expect(p).toMatchObject({ ok: false, errno: -19 });
    expect(logText(m).some((l) => /probe with driver cxl_pmu failed/.test(l))).toBe(false);
    expect(state(m)).toBe(before);
  });

  it('idxd-like: every MSI-X entry, a misc handler, and an IMS domain (v6.2–v6.9) that is devres', () => {
    const m = machine();
    const r = ok(m, { op: 'driver_bind', dev: DSA, driver: 'idxd' });
    expect(calls(r.trace)).toEqual(expect.arrayContaining(['idxd_pci_probe', 'pci_create_ims_domain']));
    expect(m.view().irqs.filter((i) => i.msi?.dev === DSA && i.msi.domid === 0)).toHaveLength(9);
    expect(dev(m, DSA).devres.map((e) => e.release)).toContain('msi_remove_device_irq_domain');
    ok(m, { op: 'driver_unbind', dev: DSA });
    expect(m.view().domains.filter((d) => d.dev === DSA)).toEqual([]);
  });
});

describe('driver_unbind: remove, then devres released newest first, each release a call in the trace', () => {
  it('cxl_pci (with cxl_pmu bound on its subdevice): the aux devices go first, then devm irq, pcim MSI, MSI data, pcim enable', () => {
    const m = machine();
    const boot = m.view().matrix;
    ok(m, { op: 'driver_bind', dev: CXL, driver: 'cxl_pci' });
    ok(m, { op: 'driver_bind', dev: PMU, driver: 'cxl_pmu' });
    const r = ok(m, { op: 'driver_unbind', dev: CXL });
    const release = find(r.trace, 'devres_release_all')!;
    expect(release.children.map((n) => n.fn)).toEqual([
      'auxiliary_device_destroy', 'devm_irq_release', 'pcim_msi_release', 'msi_device_data_release', 'pcim_disable_device',
    ]);
    // the subdevice's own unbind ran inside the first release, with its own devres
    const inner = find(release.children[0].children, 'devres_release_all')!;
    expect(inner.children.map((n) => n.fn)).toEqual(['devm_irq_release', 'msi_device_data_release']);
    expect([dev(m, CXL).driver, dev(m, PMU).driver]).toEqual([null, null]);
    expect([dev(m, CXL).devres, dev(m, PMU).devres]).toEqual([[], []]);
    expect(m.pciDev(CXL)!.msixEnabled).toBe(false);
    expect(m.view().domains.filter((d) => d.dev === CXL || d.dev === PMU)).toEqual([]);
    ok(m, { op: 'msleep', ms: 4 });
    expect(m.view().matrix).toEqual(boot);
  });

  it('nvme: remove frees the handlers and vectors, devres removes the device domain; the machine is as before the bind', () => {
    const m = machine();
    ok(m, { op: 'msleep', ms: 4 });
    // (the per-CPU vector_irq tables differ: freed vectors are left VECTOR_SHUTDOWN, as in the kernel)
    const viewOf = (mm: Machine) => JSON.stringify({ ...mm.view(), log: undefined });
    const before = viewOf(m);
    ok(m, { op: 'driver_bind', dev: NVME, driver: 'nvme' });
    const r = ok(m, { op: 'driver_unbind', dev: NVME });
    expect(calls(r.trace).slice(0, 4)).toEqual(['device_release_driver', '__device_release_driver', 'nvme_remove', 'pci_free_irq']);
    expect(find(r.trace, 'devres_release_all')!.children.map((n) => n.fn)).toEqual(['msi_device_data_release']);
    expect(formatTrace(r.trace)).toContain('domain IR-PCI-MSIX-0000:3d:00.0-12 removed');
    ok(m, { op: 'msleep', ms: 4 });
    expect(viewOf(m)).toBe(before);
  });

  it('the device can be bound again after unbind', () => {
    const m = machine();
    ok(m, { op: 'driver_bind', dev: NVME, driver: 'nvme' });
    ok(m, { op: 'driver_unbind', dev: NVME });
    ok(m, { op: 'driver_bind', dev: NVME, driver: 'nvme' });
    expect(procInterrupts(m)).toContain('nvme0q4');
  });
});

describe('a failing probe unwinds: the action fails with the probe\'s errno and changes nothing', () => {
  it('cxl_pmu whose MSI-X entry is taken: -EEXIST, dev_err "probe with driver cxl_pmu failed with error -17", domain gone again', () => {
    const m = machine();
    ok(m, { op: 'driver_bind', dev: CXL, driver: 'cxl_pci' });
    ok(m, { op: 'pci_msix_alloc_irq_at', dev: CXL, index: 1 });
    const before = state(m);
    const r = m.apply({ op: 'driver_bind', dev: PMU, driver: 'cxl_pmu' });
    expect(r).toMatchObject({ ok: false, errno: -17 });
    expect(logText(m)).toContain(`err: cxl_pmu ${PMU}: probe with driver cxl_pmu failed with error -17`);
    expect(calls(find(r.trace, 'really_probe')!.children)).toContain('devres_release_all');
    expect(state(m)).toBe(before);
  });

  it('cxl_pci on a function without MSI-X: -ENXIO after pcim_enable_device (undone by devres); dev_dbg only', () => {
    const m = machine();
    const before = state(m);
    const r = m.apply({ op: 'driver_bind', dev: PORT, driver: 'cxl_pci' });
    expect(r).toMatchObject({ ok: false, errno: -6 });
    expect(find(r.trace, 'devres_release_all')!.children.map((n) => n.fn)).toEqual(['pcim_disable_device']);
    expect(logText(m).some((l) => /probe with driver/.test(l))).toBe(false);
    expect(state(m)).toBe(before);
  });

  it('idxd on a function without MSI-X: -ENODEV', () => {
    const m = machine();
    const before = state(m);
    expect(m.apply({ op: 'driver_bind', dev: PORT, driver: 'idxd' })).toMatchObject({ ok: false, errno: -19 });
    expect(state(m)).toBe(before);
  });
});

describe('driver core errors', () => {
  it('binding a device that already has a driver → -EBUSY', () => {
    const m = machine();
    ok(m, { op: 'driver_bind', dev: NVME, driver: 'nvme' });
    expect(m.apply({ op: 'driver_bind', dev: NVME, driver: 'nvme' })).toMatchObject({ ok: false, errno: -16 });
  });

  it('a driver of another bus (cxl_pmu on a PCI function, nvme on an aux device) → -ENODEV', () => {
    const m = machine();
    expect(m.apply({ op: 'driver_bind', dev: NVME, driver: 'cxl_pmu' })).toMatchObject({ ok: false, errno: -19 });
    expect(m.apply({ op: 'driver_bind', dev: PMU, driver: 'nvme' })).toMatchObject({ ok: false, errno: -19 });
  });

  it('unbinding a device without a driver → -ENODEV', () => {
    expect(machine().apply({ op: 'driver_unbind', dev: NVME })).toMatchObject({ ok: false, errno: -19 });
  });

  it('an unknown device → -ENODEV', () => {
    expect(machine().apply({ op: 'driver_bind', dev: '0000:99:00.0', driver: 'nvme' })).toMatchObject({ ok: false, errno: -19 });
  });
});

describe('pci_free_irq_vectors() is void: a handler left behind leaks, the vectors go', () => {
  // Found by the property tests: a handler requested outside the driver survives nvme_remove();
  // the next bind's probe must still find MSI-X off and its data gone, as the kernel leaves them.
  for (const arch of ['x86', 'arm64'] as const) {
    it(`${arch}: bind → free_irq 0 → request_irq 0 → unbind → bind works, with the kernel's WARN at unbind`, () => {
      const m = createMachine({
        arch, cpus: 4, remap: arch === 'x86' ? 'intel-ir' : undefined,
        devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 10 }, msi: { vectors: 1, maskable: true, addr64: true } }],
      });
      ok(m, { op: 'driver_bind', dev: NVME, driver: 'nvme' });
      ok(m, { op: 'free_irq', dev: NVME, index: 0 });
      const virq = ok(m, { op: 'request_irq', dev: NVME, index: 0, name: 'stray' }).value as number;
      ok(m, { op: 'driver_unbind', dev: NVME });
      // fs/proc/generic.c: the irq's /proc directory still holds the handler's entry when it goes.
      expect(m.log.map((l) => l.text)).toContain(
        `WARNING: remove_proc_entry: removing non-empty directory 'irq/${virq}', leaking at least 'stray'`);
      expect(m.pciDev(NVME)!.msixEnabled).toBe(false);
      ok(m, { op: 'driver_bind', dev: NVME, driver: 'nvme' });
      expect(procInterrupts(m)).toMatch(/nvme0q1/);
    });
  }
});
