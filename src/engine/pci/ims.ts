// Models drivers/pci/msi/irqdomain.c + drivers/pci/msi/api.c of v6.2–v6.9 (PCI/IMS, removed in
// 2024 because it never got a user): pci_create_ims_domain(), pci_ims_alloc_irq() and
// pci_ims_free_irq(), the driver's msi_domain_template, and what the device does with its store.
//
// The IMS domain is a secondary per-device domain (MSI_SECONDARY_DOMAIN) next to the device's
// MSI or MSI-X domain; the core manages its index space (single vectors, lowest free index);
// affinity belongs to the parent (remapping), which is why only x86 IR parents of physical
// IOMMUs advertised MSI_FLAG_PCI_IMS. The checks follow the merged code (v6.2): it returns bool;
// the V2 posting had `return -ENOTSUPP` / `return -EINVAL` there (in a bool function, which C
// turns into true — fixed to false in V3). The ops report those errnos so each refusal is told
// apart.

import { EBUSY, EEXIST, EINVAL, ENODEV, ENOTSUPP } from '../core/errno';
import type { Kernel } from '../core/kernel';
import { IRQCHIP, type IrqChip, irqChipSetAffinityParent } from '../core/chip';
import { freeIrq } from '../core/manage';
import { DOMAIN_BUS, type IrqDomain } from '../core/irqdomain';
import {
  MSI_FLAG, type MsiDomainTemplate, type MsiMap, msiDomainAllocIrqAt, msiDomainFreeIrqsRange, msiParentOps,
  msiCreateDeviceIrqDomain, msiRemoveDeviceIrqDomain,
} from '../msi/msi';
import { MSI_ANY_INDEX, MSI_SECONDARY_DOMAIN, type MsiDesc, msiDescsSorted } from '../msi/msidesc';
import {
  IMS_CTRL_PASID_ENABLE, IMS_CTRL_PASID_SHIFT, type ImsHw, type ImsStorage, imsChipOps, imsEntry, imsHwOf,
  imsSaveEntries, imsSend,
} from '../msi/ims-chip';
import type { PciDev } from './pcidev';
import type { ImsTemplate } from '../types';

const FILE = 'drivers/pci/msi/irqdomain.c';
const API = 'drivers/pci/msi/api.c';
const ERA = 'PCI/IMS: merged in v6.2, removed in 2024 (v6.10) for want of a user';

/** The devres entry the IMS domain is released by (see imsRemove). */
export const IMS_DEVRES_RELEASE = 'msi_remove_device_irq_domain';

export type ImsChipCallback = NonNullable<ImsTemplate['omit']>[number];

/** A driver's template as the scenario may bend it (each field a mistake the kernel checks for). */
export type ImsTemplateSpec = ImsTemplate;

export const BUS_TOKENS: Record<NonNullable<ImsTemplate['busToken']>, number> = {
  DOMAIN_BUS_PCI_DEVICE_IMS: DOMAIN_BUS.PCI_DEVICE_IMS,
  DOMAIN_BUS_PCI_DEVICE_MSIX: DOMAIN_BUS.PCI_DEVICE_MSIX,
  DOMAIN_BUS_PCI_DEVICE_MSI: DOMAIN_BUS.PCI_DEVICE_MSI,
  DOMAIN_BUS_DEVICE_MSI: DOMAIN_BUS.DEVICE_MSI,
};

export const TEMPLATE_FLAGS: Record<NonNullable<ImsTemplate['flags']>[number], number> = {
  MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS: MSI_FLAG.ALLOC_SIMPLE_MSI_DESCS,
  MSI_FLAG_FREE_MSI_DESCS: MSI_FLAG.FREE_MSI_DESCS,
  MSI_FLAG_USE_DEF_DOM_OPS: MSI_FLAG.USE_DEF_DOM_OPS,
  MSI_FLAG_USE_DEF_CHIP_OPS: MSI_FLAG.USE_DEF_CHIP_OPS,
  MSI_FLAG_ACTIVATE_EARLY: MSI_FLAG.ACTIVATE_EARLY,
  MSI_FLAG_DEV_SYSFS: MSI_FLAG.DEV_SYSFS,
};

const CHIP_FIELD: Record<ImsChipCallback, keyof IrqChip> = {
  irq_mask: 'irqMask',
  irq_unmask: 'irqUnmask',
  irq_write_msi_msg: 'irqWriteMsiMsg',
  irq_bus_lock: 'irqBusLock',
  irq_bus_sync_unlock: 'irqBusSyncUnlock',
};

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/**
 * prepare_desc of the IDXD example: point the descriptor at its entry, mask the entry "for
 * paranoia sake", and turn the instance cookie (a PASID) into ctrl bits.
 */
function imsPrepareDesc(k: Kernel, h: ImsHw) {
  return (_domain: IrqDomain, arg: { hwirq: number }, desc: MsiDesc): void => {
    const e = imsEntry(h, desc.msiIndex);
    e.masked = true;
    e.change = null;
    e.pending = false;
    e.ctrlCookie = desc.icookie !== undefined ? ((desc.icookie << IMS_CTRL_PASID_SHIFT) | IMS_CTRL_PASID_ENABLE) >>> 0 : 0;
    arg.hwirq = desc.msiIndex;
    if (k.t.on) {
      k.t.effect(`prepare_desc: ${h.storage === 'device' ? 'IMS slot' : 'queue'} ${desc.msiIndex} set up and masked` +
        (desc.icookie !== undefined ? `; icookie ${hex(desc.icookie)} → ctrl PASID bits ${hex(e.ctrlCookie)}` : ''));
    }
  };
}

/** The driver's msi_domain_template for its store, with the scenario's deviations applied. */
export function imsTemplate(k: Kernel, h: ImsHw, spec: ImsTemplateSpec = {}): MsiDomainTemplate {
  const chip: Omit<IrqChip, 'name'> = { flags: IRQCHIP.ONESHOT_SAFE, ...imsChipOps(h.storage) };
  for (const cb of spec.omit ?? []) delete (chip as Partial<IrqChip>)[CHIP_FIELD[cb]];
  if (spec.setAffinity) chip.irqSetAffinity = irqChipSetAffinityParent;
  let flags = MSI_FLAG.ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG.FREE_MSI_DESCS;
  if (spec.flags) flags = spec.flags.reduce((f, n) => f | TEMPLATE_FLAGS[n], 0);
  return {
    name: spec.name ?? 'IMS',
    chip,
    info: {
      flags,
      busToken: BUS_TOKENS[spec.busToken ?? 'DOMAIN_BUS_PCI_DEVICE_IMS'],
      ops: { prepareDesc: imsPrepareDesc(k, h) },
      handler: 'handle_edge_irq',
      handlerName: 'edge',
      allocType: 'ims',
    },
    era: 'removed in 2024',
  };
}

/** The rules pci_create_ims_domain() checks a template against, each named as the kernel writes it. */
function templateViolations(t: MsiDomainTemplate): string[] {
  const out: string[] = [];
  if (t.info.busToken !== DOMAIN_BUS.PCI_DEVICE_IMS) out.push(`template->info.bus_token is ${t.info.busToken}, not DOMAIN_BUS_PCI_DEVICE_IMS (${DOMAIN_BUS.PCI_DEVICE_IMS})`);
  if (!(t.info.flags & MSI_FLAG.ALLOC_SIMPLE_MSI_DESCS)) out.push('MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS missing: the core must manage the index space');
  if (!(t.info.flags & MSI_FLAG.FREE_MSI_DESCS)) out.push('MSI_FLAG_FREE_MSI_DESCS missing');
  if (!t.chip.irqMask) out.push('template->chip.irq_mask missing');
  if (!t.chip.irqUnmask) out.push('template->chip.irq_unmask missing');
  if (!t.chip.irqWriteMsiMsg) out.push('template->chip.irq_write_msi_msg missing: affinity reaches the store only through it');
  if (t.chip.irqSetAffinity) out.push('template->chip.irq_set_affinity set: IMS affinity belongs to the parent domain');
  return out;
}

/**
 * pci_create_ims_domain(pdev, template, hwsize, data): the IMS domain in MSI_SECONDARY_DOMAIN.
 * Returns 0, or the errno the design thread named for the refusal (mainline: false).
 */
export function pciCreateImsDomain(k: Kernel, dev: PciDev, tmpl: MsiDomainTemplate, hwsize: number): number {
  const parent = dev.msi.domain;
  k.t.enter('pci_create_ims_domain', parent?.name, FILE);
  if (k.t.on) k.t.effect(ERA);
  const pops = msiParentOps(parent);
  if (!parent || !pops) {
    if (k.t.on) {
      k.t.effect('refused: the design thread returned -ENOTSUPP here; merged v6.2 returns false');
      k.t.effect(parent ? `dev_get_msi_domain() is ${parent.name}, not an MSI parent (irq_domain_is_msi_parent() false)` : 'the device has no MSI domain (legacy model)');
    }
    k.t.leaveWith('false (-ENOTSUPP)');
    return -ENOTSUPP;
  }
  const bad = templateViolations(tmpl);
  if (bad.length) {
    if (k.t.on) {
      k.t.effect('refused: the design thread returned -EINVAL here; merged v6.2 returns false');
      for (const b of bad) k.t.effect(b);
    }
    k.t.leaveWith('false (-EINVAL)');
    return -EINVAL;
  }
  if (pops.pciIms === undefined) {
    // Not an x86 parent: on arm64 in v6.2–v6.9 a PCI device's MSI domain was the global ITS
    // PCI/MSI domain (no MSI parent at all); the msi-lib ITS parent came after IMS was removed.
    if (k.t.on) {
      k.t.enter('msi_create_device_irq_domain', parent.name, 'kernel/irq/msi.c');
      k.t.effect(`${parent.name}: init_dev_msi_info knows no DOMAIN_BUS_PCI_DEVICE_IMS child and its supported_flags never had MSI_FLAG_PCI_IMS`);
      k.t.leaveWith('false');
      k.t.effect('refused: the parent has no IMS support (design thread: -ENOTSUPP; mainline: false). In v6.2–v6.9 an arm64 PCI device had the global ITS PCI/MSI domain, no MSI parent at all; the msi-lib ITS parent came after IMS was removed');
    }
    k.t.leaveWith('false (-ENOTSUPP)');
    return -ENOTSUPP;
  }
  const hadData = dev.msi.data !== null;
  const devres = dev.devres.length;
  const taken = dev.msi.data?.domains[MSI_SECONDARY_DOMAIN].domain ?? null;
  const ok = msiCreateDeviceIrqDomain(k, dev, MSI_SECONDARY_DOMAIN, tmpl, hwsize);
  if (!ok) {
    if (!hadData) {
      dev.msi.data = null;
      dev.devres.length = devres;
    }
    if (k.t.on) {
      k.t.effect(taken ? `MSI_SECONDARY_DOMAIN already holds ${taken.name}`
        : `refused: the MSI parent chain of ${parent.name} has no MSI_FLAG_PCI_IMS (design thread: -ENOTSUPP; mainline: false)`);
    }
    k.t.leaveWith(taken ? 'false (-EEXIST)' : 'false (-ENOTSUPP)');
    return taken ? -EEXIST : -ENOTSUPP;
  }
  const domain = dev.msi.data!.domains[MSI_SECONDARY_DOMAIN].domain!;
  dev.devres.push({ release: IMS_DEVRES_RELEASE, what: `IMS domain ${domain.name} (MSI_SECONDARY_DOMAIN of ${dev.name})` });
  if (k.t.on) {
    k.t.effect(`devres: ${domain.name} goes away with the device (driver unbind / removal)`);
    k.t.effect(`index space managed by the core: single vectors, lowest free index of ${hwsize || 'the software-managed range'}`);
  }
  k.t.leaveWith('true');
  return 0;
}

/** pci_create_ims_domain() as the op calls it: template from the device's store and the scenario. */
export function pciCreateImsDomainFor(k: Kernel, dev: PciDev, spec: ImsTemplateSpec = {}): number {
  const h = imsHwOf(dev);
  if (!h) {
    k.t.enter('pci_create_ims_domain', dev.msi.domain?.name, FILE);
    if (k.t.on) k.t.effect(`${dev.name} has no interrupt message store (no "ims" in its device spec)`);
    return k.t.leave(-ENODEV);
  }
  return pciCreateImsDomain(k, dev, imsTemplate(k, h, spec), h.size);
}

/** The IMS domain of a device, if it has one. */
export function imsDomain(dev: PciDev): IrqDomain | null {
  return dev.msi.data?.domains[MSI_SECONDARY_DOMAIN].domain ?? null;
}

/**
 * msi_domain_alloc_irq_at(dev, MSI_SECONDARY_DOMAIN, index, NULL, icookie): one IMS vector at
 * `index` or the lowest free one (MSI_ANY_INDEX). A failure leaves the store as it was.
 */
export function imsAllocIrqAt(k: Kernel, dev: PciDev, index: number, icookie?: number): MsiMap {
  const h = imsHwOf(dev);
  const saved = h ? imsSaveEntries(h) : null;
  const map = msiDomainAllocIrqAt(k, dev, MSI_SECONDARY_DOMAIN, index, null, () => {}, icookie);
  if (map.index < 0 && h && saved) h.entries = saved;
  return map;
}

/** pci_ims_alloc_irq(pdev, icookie, affdesc): MSI_ANY_INDEX in the IMS domain. */
export function pciImsAllocIrq(k: Kernel, dev: PciDev, icookie?: number): MsiMap {
  k.t.enter('pci_ims_alloc_irq', imsDomain(dev)?.name, API);
  const map = imsAllocIrqAt(k, dev, MSI_ANY_INDEX, icookie);
  k.t.leaveWith(map.index < 0 ? `{index ${map.index}}` : `{index ${map.index}, virq ${map.virq}}`);
  return map;
}

/** pci_ims_free_irq(pdev, map): WARN on a bad map, then free the one index. */
export function pciImsFreeIrq(k: Kernel, dev: PciDev, index: number): number {
  k.t.enter('pci_ims_free_irq', imsDomain(dev)?.name, API);
  const desc = dev.msi.data?.domains[MSI_SECONDARY_DOMAIN].store.get(index);
  if (!desc || !desc.irq) {
    k.log('warn', `WARNING: pci_ims_free_irq: no IMS interrupt at index ${index} on ${dev.name}`);
    return k.t.leave(-EINVAL);
  }
  if (k.descs.get(desc.irq)?.action.length) {
    if (k.t.on) k.t.effect(`irq ${desc.irq} still has a handler: free_irq() first`);
    return k.t.leave(-EBUSY);
  }
  msiDomainFreeIrqsRange(k, dev, MSI_SECONDARY_DOMAIN, index, index);
  return k.t.leave(0);
}

/** The device signals IMS entry `index`: sent if unmasked, else left pending until an unmask takes effect. */
export function imsRaise(k: Kernel, dev: PciDev, index: number): number {
  k.t.enter('device raises IMS interrupt', imsDomain(dev)?.name, 'PCI function (IMS)');
  const h = imsHwOf(dev);
  if (!h) {
    if (k.t.on) k.t.effect(`${dev.name} has no interrupt message store`);
    return k.t.leave(-ENODEV);
  }
  if (index < 0 || index >= h.size) {
    if (k.t.on) k.t.effect(`the store has ${h.size} entries`);
    return k.t.leave(-EINVAL);
  }
  const e = imsEntry(h, index);
  if (e.masked) {
    e.pending = true;
    if (k.t.on) {
      k.hop({ stage: 'pending', domain: dev.msi.data?.domains[MSI_SECONDARY_DOMAIN].domain?.name ?? null, label: `IMS entry ${index} masked: pending` });
      k.t.effect(`${h.storage === 'device' ? 'IMS slot' : 'queue'} ${index} is masked${e.change?.masked === false ? ' (an unmask is recorded but not pushed yet)' : ''}: pending, sent when an unmask takes effect`);
    }
    return k.t.leave(0);
  }
  imsSend(k, dev, h, index);
  return k.t.leave(0);
}

/**
 * The IMS domain goes away with the device: msi_remove_device_irq_domain(dev,
 * MSI_SECONDARY_DOMAIN), reached from devres (msi_device_data_release) when the driver unbinds
 * or the device is removed. For the driver model: call it for the devres entry named
 * IMS_DEVRES_RELEASE. Handlers still installed are freed first (devm_request_irq order).
 */
export function imsRemove(k: Kernel, dev: PciDev): void {
  const slot = dev.msi.data?.domains[MSI_SECONDARY_DOMAIN];
  const domain = slot?.domain;
  if (!slot || !domain) return;
  k.t.enter('devres_release: IMS domain', domain.name, 'drivers/base/devres.c');
  for (const desc of msiDescsSorted(slot)) {
    const irq = desc.irq ? k.descs.get(desc.irq) : undefined;
    while (irq && irq.action.length) freeIrq(k, irq);
  }
  msiRemoveDeviceIrqDomain(k, dev, MSI_SECONDARY_DOMAIN);
  const i = dev.devres.findIndex((r) => r.release === IMS_DEVRES_RELEASE);
  if (i >= 0) dev.devres.splice(i, 1);
  k.t.leaveWith();
}

/** The view of a device's store: the entries in use, pending or with a change not yet pushed. */
export function imsView(dev: PciDev): {
  storage: ImsStorage; size: number; domain: string | null; era: 'removed in 2024'; busLocked: boolean;
  rows: {
    index: number; virq: number; icookie: number | null; addressLo: number; addressHi: number; data: number;
    masked: boolean; pending: boolean;
    change: { addressLo?: number; addressHi?: number; data?: number; masked?: boolean } | null;
  }[];
} | undefined {
  const h = imsHwOf(dev);
  if (!h) return undefined;
  const store = dev.msi.data?.domains[MSI_SECONDARY_DOMAIN].store;
  const idx = new Set<number>([...(store?.keys() ?? [])]);
  for (const [i, e] of h.entries) if (e.pending || e.change || e.addressLo || e.addressHi || e.data || !e.masked) idx.add(i);
  const rows = [...idx].sort((a, b) => a - b).map((i) => {
    const e = h.entries.get(i) ?? { addressLo: 0, addressHi: 0, data: 0, masked: true, pending: false, change: null };
    const desc = store?.get(i);
    return {
      index: i, virq: desc?.irq ?? 0, icookie: desc?.icookie ?? null, addressLo: e.addressLo, addressHi: e.addressHi,
      data: e.data, masked: e.masked, pending: e.pending, change: e.change ? { ...e.change } : null,
    };
  });
  return { storage: h.storage, size: h.size, domain: imsDomain(dev)?.name ?? null, era: 'removed in 2024', busLocked: h.busLocked, rows };
}
