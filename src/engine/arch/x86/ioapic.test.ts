import { describe, expect, it } from 'vitest';
import { IRQCHIP, IRQ_SET_MASK_OK, IRQ_SET_MASK_OK_DONE, irqChipComposeMsiMsg, type MsiMsg } from '../../core/chip';
import { EEXIST } from '../../core/errno';
import { IRQD, irqd } from '../../core/irqdesc';
import { irqDomainActivateIrq, irqDomainDeactivateIrq, irqDomainGetIrqData } from '../../core/irqdomain';
import { createTestKernel, requested } from './testkernel';
import { ioapicAllocPin, ioapicInit, ioapicPinMessage, ioapicRtes } from './ioapic';
import { irteEntries } from './remap';
import { VECTOR_SHUTDOWN, apicChipData, irqdCfg } from './vector';

describe('mp_irqdomain_create', () => {
  it('one 24-pin IO-APIC: domain IO-APIC-2 under VECTOR, flags 0x3, size 24', () => {
    const k = createTestKernel();
    const dom = ioapicInit(k, k.vector, false);
    expect(dom.name).toBe('IO-APIC-2');
    expect(dom.flags).toBe(0x3);
    expect(dom.revmapSize).toBe(24);
    expect(dom.kind).toBe('ioapic');
    expect(dom.parent).toBe(k.vector);
    expect(k.logs[k.logs.length - 1].text).toBe('IOAPIC[0]: apic_id 2, version 32, address 0xfec00000, GSI 0-23');
  });
});

describe('mp_irqdomain_alloc + vector_configure_legacy', () => {
  it('the IO-APIC timer (irq 0 on pin 2) keeps vector 48 (0x30) on CPU0', () => {
    const k = createTestKernel();
    const dom = ioapicInit(k, k.vector, false);
    expect(ioapicAllocPin(k, dom, { irq: 0, pin: 2, level: false, legacy: true, legacyKeep: true })).toBe(0);
    const desc = k.descs.get(0)!;
    const d = desc.irqData;
    expect(d.hwirq).toBe(2);
    expect(d.chip.name).toBe('IO-APIC');
    expect(d.chip.flags).toBe(IRQCHIP.SKIP_SET_WAKE | IRQCHIP.MOVE_DEFERRED | IRQCHIP.AFFINITY_PRE_STARTUP);
    expect(desc.handleIrq).toBe('handle_edge_irq');
    expect(desc.name).toBe('edge');
    const a = apicChipData(d)!;
    expect([a.vector, a.cpu, a.canReserve, a.hasReserved]).toEqual([48, 0, false, false]);
    expect(k.vs.matrix.isAllocated(0, 0x30)).toBe(true);
    expect(k.vs.irqAt(0, 0x30)).toBe(0);
    expect(irqDomainActivateIrq(k, d, false)).toBe(0);
    expect(ioapicRtes(dom)[2]).toMatchObject({ pin: 2, virq: 0, vector: 0x30, dest: 0, level: false, irFormat: false });
  });

  it('other ISA irqs give the ISA vector back and use reservation mode', () => {
    const k = createTestKernel();
    const dom = ioapicInit(k, k.vector, false);
    expect(ioapicAllocPin(k, dom, { irq: 8, pin: 8, level: false, legacy: true })).toBe(8);
    const a = apicChipData(k.descs.get(8)!.irqData)!;
    expect([a.vector, a.canReserve, a.hasReserved]).toEqual([0, true, true]);
    expect(k.vs.matrix.isAllocated(0, 0x38)).toBe(false);
    expect(k.vs.irqAt(0, 0x38)).toBe(VECTOR_SHUTDOWN);
    expect(k.vs.matrix.reserved()).toBe(1);
  });

  it('acpi (irq 9) is level active-high, PCI INTx (16) level active-low: fasteoi', () => {
    const k = createTestKernel();
    const dom = ioapicInit(k, k.vector, false);
    expect(ioapicAllocPin(k, dom, { irq: 9, pin: 9, level: true, legacy: true })).toBe(9);
    expect(ioapicAllocPin(k, dom, { irq: 16, pin: 16, level: true, legacy: false })).toBe(16);
    for (const irq of [9, 16]) {
      const desc = k.descs.get(irq)!;
      expect(desc.handleIrq).toBe('handle_fasteoi_irq');
      expect(desc.name).toBe('fasteoi');
      expect(irqd(desc.irqData, IRQD.LEVEL)).toBe(true);
      irqDomainActivateIrq(k, desc.irqData, false);
    }
    const rtes = ioapicRtes(dom);
    // Level pins stay masked until startup unmasks them.
    expect(rtes[9]).toMatchObject({ virq: 9, level: true, activeLow: false, masked: true });
    expect(rtes[16]).toMatchObject({ virq: 16, level: true, activeLow: true, masked: true });
  });

  it('a pin that is already mapped is refused with -EEXIST, and nothing is left behind', () => {
    const k = createTestKernel();
    const dom = ioapicInit(k, k.vector, false);
    ioapicAllocPin(k, dom, { irq: 16, pin: 16, level: true, legacy: false });
    const snap = k.vs.matrix.snapshot();
    expect(ioapicAllocPin(k, dom, { irq: 17, pin: 16, level: true, legacy: false })).toBe(-EEXIST);
    expect(k.descs.has(17)).toBe(false);
    expect(k.vs.matrix.snapshot()).toBe(snap);
  });
});

describe('IO-APIC chip', () => {
  it('mask/unmask set and clear the RTE mask bit; deactivate leaves an empty masked entry', () => {
    const k = createTestKernel();
    const dom = ioapicInit(k, k.vector, false);
    ioapicAllocPin(k, dom, { irq: 1, pin: 1, level: false, legacy: true });
    const d = k.descs.get(1)!.irqData;
    irqDomainActivateIrq(k, d, false);
    d.chip.irqUnmask!(d, k);
    expect(ioapicRtes(dom)[1].masked).toBe(false);
    d.chip.irqMask!(d, k);
    expect(ioapicRtes(dom)[1].masked).toBe(true);
    irqDomainDeactivateIrq(k, d);
    expect(ioapicRtes(dom)[1]).toMatchObject({ masked: true, vector: 0, raw: [0x10000, 0] });
  });

  it('ioapic_set_affinity without remapping rewrites the RTE destination and vector', () => {
    const k = createTestKernel({ cpus: 4 });
    const dom = ioapicInit(k, k.vector, false);
    ioapicAllocPin(k, dom, { irq: 16, pin: 16, level: true, legacy: false });
    const d = k.descs.get(16)!.irqData;
    irqDomainActivateIrq(k, d, false);
    const to = (apicChipData(d)!.cpu + 3) % 4;
    expect(d.chip.irqSetAffinity!(d, k, [to], false)).toBe(IRQ_SET_MASK_OK);
    const cfg = irqdCfg(d)!;
    expect(ioapicRtes(dom)[16]).toMatchObject({ dest: to, vector: cfg.vector });
  });

  it('an asserted pin becomes a message that common_interrupt hands to handle_fasteoi_irq', () => {
    const k = createTestKernel();
    const dom = ioapicInit(k, k.vector, false);
    ioapicAllocPin(k, dom, { irq: 9, pin: 9, level: true, legacy: true });
    const desc = k.descs.get(9)!;
    irqDomainActivateIrq(k, desc.irqData, false);
    requested(desc, 'acpi');
    desc.irqData.chip.irqUnmask!(desc.irqData, k);
    const m = ioapicPinMessage(dom, 9)!;
    k.deliverMsi(m.requester, m.msg);
    const cfg = irqdCfg(desc.irqData)!;
    expect(k.last).toEqual({ delivery: { cpu: cfg.destApicid, vector: cfg.vector }, outcome: 'handled' });
    expect(desc.kstat[cfg.destApicid]).toBe(1);
  });
});

describe('IO-APIC under INTEL-IR (IR-IO-APIC)', () => {
  it('chip IR-IO-APIC; the IRTE holds the real vector and the IO-APIC source ID; affinity changes stop at the IRTE', () => {
    const k = createTestKernel({ remap: 'intel-ir', cpus: 4 });
    const dom = ioapicInit(k, k.ir!, true);
    expect(ioapicAllocPin(k, dom, { irq: 0, pin: 2, level: false, legacy: true, legacyKeep: true })).toBe(0);
    const d = k.descs.get(0)!.irqData;
    expect(d.chip.name).toBe('IR-IO-APIC');
    expect(d.chip.flags).toBe(0x410);
    const irl = irqDomainGetIrqData(k, k.ir!, 0)!;
    // The IR level's own message: handle of the IRTE, sub-handle = pin.
    const msg: MsiMsg = { addressLo: 0, addressHi: 0, data: 0 };
    irl.chip.irqComposeMsiMsg!(irl, k, msg);
    expect(msg).toEqual({ addressLo: 0xfee00018, addressHi: 0, data: 2 });
    irqDomainActivateIrq(k, d, false);
    expect(irteEntries(k.ir!)).toEqual([{ index: 0, vector: 0x30, dest: 0, present: true, sourceId: 0xf0f8, virq: 0 }]);
    expect(d.chip.irqSetAffinity!(d, k, [0], false)).toBe(IRQ_SET_MASK_OK_DONE);
  });

  it('the RTE is in remapped format with vector = pin; the IO-APIC\'s request is remapped through the IRTE', () => {
    const k = createTestKernel({ remap: 'intel-ir' });
    const dom = ioapicInit(k, k.ir!, true);
    ioapicAllocPin(k, dom, { irq: 0, pin: 2, level: false, legacy: true, legacyKeep: true });
    const d = k.descs.get(0)!.irqData;
    const msg: MsiMsg = { addressLo: 0, addressHi: 0, data: 0 };
    irqChipComposeMsiMsg(d, k, msg);
    expect(msg.addressLo).toBe(0xfee00018);
    irqDomainActivateIrq(k, d, false);
    expect(ioapicRtes(dom)[2]).toMatchObject({ irFormat: true, irteIndex: 0, vector: 2, dest: -1 });
    // The IO-APIC sends handle 0 without SHV, from its own requester ID; VT-d remaps it.
    const m = ioapicPinMessage(dom, 2)!;
    expect(m.msg).toEqual({ addressLo: 0xfee00010, addressHi: 0, data: 2 });
    expect(m.requester).toBe('f0:1f.0');
    k.deliverMsi(m.requester, m.msg);
    expect(k.last!.delivery).toEqual({ cpu: 0, vector: 0x30 });
  });
});
