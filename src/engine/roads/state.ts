// The kernel-side state of the roads not taken (src/engine/roads): what each rejected design keeps
// beside the mainline model — mediated devices and their platform-MSI data (DEV_MSI, 2020), the
// per-IOMMU domains of DEV_MSI and IMS-IDXD, the devid allocator they share
// (drivers/base/platform-msi.c, platform_msi_devid_ida), logical functions (2021) and the CXL MSI
// parents of 2024. One record per kernel; plain Maps in creation order, so replays are identical.

import type { Kernel } from '../core/kernel';
import type { Device } from '../core/device';
import type { IrqDomain, RoadEra } from '../core/irqdomain';
import type { MsiDesc } from '../msi/msidesc';
import type { PciDev } from '../pci/pcidev';

/** The label each road carries in domains, traces and stories. */
export const ROAD_ERA = {
  devMsi: 'RFC 2020, not merged',
  imsPerIommu: 'rejected in review 2021',
  lfunc: 'proposal 2021',
  cxl: 'rejected in review 2024',
} as const satisfies Record<string, RoadEra>;

/** A mediated device (drivers/vfio/mdev): a struct device whose parent is a PCI function. */
export interface Mdev extends Device {
  kind: 'mdev';
  parent: PciDev;
}

/** desc->platform.msi_priv_data of DEV_MSI, plus the store slot the driver picked on the side. */
export interface PlatformPriv {
  /** The made-up but unique devid (platform_msi_devid_ida); hwirq = devid << 11 | msi_index. */
  devid: number;
  /** The IMS slot of the parent's store that idxd's own allocator gave this interrupt. */
  slot: number;
  pdev: PciDev;
}

/** A logical function (the 2021 proposal): bus/pci/…/lfunc/N/ with its own descriptor store. */
export interface Lfunc extends Device {
  kind: 'lfunc';
  parent: PciDev;
  n: number;
  /** Who it was handed to. */
  owner: 'vfio' | 'cdev';
}

/** A CXL MSI parent of 2024: stacked on dev_get_msi_domain() (the first attempt) or disjunct (option 1). */
export interface CxlParent {
  domain: IrqDomain;
  mode: 'hierarchy' | 'disjunct';
  pdev: PciDev;
}

export interface RoadsState {
  mdevs: Map<string, Mdev>;
  /** iommu->ir_dev_msi_domain, by the remapping unit's IR domain (VECTOR without remapping). */
  devMsiByIommu: Map<IrqDomain, IrqDomain>;
  /** dev_msi_default_domain: the first dev-msi domain created. */
  devMsiDefault: IrqDomain | null;
  /** platform_msi_devid_ida: devids in use. */
  devids: Set<number>;
  priv: WeakMap<MsiDesc, PlatformPriv>;
  /** The per-IOMMU IMS-IDXD domains, by IR domain. */
  imsByIommu: Map<IrqDomain, IrqDomain>;
  /** The devid a PCI device holds in an IMS-IDXD domain. */
  imsDevid: Map<PciDev, number>;
  lfuncs: Map<string, Lfunc>;
  lfuncNext: Map<PciDev, number>;
  cxl: Map<PciDev, CxlParent>;
}

const STATE = new WeakMap<Kernel, RoadsState>();

export function roads(k: Kernel): RoadsState {
  let s = STATE.get(k);
  if (!s) {
    s = {
      mdevs: new Map(), devMsiByIommu: new Map(), devMsiDefault: null, devids: new Set(), priv: new WeakMap(),
      imsByIommu: new Map(), imsDevid: new Map(), lfuncs: new Map(), lfuncNext: new Map(), cxl: new Map(),
    };
    STATE.set(k, s);
  }
  return s;
}

/** ida_alloc(): the lowest free devid. */
export function devidAlloc(s: RoadsState): number {
  let id = 0;
  while (s.devids.has(id)) id++;
  return id;
}

/** device_to_iommu(): the remapping unit's IR domain above a PCI device's MSI domain, or VECTOR without one. */
export function deviceToIommu(k: Kernel, pdev: PciDev): IrqDomain | null {
  for (let d: IrqDomain | null = pdev.msi.domain; d; d = d.parent) if (d.kind === 'remap') return d;
  return k.domains.find((d) => d.kind === 'vector') ?? null;
}

export const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
