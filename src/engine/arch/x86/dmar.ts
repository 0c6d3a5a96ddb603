// Models the IOMMUs' own interrupts. Intel: arch/x86/kernel/apic/msi.c (the "DMAR-MSI" domain
// straight on VECTOR, dmar_alloc_hwirq) and drivers/iommu/intel/dmar.c (dmar_set_interrupt:
// request_irq(irq, dmar_fault, IRQF_NO_THREAD, "dmar<seq>")). AMD: drivers/iommu/amd/init.c in
// x2APIC mode (iommu_setup_intcapxt: the "AMD-Vi-MSI" domain on VECTOR, chip "IOMMU-MSI", the
// interrupt programmed into the IOMMU's INTCAPXT registers). Neither is remapped itself: the
// IOMMU delivers its own interrupts to a CPU directly.

import type { Kernel } from '../../core/kernel';
import type { IrqData } from '../../core/irqdesc';
import {
  IRQCHIP, IRQ_SET_MASK_OK, IRQ_SET_MASK_OK_DONE, irqChipAckParent, irqChipRetriggerHierarchy, type IrqChip,
} from '../../core/chip';
import {
  type AllocArg, type IrqDomain, irqDomainAllocIrqs, irqDomainAllocIrqsParent, irqDomainCreate, irqDomainFreeIrqsParent,
  irqDomainGetIrqData,
} from '../../core/irqdomain';
import { requestIrq } from '../../core/manage';
import { type MsiDomainInfo, msiDomainOps, msiDomainSetAffinity } from '../../msi/msi';
import type { MachineSpec } from '../../types';
import { irqdCfg } from './vector';

const dmarMsiController: IrqChip = {
  name: 'DMAR-MSI',
  flags: IRQCHIP.SKIP_SET_WAKE | IRQCHIP.MOVE_DEFERRED | IRQCHIP.AFFINITY_PRE_STARTUP,
  irqAck: irqChipAckParent,
  irqSetAffinity: msiDomainSetAffinity,
  irqRetrigger: irqChipRetriggerHierarchy,
  // dmar_msi_compose_msg() is __irq_msi_compose_msg(.., dmar = true): VECTOR's compose, whose
  // only difference (APIC ID bits 8-31 in address_hi) needs IDs above 255.
};

/** dmar_get_irq_domain(): created once, at the first fault interrupt. */
function dmarGetIrqDomain(k: Kernel, vectorDomain: IrqDomain): IrqDomain {
  const existing = k.domains.find((d) => d.name === 'DMAR-MSI');
  if (existing) return existing;
  const info: MsiDomainInfo = {
    flags: 0, busToken: 0, hwsize: 0, ops: {}, chip: dmarMsiController, handler: 'handle_edge_irq', handlerName: 'edge', allocType: 'dmar',
  };
  return irqDomainCreate(k, 'DMAR-MSI', msiDomainOps, vectorDomain, { hostData: info, kind: 'msi' });
}

/** dmar_set_interrupt(): allocate the IOMMU's fault interrupt (hwirq = seq_id) and request it. */
export function dmarSetInterrupt(k: Kernel, vectorDomain: IrqDomain, seqId: number): number {
  k.t.enter('dmar_set_interrupt', 'DMAR-MSI', 'drivers/iommu/intel/dmar.c');
  const domain = dmarGetIrqDomain(k, vectorDomain);
  const irq = irqDomainAllocIrqs(k, domain, 1, { type: 'dmar', hwirq: seqId, dev: `dmar${seqId}` }, null);
  if (irq <= 0) {
    k.log('err', 'No free IRQ vectors');
    return k.t.leave(-22);
  }
  const desc = k.descs.get(irq)!;
  return k.t.leave(requestIrq(k, desc, `dmar${seqId}`, { fn: 'dmar_fault' }));
}

// ---- AMD-Vi in x2APIC mode: the INTCAPXT interrupts ----

const AMD_FILE = 'drivers/iommu/amd/init.c';

/** MMIO_INTCAPXT_{EVT,PPR,GALOG}_OFFSET: the registers the interrupts are programmed into. */
export const MMIO_INTCAPXT_EVT_OFFSET = 0x170;
export const MMIO_INTCAPXT_PPR_OFFSET = 0x178;
export const MMIO_INTCAPXT_GALOG_OFFSET = 0x180;

/** One IOMMU's INTCAPXT registers: offset → the programmed vector and destination (null: written 0). */
export interface AmdIntcapxt {
  index: number;
  regs: Map<number, { vector: number; dest: number } | null>;
  /** 6.1: one interrupt for the three logs, all three registers written alike (hwirq 0). */
  oneForAll: boolean;
}

function intcapxtRegs(d: IrqData): number[] {
  const iommu = d.chipData as AmdIntcapxt;
  return iommu.oneForAll ? [MMIO_INTCAPXT_EVT_OFFSET, MMIO_INTCAPXT_PPR_OFFSET, MMIO_INTCAPXT_GALOG_OFFSET] : [d.hwirq];
}

/** intcapxt_unmask_irq(): the vector and APIC ID into the register(s). */
function intcapxtUnmaskIrq(d: IrqData, k: Kernel): void {
  const cfg = irqdCfg(d);
  const iommu = d.chipData as AmdIntcapxt;
  for (const off of intcapxtRegs(d)) iommu.regs.set(off, cfg ? { vector: cfg.vector, dest: cfg.destApicid } : null);
  if (k.t.on && cfg) k.t.effect(`INTCAPXT ${intcapxtRegs(d).map((o) => `0x${o.toString(16)}`).join(', ')} ← vector 0x${cfg.vector.toString(16)}, destination APIC ID ${cfg.destApicid}`);
}

/** intcapxt_mask_irq(): the register(s) written 0. */
function intcapxtMaskIrq(d: IrqData, k: Kernel): void {
  const iommu = d.chipData as AmdIntcapxt;
  for (const off of intcapxtRegs(d)) iommu.regs.set(off, null);
  if (k.t.on) k.t.effect(`INTCAPXT ${intcapxtRegs(d).map((o) => `0x${o.toString(16)}`).join(', ')} ← 0`);
}

/** intcapxt_set_affinity(): the parent moves the vector; the register follows at the next unmask. */
function intcapxtSetAffinity(d: IrqData, k: Kernel, mask: readonly number[], force: boolean): number {
  const parent = d.parentData!;
  const ret = parent.chip.irqSetAffinity ? parent.chip.irqSetAffinity(parent, k, mask, force) : -22;
  if (ret < 0 || ret === IRQ_SET_MASK_OK_DONE) return ret;
  return IRQ_SET_MASK_OK;
}

/**
 * intcapxt_controller "IOMMU-MSI": IRQCHIP_MASK_ON_SUSPEND, and the affinity changes wait for the
 * next interrupt (IRQCHIP_MOVE_DEFERRED in 7.2; before 6.13 the same, as the interrupt has no
 * IRQD_MOVE_PCNTXT).
 */
const intcapxtController: IrqChip = {
  name: 'IOMMU-MSI',
  flags: IRQCHIP.MASK_ON_SUSPEND | IRQCHIP.MOVE_DEFERRED,
  irqUnmask: intcapxtUnmaskIrq,
  irqMask: intcapxtMaskIrq,
  irqAck: irqChipAckParent,
  irqRetrigger: irqChipRetriggerHierarchy,
  irqSetAffinity: intcapxtSetAffinity,
};

/** intcapxt_irqdomain_alloc(): parent first, then chip, chip data and (since 6.12's per-log interrupts) hwirq = register offset. */
function intcapxtIrqdomainAlloc(k: Kernel, domain: IrqDomain, virq: number, nr: number, arg: AllocArg): number {
  k.t.enter('intcapxt_irqdomain_alloc', domain.name, AMD_FILE);
  if (arg.type !== 'amdvi') return k.t.leave(-22);
  const ret = irqDomainAllocIrqsParent(k, domain, virq, nr, arg);
  if (ret < 0) return k.t.leave(ret);
  for (let i = virq; i < virq + nr; i++) {
    const d = irqDomainGetIrqData(k, domain, i)!;
    d.chip = intcapxtController;
    d.hwirq = arg.hwirq;
    d.chipData = arg.extra?.iommu;
    const desc = k.descs.get(i)!;
    desc.handleIrq = 'handle_edge_irq';
    desc.name = 'edge';
  }
  return k.t.leave(0);
}

function intcapxtIrqdomainFree(k: Kernel, domain: IrqDomain, virq: number, nr: number): void {
  irqDomainFreeIrqsParent(k, domain, virq, nr);
}

/** iommu_get_irqdomain(): "AMD-Vi-MSI" on a named fwnode under VECTOR, created once. */
function amdIommuGetIrqdomain(k: Kernel, vectorDomain: IrqDomain): IrqDomain {
  const existing = k.domains.find((d) => d.name === 'AMD-Vi-MSI');
  if (existing) return existing;
  return irqDomainCreate(k, 'AMD-Vi-MSI', {
    alloc: intcapxtIrqdomainAlloc, free: intcapxtIrqdomainFree,
    // intcapxt_irqdomain_activate / _deactivate: nothing to do (the register is written at unmask).
    activate: () => 0, deactivate: () => undefined,
  }, vectorDomain, { kind: 'iommu-msi' });
}

/** __iommu_setup_intcapxt(): allocate one interrupt (hwirq = its register) and request it. */
function amdIommuSetupIntcapxtOne(k: Kernel, vectorDomain: IrqDomain, iommu: AmdIntcapxt, name: string, hwirq: number): number {
  const domain = amdIommuGetIrqdomain(k, vectorDomain);
  const irq = irqDomainAllocIrqs(k, domain, 1, { type: 'amdvi', hwirq, dev: `AMD-Vi${iommu.index}`, extra: { iommu } }, null);
  if (irq < 0) return irq;
  return requestIrq(k, k.descs.get(irq)!, name, { fn: 'amd_iommu_int_thread' });
}

/**
 * iommu_setup_intcapxt(): 6.1 one "AMD-Vi" interrupt for the event, PPR and GA logs; since, one
 * each: AMD-Vi<n>-Evt, -PPR, -GA (KernelProfile.amdIommuIrqPerLog).
 */
export function amdIommuSetupIntcapxt(k: Kernel, vectorDomain: IrqDomain, index: number): number {
  k.t.enter('iommu_setup_intcapxt', 'AMD-Vi-MSI', AMD_FILE);
  const iommu: AmdIntcapxt = { index, regs: new Map(), oneForAll: !k.profile.amdIommuIrqPerLog };
  if (iommu.oneForAll) return k.t.leave(amdIommuSetupIntcapxtOne(k, vectorDomain, iommu, 'AMD-Vi', 0));
  for (const [log, off] of [['Evt', MMIO_INTCAPXT_EVT_OFFSET], ['PPR', MMIO_INTCAPXT_PPR_OFFSET], ['GA', MMIO_INTCAPXT_GALOG_OFFSET]] as const) {
    const r = amdIommuSetupIntcapxtOne(k, vectorDomain, iommu, `AMD-Vi${index}-${log}`, off);
    if (r) return k.t.leave(r);
  }
  return k.t.leave(0);
}

/**
 * The IOMMU's own interrupts at one of the two boot places (board.ts BootIrq): Intel's dmar0 in
 * apic_bsp_setup() (6.1) or from intel_iommu_init() (since); AMD's, in x2APIC mode, always from
 * amd_iommu_init() (amd_iommu_enable_faulting() does nothing: "We enable MSI later when PCI is
 * initialized").
 */
export function iommuBootIrqs(k: Kernel, vectorDomain: IrqDomain, remap: MachineSpec['remap'], where: 'apic_bsp_setup' | 'iommu_init'): void {
  if (remap === 'intel-ir' && (where === 'apic_bsp_setup') === k.profile.iommuFaultIrqAtBspSetup) dmarSetInterrupt(k, vectorDomain, 0);
  else if (remap === 'amd-ir' && where === 'iommu_init') amdIommuSetupIntcapxt(k, vectorDomain, 0);
}
