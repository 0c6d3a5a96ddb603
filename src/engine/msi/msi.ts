// Models kernel/irq/msi.c: MSI domains (msi_domain_info, ops, templates), per-device MSI
// domains on MSI parents, allocation and free of MSI descriptors' interrupts, and
// msi_domain_set_affinity.

import { EBUSY, EINVAL, ENODEV, ENOSPC } from '../core/errno';
import type { Kernel } from '../core/kernel';
import type { Device } from '../core/device';
import { IRQD, type IrqData, irqd, irqdClear, irqdSet } from '../core/irqdesc';
import {
  IRQ_SET_MASK_OK_DONE, type IrqChip, type MsiMsg, irqChipComposeMsiMsg,
} from '../core/chip';
import {
  type AllocArg, DOMAIN_BUS, type DomainEra, IRQ_DOMAIN_FLAG, type IrqAffinityDesc, type IrqDomain,
  irqDomainActivateIrq, irqDomainAllocIrqs, irqDomainAllocIrqsParent, irqDomainCreate,
  irqDomainDeactivateIrq, irqDomainFreeIrqs, irqDomainFreeIrqsParent, irqDomainRemove,
  irqDomainSetHwirqAndChip, irqDomainUpdateBusToken,
} from '../core/irqdomain';
import {
  MSI_ANY_INDEX, MSI_MAX_DEVICE_IRQDOMAINS, type MsiDesc, type MsiDomainSlot, msiDescsSorted, msiInsertDesc,
  newMsiDeviceData,
} from './msidesc';

/** MSI_FLAG_* (include/linux/msi.h, current numbering). */
export const MSI_FLAG = {
  USE_DEF_DOM_OPS: 1 << 0,
  USE_DEF_CHIP_OPS: 1 << 1,
  ACTIVATE_EARLY: 1 << 2,
  MUST_REACTIVATE: 1 << 3,
  DEV_SYSFS: 1 << 4,
  ALLOC_SIMPLE_MSI_DESCS: 1 << 5,
  FREE_MSI_DESCS: 1 << 6,
  USE_DEV_FWNODE: 1 << 7,
  PARENT_PM_DEV: 1 << 8,
  PCI_MSI_MASK_PARENT: 1 << 9,
  PCI_MSI_STARTUP_PARENT: 1 << 10,
  MULTI_PCI_MSI: 1 << 16,
  PCI_MSIX: 1 << 17,
  LEVEL_CAPABLE: 1 << 18,
  MSIX_CONTIGUOUS: 1 << 19,
  PCI_MSIX_ALLOC_DYN: 1 << 20,
  /** v6.2–v6.9 this bit was MSI_FLAG_PCI_IMS. */
  NO_AFFINITY: 1 << 21,
  NO_MASK: 1 << 22,
} as const;
export const MSI_GENERIC_FLAGS_MASK = 0x0000ffff;
export const MSI_DOMAIN_FLAGS_MASK = 0xffff0000;

/** struct msi_domain_ops, the parts the model uses. */
export interface MsiDomainOps {
  /** msi_prepare: per-device set-up before the first allocation (e.g. ITS device). */
  msiPrepare?(k: Kernel, domain: IrqDomain, dev: Device, nvec: number, arg: AllocArg): number;
  /** msi_teardown (v6.16): undo msi_prepare when the device domain goes (the ITS frees its device). */
  msiTeardown?(k: Kernel, domain: IrqDomain, arg: AllocArg): void;
  /** set_desc: fill the alloc argument from the descriptor (hwirq = msi_index). */
  setDesc?(arg: AllocArg, desc: MsiDesc): void;
  /** prepare_desc: last touch on a descriptor before allocation. */
  prepareDesc?(domain: IrqDomain, arg: AllocArg, desc: MsiDesc): void;
}

/** struct msi_domain_info */
export interface MsiDomainInfo {
  flags: number;
  busToken: number;
  /** Size of the hardware index space; 0 = software managed (MSI_XA_DOMAIN_SIZE). */
  hwsize: number;
  ops: MsiDomainOps;
  chip: IrqChip;
  handler: string;
  handlerName: string;
  /** The device this per-device domain belongs to. */
  dev?: Device;
  allocType: AllocArg['type'];
  /**
   * info->alloc_data (v6.16): what msi_domain_prepare_irqs() filled in once at domain creation;
   * every allocation starts from a copy of it (populate_alloc_info()).
   */
  allocData?: AllocArg;
}

/** struct msi_parent_ops */
export interface MsiParentOps {
  supportedFlags: number;
  requiredFlags: number;
  busSelectToken: number;
  prefix: string;
  /**
   * v6.2–v6.9 only: MSI_FLAG_PCI_IMS (bit 21, since reused as MSI_FLAG_NO_AFFINITY) in
   * supported_flags — set on the x86 remapping parents of physical IOMMUs. Kept apart from
   * supportedFlags so the mainline meaning of bit 21 stays intact. Undefined: the parent
   * predates or postdates IMS and knows nothing of DOMAIN_BUS_PCI_DEVICE_IMS.
   */
  pciIms?: boolean;
  /** init_dev_msi_info(): adapt the child's info to this parent, or refuse (false). */
  initDevMsiInfo(k: Kernel, dev: Device, domain: IrqDomain, msiParent: IrqDomain, info: MsiDomainInfo): boolean;
}

/** struct msi_domain_template */
export interface MsiDomainTemplate {
  /** Chip name, e.g. "PCI-MSIX"; the device domain is named "<prefix><name>-<dev>". */
  name: string;
  chip: Omit<IrqChip, 'name'>;
  info: Omit<MsiDomainInfo, 'chip' | 'hwsize'>;
  era?: DomainEra;
}

export function msiParentOps(d: IrqDomain | null): MsiParentOps | null {
  if (!d || !(d.flags & IRQ_DOMAIN_FLAG.MSI_PARENT)) return null;
  return (d.msiParentOps as MsiParentOps | undefined) ?? null;
}

export function msiDomainInfo(d: IrqDomain): MsiDomainInfo {
  return d.hostData as MsiDomainInfo;
}

// ---- the MSI domain's irq_domain_ops ----

function msiDomainAlloc(k: Kernel, domain: IrqDomain, virq: number, nr: number, arg: AllocArg): number {
  const info = msiDomainInfo(domain);
  k.t.enter('msi_domain_alloc', domain.name, 'kernel/irq/msi.c');
  const hwirq = arg.hwirq;
  if (domain.revmap.has(hwirq)) {
    if (k.t.on) k.t.effect(`hwirq ${hwirq} is already mapped in ${domain.name}`);
    return k.t.leave(-17); // -EEXIST
  }
  if (domain.parent) {
    const ret = irqDomainAllocIrqsParent(k, domain, virq, nr, arg);
    if (ret < 0) return k.t.leave(ret);
  }
  for (let i = 0; i < nr; i++) {
    irqDomainSetHwirqAndChip(k, domain, virq + i, hwirq + i, info.chip, null);
    const desc = k.descs.get(virq + i)!;
    desc.handleIrq = info.handler;
    desc.name = info.handlerName;
    if (k.t.on) k.t.effect(`irq ${virq + i}: hwirq ${hwirq + i}, chip ${info.chip.name}, ${info.handler}`);
  }
  return k.t.leave(0);
}

function msiDomainFree(k: Kernel, domain: IrqDomain, virq: number, nr: number): void {
  irqDomainFreeIrqsParent(k, domain, virq, nr);
}

/** Compose the message down the hierarchy and write it through the top chip. */
export function msiComposeAndWrite(k: Kernel, d: IrqData): MsiMsg {
  const msg: MsiMsg = { addressLo: 0, addressHi: 0, data: 0 };
  irqChipComposeMsiMsg(d, k, msg);
  d.chip.irqWriteMsiMsg?.(d, k, msg);
  return msg;
}

function msiDomainActivate(k: Kernel, _domain: IrqDomain, d: IrqData): number {
  k.t.enter('msi_domain_activate', d.domain.name, 'kernel/irq/msi.c');
  msiComposeAndWrite(k, d);
  return k.t.leave(0);
}

function msiDomainDeactivate(k: Kernel, _domain: IrqDomain, d: IrqData): void {
  k.t.enter('msi_domain_deactivate', d.domain.name, 'kernel/irq/msi.c');
  d.chip.irqWriteMsiMsg?.(d, k, { addressLo: 0, addressHi: 0, data: 0 });
  k.t.leaveWith();
}

export const msiDomainOps = {
  alloc: msiDomainAlloc,
  free: msiDomainFree,
  activate: msiDomainActivate,
  deactivate: msiDomainDeactivate,
};

/**
 * msi_domain_set_affinity(): the parent picks the target; unless it answers
 * IRQ_SET_MASK_OK_DONE (remapping, ITS) the device's message is rewritten.
 */
export function msiDomainSetAffinity(d: IrqData, k: Kernel, mask: readonly number[], force: boolean): number {
  const parent = d.parentData!;
  k.t.enter('msi_domain_set_affinity', d.domain.name, 'kernel/irq/msi.c');
  const ret = parent.chip.irqSetAffinity ? parent.chip.irqSetAffinity(parent, k, mask, force) : -EINVAL;
  if (ret >= 0 && ret !== IRQ_SET_MASK_OK_DONE) {
    if (k.t.on) k.t.effect('parent changed the target: compose and write the new message to the device');
    msiComposeAndWrite(k, d);
  } else if (ret === IRQ_SET_MASK_OK_DONE && k.t.on) {
    k.t.effect('IRQ_SET_MASK_OK_DONE: the parent redirected it; the device message stays as it is');
  }
  return k.t.leave(ret);
}

// ---- per-device domains ----

/**
 * msi_create_device_irq_domain(): a per-device MSI domain under the device's MSI parent.
 * Returns false when the parent is no MSI parent, the slot is taken or the parent refuses.
 */
export function msiCreateDeviceIrqDomain(
  k: Kernel, dev: Device, domid: number, template: MsiDomainTemplate, hwsize: number,
): boolean {
  const parent = dev.msi.domain;
  k.t.enter('msi_create_device_irq_domain', parent?.name, 'kernel/irq/msi.c');
  const pops = msiParentOps(parent);
  if (!parent || !pops || domid >= MSI_MAX_DEVICE_IRQDOMAINS) {
    if (k.t.on) k.t.effect(parent ? `${parent.name} is not an MSI parent domain` : 'the device has no MSI parent domain');
    k.t.leaveWith('false');
    return false;
  }
  const name = `${pops.prefix}${template.name}-${dev.name}`.slice(0, 47);
  const chip: IrqChip = { ...template.chip, name };
  const info: MsiDomainInfo = { ...template.info, chip, hwsize, dev, ops: { ...template.info.ops } };
  const data = msiSetupDeviceData(k, dev);
  if (data.domains[domid].domain) {
    k.log('warn', `WARNING: msi_create_device_irq_domain: domain slot ${domid} of ${dev.name} is already in use`);
    k.t.leaveWith('false');
    return false;
  }
  if (!pops.initDevMsiInfo(k, dev, parent, parent, info)) {
    if (k.t.on) k.t.effect(`${parent.name} refused the template (init_dev_msi_info)`);
    k.t.leaveWith('false');
    return false;
  }
  const domain = irqDomainCreate(k, name, msiDomainOps, parent, {
    flags: IRQ_DOMAIN_FLAG.MSI_DEVICE | IRQ_DOMAIN_FLAG.MSI, hostData: info, kind: template.info.allocType === 'ims' ? 'ims' : 'msi-device', dev: dev.name,
  });
  domain.era = template.era ?? 'mainline';
  irqDomainUpdateBusToken(domain, info.busToken);
  data.domains[domid].domain = domain;
  if (k.t.on) k.t.effect(`per-device domain ${domain.name} (chip ${name}, hwsize ${hwsize}) in slot ${domid === 0 ? 'MSI_DEFAULT_DOMAIN' : 'MSI_SECONDARY_DOMAIN'}`);
  if (k.profile.msiPrepareOnDomainCreate && info.ops.msiPrepare) {
    // v6.16: msi_domain_prepare_irqs(domain, dev, hwsize, &bundle->alloc_info), once.
    const arg: AllocArg = { type: info.allocType, dev: dev.name, hwirq: 0 };
    const r = info.ops.msiPrepare(k, domain, dev, hwsize, arg);
    if (r) {
      data.domains[domid].domain = null;
      irqDomainRemove(k, domain);
      k.t.leaveWith('false');
      return false;
    }
    info.allocData = arg;
    if (k.t.on) k.t.effect('prepared once for hwsize vectors: every allocation copies this alloc_data');
  }
  k.t.leaveWith('true');
  return true;
}

/**
 * msi_domain_prepare_irqs() per allocation, or (v6.16) populate_alloc_info(): a copy of what was
 * prepared when the domain was created.
 */
function populateAllocInfo(k: Kernel, domain: IrqDomain, info: MsiDomainInfo, dev: Device, nvec: number, arg: AllocArg): number {
  if (info.allocData) {
    Object.assign(arg, info.allocData, { extra: info.allocData.extra ? { ...info.allocData.extra } : undefined });
    if (arg.extra === undefined) delete arg.extra;
    return 0;
  }
  return info.ops.msiPrepare ? info.ops.msiPrepare(k, domain, dev, nvec, arg) : 0;
}

/** info->ops->msi_teardown(domain, info->alloc_data) (v6.16): the device domain goes. */
export function msiDomainTeardown(k: Kernel, domain: IrqDomain): void {
  const info = msiDomainInfo(domain);
  if (!info.allocData) return;
  info.ops.msiTeardown?.(k, domain, info.allocData);
  info.allocData = undefined;
}

/** msi_remove_device_irq_domain(): free what is left, then remove the domain. */
export function msiRemoveDeviceIrqDomain(k: Kernel, dev: Device, domid: number): void {
  const slot = dev.msi.data?.domains[domid];
  // Only per-device domains are removed (a global PCI/MSI domain in the slot stays).
  if (!slot?.domain || !(slot.domain.flags & IRQ_DOMAIN_FLAG.MSI_DEVICE)) return;
  k.t.enter('msi_remove_device_irq_domain', slot.domain.name, 'kernel/irq/msi.c');
  msiDomainFreeIrqsAll(k, dev, domid);
  msiDomainTeardown(k, slot.domain);
  irqDomainRemove(k, slot.domain);
  slot.domain = null;
  k.t.leaveWith();
}

/** msi_setup_device_data(): the devres-managed descriptor stores, created once per device. */
export function msiSetupDeviceData(k: Kernel, dev: Device): NonNullable<Device['msi']['data']> {
  if (dev.msi.data) return dev.msi.data;
  dev.msi.data = newMsiDeviceData();
  dev.devres.push({ release: 'msi_device_data_release', what: 'MSI device data (descriptor stores)' });
  // A global MSI domain (v1, or non-hierarchical) goes into the default slot so all code can
  // work with domain ids; an MSI parent never does (it only parents per-device domains).
  const global = dev.msi.domain && !(dev.msi.domain.flags & IRQ_DOMAIN_FLAG.MSI_PARENT) ? dev.msi.domain : null;
  if (global) dev.msi.data.domains[0].domain = global;
  if (k.t.on) {
    k.t.enter('msi_setup_device_data', undefined, 'kernel/irq/msi.c');
    k.t.effect(`devres: MSI device data of ${dev.name} (two descriptor xarrays)`);
    if (global) k.t.effect(`${global.name} is no MSI parent: it is the device's domain in slot MSI_DEFAULT_DOMAIN`);
    k.t.leaveWith('0');
  }
  return dev.msi.data;
}

/**
 * msi_check_reservation_mode(): reservation only for maskable PCI MSI / all MSI-X, and never
 * for a domain whose devices cannot be masked (MSI_FLAG_NO_MASK, e.g. under Xen; 6.1 tested the
 * global pci_msi_ignore_mask instead, which the model never sets).
 */
export function msiCheckReservationMode(domain: IrqDomain, info: MsiDomainInfo, slot: MsiDomainSlot): boolean {
  if (domain.busToken !== DOMAIN_BUS.PCI_DEVICE_MSI && domain.busToken !== DOMAIN_BUS.PCI_DEVICE_MSIX &&
      domain.busToken !== DOMAIN_BUS.PCI_MSI) return false;
  if (!(info.flags & MSI_FLAG.MUST_REACTIVATE)) return false;
  if (info.flags & MSI_FLAG.NO_MASK) return false;
  const first = msiDescsSorted(slot)[0];
  if (!first?.pci) return false;
  return first.pci.isMsix || first.pci.canMask;
}

/** msi_init_virq(): early activation (parked message), then reservation mode clears ACTIVATED. */
function msiInitVirq(k: Kernel, d: IrqData, activate: boolean, canReserve: boolean): number {
  if (!canReserve) {
    irqdClear(d, IRQD.CAN_RESERVE);
    if (activate && irqd(d, IRQD.AFFINITY_MANAGED) && !d.common.affinity.some((c) => k.cpuOnline(c))) {
      irqdSet(d, IRQD.MANAGED_SHUTDOWN);
      return 0;
    }
  }
  if (!activate) return 0;
  const ret = irqDomainActivateIrq(k, d, canReserve);
  if (ret) return ret;
  if (canReserve) {
    irqdClear(d, IRQD.ACTIVATED);
    if (k.t.on) k.t.effect(`irq ${d.irq}: reservation mode, IRQD_ACTIVATED cleared so request_irq() assigns the real vector`);
  }
  return 0;
}

/** msi_handle_pci_fail(): PCI multi-MSI retries with one vector, else report partial success. */
function msiHandlePciFail(domain: IrqDomain, desc: MsiDesc, allocated: number): number {
  const t = domain.busToken;
  if (t !== DOMAIN_BUS.PCI_MSI && t !== DOMAIN_BUS.PCI_DEVICE_MSI && t !== DOMAIN_BUS.PCI_DEVICE_MSIX && t !== DOMAIN_BUS.VMD_MSI) return -ENOSPC;
  if (desc.nvecUsed > 1) return 1;
  return allocated ? allocated : -ENOSPC;
}

/**
 * __msi_domain_alloc_irqs(): allocate an interrupt (nvec_used of them for multi-MSI) for every
 * descriptor of the slot that has none. Returns 0, a positive retry count, or -errno; the
 * caller frees what was allocated when this is not 0.
 */
export function msiDomainAllocIrqsAllLocked(k: Kernel, dev: Device, domid: number): number {
  const slot = dev.msi.data?.domains[domid];
  const domain = slot?.domain;
  if (!slot || !domain) return -ENODEV;
  const info = msiDomainInfo(domain);
  k.t.enter('msi_domain_alloc_irqs_all_locked', domain.name, 'kernel/irq/msi.c');
  const arg: AllocArg = { type: info.allocType, dev: dev.name, hwirq: 0 };
  const r = populateAllocInfo(k, domain, info, dev, slot.store.size, arg);
  if (r) return k.t.leave(r);
  const activate = (info.flags & MSI_FLAG.ACTIVATE_EARLY) !== 0;
  const canReserve = msiCheckReservationMode(domain, info, slot);
  let allocated = 0;
  for (const desc of msiDescsSorted(slot)) {
    if (desc.irq) continue;
    const r = msiAllocDescIrqs(k, domain, info, dev, desc, arg, activate, canReserve);
    if (r < 0) return k.t.leave(msiHandlePciFail(domain, desc, allocated));
    allocated++;
  }
  return k.t.leave(0);
}

function msiAllocDescIrqs(
  k: Kernel, domain: IrqDomain, info: MsiDomainInfo, dev: Device, desc: MsiDesc, arg: AllocArg,
  activate: boolean, canReserve: boolean,
): number {
  info.ops.prepareDesc?.(domain, arg, desc);
  if (info.ops.setDesc) info.ops.setDesc(arg, desc);
  else arg.hwirq = desc.msiIndex;
  const virq = irqDomainAllocIrqs(k, domain, desc.nvecUsed, { ...arg }, desc.affinity);
  if (virq < 0) return virq;
  desc.irq = virq;
  for (let i = 0; i < desc.nvecUsed; i++) {
    const d = k.descs.get(virq + i)!;
    d.irqData.common.msiDesc = desc;
    d.devName = dev.name;
    const r = msiInitVirq(k, d.irqData, activate, canReserve);
    if (r) return r;
  }
  return 0;
}

/** msi_domain_free_irqs_all_locked() / _range: deactivate, free the interrupts, drop descriptors. */
export function msiDomainFreeIrqsRange(k: Kernel, dev: Device, domid: number, first: number, last: number): void {
  const slot = dev.msi.data?.domains[domid];
  if (!slot?.domain) return;
  const info = msiDomainInfo(slot.domain);
  k.t.enter('msi_domain_free_irqs_range', slot.domain.name, 'kernel/irq/msi.c');
  for (const desc of msiDescsSorted(slot)) {
    if (desc.msiIndex < first || desc.msiIndex > last) continue;
    if (desc.irq) {
      for (let i = 0; i < desc.nvecUsed; i++) {
        const d = k.descs.get(desc.irq + i);
        if (d) irqDomainDeactivateIrq(k, d.irqData);
      }
      irqDomainFreeIrqs(k, desc.irq, desc.nvecUsed);
      desc.irq = 0;
    }
    if (info.flags & MSI_FLAG.FREE_MSI_DESCS) slot.store.delete(desc.msiIndex);
  }
  k.t.leaveWith();
}

export function msiDomainFreeIrqsAll(k: Kernel, dev: Device, domid: number): void {
  msiDomainFreeIrqsRange(k, dev, domid, 0, 0xffff);
}

/** struct msi_map: index (or -errno) and virq. */
export interface MsiMap {
  index: number;
  virq: number;
}

/**
 * msi_domain_alloc_irq_at(): one descriptor and interrupt at `index` or MSI_ANY_INDEX.
 * `makeDesc` builds the bus-specific descriptor (PCI MSI-X entry, IMS slot, …).
 */
export function msiDomainAllocIrqAt(
  k: Kernel, dev: Device, domid: number, index: number, affdesc: IrqAffinityDesc | null,
  makeDesc: (desc: MsiDesc) => void, icookie?: number,
): MsiMap {
  const slot = dev.msi.data?.domains[domid];
  k.t.enter('msi_domain_alloc_irq_at', slot?.domain?.name, 'kernel/irq/msi.c');
  if (!slot?.domain) {
    k.t.leaveWith('-ENODEV');
    return { index: -ENODEV, virq: 0 };
  }
  const domain = slot.domain;
  const info = msiDomainInfo(domain);
  const desc: MsiDesc = {
    irq: 0, nvecUsed: 1, dev, msg: { addressLo: 0, addressHi: 0, data: 0 }, affinity: affdesc ? [affdesc] : null,
    msiIndex: 0, pci: null,
  };
  if (icookie !== undefined) desc.icookie = icookie;
  makeDesc(desc);
  const ins = msiInsertDesc(slot, desc, index);
  if (ins) {
    if (k.t.on) k.t.effect(ins === -EBUSY ? (index === MSI_ANY_INDEX ? 'no free index left' : `index ${index} is in use`) : `index ${index} is beyond hwsize ${info.hwsize}`);
    k.t.leaveWith(ins === -EBUSY ? '-EBUSY' : '-ERANGE');
    return { index: ins, virq: 0 };
  }
  if (k.t.on) k.t.effect(`descriptor inserted at index ${desc.msiIndex}`);
  const arg: AllocArg = { type: info.allocType, dev: dev.name, hwirq: 0 };
  const pr = populateAllocInfo(k, domain, info, dev, 1, arg);
  if (pr) {
    slot.store.delete(desc.msiIndex);
    k.t.leaveWith(String(pr));
    return { index: pr, virq: 0 };
  }
  const activate = (info.flags & MSI_FLAG.ACTIVATE_EARLY) !== 0;
  const canReserve = msiCheckReservationMode(domain, info, slot);
  const r = msiAllocDescIrqs(k, domain, info, dev, desc, arg, activate, canReserve);
  if (r < 0) {
    msiDomainFreeIrqsRange(k, dev, domid, desc.msiIndex, desc.msiIndex);
    slot.store.delete(desc.msiIndex);
    k.t.leaveWith(String(r));
    return { index: r, virq: 0 };
  }
  k.t.leaveWith(`{index ${desc.msiIndex}, virq ${desc.irq}}`);
  return { index: desc.msiIndex, virq: desc.irq };
}

/** msi_domain_get_virq(): 0 when nothing is there; PCI MSI gives desc->irq + index. */
export function msiDomainGetVirq(dev: Device, domid: number, index: number): number {
  const slot = dev.msi.data?.domains[domid];
  if (!slot) return 0;
  const first = slot.store.get(0);
  if (first?.pci && !first.pci.isMsix) return index < first.nvecUsed && first.irq ? first.irq + index : 0;
  return slot.store.get(index)?.irq ?? 0;
}
