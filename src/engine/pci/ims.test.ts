// PCI/IMS (v6.2–v6.9, removed in 2024): scenario S3 of the reference replayed step by step, each
// check of pci_create_ims_domain() on its own, the queue-memory bus-lock window, and the text
// views (/proc/interrupts, debugfs) naming the IMS domain and chip as the kernel did.

import { describe, expect, it } from 'vitest';
import { createMachine, type Machine } from '../machine';
import { formatTrace } from '../core/trace';
import { ENODEV, EBUSY, EEXIST, EINVAL, ENOTSUPP, ERANGE } from '../core/errno';
import { debugfsDomain, debugfsIrq, procInterrupts } from '../render';
import type { ImsTemplate, MachineSpec } from '../types';
import { parseScenario } from '../../scenario/validate';
import { IMS_DEVRES_RELEASE, imsRemove } from './ims';
import { calls, count, ok } from '../testing';

const IDXD = '0000:6a:01.0';
const IMS_DOMAIN = `IR-IMS-${IDXD}-15`;
const IMS_CHIP = `IR-IMS-${IDXD}`;

function spec(remap: MachineSpec['remap'], storage: 'device' | 'queue' = 'device', size = 4): MachineSpec {
  return {
    arch: 'x86', cpus: 4, remap, msiModel: 'v2',
    devices: [{ bdf: IDXD, name: 'idxd', msix: { tableSize: 9 }, ims: { storage, size } }],
  };
}

const imsRows = (m: Machine) => m.view().devices.find((d) => d.name === IDXD)!.ims!;
const row = (m: Machine, index: number) => imsRows(m).rows.find((r) => r.index === index)!;

/** A driver that enabled MSI-X for itself and created its IMS domain. */
function withImsDomain(remap: MachineSpec['remap'] = 'intel-ir', storage: 'device' | 'queue' = 'device'): Machine {
  const m = createMachine(spec(remap, storage));
  ok(m, { op: 'pci_alloc_irq_vectors', dev: IDXD, min: 1, max: 1, flags: ['MSIX'] });
  ok(m, { op: 'pci_create_ims_domain', dev: IDXD });
  return m;
}

describe('S3: an IMS secondary domain on x86 with Intel interrupt remapping', () => {
  it('plays out step by step: template, domain, core-managed indexes, affinity through the parent, free, devres', () => {
    const m = createMachine(spec('intel-ir'));
    // The device's own MSI-X keeps working beside IMS.
    ok(m, { op: 'pci_alloc_irq_vectors', dev: IDXD, min: 1, max: 1, flags: ['MSIX'] });

    // 1-2. pci_create_ims_domain(): domain in MSI_SECONDARY_DOMAIN named "<prefix><chip>-<dev>" + "-<bus token>".
    const c = ok(m, { op: 'pci_create_ims_domain', dev: IDXD });
    const text = formatTrace(c.trace);
    expect(text).toContain('MSI_SECONDARY_DOMAIN');
    expect(text).toContain('removed in 2024');
    expect(calls(c.trace)).toEqual(expect.arrayContaining(['pci_create_ims_domain', 'msi_create_device_irq_domain', 'x86_init_dev_msi_info']));
    const dom = m.view().domains.find((d) => d.name === IMS_DOMAIN)!;
    expect(dom).toMatchObject({ kind: 'ims', era: 'removed in 2024', parent: 'INTEL-IR-0-13', busToken: 15, dev: IDXD });
    // HIERARCHY | NAME_ALLOCATED | MSI | MSI_DEVICE
    expect(dom.flags).toBe(0x213);
    const dev = m.view().devices.find((d) => d.name === IDXD)!;
    expect(dev.stores.map((s) => [s.domid, s.domain, s.hwsize])).toEqual([[0, `IR-PCI-MSIX-${IDXD}-12`, 9], [1, IMS_DOMAIN, 4]]);
    expect(dev.devres).toContain(IMS_DEVRES_RELEASE);
    expect(dev.ims).toMatchObject({ storage: 'device', size: 4, domain: IMS_DOMAIN, era: 'removed in 2024', rows: [] });

    // 3. pci_ims_alloc_irq(): MSI_ANY_INDEX, lowest free index, the cookie kept in the descriptor.
    const a0 = ok(m, { op: 'pci_ims_alloc_irq', dev: IDXD, icookie: 0x42 });
    expect(calls(a0.trace).slice(0, 2)).toEqual(['pci_ims_alloc_irq', 'msi_domain_alloc_irq_at']);
    const virq0 = a0.value as number;
    expect(m.k.descs.get(virq0)!.irqData.common.msiDesc).toMatchObject({ msiIndex: 0, icookie: 0x42 });
    expect(ok(m, { op: 'pci_ims_alloc_irq', dev: IDXD }).message).toContain('IMS index 1');
    expect(ok(m, { op: 'msi_domain_alloc_irq_at', dev: IDXD, domain: 'ims', index: 3 }).message).toContain('IMS index 3');
    expect(ok(m, { op: 'msi_domain_alloc_irq_at', dev: IDXD, domain: 'ims', index: 'any' }).message).toContain('IMS index 2');
    // Single vectors only; the chain is IMS → INTEL-IR → VECTOR with hwirq = index.
    const chain = m.view().irqs.find((i) => i.virq === virq0)!.chain;
    expect(chain.map((l) => l.domain)).toEqual([IMS_DOMAIN, 'INTEL-IR-0-13', 'VECTOR']);
    expect(chain[0]).toMatchObject({ hwirq: 0, chip: IMS_CHIP });
    // Not activated yet (no MSI_FLAG_ACTIVATE_EARLY): the slot is masked and empty.
    expect(row(m, 0)).toMatchObject({ virq: virq0, icookie: 0x42, masked: true, addressLo: 0, pending: false });

    // request_irq() activates: the remappable message goes into the slot, then the unmask.
    ok(m, { op: 'request_irq', virq: virq0, name: 'idxd-wq0' });
    const r0 = row(m, 0);
    expect(r0.masked).toBe(false);
    expect((r0.addressLo & 0xfff00010) >>> 0).toBe(0xfee00010); // remappable format (bit 4)
    ok(m, { op: 'raise', dev: IDXD, domain: 'ims', index: 0 });
    expect(count(m, virq0)).toBe(1);

    // 4. Affinity is the parent's: the IRTE changes, the IMS slot is never rewritten.
    const before = { ...row(m, 0) };
    const aff = ok(m, { op: 'irq_set_affinity', virq: virq0, cpus: [3] });
    expect(calls(aff.trace)).toContain('intel_ir_set_affinity');
    expect(formatTrace(aff.trace)).toContain('IRQ_SET_MASK_OK_DONE');
    expect(formatTrace(aff.trace)).not.toContain('IMS slot 0 ←');
    expect(row(m, 0)).toEqual(before);
    ok(m, { op: 'raise', dev: IDXD, domain: 'ims', index: 0 });
    expect(m.k.descs.get(virq0)!.kstat[3]).toBe(1);

    // pci_ims_free_irq() frees one index; the lowest free index is handed out again.
    expect(m.apply({ op: 'pci_ims_free_irq', dev: IDXD, index: 0 })).toMatchObject({ ok: false, errno: -EBUSY });
    ok(m, { op: 'free_irq', virq: virq0 });
    ok(m, { op: 'pci_ims_free_irq', dev: IDXD, index: 0 });
    expect(m.view().devices.find((d) => d.name === IDXD)!.stores[1].entries.map((e) => e.index)).toEqual([1, 2, 3]);
    expect(ok(m, { op: 'pci_ims_alloc_irq', dev: IDXD }).message).toContain('IMS index 0');

    // 5. The domain goes away with the device (devres): what the driver model calls at unbind.
    imsRemove(m.k, m.pciDev(IDXD)!);
    const after = m.view();
    expect(after.domains.some((d) => d.name === IMS_DOMAIN)).toBe(false);
    expect(after.devices.find((d) => d.name === IDXD)!.devres).not.toContain(IMS_DEVRES_RELEASE);
    expect(after.irqs.some((i) => i.chain[0].domain === IMS_DOMAIN)).toBe(false);
    // MSI-X is untouched.
    expect(after.domains.some((d) => d.name === `IR-PCI-MSIX-${IDXD}-12`)).toBe(true);
  });

  it('index space: -ERANGE beyond hwsize, -EBUSY for a taken index and when full, -ENODEV without the domain', () => {
    const bare = createMachine(spec('intel-ir'));
    expect(bare.apply({ op: 'pci_ims_alloc_irq', dev: IDXD })).toMatchObject({ ok: false, errno: -ENODEV });
    const m = withImsDomain();
    for (let i = 0; i < 4; i++) ok(m, { op: 'pci_ims_alloc_irq', dev: IDXD });
    const snap = m.snapshot();
    expect(m.apply({ op: 'msi_domain_alloc_irq_at', dev: IDXD, domain: 'ims', index: 4 })).toMatchObject({ ok: false, errno: -ERANGE });
    expect(m.apply({ op: 'msi_domain_alloc_irq_at', dev: IDXD, domain: 'ims', index: 1 })).toMatchObject({ ok: false, errno: -EBUSY });
    const full = m.apply({ op: 'pci_ims_alloc_irq', dev: IDXD });
    expect(full).toMatchObject({ ok: false, errno: -EBUSY });
    expect(full.message).toContain('no free index');
    expect(m.snapshot()).toBe(snap);
  });

  it('a masked slot keeps the interrupt pending and sends it when unmasked', () => {
    const m = withImsDomain();
    const virq = ok(m, { op: 'pci_ims_alloc_irq', dev: IDXD }).value as number;
    ok(m, { op: 'request_irq', virq, name: 'idxd-wq0' });
    ok(m, { op: 'mask', virq });
    ok(m, { op: 'raise', dev: IDXD, domain: 'ims', index: 0 });
    expect(row(m, 0)).toMatchObject({ masked: true, pending: true });
    expect(count(m, virq)).toBe(0);
    const u = ok(m, { op: 'unmask', virq });
    expect(formatTrace(u.trace)).toContain('was pending: the device sends it now');
    expect(row(m, 0)).toMatchObject({ masked: false, pending: false });
    expect(count(m, virq)).toBe(1);
  });

  it('works under AMD-Vi too (amdvi_msi_parent_ops had MSI_FLAG_PCI_IMS); the IRTE checks the PCI requester', () => {
    const m = withImsDomain('amd-ir');
    expect(m.view().domains.find((d) => d.kind === 'ims')).toMatchObject({ name: IMS_DOMAIN, parent: 'AMD-IR-0-14' });
    const virq = ok(m, { op: 'pci_ims_alloc_irq', dev: IDXD }).value as number;
    ok(m, { op: 'request_irq', virq, name: 'idxd-wq0' });
    ok(m, { op: 'raise', dev: IDXD, domain: 'ims', index: 0 });
    expect(count(m, virq)).toBe(1);
  });
});

describe('S3 with queue memory: irq_bus_lock … irq_bus_sync_unlock', () => {
  it('request_irq() records message and unmask inside the bus-lock window; the sync unlock makes them effective', () => {
    const m = withImsDomain('intel-ir', 'queue');
    const virq = ok(m, { op: 'pci_ims_alloc_irq', dev: IDXD }).value as number;
    const r = ok(m, { op: 'request_irq', virq, name: 'wq0' });
    const seq = calls(r.trace);
    const lock = seq.indexOf('chip_bus_lock');
    const activate = seq.indexOf('irq_domain_activate_irq');
    const startup = seq.indexOf('irq_startup');
    const unlock = seq.indexOf('chip_bus_sync_unlock');
    expect(lock).toBeGreaterThan(seq.indexOf('__setup_irq'));
    expect(lock).toBeLessThan(activate);
    expect(startup).toBeLessThan(unlock);
    const text = formatTrace(r.trace);
    expect(text).toMatch(/queue 0: message address .* recorded, not yet seen by the device/);
    expect(text).toContain('queue 0: unmask recorded');
    expect(text).toContain('irq_bus_sync_unlock: queue command updates queue 0');
    expect(row(m, 0)).toMatchObject({ masked: false, change: null });
    expect(imsRows(m).busLocked).toBe(false);
    ok(m, { op: 'raise', dev: IDXD, domain: 'ims', index: 0 });
    expect(count(m, virq)).toBe(1);
  });

  it('a change made outside the window stays pending (visible) until the next bus-locked call pushes it', () => {
    const m = withImsDomain('intel-ir', 'queue');
    const virq = ok(m, { op: 'pci_ims_alloc_irq', dev: IDXD }).value as number;
    ok(m, { op: 'request_irq', virq, name: 'wq0' });
    // A direct chip mask (no chip_bus_lock): only recorded, the device still sends.
    const mk = ok(m, { op: 'mask', virq });
    expect(formatTrace(mk.trace)).toContain('no irq_bus_lock() window is open');
    expect(row(m, 0)).toMatchObject({ masked: false, change: { masked: true } });
    ok(m, { op: 'raise', dev: IDXD, domain: 'ims', index: 0 });
    expect(count(m, virq)).toBe(1);
    // disable_irq() takes the bus lock: its sync unlock pushes the recorded mask.
    const d = ok(m, { op: 'disable_irq', virq });
    expect(calls(d.trace)).toEqual(expect.arrayContaining(['chip_bus_lock', 'chip_bus_sync_unlock']));
    expect(row(m, 0)).toMatchObject({ masked: true, change: null });
    ok(m, { op: 'raise', dev: IDXD, domain: 'ims', index: 0 });
    expect(row(m, 0).pending).toBe(true);
    expect(count(m, virq)).toBe(1);
    // enable_irq(): the unmask is recorded, then pushed at the unlock, and the pending message goes out.
    const e = ok(m, { op: 'enable_irq', virq });
    expect(formatTrace(e.trace)).toContain('was pending: the device sends it now');
    expect(row(m, 0)).toMatchObject({ masked: false, pending: false, change: null });
    expect(count(m, virq)).toBe(2);
  });

  it('a chip without irq_bus_sync_unlock never makes a queue change effective', () => {
    const m = createMachine(spec('intel-ir', 'queue'));
    ok(m, { op: 'pci_create_ims_domain', dev: IDXD, template: { omit: ['irq_bus_lock', 'irq_bus_sync_unlock'] } });
    const virq = ok(m, { op: 'pci_ims_alloc_irq', dev: IDXD }).value as number;
    ok(m, { op: 'request_irq', virq, name: 'wq0' });
    expect(row(m, 0)).toMatchObject({ masked: true, addressLo: 0, change: { masked: false } });
    ok(m, { op: 'raise', dev: IDXD, domain: 'ims', index: 0 });
    expect(count(m, virq)).toBe(0);
  });
});

describe('pci_create_ims_domain(): each refusal', () => {
  /** The op fails with `errno`, names the reason, and leaves the machine as it was. */
  function refuses(m: Machine, template: ImsTemplate | undefined, errno: number, says: string | RegExp): string {
    const before = m.snapshot();
    const r = m.apply({ op: 'pci_create_ims_domain', dev: IDXD, ...(template ? { template } : {}) });
    expect(r).toMatchObject({ ok: false, errno });
    const text = formatTrace(r.trace);
    expect(text).toMatch(says);
    expect(m.snapshot()).toBe(before);
    expect(m.view().domains.some((d) => d.kind === 'ims')).toBe(false);
    return text;
  }

  it('no MSI parent (legacy arch hooks: dev->msi.domain NULL) → -ENOTSUPP; mainline returned false', () => {
    const m = createMachine({ ...spec('intel-ir'), msiModel: 'legacy' });
    const text = refuses(m, undefined, -ENOTSUPP, 'no MSI domain');
    expect(text).toContain('merged v6.2 returns false');
  });

  it('a domain that is no MSI parent (the global v1 PCI/MSI domain) → -ENOTSUPP', () => {
    const m = createMachine({ ...spec('intel-ir'), msiModel: 'v1' });
    const r = m.apply({ op: 'pci_create_ims_domain', dev: IDXD });
    expect(r.message).toMatch(/not an MSI parent/);
    refuses(m, undefined, -ENOTSUPP, /not an MSI parent \(irq_domain_is_msi_parent\(\) false\)/);
  });

  it('parent without IMS support (VECTOR, no remapping) → -ENOTSUPP from x86_init_dev_msi_info()', () => {
    const m = createMachine(spec('none'));
    const text = refuses(m, undefined, -ENOTSUPP, 'MSI_FLAG_PCI_IMS');
    expect(text).toContain('x86_init_dev_msi_info()');
  });

  it('wrong bus token → -EINVAL', () => {
    refuses(createMachine(spec('intel-ir')), { busToken: 'DOMAIN_BUS_PCI_DEVICE_MSIX' }, -EINVAL, /bus_token is 12, not DOMAIN_BUS_PCI_DEVICE_IMS/);
  });

  it('MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS missing → -EINVAL', () => {
    refuses(createMachine(spec('intel-ir')), { flags: ['MSI_FLAG_FREE_MSI_DESCS'] }, -EINVAL, 'MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS missing');
  });

  it('MSI_FLAG_FREE_MSI_DESCS missing → -EINVAL', () => {
    refuses(createMachine(spec('intel-ir')), { flags: ['MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS'] }, -EINVAL, 'MSI_FLAG_FREE_MSI_DESCS missing');
  });

  it('no irq_mask → -EINVAL', () => {
    refuses(createMachine(spec('intel-ir')), { omit: ['irq_mask'] }, -EINVAL, 'template->chip.irq_mask missing');
  });

  it('no irq_unmask → -EINVAL', () => {
    refuses(createMachine(spec('intel-ir')), { omit: ['irq_unmask'] }, -EINVAL, 'template->chip.irq_unmask missing');
  });

  it('no irq_write_msi_msg → -EINVAL', () => {
    refuses(createMachine(spec('intel-ir')), { omit: ['irq_write_msi_msg'] }, -EINVAL, 'template->chip.irq_write_msi_msg missing');
  });

  it('a chip with irq_set_affinity → -EINVAL', () => {
    refuses(createMachine(spec('intel-ir')), { setAffinity: true }, -EINVAL, 'irq_set_affinity set: IMS affinity belongs to the parent domain');
  });

  it('the template is checked before the parent: a bad template on VECTOR is -EINVAL, not -ENOTSUPP', () => {
    refuses(createMachine(spec('none')), { omit: ['irq_unmask'] }, -EINVAL, 'irq_unmask missing');
  });

  it('a second IMS domain → -EEXIST (the slot is taken; msi_create_device_irq_domain() WARNs)', () => {
    const m = withImsDomain();
    const r = m.apply({ op: 'pci_create_ims_domain', dev: IDXD });
    expect(r).toMatchObject({ ok: false, errno: -EEXIST });
    expect(m.log.some((l) => l.text.includes('already in use'))).toBe(true);
  });

  it('a device without an interrupt message store → -ENODEV', () => {
    const m = createMachine({ arch: 'x86', cpus: 2, remap: 'intel-ir', devices: [{ bdf: IDXD, name: 'x', msix: { tableSize: 2 } }] });
    expect(m.apply({ op: 'pci_create_ims_domain', dev: IDXD })).toMatchObject({ ok: false, errno: -ENODEV });
  });
});

describe('text views of an IMS interrupt', () => {
  it('/proc/interrupts and debugfs name the IMS chip and domain as the kernel did', () => {
    const m = withImsDomain();
    const virq = ok(m, { op: 'pci_ims_alloc_irq', dev: IDXD, icookie: 1 }).value as number;
    ok(m, { op: 'request_irq', virq, name: 'idxd-wq0' });
    const proc = procInterrupts(m);
    const line = proc.split('\n').find((l) => l.trimStart().startsWith(`${virq}:`))!;
    expect(line).toMatch(new RegExp(`${IMS_CHIP}\\s+0-edge\\s+idxd-wq0$`));
    const irq = debugfsIrq(m, virq)!;
    expect(irq).toContain(`device:   ${IDXD}`);
    expect(irq).toContain(`domain:  ${IMS_DOMAIN}\n hwirq:   0x0\n chip:    ${IMS_CHIP}\n`);
    expect(irq).toContain('    domain:  INTEL-IR-0-13\n');
    expect(irq).toContain('        domain:  VECTOR\n');
    const dom = debugfsDomain(m, IMS_DOMAIN)!;
    expect(dom.split('\n').slice(0, 9)).toEqual([
      `name:   ${IMS_DOMAIN}`, ' size:   0', ' mapped: 1', ' flags:  0x00000213',
      '            IRQ_DOMAIN_FLAG_HIERARCHY', '            IRQ_DOMAIN_NAME_ALLOCATED', '            IRQ_DOMAIN_FLAG_MSI',
      '            IRQ_DOMAIN_FLAG_MSI_DEVICE', ' parent: INTEL-IR-0-13',
    ]);
  });

  it('the template name gives the chip name (tglx\'s IDXD example: "PCI-IDXD")', () => {
    const m = createMachine(spec('intel-ir'));
    ok(m, { op: 'pci_create_ims_domain', dev: IDXD, template: { name: 'PCI-IDXD' } });
    expect(m.view().domains.some((d) => d.name === `IR-PCI-IDXD-${IDXD}-15`)).toBe(true);
  });
});

describe('scenario format', () => {
  it('validates the IMS ops and rejects unknown template fields', () => {
    const base = { version: 1, machine: spec('intel-ir') };
    const good = parseScenario(JSON.stringify({ ...base, actions: [
      { op: 'pci_create_ims_domain', dev: IDXD, template: { omit: ['irq_mask'], flags: ['MSI_FLAG_FREE_MSI_DESCS'] } },
      { op: 'msi_domain_alloc_irq_at', dev: IDXD, domain: 'ims', index: 'any', icookie: 7 },
      { op: 'pci_ims_alloc_irq', dev: IDXD },
      { op: 'pci_ims_free_irq', dev: IDXD, index: 0 },
      { op: 'raise', dev: IDXD, domain: 'ims', index: 0 },
    ] }));
    expect(good.ok).toBe(true);
    const bad = parseScenario(JSON.stringify({ ...base, actions: [{ op: 'pci_create_ims_domain', dev: IDXD, template: { chip: 'x' } }] }));
    expect(bad).toMatchObject({ ok: false });
    expect((bad as { error: string }).error).toContain('actions[0].template: unknown field "chip"');
  });
});

describe('arm64: the GICv3 ITS as MSI parent', () => {
  it('the ITS parent has no IMS support: -ENOTSUPP', () => {
    const m = createMachine({ ...spec('none'), arch: 'arm64' });
    const before = m.snapshot();
    expect(m.apply({ op: 'pci_create_ims_domain', dev: IDXD })).toMatchObject({ ok: false, errno: -ENOTSUPP });
    expect(m.snapshot()).toBe(before);
  });
});
