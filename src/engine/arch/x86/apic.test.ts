import { describe, expect, it } from 'vitest';
import type { MsiMsg } from '../../core/chip';
import { irqDomainActivateIrq, irqDomainAllocIrqs, irqDomainGetIrqData } from '../../core/irqdomain';
import { createTestKernel, requested, testPciDev } from './testkernel';
import { commonInterrupt, x86DeliverMsi } from './apic';
import { VECTOR_RETRIGGERED, VECTOR_SHUTDOWN, VECTOR_UNUSED, apicChipData, irqdCfg } from './vector';

describe('x86 MSI delivery (IOMMU + local APIC)', () => {
  it('compatibility format without remapping: 0xfee02000 / 0x22 reaches CPU2 vector 0x22', () => {
    const k = createTestKernel({ cpus: 4 });
    expect(x86DeliverMsi(k, { vector: k.vs, ir: null }, { addressLo: 0xfee02000, addressHi: 0, data: 0x22 }, '0000:3d:00.0'))
      .toEqual({ cpu: 2, vector: 0x22 });
  });

  it('a write outside 0xfee00000-0xfeefffff is no interrupt', () => {
    const k = createTestKernel();
    const r = x86DeliverMsi(k, { vector: k.vs, ir: null }, { addressLo: 0x12340000, addressHi: 0, data: 0x22 }, '0000:3d:00.0');
    expect('fault' in r).toBe(true);
  });

  it('delivery through a non-present IRTE faults: DMAR [INTR-REMAP] fault reason 0x22', () => {
    const k = createTestKernel({ remap: 'intel-ir' });
    // Allocated, never activated: the IRTE is prepared in software but not written.
    const virq = irqDomainAllocIrqs(k, k.ir!, 1, { type: 'msix', dev: '0000:3d:00.0', hwirq: 0 }, null);
    const irl = irqDomainGetIrqData(k, k.ir!, virq)!;
    const msg: MsiMsg = { addressLo: 0, addressHi: 0, data: 0 };
    irl.chip.irqComposeMsiMsg!(irl, k, msg);
    const r = x86DeliverMsi(k, { vector: k.vs, ir: k.ir }, msg, '0000:3d:00.0');
    expect(r).toEqual({ fault: 'DMAR: [INTR-REMAP] Request device [3d:00.0] fault index 0x0 [fault reason 0x22] Present field in the IRTE entry is clear' });
    expect(k.logs.slice(-2)).toEqual([
      { level: 'err', text: 'DMAR: DRHD: handling fault status reg 2' },
      { level: 'err', text: 'DMAR: [INTR-REMAP] Request device [3d:00.0] fault index 0x0 [fault reason 0x22] Present field in the IRTE entry is clear' },
    ]);
  });

  it('VT-d blocks compatibility-format requests (fault reason 0x25) and wrong requesters (0x26)', () => {
    const k = createTestKernel({ remap: 'intel-ir' });
    const compat = x86DeliverMsi(k, { vector: k.vs, ir: k.ir }, { addressLo: 0xfee14000, addressHi: 0, data: 0x22 }, '0000:c9:05.0');
    expect(compat).toEqual({ fault: 'DMAR: [INTR-REMAP] Request device [c9:05.0] fault index 0xa00 [fault reason 0x25] Blocked a compatibility format interrupt request' });
    const pdev = testPciDev(k, '0000:3d:00.0');
    const virq = pdev.alloc(0);
    irqDomainActivateIrq(k, k.descs.get(virq)!.irqData, false);
    const spoof = x86DeliverMsi(k, { vector: k.vs, ir: k.ir }, { addressLo: 0xfee00018, addressHi: 0, data: 0 }, '0000:3e:00.0');
    expect(spoof).toEqual({ fault: 'DMAR: [INTR-REMAP] Request device [3e:00.0] fault index 0x0 [fault reason 0x26] Blocked an interrupt request due to source-id verification failure' });
  });

  it('a present IRTE delivers its vector to its destination, and common_interrupt runs the handler there', () => {
    const k = createTestKernel({ remap: 'intel-ir' });
    const pdev = testPciDev(k, '0000:3d:00.0');
    const virq = pdev.alloc(0);
    const desc = k.descs.get(virq)!;
    irqDomainActivateIrq(k, desc.irqData, false);
    requested(desc, 'nvme0q0');
    const cfg = irqdCfg(desc.irqData)!;
    k.deliverMsi('0000:3d:00.0', { addressLo: 0xfee00018, addressHi: 0, data: 0 });
    expect(k.last).toEqual({ delivery: { cpu: cfg.destApicid, vector: cfg.vector }, outcome: 'handled' });
    expect(desc.kstat[cfg.destApicid]).toBe(1);
    expect(desc.action[0].handled).toBe(1);
    expect(k.irqContext).toBeNull();
  });
});

describe('common_interrupt', () => {
  it('VECTOR_UNUSED: EOI and pr_emerg "No irq handler for CPU.VECTOR"', () => {
    const k = createTestKernel();
    expect(k.vs.irqAt(1, 55)).toBe(VECTOR_UNUSED);
    expect(commonInterrupt(k, k.vs, 1, 55)).toBe('unused');
    expect(k.logs[k.logs.length - 1]).toEqual({ level: 'emerg', text: 'No irq handler for 1.55' });
  });

  it('VECTOR_SHUTDOWN / VECTOR_RETRIGGERED are reset to unused without a message', () => {
    const k = createTestKernel();
    k.vs.setIrqAt(0, 0x40, VECTOR_SHUTDOWN);
    k.vs.setIrqAt(0, 0x41, VECTOR_RETRIGGERED);
    const n = k.logs.length;
    expect(commonInterrupt(k, k.vs, 0, 0x40)).toBe('unused');
    expect(commonInterrupt(k, k.vs, 0, 0x41)).toBe('unused');
    expect(k.logs.length).toBe(n);
    expect(k.vs.irqAt(0, 0x40)).toBe(VECTOR_UNUSED);
    expect(k.vs.irqAt(0, 0x41)).toBe(VECTOR_UNUSED);
  });

  it('an unused system-range vector is spurious (a parked message on 0xef); 0xff has its own text', () => {
    const k = createTestKernel();
    k.deliverMsi('0000:3d:00.0', { addressLo: 0xfee00000, addressHi: 0, data: 0xef });
    expect(k.last!.outcome).toBe('spurious');
    expect(k.spurious[0]).toBe(1);
    expect(k.logs[k.logs.length - 1]).toEqual({ level: 'info', text: 'Spurious interrupt (vector 0xef) on CPU#0. Acked' });
    expect(commonInterrupt(k, k.vs, 3, 0xff)).toBe('spurious');
    expect(k.logs[k.logs.length - 1].text).toBe('Spurious APIC interrupt (vector 0xFF) on CPU#3, should never happen.');
    expect(commonInterrupt(k, k.vs, 0, 0xec)).toBe('system');
  });

  it('apic_ack_edge: the first interrupt on the new CPU/vector finishes the move (irq_complete_move)', () => {
    const k = createTestKernel({ cpus: 4 });
    const pdev = testPciDev(k, '0000:3d:00.0');
    const virq = pdev.alloc(0);
    const desc = k.descs.get(virq)!;
    const d = desc.irqData;
    irqDomainActivateIrq(k, d, false);
    requested(desc, 'eth0');
    const a = apicChipData(d)!;
    const from = a.cpu;
    const to = (from + 1) % 4;
    d.parentData!.chip.irqSetAffinity!(d.parentData!, k, [to], false);
    expect(a.moveInProgress).toBe(true);
    // An interrupt still arriving on the old vector does not complete the move.
    expect(commonInterrupt(k, k.vs, from, a.prevVector)).toBe('handled');
    expect(a.moveInProgress).toBe(true);
    expect(commonInterrupt(k, k.vs, to, a.vector)).toBe('handled');
    expect(a.moveInProgress).toBe(false);
    expect(a.cleanupPending).toBe(true);
    expect(desc.kstat[from] + desc.kstat[to]).toBe(2);
  });
});
