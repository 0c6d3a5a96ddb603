// Models the interrupt set-up of a few drivers, written in the kernel API calls the model has:
// drivers/pci/pcie/portdrv.c (pcieport: PME/AER/hotplug, the MSI resize), drivers/cxl/pci.c
// (cxl_pci: MSI-X with one vector; the 2024 subdevice proposal), drivers/perf/cxl_pmu.c
// (cxl_pmu on a subdevice), drivers/nvme/host/pci.c (nvme) and drivers/dma/idxd (MSI-X + IMS).
// Each probe returns 0 or -errno and undoes its own non-devres steps on failure.

import type { Kernel } from '../core/kernel';
import type { Device } from '../core/device';
import { ENODEV, ENOSPC, ENXIO } from '../core/errno';
import { PCI_IRQ, pciAllocIrqVectors, pciFreeIrqVectors, pciIrqVector } from '../pci/msi';
import type { PciDev } from '../pci/pcidev';
import {
  type SubDevice, pciEnableMsiParentDomain, pciMsiCreateSubdeviceIrqDomain, pciMsiInitSubdevice, pciSubdevMsixAllocAt,
} from '../pci/subdev';
import { imsDomain, pciCreateImsDomainFor } from '../pci/ims';
import type { DriverName } from '../types';
import { devmAddAction } from './devres';
import { virtioNet } from './virtio';
import {
  type DriverIrq, devmRequestIrq, pciDisableDevice, pciEnableDevice, pciFreeIrq, pciRequestIrq, pcimEnableDevice,
} from './pciapi';

/** What a driver needs from the machine beyond the kernel state. */
export interface DriverHost {
  k: Kernel;
  /** The aux-bus subdevices of a PCI function. */
  subdevicesOf(pdev: PciDev): SubDevice[];
  /** device_release_driver() of another device (a child, before its parent goes). */
  unbind(dev: Device): void;
  /** pci_device_probe() → pci_assign_irq(): map the function's INTx where the platform does it at probe. */
  assignIrq?(dev: PciDev): void;
}

/** A driver model: its kernel name, bus, file, probe and remove. */
export interface DriverModel {
  /** drv->name, what dev->driver and dev_err() show. */
  name: string;
  bus: 'pci' | 'auxiliary';
  file: string;
  probe(h: DriverHost, dev: Device): number;
  remove(h: DriverHost, dev: Device): void;
}

const ALL_TYPES = PCI_IRQ.INTX | PCI_IRQ.MSI | PCI_IRQ.MSIX;

/** Interrupts a driver requested without devres, freed by its remove (newest first). */
const requested = new WeakMap<Device, { nr: number; name: string }[]>();

function freeRequested(k: Kernel, dev: PciDev): void {
  const list = requested.get(dev) ?? [];
  while (list.length) {
    const r = list.pop()!;
    pciFreeIrq(k, dev, r.nr, r.name);
  }
  requested.delete(dev);
}

function requestOrUnwind(k: Kernel, dev: PciDev, nr: number, h: DriverIrq): number {
  const ret = pciRequestIrq(k, dev, nr, h);
  if (ret < 0) return ret;
  const list = requested.get(dev) ?? [];
  list.push({ nr, name: h.name });
  requested.set(dev, list);
  return 0;
}

// ---- nvme (drivers/nvme/host/pci.c) ------------------------------------------------------

/** The nvme ida: nvme%d instance numbers in use per kernel. */
const nvmeInstances = new WeakMap<Kernel, Map<Device, number>>();

function nvmeInstance(k: Kernel, dev: Device): number {
  const used = nvmeInstances.get(k) ?? new Map<Device, number>();
  nvmeInstances.set(k, used);
  const taken = new Set(used.values());
  let n = 0;
  while (taken.has(n)) n++;
  used.set(dev, n);
  return n;
}

function nvmeReleaseInstance(k: Kernel, dev: Device): void {
  nvmeInstances.get(k)?.delete(dev);
}

/**
 * nvme_setup_io_queues() → nvme_setup_irqs(): free the one early vector (the admin queue's
 * handler first), then pci_alloc_irq_vectors_affinity(1, 1 + nr_io_queues, ALL_TYPES |
 * AFFINITY, {pre_vectors = 1}) and a handler per queue. One vector: the I/O queue shares it.
 */
function nvmeSetupIoQueues(k: Kernel, dev: PciDev, inst: number): number {
  k.t.enter('nvme_setup_io_queues', undefined, 'drivers/nvme/host/pci.c');
  // nvme_max_io_queues() is one per possible CPU; nvme_set_queue_count() caps it at what the
  // controller offers (QEMU's max_ioqpairs).
  const nrIo = Math.min(k.nrCpus, dev.queues ?? 64);
  if (k.t.on) k.t.effect(`nr_io_queues ${nrIo} (one per possible CPU${dev.queues !== undefined ? `, at most the controller's ${dev.queues}` : ''}): the vectors must be re-allocated, and MSI/MSI-X cannot grow — free first`);
  freeRequested(k, dev);
  pciFreeIrqVectors(k, dev);
  k.t.enter('nvme_setup_irqs', undefined, 'drivers/nvme/host/pci.c');
  const n = pciAllocIrqVectors(k, dev, 1, 1 + nrIo, ALL_TYPES | PCI_IRQ.AFFINITY, { preVectors: 1, postVectors: 0 });
  k.t.leave(n);
  if (n < 0) return k.t.leave(n);
  const queues = n === 1 ? 2 : n;
  for (let q = 0; q < queues; q++) {
    const ret = requestOrUnwind(k, dev, n === 1 ? 0 : q, { name: `nvme${inst}q${q}`, fn: 'nvme_irq' });
    if (ret < 0) {
      freeRequested(k, dev);
      pciFreeIrqVectors(k, dev);
      return k.t.leave(ret);
    }
  }
  if (n === 1 && k.t.on) k.t.effect('one vector: admin and I/O queue share it (both handlers on one shared irq)');
  return k.t.leave(0);
}

/**
 * nvme_dev_disable(), as probe's error path and remove both call it: nvme_suspend_io_queues()
 * frees the handlers, nvme_pci_disable() the vectors and the device.
 */
function nvmeDevDisable(k: Kernel, dev: PciDev): void {
  freeRequested(k, dev);
  pciFreeIrqVectors(k, dev);
  pciDisableDevice(k, dev);
}

const nvme: DriverModel = {
  name: 'nvme',
  bus: 'pci',
  file: 'drivers/nvme/host/pci.c',
  probe(h, d) {
    const { k } = h;
    const dev = d as PciDev;
    k.t.enter('nvme_probe', undefined, this.file);
    const inst = nvmeInstance(k, dev);
    pciEnableDevice(k, dev, 'pci_enable_device_mem');
    // nvme_pci_enable(): "pre-enable a single MSIX or MSI vec for setup. We'll adjust this later."
    let ret = pciAllocIrqVectors(k, dev, 1, 1, ALL_TYPES, null);
    if (ret >= 0) ret = requestOrUnwind(k, dev, 0, { name: `nvme${inst}q0`, fn: 'nvme_irq' });
    if (ret >= 0) ret = nvmeSetupIoQueues(k, dev, inst);
    if (ret < 0) {
      nvmeDevDisable(k, dev);
      nvmeReleaseInstance(k, dev);
      return k.t.leave(ret);
    }
    return k.t.leave(0);
  },
  remove(h, d) {
    const { k } = h;
    const dev = d as PciDev;
    k.t.enter('nvme_remove', undefined, this.file);
    nvmeDevDisable(k, dev);
    nvmeReleaseInstance(k, dev);
    k.t.leaveWith();
  },
};

// ---- pcieport (drivers/pci/pcie/portdrv.c) -------------------------------------------------

/** The port's Interrupt Message Numbers (PCIe capability: PME and hotplug; AER capability). */
const PORT_PME_MSG = 0;
const PORT_AER_MSG = 1;
/** PCIE_PORT_MAX_MSI_ENTRIES */
const PCIE_PORT_MAX_MSI_ENTRIES = 32;

/**
 * pcie_port_enable_irq_vec(): allocate as many vectors as possible, read which Interrupt Message
 * Numbers the services use, and if fewer are needed free them all and allocate again with the
 * exact count — MSI cannot shrink in place.
 */
function pciePortEnableIrqVec(k: Kernel, dev: PciDev): number {
  k.t.enter('pcie_port_enable_irq_vec', undefined, 'drivers/pci/pcie/portdrv.c');
  let nr = pciAllocIrqVectors(k, dev, 1, PCIE_PORT_MAX_MSI_ENTRIES, PCI_IRQ.MSIX | PCI_IRQ.MSI, null);
  if (nr < 0) return k.t.leave(nr);
  const nvec = Math.max(PORT_PME_MSG, PORT_AER_MSG) + 1;
  if (k.t.on) k.t.effect(`pcie_message_numbers(): PME/hotplug use message ${PORT_PME_MSG}, AER message ${PORT_AER_MSG}: ${nvec} vectors needed, ${nr} allocated`);
  if (nvec > nr) {
    pciFreeIrqVectors(k, dev);
    return k.t.leave(-5); // -EIO
  }
  if (nvec !== nr) {
    if (k.t.on) k.t.effect(`more than needed: free all ${nr} and allocate ${nvec} (in between MSI is off and INTx is back on)`);
    pciFreeIrqVectors(k, dev);
    nr = pciAllocIrqVectors(k, dev, nvec, nvec, PCI_IRQ.MSIX | PCI_IRQ.MSI, null);
    if (nr < 0) return k.t.leave(nr);
  }
  return k.t.leave(0);
}

const PORT_SERVICES: { msg: number; h: DriverIrq }[] = [
  { msg: PORT_PME_MSG, h: { name: 'PCIe PME', fn: 'pcie_pme_irq' } },
  { msg: PORT_PME_MSG, h: { name: 'pciehp', fn: 'pciehp_isr' } },
  { msg: PORT_AER_MSG, h: { name: 'aerdrv', fn: 'aer_irq' } },
];

const portdrv: DriverModel = {
  name: 'pcieport',
  bus: 'pci',
  file: 'drivers/pci/pcie/portdrv.c',
  probe(h, d) {
    const { k } = h;
    const dev = d as PciDev;
    k.t.enter('pcie_portdrv_probe', undefined, this.file);
    k.t.enter('pcie_port_device_register', undefined, this.file);
    pciEnableDevice(k, dev);
    if (k.t.on) k.t.effect('port services: PME, AER, hotplug');
    // pcie_init_service_irqs(): MSI-X or MSI, else INTx.
    let intx = false;
    if (pciePortEnableIrqVec(k, dev) < 0) {
      if (k.t.on) k.t.effect('no usable MSI/MSI-X: fall back to INTx');
      if (pciAllocIrqVectors(k, dev, 1, 1, PCI_IRQ.INTX, null) < 0) {
        // Only hotplug could go on (in poll mode); the model's port has no polling service.
        pciDisableDevice(k, dev);
        k.t.leave(-ENODEV);
        return k.t.leave(-ENODEV);
      }
      intx = true;
    }
    // pcie_device_init() per service; its driver (pcie_pme, pciehp, aer) requests the shared irq.
    for (const s of PORT_SERVICES) {
      const ret = requestOrUnwind(k, dev, intx ? 0 : s.msg, s.h);
      if (ret < 0) {
        freeRequested(k, dev);
        pciFreeIrqVectors(k, dev);
        pciDisableDevice(k, dev);
        k.t.leave(ret);
        return k.t.leave(ret);
      }
    }
    k.t.leave(0);
    return k.t.leave(0);
  },
  remove(h, d) {
    const { k } = h;
    const dev = d as PciDev;
    k.t.enter('pcie_portdrv_remove', undefined, this.file);
    // pcie_port_device_remove(): the service devices go (their handlers), then the vectors.
    freeRequested(k, dev);
    pciFreeIrqVectors(k, dev);
    pciDisableDevice(k, dev);
    k.t.leaveWith();
  },
};

// ---- cxl_pci (drivers/cxl/pci.c) -------------------------------------------------------------

const cxlPci: DriverModel = {
  name: 'cxl_pci',
  bus: 'pci',
  file: 'drivers/cxl/pci.c',
  probe(h, d) {
    const { k } = h;
    const dev = d as PciDev;
    k.t.enter('cxl_pci_probe', undefined, this.file);
    pcimEnableDevice(k, dev);
    // The pattern the 2024 discussion settled on: the core driver enables MSI-X with one vector
    // (its own mailbox/management interrupt); later users add vectors with pci_msix_alloc_irq_at().
    const n = pciAllocIrqVectors(k, dev, 1, 1, PCI_IRQ.MSIX, null);
    if (n < 1) {
      if (k.t.on) k.t.effect(`dev_dbg: Failed to alloc irq vectors: ${n}`);
      return k.t.leave(-ENXIO);
    }
    const ret = devmRequestIrq(k, dev, dev, pciIrqVector(dev, 0), { name: dev.name, fn: 'cxl_pci_mbox_irq' });
    if (ret < 0) return k.t.leave(ret);
    const subs = h.subdevicesOf(dev);
    if (subs.length) {
      // Proposal: the PCI/MSI-X domain becomes the MSI parent of the aux devices (CPMUs).
      if (pciEnableMsiParentDomain(k, dev) < 0) {
        if (k.t.on) k.t.effect(`no MSI parent for ${subs.map((s) => s.name).join(', ')}: their drivers get no interrupts`);
      } else {
        for (const s of subs) pciMsiInitSubdevice(k, s);
      }
      devmAddAction(k, dev, 'auxiliary_device_destroy', `the aux devices ${subs.map((s) => s.name).join(', ')}`, () => {
        for (const s of subs) {
          if (s.driver) h.unbind(s);
          s.msi.domain = null;
        }
      });
    }
    return k.t.leave(0);
  },
  remove(h) {
    // Everything cxl_pci set up is devres: pcim_enable_device, the MSI context, devm irqs.
    h.k.t.enter('cxl_pci_remove', undefined, this.file);
    h.k.t.leaveWith();
  },
};

// ---- cxl_pmu on a subdevice (drivers/perf/cxl_pmu.c, with the 2024 subdevice MSI proposal) -----

const cpmu: DriverModel = {
  name: 'cxl_pmu',
  bus: 'auxiliary',
  file: 'drivers/perf/cxl_pmu.c',
  probe(h, d) {
    const { k } = h;
    const sub = d as SubDevice;
    k.t.enter('cxl_pmu_probe', undefined, this.file);
    let ret = pciMsiCreateSubdeviceIrqDomain(k, sub);
    if (ret < 0) return k.t.leave(ret);
    // The CPMU capability's Interrupt Message Number: which MSI-X entry of the PCI function this
    // PMU signals on (the model numbers the PMUs of a device 1, 2, … after the mailbox's 0).
    const msgnum = 1 + Math.max(0, h.subdevicesOf(sub.parent).indexOf(sub));
    if (k.t.on) k.t.effect(`CPMU capability: Interrupt Message Number ${msgnum}`);
    const map = pciSubdevMsixAllocAt(k, sub, msgnum);
    if (map.index < 0) return k.t.leave(map.index);
    ret = devmRequestIrq(k, sub, sub.parent, map.virq, { name: `${sub.name}_overflow`, fn: 'cxl_pmu_irq' });
    if (ret < 0) return k.t.leave(ret);
    return k.t.leave(0);
  },
  remove(h) {
    h.k.t.enter('cxl_pmu_remove', undefined, this.file);
    h.k.t.leaveWith();
  },
};

// ---- idxd-like (drivers/dma/idxd/init.c) -------------------------------------------------------

const idxd: DriverModel = {
  name: 'idxd',
  bus: 'pci',
  file: 'drivers/dma/idxd/init.c',
  probe(h, d) {
    const { k } = h;
    const dev = d as PciDev;
    k.t.enter('idxd_pci_probe', undefined, this.file);
    pcimEnableDevice(k, dev);
    // idxd_setup_interrupts(): every MSI-X entry, or nothing.
    const cnt = dev.msixCap?.tableSize ?? 0;
    if (!cnt) {
      if (k.t.on) k.t.effect('no MSI-X capability');
      return k.t.leave(-ENODEV);
    }
    const n = pciAllocIrqVectors(k, dev, cnt, cnt, PCI_IRQ.MSIX, null);
    if (n !== cnt) return k.t.leave(n < 0 ? n : -ENOSPC);
    const ret = requestOrUnwind(k, dev, 0, { name: 'idxd-misc', fn: 'idxd_misc_thread' });
    if (ret < 0) return k.t.leave(ret);
    // Work-queue interrupts for guests/subdevices from the device's own store (IMS, v6.2–v6.9).
    const ims = pciCreateImsDomainFor(k, dev);
    if (ims < 0 && k.t.on) k.t.effect(`no IMS domain (${ims}): work-queue interrupts come from MSI-X entries`);
    else if (k.t.on) k.t.effect(`IMS domain ${imsDomain(dev)?.name ?? ''}: work-queue interrupts are allocated from it later (pci_ims_alloc_irq)`);
    return k.t.leave(0);
  },
  remove(h, d) {
    const { k } = h;
    k.t.enter('idxd_pci_remove', undefined, this.file);
    freeRequested(k, d as PciDev);
    k.t.leaveWith();
  },
};

/** The catalogue, by the name a scenario's driver_bind gives. */
export const DRIVERS: Record<DriverName, DriverModel> = { pcieport: portdrv, cxl_pci: cxlPci, cxl_pmu: cpmu, nvme, idxd, virtio_net: virtioNet };
