// The kernel API calls of the roads not taken (src/engine/roads), registered into the action
// registry: DEV_MSI (RFC 2020), IMS per IOMMU (2020/2021), logical functions (2021) and the two
// CXL MSI parents the 2024 thread did not take. Imported once by machine.ts for this side effect,
// after the modules whose `raise` it wraps.

import { EINVAL, ENODEV, EDEADLK } from './core/errno';
import { actionHandler, done, doneVoid, fail, type Outcome, registerActions, registerIrqResolver } from './actions';
import type { Machine } from './machine';
import { roads, type Mdev, type Lfunc } from './roads/state';
import {
  createDevMsiIrqDomain, devMsiDomainAllocIrqs, mdevDeviceCreate, mdevDeviceRemove, mdevRaise, mdevSetMsiDomain, mdevVirq,
  platformMsiAssignDomain, platformMsiDomainAllocIrqs, platformMsiDomainFreeIrqs,
} from './roads/devmsi';
import { archCreateImsIrqDomain, devGetImsDomain, imsIommuAllocIrqs, imsIommuFreeIrqs } from './roads/ims-iommu';
import { lfuncAllocIrq, lfuncCreate, lfuncDestroy, lfuncName, lfuncRaise, lfuncVirq } from './roads/lfunc';
import { allocLock, cxlAuxBusCreateIrqdomain, cxlCreateMsiParent, msiDomainAllocIrqsRange } from './roads/cxl';
import type { Device } from './core/device';

const noDev = (name: string) => fail(ENODEV, `no PCI device ${name}`);
const count = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;

function mdev(m: Machine, name: string): Mdev | undefined {
  return roads(m.k).mdevs.get(name);
}

function lfunc(m: Machine, name: string): Lfunc | undefined {
  return roads(m.k).lfuncs.get(name);
}

/** Any struct device a road's call may name: an mdev, an lfunc or a PCI subdevice. */
function roadDevice(m: Machine, name: string): Device | null {
  return mdev(m, name) ?? lfunc(m, name) ?? m.subdevice(name);
}

function nameTaken(m: Machine, name: string): boolean {
  return m.pciDev(name) !== null || m.subdevice(name) !== null || mdev(m, name) !== undefined || lfunc(m, name) !== undefined;
}

// request_irq {dev: "mdev0" | "<bdf>/lfunc/0", index}: msi_get_virq(dev, index).
registerIrqResolver((m, dev, index) => {
  const md = mdev(m, dev);
  if (md) {
    const v = mdevVirq(md, index);
    return v ? m.k.descs.get(v) ?? null : null;
  }
  const lf = lfunc(m, dev);
  if (lf) {
    const v = lfuncVirq(lf, index);
    return v ? m.k.descs.get(v) ?? null : null;
  }
  return undefined;
});

const previousRaise = actionHandler('raise');

/** The refusal where the kernel would hang: said so in the message. */
function wouldHang(what: string): Outcome {
  return fail(EDEADLK, what);
}

registerActions({
  // ---- DEV_MSI (RFC v2, 2020) and the alternative of its thread ----
  create_dev_msi_irq_domain(m) {
    const ret = createDevMsiIrqDomain(m.k);
    const names = [...roads(m.k).devMsiByIommu.values()].map((d) => d.name).join(', ');
    return done(ret, `dev-msi domain per remapping unit: ${names}`, ret);
  },
  mdev_device_create(m, a) {
    const pdev = m.pciDev(a.dev);
    if (!pdev) return noDev(a.dev);
    if (nameTaken(m, a.name)) return fail(EINVAL, `a device named ${a.name} exists already`);
    mdevDeviceCreate(m.k, pdev, a.name);
    return { ok: true, ret: 0, message: `mediated device ${a.name} of ${pdev.name} created` };
  },
  mdev_device_remove(m, a) {
    const md = mdev(m, a.name);
    if (!md) return fail(ENODEV, `no mediated device ${a.name}`);
    return done(mdevDeviceRemove(m.k, md), `mediated device ${a.name} removed`);
  },
  dev_set_msi_domain(m, a) {
    const md = mdev(m, a.dev);
    if (!md) return fail(ENODEV, `no mediated device ${a.dev} (the model sets dev->msi_domain for mdevs: their parent's IOMMU's dev-msi domain)`);
    return done(mdevSetMsiDomain(m.k, md), `${md.name}->msi_domain = ${md.msi.domain?.name ?? ''}`);
  },
  dev_msi_domain_alloc_irqs(m, a) {
    const md = mdev(m, a.dev);
    if (!md) return fail(ENODEV, `no mediated device ${a.dev}`);
    if (!count(a.nvec)) return fail(EINVAL, 'argument nvec: not a valid value');
    const ret = devMsiDomainAllocIrqs(m.k, md, a.nvec);
    return done(ret, `${a.nvec} dev-msi interrupt${a.nvec === 1 ? '' : 's'} for ${md.name} on ${md.msi.domain?.name ?? ''}, from irq ${ret}`, ret);
  },
  dev_msi_domain_free_irqs(m, a) {
    const md = mdev(m, a.dev);
    if (!md) return fail(ENODEV, `no mediated device ${a.dev}`);
    return doneVoid(platformMsiDomainFreeIrqs(m.k, md, 'dev_msi_domain_free_irqs'), `${md.name}'s dev-msi interrupts freed`);
  },
  platform_msi_assign_domain(m, a) {
    const md = mdev(m, a.dev);
    if (!md) return fail(ENODEV, `no mediated device ${a.dev}`);
    return done(platformMsiAssignDomain(m.k, md), `${md.name}->msi_domain = ${md.msi.domain?.name ?? ''}`);
  },
  platform_msi_domain_alloc_irqs(m, a) {
    const md = mdev(m, a.dev);
    if (!md) return fail(ENODEV, `no mediated device ${a.dev}`);
    if (!count(a.nvec)) return fail(EINVAL, 'argument nvec: not a valid value');
    const ret = platformMsiDomainAllocIrqs(m.k, md, a.nvec);
    return done(ret, `${a.nvec} platform-MSI interrupt${a.nvec === 1 ? '' : 's'} for ${md.name} on ${md.msi.domain?.name ?? ''}, from irq ${ret}`, ret);
  },
  platform_msi_domain_free_irqs(m, a) {
    const md = mdev(m, a.dev);
    if (!md) return fail(ENODEV, `no mediated device ${a.dev}`);
    return doneVoid(platformMsiDomainFreeIrqs(m.k, md), `${md.name}'s platform-MSI interrupts freed`);
  },

  // ---- IMS per IOMMU (RFC 2020, rejected in review 2021) ----
  arch_create_ims_irq_domain(m) {
    const ret = archCreateImsIrqDomain(m.k);
    const names = [...roads(m.k).imsByIommu.values()].map((d) => d.name).join(', ');
    return done(ret, `IMS-IDXD domain per remapping unit: ${names}`, ret);
  },
  msi_domain_alloc_irqs(m, a) {
    const pdev = m.pciDev(a.dev);
    if (!pdev) return noDev(a.dev);
    if (!count(a.nvec)) return fail(EINVAL, 'argument nvec: not a valid value');
    const ret = imsIommuAllocIrqs(m.k, pdev, a.nvec);
    return done(ret, `${a.nvec} interrupt${a.nvec === 1 ? '' : 's'} for ${pdev.name} on ${devGetImsDomain(m.k, pdev)?.name ?? ''}, from irq ${ret}`, ret);
  },
  msi_domain_free_irqs(m, a) {
    const pdev = m.pciDev(a.dev);
    if (!pdev) return noDev(a.dev);
    return doneVoid(imsIommuFreeIrqs(m.k, pdev), `${pdev.name}'s interrupts in the per-IOMMU IMS domain freed`);
  },

  // ---- logical functions (proposal 2021) ----
  lfunc_create(m, a) {
    const pdev = m.pciDev(a.dev);
    if (!pdev) return noDev(a.dev);
    const n = lfuncCreate(m.k, pdev, a.owner);
    return done(n, `${lfuncName(pdev, n)} created for ${a.owner}`, n);
  },
  lfunc_alloc_irq(m, a) {
    const lf = lfunc(m, a.lfunc);
    if (!lf) return fail(ENODEV, `no logical function ${a.lfunc}`);
    const ret = lfuncAllocIrq(m.k, lf, a.icookie);
    return done(ret, `${lf.name}: irq ${ret}`, ret);
  },
  lfunc_destroy(m, a) {
    const lf = lfunc(m, a.lfunc);
    if (!lf) return fail(ENODEV, `no logical function ${a.lfunc}`);
    return done(lfuncDestroy(m.k, lf), `${lf.name} released`);
  },

  // ---- CXL subdevices: the first attempt and option 1 (2024) ----
  irq_domain_create_hierarchy(m, a) {
    const pdev = m.pciDev(a.dev);
    if (!pdev) return noDev(a.dev);
    const sub = m.subdevice(a.subdev);
    if (!sub) return fail(ENODEV, `no subdevice ${a.subdev}`);
    if (a.parent !== null && a.parent !== 'dev_get_msi_domain') return fail(EINVAL, 'argument parent: "dev_get_msi_domain" or null');
    const ret = cxlCreateMsiParent(m.k, pdev, sub, a.parent);
    return done(ret, `${sub.msi.domain?.name ?? ''} is ${sub.name}'s MSI parent (${a.parent ? 'in the PCI device\'s hierarchy' : 'disjunct'})`);
  },
  cxl_aux_bus_create_irqdomain(m, a) {
    const sub = m.subdevice(a.subdev);
    if (!sub) return fail(ENODEV, `no subdevice ${a.subdev}`);
    const ret = cxlAuxBusCreateIrqdomain(m.k, sub);
    return done(ret, `${sub.msi.data?.domains[0].domain?.name ?? ''} created for ${sub.name}`);
  },
  msi_domain_alloc_irqs_range(m, a) {
    const dev = roadDevice(m, a.dev);
    if (!dev) return fail(ENODEV, `no such device ${a.dev}`);
    const uint = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= 0xffff;
    if (!uint(a.first) || !uint(a.last)) return fail(EINVAL, 'arguments first, last: MSI indices');
    const ret = msiDomainAllocIrqsRange(m.k, dev, a.first, a.last);
    if (ret === -EDEADLK) {
      const dom = dev.msi.data?.domains[0].domain;
      const lock = dom ? allocLock(m.k, dom).text : 'the hierarchy lock';
      return wouldHang(`-EDEADLK: the kernel would hang here — __irq_domain_alloc_irqs() takes ${lock} a second time (the CXL parent's alloc calls pci_msix_alloc_irq_at() inside the outer allocation); the model refuses the call and changes nothing`);
    }
    return done(ret, `${dev.name} indices ${a.first}–${a.last}: from irq ${ret}`, ret);
  },

  raise(m, a) {
    const md = mdev(m, a.dev);
    if (md) return doneVoid(mdevRaise(m.k, md, a.index ?? 0), `${md.name} raised interrupt ${a.index ?? 0}`);
    const lf = lfunc(m, a.dev);
    if (lf) return doneVoid(lfuncRaise(m.k, lf, a.index ?? 0), `${lf.name} raised interrupt ${a.index ?? 0}`);
    return previousRaise ? previousRaise(m, a) : noDev(a.dev);
  },
});
