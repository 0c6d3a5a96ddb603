// Models the "logical function" of the review of "[patch 21/32] NTB/msi: Convert to
// msi_on_each_desc()" (iommu, linux-pci, Dec 2021), a proposal never implemented: a container that
// is neither a queue nor a struct device — "Such a logical function would be the entity to hand
// out for VFIO or cdev. But it also can be exported e.g. via sysfs bus/pci/.../lfunc/0/" — which
// holds its own MSI descriptors, so a driver does
// "request_irq(msi_get_virq(lfunc, idx=0), handler0, ...)".
//
// The thread named no functions beyond msi_get_virq(lfunc, idx); the model's calls (lfunc_create,
// lfunc_alloc_irq, lfunc_destroy) are the model's names for what it describes. The interrupts
// still come from the device's IMS domain ("The IMS irqdomain is _NOT_ part of the netdev or cdev
// or whatever"): a descriptor takes a slot of the device's IMS index space (the secondary store,
// whose lowest free index MSI_ANY_INDEX hands out) and is entered in the lfunc's own store under
// the lfunc's index. What mainline kept instead: the descriptors stay in the PCI device's
// msi_device_data — "Either with a dedicated xarray or by partitioning the xarray space" — and
// since v6.2 each device domain has its own xarray (MSI_SECONDARY_DOMAIN for IMS).

import { EBUSY, EINVAL, ENODEV } from '../core/errno';
import type { Kernel } from '../core/kernel';
import { MSI_ANY_INDEX, MSI_DEFAULT_DOMAIN, MSI_SECONDARY_DOMAIN, newMsiDeviceData } from '../msi/msidesc';
import { imsAllocIrqAt, imsDomain, imsRaise, pciImsFreeIrq } from '../pci/ims';
import type { PciDev } from '../pci/pcidev';
import { type Lfunc, ROAD_ERA, roads } from './state';

const ERA = `logical function (${ROAD_ERA.lfunc}): review of "[patch 21/32] NTB/msi", Dec 2021`;
const WHERE = 'include/linux/msi.h (proposal)';

/** /sys/bus/pci/devices/<bdf>/lfunc/<n> */
export function lfuncSysfs(l: Lfunc): string {
  return `/sys/bus/pci/devices/${l.parent.name}/lfunc/${l.n}`;
}

/** The name a scenario uses for lfunc N of a device: "<bdf>/lfunc/<n>". */
export function lfuncName(pdev: PciDev, n: number): string {
  return `${pdev.name}/lfunc/${n}`;
}

/** Create lfunc N of a device whose IMS domain exists, and hand it to VFIO or a cdev. Returns N. */
export function lfuncCreate(k: Kernel, pdev: PciDev, owner: Lfunc['owner']): number {
  const s = roads(k);
  const ims = imsDomain(pdev);
  k.t.enter('lfunc_create', ims?.name, WHERE);
  if (k.t.on) k.t.effect(ERA);
  if (!ims) {
    if (k.t.on) k.t.effect(`${pdev.name} has no IMS domain: an lfunc's interrupts come from the device's domain (pci_create_ims_domain() first)`);
    return k.t.leave(-ENODEV);
  }
  const n = s.lfuncNext.get(pdev) ?? 0;
  const l: Lfunc = {
    kind: 'lfunc', name: lfuncName(pdev, n), parent: pdev, n, owner,
    msi: { domain: ims, data: newMsiDeviceData() }, devres: [], driver: owner,
  };
  s.lfuncs.set(l.name, l);
  s.lfuncNext.set(pdev, n + 1);
  if (k.t.on) {
    k.t.effect(`${lfuncSysfs(l)}/ created: not a struct device, not a queue — a container with its own MSI descriptor store`);
    k.t.effect(`handed out to ${owner === 'vfio' ? 'VFIO (a mediated function for a guest)' : 'a cdev (user space)'}`);
  }
  return k.t.leave(n);
}

/**
 * One interrupt for lfunc index `idx` (the lowest free): a slot of the device's IMS domain,
 * the descriptor entered in the lfunc's store at idx; msi_irqs/<virq> appears under the lfunc.
 */
export function lfuncAllocIrq(k: Kernel, l: Lfunc, icookie?: number): number {
  const store = l.msi.data!.domains[MSI_DEFAULT_DOMAIN].store;
  k.t.enter('lfunc_alloc_irq', imsDomain(l.parent)?.name, WHERE);
  if (k.t.on) k.t.effect(ERA);
  let idx = 0;
  while (store.has(idx)) idx++;
  const map = imsAllocIrqAt(k, l.parent, MSI_ANY_INDEX, icookie);
  if (map.index < 0) return k.t.leave(map.index);
  const desc = l.parent.msi.data!.domains[MSI_SECONDARY_DOMAIN].store.get(map.index)!;
  store.set(idx, desc);
  const kd = k.descs.get(map.virq);
  if (kd) kd.devName = l.name;
  if (k.t.on) {
    k.t.effect(`${l.name} idx ${idx} → IMS slot ${map.index} of ${l.parent.name}, irq ${map.virq}: the descriptor is in the lfunc's store at idx ${idx}`);
    k.t.effect(`sysfs: ${lfuncSysfs(l)}/msi_irqs/${map.virq} ("ims") — msi_get_virq(lfunc, ${idx}) = ${map.virq}`);
  }
  k.t.leaveWith(`{idx ${idx}, virq ${map.virq}}`);
  return map.virq;
}

/** msi_get_virq(lfunc, idx): 0 when none. */
export function lfuncVirq(l: Lfunc, idx: number): number {
  return l.msi.data?.domains[MSI_DEFAULT_DOMAIN].store.get(idx)?.irq ?? 0;
}

/** The device signals the queue behind lfunc idx: its IMS slot. */
export function lfuncRaise(k: Kernel, l: Lfunc, idx: number): number {
  const desc = l.msi.data?.domains[MSI_DEFAULT_DOMAIN].store.get(idx);
  k.t.enter('device raises interrupt', imsDomain(l.parent)?.name, `${l.parent.name} (${l.name})`);
  if (!desc) {
    if (k.t.on) k.t.effect(`${l.name} has no interrupt at idx ${idx}`);
    return k.t.leave(-EINVAL);
  }
  if (k.t.on) k.t.effect(`${l.name} idx ${idx} is IMS slot ${desc.msiIndex} of ${l.parent.name}`);
  return k.t.leave(imsRaise(k, l.parent, desc.msiIndex));
}

/** VFIO / the cdev lets go: the lfunc's interrupts (no handler may be left) and its sysfs directory go. */
export function lfuncDestroy(k: Kernel, l: Lfunc): number {
  const store = l.msi.data!.domains[MSI_DEFAULT_DOMAIN].store;
  k.t.enter('lfunc_destroy', imsDomain(l.parent)?.name, WHERE);
  for (const desc of store.values()) {
    if (desc.irq && k.descs.get(desc.irq)?.action.length) {
      if (k.t.on) k.t.effect(`irq ${desc.irq} still has a handler: free_irq() first`);
      return k.t.leave(-EBUSY);
    }
  }
  for (const [idx, desc] of [...store].sort((a, b) => a[0] - b[0])) {
    if (k.t.on) k.t.effect(`idx ${idx}: IMS slot ${desc.msiIndex}, irq ${desc.irq} freed`);
    pciImsFreeIrq(k, l.parent, desc.msiIndex);
  }
  store.clear();
  roads(k).lfuncs.delete(l.name);
  if (k.t.on) k.t.effect(`${lfuncSysfs(l)}/ removed with its msi_irqs/; the IMS domain and the device's other interrupts stay`);
  return k.t.leave(0);
}

/** What the views need of the lfuncs: sysfs path, owner, idx → IMS slot and virq. */
export function lfuncsView(k: Kernel): { name: string; sysfs: string; owner: Lfunc['owner']; irqs: { idx: number; slot: number; virq: number }[] }[] {
  return [...roads(k).lfuncs.values()].map((l) => ({
    name: l.name, sysfs: lfuncSysfs(l), owner: l.owner,
    irqs: [...l.msi.data!.domains[MSI_DEFAULT_DOMAIN].store].sort((a, b) => a[0] - b[0]).map(([idx, d]) => ({ idx, slot: d.msiIndex, virq: d.irq })),
  }));
}
