// Models drivers/base/devres.c: the per-device list of managed resources (devres_add,
// devm_add_action) and devres_release_all(), which runs the release functions in reverse order
// of registration when a driver unbinds or its probe fails. Each release is a call in the trace.

import type { Kernel } from '../core/kernel';
import type { Device, DevresEntry } from '../core/device';
import { freeIrq } from '../core/manage';
import { MSI_MAX_DEVICE_IRQDOMAINS, msiDescsSorted } from '../msi/msidesc';
import { msiRemoveDeviceIrqDomain } from '../msi/msi';
import { pciFreeIrqVectors } from '../pci/msi';
import type { PciDev } from '../pci/pcidev';
import { IMS_DEVRES_RELEASE, imsRemove } from '../pci/ims';

const FILE = 'drivers/base/devres.c';

function isPci(dev: Device): dev is PciDev {
  return (dev as PciDev).kind === 'pci';
}

/** Handlers still on interrupts about to be freed: the driver forgot free_irq(). */
function freeLeftoverHandlers(k: Kernel, dev: Device, domid: number): void {
  const slot = dev.msi.data?.domains[domid];
  if (!slot) return;
  for (const desc of msiDescsSorted(slot)) {
    for (let i = 0; desc.irq && i < desc.nvecUsed; i++) {
      const irq = k.descs.get(desc.irq + i);
      if (!irq?.action.length) continue;
      k.log('warn', `WARNING: irq ${irq.irq} of ${dev.name} still has a handler ("${irq.action[0].name}") when its MSI data is released`);
      while (irq.action.length) freeIrq(k, irq);
    }
  }
}

/**
 * msi_device_data_release() (kernel/irq/msi.c): remove the per-device domains (their interrupts
 * are freed with them), then the descriptor stores; dev->msi.data = NULL.
 */
function msiDeviceDataRelease(k: Kernel, dev: Device): void {
  if (!dev.msi.data) return;
  for (let domid = 0; domid < MSI_MAX_DEVICE_IRQDOMAINS; domid++) {
    freeLeftoverHandlers(k, dev, domid);
    msiRemoveDeviceIrqDomain(k, dev, domid);
  }
  const left = dev.msi.data.domains.some((s) => s.store.size > 0);
  if (left && isPci(dev) && (dev.msiEnabled || dev.msixEnabled)) {
    // A global (v1) or arch-hook (legacy) device: no device domain frees them. The kernel WARNs
    // (WARN_ON_ONCE(!xa_empty)) and leaks them; the model frees them to stay consistent.
    k.log('warn', `WARNING: msi_device_data_release: ${dev.name} still has MSI descriptors (MSI${dev.msixEnabled ? '-X' : ''} still enabled)`);
    pciFreeIrqVectors(k, dev);
  }
  dev.msi.data = null;
  if (k.t.on) k.t.effect(`dev->msi.data of ${dev.name} released`);
}

/** pcim_msi_release() (drivers/pci/msi/msi.c): a managed device's vectors go at unbind. */
function pcimMsiRelease(k: Kernel, dev: Device): void {
  if (!isPci(dev)) return;
  dev.isMsiManaged = false;
  for (let domid = 0; domid < MSI_MAX_DEVICE_IRQDOMAINS; domid++) freeLeftoverHandlers(k, dev, domid);
  pciFreeIrqVectors(k, dev);
}

/** Release functions of devres entries that other modules add by name, with their files. */
const RELEASES: Record<string, { file: string; fn: (k: Kernel, dev: Device) => void }> = {
  msi_device_data_release: { file: 'kernel/irq/msi.c', fn: msiDeviceDataRelease },
  pcim_msi_release: { file: 'drivers/pci/msi/msi.c', fn: pcimMsiRelease },
  [IMS_DEVRES_RELEASE]: { file: 'kernel/irq/msi.c', fn: (k, dev) => isPci(dev) && imsRemove(k, dev) },
};

/** devm_add_action() / devres_add(): one more resource, released before the earlier ones. */
export function devmAddAction(k: Kernel, dev: Device, release: string, what: string, fn: (k: Kernel) => void): void {
  dev.devres.push({ release, what, fn });
  if (k.t.on) {
    k.t.enter('devm_add_action', undefined, FILE);
    k.t.effect(`devres of ${dev.name}: ${release} (${what})`);
    k.t.leaveWith('0');
  }
}

/** Run one entry's release, as its own call in the trace. */
function releaseOne(k: Kernel, dev: Device, e: DevresEntry): void {
  const known = RELEASES[e.release];
  k.t.enter(e.release, undefined, known?.file ?? FILE);
  if (k.t.on) k.t.effect(`releases ${e.what}`);
  if (e.fn) e.fn(k);
  else if (known) known.fn(k, dev);
  else if (k.t.on) k.t.effect('(no model of this release function: only its record is dropped)');
  k.t.leaveWith();
}

/**
 * devres_release_all() → release_nodes(): every managed resource of the device, newest first.
 * Returns how many were released.
 */
export function devresReleaseAll(k: Kernel, dev: Device): number {
  const n = dev.devres.length;
  if (!n) return 0;
  k.t.enter('devres_release_all', dev.name, FILE);
  if (k.t.on) k.t.effect(`${n} resource${n > 1 ? 's' : ''}, released in reverse order: ${[...dev.devres].reverse().map((e) => e.release).join(', ')}`);
  while (dev.devres.length) releaseOne(k, dev, dev.devres.pop()!);
  k.t.leaveWith(String(n));
  return n;
}
