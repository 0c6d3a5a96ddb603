// Models the 2024 proposal for PCI subdevice MSI domains (tglx on linux-pci, "[RFC PATCH 0/9] pci:
// portdrv: Add auxiliary bus and register CXL PMUs (and aer)", Sept 2024, and Jonathan Cameron's
// PoC "pci: msi: Add subdevice irq domains for dynamic MSI-X" — drivers/pci/msi/{irqdomain,api}.c,
// kernel/irq/msi.c, arch/x86/kernel/apic/msi.c): the PCI device's per-device PCI/MSI-X domain
// becomes an MSI parent ("PCI-MSIX-PROXY-") for the per-device domains of its aux-bus subdevices.
// Never merged.
//
// Call by call:
//   pci_enable_msi_parent_domain(pdev)   checks (A) v2 MSI parent, (B) MSI-X enabled, (C) the
//                                        MSI-X domain does dynamic allocation; then the domain
//                                        gets IRQ_DOMAIN_FLAG_MSI_PARENT + pci_msix_parent_ops
//   pci_msi_init_subdevice(pdev, dev)    dev_set_msi_domain(subdev, that PCI/MSI-X domain)
//   pci_msi_create_subdevice_irq_domain  the subdevice's own domain, stacked on it
//   pci_subdev_msix_alloc_irq_at / _free one subdevice interrupt = one MSI-X table entry of the
//                                        PCI device (hwirq = table index in both domains)

import { EBUSY, EINVAL, ENODEV, ENOTSUPP, ERANGE } from '../core/errno';
import type { Kernel } from '../core/kernel';
import type { Device } from '../core/device';
import type { IrqData } from '../core/irqdesc';
import {
  IRQCHIP, type MsiMsg, irqChipMaskParent, irqChipSetAffinityParent, irqChipUnmaskParent,
} from '../core/chip';
import { freeIrq } from '../core/manage';
import { type AllocArg, DOMAIN_BUS, IRQ_DOMAIN_FLAG, type IrqDomain } from '../core/irqdomain';
import {
  MSI_FLAG, type MsiDomainInfo, type MsiDomainTemplate, type MsiMap, type MsiParentOps, msiCreateDeviceIrqDomain,
  msiDomainAllocIrqAt, msiDomainFreeIrqsRange, msiDomainInfo, msiParentOps, msiRemoveDeviceIrqDomain,
} from '../msi/msi';
import { MSI_DEFAULT_DOMAIN, type MsiDesc, msiDescsSorted } from '../msi/msidesc';
import { pciRaise } from './msi';
import type { PciDev } from './pcidev';

const FILE = 'drivers/pci/msi/irqdomain.c';
const API = 'drivers/pci/msi/api.c';
const ERA = 'proposal (tglx, linux-pci, Sept 2024; PoC by Jonathan Cameron): not in mainline';

/** An auxiliary-bus device of a PCI function (a CXL PMU, …): struct device with a parent. */
export interface SubDevice extends Device {
  kind: 'subdevice';
  parent: PciDev;
}

export function newSubDevice(name: string, parent: PciDev): SubDevice {
  return { kind: 'subdevice', name, parent, msi: { domain: null, data: null }, devres: [], driver: null };
}

/**
 * msi_parent_init_dev_msi_info() (kernel/irq/msi.c): a stacked MSI parent hands the child's info
 * to its own parent's init_dev_msi_info, keeping itself as the real parent.
 */
function msiParentInitDevMsiInfo(k: Kernel, dev: Device, domain: IrqDomain, msiParent: IrqDomain, info: MsiDomainInfo): boolean {
  const parent = domain.parent;
  const pops = msiParentOps(parent);
  k.t.enter('msi_parent_init_dev_msi_info', domain.name, 'kernel/irq/msi.c');
  if (!parent || !pops) {
    k.log('warn', `WARNING: msi_parent_init_dev_msi_info: ${domain.name} has no MSI parent above it`);
    k.t.leaveWith('false');
    return false;
  }
  const ok = pops.initDevMsiInfo(k, dev, parent, msiParent, info);
  k.t.leaveWith(String(ok));
  return ok;
}

/** pci_msix_parent_ops of the PoC. */
export const pciMsixParentOps: MsiParentOps = {
  supportedFlags: MSI_FLAG.PCI_MSIX | MSI_FLAG.PCI_MSIX_ALLOC_DYN,
  requiredFlags: 0,
  busSelectToken: DOMAIN_BUS.ANY,
  prefix: 'PCI-MSIX-PROXY-',
  initDevMsiInfo: msiParentInitDevMsiInfo,
};

/** The device's PCI/MSI-X device domain (MSI_DEFAULT_DOMAIN with the MSI-X bus token), if any. */
export function pciMsixDomain(pdev: PciDev): IrqDomain | null {
  const d = pdev.msi.data?.domains[MSI_DEFAULT_DOMAIN].domain ?? null;
  return d && d.busToken === DOMAIN_BUS.PCI_DEVICE_MSIX ? d : null;
}

/**
 * pci_enable_msi_parent_domain(pdev): tglx's (A)-(C), each refused with its own errno:
 * (A) no v2 MSI parent → -ENODEV, (B) MSI-X not enabled → -EINVAL, (C) the MSI-X domain cannot
 * allocate dynamically → -ENOTSUPP (as pci_msix_alloc_irq_at() answers then).
 */
export function pciEnableMsiParentDomain(k: Kernel, pdev: PciDev): number {
  const parent = pdev.msi.domain;
  k.t.enter('pci_enable_msi_parent_domain', parent?.name, FILE);
  if (k.t.on) k.t.effect(ERA);
  if (!parent || !msiParentOps(parent)) {
    if (k.t.on) {
      k.t.effect(`(A) ${parent ? `${parent.name} is no MSI parent` : 'no MSI domain at all'}: only the hierarchical v2 model (per-device domains on an MSI parent) can do post-enable MSI-X allocation`);
    }
    return k.t.leave(-ENODEV);
  }
  if (k.t.on) k.t.effect(`(A) v2: ${parent.name} is an MSI parent`);
  if (!pdev.msixEnabled) {
    if (k.t.on) k.t.effect('(B) MSI-X is not enabled: the PCI driver must allocate its own (management) interrupt first (tglx: "a reasonable restriction for getting started")');
    return k.t.leave(-EINVAL);
  }
  const msix = pciMsixDomain(pdev)!;
  if (k.t.on) k.t.effect(`(B) MSI-X enabled, device domain ${msix.name}`);
  if (!(msiDomainInfo(msix).flags & MSI_FLAG.PCI_MSIX_ALLOC_DYN)) {
    if (k.t.on) k.t.effect(`(C) ${msix.name} has no MSI_FLAG_PCI_MSIX_ALLOC_DYN (its parent ${parent.name} does not support it): subdevice vectors could only be added by re-enabling MSI-X`);
    return k.t.leave(-ENOTSUPP);
  }
  if (k.t.on) k.t.effect('(C) dynamic MSI-X allocation supported');
  if (msix.flags & IRQ_DOMAIN_FLAG.MSI_PARENT) {
    if (k.t.on) k.t.effect(`${msix.name} is already an MSI parent`);
    return k.t.leave(0);
  }
  msix.flags |= IRQ_DOMAIN_FLAG.MSI_PARENT;
  msix.msiParentOps = pciMsixParentOps;
  if (k.t.on) {
    k.t.effect(`${msix.name}: IRQ_DOMAIN_FLAG_MSI_PARENT set, msi_parent_ops = pci_msix_parent_ops (supported PCI_MSIX | PCI_MSIX_ALLOC_DYN, prefix "PCI-MSIX-PROXY-", init msi_parent_init_dev_msi_info)`);
    k.t.effect('review (tglx): this wants to be an MSI core call such as msi_enable_sub_parent_domain(&pdev->dev, DOMAIN_BUS_PCI_DEVICE_MSIX), not PCI code poking the domain');
  }
  return k.t.leave(0);
}

/** pci_msi_init_subdevice(pdev, dev): the subdevice's MSI parent is the PCI device's MSI-X domain. */
export function pciMsiInitSubdevice(k: Kernel, sub: SubDevice): number {
  const pdev = sub.parent;
  const msix = pciMsixDomain(pdev);
  k.t.enter('pci_msi_init_subdevice', msix?.name, FILE);
  if (!msix) {
    if (k.t.on) k.t.effect(`${pdev.name} has no PCI/MSI-X device domain (the PoC's dev_msi_get_msix_device_domain() dereferences dev->msi.data unchecked here)`);
    return k.t.leave(-ENODEV);
  }
  sub.msi.domain = msix;
  if (k.t.on) {
    k.t.effect(`dev_set_msi_domain(${sub.name}, ${msix.name})`);
    if (!(msix.flags & IRQ_DOMAIN_FLAG.MSI_PARENT)) k.t.effect(`${msix.name} is not an MSI parent yet: pci_enable_msi_parent_domain() must come before the subdevice creates its domain`);
  }
  return k.t.leave(0);
}

const hexmsg = (m: MsiMsg): string => `address 0x${(m.addressLo >>> 0).toString(16)} data 0x${(m.data >>> 0).toString(16)}`;

/**
 * The subdevice chip's irq_write_msi_msg: the PoC used pci_msi_domain_write_msg() itself, which
 * works only because prepare_desc rewrote desc->dev to the PCI device; that is the parent
 * (PCI-MSIX) chip's write on the same descriptor, so the model forwards to it.
 */
function subdevWriteMsiMsg(d: IrqData, k: Kernel, msg: MsiMsg): void {
  const p = d.parentData;
  if (k.t.on) k.t.effect(`write of ${hexmsg(msg)} goes to the PCI device's MSI-X table (desc->dev is the PCI device)`);
  p?.chip.irqWriteMsiMsg?.(p, k, msg);
}

/**
 * pci_subdev_msix_prepare_desc() of the PoC: desc->dev becomes the PCI device and the
 * descriptor is set up as an MSI-X entry of its table (msix_prepare_msi_desc), so the parent
 * chip writes the PCI device's registers and the IOMMU sees the PCI requester ID.
 */
function subdevPrepareDesc(k: Kernel) {
  return (_domain: IrqDomain, arg: AllocArg, desc: MsiDesc): void => {
    const sub = desc.dev as SubDevice;
    const pdev = sub.kind === 'subdevice' ? sub.parent : (desc.dev as PciDev);
    desc.dev = pdev;
    arg.dev = pdev.name;
    desc.pci = {
      isMsix: true, multiple: 0, multiCap: 0, canMask: true, is64: true, isVirtual: false,
      msixCtrl: pdev.msixCap!.table[desc.msiIndex].ctrl, msiMask: 0,
    };
    if (k.t.on) {
      k.t.effect(`prepare_desc (PoC): desc->dev = ${pdev.name} (was ${sub.name}); msix_prepare_msi_desc(): MSI-X entry ${desc.msiIndex} of ${pdev.name}`);
    }
  };
}

/** The subdevice template (PoC "SUBDEV"): a chip that forwards to the PCI/MSI-X chip below. */
function subdevTemplate(k: Kernel): MsiDomainTemplate {
  return {
    name: 'SUBDEV',
    chip: {
      flags: IRQCHIP.ONESHOT_SAFE,
      // The PoC had .irq_mask = irq_chip_unmask_parent (a typo); the intent is modelled.
      irqMask: irqChipMaskParent,
      irqUnmask: irqChipUnmaskParent,
      irqWriteMsiMsg: subdevWriteMsiMsg,
      irqSetAffinity: irqChipSetAffinityParent,
    },
    info: {
      // As the PoC: no MSI_FLAG_FREE_MSI_DESCS (and pci_msix_parent_ops' supported_flags, which
      // lack MSI_GENERIC_FLAGS_MASK, would mask it out in x86_init_dev_msi_info() anyway), so a
      // freed index keeps its descriptor and allocating it again fails with -EBUSY.
      flags: MSI_FLAG.PCI_MSIX | MSI_FLAG.PCI_MSIX_ALLOC_DYN | MSI_FLAG.USE_DEF_CHIP_OPS | MSI_FLAG.USE_DEF_DOM_OPS,
      busToken: DOMAIN_BUS.PCI_DEVICE_MSIX,
      ops: { prepareDesc: subdevPrepareDesc(k) },
      handler: 'handle_edge_irq',
      handlerName: 'edge',
      allocType: 'subdev',
    },
    era: 'proposal',
  };
}

/** The chain below a domain, as "A → B → C". */
function chainOf(d: IrqDomain): string {
  const names: string[] = [];
  for (let p: IrqDomain | null = d; p; p = p.parent) names.push(p.name);
  return names.join(' → ');
}

function deadlockNote(k: Kernel, d: IrqDomain): void {
  if (!k.t.on) return;
  k.t.effect(`one hierarchy, one lock: __irq_domain_alloc_irqs() holds ${d.root.name}'s root mutex for every level of ${chainOf(d)}. ` +
    'The earlier attempt (a separate CXL MSI parent made with irq_domain_create_hierarchy() on the PCI device\'s MSI domain, whose alloc allocated from the PCI device) re-entered __irq_domain_alloc_irqs() under that same mutex and deadlocked; stacking the domains lets one allocation walk all levels');
}

/**
 * pci_msi_create_subdevice_irq_domain(dev, hwsize) (PoC: pci_subdev_setup_device_domain()): the
 * subdevice's per-device domain on the PCI/MSI-X domain. hwsize defaults to the PCI device's
 * MSI-X table size: a subdevice index is a table index.
 */
export function pciMsiCreateSubdeviceIrqDomain(k: Kernel, sub: SubDevice, hwsize?: number): number {
  const parent = sub.msi.domain;
  const pdev = sub.parent;
  k.t.enter('pci_msi_create_subdevice_irq_domain', parent?.name, FILE);
  if (k.t.on) k.t.effect(ERA);
  if (!parent || !k.domains.includes(parent) || parent !== pciMsixDomain(pdev)) {
    if (k.t.on) k.t.effect(parent ? `${parent.name} is no longer ${pdev.name}'s PCI/MSI-X domain` : `no MSI parent: pci_msi_init_subdevice() has not run for ${sub.name}`);
    return k.t.leave(-ENODEV);
  }
  if (!(parent.flags & IRQ_DOMAIN_FLAG.MSI_PARENT)) {
    if (k.t.on) k.t.effect(`${parent.name} is not an MSI parent: pci_enable_msi_parent_domain(${pdev.name}) first (the PoC returned true here and created nothing; the first allocation then failed with -ENODEV)`);
    return k.t.leave(-ENODEV);
  }
  const table = pdev.msixCap!.tableSize;
  const size = hwsize ?? table;
  if (size < 1 || size > table) {
    if (k.t.on) k.t.effect(`hwsize ${size}: a subdevice index is an entry of ${pdev.name}'s ${table}-entry MSI-X table`);
    return k.t.leave(-EINVAL);
  }
  const existing = sub.msi.data?.domains[MSI_DEFAULT_DOMAIN].domain;
  if (existing) {
    if (k.t.on) k.t.effect(`${existing.name} exists already`);
    return k.t.leave(0);
  }
  const hadData = sub.msi.data !== null;
  const devres = sub.devres.length;
  const ok = msiCreateDeviceIrqDomain(k, sub, MSI_DEFAULT_DOMAIN, subdevTemplate(k), size);
  if (!ok) {
    if (!hadData) {
      sub.msi.data = null;
      sub.devres.length = devres;
    }
    return k.t.leave(-ENODEV);
  }
  const dom = sub.msi.data!.domains[MSI_DEFAULT_DOMAIN].domain!;
  dom.kind = 'subdev';
  if (k.t.on) k.t.effect(`stacked: ${chainOf(dom)}`);
  deadlockNote(k, dom);
  return k.t.leave(0);
}

/** The subdevice's domain, if created. */
export function subdevDomain(sub: SubDevice): IrqDomain | null {
  return sub.msi.data?.domains[MSI_DEFAULT_DOMAIN].domain ?? null;
}

/**
 * pci_subdev_msix_alloc_irq_at(dev, index, affdesc): msi_domain_alloc_irq_at() on the
 * subdevice's domain; the PCI/MSI-X level below allocates table entry `index` of the PCI device
 * (-EEXIST when the PCI device itself already maps that entry: the two index spaces know
 * nothing of each other).
 */
export function pciSubdevMsixAllocAt(k: Kernel, sub: SubDevice, index: number): MsiMap {
  const dom = subdevDomain(sub);
  k.t.enter('pci_subdev_msix_alloc_irq_at', dom?.name, API);
  if (k.t.on) k.t.effect('proposal (tglx: pci_subdev_msix_alloc_at()); the PoC has no sanity checks here');
  if (dom) deadlockNote(k, dom);
  const map = msiDomainAllocIrqAt(k, sub, MSI_DEFAULT_DOMAIN, index, null, () => {});
  if (map.index >= 0 && k.t.on) k.t.effect(`${sub.name} index ${map.index} = MSI-X entry ${map.index} of ${sub.parent.name}, irq ${map.virq}`);
  if (k.t.on && map.index < 0 && map.index !== -EBUSY && map.index !== -ERANGE && map.index !== -ENODEV) {
    k.t.effect('the PoC would keep the inserted descriptor here (msi_domain_free_locked() frees descriptors only with MSI_FLAG_FREE_MSI_DESCS); the model undoes the failed call completely');
  }
  k.t.leaveWith(map.index < 0 ? `{index ${map.index}}` : `{index ${map.index}, virq ${map.virq}}`);
  return map;
}

/** pci_subdev_msix_free_irq(dev, map): free one subdevice interrupt (and its table entry). */
export function pciSubdevMsixFree(k: Kernel, sub: SubDevice, index: number): number {
  k.t.enter('pci_subdev_msix_free_irq', subdevDomain(sub)?.name, API);
  const desc = sub.msi.data?.domains[MSI_DEFAULT_DOMAIN].store.get(index);
  if (!desc || !desc.irq) {
    k.log('warn', `WARNING: pci_subdev_msix_free_irq: no interrupt at index ${index} on ${sub.name}`);
    return k.t.leave(-EINVAL);
  }
  if (k.descs.get(desc.irq)?.action.length) {
    if (k.t.on) k.t.effect(`irq ${desc.irq} still has a handler: free_irq() first`);
    return k.t.leave(-EBUSY);
  }
  msiDomainFreeIrqsRange(k, sub, MSI_DEFAULT_DOMAIN, index, index);
  const dom = subdevDomain(sub);
  if (k.t.on && dom && sub.msi.data?.domains[MSI_DEFAULT_DOMAIN].store.has(index)) {
    k.t.effect(`the descriptor at index ${index} stays in ${sub.name}'s store (no interrupt): ${dom.name} lacks MSI_FLAG_FREE_MSI_DESCS — ` +
      'the PoC template has no such flag, and pci_msix_parent_ops\' supported_flags (PCI_MSIX | PCI_MSIX_ALLOC_DYN, no MSI_GENERIC_FLAGS_MASK) would mask it out anyway. ' +
      `Allocating index ${index} again fails with -EBUSY`);
  }
  return k.t.leave(0);
}

/** The subdevice signals interrupt `index`: its function writes MSI-X entry `index` of the PCI device. */
export function subdevRaise(k: Kernel, sub: SubDevice, index: number): number {
  k.t.enter('subdevice raises interrupt', subdevDomain(sub)?.name, 'aux device (proposal)');
  if (k.t.on) k.t.effect(`${sub.name} signals through MSI-X entry ${index} of ${sub.parent.name}`);
  return k.t.leave(pciRaise(k, sub.parent, index));
}

/** The virq of a subdevice index (msi_get_virq), 0 when none. */
export function subdevVirq(sub: SubDevice, index: number): number {
  return sub.msi.data?.domains[MSI_DEFAULT_DOMAIN].store.get(index)?.irq ?? 0;
}

/**
 * What msi_device_data_release does for a subdevice when its driver unbinds: handlers first
 * (devm order), then msi_remove_device_irq_domain() and the MSI device data. For the driver model.
 */
export function subdevRemove(k: Kernel, sub: SubDevice): void {
  const slot = sub.msi.data?.domains[MSI_DEFAULT_DOMAIN];
  if (!slot?.domain) return;
  k.t.enter('devres_release: msi_device_data_release', slot.domain.name, 'drivers/base/devres.c');
  for (const desc of msiDescsSorted(slot)) {
    const irq = desc.irq ? k.descs.get(desc.irq) : undefined;
    while (irq && irq.action.length) freeIrq(k, irq);
  }
  msiRemoveDeviceIrqDomain(k, sub, MSI_DEFAULT_DOMAIN);
  k.t.leaveWith();
}

/** MSI-X table entries of `pdev` that belong to its subdevices: index → subdevice name. */
export function subdevTableOwners(subs: Iterable<SubDevice>, pdev: PciDev): Map<number, string> {
  const out = new Map<number, string>();
  for (const s of subs) {
    if (s.parent !== pdev) continue;
    for (const i of s.msi.data?.domains[MSI_DEFAULT_DOMAIN].store.keys() ?? []) out.set(i, s.name);
  }
  return out;
}
