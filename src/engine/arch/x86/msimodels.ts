// Models arch/x86/kernel/apic/msi.c before per-device MSI domains: the global "PCI-MSI" domain
// of v4.3–v6.1 (native_create_pci_msi_domain, x86_pci_msi_default_domain) and its remapping
// twin "IR-PCI-MSI" (arch_create_remap_msi_irq_domain), plus the arch hooks of ≤v4.2
// (native_setup_msi_irqs) — the four answers dev_get_msi_domain() can give (MachineSpec.msiModel).

import type { Kernel } from '../../core/kernel';
import { ENOSPC } from '../../core/errno';
import { IRQCHIP, type IrqChip, irqChipAckParent, irqChipRetriggerHierarchy } from '../../core/chip';
import { IRQD, irqdClear } from '../../core/irqdesc';
import {
  type AllocArg, DOMAIN_BUS, IRQ_DOMAIN_FLAG, IrqDomain, irqDomainActivateIrq, irqDomainAllocIrqs,
  irqDomainAllocIrqsParent, irqDomainCreate, irqDomainDeactivateIrq, irqDomainFreeIrqs, irqDomainFreeIrqsParent,
  irqDomainSetHwirqAndChip,
} from '../../core/irqdomain';
import type { Device } from '../../core/device';
import { MSI_FLAG, msiDomainOps } from '../../msi/msi';
import type { MsiDesc } from '../../msi/msidesc';
import { pciMsiCreateIrqDomain, pciMsiGlobalChip } from '../../pci/globaldomain';
import { setArchMsiHooks } from '../../pci/legacy';
import type { PciDev } from '../../pci/pcidev';
import { msiSetAffinity } from './msi';
import { irIommu } from './remap';
import type { MachineSpec } from '../../types';

const FILE = 'arch/x86/kernel/apic/msi.c';

export type MsiModel = NonNullable<MachineSpec['msiModel']>;

/** The MSI chip of v1 / the arch hooks, as the kernel named it: "PCI-MSI", or "IR-PCI-MSI" over remapping. */
function x86PciMsiChip(remapped: boolean): IrqChip {
  const base = {
    flags: IRQCHIP.SKIP_SET_WAKE | IRQCHIP.AFFINITY_PRE_STARTUP,
    irqAck: irqChipAckParent,
    irqRetrigger: irqChipRetriggerHierarchy,
  };
  if (remapped) return pciMsiGlobalChip('IR-PCI-MSI', base);
  // pci_msi_controller: msi_set_affinity rewrites the message itself. Such moves happen from
  // the next interrupt (before ~v6.12 because IRQD_MOVE_PCNTXT was not set; the model uses the
  // later IRQCHIP_MOVE_DEFERRED for the same behaviour).
  return pciMsiGlobalChip('PCI-MSI', { ...base, flags: base.flags | IRQCHIP.MOVE_DEFERRED, irqSetAffinity: msiSetAffinity });
}

/** pci_msi_prepare() (≤v6.1): the alloc type from whether MSI-X is being enabled. */
function pciMsiPrepare(k: Kernel, domain: IrqDomain, dev: Device, _nvec: number, arg: AllocArg): number {
  k.t.enter('pci_msi_prepare', domain.name, FILE);
  delete arg.mask;
  // MSI also set X86_IRQ_ALLOC_CONTIGUOUS_VECTORS; remapping clears it and without remapping
  // the domain lacks MSI_FLAG_MULTI_PCI_MSI, so multi-MSI never reaches VECTOR: left out.
  arg.type = (dev as PciDev).msixEnabled ? 'msix' : 'msi';
  if (k.t.on) k.t.effect(`alloc type X86_IRQ_ALLOC_TYPE_PCI_${arg.type === 'msi' ? 'MSI' : 'MSIX'}`);
  return k.t.leave(0);
}

/**
 * v1: native_create_pci_msi_domain() under VECTOR ("PCI-MSI" → "PCI-MSI-3"), or with interrupt
 * remapping arch_create_remap_msi_irq_domain(ir, "INTEL-IR-MSI"|"AMD-IR-MSI", 0) under the
 * remapping domain ("INTEL-IR-MSI-0-3"), whose info adds MSI_FLAG_MULTI_PCI_MSI.
 */
function createGlobalDomain(k: Kernel, vectorDomain: IrqDomain, ir: IrqDomain | null): IrqDomain {
  const remapped = ir !== null;
  const name = !ir ? 'PCI-MSI' : `${irIommu(ir)?.kind === 'amd' ? 'AMD-IR-MSI' : 'INTEL-IR-MSI'}-0`;
  k.t.enter(remapped ? 'arch_create_remap_msi_irq_domain' : 'native_create_pci_msi_domain', name, FILE);
  const d = pciMsiCreateIrqDomain(k, name, {
    flags: MSI_FLAG.USE_DEF_DOM_OPS | MSI_FLAG.USE_DEF_CHIP_OPS | MSI_FLAG.PCI_MSIX | (remapped ? MSI_FLAG.MULTI_PCI_MSI : 0),
    ops: { msiPrepare: pciMsiPrepare },
    chip: x86PciMsiChip(remapped),
    handler: 'handle_edge_irq',
    handlerName: 'edge',
  }, ir ?? vectorDomain);
  k.t.leaveWith(d.name);
  return d;
}

/** What the arch-hook interrupts' top level keeps: the chip and whether hwirqs are mapped. */
interface ArchMsiData {
  chip: IrqChip;
}

/** The top level's alloc: the parents (remapping, VECTOR) first, then the PCI-MSI chip. */
function archMsiAlloc(k: Kernel, domain: IrqDomain, virq: number, nr: number, arg: AllocArg): number {
  const ret = irqDomainAllocIrqsParent(k, domain, virq, nr, arg);
  if (ret < 0) return ret;
  const { chip } = domain.hostData as ArchMsiData;
  for (let i = 0; i < nr; i++) {
    irqDomainSetHwirqAndChip(k, domain, virq + i, arg.hwirq + i, chip, null);
    const desc = k.descs.get(virq + i)!;
    desc.handleIrq = 'handle_edge_irq';
    desc.name = 'edge';
  }
  return 0;
}

function archMsiFree(k: Kernel, domain: IrqDomain, virq: number, nr: number): void {
  irqDomainFreeIrqsParent(k, domain, virq, nr);
}

const archMsiOps = { alloc: archMsiAlloc, free: archMsiFree, activate: msiDomainOps.activate, deactivate: msiDomainOps.deactivate };

/**
 * The level an arch-hook interrupt has on top. "legacy": no irq domain at all (kind "none": not
 * registered, no name, no hwirq; /proc/interrupts leaves the hwirq column blank). "nonhier": a
 * non-hierarchical linear domain the hook maps interrupts in (irq_create_mapping), like the
 * per-controller MSI domains of other architectures (the model places one on x86).
 * Model note: the remapping/VECTOR levels below stand for the vector the hook assigns; the
 * kernel's non-hierarchical interrupts have no parent_data, and the views stop at this level.
 */
function archMsiTop(k: Kernel, model: 'legacy' | 'nonhier', parent: IrqDomain, chip: IrqChip): IrqDomain {
  if (model === 'legacy') {
    const d = new IrqDomain('', archMsiOps, parent, { hostData: { chip } satisfies ArchMsiData, kind: 'none' });
    d.flags &= ~IRQ_DOMAIN_FLAG.HIERARCHY;
    return d;
  }
  const d = irqDomainCreate(k, 'PCI-MSI', archMsiOps, parent, { hostData: { chip } satisfies ArchMsiData, kind: 'msi-nonhier', revmapSize: 256 });
  d.flags &= ~IRQ_DOMAIN_FLAG.HIERARCHY;
  return d;
}

/**
 * arch_setup_msi_irq() of the x86 hooks (≤v4.2 native_setup_msi_irqs() per descriptor): a new
 * interrupt, its vector assigned and its message written at once (no reservation mode, no
 * managed affinity: the hook ignores the descriptor's affinity masks).
 */
function x86ArchSetupMsiIrq(k: Kernel, top: IrqDomain, dev: PciDev, desc: MsiDesc): number {
  k.t.enter('arch_setup_msi_irq', top.name || undefined, FILE);
  let hwirq = 0;
  if (top.kind !== 'none') {
    while (hwirq < top.revmapSize && top.revmap.has(hwirq)) hwirq++;
    if (hwirq >= top.revmapSize) return k.t.leave(-ENOSPC);
  }
  const arg: AllocArg = { type: desc.pci?.isMsix ? 'msix' : 'msi', dev: dev.name, hwirq };
  const virq = irqDomainAllocIrqs(k, top, 1, arg, null);
  if (virq < 0) return k.t.leave(virq);
  const kd = k.descs.get(virq)!;
  kd.irqData.common.msiDesc = desc;
  kd.devName = dev.name;
  desc.irq = virq;
  irqdClear(kd.irqData, IRQD.CAN_RESERVE);
  const ret = irqDomainActivateIrq(k, kd.irqData, false);
  if (ret) {
    irqDomainFreeIrqs(k, virq, 1);
    desc.irq = 0;
    return k.t.leave(ret);
  }
  if (k.t.on) k.t.effect(`irq ${virq}${top.kind === 'none' ? ' (no irq domain)' : ` mapped at hwirq ${hwirq} of ${top.name}`}: vector assigned, message written`);
  return k.t.leave(0);
}

/** arch_teardown_msi_irq() */
function x86ArchTeardownMsiIrq(k: Kernel, irq: number): void {
  const kd = k.descs.get(irq);
  if (!kd) return;
  k.t.enter('arch_teardown_msi_irq', kd.irqData.domain.name || undefined, FILE);
  irqDomainDeactivateIrq(k, kd.irqData);
  irqDomainFreeIrqs(k, irq, 1);
  k.t.leaveWith();
}

/**
 * Before per-device MSI domains neither VECTOR nor the remapping domains were MSI parents, and
 * the remapping domains had no bus token (DOMAIN_BUS_DMAR / _AMDVI came with v6.2).
 */
function stripMsiParents(vectorDomain: IrqDomain, ir: IrqDomain | null): void {
  for (const d of [vectorDomain, ir]) {
    if (!d) continue;
    d.flags &= ~IRQ_DOMAIN_FLAG.MSI_PARENT;
    d.msiParentOps = undefined;
  }
  if (ir && ir.busToken !== DOMAIN_BUS.ANY) {
    ir.name = ir.name.slice(0, ir.name.lastIndexOf('-'));
    ir.busToken = DOMAIN_BUS.ANY;
  }
}

/**
 * Boot the machine's MSI model and answer dev_get_msi_domain() for new devices:
 * v2 — the MSI parent (remapping domain or VECTOR); v1 — the global PCI/MSI domain;
 * nonhier — the non-hierarchical PCI-MSI domain; legacy — NULL (arch hooks).
 */
export function x86MsiModelInit(k: Kernel, model: MsiModel, vectorDomain: IrqDomain, ir: IrqDomain | null): () => IrqDomain | null {
  if (model === 'v2') return () => ir ?? vectorDomain;
  stripMsiParents(vectorDomain, ir);
  if (model === 'v1') {
    const global = createGlobalDomain(k, vectorDomain, ir);
    return () => global;
  }
  const top = archMsiTop(k, model, ir ?? vectorDomain, x86PciMsiChip(ir !== null));
  setArchMsiHooks(k, {
    setupMsiIrq: (kk, dev, desc) => x86ArchSetupMsiIrq(kk, top, dev, desc),
    teardownMsiIrq: x86ArchTeardownMsiIrq,
  });
  return () => (model === 'nonhier' ? top : null);
}
