// The four answers of dev_get_msi_domain() (v2 per-device domains on an MSI parent, v1 global
// PCI/MSI domain, a non-hierarchical domain, no domain + arch hooks), replayed through the
// reference scenarios S1 (x86 + interrupt remapping, steps 1-8) and S2 (descriptor stores and
// the four models). Each test names the step or the check it replays.

import { describe, expect, it } from 'vitest';
import { createMachine, type Machine } from '../machine';
import { formatTrace } from '../core/trace';
import { IRQD, irqd } from '../core/irqdesc';
import { debugfsDomain, debugfsIrq, procInterrupts } from '../render';
import { apicChipData } from '../arch/x86/vector';
import { MSI_FLAG, msiDomainGetVirq } from '../msi/msi';
import { MSI_DEFAULT_DOMAIN, MSI_SECONDARY_DOMAIN } from '../msi/msidesc';
import { pciMsiDomainSupports, pciMsixCanAllocDyn } from './msi';
import type { MachineSpec } from '../types';
import { ok } from '../testing';

const NVME = '0000:3d:00.0';
const NIC = '0000:01:00.0';
const ALL_AFF = ['MSIX', 'MSI', 'INTX', 'AFFINITY'] as const;

type Model = NonNullable<MachineSpec['msiModel']>;

function machine(opts: { remap?: MachineSpec['remap']; model?: Model; cpus?: number } = {}): Machine {
  return createMachine({
    arch: 'x86', cpus: opts.cpus ?? 4, remap: opts.remap ?? 'intel-ir', msiModel: opts.model ?? 'v2',
    devices: [
      { bdf: NVME, name: 'nvme', msix: { tableSize: 65 }, msi: { vectors: 8, maskable: true, addr64: true } },
      { bdf: NIC, name: 'nic', msi: { vectors: 8, maskable: true, addr64: true }, ims: { storage: 'device', size: 8 }, subdevices: [{ name: 'cxl_pmu.0' }] },
    ],
  });
}

const virqOf = (m: Machine, dev: string, nr: number) => ok(m, { op: 'pci_irq_vector', dev, nr }).value as number;
const view = (m: Machine, virq: number) => m.view().irqs.find((i) => i.virq === virq)!;
const mapped = (m: Machine, name: string) => m.view().domains.find((d) => d.name === name)!.mapped;

// ---- S1: domain hierarchy and resource management (x86 + VT-d) ----------------------------

describe('S1: NVMe on x86 with interrupt remapping, pci_alloc_irq_vectors_affinity(1, 5, ALL_TYPES | AFFINITY, pre_vectors 1)', () => {
  function s1() {
    const m = machine();
    const before = { matrix: m.view().matrix!, cpus: m.view().cpus, vectorMapped: mapped(m, 'VECTOR'), irqs: m.view().irqs.map((i) => i.virq) };
    const r = ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 5, flags: [...ALL_AFF], pre_vectors: 1 });
    return { m, r, before };
  }

  it('step 1: returns 5 vectors on MSI-X', () => {
    const { m, r } = s1();
    expect(r.value).toBe(5);
    expect(m.devices.get(NVME)!.msixEnabled).toBe(true);
  });

  it('step 2: pci_setup_msix_device_domain() creates IR-PCI-MSIX-0000:3d:00.0-12 (debugfs), chip IR-PCI-MSIX-0000:3d:00.0', () => {
    const { m, r } = s1();
    const text = formatTrace(r.trace);
    expect(text).toMatch(/pci_setup_msix_device_domain\(\)/);
    expect(text).toMatch(/msi_create_device_irq_domain\(\)/);
    const dom = debugfsDomain(m, 'IR-PCI-MSIX-0000:3d:00.0-12')!;
    expect(dom).toMatch(/^name: {3}IR-PCI-MSIX-0000:3d:00.0-12\n/);
    expect(dom).toContain('IRQ_DOMAIN_FLAG_MSI_DEVICE');
    expect(dom).toContain(' parent: INTEL-IR-0-13');
    expect(view(m, virqOf(m, NVME, 0)).chain[0].chip).toBe('IR-PCI-MSIX-0000:3d:00.0');
  });

  it('step 3: irq_calc_affinity_vectors(1, 5) = 5; vector 0 default affinity unmanaged, 1-4 managed one CPU each (7.2: CPUs 1, 3, 2, 0)', () => {
    const { m } = s1();
    const v0 = view(m, virqOf(m, NVME, 0));
    expect([v0.managed, v0.affinity]).toEqual([false, [0, 1, 2, 3]]);
    // 7.2 groups CPUs by cluster and sorts four equal one-CPU clusters with lib/sort.c's heapsort.
    const cpus = [1, 3, 2, 0];
    for (let q = 1; q <= 4; q++) {
      const v = view(m, virqOf(m, NVME, q));
      expect([v.managed, v.affinity]).toEqual([true, [cpus[q - 1]]]);
    }
  });

  it('step 3 on 6.12: 1-4 managed to CPU0..3 in order (no cluster grouping)', () => {
    const m = createMachine({ ...machine().spec, kernel: '6.12' });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 5, flags: [...ALL_AFF], pre_vectors: 1 });
    for (let q = 1; q <= 4; q++) expect(view(m, virqOf(m, NVME, q)).affinity).toEqual([q - 1]);
  });

  it('step 4: five descriptors at index 0-4; VECTOR reserves (index 0: global_reserved +1; 1-4: man +1 on their CPU); IRTEs; consecutive virqs', () => {
    const { m, before } = s1();
    const store = m.view().devices.find((d) => d.name === NVME)!.stores.find((s) => s.domid === MSI_DEFAULT_DOMAIN)!;
    expect(store.entries.map((e) => e.index)).toEqual([0, 1, 2, 3, 4]);
    // irq_domain_alloc_descs(): one range of 5 from the first free irq above gsi_top (dmar0,
    // requested at boot, holds the first one).
    const virqs = store.entries.map((e) => e.virq);
    const taken = new Set(before.irqs);
    let first = m.k.dynirqLowerBound;
    while ([0, 1, 2, 3, 4].some((i) => taken.has(first + i))) first++;
    expect(virqs).toEqual([0, 1, 2, 3, 4].map((i) => first + i));
    expect(m.view().matrix!.globalReserved).toBe(before.matrix.globalReserved + 1);
    m.view().cpus.forEach((c, i) => expect(c.managed).toBe(before.cpus[i].managed + 1));
    for (const [i, virq] of virqs.entries()) {
      const chain = view(m, virq).chain;
      expect(chain.map((l) => l.domain)).toEqual(['IR-PCI-MSIX-0000:3d:00.0-12', 'INTEL-IR-0-13', 'VECTOR']);
      expect(chain[0].hwirq).toBe(i);
      expect(chain[1].hwirq & 0xffff).toBe(0); // (IRTE index << 16) + sub-handle 0
    }
    expect(mapped(m, 'VECTOR')).toBe(before.vectorMapped + 5);
  });

  it('step 5: early activation writes remappable messages; index 0 parks on 0xef (reservation mode)', () => {
    const { m } = s1();
    const dev = m.devices.get(NVME)!;
    for (let i = 0; i < 5; i++) expect(dev.msixCap!.table[i].addressLo & 0x18).toBe(0x18); // format = 1, SHV = 1
    const v0 = view(m, virqOf(m, NVME, 0));
    expect(v0.hwVector).toBe(0xef);
    expect(v0.activated).toBe(false);
    expect(v0.stateNames).toContain('IRQD_CAN_RESERVE');
  });

  it('step 6: request_irq() assigns real vectors (index 0 on the CPU with most avl, reservation consumed; 1-4 managed: mac +1); /proc/interrupts rows', () => {
    const { m, before } = s1();
    const avl = m.view().cpus.map((c) => c.available);
    const best = avl.indexOf(Math.max(...avl));
    for (let i = 0; i < 5; i++) ok(m, { op: 'request_irq', dev: NVME, index: i, name: `nvme0q${i}` });
    const v0 = view(m, virqOf(m, NVME, 0));
    expect(v0.cpu).toBe(best);
    expect(v0.hwVector).not.toBe(0xef);
    expect(m.view().matrix!.globalReserved).toBe(before.matrix.globalReserved);
    m.view().cpus.forEach((c, i) => expect(c.managedAllocated).toBe(before.cpus[i].managedAllocated + 1));
    const proc = procInterrupts(m);
    for (let i = 0; i < 5; i++) expect(proc).toMatch(new RegExp(`^ +${virqOf(m, NVME, i)}:.* IR-PCI-MSIX-0000:3d:00.0 +${i}-edge +nvme0q${i}$`, 'm'));
  });

  it('step 7: smp_affinity of the unmanaged vector → new vector on CPU3, only the IRTE is rewritten, the old vector goes with the cleanup timer', () => {
    const { m } = s1();
    for (let i = 0; i < 5; i++) ok(m, { op: 'request_irq', dev: NVME, index: i, name: `nvme0q${i}` });
    const virq = virqOf(m, NVME, 0);
    const dev = m.devices.get(NVME)!;
    const msgBefore = { ...dev.msixCap!.table[0] };
    const old = { cpu: view(m, virq).cpu, vector: view(m, virq).vector };
    const r = ok(m, { op: 'write_irq_affinity', virq, cpus: [3] });
    expect(view(m, virq).effectiveAffinity).toEqual([3]);
    expect(formatTrace(r.trace)).toMatch(/modify_irte: IRTE \d+ ← present, vector 0x[0-9a-f]+, dest APIC ID 3/);
    expect(formatTrace(r.trace)).toContain('IRQ_SET_MASK_OK_DONE');
    expect(dev.msixCap!.table[0]).toEqual(msgBefore);
    expect(m.x86.vector.matrix.isAllocated(old.cpu, old.vector)).toBe(true);
    ok(m, { op: 'msleep', ms: 4 });
    expect(m.x86.vector.matrix.isAllocated(old.cpu, old.vector)).toBe(false);
    expect(apicChipData(m.k.descs.get(virq)!.irqData)!.prevVector).toBe(0);
  });

  it('step 7: the same write on a managed vector fails: -EPERM on 7.2 (write_irq_affinity() since 6.12; -EIO in the 6.1 of the discussion)', () => {
    const { m } = s1();
    for (let i = 0; i < 5; i++) ok(m, { op: 'request_irq', dev: NVME, index: i, name: `nvme0q${i}` });
    const r = m.apply({ op: 'write_irq_affinity', dev: NVME, index: 1, cpus: [3] });
    expect(r).toMatchObject({ ok: false, errno: -1 });
    expect(r.message).toMatch(/^-EPERM/);
    expect(formatTrace(r.trace)).toContain('managed interrupt');
  });

  it('step 8: without remapping the domain is PCI-MSIX-0000:3d:00.0-12 and a process-context move is deferred to the next interrupt, which rewrites the message', () => {
    const m = machine({ remap: 'none' });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 5, flags: [...ALL_AFF], pre_vectors: 1 });
    ok(m, { op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' });
    expect(m.findDomain('PCI-MSIX-0000:3d:00.0-12')).toBeDefined();
    const virq = virqOf(m, NVME, 0);
    const from = view(m, virq).cpu;
    const to = from === 3 ? 2 : 3;
    const r = ok(m, { op: 'write_irq_affinity', virq, cpus: [to] });
    expect(formatTrace(r.trace)).toContain('IRQCHIP_MOVE_DEFERRED');
    const desc = m.k.descs.get(virq)!;
    expect(irqd(desc.irqData, IRQD.SETAFFINITY_PENDING)).toBe(true);
    expect(debugfsIrq(m, virq)).toContain(`pending:  ${to}\n`);
    expect(view(m, virq).effectiveAffinity).toEqual([from]);
    ok(m, { op: 'raise', dev: NVME, index: 0 });
    expect(view(m, virq).effectiveAffinity).toEqual([to]);
    expect(m.devices.get(NVME)!.msixCap!.table[0].addressLo).toBe((0xfee00000 | (to << 12)) >>> 0);
  });
});

// ---- S2: descriptor stores and the four models ------------------------------------------------

describe('S2: per-device descriptor stores', () => {
  it('step 1: msi_setup_device_data() makes two stores (default, secondary) as devres; MSI-X puts one descriptor per vector at its index', () => {
    const m = machine();
    const r = ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 3, max: 3, flags: ['MSIX'] });
    const dev = m.devices.get(NVME)!;
    expect(formatTrace(r.trace)).toContain('msi_setup_device_data()');
    expect(dev.msi.data!.domains).toHaveLength(2);
    expect(dev.devres.map((e) => e.release)).toEqual(['msi_device_data_release']);
    expect([...dev.msi.data!.domains[MSI_DEFAULT_DOMAIN].store.keys()]).toEqual([0, 1, 2]);
    expect(dev.msi.data!.domains[MSI_SECONDARY_DOMAIN].store.size).toBe(0);
  });

  it('step 1: PCI MSI puts one descriptor at index 0 with nvec_used = n', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NIC, min: 4, max: 4, flags: ['MSI'] });
    const store = m.devices.get(NIC)!.msi.data!.domains[MSI_DEFAULT_DOMAIN].store;
    expect([...store.keys()]).toEqual([0]);
    expect(store.get(0)!.nvecUsed).toBe(4);
  });

  it('step 2: msi_get_virq(): MSI-X → store[i].irq; MSI → desc0.irq + i', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 3, max: 3, flags: ['MSIX'] });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NIC, min: 4, max: 4, flags: ['MSI'] });
    const nvme = m.devices.get(NVME)!;
    const nic = m.devices.get(NIC)!;
    for (let i = 0; i < 3; i++) expect(msiDomainGetVirq(nvme, 0, i)).toBe(nvme.msi.data!.domains[0].store.get(i)!.irq);
    const first = nic.msi.data!.domains[0].store.get(0)!.irq;
    for (let i = 0; i < 4; i++) expect(msiDomainGetVirq(nic, 0, i)).toBe(first + i);
    expect(msiDomainGetVirq(nic, 0, 4)).toBe(0);
  });

  // hwsize of the PCI/MSI device domain: v6.12 drivers/pci/msi/irqdomain.c
  // pci_setup_msi_device_domain(pdev) → pci_create_device_domain(pdev, &pci_msi_template, 1);
  // v7.2 pci_setup_msi_device_domain(pdev, hwsize) called from __pci_enable_msi_range() with
  // nvec = pci_msi_vec_count(dev) (8 for this function's Multiple Message Capable).
  for (const [kernel, hwsize] of [['6.12', 1], ['7.2', 8]] as const) it(`${kernel}: step 4: switching MSI-X → MSI removes the MSI-X device domain and creates IR-PCI-MSI-0000:3d:00.0-11 with hwsize ${hwsize}`, () => {
    const m = createMachine({ ...machine().spec, kernel });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 2, max: 2, flags: ['MSIX'] });
    expect(debugfsDomain(m, 'IR-PCI-MSIX-0000:3d:00.0-12')).not.toBeNull();
    ok(m, { op: 'pci_free_irq_vectors', dev: NVME });
    // the domain outlives pci_free_irq_vectors (devres)
    expect(debugfsDomain(m, 'IR-PCI-MSIX-0000:3d:00.0-12')).not.toBeNull();
    const r = ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSI'] });
    expect(formatTrace(r.trace)).toContain('the IR-PCI-MSIX-0000:3d:00.0-12 domain of the other kind is removed first');
    expect(debugfsDomain(m, 'IR-PCI-MSIX-0000:3d:00.0-12')).toBeNull();
    expect(debugfsDomain(m, 'IR-PCI-MSI-0000:3d:00.0-11')).toMatch(/^name: {3}IR-PCI-MSI-0000:3d:00.0-11/);
    expect(m.view().devices.find((d) => d.name === NVME)!.stores[0].hwsize).toBe(hwsize);
  });
});

describe('S2 step 3: the four models of dev_get_msi_domain() and pci_msi_domain_supports()', () => {
  const dyn = (m: Machine) => pciMsiDomainSupports(m.devices.get(NVME)!, MSI_FLAG.PCI_MSIX_ALLOC_DYN, false);
  const multi = (m: Machine) => pciMsiDomainSupports(m.devices.get(NVME)!, MSI_FLAG.MULTI_PCI_MSI, true);

  it('v2: dev->msi.domain is the MSI parent (INTEL-IR-0-13 or VECTOR); supported_flags allow dynamic MSI-X; multi-MSI only with remapping', () => {
    const ir = machine();
    const noir = machine({ remap: 'none' });
    expect(ir.devices.get(NVME)!.msi.domain!.name).toBe('INTEL-IR-0-13');
    expect(noir.devices.get(NVME)!.msi.domain!.name).toBe('VECTOR');
    expect([dyn(ir), dyn(noir)]).toEqual([true, true]);
    expect([multi(ir), multi(noir)]).toEqual([true, false]);
  });

  it('v1: dev->msi.domain is the global PCI-MSI-3 (INTEL-IR-MSI-0-3 over remapping); its msi_domain_info flags decide: no dynamic MSI-X', () => {
    const ir = machine({ model: 'v1' });
    const noir = machine({ model: 'v1', remap: 'none' });
    expect(ir.devices.get(NVME)!.msi.domain!.name).toBe('INTEL-IR-MSI-0-3');
    expect(noir.devices.get(NVME)!.msi.domain!.name).toBe('PCI-MSI-3');
    expect([dyn(ir), dyn(noir)]).toEqual([false, false]);
    expect([multi(ir), multi(noir)]).toEqual([true, false]);
    expect(pciMsiDomainSupports(ir.devices.get(NVME)!, MSI_FLAG.PCI_MSIX, true)).toBe(true);
  });

  it('v1: neither VECTOR nor the remapping domain is an MSI parent, and the remapping domain has no bus token yet (INTEL-IR-0)', () => {
    const m = machine({ model: 'v1' });
    // DMAR-MSI is the IOMMU's own (dmar0's), on VECTOR beside the remapping domain.
    const names = m.view().domains.map((d) => d.name);
    expect(new Set(names)).toEqual(new Set(['VECTOR', 'INTEL-IR-0', 'IO-APIC-2', 'DMAR-MSI', 'INTEL-IR-MSI-0-3']));
    for (const d of m.view().domains) expect(d.flagNames).not.toContain('IRQ_DOMAIN_FLAG_MSI_PARENT');
  });

  it('nonhier: a non-hierarchical domain: the legacy answers (ALLOW_LEGACY yes, DENY_LEGACY no)', () => {
    const m = machine({ model: 'nonhier' });
    expect(m.devices.get(NVME)!.msi.domain!.name).toBe('PCI-MSI');
    expect(m.view().domains.find((d) => d.name === 'PCI-MSI')!.flagNames).not.toContain('IRQ_DOMAIN_FLAG_HIERARCHY');
    expect([dyn(m), multi(m)]).toEqual([false, true]);
  });

  it('legacy: no domain at all (arch hooks): ALLOW_LEGACY yes, DENY_LEGACY no', () => {
    const m = machine({ model: 'legacy' });
    expect(m.devices.get(NVME)!.msi.domain).toBeNull();
    expect([dyn(m), multi(m)]).toEqual([false, true]);
  });

  it('pci_msix_can_alloc_dyn() is true only on v2', () => {
    for (const model of ['v2', 'v1', 'nonhier', 'legacy'] as const) {
      expect(pciMsixCanAllocDyn(machine({ model }).devices.get(NVME)!)).toBe(model === 'v2');
    }
  });
});

describe('what each model allows and refuses', () => {
  for (const model of ['v1', 'nonhier', 'legacy'] as const) {
    it(`${model}: pci_msix_alloc_irq_at() → -ENOTSUPP even with MSI-X enabled`, () => {
      const m = machine({ model });
      ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
      const r = m.apply({ op: 'pci_msix_alloc_irq_at', dev: NVME, index: 'any' });
      expect(r).toMatchObject({ ok: false, errno: -524 });
      expect(formatTrace(r.trace)).toContain('does not support dynamic MSI-X allocation');
    });

    it(`${model}: pci_create_ims_domain() is refused (IMS needs an MSI parent)`, () => {
      const m = machine({ model });
      expect(m.apply({ op: 'pci_create_ims_domain', dev: NIC })).toMatchObject({ ok: false, errno: -524 });
    });

    it(`${model}: pci_enable_msi_parent_domain() (subdevice parents) is refused`, () => {
      const m = machine({ model });
      ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
      expect(m.apply({ op: 'pci_enable_msi_parent_domain', dev: NVME })).toMatchObject({ ok: false, errno: -19 });
    });
  }

  it('v2: dynamic MSI-X, IMS and subdevice parents are allowed', () => {
    const m = machine();
    const stores = (dev: string) => m.view().devices.find((d) => d.name === dev)!.stores;
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
    // msi_domain_alloc_irq_at(MSI_ANY_INDEX): msi_insert_desc() takes the lowest free index of
    // the store (xa_alloc in [0, hwsize - 1]): 1, next to the vector at index 0.
    const dyn = ok(m, { op: 'pci_msix_alloc_irq_at', dev: NVME, index: 'any' });
    expect(stores(NVME)[0].entries.map((e) => e.index)).toEqual([0, 1]);
    expect(dyn.value).toBe(virqOf(m, NVME, 1));
    expect(view(m, dyn.value as number).msi).toMatchObject({ dev: NVME, index: 1 });
    // The subdevice proposal: the device's PCI/MSI-X domain becomes an MSI parent.
    ok(m, { op: 'pci_enable_msi_parent_domain', dev: NVME });
    expect(m.view().domains.find((d) => d.name === 'IR-PCI-MSIX-0000:3d:00.0-12')!.flagNames).toContain('IRQ_DOMAIN_FLAG_MSI_PARENT');
    // pci_create_ims_domain() (v6.2): msi_create_device_irq_domain(dev, MSI_SECONDARY_DOMAIN,
    // template, hwsize, …) below the remapping parent, bus token DOMAIN_BUS_PCI_DEVICE_IMS (15).
    ok(m, { op: 'pci_create_ims_domain', dev: NIC });
    const ims = stores(NIC).find((st) => st.domid === MSI_SECONDARY_DOMAIN)!;
    expect(ims).toMatchObject({ hwsize: 8, entries: [] });
    const dom = m.view().domains.find((d) => d.name === ims.domain)!;
    expect([dom.parent, dom.busToken, dom.name.endsWith('-15')]).toEqual(['INTEL-IR-0-13', 15, true]);
  });

  it('multi-MSI: 8 vectors with remapping on v2 and v1; 1 on v2/v1 without remapping and on the arch hooks (legacy, nonhier)', () => {
    const got: Record<string, number> = {};
    for (const model of ['v2', 'v1', 'nonhier', 'legacy'] as const) {
      for (const remap of ['intel-ir', 'none'] as const) {
        const m = machine({ model, remap });
        got[`${model}/${remap}`] = ok(m, { op: 'pci_alloc_irq_vectors', dev: NIC, min: 1, max: 8, flags: ['MSI'] }).value as number;
      }
    }
    expect(got).toEqual({
      'v2/intel-ir': 8, 'v2/none': 1, 'v1/intel-ir': 8, 'v1/none': 1,
      'nonhier/intel-ir': 1, 'nonhier/none': 1, 'legacy/intel-ir': 1, 'legacy/none': 1,
    });
  });

  it('legacy: arch_setup_msi_irqs() refuses multi-MSI with 1 after MSI was set up, and the core retries', () => {
    const m = machine({ model: 'legacy' });
    const r = ok(m, { op: 'pci_alloc_irq_vectors', dev: NIC, min: 1, max: 8, flags: ['MSI'] });
    const text = formatTrace(r.trace);
    expect(text).toMatch(/arch_setup_msi_irqs\(\) = 1/);
    expect(text).toMatch(/msi_capability_init\(\) .*= 1/);
    expect(text).toMatch(/arch_setup_msi_irq\(\) = 0/);
  });
});

describe('/proc/interrupts and debugfs per model', () => {
  function withQueues(model: Model, remap: MachineSpec['remap'] = 'intel-ir') {
    const m = machine({ model, remap });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 2, max: 2, flags: ['MSIX'] });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NIC, min: 1, max: 1, flags: ['MSI'] });
    ok(m, { op: 'request_irq', dev: NVME, index: 1, name: 'nvme0q1' });
    ok(m, { op: 'request_irq', dev: NIC, index: 0, name: 'nic' });
    return m;
  }

  it('v2: one chip per device, hwirq = MSI-X index', () => {
    const proc = procInterrupts(withQueues('v2'));
    expect(proc).toMatch(/ IR-PCI-MSIX-0000:3d:00.0 +1-edge +nvme0q1$/m);
    expect(proc).toMatch(/ IR-PCI-MSI-0000:01:00.0 +0-edge +nic$/m);
  });

  it('v1: one chip for all ("IR-PCI-MSI", "PCI-MSI"), hwirq = index | devid << 11 (0000:01:00.0 → 524288)', () => {
    const proc = procInterrupts(withQueues('v1'));
    expect(proc).toMatch(/ IR-PCI-MSI 31981569-edge +nvme0q1$/m);
    expect(proc).toMatch(/ IR-PCI-MSI 524288-edge +nic$/m);
    // 7.2 pads the chip column to the widest chip name set (IR-PCI-MSI): two blanks after PCI-MSI.
    expect(procInterrupts(withQueues('v1', 'none'))).toMatch(/ {2}PCI-MSI {2}524288-edge +nic$/m);
  });

  it('v1: debugfs shows the global domain with MSI but no MSI_DEVICE flag, and the irq chain through it', () => {
    const m = withQueues('v1');
    const dom = debugfsDomain(m, 'INTEL-IR-MSI-0-3')!;
    expect(dom).toContain('IRQ_DOMAIN_FLAG_MSI\n');
    expect(dom).not.toContain('IRQ_DOMAIN_FLAG_MSI_DEVICE');
    expect(dom).toContain(' parent: INTEL-IR-0\n');
    const irq = debugfsIrq(m, virqOf(m, NIC, 0))!;
    expect(irq).toContain('domain:  INTEL-IR-MSI-0-3\n hwirq:   0x80000\n chip:    IR-PCI-MSI\n');
  });

  it('nonhier: chip PCI-MSI, hwirq in the linear domain; debugfs stops at the non-hierarchical level', () => {
    const m = withQueues('nonhier', 'none');
    expect(procInterrupts(m)).toMatch(/ {2}PCI-MSI +2-edge +nic$/m);
    const irq = debugfsIrq(m, virqOf(m, NIC, 0))!;
    expect(irq).toContain('domain:  PCI-MSI\n');
    expect(irq).not.toContain('parent:');
    expect(debugfsDomain(m, 'PCI-MSI')).not.toContain('parent:');
  });

  it('legacy: no domain: the hwirq column is blank and debugfs prints an empty domain', () => {
    const m = withQueues('legacy');
    // No domain: 7.2 prints the hwirq column blank, one wider (" %*s").
    expect(procInterrupts(m)).toMatch(/ IR-PCI-MSI {6}-edge +nic$/m);
    expect(debugfsIrq(m, virqOf(m, NIC, 0))).toContain('domain:  \n hwirq:   0x0\n chip:    IR-PCI-MSI\n');
    // No PCI/MSI domain: only the vector, remapping and IO-APIC domains and the IOMMU's own DMAR-MSI.
    expect(m.view().domains.map((d) => d.name)).toEqual(['VECTOR', 'INTEL-IR-0', 'IO-APIC-2', 'DMAR-MSI']);
  });

  it('legacy: the arch hook assigns the vector at set-up (no reservation mode): the message is live before request_irq', () => {
    const m = machine({ model: 'legacy', remap: 'none' });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
    const v = view(m, virqOf(m, NVME, 0));
    expect(v.activated).toBe(true);
    expect(v.hwVector).not.toBe(0xef);
    expect(v.stateNames).not.toContain('IRQD_CAN_RESERVE');
  });

  it('freeing the vectors leaves a global domain (v1) in place and removes nothing', () => {
    const m = machine({ model: 'v1' });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 2, max: 2, flags: ['MSIX'] });
    const before = m.view().domains.map((d) => d.name);
    ok(m, { op: 'pci_free_irq_vectors', dev: NVME });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSI'] });
    expect(m.view().domains.map((d) => d.name)).toEqual(before);
  });
});
