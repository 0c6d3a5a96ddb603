// Models the two roads the 2024 CXL thread did not take ("[RFC PATCH 0/9] pci: portdrv: Add
// auxiliary bus and register CXL PMUs (and aer)", linux-pci, Sept 2024; drivers/cxl, drivers/pci/msi,
// kernel/irq/irqdomain.c). The road it took is pci/subdev.ts (checks A–C of
// pci_enable_msi_parent_domain(), stacked MSI parents).
//
// The first attempt, which started the discussion: a CXL MSI parent made with
//     msi_domain = irq_domain_create_hierarchy(dev_get_msi_domain(&pdev->dev),
//                                              IRQ_DOMAIN_FLAG_MSI_PARENT, ...)
// whose allocation takes an MSI-X entry of the PCI device with pci_msix_alloc_irq_at() — "which
// seems to cause a problem with deadlocks in __irq_domain_alloc_irqs()". It does: the domain sits
// in the PCI device's hierarchy, so the outer __irq_domain_alloc_irqs() of the subdevice's domain
// holds the hierarchy's lock (domain->root->mutex of VECTOR since v6.3; the global
// irq_domain_mutex before) when the nested one on the PCI/MSI-X domain takes it again. The kernel
// would hang; the model stops there with -EDEADLK.
//
// Option 1 of the answer: "Implement the CXL MSI parent domain as disjunct domain — Looks pretty
// straight forward, but does not seemlessly fit the hierarchical domain model and creates
// horrible indirections." A root domain of its own (its own lock, so no deadlock) whose
// allocation reaches into the PCI device: every subdevice interrupt is two Linux interrupts — the
// PCI/MSI-X one that the device signals, with a demultiplexing handler, and the subdevice's, whose
// chip forwards mask, unmask and affinity to it.

import { EBUSY, EDEADLK, EEXIST, EINVAL, ENODEV, ENOSYS, ENOTSUPP } from '../core/errno';
import type { Kernel } from '../core/kernel';
import type { Device } from '../core/device';
import type { IrqData } from '../core/irqdesc';
import {
  IRQCHIP, IRQ_SET_MASK_OK_DONE, type IrqChip, type MsiMsg, irqChipMaskParent, irqChipUnmaskParent,
} from '../core/chip';
import { chipMask, freeIrq, irqSetAffinity, requestIrq } from '../core/manage';
import {
  type AllocArg, DOMAIN_BUS, IRQ_DOMAIN_FLAG, type IrqDomain, irqDomainCreate, irqDomainFreeIrqsParent,
  irqDomainSetHwirqAndChip,
} from '../core/irqdomain';
import {
  MSI_FLAG, MSI_GENERIC_FLAGS_MASK, type MsiDomainInfo, type MsiDomainTemplate, type MsiParentOps,
  msiCreateDeviceIrqDomain, msiDomainAllocIrqAt, msiDomainFreeIrqsRange, msiDomainSetAffinity, msiParentOps,
} from '../msi/msi';
import { MSI_DEFAULT_DOMAIN } from '../msi/msidesc';
import { pciMsixAllocIrqAt, pciMsixFreeIrq } from '../pci/msi';
import { pciMsixDomain, type SubDevice } from '../pci/subdev';
import type { PciDev } from '../pci/pcidev';
import { type CxlParent, ROAD_ERA, roads } from './state';

const ERA1 = `CXL MSI parent stacked on dev_get_msi_domain() (${ROAD_ERA.cxl}): the first attempt of the Sept 2024 thread`;
const ERA2 = `CXL MSI parent as a disjunct domain (${ROAD_ERA.cxl}): option 1 of the Sept 2024 thread`;
const IRQDOMAIN = 'kernel/irq/irqdomain.c';

function parentOf(k: Kernel, d: IrqDomain): CxlParent | undefined {
  for (const p of roads(k).cxl.values()) if (p.domain === d) return p;
  return undefined;
}

/** The lock __irq_domain_alloc_irqs() takes for an allocation on `d`. */
export function allocLock(k: Kernel, d: IrqDomain): { key: string; text: string } {
  if (k.profile.version === '6.1') return { key: 'irq_domain_mutex', text: 'the global irq_domain_mutex (before v6.3)' };
  return { key: `root:${d.root.name}`, text: `${d.root.name}'s mutex (domain->root->mutex: one lock per hierarchy, since v6.3)` };
}

// ---- the first attempt: stacked on dev_get_msi_domain(), alloc calls pci_msix_alloc_irq_at() ----

function hierarchyAlloc(k: Kernel, d: IrqDomain, virq: number, _nr: number, arg: AllocArg): number {
  const p = parentOf(k, d)!;
  const pdev = p.pdev;
  k.t.enter('cxl_msi_parent_alloc', d.name, 'drivers/cxl/pci.c (first attempt)');
  if (k.t.on) {
    k.t.effect(ERA1);
    k.t.effect(`irq ${virq}: the AUXbus parent allocation gets MSI-X entry ${arg.hwirq} of ${pdev.name} with pci_msix_alloc_irq_at()`);
  }
  const msix = pciMsixDomain(pdev);
  k.t.enter('pci_msix_alloc_irq_at', msix?.name, 'drivers/pci/msi/api.c');
  if (!pdev.msixEnabled || !msix) {
    if (k.t.on) k.t.effect('MSI-X is not enabled on the device');
    k.t.leave(-ENOTSUPP);
    return k.t.leave(-ENOTSUPP);
  }
  const outer = allocLock(k, d);
  const inner = allocLock(k, msix);
  k.t.enter('msi_domain_alloc_irq_at', msix.name, 'kernel/irq/msi.c');
  if (k.t.on) k.t.effect(`msi_lock_descs(${pdev.name}): the PCI device's descriptor mutex (a different lock: taken)`);
  k.t.enter('__irq_domain_alloc_irqs', msix.name, IRQDOMAIN);
  if (outer.key !== inner.key) {
    // Not a v2 hierarchy the model builds; no nested allocation is modelled for it.
    if (k.t.on) k.t.effect(`outer lock ${outer.text}, inner ${inner.text}: not modelled`);
    for (let i = 0; i < 3; i++) k.t.leave(-ENOSYS);
    return k.t.leave(-ENOSYS);
  }
  if (k.t.on) {
    k.t.effect(`mutex_lock(${inner.text}): this task holds it already — taken by the outer __irq_domain_alloc_irqs() for irq ${virq}, whose domains (${chain(d)}) are one hierarchy with ${msix.name}`);
    k.t.effect('the same mutex twice: the kernel would hang here (mutexes do not nest; lockdep: "possible recursive locking detected"). The model stops with -EDEADLK and undoes the call');
  }
  for (let i = 0; i < 3; i++) k.t.leave(-EDEADLK);
  return k.t.leave(-EDEADLK);
}

function chain(d: IrqDomain): string {
  const out: string[] = [];
  for (let p: IrqDomain | null = d; p; p = p.parent) out.push(p.name);
  return out.join(' → ');
}

// ---- option 1: a disjunct root domain that reaches into the PCI device ----

interface Reach {
  pdev: PciDev;
  index: number;
  pciVirq: number;
}

const reach = new WeakMap<IrqData, Reach>();

function pciDescOf(k: Kernel, d: IrqData) {
  const r = reach.get(d);
  return r ? { r, pd: k.descs.get(r.pciVirq) } : null;
}

function disjunctMask(d: IrqData, k: Kernel): void {
  const c = pciDescOf(k, d);
  if (!c?.pd) return;
  if (k.t.on) k.t.effect(`indirection: mask irq ${d.irq} = mask irq ${c.r.pciVirq} (MSI-X entry ${c.r.index} of ${c.r.pdev.name})`);
  chipMask(k, c.pd, true);
}

function disjunctUnmask(d: IrqData, k: Kernel): void {
  const c = pciDescOf(k, d);
  if (!c?.pd) return;
  if (k.t.on) k.t.effect(`indirection: unmask irq ${d.irq} = unmask irq ${c.r.pciVirq} (MSI-X entry ${c.r.index} of ${c.r.pdev.name})`);
  chipMask(k, c.pd, false);
}

function disjunctSetAffinity(d: IrqData, k: Kernel, mask: readonly number[]): number {
  const c = pciDescOf(k, d);
  if (!c?.pd) return -EINVAL;
  if (k.t.on) k.t.effect(`indirection: irq ${d.irq}'s affinity is irq ${c.r.pciVirq}'s: irq_set_affinity(${c.r.pciVirq})`);
  const ret = irqSetAffinity(k, c.pd, mask);
  if (ret < 0) return ret;
  d.common.effectiveAffinity = [...c.pd.irqData.common.effectiveAffinity];
  return IRQ_SET_MASK_OK_DONE;
}

const CXL_DISJUNCT_CHIP: IrqChip = {
  name: 'CXL-MSI',
  flags: IRQCHIP.SKIP_SET_WAKE,
  irqMask: disjunctMask,
  irqUnmask: disjunctUnmask,
  irqSetAffinity: disjunctSetAffinity,
};

function disjunctAlloc(k: Kernel, d: IrqDomain, virq: number, _nr: number, arg: AllocArg): number {
  const p = parentOf(k, d)!;
  const pdev = p.pdev;
  const index = arg.hwirq;
  k.t.enter('cxl_msi_parent_alloc', d.name, 'drivers/cxl/pci.c (option 1)');
  if (k.t.on) {
    k.t.effect(ERA2);
    const outer = allocLock(k, d);
    const msix = pciMsixDomain(pdev);
    k.t.effect(`irq ${virq} is allocated under ${outer.text}; pci_msix_alloc_irq_at() takes ${msix ? allocLock(k, msix).text : 'the PCI hierarchy\'s'}: two hierarchies, two locks, no deadlock`);
  }
  const map = pciMsixAllocIrqAt(k, pdev, index, null);
  if (map.index < 0) return k.t.leave(map.index);
  const pd = k.descs.get(map.virq)!;
  const sub = arg.dev ?? 'subdevice';
  const ret = requestIrq(k, pd, `cxl_pci-${sub}`, {
    fn: 'cxl_msi_demux',
    handler: () => {
      const sd = k.descs.get(virq);
      if (k.t.on) k.t.effect(`cxl_msi_demux: MSI-X entry ${index} is ${sub}'s: generic_handle_irq(${virq})`);
      if (sd) k.genericHandleIrq(sd, k.irqContext?.cpu ?? pd.irqData.common.effectiveAffinity[0] ?? 0);
      return true;
    },
  });
  if (ret < 0) {
    pciMsixFreeIrq(k, pdev, map.index);
    return k.t.leave(ret);
  }
  irqDomainSetHwirqAndChip(k, d, virq, index, CXL_DISJUNCT_CHIP, null);
  const data = k.descs.get(virq)!.irqData.parentData!;
  reach.set(data, { pdev, index, pciVirq: map.virq });
  if (k.t.on) {
    k.t.effect(`irq ${virq} (${sub}) stands for irq ${map.virq} (MSI-X entry ${index} of ${pdev.name}), which gets a demultiplexing handler: one interrupt, two Linux irqs`);
  }
  return k.t.leave(0);
}

function disjunctFree(k: Kernel, d: IrqDomain, virq: number): void {
  const data = k.descs.get(virq)?.irqData.parentData;
  const r = data ? reach.get(data) : undefined;
  k.t.enter('cxl_msi_parent_free', d.name, 'drivers/cxl/pci.c (option 1)');
  if (r) {
    const pd = k.descs.get(r.pciVirq);
    while (pd && pd.action.length) freeIrq(k, pd);
    pciMsixFreeIrq(k, r.pdev, r.index);
    reach.delete(data!);
  }
  k.t.leaveWith();
}

/** init_dev_msi_info of the CXL parent: forward to the real MSI parent (stacked), or set the child up itself (disjunct). */
function cxlInitDevMsiInfo(k: Kernel, dev: Device, domain: IrqDomain, _msiParent: IrqDomain, info: MsiDomainInfo): boolean {
  const p = parentOf(k, domain);
  if (p?.mode === 'hierarchy') {
    const parent = domain.parent;
    const pops = msiParentOps(parent);
    if (!parent || !pops) return false;
    return pops.initDevMsiInfo(k, dev, parent, parent, info);
  }
  info.flags &= MSI_GENERIC_FLAGS_MASK | MSI_FLAG.PCI_MSIX | MSI_FLAG.PCI_MSIX_ALLOC_DYN;
  info.chip.irqSetAffinity = msiDomainSetAffinity;
  info.handler = 'handle_edge_irq';
  info.handlerName = 'edge';
  if (k.t.on) k.t.effect(`${domain.name} is a root of its own: no x86 parent sets the child up; affinity goes through msi_domain_set_affinity() to the CXL-MSI chip`);
  return true;
}

function cxlParentOps(): MsiParentOps {
  return {
    supportedFlags: MSI_GENERIC_FLAGS_MASK | MSI_FLAG.PCI_MSIX | MSI_FLAG.PCI_MSIX_ALLOC_DYN,
    requiredFlags: 0,
    busSelectToken: DOMAIN_BUS.ANY,
    prefix: 'CXL-',
    initDevMsiInfo: cxlInitDevMsiInfo,
  };
}

/**
 * cxl_pci makes an MSI parent for a subdevice and sets it in subdevice->msi.domain (step 1 of the
 * thread's sketch): irq_domain_create_hierarchy(parent, IRQ_DOMAIN_FLAG_MSI_PARENT, …) with
 * parent = dev_get_msi_domain(&pdev->dev) (the first attempt) or none (option 1, disjunct).
 */
export function cxlCreateMsiParent(k: Kernel, pdev: PciDev, sub: SubDevice, parent: 'dev_get_msi_domain' | null): number {
  const s = roads(k);
  const mode = parent ? 'hierarchy' : 'disjunct';
  const base = pdev.msi.domain;
  k.t.enter('irq_domain_create_hierarchy', parent ? base?.name : undefined, IRQDOMAIN);
  if (k.t.on) k.t.effect(parent ? ERA1 : ERA2);
  if (sub.parent !== pdev) {
    if (k.t.on) k.t.effect(`${sub.name} is not a subdevice of ${pdev.name}`);
    return k.t.leave(-EINVAL);
  }
  if (!msiParentOps(base)) {
    if (k.t.on) k.t.effect(`dev_get_msi_domain(${pdev.name}) is ${base ? `${base.name}, no MSI parent` : 'NULL'}: "this proposal will only work on hierarchical domain v2"`);
    return k.t.leave(-ENODEV);
  }
  if (s.cxl.has(pdev)) {
    if (k.t.on) k.t.effect(`${pdev.name} has its CXL MSI parent already (${s.cxl.get(pdev)!.domain.name})`);
    return k.t.leave(-EEXIST);
  }
  if (sub.msi.domain) {
    if (k.t.on) k.t.effect(`${sub.name}'s msi domain is ${sub.msi.domain.name} already`);
    return k.t.leave(-EBUSY);
  }
  const ops = mode === 'hierarchy'
    ? { alloc: hierarchyAlloc, free: (kk: Kernel, d: IrqDomain, v: number, n: number) => irqDomainFreeIrqsParent(kk, d, v, n) }
    : { alloc: disjunctAlloc, free: (kk: Kernel, d: IrqDomain, v: number) => disjunctFree(kk, d, v) };
  const d = irqDomainCreate(k, `CXL-MSI-${pdev.name}`, ops, parent ? base : null, {
    flags: IRQ_DOMAIN_FLAG.MSI_PARENT, kind: 'cxl-parent', dev: pdev.name,
  });
  d.msiParentOps = cxlParentOps();
  d.era = ROAD_ERA.cxl;
  s.cxl.set(pdev, { domain: d, mode, pdev });
  sub.msi.domain = d;
  if (k.t.on) {
    k.t.effect(parent
      ? `${d.name} under ${base!.name}: in the PCI device's hierarchy (root ${d.root.name}), IRQ_DOMAIN_FLAG_MSI_PARENT`
      : `${d.name}: a root domain of its own (disjunct from ${base!.name} and ${pciMsixDomain(pdev)?.name ?? 'the PCI/MSI-X domain'}), IRQ_DOMAIN_FLAG_MSI_PARENT`);
    k.t.effect(`dev_set_msi_domain(${sub.name}, ${d.name})`);
  }
  return k.t.leave(0);
}

function cpmuWriteMsiMsg(d: IrqData, k: Kernel, _msg: MsiMsg): void {
  const top = parentOfData(k, d);
  if (!k.t.on) return;
  k.t.effect(top?.mode === 'disjunct'
    ? `irq ${d.irq} has no message of its own: the device signals through the PCI/MSI-X interrupt behind it`
    : `irq ${d.irq}: message to the PCI device's MSI-X table`);
}

function parentOfData(k: Kernel, d: IrqData): CxlParent | undefined {
  return d.parentData ? parentOf(k, d.parentData.domain) : undefined;
}

/** cxl_aux_bus_create_irqdomain() (the thread's step 2): the subdevice's per-device domain on its CXL parent. */
export function cxlAuxBusCreateIrqdomain(k: Kernel, sub: SubDevice): number {
  const parent = sub.msi.domain;
  const p = parent ? parentOf(k, parent) : undefined;
  k.t.enter('cxl_aux_bus_create_irqdomain', parent?.name, 'drivers/cxl (proposal)');
  if (!p) {
    if (k.t.on) k.t.effect(`${sub.name}'s msi domain is ${parent?.name ?? 'NULL'}, not a CXL MSI parent`);
    return k.t.leave(-ENODEV);
  }
  if (sub.msi.data?.domains[MSI_DEFAULT_DOMAIN].domain) return k.t.leave(-EEXIST);
  const tmpl: MsiDomainTemplate = {
    name: 'CPMU',
    chip: { flags: IRQCHIP.ONESHOT_SAFE, irqMask: irqChipMaskParent, irqUnmask: irqChipUnmaskParent, irqWriteMsiMsg: cpmuWriteMsiMsg },
    info: {
      flags: MSI_FLAG.ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG.FREE_MSI_DESCS | MSI_FLAG.PCI_MSIX | MSI_FLAG.PCI_MSIX_ALLOC_DYN |
        MSI_FLAG.USE_DEF_DOM_OPS | MSI_FLAG.USE_DEF_CHIP_OPS,
      busToken: DOMAIN_BUS.PCI_DEVICE_MSIX,
      ops: {},
      handler: 'handle_edge_irq',
      handlerName: 'edge',
      allocType: 'msix',
    },
    era: ROAD_ERA.cxl,
  };
  const hadData = sub.msi.data !== null;
  const devres = sub.devres.length;
  const ok = msiCreateDeviceIrqDomain(k, sub, MSI_DEFAULT_DOMAIN, tmpl, p.pdev.msixCap?.tableSize ?? 1);
  if (!ok) {
    if (!hadData) {
      sub.msi.data = null;
      sub.devres.length = devres;
    }
    return k.t.leave(-ENODEV);
  }
  if (k.t.on) k.t.effect(`${sub.msi.data!.domains[MSI_DEFAULT_DOMAIN].domain!.name}: ${chain(sub.msi.data!.domains[MSI_DEFAULT_DOMAIN].domain!)}`);
  return k.t.leave(0);
}

/**
 * msi_domain_alloc_irqs_range(dev, MSI_DEFAULT_DOMAIN, first, last): the subdevice allocates
 * through its per-device domain (indices = MSI-X entries of the PCI device). All or nothing.
 * Returns the first virq.
 */
export function msiDomainAllocIrqsRange(k: Kernel, dev: Device, first: number, last: number): number {
  const slot = dev.msi.data?.domains[MSI_DEFAULT_DOMAIN];
  k.t.enter('msi_domain_alloc_irqs_range', slot?.domain?.name, 'kernel/irq/msi.c');
  if (!slot?.domain) {
    if (k.t.on) k.t.effect(`${dev.name} has no per-device MSI domain`);
    return k.t.leave(-ENODEV);
  }
  if (first > last) return k.t.leave(-EINVAL);
  let firstVirq = 0;
  for (let i = first; i <= last; i++) {
    const map = msiDomainAllocIrqAt(k, dev, MSI_DEFAULT_DOMAIN, i, null, () => {});
    if (map.index < 0) {
      if (i > first) msiDomainFreeIrqsRange(k, dev, MSI_DEFAULT_DOMAIN, first, i - 1);
      return k.t.leave(map.index);
    }
    if (!firstVirq) firstVirq = map.virq;
  }
  k.t.leaveWith(String(firstVirq));
  return firstVirq;
}

/** The CXL parent a PCI device has (for views and tests). */
export function cxlParentOf(k: Kernel, pdev: PciDev): CxlParent | undefined {
  return roads(k).cxl.get(pdev);
}
