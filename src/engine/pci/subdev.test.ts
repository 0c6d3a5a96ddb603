// MSI parent domains for PCI subdevices (the 2024 CXL proposal): scenario S5 of the reference
// replayed step by step, each prerequisite of pci_enable_msi_parent_domain() failing on its own,
// the PoC's pitfalls, and the text views showing the stacked chain.

import { describe, expect, it } from 'vitest';
import { createMachine, type Machine } from '../machine';
import { formatTrace } from '../core/trace';
import { EBUSY, EEXIST, EINVAL, ENODEV, ENOTSUPP } from '../core/errno';
import { MSI_FLAG, msiDomainInfo } from '../msi/msi';
import { debugfsDomain, debugfsIrq, procInterrupts } from '../render';
import type { Action, MachineSpec } from '../types';
import { parseScenario } from '../../scenario/validate';
import { pciMsixDomain, subdevRemove } from './subdev';
import { calls, count, ok } from '../testing';

const PORT = '0000:0c:00.0';
const PMU = 'cxl_pmu.0';
const PMU1 = 'cxl_pmu.1';
const MSIX_DOMAIN = `IR-PCI-MSIX-${PORT}-12`;
const SUB_DOMAIN = `PCI-MSIX-PROXY-SUBDEV-${PMU}-12`;
const SUB_CHIP = `PCI-MSIX-PROXY-SUBDEV-${PMU}`;

function spec(remap: MachineSpec['remap'] = 'intel-ir'): MachineSpec {
  return {
    arch: 'x86', cpus: 4, remap, msiModel: 'v2',
    devices: [{
      bdf: PORT, name: 'cxl_port', msix: { tableSize: 8 }, msi: { vectors: 1, maskable: true, addr64: true },
      subdevices: [{ name: PMU }, { name: PMU1 }],
    }],
  };
}

const dev = (m: Machine, name: string) => m.view().devices.find((d) => d.name === name)!;

/** Steps 1-4 of S5: management vector, MSI parent enabled, subdevice pointed at it and its domain made. */
function prepared(remap: MachineSpec['remap'] = 'intel-ir'): Machine {
  const m = createMachine(spec(remap));
  ok(m, { op: 'pci_alloc_irq_vectors', dev: PORT, min: 1, max: 1, flags: ['MSIX'] });
  ok(m, { op: 'request_irq', dev: PORT, index: 0, name: 'cxl_port-mgmt' });
  ok(m, { op: 'pci_enable_msi_parent_domain', dev: PORT });
  ok(m, { op: 'pci_msi_init_subdevice', subdev: PMU });
  ok(m, { op: 'pci_msi_create_subdevice_irq_domain', subdev: PMU });
  return m;
}

describe('S5: the PCI/MSI-X device domain as the MSI parent of CXL subdevices (proposal)', () => {
  it('plays out step by step on x86 with Intel remapping', () => {
    const m = createMachine(spec());
    // The subdevices exist as devices of their own, children of the PCI function.
    expect(dev(m, PMU)).toMatchObject({ kind: 'subdevice', parent: PORT, msiParent: null, stores: [] });

    // 1. The parent driver enables MSI-X with its management interrupt.
    ok(m, { op: 'pci_alloc_irq_vectors', dev: PORT, min: 1, max: 1, flags: ['MSIX'] });
    ok(m, { op: 'request_irq', dev: PORT, index: 0, name: 'cxl_port-mgmt' });

    // 2. pci_enable_msi_parent_domain(): (A)-(C) pass, the PCI-MSIX domain becomes an MSI parent.
    const en = ok(m, { op: 'pci_enable_msi_parent_domain', dev: PORT });
    const t = formatTrace(en.trace);
    for (const s of ['(A) v2', '(B) MSI-X enabled', '(C) dynamic MSI-X allocation supported', 'pci_msix_parent_ops', 'PCI-MSIX-PROXY-']) expect(t).toContain(s);
    const msix = m.view().domains.find((d) => d.name === MSIX_DOMAIN)!;
    expect(msix.flagNames).toContain('IRQ_DOMAIN_FLAG_MSI_PARENT');
    expect(msix.flags).toBe(0x313);

    // 3. pci_msi_init_subdevice(): dev_set_msi_domain(subdev, PCI-MSIX domain).
    const init = ok(m, { op: 'pci_msi_init_subdevice', subdev: PMU });
    expect(formatTrace(init.trace)).toContain(`dev_set_msi_domain(${PMU}, ${MSIX_DOMAIN})`);
    expect(dev(m, PMU).msiParent).toBe(MSIX_DOMAIN);

    // 4. pci_msi_create_subdevice_irq_domain(): stacked on the PCI-MSIX domain, prefix of the proxy parent.
    const cr = ok(m, { op: 'pci_msi_create_subdevice_irq_domain', subdev: PMU });
    const ct = formatTrace(cr.trace);
    expect(ct).toContain(`stacked: ${SUB_DOMAIN} → ${MSIX_DOMAIN} → INTEL-IR-0-13 → VECTOR`);
    expect(ct).toContain("VECTOR's root mutex");
    expect(ct).toContain('deadlocked');
    expect(calls(cr.trace)).toEqual(expect.arrayContaining(['msi_create_device_irq_domain', 'msi_parent_init_dev_msi_info', 'x86_init_dev_msi_info']));
    const sub = m.view().domains.find((d) => d.name === SUB_DOMAIN)!;
    expect(sub).toMatchObject({ kind: 'subdev', era: 'proposal', parent: MSIX_DOMAIN, dev: PMU, flags: 0x213 });
    expect(dev(m, PMU).stores).toEqual([{ domid: 0, domain: SUB_DOMAIN, hwsize: 8, entries: [] }]);
    // msi_setup_device_data() ran on the subdevice: a devres entry (the "Resources present before probing" pitfall).
    expect(dev(m, PMU).devres).toContain('msi_device_data_release');

    // 5. pci_subdev_msix_alloc_at(): index = MSI-X table index of the PCI device.
    //    Entry 0 is the PCI device's own: the PCI-MSIX level refuses the second mapping.
    const snap = m.snapshot();
    const clash = m.apply({ op: 'pci_subdev_msix_alloc_at', subdev: PMU, index: 0 });
    expect(clash).toMatchObject({ ok: false, errno: -EEXIST });
    expect(clash.message).toContain(`hwirq 0 is already mapped in ${MSIX_DOMAIN}`);
    expect(m.snapshot()).toBe(snap);
    const a = ok(m, { op: 'pci_subdev_msix_alloc_at', subdev: PMU, index: 3 });
    const virq = a.value as number;
    const at = formatTrace(a.trace);
    expect(at).toContain(`desc->dev = ${PORT} (was ${PMU})`);
    expect(at).toContain('root mutex');
    const irq = m.view().irqs.find((i) => i.virq === virq)!;
    expect(irq.chain.map((l) => [l.domain, l.hwirq])).toEqual([
      [SUB_DOMAIN, 3], [MSIX_DOMAIN, 3], ['INTEL-IR-0-13', irq.chain[2].hwirq], ['VECTOR', virq],
    ]);
    expect(irq.chain.map((l) => l.chip)).toEqual([SUB_CHIP, `IR-PCI-MSIX-${PORT}`, 'INTEL-IR', 'APIC']);
    expect(irq.msi).toEqual({ dev: PMU, domid: 0, index: 3 });
    expect(irq.devName).toBe(PMU);
    // It is a real entry of the PCI device's table, owned by the subdevice.
    expect(dev(m, PORT).msixTable.find((e) => e.index === 3)).toMatchObject({ owner: PMU, masked: true });
    // MSI_ANY_INDEX searches the subdevice's store only: it picks 0, which the PCI device owns.
    expect(m.apply({ op: 'pci_subdev_msix_alloc_at', subdev: PMU, index: 'any' })).toMatchObject({ ok: false, errno: -EEXIST });
    ok(m, { op: 'pci_subdev_msix_alloc_at', subdev: PMU, index: 1 });

    // request_irq() writes the PCI device's MSI-X entry 3 (not the aux device's).
    const rq = ok(m, { op: 'request_irq', dev: PMU, index: 3, name: 'cxl_pmu' });
    expect(formatTrace(rq.trace)).toContain('MSI-X table[3] ←');
    const e3 = dev(m, PORT).msixTable.find((e) => e.index === 3)!;
    expect(e3.masked).toBe(false);
    expect((e3.addressLo & 0xfff00010) >>> 0).toBe(0xfee00010);

    // The subdevice raises through the parent's table entry; the IOMMU sees the PCI requester ID.
    const rs = ok(m, { op: 'raise', dev: PMU, index: 3 });
    expect(formatTrace(rs.trace)).toContain(`${PORT} writes`);
    expect(count(m, virq)).toBe(1);

    // Affinity: the subdevice chip forwards to the PCI-MSIX chip, remapping answers OK_DONE.
    const target = (m.k.descs.get(virq)!.irqData.common.effectiveAffinity[0] + 1) % 4;
    const af = ok(m, { op: 'irq_set_affinity', dev: PMU, index: 3, cpus: [target] });
    expect(calls(af.trace)).toEqual(expect.arrayContaining(['msi_domain_set_affinity', 'intel_ir_set_affinity']));
    expect(formatTrace(af.trace)).not.toContain('MSI-X table[3] ←');
    ok(m, { op: 'raise', dev: PMU, index: 3 });
    expect(m.k.descs.get(virq)!.kstat[target]).toBe(1);

    // The PCI device's own dynamic MSI-X allocation collides with the subdevice's entry.
    expect(m.apply({ op: 'pci_msix_alloc_irq_at', dev: PORT, index: 1 })).toMatchObject({ ok: false, errno: -EEXIST });

    // pci_subdev_msix_free(): handler first; then the PoC leaves the descriptor behind.
    expect(m.apply({ op: 'pci_subdev_msix_free', subdev: PMU, index: 3 })).toMatchObject({ ok: false, errno: -EBUSY });
    ok(m, { op: 'free_irq', dev: PMU, index: 3 });
    const fr = ok(m, { op: 'pci_subdev_msix_free', subdev: PMU, index: 3 });
    expect(formatTrace(fr.trace)).toContain('lacks MSI_FLAG_FREE_MSI_DESCS');
    expect(m.view().irqs.some((i) => i.virq === virq)).toBe(false);
    expect(dev(m, PMU).stores[0].entries.find((e) => e.index === 3)).toMatchObject({ virq: 0 });
    expect(m.apply({ op: 'pci_subdev_msix_alloc_at', subdev: PMU, index: 3 })).toMatchObject({ ok: false, errno: -EBUSY });
    // The table entry itself is free again for the PCI device.
    ok(m, { op: 'pci_msix_alloc_irq_at', dev: PORT, index: 3 });
  });

  it('the subdevice domain info: pci_msix_parent_ops masks out the generic flags (FREE_MSI_DESCS, ACTIVATE_EARLY…)', () => {
    const m = prepared();
    const info = msiDomainInfo(m.findDomain(SUB_DOMAIN)!);
    expect(info.flags & MSI_FLAG.FREE_MSI_DESCS).toBe(0);
    expect(info.flags & MSI_FLAG.PCI_MSIX_ALLOC_DYN).toBe(MSI_FLAG.PCI_MSIX_ALLOC_DYN);
  });

  it('without remapping the chain is SUBDEV → PCI-MSIX → VECTOR and an affinity change rewrites the table entry', () => {
    const m = prepared('none');
    const virq = ok(m, { op: 'pci_subdev_msix_alloc_at', subdev: PMU, index: 2 }).value as number;
    expect(m.view().irqs.find((i) => i.virq === virq)!.chain.map((l) => l.domain)).toEqual([SUB_DOMAIN, `PCI-MSIX-${PORT}-12`, 'VECTOR']);
    ok(m, { op: 'request_irq', virq, name: 'cxl_pmu' });
    const af = ok(m, { op: 'irq_set_affinity', virq, cpus: [3] });
    expect(formatTrace(af.trace)).toContain('MSI-X table[2] ←');
    ok(m, { op: 'raise', dev: PMU, index: 2 });
    expect(count(m, virq)).toBe(1);
  });

  it('under AMD-Vi the remapping table is the PCI requester\'s (desc->dev rewritten)', () => {
    const m = prepared('amd-ir');
    const virq = ok(m, { op: 'pci_subdev_msix_alloc_at', subdev: PMU, index: 5 }).value as number;
    ok(m, { op: 'request_irq', virq, name: 'cxl_pmu' });
    ok(m, { op: 'raise', dev: PMU, index: 5 });
    expect(count(m, virq)).toBe(1);
  });

  it('two subdevices share the table: each takes its own entries', () => {
    const m = prepared();
    ok(m, { op: 'pci_msi_init_subdevice', subdev: PMU1 });
    ok(m, { op: 'pci_msi_create_subdevice_irq_domain', subdev: PMU1 });
    ok(m, { op: 'pci_subdev_msix_alloc_at', subdev: PMU, index: 4 });
    expect(m.apply({ op: 'pci_subdev_msix_alloc_at', subdev: PMU1, index: 4 })).toMatchObject({ ok: false, errno: -EEXIST });
    ok(m, { op: 'pci_subdev_msix_alloc_at', subdev: PMU1, index: 5 });
    const owners = dev(m, PORT).msixTable.filter((e) => e.owner).map((e) => [e.index, e.owner]);
    expect(owners).toEqual([[4, PMU], [5, PMU1]]);
  });

  it('the PCI device cannot switch to MSI while subdevice domains are stacked on its MSI-X domain', () => {
    const m = prepared();
    ok(m, { op: 'free_irq', dev: PORT, index: 0 });
    ok(m, { op: 'pci_free_irq_vectors', dev: PORT });
    const before = m.snapshot();
    const r = m.apply({ op: 'pci_alloc_irq_vectors', dev: PORT, min: 1, max: 1, flags: ['MSI'] });
    expect(r).toMatchObject({ ok: false, errno: -ENODEV });
    expect(m.snapshot()).toBe(before);
    expect(m.findDomain(SUB_DOMAIN)!.parent!.name).toBe(MSIX_DOMAIN);
  });

  it('the subdevice\'s domain goes with its driver (what the driver model calls at unbind)', () => {
    const m = prepared();
    const virq = ok(m, { op: 'pci_subdev_msix_alloc_at', subdev: PMU, index: 2 }).value as number;
    ok(m, { op: 'request_irq', virq, name: 'cxl_pmu' });
    subdevRemove(m.k, m.subdevice(PMU)!);
    expect(m.findDomain(SUB_DOMAIN)).toBeUndefined();
    expect(m.k.descs.has(virq)).toBe(false);
  });
});

describe('S5 prerequisites and refusals', () => {
  function refuses(m: Machine, a: Action, errno: number, says: string): void {
    const before = m.snapshot();
    const r = m.apply(a);
    expect(r).toMatchObject({ ok: false, errno });
    expect(formatTrace(r.trace)).toContain(says);
    expect(m.snapshot()).toBe(before);
  }

  it('(A) no v2 MSI parent (the global v1 PCI/MSI domain, or legacy arch hooks) → -ENODEV', () => {
    for (const [msiModel, says] of [['v1', 'is no MSI parent'], ['legacy', '(A) no MSI domain at all']] as const) {
      const m = createMachine({ ...spec(), msiModel });
      ok(m, { op: 'pci_alloc_irq_vectors', dev: PORT, min: 1, max: 1, flags: ['MSIX'] });
      refuses(m, { op: 'pci_enable_msi_parent_domain', dev: PORT }, -ENODEV, says);
    }
  });

  it('(B) MSI-X not enabled → -EINVAL', () => {
    refuses(createMachine(spec()), { op: 'pci_enable_msi_parent_domain', dev: PORT }, -EINVAL, '(B) MSI-X is not enabled');
  });

  it('(B) MSI instead of MSI-X → -EINVAL', () => {
    const m = createMachine(spec());
    ok(m, { op: 'pci_alloc_irq_vectors', dev: PORT, min: 1, max: 1, flags: ['MSI'] });
    refuses(m, { op: 'pci_enable_msi_parent_domain', dev: PORT }, -EINVAL, '(B) MSI-X is not enabled');
  });

  it('(C) an MSI-X domain without dynamic allocation (as under an ITS parent) → -ENOTSUPP', () => {
    const m = createMachine(spec());
    ok(m, { op: 'pci_alloc_irq_vectors', dev: PORT, min: 1, max: 1, flags: ['MSIX'] });
    // What a parent without PCI_MSIX_ALLOC_DYN in its supported_flags leaves in the device domain.
    msiDomainInfo(pciMsixDomain(m.pciDev(PORT)!)!).flags &= ~MSI_FLAG.PCI_MSIX_ALLOC_DYN;
    refuses(m, { op: 'pci_enable_msi_parent_domain', dev: PORT }, -ENOTSUPP, '(C)');
  });

  it('pci_msi_init_subdevice() before the PCI device has an MSI-X domain → -ENODEV', () => {
    refuses(createMachine(spec()), { op: 'pci_msi_init_subdevice', subdev: PMU }, -ENODEV, 'has no PCI/MSI-X device domain');
  });

  it('pci_msi_create_subdevice_irq_domain() without pci_msi_init_subdevice() → -ENODEV', () => {
    const m = createMachine(spec());
    ok(m, { op: 'pci_alloc_irq_vectors', dev: PORT, min: 1, max: 1, flags: ['MSIX'] });
    ok(m, { op: 'pci_enable_msi_parent_domain', dev: PORT });
    refuses(m, { op: 'pci_msi_create_subdevice_irq_domain', subdev: PMU }, -ENODEV, 'pci_msi_init_subdevice() has not run');
  });

  it('pci_msi_create_subdevice_irq_domain() before pci_enable_msi_parent_domain() → -ENODEV (the PoC returned true and made nothing)', () => {
    const m = createMachine(spec());
    ok(m, { op: 'pci_alloc_irq_vectors', dev: PORT, min: 1, max: 1, flags: ['MSIX'] });
    ok(m, { op: 'pci_msi_init_subdevice', subdev: PMU });
    refuses(m, { op: 'pci_msi_create_subdevice_irq_domain', subdev: PMU }, -ENODEV, 'the PoC returned true here');
  });

  it('hwsize beyond the PCI device\'s table → -EINVAL', () => {
    const m = createMachine(spec());
    ok(m, { op: 'pci_alloc_irq_vectors', dev: PORT, min: 1, max: 1, flags: ['MSIX'] });
    ok(m, { op: 'pci_enable_msi_parent_domain', dev: PORT });
    ok(m, { op: 'pci_msi_init_subdevice', subdev: PMU });
    refuses(m, { op: 'pci_msi_create_subdevice_irq_domain', subdev: PMU, hwsize: 9 }, -EINVAL, '8-entry MSI-X table');
  });

  it('allocation before the subdevice has a domain → -ENODEV; an unknown subdevice → -ENODEV', () => {
    const m = createMachine(spec());
    refuses(m, { op: 'pci_subdev_msix_alloc_at', subdev: PMU, index: 1 }, -ENODEV, 'msi_domain_alloc_irq_at');
    expect(m.apply({ op: 'pci_subdev_msix_alloc_at', subdev: 'nope.0', index: 1 })).toMatchObject({ ok: false, errno: -ENODEV });
  });
});

describe('text views of a subdevice interrupt', () => {
  it('/proc/interrupts shows the proxy chip; debugfs irqs/N and domains/NAME show the four-level chain', () => {
    const m = prepared();
    const virq = ok(m, { op: 'pci_subdev_msix_alloc_at', subdev: PMU, index: 3 }).value as number;
    ok(m, { op: 'request_irq', virq, name: 'cxl_pmu' });
    const line = procInterrupts(m).split('\n').find((l) => l.trimStart().startsWith(`${virq}:`))!;
    expect(line).toMatch(new RegExp(`${SUB_CHIP}\\s+3-edge\\s+cxl_pmu$`));
    const irq = debugfsIrq(m, virq)!;
    expect(irq).toContain(`device:   ${PMU}\n`);
    const domains = irq.split('\n').filter((l) => l.trim().startsWith('domain:')).map((l) => l.trim());
    expect(domains).toEqual([`domain:  ${SUB_DOMAIN}`, `domain:  ${MSIX_DOMAIN}`, 'domain:  INTEL-IR-0-13', 'domain:  VECTOR']);
    expect(irq).toContain(`     chip:    IR-PCI-MSIX-${PORT}\n`);
    const dom = debugfsDomain(m, SUB_DOMAIN)!;
    expect(dom).toContain(`name:   ${SUB_DOMAIN}\n`);
    expect(dom).toContain(` parent: ${MSIX_DOMAIN}\n`);
    expect(dom).toContain('                IRQ_DOMAIN_FLAG_MSI_PARENT\n');
  });
});

describe('scenario format', () => {
  it('validates the subdevice ops and refuses a subdevice name used twice', () => {
    const good = parseScenario(JSON.stringify({ version: 1, machine: spec(), actions: [
      { op: 'pci_enable_msi_parent_domain', dev: PORT },
      { op: 'pci_msi_init_subdevice', subdev: PMU },
      { op: 'pci_msi_create_subdevice_irq_domain', subdev: PMU, hwsize: 8 },
      { op: 'pci_subdev_msix_alloc_at', subdev: PMU, index: 'any' },
      { op: 'pci_subdev_msix_free', subdev: PMU, index: 1 },
      { op: 'raise', dev: PMU, index: 1 },
    ] }));
    expect(good.ok).toBe(true);
    const dup = spec();
    dup.devices[0].subdevices = [{ name: PMU }, { name: PMU }];
    const bad = parseScenario(JSON.stringify({ version: 1, machine: dup, actions: [] }));
    expect(bad).toMatchObject({ ok: false });
    expect((bad as { error: string }).error).toContain(`duplicate device name ${PMU}`);
  });
});

describe('arm64: the GICv3 ITS as MSI parent', () => {
  it('the ITS gives no PCI_MSIX_ALLOC_DYN: pci_enable_msi_parent_domain() fails check (C) with -ENOTSUPP', () => {
    const m = createMachine({ ...spec('none'), arch: 'arm64' });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: PORT, min: 1, max: 1, flags: ['MSIX'] });
    const before = m.snapshot();
    const r = m.apply({ op: 'pci_enable_msi_parent_domain', dev: PORT });
    expect(r).toMatchObject({ ok: false, errno: -ENOTSUPP });
    expect(formatTrace(r.trace)).toContain('(C)');
    expect(m.snapshot()).toBe(before);
  });
});
