import { describe, expect, it } from 'vitest';
import { IRQ_SET_MASK_OK_DONE, type MsiMsg, irqDoSetAffinity } from '../../core/chip';
import { EINVAL } from '../../core/errno';
import {
  DOMAIN_BUS, irqDomainActivateIrq, irqDomainAllocIrqs, irqDomainDeactivateIrq, irqDomainFreeIrqs,
  irqDomainGetIrqData,
} from '../../core/irqdomain';
import type { Kernel } from '../../core/kernel';
import type { IrqData } from '../../core/irqdesc';
import { createTestKernel, testPciDev } from './testkernel';
import { type IntelIrData, intelFillMsiMsg, irteEntries, irteLookup, pciDevidFromName } from './remap';
import { apicChipData, irqdCfg } from './vector';

/** The level's own irq_compose_msi_msg (the IR chip's message, whatever sits below it). */
function compose(k: Kernel, d: IrqData): MsiMsg {
  const msg: MsiMsg = { addressLo: 0, addressHi: 0, data: 0 };
  d.chip.irqComposeMsiMsg!(d, k, msg);
  return msg;
}

describe('intel_setup_irq_remapping', () => {
  it('creates INTEL-IR-0 with bus token DMAR: INTEL-IR-0-13, flags 0x00000123, size 65536, MSI parent "IR-"', () => {
    const k = createTestKernel({ remap: 'intel-ir' });
    const ir = k.ir!;
    expect(ir.name).toBe('INTEL-IR-0-13');
    expect(ir.busToken).toBe(DOMAIN_BUS.DMAR);
    expect(ir.flags).toBe(0x00000123);
    expect(ir.revmapSize).toBe(65536);
    expect(ir.kind).toBe('remap');
    expect(ir.parent).toBe(k.vector);
    expect((ir.msiParentOps as { prefix: string }).prefix).toBe('IR-');
  });
});

describe('fill_msi_msg (remappable format)', () => {
  it('IRTE index 28 is address_lo 0xfee00398, data 0 (handle in bits 19:5, SHV, format)', () => {
    const msg: MsiMsg = { addressLo: 0, addressHi: 1, data: 7 };
    intelFillMsiMsg(msg, 28, 0);
    expect(msg).toEqual({ addressLo: 0xfee00398, addressHi: 0, data: 0 });
  });
  it('index 0 is 0xfee00018; index 0x8000 puts handle bit 15 into address bit 2: 0xfee0001c', () => {
    const msg: MsiMsg = { addressLo: 0, addressHi: 0, data: 0 };
    intelFillMsiMsg(msg, 0, 0);
    expect(msg.addressLo).toBe(0xfee00018);
    intelFillMsiMsg(msg, 0x8000, 0);
    expect(msg.addressLo).toBe(0xfee0001c);
  });
});

describe('intel_irq_remapping_alloc / alloc_irte', () => {
  it('MSI-X: one IRTE, hwirq = index << 16, message composed by INTEL-IR in remappable format', () => {
    const k = createTestKernel({ remap: 'intel-ir' });
    const pdev = testPciDev(k, '0000:3d:00.0');
    const virq = pdev.alloc(0);
    expect(virq).toBe(24);
    const d = irqDomainGetIrqData(k, k.ir!, virq)!;
    expect(d.chip.name).toBe('INTEL-IR');
    expect(d.chip.flags).toBe(0);
    expect(d.hwirq).toBe(0);
    expect(compose(k, d)).toEqual({ addressLo: 0xfee00018, addressHi: 0, data: 0 });
    const v2 = pdev.alloc(1);
    const d2 = irqDomainGetIrqData(k, k.ir!, v2)!;
    expect(d2.hwirq).toBe(0x10000);
    expect(compose(k, d2).addressLo).toBe(0xfee00038);
  });

  it('multi-MSI of 4 takes a 4-aligned IRTE block with sub-handles 0..3', () => {
    const k = createTestKernel({ remap: 'intel-ir' });
    const one = irqDomainAllocIrqs(k, k.ir!, 1, { type: 'msix', dev: '0000:01:00.0', hwirq: 0 }, null);
    expect(one).toBeGreaterThan(0);
    const virq = irqDomainAllocIrqs(k, k.ir!, 4, { type: 'msi', dev: '0000:3d:00.0', hwirq: 0 }, null);
    expect(virq).toBe(one + 1);
    const levels = [0, 1, 2, 3].map((i) => irqDomainGetIrqData(k, k.ir!, virq + i)!);
    expect(levels.map((d) => d.hwirq)).toEqual([0x40000, 0x40001, 0x40002, 0x40003]);
    expect(levels.map((d) => (d.chipData as IntelIrData).irq2iommu.subHandle)).toEqual([0, 1, 2, 3]);
    expect(levels.map((d) => (d.chipData as IntelIrData).irq2iommu.irteIndex)).toEqual([4, 4, 4, 4]);
    // Every vector's message names handle 4 with its sub-handle; the device sends data 0..3.
    expect(levels.map((d) => compose(k, d))).toEqual([0, 1, 2, 3].map((i) => ({ addressLo: 0xfee00098, addressHi: 0, data: i })));
    // IRTEs 1-3 are left free for single interrupts.
    const next = irqDomainAllocIrqs(k, k.ir!, 1, { type: 'msix', dev: '0000:01:00.0', hwirq: 1 }, null);
    expect(irqDomainGetIrqData(k, k.ir!, next)!.hwirq).toBe(0x10000);
    // Freeing the block (sub-handle 0 clears it all) makes 4-7 allocatable again.
    irqDomainFreeIrqs(k, virq, 4);
    const again = irqDomainAllocIrqs(k, k.ir!, 4, { type: 'msi', dev: '0000:3d:00.0', hwirq: 0 }, null);
    expect(irqDomainGetIrqData(k, k.ir!, again)!.hwirq).toBe(0x40000);
  });

  it('refuses several interrupts at once for anything but multi-MSI (-EINVAL) and leaves nothing behind', () => {
    const k = createTestKernel({ remap: 'intel-ir' });
    const before = k.vs.matrix.snapshot();
    const r = irqDomainAllocIrqs(k, k.ir!, 2, { type: 'msix', dev: '0000:3d:00.0', hwirq: 0 }, null);
    expect(r).toBe(-EINVAL);
    expect(k.vs.matrix.snapshot()).toBe(before);
    expect(k.descs.size).toBe(0);
    expect(k.ir!.mapcount).toBe(0);
  });
});

describe('intel_irq_remapping_activate / _deactivate', () => {
  it('activation writes a present IRTE from the VECTOR cfg; deactivation clears it', () => {
    const k = createTestKernel({ remap: 'intel-ir' });
    const pdev = testPciDev(k, '0000:3d:00.0');
    const virq = pdev.alloc(0);
    const top = k.descs.get(virq)!.irqData;
    // Early activation (reserve) parks the IRTE on 0xef; the MSI core then clears ACTIVATED.
    expect(irteEntries(k.ir!)).toEqual([{ index: 0, vector: 0xef, dest: 0, present: true, sourceId: 0x3d00, virq }]);
    expect(irqDomainActivateIrq(k, top, false)).toBe(0);
    const cfg = irqdCfg(top)!;
    expect(cfg.vector).not.toBe(0xef);
    expect(irteEntries(k.ir!)).toEqual([{ index: 0, vector: cfg.vector, dest: cfg.destApicid, present: true, sourceId: 0x3d00, virq }]);
    irqDomainDeactivateIrq(k, top);
    expect(irteEntries(k.ir!)).toEqual([]);
    expect(irteLookup(k.ir!, 0xfee00018, 0)).toMatchObject({ index: 0, present: false });
    expect(irteEntries(k.ir!, { all: true })).toEqual([{ index: 0, vector: 0, dest: 0, present: false, sourceId: 0x3d00, virq }]);
  });
});

describe('intel_ir_set_affinity', () => {
  it('returns IRQ_SET_MASK_OK_DONE: the IRTE is rewritten, the device message is not, the old vector is queued for cleanup', () => {
    const k = createTestKernel({ remap: 'intel-ir', cpus: 4 });
    const pdev = testPciDev(k, '0000:3d:00.0');
    const virq = pdev.alloc(0);
    const top = k.descs.get(virq)!.irqData;
    expect(irqDomainActivateIrq(k, top, false)).toBe(0);
    const irl = irqDomainGetIrqData(k, k.ir!, virq)!;
    const a = apicChipData(top)!;
    const from = a.cpu;
    const to = (from + 2) % 4;
    const writes = pdev.writes.length;
    const msgBefore = { ...top.common.msiDesc!.msg };
    expect(irl.chip.irqSetAffinity!(irl, k, [to], false)).toBe(IRQ_SET_MASK_OK_DONE);
    expect(pdev.writes.length).toBe(writes);
    expect(top.common.msiDesc!.msg).toEqual(msgBefore);
    expect(irteEntries(k.ir!)[0]).toMatchObject({ index: 0, dest: to, vector: a.vector, present: true });
    expect(a.cpu).toBe(to);
    expect(a.moveInProgress).toBe(false);
    expect(a.cleanupPending).toBe(true);
    expect(k.vs.cleanupList[from]).toContain(a);
  });

  it('through msi_domain_set_affinity on the device chip: still no message write', () => {
    const k = createTestKernel({ remap: 'intel-ir', cpus: 4 });
    const pdev = testPciDev(k, '0000:3d:00.0');
    const virq = pdev.alloc(0);
    const top = k.descs.get(virq)!.irqData;
    irqDomainActivateIrq(k, top, false);
    const writes = pdev.writes.length;
    const to = (apicChipData(top)!.cpu + 1) % 4;
    // intel_ir_set_affinity() answers IRQ_SET_MASK_OK_DONE; irq_do_set_affinity() copies the mask
    // and returns 0 for any IRQ_SET_MASK_OK* (kernel/irq/manage.c).
    expect(irqDoSetAffinity(top, k, [to], false)).toBe(0);
    expect(top.common.affinity).toEqual([to]);
    expect(pdev.writes.length).toBe(writes);
    expect(irteEntries(k.ir!)[0].dest).toBe(to);
  });
});

describe('AMD-IR (drivers/iommu/amd/iommu.c)', () => {
  it('amd_iommu_create_irq_domain: AMD-IR-0-14, flags 0x123, size 0', () => {
    const k = createTestKernel({ remap: 'amd-ir' });
    expect(k.ir!.name).toBe('AMD-IR-0-14');
    expect(k.ir!.flags).toBe(0x123);
    expect(k.ir!.revmapSize).toBe(0);
  });

  it('irq_remapping_alloc: hwirq (devid << 16) + i, per-device table from 0, data = IRTE index', () => {
    const k = createTestKernel({ remap: 'amd-ir' });
    expect(pciDevidFromName('0000:41:00.0')).toBe(0x4100);
    const a = testPciDev(k, '0000:41:00.0');
    const b = testPciDev(k, '0000:42:00.0');
    const va0 = a.alloc(0);
    const va1 = a.alloc(1);
    const vb0 = b.alloc(0);
    const la1 = irqDomainGetIrqData(k, k.ir!, va1)!;
    expect(irqDomainGetIrqData(k, k.ir!, va0)!.hwirq).toBe(0x41000000);
    expect(la1.hwirq).toBe(0x41000000);
    expect(compose(k, la1)).toEqual({ addressLo: 0xfee00000, addressHi: 0, data: 1 });
    expect(compose(k, irqDomainGetIrqData(k, k.ir!, vb0)!)).toEqual({ addressLo: 0xfee00000, addressHi: 0, data: 0 });
    irqDomainActivateIrq(k, k.descs.get(va1)!.irqData, false);
    const cfg = irqdCfg(la1)!;
    expect(irteLookup(k.ir!, 0xfee00000, 1, 0x4100)).toMatchObject({ index: 1, present: true, vector: cfg.vector, dest: cfg.destApicid });
    // Same data from another requester hits that requester's own table.
    expect(irteLookup(k.ir!, 0xfee00000, 1, 0x4200)).toMatchObject({ index: 1, present: false });
    expect(irteLookup(k.ir!, 0xfee00000, 1, 0x4300)).toBeNull();
  });
});
