// Models include/linux/msi.h struct msi_desc / struct msi_device_data and the descriptor
// store of kernel/irq/msi.c: one xarray per device domain, indexed by msi_index.

import { EBUSY, EINVAL, ERANGE } from '../core/errno';
import type { MsiMsg } from '../core/chip';
import type { Device } from '../core/device';
import type { IrqAffinityDesc, IrqDomain } from '../core/irqdomain';

export const MSI_DEFAULT_DOMAIN = 0;
export const MSI_SECONDARY_DOMAIN = 1;
export const MSI_MAX_DEVICE_IRQDOMAINS = 2;
export const MSI_MAX_INDEX = 0xffff;
export const MSI_XA_DOMAIN_SIZE = 0x10000;
export const MSI_ANY_INDEX = 0xffffffff;

/** msi_desc::pci.msi_attrib plus the cached mask state. */
export interface MsiPciAttrib {
  isMsix: boolean;
  /** log2 of the vectors allocated (MSI Multiple Message Enable). */
  multiple: number;
  /** log2 of the vectors the device can do (Multiple Message Capable). */
  multiCap: number;
  canMask: boolean;
  is64: boolean;
  isVirtual: boolean;
  /** msix_ctrl: cached vector-control word of this MSI-X entry (bit 0 = mask). */
  msixCtrl: number;
  /** msi_mask: cached MSI mask bits. */
  msiMask: number;
}

/** struct msi_desc */
export interface MsiDesc {
  /** First virq; 0 = not associated with an interrupt yet. */
  irq: number;
  nvecUsed: number;
  dev: Device;
  msg: MsiMsg;
  affinity: IrqAffinityDesc[] | null;
  msiIndex: number;
  pci: MsiPciAttrib | null;
  /** msi_desc::data.icookie (IMS instance cookie). */
  icookie?: number;
}

/** One entry of msi_device_data::__domains[]. */
export interface MsiDomainSlot {
  /** The xarray: msi_index → descriptor. */
  store: Map<number, MsiDesc>;
  domain: IrqDomain | null;
}

/** struct msi_device_data */
export interface MsiDeviceData {
  domains: MsiDomainSlot[];
}

export function newMsiDeviceData(): MsiDeviceData {
  return { domains: Array.from({ length: MSI_MAX_DEVICE_IRQDOMAINS }, () => ({ store: new Map(), domain: null })) };
}

/** The hardware index space of a domain: msi_domain_info::hwsize, 0 meaning the whole xarray range. */
export function msiDomainHwsize(slot: MsiDomainSlot): number {
  const info = slot.domain?.hostData as { hwsize?: number } | undefined;
  return info?.hwsize || MSI_XA_DOMAIN_SIZE;
}

/**
 * msi_insert_desc(): explicit index must be below hwsize (-ERANGE) and free (-EBUSY);
 * MSI_ANY_INDEX takes the lowest free index in [0, hwsize-1] (full: -EBUSY).
 */
export function msiInsertDesc(slot: MsiDomainSlot, desc: MsiDesc, index: number): number {
  const hwsize = msiDomainHwsize(slot);
  if (index === MSI_ANY_INDEX) {
    for (let i = 0; i < hwsize; i++) {
      if (!slot.store.has(i)) {
        desc.msiIndex = i;
        slot.store.set(i, desc);
        return 0;
      }
    }
    return -EBUSY;
  }
  if (index < 0) return -EINVAL;
  if (index >= hwsize) return -ERANGE;
  if (slot.store.has(index)) return -EBUSY;
  desc.msiIndex = index;
  slot.store.set(index, desc);
  return 0;
}

/** The descriptors of a slot in index order (xa_for_each). */
export function msiDescsSorted(slot: MsiDomainSlot): MsiDesc[] {
  return [...slot.store.values()].sort((a, b) => a.msiIndex - b.msiIndex);
}
