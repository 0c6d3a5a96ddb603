// Models the per-IOMMU IMS domain, never merged: arch_create_ims_irq_domain(iommu->ir_domain,
// "INTEL-IR-IMS") of "[PATCH RFC 06/15] ims-msi: Enable IMS interrupts" (April 2020), argued
// against again as "a IMS-IDXD irq domain per IOMMU domain" in the review of "[patch 21/32]
// NTB/msi: Convert to msi_on_each_desc()" (iommu, linux-pci, Dec 2021).
//
// One domain per remapping unit with one chip, IDXD's: 16-byte slots {address_lo, address_hi,
// data, ctrl} in device memory. Every device behind the IOMMU allocates from it with
// msi_domain_alloc_irqs(dev_get_ims_domain(dev), dev, nvec); hwirqs are made unique by a
// platform-MSI devid. The thread (Dec 2021): "Creating a IMS-IDXD irq domain per IOMMU domain
// would be a possible solution, but then dealing with different incarnations of table layouts
// will create a zoo of crap. Also it would not solve the problem of IMS storage in system
// memory." What won: "a device specific IMS irq domain with a device specific irqchip"
// (pci_create_ims_domain(), pci/ims.ts, v6.2).

import { EBUSY, EEXIST, EINVAL, ENODEV, ENOSPC } from '../core/errno';
import type { Kernel } from '../core/kernel';
import { IRQCHIP, type IrqChip, irqChipAckParent, irqChipRetriggerHierarchy } from '../core/chip';
import { DOMAIN_BUS, IRQ_DOMAIN_FLAG, type IrqDomain, irqDomainCreate } from '../core/irqdomain';
import {
  MSI_FLAG, type MsiDomainInfo, msiDomainAllocIrqAt, msiDomainFreeIrqsRange, msiDomainOps, msiDomainSetAffinity,
  msiSetupDeviceData,
} from '../msi/msi';
import { MSI_SECONDARY_DOMAIN } from '../msi/msidesc';
import { imsDeviceMask, imsDeviceUnmask, imsDeviceWriteMsg, imsEntry, imsHwOf, imsSaveEntries } from '../msi/ims-chip';
import type { PciDev } from '../pci/pcidev';
import { ROAD_ERA, devidAlloc, deviceToIommu, hex, roads } from './state';
import { devMsiCalcHwirq } from './devmsi';

const ERA = `IMS per IOMMU (${ROAD_ERA.imsPerIommu}): arch_create_ims_irq_domain(), RFC 2020; "a IMS-IDXD irq domain per IOMMU domain", review of Dec 2021`;

/** The one chip of the per-IOMMU domain: IDXD's slot layout, for every device. */
const IMS_IDXD_CHIP: IrqChip = {
  name: 'IR-IMS-IDXD',
  flags: IRQCHIP.ONESHOT_SAFE | IRQCHIP.SKIP_SET_WAKE,
  irqMask: imsDeviceMask,
  irqUnmask: imsDeviceUnmask,
  irqWriteMsiMsg: imsDeviceWriteMsg,
  irqAck: irqChipAckParent,
  irqRetrigger: irqChipRetriggerHierarchy,
  irqSetAffinity: msiDomainSetAffinity,
};

function imsIdxdInfo(k: Kernel): MsiDomainInfo {
  return {
    flags: MSI_FLAG.ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG.FREE_MSI_DESCS | MSI_FLAG.USE_DEF_DOM_OPS,
    busToken: DOMAIN_BUS.ANY,
    hwsize: 0,
    chip: IMS_IDXD_CHIP,
    handler: 'handle_edge_irq',
    handlerName: 'edge',
    allocType: 'ims',
    ops: {
      prepareDesc: (_d, _arg, desc) => {
        const h = imsHwOf(desc.dev as PciDev);
        if (!h) return;
        const e = imsEntry(h, desc.msiIndex);
        e.masked = true;
        e.change = null;
        e.pending = false;
        if (k.t.on) k.t.effect(`IDXD slot ${desc.msiIndex} of ${desc.dev.name} set up and masked (the shared chip's one layout)`);
      },
      setDesc: (arg, desc) => {
        // platform_msi_calc_hwirq(): one domain for many devices needs a devid in the hwirq.
        arg.hwirq = devMsiCalcHwirq(roads(k).imsDevid.get(desc.dev as PciDev) ?? 0, desc.msiIndex);
      },
    },
  };
}

/** arch_create_ims_irq_domain(iommu->ir_domain, …) for every remapping unit. */
export function archCreateImsIrqDomain(k: Kernel): number {
  const s = roads(k);
  k.t.enter('arch_create_ims_irq_domain', undefined, 'drivers/iommu/intel/irq_remapping.c');
  if (k.t.on) k.t.effect(ERA);
  const irs = k.domains.filter((d) => d.kind === 'remap');
  if (!irs.length) {
    if (k.t.on) k.t.effect('no interrupt remapping unit: the per-IOMMU IMS domain is created by the IR driver (intel_setup_irq_remapping)');
    return k.t.leave(-ENODEV);
  }
  const missing = irs.filter((ir) => !s.imsByIommu.has(ir));
  if (!missing.length) {
    if (k.t.on) k.t.effect('iommu->ir_ims_domain exists already');
    return k.t.leave(-EEXIST);
  }
  for (const ir of missing) {
    const name = `${ir.name.startsWith('AMD') ? 'AMD' : 'INTEL'}-IR-IMS-IDXD`;
    const d = irqDomainCreate(k, name, msiDomainOps, ir, { flags: IRQ_DOMAIN_FLAG.MSI, hostData: imsIdxdInfo(k), kind: 'ims' });
    d.era = ROAD_ERA.imsPerIommu;
    s.imsByIommu.set(ir, d);
    if (k.t.on) k.t.effect(`${name} on ${ir.name} (iommu->ir_ims_domain): one domain and one chip (IR-IMS-IDXD, IDXD's slot layout) for every device behind this IOMMU`);
  }
  return k.t.leave(missing.length);
}

/** dev_get_ims_domain(dev): the IMS domain of the device's IOMMU. */
export function devGetImsDomain(k: Kernel, pdev: PciDev): IrqDomain | null {
  const ir = deviceToIommu(k, pdev);
  return ir ? roads(k).imsByIommu.get(ir) ?? null : null;
}

/**
 * msi_domain_alloc_irqs(dev_get_ims_domain(dev), dev, nvec): nvec slots of the device's store,
 * lowest free first, through the shared IDXD chip. A device whose store is not IDXD's array in
 * device memory is refused before anything changes.
 */
export function imsIommuAllocIrqs(k: Kernel, pdev: PciDev, nvec: number): number {
  const s = roads(k);
  const domain = devGetImsDomain(k, pdev);
  k.t.enter('msi_domain_alloc_irqs', domain?.name, 'kernel/irq/msi.c');
  if (k.t.on) k.t.effect(ERA);
  if (!domain) {
    if (k.t.on) k.t.effect(`dev_get_ims_domain(${pdev.name}) is NULL: arch_create_ims_irq_domain() has not run`);
    return k.t.leave(-ENODEV);
  }
  const h = imsHwOf(pdev);
  if (!h) {
    if (k.t.on) k.t.effect(`${pdev.name} has no interrupt message store`);
    return k.t.leave(-ENODEV);
  }
  if (h.storage !== 'device') {
    if (k.t.on) {
      k.t.effect(`${pdev.name} keeps its messages in queue contexts in system memory; ${domain.name}'s one chip writes IDXD slots in device memory and has no irq_bus_lock/irq_bus_sync_unlock to push a queue update`);
      k.t.effect('the thread (Dec 2021): "dealing with different incarnations of table layouts will create a zoo of crap. Also it would not solve the problem of IMS storage in system memory."');
    }
    return k.t.leave(-EINVAL);
  }
  if (nvec < 1) return k.t.leave(-EINVAL);
  const other = pdev.msi.data?.domains[MSI_SECONDARY_DOMAIN].domain;
  if (other && other !== domain) {
    if (k.t.on) k.t.effect(`the device's IMS descriptors already belong to ${other.name}`);
    return k.t.leave(-EBUSY);
  }
  const used = new Set(pdev.msi.data?.domains[MSI_SECONDARY_DOMAIN].store.keys() ?? []);
  const free: number[] = [];
  for (let i = 0; i < h.size && free.length < nvec; i++) if (!used.has(i)) free.push(i);
  if (free.length < nvec) {
    if (k.t.on) k.t.effect(`${free.length} of ${nvec} slots free in ${pdev.name}'s store`);
    return k.t.leave(-ENOSPC);
  }
  const hadData = pdev.msi.data !== null;
  const devres = pdev.devres.length;
  const saved = imsSaveEntries(h);
  const hadDevid = s.imsDevid.has(pdev);
  if (!hadDevid) {
    const id = devidAlloc(s);
    s.imsDevid.set(pdev, id);
    s.devids.add(id);
  }
  const slot = msiSetupDeviceData(k, pdev).domains[MSI_SECONDARY_DOMAIN];
  slot.domain = domain;
  if (k.t.on) k.t.effect(`devid ${s.imsDevid.get(pdev)} for ${pdev.name}; descriptors in its store (the 2021 kernels had one xarray per device; the model keeps them in the secondary one)`);
  const got: number[] = [];
  for (const i of free) {
    const map = msiDomainAllocIrqAt(k, pdev, MSI_SECONDARY_DOMAIN, i, null, () => {});
    if (map.index < 0) {
      for (const j of got) msiDomainFreeIrqsRange(k, pdev, MSI_SECONDARY_DOMAIN, j, j);
      if (!slot.store.size) slot.domain = null;
      h.entries = saved;
      if (!hadDevid) {
        s.devids.delete(s.imsDevid.get(pdev)!);
        s.imsDevid.delete(pdev);
      }
      if (!hadData) {
        pdev.msi.data = null;
        pdev.devres.length = devres;
      }
      return k.t.leave(map.index);
    }
    got.push(map.index);
    if (k.t.on) k.t.effect(`slot ${map.index}: irq ${map.virq}, hwirq ${hex(devMsiCalcHwirq(s.imsDevid.get(pdev)!, map.index))}`);
  }
  const first = slot.store.get(got[0])!.irq;
  k.t.leaveWith('0');
  return first;
}

/** msi_domain_free_irqs(dev_get_ims_domain(dev), dev): all of the device's IMS interrupts; the domain stays. */
export function imsIommuFreeIrqs(k: Kernel, pdev: PciDev): number {
  const s = roads(k);
  const domain = devGetImsDomain(k, pdev);
  const slot = pdev.msi.data?.domains[MSI_SECONDARY_DOMAIN];
  k.t.enter('msi_domain_free_irqs', domain?.name, 'kernel/irq/msi.c');
  if (!domain || !slot || slot.domain !== domain || !slot.store.size) {
    if (k.t.on) k.t.effect(`${pdev.name} has no interrupts in the per-IOMMU IMS domain`);
    return k.t.leave(-EINVAL);
  }
  for (const desc of slot.store.values()) {
    if (desc.irq && k.descs.get(desc.irq)?.action.length) {
      if (k.t.on) k.t.effect(`irq ${desc.irq} still has a handler: free_irq() first`);
      return k.t.leave(-EBUSY);
    }
  }
  msiDomainFreeIrqsRange(k, pdev, MSI_SECONDARY_DOMAIN, 0, 0xffffffff);
  slot.domain = null;
  const devid = s.imsDevid.get(pdev);
  if (devid !== undefined) s.devids.delete(devid);
  s.imsDevid.delete(pdev);
  if (k.t.on) k.t.effect(`${domain.name} stays (it belongs to the IOMMU); ${pdev.name}'s secondary store is free for a domain of its own`);
  return k.t.leave(0);
}
