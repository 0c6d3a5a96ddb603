// Models drivers/pci/msi/msi.c and drivers/pci/msi/api.c: enabling MSI and MSI-X, the driver
// API (pci_alloc_irq_vectors, pci_irq_vector, pci_free_irq_vectors, dynamic MSI-X) and what a
// device does when it raises an interrupt.

import { EINVAL, ENODEV, ENOSPC, ENOTSUPP, ERANGE } from '../core/errno';
import type { Kernel } from '../core/kernel';
import { type IrqAffinity, irqCalcAffinityVectors, irqCreateAffinityMasks } from '../core/affinity';
import { IRQ_DOMAIN_FLAG, type IrqAffinityDesc, type IrqDomain } from '../core/irqdomain';
import {
  MSI_FLAG, type MsiDomainInfo, type MsiMap, msiDomainAllocIrqAt, msiDomainAllocIrqsAllLocked,
  msiDomainFreeIrqsAll, msiDomainFreeIrqsRange, msiDomainTeardown, msiParentOps, msiSetupDeviceData,
} from '../msi/msi';
import { MSI_ANY_INDEX, MSI_DEFAULT_DOMAIN, type MsiDesc, msiDescsSorted, msiInsertDesc } from '../msi/msidesc';
import { pciSetupMsiDeviceDomain, pciSetupMsixDeviceDomain } from './irqdomain';
import { PCI_MSIX_ENTRY_CTRL_MASKBIT, type PciDev } from './pcidev';
import { pciMsiLegacySetupMsiIrqs, pciMsiLegacyTeardownMsiIrqs } from './legacy';
import { pciIntxRaise } from './intx';

export const PCI_IRQ = { INTX: 1, MSI: 2, MSIX: 4, AFFINITY: 8 } as const;
const ALLOW_LEGACY = true;
const DENY_LEGACY = false;

const FILE = 'drivers/pci/msi/msi.c';

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
function devDomainName(dev: PciDev): string | null {
  return dev.msi.data?.domains[MSI_DEFAULT_DOMAIN].domain?.name ?? null;
}

/** pci_msi_domain_supports(): v2 asks the parent's supported_flags, v1 the global domain's flags. */
export function pciMsiDomainSupports(dev: PciDev, feature: number, allowLegacy: boolean): boolean {
  const domain = dev.msi.domain;
  // No domain (arch hooks) or a non-hierarchical one: only what the legacy path allows.
  if (!domain || !(domain.flags & IRQ_DOMAIN_FLAG.HIERARCHY)) return allowLegacy;
  const pops = msiParentOps(domain);
  const supported = pops ? pops.supportedFlags : (domain.hostData as MsiDomainInfo).flags;
  return (supported & feature) === feature;
}

function pciInfo(k: Kernel, dev: PciDev, text: string): void {
  k.log('info', `pci ${dev.name}: ${text}`);
}

function newPciDesc(dev: PciDev, index: number, isMsix: boolean, affinity: IrqAffinityDesc[] | null, nvec: number): MsiDesc {
  return {
    irq: 0, nvecUsed: nvec, dev, msg: { addressLo: 0, addressHi: 0, data: 0 }, affinity, msiIndex: index,
    pci: {
      isMsix, multiple: Math.round(Math.log2(nvec)), multiCap: isMsix ? 0 : dev.msiCap!.mmc,
      canMask: isMsix ? true : dev.msiCap!.maskable, is64: isMsix ? true : dev.msiCap!.addr64, isVirtual: false,
      msixCtrl: isMsix ? dev.msixCap!.table[index].ctrl : 0, msiMask: 0,
    },
  };
}

/** dev_get_msi_domain() is a hierarchical domain (v1 global or v2 parent), not NULL or non-hierarchical. */
function pciHasHierarchicalMsiDomain(dev: PciDev): boolean {
  return !!dev.msi.domain && (dev.msi.domain.flags & IRQ_DOMAIN_FLAG.HIERARCHY) !== 0;
}

/** pci_msi_setup_msi_irqs(): msi_domain_alloc_irqs_all_locked(), or the arch hooks (legacy.c). */
function pciMsiSetupMsiIrqs(k: Kernel, dev: PciDev, nvec: number, isMsix: boolean): number {
  if (pciHasHierarchicalMsiDomain(dev)) return msiDomainAllocIrqsAllLocked(k, dev, MSI_DEFAULT_DOMAIN);
  return pciMsiLegacySetupMsiIrqs(k, dev, nvec, isMsix);
}

/** pci_free_msi_irqs(): free the interrupts and the descriptors of the default domain. */
function pciFreeMsiIrqs(k: Kernel, dev: PciDev): void {
  if (pciHasHierarchicalMsiDomain(dev)) msiDomainFreeIrqsAll(k, dev, MSI_DEFAULT_DOMAIN);
  else pciMsiLegacyTeardownMsiIrqs(k, dev);
  dev.msi.data?.domains[MSI_DEFAULT_DOMAIN].store.clear();
}

/**
 * pci_setup_msi_context(): the devres-managed MSI device data, then — for a device enabled
 * with pcim_enable_device() — the pcim_msi_release devres action that frees the vectors at
 * unbind (installed after the data so it runs before msi_device_data_release).
 */
function pciSetupMsiContext(k: Kernel, dev: PciDev): void {
  msiSetupDeviceData(k, dev);
  if (!dev.isManaged || dev.isMsiManaged) return;
  dev.devres.push({ release: 'pcim_msi_release', what: 'pci_free_irq_vectors() at unbind (pcim)' });
  dev.isMsiManaged = true;
  if (k.t.on) {
    k.t.enter('pcim_setup_msi_release', undefined, FILE);
    k.t.effect(`devres: pcim_msi_release on ${dev.name} (the device was enabled with pcim_enable_device())`);
    k.t.leaveWith('0');
  }
}

/** msi_capability_init(): one descriptor for all vectors, masked, then MSI enable. >0 = retry with that many. */
function msiCapabilityInit(k: Kernel, dev: PciDev, nvec: number, affd: IrqAffinity | null): number {
  k.t.enter('msi_capability_init', dev.msi.domain?.name, FILE);
  if (nvec > 1 && !pciMsiDomainSupports(dev, MSI_FLAG.MULTI_PCI_MSI, ALLOW_LEGACY)) {
    if (k.t.on) k.t.effect(`${dev.msi.domain && msiParentOps(dev.msi.domain) ? 'the MSI parent' : 'the global PCI/MSI domain'} lacks MSI_FLAG_MULTI_PCI_MSI (x86 needs interrupt remapping for multi-MSI): retry with 1 vector`);
    return k.t.leave(1);
  }
  // v6.16: the device domain is sized with pci_msi_vec_count() (before: hwsize 1).
  if (!pciSetupMsiDeviceDomain(k, dev, k.profile.pciMsiDomainVecCount ? 1 << dev.msiCap!.mmc : 1)) return k.t.leave(-ENODEV);
  const cap = dev.msiCap!;
  cap.enable = false;
  dev.msiEnabled = true;
  const masks = affd ? irqCreateAffinityMasks(nvec, affd, allCpus(k), k.topology, k.profile.groupCpusByCluster) : null;
  const desc = newPciDesc(dev, 0, false, masks, nvec);
  msiInsertDesc(dev.msi.data!.domains[MSI_DEFAULT_DOMAIN], desc, 0);
  if (desc.pci!.canMask) {
    desc.pci!.msiMask = (1 << nvec) - 1;
    cap.maskBits = desc.pci!.msiMask;
    if (k.t.on) k.t.effect(`all ${nvec} MSI vectors masked during set-up`);
  }
  cap.mme = desc.pci!.multiple;
  const ret = pciMsiSetupMsiIrqs(k, dev, nvec, false);
  if (ret) {
    if (desc.pci!.canMask) cap.maskBits = desc.pci!.msiMask = 0;
    pciFreeMsiIrqs(k, dev);
    cap.mme = 0;
    dev.msiEnabled = false;
    return k.t.leave(ret);
  }
  dev.intxDisabled = true;
  cap.enable = true;
  dev.irq = desc.irq;
  if (k.t.on) k.t.effect(`INTx disabled; MSI Enable set with ${nvec} vector${nvec > 1 ? 's' : ''} (irq ${desc.irq}${nvec > 1 ? `-${desc.irq + nvec - 1}` : ''})`);
  return k.t.leave(0);
}

/** msix_capability_init(): descriptors per table entry, interrupts, then unmask the function. */
function msixCapabilityInit(k: Kernel, dev: PciDev, nvec: number, affd: IrqAffinity | null): number {
  k.t.enter('msix_capability_init', dev.msi.domain?.name, FILE);
  const cap = dev.msixCap!;
  cap.enable = true;
  cap.maskAll = true;
  dev.msixEnabled = true;
  if (k.t.on) k.t.effect('MSI-X Enable and Function Mask set');
  const masks = affd ? irqCreateAffinityMasks(nvec, affd, allCpus(k), k.topology, k.profile.groupCpusByCluster) : null;
  const slot = dev.msi.data!.domains[MSI_DEFAULT_DOMAIN];
  for (let i = 0; i < nvec; i++) msiInsertDesc(slot, newPciDesc(dev, i, true, masks ? [masks[i]] : null, 1), i);
  if (k.t.on) k.t.effect(`${nvec} descriptors inserted at indexes 0-${nvec - 1}`);
  const ret = pciMsiSetupMsiIrqs(k, dev, nvec, true);
  if (ret) {
    pciFreeMsiIrqs(k, dev);
    dev.msixEnabled = false;
    cap.enable = false;
    cap.maskAll = false;
    return k.t.leave(ret);
  }
  dev.intxDisabled = true;
  for (const e of cap.table) e.ctrl |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
  cap.maskAll = false;
  if (k.t.on) k.t.effect('INTx disabled; all table entries masked; Function Mask cleared');
  return k.t.leave(0);
}

function allCpus(k: Kernel): number[] {
  return Array.from({ length: k.nrCpus }, (_, i) => i);
}

/**
 * irq_calc_affinity_vectors() gave fewer than minvec: -ENOSPC, and the trace says what the kernel
 * checked — pre_vectors + post_vectors above minvec gives 0 whatever the CPUs.
 */
function affinityVectorsShort(k: Kernel, minvec: number, nvec: number, affd: IrqAffinity): number {
  if (k.t.on) {
    const resv = affd.preVectors + affd.postVectors;
    k.t.enter('irq_calc_affinity_vectors', undefined, 'kernel/irq/affinity.c');
    k.t.effect(resv > minvec
      ? `pre_vectors + post_vectors = ${resv} exceed min ${minvec}: it returns 0 whatever the CPUs, fewer than min ${minvec}`
      : `${nvec} vectors, fewer than min ${minvec}`);
    k.t.leaveWith(String(nvec));
  }
  return -ENOSPC;
}

/** __pci_enable_msi_range() */
function pciEnableMsiRange(k: Kernel, dev: PciDev, minvec: number, maxvec: number, affd: IrqAffinity | null): number {
  k.t.enter('__pci_enable_msi_range', undefined, FILE);
  if (!dev.msiCap || minvec < 1) {
    if (k.t.on) k.t.effect(!dev.msiCap ? `${dev.name} has no MSI capability` : 'min_vecs is 0');
    return k.t.leave(-EINVAL);
  }
  if (dev.msixEnabled) {
    pciInfo(k, dev, "can't enable MSI (MSI-X already enabled)");
    return k.t.leave(-EINVAL);
  }
  if (maxvec < minvec) return k.t.leave(-ERANGE);
  if (dev.msiEnabled) {
    k.log('warn', `WARNING: __pci_enable_msi_range: MSI already enabled on ${dev.name}`);
    return k.t.leave(-EINVAL);
  }
  let nvec = 1 << dev.msiCap.mmc;
  if (nvec < minvec) return k.t.leave(-ENOSPC);
  if (nvec > maxvec) nvec = maxvec;
  pciSetupMsiContext(k, dev);
  for (;;) {
    if (affd) {
      nvec = irqCalcAffinityVectors(minvec, nvec, affd, k.nrCpus);
      if (nvec < minvec) return k.t.leave(affinityVectorsShort(k, minvec, nvec, affd));
    }
    // MSI hands out power-of-two blocks (Multiple Message Enable is log2).
    const rounded = 1 << Math.ceil(Math.log2(nvec));
    if (rounded !== nvec && k.t.on) k.t.effect(`${nvec} vectors rounded up to the power of two ${rounded}; ${rounded - nvec} unused`);
    const rc = msiCapabilityInit(k, dev, nvec, affd);
    if (rc === 0) return k.t.leave(nvec);
    if (rc < 0) return k.t.leave(rc);
    if (rc < minvec) {
      if (k.t.on) k.t.effect(`only ${rc} MSI vector${rc === 1 ? '' : 's'} possible, fewer than min ${minvec}`);
      return k.t.leave(-ENOSPC);
    }
    nvec = rc;
  }
}

/** __pci_enable_msix_range() + __pci_enable_msix() */
function pciEnableMsixRange(k: Kernel, dev: PciDev, minvec: number, maxvec: number, affd: IrqAffinity | null): number {
  k.t.enter('__pci_enable_msix_range', undefined, FILE);
  let nvec = maxvec;
  if (maxvec < minvec) return k.t.leave(-ERANGE);
  if (dev.msiEnabled) {
    pciInfo(k, dev, "can't enable MSI-X (MSI already enabled)");
    return k.t.leave(-EINVAL);
  }
  if (dev.msixEnabled) {
    k.log('warn', `WARNING: __pci_enable_msix_range: MSI-X already enabled on ${dev.name}`);
    return k.t.leave(-EINVAL);
  }
  if (!dev.msixCap) {
    // pci_msix_vec_count(): no MSI-X capability in config space.
    if (k.t.on) k.t.effect(`${dev.name} has no MSI-X capability`);
    return k.t.leave(-EINVAL);
  }
  if (!pciMsiDomainSupports(dev, MSI_FLAG.PCI_MSIX, ALLOW_LEGACY)) return k.t.leave(-ENOTSUPP);
  const hwsize = dev.msixCap.tableSize;
  pciSetupMsiContext(k, dev);
  if (!pciSetupMsixDeviceDomain(k, dev, hwsize)) return k.t.leave(-ENODEV);
  for (;;) {
    if (affd) {
      nvec = irqCalcAffinityVectors(minvec, nvec, affd, k.nrCpus);
      if (nvec < minvec) return k.t.leave(affinityVectorsShort(k, minvec, nvec, affd));
    }
    let rc: number;
    if (nvec < 1) {
      // __pci_enable_msix() → pci_msi_supported(dev, nvec): zero vectors is no request.
      if (k.t.on) k.t.effect('pci_msi_supported(): fewer than one vector asked');
      rc = -EINVAL;
    } else if (nvec > hwsize) {
      if (k.t.on) k.t.effect(`${nvec} vectors asked, the table has ${hwsize}: retry with ${hwsize}`);
      rc = hwsize;
    } else {
      rc = msixCapabilityInit(k, dev, nvec, affd);
    }
    if (rc === 0) return k.t.leave(nvec);
    if (rc < 0) return k.t.leave(rc);
    if (rc < minvec) {
      if (k.t.on) k.t.effect(`only ${rc} MSI-X vector${rc === 1 ? '' : 's'} possible, fewer than min ${minvec}`);
      return k.t.leave(-ENOSPC);
    }
    nvec = rc;
  }
}

/** pci_alloc_irq_vectors_affinity(): MSI-X, then MSI, then INTx, as the flags allow. */
export function pciAllocIrqVectors(
  k: Kernel, dev: PciDev, min: number, max: number, flags: number, affd: IrqAffinity | null,
): number {
  k.t.enter('pci_alloc_irq_vectors_affinity', undefined, 'drivers/pci/msi/api.c');
  const aff = flags & PCI_IRQ.AFFINITY ? affd ?? { preVectors: 0, postVectors: 0 } : null;
  let nvecs = -ENOSPC;
  const before = snapshotDevDomains(k, dev);
  if (flags & PCI_IRQ.MSIX) {
    nvecs = pciEnableMsixRange(k, dev, min, max, aff);
    if (nvecs > 0) return k.t.leave(nvecs);
  }
  if (flags & PCI_IRQ.MSI) {
    nvecs = pciEnableMsiRange(k, dev, min, max, aff);
    if (nvecs > 0) return k.t.leave(nvecs);
  }
  if (flags & PCI_IRQ.INTX && min === 1 && dev.irq) {
    dev.intxDisabled = false;
    return k.t.leave(1);
  }
  restoreDevDomains(k, dev, before);
  return k.t.leave(nvecs);
}

/**
 * A failed pci_alloc_irq_vectors() leaves the device's domains as they were (in the kernel a
 * device domain created on the way would linger until the driver unbinds; the model keeps
 * failed calls free of side effects).
 */
interface DevDomainsBefore {
  data: PciDev['msi']['data'];
  domain: IrqDomain | null;
  domainIndex: number;
  devres: number;
  msiManaged: boolean | undefined;
}
function snapshotDevDomains(k: Kernel, dev: PciDev): DevDomainsBefore {
  const domain = dev.msi.data?.domains[MSI_DEFAULT_DOMAIN].domain ?? null;
  return { data: dev.msi.data, domain, domainIndex: domain ? k.domains.indexOf(domain) : -1, devres: dev.devres.length, msiManaged: dev.isMsiManaged };
}
function restoreDevDomains(k: Kernel, dev: PciDev, before: DevDomainsBefore): void {
  const slot = dev.msi.data?.domains[MSI_DEFAULT_DOMAIN];
  if (slot && slot.domain !== before.domain && slot.store.size === 0) {
    // Only a per-device domain goes; a global PCI/MSI domain (v1) is shared by every device.
    if (slot.domain && slot.domain.flags & IRQ_DOMAIN_FLAG.MSI_DEVICE) {
      // What was prepared with the domain (v6.16: the ITS device) goes with it.
      msiDomainTeardown(k, slot.domain);
      const i = k.domains.indexOf(slot.domain);
      if (i >= 0) k.domains.splice(i, 1);
      if (k.t.on) k.t.effect(`unwind: device domain ${slot.domain.name} removed again`);
    }
    slot.domain = before.domain;
    if (before.domain && !k.domains.includes(before.domain)) k.domains.splice(before.domainIndex, 0, before.domain);
  }
  if (!before.data) {
    dev.msi.data = null;
    dev.devres.length = before.devres;
    dev.isMsiManaged = before.msiManaged;
  }
}

/** pci_disable_msix() */
function pciDisableMsix(k: Kernel, dev: PciDev): void {
  if (!dev.msixEnabled) return;
  k.t.enter('pci_disable_msix', undefined, FILE);
  const slot = dev.msi.data?.domains[MSI_DEFAULT_DOMAIN];
  if (slot) for (const desc of msiDescsSorted(slot)) dev.msixCap!.table[desc.msiIndex].ctrl |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
  dev.msixCap!.enable = false;
  dev.intxDisabled = false;
  dev.msixEnabled = false;
  if (k.t.on) k.t.effect('entries masked, MSI-X Enable cleared, INTx re-enabled');
  pciFreeMsiIrqs(k, dev);
  dev.msixCap!.pba.fill(0);
  k.t.leaveWith();
}

/** pci_disable_msi(): MSI off, INTx back on, vectors unmasked as at reset, interrupts freed. */
function pciDisableMsi(k: Kernel, dev: PciDev): void {
  if (!dev.msiEnabled) return;
  k.t.enter('pci_disable_msi', undefined, FILE);
  const cap = dev.msiCap!;
  cap.enable = false;
  dev.intxDisabled = false;
  dev.msiEnabled = false;
  cap.maskBits = 0;
  cap.pendingBits = 0;
  if (k.t.on) k.t.effect('MSI Enable cleared, INTx re-enabled: until MSI is on again the device signals on its INTx pin');
  pciFreeMsiIrqs(k, dev);
  cap.mme = 0;
  dev.irq = dev.intxIrq;
  k.t.leaveWith();
}

/** Interrupts of the default domain that still have a handler. */
export function pciIrqsWithAction(k: Kernel, dev: PciDev): number[] {
  const out: number[] = [];
  const slot = dev.msi.data?.domains[MSI_DEFAULT_DOMAIN];
  if (!slot) return out;
  for (const desc of slot.store.values()) {
    for (let i = 0; i < desc.nvecUsed && desc.irq; i++) if (k.descs.get(desc.irq + i)?.action.length) out.push(desc.irq + i);
  }
  return out;
}

/** pci_free_irq_vectors(): pci_disable_msix() + pci_disable_msi(). */
export function pciFreeIrqVectors(k: Kernel, dev: PciDev): number {
  k.t.enter('pci_free_irq_vectors', undefined, 'drivers/pci/msi/api.c');
  // The function is void: handlers still attached are not refused. Freeing the irq_desc removes
  // /proc/irq/N while the handler's entry is still in it (fs/proc/generic.c WARNs), and the
  // irqaction leaks with the descriptor gone.
  for (const irq of pciIrqsWithAction(k, dev)) {
    const desc = k.descs.get(irq)!;
    k.log('warn', `WARNING: remove_proc_entry: removing non-empty directory 'irq/${irq}', leaking at least '${desc.action[0].name}'`);
    if (k.t.on) k.t.effect(`irq ${irq} still has a handler ("${desc.action[0].name}"): free_irq() should have come first; the irqaction leaks`);
    desc.action.length = 0;
  }
  pciDisableMsix(k, dev);
  pciDisableMsi(k, dev);
  return k.t.leave(0);
}

/** pci_irq_vector(): MSI-X index → virq; MSI first virq + nr; INTx nr 0. */
export function pciIrqVector(dev: PciDev, nr: number): number {
  const slot = dev.msi.data?.domains[MSI_DEFAULT_DOMAIN];
  if (dev.msixEnabled) return slot?.store.get(nr)?.irq || -EINVAL;
  if (dev.msiEnabled) {
    const d = slot?.store.get(0);
    return d && nr < d.nvecUsed ? d.irq + nr : -EINVAL;
  }
  return nr === 0 && dev.irq ? dev.irq : -EINVAL;
}

/** pci_msix_can_alloc_dyn() */
export function pciMsixCanAllocDyn(dev: PciDev): boolean {
  if (!dev.msixCap) return false;
  return pciMsiDomainSupports(dev, MSI_FLAG.PCI_MSIX_ALLOC_DYN, DENY_LEGACY);
}

/** pci_msix_alloc_irq_at(): one more MSI-X entry while MSI-X is enabled. */
export function pciMsixAllocIrqAt(k: Kernel, dev: PciDev, index: number, affdesc: IrqAffinityDesc | null): MsiMap {
  k.t.enter('pci_msix_alloc_irq_at', undefined, 'drivers/pci/msi/api.c');
  if (!dev.msixEnabled || !pciMsixCanAllocDyn(dev)) {
    if (k.t.on) k.t.effect(!dev.msixEnabled ? 'MSI-X is not enabled on the device' : 'the MSI domain does not support dynamic MSI-X allocation');
    k.t.leaveWith('{index -ENOTSUPP}');
    return { index: -ENOTSUPP, virq: 0 };
  }
  const map = msiDomainAllocIrqAt(k, dev, MSI_DEFAULT_DOMAIN, index, affdesc, (desc) => {
    desc.pci = newPciDesc(dev, index === MSI_ANY_INDEX ? 0 : Math.min(index, dev.msixCap!.tableSize - 1), true, null, 1).pci;
  });
  if (map.index >= 0) {
    const desc = dev.msi.data!.domains[MSI_DEFAULT_DOMAIN].store.get(map.index)!;
    desc.pci!.msixCtrl = dev.msixCap!.table[map.index].ctrl;
  }
  k.t.leaveWith(map.index < 0 ? `{index ${map.index}}` : `{index ${map.index}, virq ${map.virq}}`);
  return map;
}

/**
 * pci_msix_free_irq(pdev, map): release one MSI-X entry; MSI-X stays enabled. The function is
 * void: a map that names no interrupt (the model builds it from the index: index < 0 or virq 0)
 * or a device without dynamic MSI-X only WARN_ON_ONCE and nothing happens; an interrupt that still
 * has a handler is freed anyway — /proc/irq/N goes while its handler's entry is in it
 * (remove_proc_entry WARNs) and the irqaction leaks with the descriptor.
 */
export function pciMsixFreeIrq(k: Kernel, dev: PciDev, index: number): number {
  k.t.enter('pci_msix_free_irq', undefined, 'drivers/pci/msi/api.c');
  const desc = dev.msi.data?.domains[MSI_DEFAULT_DOMAIN].store.get(index);
  const virq = desc?.irq ?? 0;
  if (index < 0 || virq <= 0) {
    k.log('warn', `WARNING: at drivers/pci/msi/api.c pci_msix_free_irq: WARN_ON_ONCE(map.index < 0 || map.virq <= 0): MSI-X entry ${index} of ${dev.name} has no interrupt; nothing freed`);
    return k.t.leave(0);
  }
  if (!pciMsixCanAllocDyn(dev)) {
    k.log('warn', `WARNING: at drivers/pci/msi/api.c pci_msix_free_irq: WARN_ON_ONCE(!pci_msix_can_alloc_dyn(dev)): ${dev.name} has no dynamic MSI-X; nothing freed`);
    return k.t.leave(0);
  }
  const held = k.descs.get(virq);
  if (held?.action.length) {
    k.log('warn', `WARNING: remove_proc_entry: removing non-empty directory 'irq/${virq}', leaking at least '${held.action[0].name}'`);
    if (k.t.on) k.t.effect(`irq ${virq} still has a handler ("${held.action[0].name}"): free_irq() should have come first; the irqaction leaks`);
    held.action.length = 0;
  }
  dev.msixCap!.table[index].ctrl |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
  msiDomainFreeIrqsRange(k, dev, MSI_DEFAULT_DOMAIN, index, index);
  dev.msixCap!.pba[index] = 0;
  return k.t.leave(0);
}

/**
 * The device signals interrupt `index`: MSI-X writes its table entry's message unless the
 * entry or function is masked (then the PBA bit is set); MSI writes data | index unless that
 * vector is masked; with both off the device asserts INTx.
 */
export function pciRaise(k: Kernel, dev: PciDev, index: number): number {
  k.t.enter('device raises interrupt', undefined, 'PCI function');
  if (dev.msixEnabled) {
    const cap = dev.msixCap!;
    if (index < 0 || index >= cap.tableSize) return k.t.leave(-EINVAL);
    const e = cap.table[index];
    if (cap.maskAll || e.ctrl & PCI_MSIX_ENTRY_CTRL_MASKBIT) {
      cap.pba[index] = 1;
      if (k.t.on) k.t.effect(`MSI-X entry ${index} is masked: Pending Bit Array bit ${index} set, the message is sent at unmask`);
      if (k.t.on) k.hop({ stage: 'pending', domain: devDomainName(dev), label: `MSI-X entry ${index} masked: PBA bit set` });
      return k.t.leave(0);
    }
    if (k.t.on) k.t.effect(`memory write of data 0x${e.data.toString(16)} to 0x${e.addressHi.toString(16)}${e.addressLo.toString(16).padStart(8, '0')} (MSI-X entry ${index})`);
    if (k.t.on) k.hop({ stage: 'device', domain: devDomainName(dev), label: `MSI-X entry ${index}: write 0x${hex8(e.data)} to 0x${hex8(e.addressLo)}` });
    k.deliverMsi(dev.name, { addressLo: e.addressLo, addressHi: e.addressHi, data: e.data });
    return k.t.leave(0);
  }
  if (dev.msiEnabled) {
    const cap = dev.msiCap!;
    if (index < 0 || index >= 1 << cap.mme) return k.t.leave(-EINVAL);
    if (cap.maskable && cap.maskBits & (1 << index)) {
      cap.pendingBits |= 1 << index;
      if (k.t.on) k.t.effect(`MSI vector ${index} is masked: pending bit set`);
      if (k.t.on) k.hop({ stage: 'pending', domain: devDomainName(dev), label: `MSI vector ${index} masked: pending bit set` });
      return k.t.leave(0);
    }
    const data = cap.data | index;
    if (k.t.on) k.t.effect(`memory write of data 0x${data.toString(16)} to 0x${cap.addressLo.toString(16)} (MSI vector ${index})`);
    if (k.t.on) k.hop({ stage: 'device', domain: devDomainName(dev), label: `MSI vector ${index}: write 0x${hex8(data)} to 0x${hex8(cap.addressLo)}` });
    k.deliverMsi(dev.name, { addressLo: cap.addressLo, addressHi: cap.addressHi, data });
    return k.t.leave(0);
  }
  if (index !== 0) return k.t.leave(-EINVAL);
  const lost = dev.intxLost;
  pciIntxRaise(k, dev);
  if (k.t.on && dev.intxLost !== lost) k.hop({ stage: 'lost', domain: null, label: 'INTx asserted: the IO-APIC pin is masked, nobody sees it' });
  return k.t.leave(0);
}
