// The kernel API calls of two per-device MSI designs beyond mainline, registered into the action
// registry: PCI/IMS (drivers/pci/msi of v6.2–v6.9, removed in 2024) and MSI parent domains for PCI
// subdevices (the 2024 CXL proposal). Imported once by machine.ts for this side effect.

import { EINVAL, ENODEV } from '../core/errno';
import { actionHandler, done, doneVoid, fail, msiMapOutcome, type Outcome, registerActions, registerIrqResolver } from '../actions';
import type { Machine } from '../machine';
import { MSI_ANY_INDEX } from '../msi/msidesc';
import { imsAllocIrqAt, imsDomain, imsRaise, pciCreateImsDomainFor, pciImsAllocIrq, pciImsFreeIrq } from './ims';
import {
  type SubDevice, pciEnableMsiParentDomain, pciMsiCreateSubdeviceIrqDomain, pciMsiInitSubdevice, pciSubdevMsixAllocAt,
  pciSubdevMsixFree, subdevDomain, subdevRaise, subdevVirq,
} from './subdev';
import type { MsiMap } from '../msi/msi';

const noDev = (name: string) => fail(ENODEV, `no PCI device ${name}`);
const noSub = (name: string) => fail(ENODEV, `no subdevice ${name}`);

function mapOutcome(map: MsiMap, what: string): Outcome {
  return msiMapOutcome(map, `${what} ${map.index} → irq ${map.virq}`);
}

function sub(m: Machine, name: string): SubDevice | null {
  return m.subdevice(name);
}

// `request_irq {dev: "cxl_pmu.0", index}` and friends: a subdevice index names its interrupt.
registerIrqResolver((m, dev, index) => {
  const s = m.subdevice(dev);
  if (!s) return undefined;
  const virq = subdevVirq(s, index);
  return virq ? m.k.descs.get(virq) ?? null : null;
});

const pciRaiseHandler = actionHandler('raise');

registerActions({
  pci_create_ims_domain(m, a) {
    const dev = m.pciDev(a.dev);
    if (!dev) return noDev(a.dev);
    const ret = pciCreateImsDomainFor(m.k, dev, a.template);
    // Merged v6.2 returns bool: true once the domain exists.
    const r = done(ret, `IMS domain ${imsDomain(dev)?.name ?? ''} created for ${dev.name}`);
    return r.ok ? { ...r, ret: 'true' } : r;
  },
  msi_domain_alloc_irq_at(m, a) {
    const dev = m.pciDev(a.dev);
    if (!dev) return noDev(a.dev);
    const map = imsAllocIrqAt(m.k, dev, a.index === 'any' ? MSI_ANY_INDEX : a.index, a.icookie);
    return mapOutcome(map, 'IMS index');
  },
  pci_ims_alloc_irq(m, a) {
    const dev = m.pciDev(a.dev);
    if (!dev) return noDev(a.dev);
    return mapOutcome(pciImsAllocIrq(m.k, dev, a.icookie), 'IMS index');
  },
  pci_ims_free_irq(m, a) {
    const dev = m.pciDev(a.dev);
    if (!dev) return noDev(a.dev);
    return doneVoid(pciImsFreeIrq(m.k, dev, a.index), `IMS index ${a.index} freed`);
  },
  pci_enable_msi_parent_domain(m, a) {
    const dev = m.pciDev(a.dev);
    if (!dev) return noDev(a.dev);
    return done(pciEnableMsiParentDomain(m.k, dev), `the PCI/MSI-X domain of ${dev.name} is an MSI parent for its subdevices`);
  },
  pci_msi_init_subdevice(m, a) {
    const s = sub(m, a.subdev);
    if (!s) return noSub(a.subdev);
    return done(pciMsiInitSubdevice(m.k, s), `${s.name}'s MSI parent is ${s.msi.domain?.name ?? ''}`);
  },
  pci_msi_create_subdevice_irq_domain(m, a) {
    const s = sub(m, a.subdev);
    if (!s) return noSub(a.subdev);
    return done(pciMsiCreateSubdeviceIrqDomain(m.k, s, a.hwsize), `${subdevDomain(s)?.name ?? ''} created for ${s.name}`);
  },
  pci_subdev_msix_alloc_at(m, a) {
    const s = sub(m, a.subdev);
    if (!s) return noSub(a.subdev);
    return mapOutcome(pciSubdevMsixAllocAt(m.k, s, a.index === 'any' ? MSI_ANY_INDEX : a.index), `${s.name} index`);
  },
  pci_subdev_msix_free(m, a) {
    const s = sub(m, a.subdev);
    if (!s) return noSub(a.subdev);
    return doneVoid(pciSubdevMsixFree(m.k, s, a.index), `${s.name} index ${a.index} freed`);
  },
  raise(m, a) {
    const index = a.index ?? 0;
    const times = (fn: () => number): number => {
      let ret = 0;
      for (let i = 0; i < (a.count ?? 1) && ret >= 0; i++) ret = fn();
      return ret;
    };
    if (a.domain !== undefined && a.domain !== 'ims') return fail(EINVAL, `unknown domain "${a.domain}" (only "ims")`);
    if (a.domain === 'ims') {
      const dev = m.pciDev(a.dev);
      if (!dev) return noDev(a.dev);
      return doneVoid(times(() => imsRaise(m.k, dev, index)), `${dev.name} raised IMS interrupt ${index}`);
    }
    const s = m.subdevice(a.dev);
    if (s) return doneVoid(times(() => subdevRaise(m.k, s, index)), `${s.name} raised interrupt ${index} (MSI-X entry ${index} of ${s.parent.name})`);
    return pciRaiseHandler ? pciRaiseHandler(m, a) : noDev(a.dev);
  },
});
