import { describe, expect, it } from 'vitest';
import { IRQCHIP, IRQ_SET_MASK_OK, type MsiMsg, irqDoSetAffinity } from '../../core/chip';
import { type AllocArg, DOMAIN_BUS } from '../../core/irqdomain';
import { EINVAL } from '../../core/errno';
import { IRQD, irqdSet } from '../../core/irqdesc';
import { irqDomainActivateIrq } from '../../core/irqdomain';
import { MSI_FLAG, msiDomainInfo, msiDomainSetAffinity } from '../../msi/msi';
import { createTestKernel, testPciDev } from './testkernel';
import { X86_VECTOR_MSI_FLAGS_SUPPORTED, irqMsiComposeMsg, msiSetAffinity, x86InitDevMsiInfo } from './msi';
import { VECTOR_RETRIGGERED, apicChipData, irqdCfg, lapicController } from './vector';

describe('__irq_msi_compose_msg / x86_vector_msi_compose_msg', () => {
  it('vector 0x22 on APIC ID 2 is address_lo 0xfee02000, data 0x22 (compatibility format)', () => {
    const msg: MsiMsg = { addressLo: 0, addressHi: 0xdead, data: 0 };
    irqMsiComposeMsg({ vector: 0x22, destApicid: 2 }, msg, false);
    expect(msg).toEqual({ addressLo: 0xfee02000, addressHi: 0, data: 0x22 });
  });

  it('the APIC chip composes the message of an activated interrupt without remapping', () => {
    const k = createTestKernel({ cpus: 4 });
    const pdev = testPciDev(k, '0000:3d:00.0');
    const virq = pdev.alloc(0);
    const d = k.descs.get(virq)!.irqData;
    expect(irqDomainActivateIrq(k, d, false)).toBe(0);
    // lapic_assign_system_vectors() left the 15 ISA vectors on CPU0, so matrix_find_best_cpu()
    // picks CPU1 (most available, first of the ties) and matrix_alloc_area() its lowest free bit,
    // FIRST_EXTERNAL_VECTOR 0x20 (not a system vector since v6.6).
    expect(irqdCfg(d)).toEqual({ vector: 0x20, destApicid: 1 });
    // x86_vector_msi_compose_msg() → __irq_msi_compose_msg(): address 0xfee00000 | APIC ID << 12,
    // data = vector (fixed delivery, edge), address_hi 0.
    const msg: MsiMsg = { addressLo: 0, addressHi: 0xdead, data: 0 };
    lapicController.irqComposeMsiMsg!(d, k, msg);
    expect(msg).toEqual({ addressLo: 0xfee01000, addressHi: 0, data: 0x20 });
    // ...and activation wrote exactly that message to the device.
    expect(pdev.writes[pdev.writes.length - 1].msg).toEqual(msg);
  });

  it('DMAR-MSI (dmar=true) puts APIC ID bits 8-31 into address_hi', () => {
    const msg: MsiMsg = { addressLo: 0, addressHi: 0, data: 0 };
    irqMsiComposeMsg({ vector: 0x30, destApicid: 0x1234 }, msg, true);
    expect(msg.addressHi).toBe(0x1200);
    expect(msg.addressLo).toBe(0xfee34000);
  });
});

describe('x86_init_dev_msi_info', () => {
  it('with VECTOR as the real parent: msi_set_affinity, MOVE_DEFERRED, chip flags 0x1430, no multi-MSI', () => {
    const k = createTestKernel();
    const pdev = testPciDev(k, '0000:3d:00.0', 'msi');
    const dom = pdev.dev.msi.data!.domains[0].domain!;
    const info = msiDomainInfo(dom);
    expect(dom.name).toBe('PCI-MSI-0000:3d:00.0-11');
    expect(info.chip.flags).toBe(IRQCHIP.ONESHOT_SAFE | IRQCHIP.SKIP_SET_WAKE | IRQCHIP.AFFINITY_PRE_STARTUP | IRQCHIP.MOVE_DEFERRED);
    expect(info.chip.flags).toBe(0x1430);
    expect(info.chip.irqSetAffinity).toBe(msiSetAffinity);
    expect(info.flags & MSI_FLAG.MULTI_PCI_MSI).toBe(0);
    expect(info.flags & (MSI_FLAG.USE_DEF_DOM_OPS | MSI_FLAG.USE_DEF_CHIP_OPS)).toBe(3);
    expect(info.handler).toBe('handle_edge_irq');
    // x86_msi_prepare(): init_irq_alloc_info(arg, NULL) (no mask), then the alloc type by bus
    // token: PCI_DEVICE_MSI → X86_IRQ_ALLOC_TYPE_PCI_MSI; PCI_DEVICE_MSIX → _PCI_MSIX; else -EINVAL.
    const arg: AllocArg = { type: 'ioapic', hwirq: 0, mask: [3] };
    expect(info.ops.msiPrepare!(k, dom, pdev.dev, 1, arg)).toBe(0);
    expect(arg.type).toBe('msi');
    expect(arg.mask).toBeUndefined();
    const msix = testPciDev(k, '0000:3e:00.0', 'msix').dev.msi.data!.domains[0].domain!;
    const xarg: AllocArg = { type: 'ioapic', hwirq: 0 };
    expect(info.ops.msiPrepare!(k, msix, pdev.dev, 1, xarg)).toBe(0);
    expect(xarg.type).toBe('msix');
    const other = { ...dom, hostData: { ...info, busToken: DOMAIN_BUS.DEVICE_MSI } };
    expect(info.ops.msiPrepare!(k, other, pdev.dev, 1, { type: 'ioapic', hwirq: 0 })).toBe(-EINVAL);
  });

  it('with an IR domain as the real parent (msi_parent_init_dev_msi_info): IR- prefix, 0x430, multi-MSI kept', () => {
    const k = createTestKernel({ remap: 'intel-ir' });
    const pdev = testPciDev(k, '0000:3d:00.0', 'msi');
    const dom = pdev.dev.msi.data!.domains[0].domain!;
    const info = msiDomainInfo(dom);
    expect(dom.name).toBe('IR-PCI-MSI-0000:3d:00.0-11');
    expect(info.chip.name).toBe('IR-PCI-MSI-0000:3d:00.0');
    expect(info.chip.flags).toBe(0x430);
    expect(info.chip.irqSetAffinity).toBe(msiDomainSetAffinity);
    expect(info.flags & MSI_FLAG.MULTI_PCI_MSI).toBe(MSI_FLAG.MULTI_PCI_MSI);
  });

  it('refuses (WARN, false) a child that is not a PCI device MSI/MSI-X domain', () => {
    const k = createTestKernel();
    const info = {
      flags: X86_VECTOR_MSI_FLAGS_SUPPORTED, busToken: DOMAIN_BUS.DEVICE_MSI, hwsize: 0, ops: {},
      chip: { name: 'x', flags: 0 }, handler: '', handlerName: '', allocType: 'msi' as const,
    };
    const dev = { name: 'foo.0', msi: { domain: k.vector, data: null }, devres: [], driver: null };
    expect(x86InitDevMsiInfo(k, dev, k.vector, k.vector, info)).toBe(false);
    expect(k.logs.some((l) => l.text.startsWith('WARNING: x86_init_dev_msi_info'))).toBe(true);
  });
});

describe('msi_set_affinity', () => {
  function started(cpus = 4) {
    const k = createTestKernel({ cpus });
    const pdev = testPciDev(k, '0000:3d:00.0');
    const virq = pdev.alloc(0);
    const d = k.descs.get(virq)!.irqData;
    expect(irqDomainActivateIrq(k, d, false)).toBe(0);
    return { k, pdev, d };
  }

  it('rewrites the message directly while the interrupt is not started', () => {
    const { k, pdev, d } = started();
    const from = apicChipData(d)!.cpu;
    const to = (from + 1) % 4;
    const n = pdev.writes.length;
    expect(msiSetAffinity(d, k, [to], false)).toBe(IRQ_SET_MASK_OK);
    expect(pdev.writes.length).toBe(n + 1);
    expect(pdev.writes[n].msg.addressLo).toBe((0xfee00000 | (to << 12)) >>> 0);
  });

  it('does the two-step update (new vector on the old CPU first) for a started interrupt moving vector and CPU', () => {
    const { k, pdev, d } = started();
    irqdSet(d, IRQD.IRQ_STARTED);
    const a = apicChipData(d)!;
    const from = a.cpu;
    const oldVector = a.vector;
    // Occupy the vector the interrupt has now on the target CPU so the new vector differs.
    const to = (from + 1) % 4;
    k.vs.matrix.assign(to, oldVector);
    const n = pdev.writes.length;
    expect(irqDoSetAffinity(d, k, [to], false)).toBe(IRQ_SET_MASK_OK);
    const cfg = irqdCfg(d)!;
    expect(cfg.vector).not.toBe(oldVector);
    expect(cfg.destApicid).toBe(to);
    expect(pdev.writes.slice(n).map((w) => [w.msg.addressLo, w.msg.data])).toEqual([
      [(0xfee00000 | (from << 12)) >>> 0, cfg.vector],
      [(0xfee00000 | (to << 12)) >>> 0, cfg.vector],
    ]);
    expect(k.vs.irqAt(from, cfg.vector)).toBe(VECTOR_RETRIGGERED);
  });
});
