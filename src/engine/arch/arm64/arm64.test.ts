// Behaviour tests of the arm64 model (GICv3 + ITS) through the real machine, one per kernel
// behaviour, each naming the kernel function it checks. Expected text is built from the
// kernel's printf formats, not pasted from model output.

import { describe, expect, it } from 'vitest';
import { createMachine, type Machine } from '../../machine';
import type { TraceNode } from '../../core/trace';
import { IRQD, irqd } from '../../core/irqdesc';
import { ENOTSUPP } from '../../core/errno';
import { debugfsDomain, debugfsIrq, procInterrupts } from '../../render/index';
import type { Action, MachineSpec } from '../../types';
import { type Arm64Platform, ARM64_LAYOUT, itsView } from './platform';
import { GITS_TRANSLATER } from './its';
import { LPI_BASE } from './gicv3';
import { msiRemoveDeviceIrqDomain } from '../../msi/msi';

const BDF = '0002:01:00.0';
/** IORT mapping of the model: segment 2, RID 01:00.0. */
const DEVID = 0x20100;
const GIC = 'irqchip@0x0000000008000000-1';
const ITS = 'irqchip@0x0000000008080000-5';
const DOORBELL = ARM64_LAYOUT.itsBase + GITS_TRANSLATER;

function spec(cpus = 4, extra: MachineSpec['devices'] = [], kernel?: MachineSpec['kernel']): MachineSpec {
  return { arch: 'arm64', ...(kernel ? { kernel } : {}), cpus, devices: [{ bdf: BDF, name: 'nvme', msix: { tableSize: 65 } }, ...extra] };
}

function apply(m: Machine, a: Action) {
  const r = m.apply(a);
  expect(r.ok, `${a.op}: ${r.message}`).toBe(true);
  return r;
}

/** An NVMe-like probe: 5 MSI-X vectors (4 CPUs), vector 0 (admin queue) not managed. */
function nvme(cpus = 4, request = true, kernel?: MachineSpec['kernel']) {
  const m = createMachine(spec(cpus, [], kernel));
  const alloc = apply(m, { op: 'pci_alloc_irq_vectors', dev: BDF, min: 1, max: 65, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 });
  const n = alloc.value as number;
  const virq = Array.from({ length: n }, (_, i) => apply(m, { op: 'pci_irq_vector', dev: BDF, nr: i }).value as number);
  if (request) for (let i = 0; i < n; i++) apply(m, { op: 'request_irq', dev: BDF, index: i, name: `nvme0q${i}` });
  return { m, p: m.platform as Arm64Platform, alloc, virq };
}

/** Every ITS command the trace shows, in order ("MAPD …", "MAPTI …", "SYNC …"). */
function itsCommands(trace: readonly TraceNode[]): string[] {
  const out: string[] = [];
  const walk = (ns: readonly TraceNode[]) => {
    for (const n of ns) {
      if (n.fn.startsWith('its_send_')) out.push(...n.effects.filter((e) => /^[A-Z]+ /.test(e)));
      walk(n.children);
    }
  };
  walk(trace);
  return out;
}

/** The chain of an interrupt, top level first. */
function chain(m: Machine, virq: number) {
  return m.view().irqs.find((i) => i.virq === virq)!.chain;
}

describe('gic_init_bases / its_init_domain: the boot hierarchy', () => {
  it('names the ACPI fwnode domains irqchip@<base> with the WIRED and NEXUS bus tokens', () => {
    const m = createMachine(spec());
    expect(m.k.domains.map((d) => [d.name, d.parent?.name ?? null, d.busToken])).toEqual([
      [GIC, null, 1],
      [ITS, GIC, 5],
    ]);
    expect(m.platform.defaultDomain.name).toBe(GIC);
    // No GICv3 code calls irq_set_default_host(): the debugfs "default" file is empty.
    expect(debugfsDomain(m, 'default')).toBe('');
  });

  it('maps one collection per CPU at boot (MAPC + SYNC, INVALL)', () => {
    const m = createMachine(spec(4));
    const v = itsView(m.platform)!;
    expect(v.collections.map((c) => [c.icid, c.cpu])).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]]);
    expect(v.commands.map((c) => c.cmd)).toEqual(Array.from({ length: 4 }, () => ['MAPC', 'SYNC', 'INVALL']).flat());
    expect(m.view().cpus.map((c) => c.collection)).toEqual([0, 1, 2, 3]);
  });
});

describe('pci_alloc_irq_vectors on the ITS: its_pci_msi_prepare / its_irq_domain_alloc / activate', () => {
  it('creates the ITS-PCI-MSIX device domain and gives managed LPIs from 8192 spread over the collections', () => {
    const { m, p, alloc, virq } = nvme(4, false);
    // irq_calc_affinity_vectors(1, 65) = 1 + min(4 CPUs, 64)
    expect(alloc.value).toBe(5);
    expect(m.k.domains.map((d) => d.name)).toContain(`ITS-PCI-MSIX-${BDF}-12`);
    const view = m.view();
    for (let i = 0; i < 5; i++) {
      const irq = view.irqs.find((x) => x.virq === virq[i])!;
      expect(irq.chain.map((l) => l.hwirq)).toEqual([i, LPI_BASE + i, LPI_BASE + i]);
      expect(irq.managed).toBe(i > 0);
      // managed queue i targets CPU i-1's collection; the admin queue the least loaded CPU
      expect(irq.cpu).toBe(i === 0 ? 0 : i - 1);
      expect(irq.vector).toBe(LPI_BASE + i);
      expect(irq.activated).toBe(true);
    }
    // ITT sized max(nvec, hwsize 65) rounded up: 128 events, 128 LPIs from 8192
    const dev = itsView(p)!.devices[0];
    expect(dev).toMatchObject({ deviceId: DEVID, owner: BDF, nrItes: 128, lpiBase: LPI_BASE, nrLpis: 128, mapped: true });
    expect(dev.events.map((e) => [e.eventId, e.lpi, e.icid])).toEqual([[0, 8192, 0], [1, 8193, 0], [2, 8194, 1], [3, 8195, 2], [4, 8196, 3]]);
    expect(m.view().cpus.map((c) => c.lpis)).toEqual([[8192, 8193], [8194], [8195], [8196]]);
  });

  it('puts MAPD (device → ITT) first in the trace, then a MAPTI + SYNC per vector', () => {
    const { alloc } = nvme(4, false);
    const cmds = itsCommands(alloc.trace);
    expect(cmds[0]).toBe(`MAPD DeviceID 0x${DEVID.toString(16)} Size 6 (128 EventIDs) ITT_addr 0x${(0x8_8000_0000 + DEVID * 0x10000).toString(16)} V 1`);
    const mapti = cmds.filter((c) => c.startsWith('MAPTI'));
    expect(mapti).toEqual([0, 1, 2, 3, 4].map((e) => `MAPTI DeviceID 0x20100 EventID ${e} pINTID ${LPI_BASE + e} ICID ${e === 0 ? 0 : e - 1}`));
    expect(cmds.filter((c) => c.startsWith('SYNC'))).toHaveLength(5);
  });

  it('writes the doorbell address (ITS base + GITS_TRANSLATER) and data = EventID into the MSI-X table', () => {
    const { m } = nvme(4, false);
    const table = m.view().devices.find((d) => d.name === BDF)!.msixTable;
    expect(DOORBELL).toBe(0x08090040);
    expect(table.map((e) => [e.index, e.addressHi, e.addressLo, e.data])).toEqual([0, 1, 2, 3, 4].map((i) => [i, 0, DOORBELL, i]));
  });

  it('a one-vector device still gets an ITT of 2 entries (its_create_device: nr_ites = max(2, nvecs)), and one LPI', () => {
    const m = createMachine(spec(4, [{ bdf: '0000:05:00.0', name: 'nic', msi: { vectors: 1, maskable: true, addr64: true } }]));
    const r = apply(m, { op: 'pci_alloc_irq_vectors', dev: '0000:05:00.0', min: 1, max: 1, flags: ['MSI'] });
    expect(r.value).toBe(1);
    const dev = itsView(m.platform)!.devices.find((d) => d.deviceId === 0x500)!;
    expect(dev).toMatchObject({ nrItes: 2, nrLpis: 1 });
    // MAPD carries ilog2(nr_ites) - 1 (its_encode_size(cmd, size - 1)): 0 for two EventIDs.
    const text = JSON.stringify(r.trace);
    expect(text).toContain(`MAPD DeviceID 0x500 Size 0 (2 EventIDs)`);
  });

  it('multi-message MSI gets an aligned block of events in an ITT of that many entries (MULTI_PCI_MSI on the ITS)', () => {
    const m = createMachine(spec(4, [{ bdf: '0000:05:00.0', name: 'nic', msi: { vectors: 4, maskable: true, addr64: true } }]));
    const r = apply(m, { op: 'pci_alloc_irq_vectors', dev: '0000:05:00.0', min: 1, max: 4, flags: ['MSI'] });
    expect(r.value).toBe(4);
    const dev = itsView(m.platform)!.devices.find((d) => d.deviceId === 0x500)!;
    expect(dev).toMatchObject({ nrItes: 4, nrLpis: 4 });
    expect(dev.events.map((e) => e.eventId)).toEqual([0, 1, 2, 3]);
    expect(m.view().devices.find((d) => d.name === '0000:05:00.0')!.msiCap).toMatchObject({ enabled: true, mme: 2 });
  });
});

describe('the ITS delivery path: device write → ITT → redistributor → handle_fasteoi_irq', () => {
  it('request_irq then raise counts on the CPU of the event\'s collection, hop by hop', () => {
    const { m, virq } = nvme();
    for (let i = 0; i < 5; i++) {
      const r = apply(m, { op: 'raise', dev: BDF, index: i });
      const cpu = i === 0 ? 0 : i - 1;
      expect(r.hops.map((h) => h.stage)).toEqual(['device', 'its', 'cpu', 'handler']);
      expect(r.hops[1]).toMatchObject({ domain: ITS, cpu, vector: LPI_BASE + i });
      expect(r.hops[2]).toMatchObject({ domain: GIC, cpu, virq: virq[i] });
      expect(m.k.descs.get(virq[i])!.kstat).toEqual([0, 1, 2, 3].map((c) => (c === cpu ? 1 : 0)));
    }
  });

  it('a raise before request_irq waits in the Pending Bit Array and is handled once, after irq_startup()', () => {
    const { m, virq } = nvme(4, false);
    const early = apply(m, { op: 'raise', dev: BDF, index: 2 });
    expect(early.hops.map((h) => h.stage)).toEqual(['pending']);
    const req = apply(m, { op: 'request_irq', dev: BDF, index: 2, name: 'q2' });
    // pci_irq_startup_msix(): ITS unmask, then the PCI entry: the device sends; the CPU takes the
    // LPI only once the start is over (check_irq_resend → its_irq_retrigger → INT)
    expect(req.hops.map((h) => h.stage)).toEqual(['its', 'pending', 'cpu', 'handler']);
    expect(itsCommands(req.trace)).toContain('INT DeviceID 0x20100 EventID 2');
    expect(m.k.descs.get(virq[2])!.kstat).toEqual([0, 1, 0, 0]);
    expect(m.view().cpus[1].pendingLpis).toEqual([]);
  });

  it('drops a write whose DeviceID/EventID has no mapping, and says so', () => {
    const { m } = nvme();
    m.k.t.reset();
    m.k.deliverMsi(BDF, { addressLo: DOORBELL, addressHi: 0, data: 77 });
    m.k.deliverMsi('0007:01:00.0', { addressLo: DOORBELL, addressHi: 0, data: 0 });
    const effects = m.k.t.take().flatMap((n) => n.effects);
    expect(effects).toContain('DeviceID 0x20100 EventID 77 has no ITT entry (not mapped by MAPTI): the write is dropped');
    expect(effects).toContain('DeviceID 0x70100 has no valid device table entry (no MAPD): the write is dropped');
    expect(m.sortedDescs().reduce((s, d) => s + d.kstat.reduce((a, b) => a + b, 0), 0)).toBe(0);
  });
});

describe('its_set_affinity: MOVI, IRQ_SET_MASK_OK_DONE', () => {
  it('moves the unmanaged vector with MOVI to the new collection and leaves the MSI-X entry as it was', () => {
    const { m, virq } = nvme();
    const entry = () => m.view().devices[0].msixTable.find((e) => e.index === 0)!;
    const before = entry();
    const r = apply(m, { op: 'write_irq_affinity', dev: BDF, index: 0, cpus: [2, 3] });
    const cmds = itsCommands(r.trace);
    // least loaded of {2, 3}: CPU2 (one managed LPI each, none unmanaged); SYNC at the old collection
    expect(cmds).toEqual(['MOVI DeviceID 0x20100 EventID 0 ICID 2', 'SYNC RDbase 0 (CPU0)']);
    expect(entry()).toEqual(before);
    expect(before).toMatchObject({ addressLo: DOORBELL, data: 0 });
    expect(m.k.descs.get(virq[0])!.irqData.common.effectiveAffinity).toEqual([2]);
    apply(m, { op: 'raise', dev: BDF, index: 0 });
    expect(m.k.descs.get(virq[0])!.kstat).toEqual([0, 0, 1, 0]);
  });

  it('refuses a managed vector (-EPERM on 7.2, -EIO on 6.1: kernel/irq/proc.c) and sends nothing', () => {
    const { m } = nvme();
    const r = m.apply({ op: 'write_irq_affinity', dev: BDF, index: 1, cpus: [3] });
    expect(r.errno).toBe(-1);
    expect(itsCommands(r.trace)).toEqual([]);
    const old = nvme(4, true, '6.1').m.apply({ op: 'write_irq_affinity', dev: BDF, index: 1, cpus: [3] });
    expect(old.errno).toBe(-5);
  });
});

describe('its_mask_irq / its_unmask_irq (MSI_FLAG_PCI_MSI_MASK_PARENT): the LPI configuration table + INV', () => {
  it('mask, raise, unmask: the LPI waits pending in the redistributor and is delivered once at unmask', () => {
    const { m, p, virq } = nvme();
    const desc = m.k.descs.get(virq[2])!;
    const mask = apply(m, { op: 'mask', dev: BDF, index: 2 });
    expect(itsCommands(mask.trace)).toEqual(['INV DeviceID 0x20100 EventID 2', 'SYNC RDbase 1 (CPU1)']);
    expect(p.gic.lpiEnabled(LPI_BASE + 2)).toBe(false);
    // the PCI entry stays unmasked: the ITS does the masking
    expect(m.view().devices[0].msixTable.find((e) => e.index === 2)!.masked).toBe(false);
    const raise = apply(m, { op: 'raise', dev: BDF, index: 2 });
    expect(raise.hops.map((h) => h.stage)).toEqual(['device', 'its', 'pending']);
    expect(desc.kstat).toEqual([0, 0, 0, 0]);
    expect(m.view().cpus[1].pendingLpis).toEqual([LPI_BASE + 2]);
    const unmask = apply(m, { op: 'unmask', dev: BDF, index: 2 });
    expect(unmask.hops.map((h) => h.stage)).toEqual(['cpu', 'handler']);
    expect(desc.kstat).toEqual([0, 1, 0, 0]);
    expect(m.view().cpus[1].pendingLpis).toEqual([]);
    apply(m, { op: 'unmask', dev: BDF, index: 2 });
    expect(desc.kstat).toEqual([0, 1, 0, 0]);
  });

  it('disable_irq, raise, enable_irq: the lazily masked edge is replayed with INT (its_irq_retrigger)', () => {
    const { m, virq } = nvme();
    apply(m, { op: 'disable_irq', dev: BDF, index: 1 });
    apply(m, { op: 'raise', dev: BDF, index: 1 });
    const desc = m.k.descs.get(virq[1])!;
    expect(desc.kstat).toEqual([0, 0, 0, 0]);
    const r = apply(m, { op: 'enable_irq', dev: BDF, index: 1 });
    expect(itsCommands(r.trace)).toContain('INT DeviceID 0x20100 EventID 1');
    expect(desc.kstat).toEqual([1, 0, 0, 0]);
  });
});

describe('pci_msix_alloc_irq_at: no MSI_FLAG_PCI_MSIX_ALLOC_DYN in the ITS supported_flags', () => {
  it('answers -ENOTSUPP and changes nothing', () => {
    const { m } = nvme();
    const before = m.snapshot();
    const r = m.apply({ op: 'pci_msix_alloc_irq_at', dev: BDF, index: 'any' });
    expect(r.ok).toBe(false);
    expect(r.errno).toBe(-ENOTSUPP);
    expect(m.snapshot()).toBe(before);
  });
});

describe('CPU hotplug: migrate_one_irq / irq_affinity_online_cpu on the ITS', () => {
  it('cpu_down shuts the CPU\'s managed LPI down (DISCARD) and moves the rest with MOVI; cpu_up maps it again (MAPC, MAPTI)', () => {
    const { m, virq } = nvme();
    apply(m, { op: 'write_irq_affinity', dev: BDF, index: 0, cpus: [2] });
    const q3 = m.k.descs.get(virq[3])!; // managed to CPU2
    const down = apply(m, { op: 'cpu_down', cpu: 2 });
    const cmds = itsCommands(down.trace);
    expect(cmds).toContain('DISCARD DeviceID 0x20100 EventID 3');
    expect(cmds.find((c) => c.startsWith('MOVI'))).toMatch(/^MOVI DeviceID 0x20100 EventID 0 ICID [013]$/);
    expect(irqd(q3.irqData, IRQD.MANAGED_SHUTDOWN)).toBe(true);
    expect(irqd(q3.irqData, IRQD.IRQ_STARTED)).toBe(false);
    expect(itsView(m.platform)!.devices[0].events.map((e) => e.eventId)).not.toContain(3);
    // the device's write for the shut-down queue finds no ITT entry (its entry is also masked)
    const up = apply(m, { op: 'cpu_up', cpu: 2 });
    expect(itsCommands(up.trace)).toEqual([
      'MAPC ICID 2 RDbase 2 (CPU2) V 1', 'SYNC RDbase 2 (CPU2)', 'INVALL ICID 2',
      'MAPTI DeviceID 0x20100 EventID 3 pINTID 8195 ICID 2', 'SYNC RDbase 2 (CPU2)',
      'INV DeviceID 0x20100 EventID 3', 'SYNC RDbase 2 (CPU2)',
    ]);
    expect(irqd(q3.irqData, IRQD.IRQ_STARTED)).toBe(true);
    apply(m, { op: 'raise', dev: BDF, index: 3 });
    expect(q3.kstat).toEqual([0, 0, 1, 0]);
  });

  it('a vector activated on a CPU that went down before request_irq is moved there by its_set_affinity (MOVI)', () => {
    const { m, virq } = nvme(4, false);
    // vector 0 is activated on CPU0 at allocation but not started: CPU hotplug leaves it
    apply(m, { op: 'cpu_down', cpu: 0 });
    const req = apply(m, { op: 'request_irq', dev: BDF, index: 0, name: 'admin' });
    const desc = m.k.descs.get(virq[0])!;
    const cpu = desc.irqData.common.effectiveAffinity[0];
    expect(cpu).not.toBe(0);
    expect(itsCommands(req.trace)).toContain(`MOVI DeviceID 0x20100 EventID 0 ICID ${cpu}`);
    apply(m, { op: 'raise', dev: BDF, index: 0 });
    expect(desc.kstat[cpu]).toBe(1);
  });

  it('an LPI pending at a sleeping redistributor is taken when its CPU returns', () => {
    const { m, p, virq } = nvme();
    // vector 4 is managed to CPU3; with CPU3 down a raise before shutdown cannot happen, so
    // set the pending bit as a device write racing cpu_down would (INT through the ITS).
    apply(m, { op: 'cpu_down', cpu: 3 });
    const lpi = LPI_BASE + 4;
    p.gic.redists[3].pending.add(lpi);
    p.gic.lpiWriteConfig(lpi, 0, 1);
    const up = apply(m, { op: 'cpu_up', cpu: 3 });
    expect(up.hops.filter((h) => h.stage === 'handler').map((h) => h.virq)).toContain(virq[4]);
    expect(m.k.descs.get(virq[4])!.kstat[3]).toBe(1);
    expect(p.gic.redists[3].pending.size).toBe(0);
  });
});

describe('pci_free_irq_vectors / its_irq_domain_free: the last LPI unmaps the device (6.12)', () => {
  // v6.12 drivers/irqchip/irq-gic-v3-its.c its_irq_domain_free(): "If all interrupts have been
  // freed, start mopping the floor": its_lpi_free(), its_send_mapd(its_dev, 0), its_free_device().
  it('frees the LPIs back to the allocator and sends MAPD V=0; the ITS state is as at boot', () => {
    const boot = createMachine(spec(4, [], '6.12'));
    const { m } = nvme(4, true, '6.12');
    for (let i = 0; i < 5; i++) apply(m, { op: 'free_irq', dev: BDF, index: i });
    const r = apply(m, { op: 'pci_free_irq_vectors', dev: BDF });
    expect(itsCommands(r.trace).at(-1)).toBe('MAPD DeviceID 0x20100 V 0 (unmap)');
    expect(itsView(m.platform)!.devices).toEqual([]);
    expect(itsView(m.platform)!.freeLpis).toBe(itsView(boot.platform)!.freeLpis);
    expect(m.platform.snapshot()).toBe(boot.platform.snapshot());
  });
});

describe('the ITS device lives with the per-device MSI domain (7.2: msi_prepare at creation, msi_teardown)', () => {
  // v7.2 kernel/irq/msi.c msi_create_device_irq_domain(): "if (msi_domain_prepare_irqs(domain, dev,
  // hwsize, &bundle->alloc_info))" once; populate_alloc_info() copies it for every allocation;
  // msi_remove_device_irq_domain(): "info->ops->msi_teardown(domain, info->alloc_data)".
  // irq-gic-its-msi-parent.c its_pci_msi_prepare(): nvec = roundup_pow_of_two(hwsize 65) = 128;
  // irq-gic-v3-its.c its_irq_domain_free() no longer frees the device; its_msi_teardown() does.
  it('7.2: the ITS device (ITT for the table size) is made with the domain, stays after pci_free_irq_vectors, and goes with the domain', () => {
    const boot = createMachine(spec(4, [], '7.2'));
    const m = createMachine(spec(4, [], '7.2'));
    const r = apply(m, { op: 'pci_alloc_irq_vectors', dev: BDF, min: 1, max: 65, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 });
    const text = JSON.stringify(r.trace);
    // its_msi_prepare runs under msi_create_device_irq_domain, not under the allocation.
    const create = r.trace.flatMap(function all(n: TraceNode): TraceNode[] { return [n, ...n.children.flatMap(all)]; })
      .find((n) => n.fn === 'msi_create_device_irq_domain')!;
    expect(JSON.stringify(create)).toContain('its_msi_prepare');
    expect(text.match(/"its_msi_prepare"/g)).toHaveLength(1);
    expect(itsView(m.platform)!.devices).toHaveLength(1);
    expect(itsView(m.platform)!.devices[0]).toMatchObject({ deviceId: DEVID });
    const freed = apply(m, { op: 'pci_free_irq_vectors', dev: BDF });
    expect(itsCommands(freed.trace).some((c) => c.startsWith('MAPD'))).toBe(false);
    expect(itsView(m.platform)!.devices).toHaveLength(1);
    // A new allocation reuses the prepared device: no second MAPD.
    const again = apply(m, { op: 'pci_alloc_irq_vectors', dev: BDF, min: 1, max: 2, flags: ['MSIX'] });
    expect(itsCommands(again.trace).some((c) => c.startsWith('MAPD'))).toBe(false);
    apply(m, { op: 'pci_free_irq_vectors', dev: BDF });
    // The domain goes (msi_device_data_release at unbind; here switching the device to MSI-X's
    // other kind is not possible, so the devres release runs as driver_unbind would run it).
    const dev = m.devices.get(BDF)!;
    m.k.t.on = true;
    msiRemoveDeviceIrqDomain(m.k, dev, 0);
    expect(itsView(m.platform)!.devices).toEqual([]);
    expect(itsView(m.platform)!.freeLpis).toBe(itsView(boot.platform)!.freeLpis);
  });
});

describe('/proc/interrupts on arm64 (CONFIG_GENERIC_IRQ_SHOW_LEVEL, arch_show_interrupts), 6.12', () => {
  // 6.12 show_interrupts(): nr_irqs 64 → prec 3 (7.2's irq_seq_show() starts at 4)
  const P = 3;
  const row = (irq: number, counts: number[], chip: string, hwirq: number, level: string, action: string) =>
    // "%*d: ", "%10u " per CPU, " %8s" chip, " %*lu" hwirq, " %-8s" level, "  %s" action
    `${String(irq).padStart(P)}: ${counts.map((c) => `${String(c).padStart(10)} `).join('')} ${chip.padStart(8)} ${String(hwirq).padStart(P)} ${level.padEnd(8)}  ${action}`;

  it('prints the boot rows, the ITS-PCI-MSIX chip column with Edge, the IPI rows and Err', () => {
    const { m, virq } = nvme(4, true, '6.12');
    apply(m, { op: 'raise', dev: BDF, index: 2 });
    const text = procInterrupts(m);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${' '.repeat(P + 8)}${[0, 1, 2, 3].map((c) => `CPU${String(c).padEnd(8)}`).join('')}`);
    const p = m.platform as Arm64Platform;
    expect(lines).toContain(row(p.boot.archTimer, [0, 0, 0, 0], 'GICv3', 30, 'Level', 'arch_timer'));
    expect(lines).toContain(row(p.boot.uart, [0, 0, 0, 0], 'GICv3', 33, 'Level', 'uart-pl011'));
    expect(lines).toContain(row(virq[2], [0, 1, 0, 0], `ITS-PCI-MSIX-${BDF}`, 2, 'Edge', 'nvme0q2'));
    // "GICv3  30 Level     arch_timer": " %8s" chip, " %*lu" hwirq, " %-8s" level, "  " action
    expect(text).toContain('   GICv3  30 Level     arch_timer');
    const ipis = ['Rescheduling interrupts', 'Function call interrupts', 'CPU stop interrupts', 'CPU stop NMIs',
      'Timer broadcast interrupts', 'IRQ work interrupts', 'CPU backtrace interrupts', 'KGDB roundup interrupts'];
    // "%*s%u:%s" (prec - 1 wide "IPI"), "%10u " per CPU, "      %s"
    const ipiRows = ipis.map((name, i) => `IPI${i}:${'         0 '.repeat(4)}      ${name}`);
    const at = lines.indexOf(ipiRows[0]);
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at, at + 9)).toEqual([...ipiRows, `Err: ${'0'.padStart(10)}`]);
    // the IPI descriptors (IRQ_HIDDEN) and unrequested vectors have no row
    for (let v = p.boot.ipiBase; v < p.boot.ipiBase + 8; v++) expect(lines.some((l) => l.startsWith(`${String(v).padStart(P)}:`))).toBe(false);
    expect(text).not.toContain('NMI:');
  });
});

describe('debugfs on arm64', () => {
  it('irqs/N shows the chain ITS-PCI-MSIX → ITS → GICv3 with the LPI INTID as hwirq and the message', () => {
    // 7.2: _IRQ_PROC_VALID (0x400000) in status for every irq /proc/interrupts lists.
    const { m, virq } = nvme();
    const text = debugfsIrq(m, virq[1])!;
    expect(chain(m, virq[1]).map((l) => [l.domain, l.chip])).toEqual([
      [`ITS-PCI-MSIX-${BDF}-12`, `ITS-PCI-MSIX-${BDF}`], [ITS, 'ITS'], [GIC, 'GICv3'],
    ]);
    const expected = [
      'handler:  handle_fasteoi_irq',
      `device:   ${BDF}`,
      'status:   0x00400000',
      'istate:   0x00004000',
      'ddepth:   0',
      'wdepth:   0',
      // ACTIVATED | AFFINITY_MANAGED | IRQ_STARTED | SINGLE_TARGET | HANDLE_ENFORCE_IRQCTX | AFFINITY_ON_ACTIVATE
      'dstate:   0x19600200',
      `${' '.repeat(12)}IRQD_ACTIVATED`,
      `${' '.repeat(12)}IRQD_IRQ_STARTED`,
      `${' '.repeat(12)}IRQD_SINGLE_TARGET`,
      `${' '.repeat(12)}IRQD_AFFINITY_MANAGED`,
      `${' '.repeat(12)}IRQD_AFFINITY_ON_ACTIVATE`,
      `${' '.repeat(12)}IRQD_HANDLE_ENFORCE_IRQCTX`,
      'node:     0',
      'affinity: 0',
      'effectiv: 0',
      // no "pending:" line: arm64 has no CONFIG_GENERIC_PENDING_IRQ
      `domain:  ITS-PCI-MSIX-${BDF}-12`,
      ' hwirq:   0x1',
      ` chip:    ITS-PCI-MSIX-${BDF}`,
      '  flags:   0x20',
      `${' '.repeat(13)}IRQCHIP_ONESHOT_SAFE`,
      '',
      '  address_hi: 0x00000000',
      '  address_lo: 0x08090040',
      '  msg_data:   0x00000001',
      ' parent:',
      `    domain:  ${ITS}`,
      '     hwirq:   0x2001',
      '     chip:    ITS',
      '      flags:   0x0',
      '     parent:',
      `        domain:  ${GIC}`,
      '         hwirq:   0x2001',
      '         chip:    GICv3',
      '          flags:   0x15',
      `${' '.repeat(21)}IRQCHIP_SET_TYPE_MASKED`,
      `${' '.repeat(21)}IRQCHIP_MASK_ON_SUSPEND`,
      `${' '.repeat(21)}IRQCHIP_SKIP_SET_WAKE`,
      '',
    ].join('\n');
    expect(text).toBe(expected);
  });

  it('domains/<ITS> shows IRQ_DOMAIN_FLAG_ISOLATED_MSI | MSI_PARENT (and the unnamed MSI_IMMUTABLE) above the GICv3 domain', () => {
    const { m } = nvme();
    expect(debugfsDomain(m, ITS)).toBe([
      `name:   ${ITS}`,
      ' size:   0',
      ' mapped: 5',
      ' flags:  0x00000923',
      `${' '.repeat(12)}IRQ_DOMAIN_FLAG_HIERARCHY`,
      `${' '.repeat(12)}IRQ_DOMAIN_NAME_ALLOCATED`,
      `${' '.repeat(12)}IRQ_DOMAIN_FLAG_ISOLATED_MSI`,
      `${' '.repeat(12)}IRQ_DOMAIN_FLAG_MSI_PARENT`,
      ` parent: ${GIC}`,
      `    name:   ${GIC}`,
      '     size:   0',
      // 8 SGIs, the timer PPI, the UART SPI and 5 LPIs
      '     mapped: 15',
      '     flags:  0x00000003',
      `${' '.repeat(16)}IRQ_DOMAIN_FLAG_HIERARCHY`,
      `${' '.repeat(16)}IRQ_DOMAIN_NAME_ALLOCATED`,
      '',
    ].join('\n'));
    expect(debugfsDomain(m, `ITS-PCI-MSIX-${BDF}-12`)).toContain(' flags:  0x00000213\n');
  });
});

describe('determinism and failure', () => {
  it('replays to the same snapshot, ITS command log included, with traces on and off', () => {
    const actions: Action[] = [
      { op: 'pci_alloc_irq_vectors', dev: BDF, min: 1, max: 65, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 },
      { op: 'request_irq', dev: BDF, index: 0, name: 'a' },
      { op: 'write_irq_affinity', dev: BDF, index: 0, cpus: [1, 3] },
      { op: 'cpu_down', cpu: 1 },
      { op: 'raise', dev: BDF, index: 0 },
      { op: 'cpu_up', cpu: 1 },
    ];
    const a = createMachine(spec());
    const b = createMachine(spec(), { trace: false });
    for (const x of actions) expect(b.apply(x).ok).toBe(a.apply(x).ok);
    expect(b.snapshot()).toBe(a.snapshot());
    expect(itsView(b.platform)).toEqual(itsView(a.platform));

    // ...and the replay, step by step, holds what the kernel does with those calls.
    const c = createMachine(spec(), { trace: false });
    const admin = () => c.view().irqs.find((i) => i.msi?.dev === BDF && i.msi.index === 0)!;
    const icid = () => itsView(c.platform)!.devices[0].events[0].icid;
    // irq_calc_affinity_vectors(1, 65) = 1 + 4 CPUs; its_lpi_init() frees the LPI range from 8192,
    // so the device's event 0 is LPI 8192.
    expect(c.apply(actions[0]).value).toBe(5);
    expect(admin().chain.map((l) => l.hwirq)).toEqual([0, 8192, 8192]);
    apply(c, actions[1]);
    // write_irq_affinity {1,3}: its_select_cpu() → cpumask_pick_least_loaded() over the unmanaged
    // LPI counts (0 on both; strictly fewer wins, so the first): CPU1, a MOVI to collection 1.
    apply(c, actions[2]);
    expect([admin().effectiveAffinity, icid()]).toEqual([[1], 1]);
    // cpu_down 1: migrate_one_irq() → affinity ∩ online = {3}.
    apply(c, actions[3]);
    expect([admin().affinity, admin().effectiveAffinity, icid()]).toEqual([[1, 3], [3], 3]);
    // the raise is handled once, on CPU3
    apply(c, actions[4]);
    expect(admin().counts).toEqual([0, 0, 0, 1]);
    // cpu_up does not move an unmanaged interrupt back
    apply(c, actions[5]);
    expect([admin().effectiveAffinity, icid()]).toEqual([[3], 3]);
    expect(c.snapshot()).toBe(a.snapshot());
  });
});

describe('the ITS domain flags and the child chips msi-lib fills, per version', () => {
  // v6.12 drivers/irqchip/irq-gic-v3-its.c: msi_domain_flags = IRQ_DOMAIN_FLAG_ISOLATED_MSI, then
  // "inner_domain->flags |= IRQ_DOMAIN_FLAG_MSI_PARENT" (+ HIERARCHY, NAME_ALLOCATED) = 0x123;
  // v7.2: msi_domain_flags = ISOLATED_MSI | MSI_IMMUTABLE (1 << 11) → 0x923.
  for (const [kernel, flags] of [['6.12', '0x00000123'], ['7.2', '0x00000923']] as const) {
    it(`${kernel}: the ITS domain reads flags ${flags}`, () => {
      const m = createMachine(spec(4, [], kernel));
      expect(m.k.domains.find((d) => d.kind === 'its')!.flags).toBe(parseInt(flags, 16));
      expect(debugfsDomain(m, ITS)).toContain(` flags:  ${flags}\n`);
    });
  }

  // v6.12 irq-msi-lib.c msi_lib_init_dev_msi_info(): "if (!info->chip->irq_eoi) ... irq_chip_eoi_parent;
  // if (!info->chip->irq_ack) ... irq_chip_ack_parent;" for every child; v7.2: only as
  // pops->chip_flags says, and gic_v3_its_msi_parent_ops has .chip_flags = MSI_CHIP_FLAG_SET_EOI.
  for (const [kernel, ack] of [['6.12', true], ['7.2', false]] as const) {
    it(`${kernel}: the ITS-PCI-MSIX chip gets irq_eoi${ack ? ' and irq_ack' : ', no irq_ack'} from msi-lib`, () => {
      const { m, virq } = nvme(4, false, kernel);
      const chip = m.k.descs.get(virq[0])!.irqData.chip;
      expect(typeof chip.irqEoi).toBe('function');
      expect(chip.irqAck !== undefined).toBe(ack);
    });
  }

  // v7.2 drivers/pci/msi/msi.c __pci_enable_msi_range(): pci_setup_msi_device_domain(dev, nvec) with
  // nvec = pci_msi_vec_count(dev) = 8; msi_create_device_irq_domain() prepares the ITS device for
  // hwsize 8: its_pci_msi_prepare() → roundup_pow_of_two(8) = 8 events (its_create_device: nr_ites
  // = max(2, 8)). v6.12: hwsize 1, prepared at the allocation of 2 vectors: 2 events.
  for (const [kernel, ites] of [['6.12', 2], ['7.2', 8]] as const) {
    it(`${kernel}: MSI with 8 capable vectors, 2 allocated: an ITT of ${ites} events`, () => {
      const MSI = '0002:02:00.0';
      const m = createMachine(spec(4, [{ bdf: MSI, name: 'ahci', msi: { vectors: 8, maskable: true, addr64: true } }], kernel));
      apply(m, { op: 'pci_alloc_irq_vectors', dev: MSI, min: 2, max: 2, flags: ['MSI'] });
      const dev = itsView(m.platform)!.devices.find((d) => d.deviceId === 0x20200)!;
      expect(dev.nrItes).toBe(ites);
    });
  }
});

describe('irq_create_fwspec_mapping(): a wired interrupt keeps the firmware trigger as its default', () => {
  it('the PL011 SPI and the timer PPI carry IRQD_DEFAULT_TRIGGER_SET (irqd_set_trigger_type())', () => {
    const m = createMachine(spec());
    const p = m.platform as Arm64Platform;
    for (const virq of [p.boot.uart, p.boot.archTimer]) {
      expect(m.view().irqs.find((i) => i.virq === virq)!.stateNames).toContain('IRQD_DEFAULT_TRIGGER_SET');
    }
  });
});

describe('a refused call leaves the ITS as it was (found by the fuzz suite)', () => {
  const refusedKeepsState = (spec: MachineSpec, actions: Action[]) => {
    const m = createMachine(spec);
    for (const a of actions.slice(0, -1)) m.apply(a);
    const before = m.snapshot();
    const r = m.apply(actions[actions.length - 1]);
    expect(r.ok).toBe(false);
    expect(m.snapshot()).toBe(before);
    return r;
  };

  it('the device its_msi_prepare() finds for its DeviceID is marked shared: not when the allocation is then refused (-ENOSPC)', () => {
    const dev = '0000:01:00.0';
    const r = refusedKeepsState(
      { arch: 'arm64', kernel: '7.2', cpus: 6, msiModel: 'v1', devices: [{ bdf: dev, name: 'dev0', msi: { vectors: 32, maskable: true, addr64: true }, msix: { tableSize: 8 } }] },
      [
        { op: 'pci_alloc_irq_vectors', dev, min: 1, max: 4, flags: ['MSIX'] },
        { op: 'pci_free_irq_vectors', dev },
        { op: 'pci_alloc_irq_vectors', dev, min: 32, max: 32, flags: ['MSI'] },
      ],
    );
    // The 4-event device of DeviceID 0x100 (bus 1) is kept by the global ITS-PCI-MSI domain: no 32 aligned events in it.
    expect(r.errno).toBe(-28);
  });

  it('a device its_msi_prepare() created before the bind failed is gone again (-ENODEV)', () => {
    refusedKeepsState(
      {
        arch: 'arm64', cpus: 8, msiModel: 'v1', devices: [
          { bdf: '0000:01:00.0', name: 'dev0', msi: { vectors: 8, maskable: true, addr64: false }, msix: { tableSize: 4 }, ims: { storage: 'device', size: 3 } },
          { bdf: '0000:02:00.0', name: 'dev1', driver: 'nvme', msi: { vectors: 4, maskable: true, addr64: false }, ims: { storage: 'queue', size: 3 } },
          { bdf: '0000:03:00.0', name: 'dev2', queues: 4, msi: { vectors: 1, maskable: false, addr64: true } },
        ],
      },
      [
        { op: 'driver_bind', dev: '0000:01:00.0', driver: 'idxd' },
        { op: 'driver_bind', dev: '0000:02:00.0', driver: 'nvme' },
        { op: 'driver_bind', dev: '0000:03:00.0', driver: 'pcieport' },
      ],
    );
  });
});
