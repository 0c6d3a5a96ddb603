// The roads not taken, call by call. Expected values come from the threads and the patches:
// DEV_MSI RFC v2 02–04/18 (2020: "INTEL-IR-DEV-MSI", DOMAIN_BUS_PLATFORM_MSI, DEV_ID_SHIFT 21,
// "Already had a helping of MSI? Greed...", dev_WARN "already registered to another irq
// domain?" -ENXIO, no set_msi_sid() for X86_IRQ_ALLOC_TYPE_DEV_MSI), the IMS-per-IOMMU review
// (Dec 2021), the lfunc sketch (bus/pci/.../lfunc/0/, msi_get_virq(lfunc, idx)) and the 2024 CXL
// thread (deadlock in __irq_domain_alloc_irqs(); kernel/irq/irqdomain.c: 6.1 locks
// irq_domain_mutex, 6.12 and 7.2 domain->root->mutex).

import { describe, expect, it } from 'vitest';
import { createMachine, type Machine } from '../machine';
import type { Action, MachineSpec } from '../types';
import { errnoName } from '../core/errno';
import { procInterrupts } from '../render';
import { irteLookup } from '../arch/x86/remap';
import { imsHwOf } from '../msi/ims-chip';
import { DOMAIN_BUS } from '../core/irqdomain';
import { DEV_ID_SHIFT, MAX_DEV_MSIS, devMsiCalcHwirq } from './devmsi';
import { allocLock } from './cxl';
import { lfuncsView } from './lfunc';
import { ROAD_ERA, roads } from './state';
import { nextIrq } from '../testing';

const IDXD = '0000:6a:01.0';
const NIC = '0000:6b:00.0';
const CXL = '0000:0c:00.0';

const spec = (remap: 'intel-ir' | 'none' = 'intel-ir'): MachineSpec => ({
  arch: 'x86', cpus: 4, remap, devices: [
    { bdf: IDXD, name: 'idxd', msix: { tableSize: 9 }, ims: { storage: 'device', size: 2048 } },
    { bdf: NIC, name: 'mlx5', msix: { tableSize: 16 }, ims: { storage: 'queue', size: 4096 } },
    { bdf: CXL, name: 'cxl_port', msix: { tableSize: 16 }, subdevices: [{ name: 'cxl_pmu.0' }, { name: 'cxl_pmu.1' }] },
  ],
});

/** Apply and return 'ok', the value, or the errno name; a refusal must leave the snapshot as it was. */
function step(m: Machine, a: Action): string | number {
  const before = m.snapshot();
  const r = m.apply(a);
  if (!r.ok) {
    expect(m.snapshot(), `${a.op} was refused and must change nothing`).toBe(before);
    return errnoName(r.errno!);
  }
  return r.value ?? 'ok';
}

const domain = (m: Machine, name: string) => m.view().domains.find((d) => d.name === name);
const irq = (m: Machine, virq: number) => m.view().irqs.find((i) => i.virq === virq)!;

describe('DEV_MSI (RFC v2, 2020)', () => {
  it('one INTEL-IR-DEV-MSI-4 per remapping unit on its IR domain, shared by two devices with one chip', () => {
    const m = createMachine(spec());
    expect(step(m, { op: 'create_dev_msi_irq_domain' })).toBe(1);
    expect(step(m, { op: 'create_dev_msi_irq_domain' })).toBe('-EEXIST');
    const d = domain(m, 'INTEL-IR-DEV-MSI-4')!;
    expect(d).toMatchObject({ parent: 'INTEL-IR-0-13', busToken: DOMAIN_BUS.PLATFORM_MSI, era: ROAD_ERA.devMsi, dev: null });
    expect(DOMAIN_BUS.PLATFORM_MSI).toBe(4);

    expect(step(m, { op: 'dev_set_msi_domain', dev: 'mdev0' })).toBe('-ENODEV'); // no such mdev yet
    expect(step(m, { op: 'mdev_device_create', dev: IDXD, name: 'mdev0' })).toBe('ok');
    expect(step(m, { op: 'mdev_device_create', dev: NIC, name: 'mdev0' })).toBe('-EINVAL'); // name taken
    expect(step(m, { op: 'dev_set_msi_domain', dev: 'mdev0' })).toBe('ok');
    // Two consecutive irqs from the first free one; sf0's comes right after them.
    const mdev0 = nextIrq(m, 2);
    expect(step(m, { op: 'dev_msi_domain_alloc_irqs', dev: 'mdev0', nvec: 2 })).toBe(mdev0);
    // "Already had a helping of MSI? Greed...": platform-MSI allocates once per device.
    expect(step(m, { op: 'dev_msi_domain_alloc_irqs', dev: 'mdev0', nvec: 1 })).toBe('-EBUSY');

    expect(step(m, { op: 'mdev_device_create', dev: NIC, name: 'sf0' })).toBe('ok');
    expect(step(m, { op: 'dev_set_msi_domain', dev: 'sf0' })).toBe('ok');
    const sf0 = mdev0 + 2;
    expect(step(m, { op: 'dev_msi_domain_alloc_irqs', dev: 'sf0', nvec: 1 })).toBe(sf0);

    // hwirq = devid << (32 - DEV_ID_SHIFT) | index; devids 0 and 1 from the IDA.
    expect(DEV_ID_SHIFT).toBe(21);
    expect(MAX_DEV_MSIS).toBe(2048);
    expect(irq(m, mdev0 + 1).chain[0]).toEqual({ domain: 'INTEL-IR-DEV-MSI-4', hwirq: devMsiCalcHwirq(0, 1), chip: 'IR-DEV-MSI' });
    expect(irq(m, sf0).chain[0]).toEqual({ domain: 'INTEL-IR-DEV-MSI-4', hwirq: 0x800, chip: 'IR-DEV-MSI' });
    // One chip object for every device of the domain.
    const chips = [mdev0, mdev0 + 1, sf0].map((v) => m.k.descs.get(v)!.irqData.chip);
    expect(new Set(chips).size).toBe(1);
    expect(irq(m, sf0).chain.map((c) => c.domain)).toEqual(['INTEL-IR-DEV-MSI-4', 'INTEL-IR-0-13', 'VECTOR']);
  });

  it('device memory: the message reaches the IMS slot and the IRTE has no source-id check; queue memory: recorded, never effective', () => {
    const m = createMachine(spec());
    for (const a of [
      { op: 'create_dev_msi_irq_domain' }, { op: 'mdev_device_create', dev: IDXD, name: 'mdev0' }, { op: 'dev_set_msi_domain', dev: 'mdev0' },
      { op: 'dev_msi_domain_alloc_irqs', dev: 'mdev0', nvec: 1 }, { op: 'request_irq', dev: 'mdev0', index: 0, name: 'mdev0-wq0' },
      { op: 'mdev_device_create', dev: NIC, name: 'sf0' }, { op: 'dev_set_msi_domain', dev: 'sf0' },
      { op: 'dev_msi_domain_alloc_irqs', dev: 'sf0', nvec: 1 }, { op: 'request_irq', dev: 'sf0', index: 0, name: 'sf0-q0' },
    ] as Action[]) expect(String(step(m, a))).not.toMatch(/^-E/);
    const slot0 = imsHwOf(m.pciDev(IDXD)!)!.entries.get(0)!;
    expect(slot0.masked).toBe(false);
    const irte = irteLookup(m.x86.ir!, slot0.addressLo, slot0.data)!;
    expect(irte.present).toBe(true);
    expect(irte.svt).toBe(0); // X86_IRQ_ALLOC_TYPE_DEV_MSI: set_msi_sid() skipped
    const q0 = imsHwOf(m.pciDev(NIC)!)!.entries.get(0)!;
    expect(q0).toMatchObject({ masked: true, addressLo: 0 });
    expect(q0.change).toMatchObject({ masked: false });
    expect(q0.change?.addressLo).toBeGreaterThan(0);
    expect(step(m, { op: 'raise', dev: 'mdev0', index: 0 })).toBe('ok');
    expect(step(m, { op: 'raise', dev: 'sf0', index: 0 })).toBe('ok');
    const byName = (name: string) => m.view().irqs.find((i) => i.actions.includes(name))!;
    expect(byName('mdev0-wq0').counts.reduce((a, b) => a + b)).toBe(1);
    expect(byName('sf0-q0').counts.reduce((a, b) => a + b)).toBe(0);
    expect(imsHwOf(m.pciDev(NIC)!)!.entries.get(0)!.pending).toBe(true);
  });

  it('refusals of dev_msi_domain_alloc_irqs and platform_msi_domain_alloc_irqs change nothing', () => {
    const m = createMachine(spec());
    expect(step(m, { op: 'mdev_device_create', dev: IDXD, name: 'mdev0' })).toBe('ok');
    // No dev_msi_default_domain yet: platform_msi_alloc_priv_data() finds no msi_domain.
    expect(step(m, { op: 'dev_msi_domain_alloc_irqs', dev: 'mdev0', nvec: 1 })).toBe('-EINVAL');
    expect(m.view().domains.some((d) => d.era !== 'mainline')).toBe(false);
    expect(step(m, { op: 'platform_msi_assign_domain', dev: 'mdev0' })).toBe('ok');
    expect(step(m, { op: 'create_dev_msi_irq_domain' })).toBe(1);
    // dev_WARN_ONCE "already registered to another irq domain?" → -ENXIO.
    expect(step(m, { op: 'dev_msi_domain_alloc_irqs', dev: 'mdev0', nvec: 1 })).toBe('-ENXIO');
    expect(m.log.some((l) => l.text.includes('already registered to another irq domain?'))).toBe(true);
    expect(step(m, { op: 'platform_msi_domain_alloc_irqs', dev: 'mdev0', nvec: MAX_DEV_MSIS + 1 })).toBe('-EINVAL');
    expect(step(m, { op: 'platform_msi_domain_alloc_irqs', dev: 'mdev0', nvec: 2049 })).toBe('-EINVAL');
    const next = nextIrq(m);
    expect(step(m, { op: 'platform_msi_domain_alloc_irqs', dev: 'mdev0', nvec: 1 })).toBe(next);
    expect(roads(m.k).devids.size).toBe(1);
  });

  it('lifetime: the mdev\'s own domain goes with it, the IOMMU\'s stays', () => {
    const m = createMachine(spec());
    for (const a of [
      { op: 'create_dev_msi_irq_domain' }, { op: 'mdev_device_create', dev: IDXD, name: 'mdev0' }, { op: 'platform_msi_assign_domain', dev: 'mdev0' },
      { op: 'platform_msi_domain_alloc_irqs', dev: 'mdev0', nvec: 1 }, { op: 'request_irq', dev: 'mdev0', index: 0, name: 'x' },
    ] as Action[]) expect(String(step(m, a))).not.toMatch(/^-E/);
    expect(domain(m, 'IR-DEV-MSI-mdev0-4')).toMatchObject({ parent: 'INTEL-IR-0-13', dev: 'mdev0', era: ROAD_ERA.devMsi });
    const virq = m.view().irqs.find((i) => i.actions.includes('x'))!.virq;
    expect(irq(m, virq).chain[0].chip).toBe('IR-DEV-MSI-mdev0');
    expect(step(m, { op: 'mdev_device_remove', name: 'mdev0' })).toBe('-EBUSY');
    expect(step(m, { op: 'free_irq', virq })).toBe('ok');
    expect(step(m, { op: 'mdev_device_remove', name: 'mdev0' })).toBe('ok');
    expect(domain(m, 'IR-DEV-MSI-mdev0-4')).toBeUndefined();
    expect(domain(m, 'INTEL-IR-DEV-MSI-4')).toBeDefined();
    expect(m.k.descs.has(virq)).toBe(false);
    expect(roads(m.k).devids.size).toBe(0);
  });

  it('without remapping: the DEV_MSI domain on VECTOR', () => {
    const m = createMachine(spec('none'));
    expect(step(m, { op: 'create_dev_msi_irq_domain' })).toBe(1);
    expect(domain(m, 'DEV_MSI-4')).toMatchObject({ parent: 'VECTOR' });
  });
});

describe('IMS per IOMMU (rejected in review 2021)', () => {
  it('one IMS-IDXD domain and chip for every device; a store in system memory is refused', () => {
    const m = createMachine(spec());
    expect(step(m, { op: 'msi_domain_alloc_irqs', dev: IDXD, nvec: 1 })).toBe('-ENODEV');
    expect(step(m, { op: 'arch_create_ims_irq_domain' })).toBe(1);
    expect(domain(m, 'INTEL-IR-IMS-IDXD')).toMatchObject({ parent: 'INTEL-IR-0-13', era: ROAD_ERA.imsPerIommu });
    const wq0 = nextIrq(m, 2);
    expect(step(m, { op: 'msi_domain_alloc_irqs', dev: IDXD, nvec: 2 })).toBe(wq0);
    expect([wq0, wq0 + 1].map((v) => irq(m, v).chain[0].chip)).toEqual(['IR-IMS-IDXD', 'IR-IMS-IDXD']);
    expect(step(m, { op: 'msi_domain_alloc_irqs', dev: NIC, nvec: 1 })).toBe('-EINVAL');
    expect(step(m, { op: 'request_irq', virq: wq0, name: 'idxd-wq0' })).toBe(wq0);
    expect(step(m, { op: 'raise', dev: IDXD, domain: 'ims', index: 0 })).toBe('ok');
    // Counted once, on the CPU its vector is on.
    const counts = [0, 0, 0, 0].map((_, c) => (irq(m, wq0).effectiveAffinity[0] === c ? 1 : 0));
    expect(procInterrupts(m)).toMatch(new RegExp(`^\\s*${wq0}:\\s+${counts.join('\\s+')}\\s+IR-IMS-IDXD\\s+0-edge\\s+idxd-wq0$`, 'm'));
    // The secondary store is taken by the shared domain: no device domain for the idxd until it lets go.
    expect(step(m, { op: 'pci_create_ims_domain', dev: IDXD })).toBe('-EEXIST');
    expect(step(m, { op: 'msi_domain_free_irqs', dev: IDXD })).toBe('-EBUSY');
    expect(step(m, { op: 'free_irq', virq: wq0 })).toBe('ok');
    expect(step(m, { op: 'msi_domain_free_irqs', dev: IDXD })).toBe('ok');
    expect(step(m, { op: 'pci_create_ims_domain', dev: IDXD })).toBe('ok');
    expect(domain(m, 'INTEL-IR-IMS-IDXD')).toBeDefined();
  });
});

describe('logical functions (proposal 2021)', () => {
  it('bus/pci/.../lfunc/N with its own store; msi_get_virq(lfunc, idx)', () => {
    const m = createMachine(spec());
    expect(step(m, { op: 'lfunc_create', dev: IDXD, owner: 'vfio' })).toBe('-ENODEV'); // no IMS domain yet
    expect(step(m, { op: 'pci_create_ims_domain', dev: IDXD })).toBe('ok');
    expect(step(m, { op: 'lfunc_create', dev: IDXD, owner: 'vfio' })).toBe(0);
    expect(step(m, { op: 'lfunc_create', dev: IDXD, owner: 'cdev' })).toBe(1);
    // Each allocation takes the next free irq: a, b, c in the order they are made.
    const a = nextIrq(m);
    expect(step(m, { op: 'lfunc_alloc_irq', lfunc: `${IDXD}/lfunc/0` })).toBe(a);
    expect(step(m, { op: 'lfunc_alloc_irq', lfunc: `${IDXD}/lfunc/1` })).toBe(a + 1);
    expect(step(m, { op: 'lfunc_alloc_irq', lfunc: `${IDXD}/lfunc/0` })).toBe(a + 2);
    expect(lfuncsView(m.k)).toEqual([
      { name: `${IDXD}/lfunc/0`, sysfs: `/sys/bus/pci/devices/${IDXD}/lfunc/0`, owner: 'vfio', irqs: [{ idx: 0, slot: 0, virq: a }, { idx: 1, slot: 2, virq: a + 2 }] },
      { name: `${IDXD}/lfunc/1`, sysfs: `/sys/bus/pci/devices/${IDXD}/lfunc/1`, owner: 'cdev', irqs: [{ idx: 0, slot: 1, virq: a + 1 }] },
    ]);
    expect(step(m, { op: 'request_irq', dev: `${IDXD}/lfunc/0`, index: 1, name: 'lf0-q1' })).toBe(a + 2);
    expect(step(m, { op: 'raise', dev: `${IDXD}/lfunc/0`, index: 1 })).toBe('ok');
    expect(irq(m, a + 2).counts.reduce((x, y) => x + y)).toBe(1);
    expect(step(m, { op: 'lfunc_destroy', lfunc: `${IDXD}/lfunc/0` })).toBe('-EBUSY');
    expect(step(m, { op: 'lfunc_destroy', lfunc: `${IDXD}/lfunc/1` })).toBe('ok');
    expect(m.k.descs.has(a + 1)).toBe(false);
    // The device's own (second) xarray hands out the freed slot 1 again, and the freed irq with it.
    expect(step(m, { op: 'pci_ims_alloc_irq', dev: IDXD })).toBe(a + 1);
    expect(m.view().devices.find((d) => d.name === IDXD)!.stores.find((s) => s.domid === 1)!.entries.map((e) => e.index)).toEqual([0, 1, 2]);
  });
});

describe('CXL subdevices: the roads of 2024 not taken', () => {
  const setup = (parent: 'dev_get_msi_domain' | null, kernel?: MachineSpec['kernel']) => {
    const m = createMachine({ ...spec(), ...(kernel ? { kernel } : {}) });
    expect(step(m, { op: 'pci_alloc_irq_vectors', dev: CXL, min: 1, max: 1, flags: ['MSIX'] })).toBe(1);
    return { m, created: step(m, { op: 'irq_domain_create_hierarchy', dev: CXL, subdev: 'cxl_pmu.0', parent }) };
  };

  it('the first attempt: stacked on dev_get_msi_domain(), the allocation takes VECTOR\'s root mutex twice → -EDEADLK, nothing changed', () => {
    const { m, created } = setup('dev_get_msi_domain');
    expect(created).toBe('ok');
    expect(domain(m, 'CXL-MSI-0000:0c:00.0')).toMatchObject({ parent: 'INTEL-IR-0-13', era: ROAD_ERA.cxl });
    expect(step(m, { op: 'cxl_aux_bus_create_irqdomain', subdev: 'cxl_pmu.0' })).toBe('ok');
    expect(domain(m, 'CXL-CPMU-cxl_pmu.0-12')?.parent).toBe('CXL-MSI-0000:0c:00.0');
    const irqsBefore = m.k.descs.size;
    const r = m.apply({ op: 'msi_domain_alloc_irqs_range', dev: 'cxl_pmu.0', first: 1, last: 1 });
    expect(r.ok).toBe(false);
    expect(errnoName(r.errno!)).toBe('-EDEADLK');
    expect(r.message).toMatch(/the kernel would hang/);
    expect(r.message).toContain("VECTOR's mutex");
    expect(JSON.stringify(r.trace)).toContain('mutex_lock(VECTOR');
    expect(m.k.descs.size).toBe(irqsBefore);
    // The lock per version, as __irq_domain_alloc_irqs() takes it.
    const cpmu = m.findDomain('CXL-CPMU-cxl_pmu.0-12')!;
    expect(allocLock(m.k, cpmu).key).toBe('root:VECTOR');
    expect(allocLock(createMachine({ ...spec(), kernel: '6.1' }).k, cpmu).key).toBe('irq_domain_mutex');
  });

  it('6.1 (one global PCI/MSI domain) has no MSI parent to stack on: refused', () => {
    const { created } = setup('dev_get_msi_domain', '6.1');
    expect(created).toBe('-ENODEV');
  });

  it('option 1: a disjunct root domain; every subdevice interrupt is two Linux irqs, mask and affinity forwarded', () => {
    const { m, created } = setup(null);
    expect(created).toBe('ok');
    expect(domain(m, 'CXL-MSI-0000:0c:00.0')).toMatchObject({ parent: null, era: ROAD_ERA.cxl });
    expect(step(m, { op: 'cxl_aux_bus_create_irqdomain', subdev: 'cxl_pmu.0' })).toBe('ok');
    // The subdevice's irq on the disjunct root, then the PCI MSI-X irq behind it: the next two.
    const sub = nextIrq(m, 2);
    const pci = sub + 1;
    expect(step(m, { op: 'msi_domain_alloc_irqs_range', dev: 'cxl_pmu.0', first: 1, last: 1 })).toBe(sub);
    expect(irq(m, sub).chain.map((c) => c.domain)).toEqual(['CXL-CPMU-cxl_pmu.0-12', 'CXL-MSI-0000:0c:00.0']);
    expect(irq(m, pci).chain.map((c) => c.domain)).toEqual(['IR-PCI-MSIX-0000:0c:00.0-12', 'INTEL-IR-0-13', 'VECTOR']);
    expect(irq(m, pci).actions).toEqual(['cxl_pci-cxl_pmu.0']);
    expect(step(m, { op: 'request_irq', virq: sub, name: 'cxl_pmu' })).toBe(sub);
    // Moving the subdevice's irq to another CPU moves the PCI irq's vector there.
    const cpu = irq(m, pci).effectiveAffinity[0];
    const to = (cpu + 1) % 4;
    expect(step(m, { op: 'raise', dev: CXL, index: 1 })).toBe('ok');
    expect(step(m, { op: 'write_irq_affinity', virq: sub, cpus: [to] })).toBe('ok');
    expect(irq(m, pci).effectiveAffinity).toEqual([to]);
    expect(irq(m, sub).effectiveAffinity).toEqual([to]);
    expect(step(m, { op: 'raise', dev: CXL, index: 1 })).toBe('ok');
    // One count where the PCI irq was, one where it went: on both irqs, each time.
    const counts = [0, 0, 0, 0];
    counts[cpu]++;
    counts[to]++;
    expect(irq(m, sub).counts).toEqual(counts);
    expect(irq(m, pci).counts).toEqual(counts);
    expect(step(m, { op: 'mask', virq: sub })).toBe('ok');
    expect(m.view().devices.find((d) => d.name === CXL)!.msixTable.find((e) => e.index === 1)!.masked).toBe(true);
    // The same PCI device can still take the road that won for its second PMU.
    expect(step(m, { op: 'pci_enable_msi_parent_domain', dev: CXL })).toBe('ok');
  });

  it('refusals: wrong parent argument, subdevice of another device, a second parent', () => {
    const { m } = setup(null);
    expect(step(m, { op: 'irq_domain_create_hierarchy', dev: CXL, subdev: 'cxl_pmu.1', parent: null })).toBe('-EEXIST');
    expect(step(m, { op: 'irq_domain_create_hierarchy', dev: IDXD, subdev: 'cxl_pmu.1', parent: null })).toBe('-EINVAL');
    expect(step(m, { op: 'cxl_aux_bus_create_irqdomain', subdev: 'cxl_pmu.1' })).toBe('-ENODEV');
    expect(step(m, { op: 'msi_domain_alloc_irqs_range', dev: 'cxl_pmu.0', first: 1, last: 1 })).toBe('-ENODEV');
  });
});
