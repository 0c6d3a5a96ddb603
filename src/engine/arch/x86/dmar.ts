// Models the Intel IOMMU's own fault interrupt: arch/x86/kernel/apic/msi.c (the "DMAR-MSI"
// domain straight on VECTOR, dmar_alloc_hwirq) and drivers/iommu/intel/dmar.c
// (dmar_set_interrupt: request_irq(irq, dmar_fault, IRQF_NO_THREAD, "dmar<seq>")). Faults
// are delivered to a CPU directly: the fault interrupt is never remapped itself.

import type { Kernel } from '../../core/kernel';
import { IRQCHIP, irqChipAckParent, irqChipRetriggerHierarchy, type IrqChip } from '../../core/chip';
import { type IrqDomain, irqDomainAllocIrqs, irqDomainCreate } from '../../core/irqdomain';
import { requestIrq } from '../../core/manage';
import { type MsiDomainInfo, msiDomainOps, msiDomainSetAffinity } from '../../msi/msi';

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
