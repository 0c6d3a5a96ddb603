// Models the driver-facing helpers of drivers/pci/pci.c and drivers/pci/devres.c
// (pci_enable_device, pcim_enable_device, pci_disable_device, pci_request_irq, pci_free_irq) and
// kernel/irq/devres.c (devm_request_irq): the calls the driver models are written in.

import { EINVAL } from '../core/errno';
import type { Kernel } from '../core/kernel';
import type { Device } from '../core/device';
import type { IrqDesc } from '../core/irqdesc';
import { IRQF, freeIrq, requestIrq } from '../core/manage';
import { pciIrqVector } from '../pci/msi';
import { isIntxOf, pciIntxIsr } from '../pci/intx';
import type { PciDev } from '../pci/pcidev';
import { devmAddAction } from './devres';

const PCI = 'drivers/pci/pci.c';

/** pci_enable_device() / pci_enable_device_mem(): enable_cnt++ (INTx was routed when the device appeared). */
export function pciEnableDevice(k: Kernel, dev: PciDev, fn = 'pci_enable_device'): number {
  k.t.enter(fn, undefined, PCI);
  dev.enableCnt = (dev.enableCnt ?? 0) + 1;
  if (k.t.on) k.t.effect(`${dev.name} enabled (enable_cnt ${dev.enableCnt}); INTx A is irq ${dev.intxIrq || 'none'}`);
  return k.t.leave(0);
}

/** pci_disable_device() */
export function pciDisableDevice(k: Kernel, dev: PciDev): void {
  k.t.enter('pci_disable_device', undefined, PCI);
  dev.enableCnt = Math.max(0, (dev.enableCnt ?? 0) - 1);
  k.t.leaveWith();
}

/**
 * pcim_enable_device() (drivers/pci/devres.c): enable, mark the device managed (so MSI set-up
 * adds pcim_msi_release), and undo it all at unbind (devres pcim_disable_device).
 */
export function pcimEnableDevice(k: Kernel, dev: PciDev): number {
  k.t.enter('pcim_enable_device', undefined, 'drivers/pci/devres.c');
  pciEnableDevice(k, dev);
  devmAddAction(k, dev, 'pcim_disable_device', `pci_disable_device(${dev.name}), is_managed = false`, (kk) => {
    dev.isManaged = false;
    pciDisableDevice(kk, dev);
  });
  dev.isManaged = true;
  return k.t.leave(0);
}

/** What an interrupt handler of a driver looks like to the model. */
export interface DriverIrq {
  /** The action name /proc/interrupts shows (and the dev_id cookie). */
  name: string;
  /** The handler's symbol (nvme_irq, pcie_pme_irq, …). */
  fn: string;
}

function irqSpec(dev: PciDev, desc: IrqDesc, h: DriverIrq) {
  // On the device's own INTx line the handler reads its Interrupt Status first (IRQ_NONE when
  // its device did not interrupt: the line is shared); an MSI vector is the device's alone.
  return { flags: IRQF.SHARED, devId: h.name, fn: h.fn, ...(isIntxOf(dev, desc) ? { handler: pciIntxIsr(dev) } : {}) };
}

/** pci_request_irq(dev, nr, handler, …, fmt): request_threaded_irq(pci_irq_vector(dev, nr), …, IRQF_SHARED, name). */
export function pciRequestIrq(k: Kernel, dev: PciDev, nr: number, h: DriverIrq): number {
  k.t.enter('pci_request_irq', undefined, 'drivers/pci/irq.c');
  const virq = pciIrqVector(dev, nr);
  const desc = virq > 0 ? k.descs.get(virq) : undefined;
  if (!desc) return k.t.leave(-EINVAL);
  return k.t.leave(requestIrq(k, desc, h.name, irqSpec(dev, desc, h)));
}

/** pci_free_irq(dev, nr, dev_id) */
export function pciFreeIrq(k: Kernel, dev: PciDev, nr: number, name: string): number {
  k.t.enter('pci_free_irq', undefined, 'drivers/pci/irq.c');
  const virq = pciIrqVector(dev, nr);
  const desc = virq > 0 ? k.descs.get(virq) : undefined;
  if (!desc) return k.t.leave(-EINVAL);
  return k.t.leave(freeIrq(k, desc, name));
}

/** request_irq() on a known virq, shared, for `owner` (a PCI function or a subdevice of one). */
export function requestIrqOn(k: Kernel, pdev: PciDev | null, virq: number, h: DriverIrq): number {
  const desc = k.descs.get(virq);
  if (!desc) return -EINVAL;
  const spec = pdev ? irqSpec(pdev, desc, h) : { flags: IRQF.SHARED, devId: h.name, fn: h.fn };
  return requestIrq(k, desc, h.name, spec);
}

/**
 * devm_request_irq(dev, irq, handler, IRQF_SHARED, name, dev_id): request_irq(), and a devres
 * entry (devm_irq_release) that frees it at unbind, before anything registered earlier.
 */
export function devmRequestIrq(k: Kernel, owner: Device, pdev: PciDev | null, virq: number, h: DriverIrq): number {
  k.t.enter('devm_request_irq', undefined, 'kernel/irq/devres.c');
  const ret = requestIrqOn(k, pdev, virq, h);
  if (ret < 0) return k.t.leave(ret);
  devmAddAction(k, owner, 'devm_irq_release', `free_irq(${virq}, "${h.name}")`, (kk) => {
    const desc = kk.descs.get(virq);
    if (desc) freeIrq(kk, desc, h.name);
  });
  return k.t.leave(0);
}
