// What the panels show of the roads' devices (src/engine/roads/state.ts): mediated devices (DEV_MSI,
// 2020) with their platform-MSI interrupts, and logical functions (2021) with theirs. Reads state only.

import type { Kernel } from '../core/kernel';
import { MSI_DEFAULT_DOMAIN } from '../msi/msidesc';
import { lfuncsView } from './lfunc';
import { roads } from './state';

export interface RoadDevicesView {
  /** Mediated devices: dev->msi_domain as the mdev driver set it, each interrupt's devid and IMS slot. */
  mdevs: {
    name: string;
    parent: string;
    msiDomain: string | null;
    irqs: { index: number; virq: number; devid: number | null; slot: number | null }[];
  }[];
  /** Logical functions: bus/pci/…/lfunc/N/, who holds it, idx → IMS slot → irq. */
  lfuncs: { name: string; parent: string; sysfs: string; owner: 'vfio' | 'cdev'; irqs: { idx: number; slot: number; virq: number }[] }[];
}

export function roadDevicesView(k: Kernel): RoadDevicesView {
  const s = roads(k);
  const mdevs = [...s.mdevs.values()].map((m) => ({
    name: m.name,
    parent: m.parent.name,
    msiDomain: m.msi.domain?.name ?? null,
    irqs: [...(m.msi.data?.domains[MSI_DEFAULT_DOMAIN].store ?? new Map()).values()]
      .sort((a, b) => a.msiIndex - b.msiIndex)
      .map((d) => {
        const priv = s.priv.get(d);
        return { index: d.msiIndex, virq: d.irq, devid: priv?.devid ?? null, slot: priv?.slot ?? null };
      }),
  }));
  const parents = new Map([...s.lfuncs.values()].map((l) => [l.name, l.parent.name]));
  const lfuncs = lfuncsView(k).map((l) => ({ ...l, parent: parents.get(l.name) ?? '' }));
  return { mdevs, lfuncs };
}
