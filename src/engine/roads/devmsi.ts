// Models the DEV_MSI series, not merged: "[PATCH RFC v2 02/18] irq/dev-msi: Add support for a new
// DEV_MSI irq domain", "03/18 irq/dev-msi: Create IR-DEV-MSI irq domain" and "04/18 irq/dev-msi:
// Introduce APIs to allocate/free dev-msi interrupts" (dmaengine, linux-pci, x86, July–Aug 2020;
// drivers/base/dev-msi.c, drivers/base/platform-msi.c, drivers/iommu/intel/irq_remapping.c), and
// the alternative the same thread raised: platform_msi_assign_domain(dev, parent) / a
// platform_msi_create_device_domain() that takes a parent irq_domain.
//
// The shape the thread argued about:
//   create_dev_msi_irq_domain(parent)  the remapping driver makes one dev-msi domain per IOMMU on
//                                      its IR domain: iommu->ir_dev_msi_domain, chip "IR-DEV-MSI",
//                                      bus token DOMAIN_BUS_PLATFORM_MSI; the first one made is
//                                      dev_msi_default_domain
//   dev->msi_domain = iommu->ir_dev_msi_domain   the mdev driver, via device_to_iommu(parent)
//   dev_msi_domain_alloc_irqs(dev, nvec, ops)    platform-MSI: made-up devid, hwirq = devid << 11
//                                      | index; the one shared chip calls the device's
//                                      platform_msi_ops (mask, unmask, write_msg) through
//                                      desc->platform.msi_priv_data; the store slots are managed by
//                                      the device driver on the side
// The objection that ended it (same thread, Aug 2020): "The domain itself does not provide much
// functionality other than indirections and you clearly need per device interrupt resource
// management on the side and a customized irq chip." What won: vector -> IR -> IDXD, a
// device-specific IMS domain with a device-specific chip (pci/ims.ts, v6.2).

import { EBUSY, EEXIST, EINVAL, ENODEV, ENOSPC, ENXIO } from '../core/errno';
import type { Kernel } from '../core/kernel';
import type { IrqData } from '../core/irqdesc';
import {
  IRQCHIP, type IrqChip, type MsiMsg, irqChipAckParent, irqChipRetriggerHierarchy,
} from '../core/chip';
import {
  DOMAIN_BUS, IRQ_DOMAIN_FLAG, irqDomainAllocIrqs, irqDomainCreate, irqDomainDeactivateIrq,
  irqDomainFreeIrqs, irqDomainRemove, irqDomainUpdateBusToken,
} from '../core/irqdomain';
import { MSI_FLAG, type MsiDomainInfo, msiDomainOps, msiDomainSetAffinity, msiSetupDeviceData } from '../msi/msi';
import { MSI_DEFAULT_DOMAIN, type MsiDesc, msiDescsSorted } from '../msi/msidesc';
import { type ImsEntry, type ImsHw, imsEntry, imsHwOf, imsSaveEntries, imsSend } from '../msi/ims-chip';
import type { PciDev } from '../pci/pcidev';
import { type Mdev, type RoadsState, ROAD_ERA, devidAlloc, deviceToIommu, hex, roads } from './state';

const FILE = 'drivers/base/dev-msi.c';
const PLAT = 'drivers/base/platform-msi.c';
const ERA = `DEV_MSI (${ROAD_ERA.devMsi}): PATCH RFC v2 02-04/18 "irq/dev-msi", 2020`;

/** DEV_ID_SHIFT of platform-msi: 32 - 21 = 11 index bits, MAX_DEV_MSIS = 2048 per device. */
export const DEV_ID_SHIFT = 21;
export const MAX_DEV_MSIS = 1 << (32 - DEV_ID_SHIFT);

/** dev_msi_calc_hwirq(): (devid << (32 - DEV_ID_SHIFT)) | msi_index. */
export function devMsiCalcHwirq(devid: number, index: number): number {
  return ((devid << (32 - DEV_ID_SHIFT)) | index) >>> 0;
}

// ---- the one chip every device shares: platform_msi_{mask,unmask}_irq, platform_msi_write_msg ----

function privOf(k: Kernel, d: IrqData) {
  const desc = d.common.msiDesc;
  const p = desc ? roads(k).priv.get(desc) : undefined;
  if (!desc || !p) return null;
  const h = imsHwOf(p.pdev);
  return h ? { desc, p, h, e: imsEntry(h, p.slot) } : null;
}

function where(h: ImsHw, slot: number): string {
  return h.storage === 'device' ? `IMS slot ${slot}` : `queue ${slot} context (system memory)`;
}

function record(k: Kernel, h: ImsHw, slot: number, e: ImsEntry, change: Partial<ImsEntry>, what: string): void {
  e.change = { ...(e.change ?? {}), ...change };
  if (k.t.on) {
    k.t.effect(`platform_msi_ops.${what} can only record it in ${where(h, slot)}: the device sees it after a queue command that sleeps, ` +
      'and the shared chip has no irq_bus_lock/irq_bus_sync_unlock to run one (it is one chip for every device) — recorded, never made effective');
  }
}

function sendIfPending(k: Kernel, pdev: PciDev, h: ImsHw, slot: number): void {
  const e = imsEntry(h, slot);
  if (e.masked || !e.pending) return;
  e.pending = false;
  if (k.t.on) k.t.effect(`${where(h, slot)} was pending: the device sends it now`);
  imsSend(k, pdev, h, slot);
}

/** platform_msi_mask_irq(): desc->platform.msi_priv_data->ops->irq_mask(desc). */
function platformMsiMaskIrq(d: IrqData, k: Kernel): void {
  const c = privOf(k, d);
  if (!c) return;
  k.t.enter('platform_msi_mask_irq', d.domain.name, PLAT);
  if (k.t.on) k.t.effect(`indirection: desc->platform.msi_priv_data->ops->irq_mask() of ${c.p.pdev.name}'s driver`);
  if (c.h.storage === 'device') {
    c.e.masked = true;
    if (k.t.on) k.t.effect(`${where(c.h, c.p.slot)}: ctrl mask bit set`);
  } else record(k, c.h, c.p.slot, c.e, { masked: true }, 'irq_mask');
  k.t.leaveWith();
}

function platformMsiUnmaskIrq(d: IrqData, k: Kernel): void {
  const c = privOf(k, d);
  if (!c) return;
  k.t.enter('platform_msi_unmask_irq', d.domain.name, PLAT);
  if (k.t.on) k.t.effect(`indirection: desc->platform.msi_priv_data->ops->irq_unmask() of ${c.p.pdev.name}'s driver`);
  if (c.h.storage === 'device') {
    c.e.masked = false;
    if (k.t.on) k.t.effect(`${where(c.h, c.p.slot)}: ctrl mask bit clear`);
    sendIfPending(k, c.p.pdev, c.h, c.p.slot);
  } else record(k, c.h, c.p.slot, c.e, { masked: false }, 'irq_unmask');
  k.t.leaveWith();
}

function platformMsiWriteMsg(d: IrqData, k: Kernel, msg: MsiMsg): void {
  const c = privOf(k, d);
  if (!c) return;
  k.t.enter('platform_msi_write_msg', d.domain.name, PLAT);
  if (k.t.on) k.t.effect(`indirection: desc->platform.msi_priv_data->ops->write_msg() of ${c.p.pdev.name}'s driver`);
  c.desc.msg = { ...msg };
  if (c.h.storage === 'device') {
    Object.assign(c.e, { addressLo: msg.addressLo, addressHi: msg.addressHi, data: msg.data });
    if (k.t.on) k.t.effect(`${where(c.h, c.p.slot)} ← address ${hex(msg.addressLo)} data ${hex(msg.data)}`);
  } else {
    record(k, c.h, c.p.slot, c.e, { addressLo: msg.addressLo, addressHi: msg.addressHi, data: msg.data }, 'write_msg');
  }
  k.t.leaveWith();
}

/** dev_msi_ir_controller / dev_msi_controller: one chip, shared by every device of every domain of its kind. */
function platformChip(name: string): IrqChip {
  return {
    name,
    flags: IRQCHIP.SKIP_SET_WAKE,
    irqMask: platformMsiMaskIrq,
    irqUnmask: platformMsiUnmaskIrq,
    irqWriteMsiMsg: platformMsiWriteMsg,
    irqAck: irqChipAckParent,
    irqRetrigger: irqChipRetriggerHierarchy,
    // MSI_FLAG_USE_DEF_CHIP_OPS: msi_domain_set_affinity
    irqSetAffinity: msiDomainSetAffinity,
  };
}

const IR_DEV_MSI_CHIP = platformChip('IR-DEV-MSI');
const DEV_MSI_CHIP = platformChip('DEV-MSI');

function devMsiInfo(chip: IrqChip): MsiDomainInfo {
  return {
    flags: MSI_FLAG.USE_DEF_DOM_OPS | MSI_FLAG.USE_DEF_CHIP_OPS, busToken: DOMAIN_BUS.PLATFORM_MSI, hwsize: 0, ops: {}, chip,
    handler: 'handle_edge_irq', handlerName: 'edge', allocType: 'ims',
  };
}

/**
 * create_dev_msi_irq_domain(parent) for every remapping unit (patch 03: intel_setup_irq_remapping()
 * calls create_remap_dev_msi_irq_domain(iommu->ir_domain, "INTEL-IR-DEV-MSI")); without remapping
 * the initcall's "DEV_MSI" domain on the default host (VECTOR). Returns how many were created.
 */
export function createDevMsiIrqDomain(k: Kernel): number {
  const s = roads(k);
  k.t.enter('create_dev_msi_irq_domain', undefined, FILE);
  if (k.t.on) k.t.effect(ERA);
  const irs = k.domains.filter((d) => d.kind === 'remap');
  const vector = k.domains.find((d) => d.kind === 'vector');
  const parents = irs.length ? irs : vector ? [vector] : [];
  if (!parents.length) {
    if (k.t.on) k.t.effect('no x86 VECTOR domain: dev-msi uses irq_get_default_host() and X86_IRQ_ALLOC_TYPE_DEV_MSI — the RFC is x86 only');
    return k.t.leave(-ENODEV);
  }
  const missing = parents.filter((p) => !s.devMsiByIommu.has(p));
  if (!missing.length) {
    if (k.t.on) k.t.effect('every remapping unit has its dev-msi domain already (iommu->ir_dev_msi_domain)');
    return k.t.leave(-EEXIST);
  }
  for (const parent of missing) {
    const ir = parent.kind === 'remap';
    const base = ir ? `${parent.name.startsWith('AMD') ? 'AMD' : 'INTEL'}-IR-DEV-MSI` : 'DEV_MSI';
    const d = irqDomainCreate(k, base, msiDomainOps, parent, {
      flags: IRQ_DOMAIN_FLAG.MSI, hostData: devMsiInfo(ir ? IR_DEV_MSI_CHIP : DEV_MSI_CHIP), kind: 'dev-msi',
    });
    d.era = ROAD_ERA.devMsi;
    irqDomainUpdateBusToken(d, DOMAIN_BUS.PLATFORM_MSI);
    s.devMsiByIommu.set(parent, d);
    if (!s.devMsiDefault) s.devMsiDefault = d;
    if (k.t.on) {
      k.t.effect(`${d.name} on ${parent.name}: ${ir ? 'iommu->ir_dev_msi_domain' : 'dev_msi_default_domain'}, chip ${ir ? 'IR-DEV-MSI' : 'DEV-MSI'} — ` +
        'owned by the remapping unit and shared by every device behind it; it lives as long as the IOMMU');
      if (s.devMsiDefault === d) k.t.effect(`dev_msi_default_domain = ${d.name} (the first one; a device on another IOMMU must have dev->msi_domain set by its driver)`);
    }
  }
  return k.t.leave(missing.length);
}

/** mdev_device_create(): a mediated device, child of a PCI function. */
export function mdevDeviceCreate(k: Kernel, pdev: PciDev, name: string): Mdev {
  const m: Mdev = { kind: 'mdev', name, parent: pdev, msi: { domain: null, data: null }, devres: [], driver: null };
  roads(k).mdevs.set(name, m);
  if (k.t.on) {
    k.t.enter('mdev_device_create', undefined, 'drivers/vfio/mdev/mdev_core.c');
    k.t.effect(`${name}: a mediated device of ${pdev.name} (its struct device's parent); no MSI domain yet`);
    k.t.leaveWith('0');
  }
  return m;
}

/**
 * The mdev driver of the thread: p_dev = get_parent_pci_dev(dev); iommu = device_to_iommu(p_dev);
 * dev->msi_domain = iommu->ir_dev_msi_domain.
 */
export function mdevSetMsiDomain(k: Kernel, m: Mdev): number {
  const s = roads(k);
  const iommu = deviceToIommu(k, m.parent);
  const dom = iommu ? s.devMsiByIommu.get(iommu) ?? null : null;
  k.t.enter('dev_set_msi_domain', dom?.name, 'include/linux/device.h');
  if (k.t.on) k.t.effect(`${ERA}; the mdev driver: iommu = device_to_iommu(${m.parent.name}) = ${iommu?.name ?? 'none'}`);
  if (!dom) {
    if (k.t.on) k.t.effect(`iommu->ir_dev_msi_domain is NULL: create_dev_msi_irq_domain() has not run for ${iommu?.name ?? 'this IOMMU'}`);
    return k.t.leave(-ENODEV);
  }
  if (m.msi.data?.domains[MSI_DEFAULT_DOMAIN].store.size) {
    if (k.t.on) k.t.effect(`${m.name} has interrupts on ${m.msi.domain?.name}: free them first`);
    return k.t.leave(-EBUSY);
  }
  m.msi.domain = dom;
  if (k.t.on) k.t.effect(`${m.name}->msi_domain = ${dom.name} (the driver, not the core, touches dev->msi_domain)`);
  return k.t.leave(0);
}

/** The slots of a PCI device's store in use: by platform-MSI interrupts of its mdevs, and by its own secondary (IMS) store. */
function slotsInUse(s: RoadsState, pdev: PciDev): Set<number> {
  const used = new Set<number>(pdev.msi.data?.domains[1].store.keys() ?? []);
  for (const m of s.mdevs.values()) {
    if (m.parent !== pdev) continue;
    for (const desc of m.msi.data?.domains[MSI_DEFAULT_DOMAIN].store.values() ?? []) {
      const p = s.priv.get(desc);
      if (p) used.add(p.slot);
    }
  }
  return used;
}

/**
 * platform_msi_domain_alloc_irqs(dev, nvec, ops): nvec descriptors (index 0…nvec-1) on
 * dev->msi_domain, a devid from the IDA, one interrupt each; the driver's ops pick a store slot
 * each. All or nothing.
 */
export function platformMsiDomainAllocIrqs(k: Kernel, m: Mdev, nvec: number): number {
  const s = roads(k);
  const domain = m.msi.domain;
  k.t.enter('platform_msi_domain_alloc_irqs', domain?.name, PLAT);
  if (!domain || nvec < 1 || nvec > MAX_DEV_MSIS) {
    if (k.t.on) k.t.effect(!domain ? `${m.name} has no msi_domain` : `nvec ${nvec}: 1…MAX_DEV_MSIS (${MAX_DEV_MSIS})`);
    return k.t.leave(-EINVAL);
  }
  if (domain.busToken !== DOMAIN_BUS.PLATFORM_MSI) {
    k.log('err', `${m.name}: Incompatible msi_domain, giving up`);
    return k.t.leave(-EINVAL);
  }
  if (m.msi.data?.domains[MSI_DEFAULT_DOMAIN].store.size) {
    if (k.t.on) k.t.effect('"Already had a helping of MSI? Greed..." — platform-MSI allocates once per device');
    return k.t.leave(-EBUSY);
  }
  const pdev = m.parent;
  const h = imsHwOf(pdev);
  if (!h) {
    if (k.t.on) k.t.effect(`${pdev.name} has no interrupt message store: its driver has no platform_msi_ops.write_msg to give`);
    return k.t.leave(-ENODEV);
  }
  const used = slotsInUse(s, pdev);
  const slots: number[] = [];
  for (let i = 0; i < h.size && slots.length < nvec; i++) if (!used.has(i)) slots.push(i);
  if (slots.length < nvec) {
    if (k.t.on) k.t.effect(`${pdev.name}'s driver finds ${slots.length} free store slots for ${nvec}: the slot allocator is the driver's, on the side of the domain`);
    return k.t.leave(-ENOSPC);
  }
  const devid = devidAlloc(s);
  const hadData = m.msi.data !== null;
  const devres = m.devres.length;
  const saved = imsSaveEntries(h);
  const data = msiSetupDeviceData(k, m);
  const slot = data.domains[MSI_DEFAULT_DOMAIN];
  if (k.t.on) {
    k.t.effect(`platform_msi_alloc_priv_data: devid ${devid} (platform_msi_devid_ida), ops = ${pdev.name}'s driver's platform_msi_ops (${h.storage === 'device' ? 'IMS slots in device memory' : 'queue contexts in system memory'})`);
  }
  const done: MsiDesc[] = [];
  for (let i = 0; i < nvec; i++) {
    const desc: MsiDesc = { irq: 0, nvecUsed: 1, dev: m, msg: { addressLo: 0, addressHi: 0, data: 0 }, affinity: null, msiIndex: i, pci: null };
    slot.store.set(i, desc);
    s.priv.set(desc, { devid, slot: slots[i], pdev });
    const e = imsEntry(h, slots[i]);
    e.masked = true;
    const hwirq = devMsiCalcHwirq(devid, i);
    if (k.t.on) k.t.effect(`index ${i}: hwirq ${hex(hwirq)} (devid ${devid} << 11 | ${i}); ${pdev.name}'s driver keeps it in ${where(h, slots[i])}`);
    // X86_IRQ_ALLOC_TYPE_DEV_MSI: intel_irq_remapping_prepare_irte() skips set_msi_sid() for it.
    const virq = irqDomainAllocIrqs(k, domain, 1, { type: 'ims', dev: m.name, hwirq, extra: { sourceId: -1 } }, null);
    if (virq < 0) {
      for (const dd of done) irqDomainFreeIrqs(k, dd.irq, 1);
      slot.store.clear();
      h.entries = saved;
      if (!hadData) {
        m.msi.data = null;
        m.devres.length = devres;
      }
      return k.t.leave(virq);
    }
    desc.irq = virq;
    const kd = k.descs.get(virq)!;
    kd.irqData.common.msiDesc = desc;
    kd.devName = m.name;
    done.push(desc);
  }
  s.devids.add(devid);
  if (k.t.on && domain.parent?.kind === 'remap') {
    k.t.effect('X86_IRQ_ALLOC_TYPE_DEV_MSI: the IRTEs carry no source-id check (set_msi_sid() is skipped for this type)');
  }
  k.t.leaveWith('0');
  return done[0].irq;
}

/**
 * dev_msi_domain_alloc_irqs(dev, nvec, ops) (patch 04): dev->msi_domain defaults to
 * dev_msi_default_domain; a device on another domain is refused (dev_WARN_ONCE, -ENXIO).
 */
export function devMsiDomainAllocIrqs(k: Kernel, m: Mdev, nvec: number): number {
  const s = roads(k);
  k.t.enter('dev_msi_domain_alloc_irqs', m.msi.domain?.name ?? s.devMsiDefault?.name, FILE);
  if (k.t.on) k.t.effect(ERA);
  const before = m.msi.domain;
  if (!m.msi.domain) {
    m.msi.domain = s.devMsiDefault;
    if (k.t.on) k.t.effect(`dev->msi_domain = dev_msi_default_domain (${s.devMsiDefault?.name ?? 'NULL'})`);
  } else if (m.msi.domain !== s.devMsiDefault) {
    k.log('warn', `${m.name}: already registered to another irq domain?`);
    if (k.t.on) k.t.effect(`${m.msi.domain.name} is not dev_msi_default_domain (${s.devMsiDefault?.name ?? 'NULL'})`);
    return k.t.leave(-ENXIO);
  }
  const ret = platformMsiDomainAllocIrqs(k, m, nvec);
  if (ret < 0) m.msi.domain = before;
  return k.t.leave(ret);
}

/** platform_msi_domain_free_irqs(dev) / dev_msi_domain_free_irqs(dev): every interrupt, the devid, the slots. */
export function platformMsiDomainFreeIrqs(k: Kernel, m: Mdev, fn = 'platform_msi_domain_free_irqs'): number {
  const s = roads(k);
  const slot = m.msi.data?.domains[MSI_DEFAULT_DOMAIN];
  k.t.enter(fn, m.msi.domain?.name, fn.startsWith('dev_msi') ? FILE : PLAT);
  if (!slot?.store.size) {
    if (k.t.on) k.t.effect(`${m.name} has no platform-MSI interrupts`);
    return k.t.leave(-EINVAL);
  }
  const descs = msiDescsSorted(slot);
  const busy = descs.find((d) => d.irq && k.descs.get(d.irq)?.action.length);
  if (busy) {
    if (k.t.on) k.t.effect(`irq ${busy.irq} still has a handler: free_irq() first`);
    return k.t.leave(-EBUSY);
  }
  let devid = -1;
  for (const desc of descs) {
    const p = s.priv.get(desc);
    if (p) {
      devid = p.devid;
      imsHwOf(p.pdev)?.entries.delete(p.slot);
    }
    if (desc.irq) {
      const kd = k.descs.get(desc.irq);
      if (kd) irqDomainDeactivateIrq(k, kd.irqData);
      irqDomainFreeIrqs(k, desc.irq, 1);
    }
  }
  slot.store.clear();
  if (devid >= 0) s.devids.delete(devid);
  if (k.t.on) k.t.effect(`devid ${devid} back to the IDA; ${m.parent.name}'s driver frees its store slots itself`);
  return k.t.leave(0);
}

/**
 * The alternative raised in the thread: platform_msi_assign_domain(dev, device_to_iommu(p_dev)->ir_domain),
 * i.e. a platform_msi_create_device_domain() variant that takes a parent irq_domain and creates the
 * device's own domain if it has none. Per device, owned by the device (devres): it goes with it.
 */
export function platformMsiAssignDomain(k: Kernel, m: Mdev): number {
  const iommu = deviceToIommu(k, m.parent);
  k.t.enter('platform_msi_assign_domain', iommu?.name, PLAT);
  if (k.t.on) k.t.effect(`the alternative in the DEV_MSI thread (${ROAD_ERA.devMsi}): the device's own domain on a parent the caller names`);
  if (m.msi.domain) {
    if (k.t.on) k.t.effect(`${m.name} has a msi_domain already (${m.msi.domain.name}): kept`);
    return k.t.leave(0);
  }
  if (!iommu) return k.t.leave(-ENODEV);
  const ir = iommu.kind === 'remap';
  const name = `${ir ? 'IR-' : ''}DEV-MSI-${m.name}`;
  k.t.enter('platform_msi_create_device_domain', iommu.name, PLAT);
  const d = irqDomainCreate(k, name, msiDomainOps, iommu, {
    flags: IRQ_DOMAIN_FLAG.MSI, hostData: devMsiInfo(platformChip(name)), kind: 'dev-msi', dev: m.name,
  });
  d.era = ROAD_ERA.devMsi;
  irqDomainUpdateBusToken(d, DOMAIN_BUS.PLATFORM_MSI);
  m.msi.domain = d;
  m.devres.push({ release: 'platform_msi_free_device_domain', what: `per-device domain ${d.name}` });
  if (k.t.on) {
    k.t.effect(`${d.name} on ${iommu.name}, owned by ${m.name} (devres): created for this device, removed with it — ` +
      'the thread: "Might be too tricky to manage lifetime of the new irq_domain though.."');
    k.t.effect('its chip is still the generic platform-MSI one: mask, unmask and the message go through platform_msi_ops');
  }
  k.t.leaveWith('domain');
  return k.t.leave(0);
}

/** mdev_device_remove(): handlers must be gone; the mdev's interrupts and its own domain (if any) go with it. */
export function mdevDeviceRemove(k: Kernel, m: Mdev): number {
  const s = roads(k);
  k.t.enter('mdev_device_remove', m.msi.domain?.name, 'drivers/vfio/mdev/mdev_core.c');
  const store = m.msi.data?.domains[MSI_DEFAULT_DOMAIN].store;
  for (const desc of store?.values() ?? []) {
    if (desc.irq && k.descs.get(desc.irq)?.action.length) {
      if (k.t.on) k.t.effect(`irq ${desc.irq} still has a handler: free_irq() first`);
      return k.t.leave(-EBUSY);
    }
  }
  if (store?.size) platformMsiDomainFreeIrqs(k, m);
  const dom = m.msi.domain;
  if (dom && dom.dev === m.name) {
    irqDomainRemove(k, dom);
    if (k.t.on) k.t.effect(`devres: ${dom.name} belonged to ${m.name} and goes with it`);
  } else if (dom && k.t.on) {
    k.t.effect(`${dom.name} stays: it belongs to the remapping unit, not to ${m.name}`);
  }
  s.mdevs.delete(m.name);
  return k.t.leave(0);
}

/** The interrupt of mdev index `index` (msi_get_virq), 0 when none. */
export function mdevVirq(m: Mdev, index: number): number {
  return m.msi.data?.domains[MSI_DEFAULT_DOMAIN].store.get(index)?.irq ?? 0;
}

/** The device behind the mdev signals interrupt `index`: it sends what the driver's store slot holds. */
export function mdevRaise(k: Kernel, m: Mdev, index: number): number {
  const desc = m.msi.data?.domains[MSI_DEFAULT_DOMAIN].store.get(index);
  const p = desc ? roads(k).priv.get(desc) : undefined;
  const h = imsHwOf(m.parent);
  k.t.enter('device raises interrupt', m.msi.domain?.name, `${m.parent.name} (for ${m.name})`);
  if (!desc || !p || !h) {
    if (k.t.on) k.t.effect(`${m.name} has no platform-MSI interrupt ${index}`);
    return k.t.leave(-EINVAL);
  }
  const e = imsEntry(h, p.slot);
  if (e.masked) {
    e.pending = true;
    if (k.t.on) {
      k.hop({ stage: 'pending', domain: m.msi.domain?.name ?? null, label: `${where(h, p.slot)} masked: pending` });
      k.t.effect(`${where(h, p.slot)} is masked as the device sees it${e.change ? ' (an unmask and a message are recorded but never pushed)' : ''}: pending — nothing reaches a CPU`);
    }
    return k.t.leave(0);
  }
  imsSend(k, m.parent, h, p.slot);
  return k.t.leave(0);
}

