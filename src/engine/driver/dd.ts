// Models drivers/base/dd.c: binding a driver to a device (bind_store → device_driver_attach →
// __driver_probe_device → really_probe → call_driver_probe) and unbinding it
// (device_release_driver → __device_release_driver → device_unbind_cleanup → devres_release_all).

import { EBUSY, EINVAL, ENODEV, ENXIO, errnoName } from '../core/errno';
import type { Kernel } from '../core/kernel';
import type { Device } from '../core/device';
import type { PciDev } from '../pci/pcidev';
import type { DriverName } from '../types';
import { devresReleaseAll } from './devres';
import { DRIVERS, type DriverHost, type DriverModel } from './drivers';

const FILE = 'drivers/base/dd.c';

/** The bus a device sits on (what dev_driver_string() prints while no driver is bound). */
export function busOf(dev: Device): 'pci' | 'auxiliary' {
  return (dev as { kind?: string }).kind === 'subdevice' ? 'auxiliary' : 'pci';
}

/** dev_driver_string(dev) + dev_name(dev), the prefix of dev_err()/dev_crit(). */
function devPrefix(dev: Device): string {
  return `${dev.driver ?? busOf(dev)} ${dev.name}`;
}

/** The model of the driver bound to `dev`, by its kernel name. */
function boundDriver(dev: Device): DriverModel | null {
  return Object.values(DRIVERS).find((d) => d.name === dev.driver) ?? null;
}

/** call_driver_probe(): the bus/driver probe, and what a failure prints. */
function callDriverProbe(h: DriverHost, dev: Device, drv: DriverModel): number {
  const { k } = h;
  k.t.enter('call_driver_probe', undefined, FILE);
  const ret = drv.probe(h, dev);
  if (ret === -ENODEV || ret === -ENXIO) {
    if (k.t.on) k.t.effect(`dev_dbg: probe with driver ${drv.name} rejects match ${ret}`);
  } else if (ret < 0) {
    k.log('err', `${devPrefix(dev)}: probe with driver ${drv.name} failed with error ${ret}`);
  }
  return k.t.leave(ret);
}

/**
 * really_probe(): a device that already has managed resources is refused before anything runs
 * (dev_crit "Resources present before probing", -EBUSY) — someone set them up on it while no
 * driver was bound, and devres would release them at the wrong time. Then dev->driver = drv and
 * the probe; a failed probe releases what the driver managed and unbinds again.
 */
function reallyProbe(h: DriverHost, dev: Device, drv: DriverModel): number {
  const { k } = h;
  k.t.enter('really_probe', undefined, FILE);
  if (dev.devres.length) {
    k.log('crit', `${devPrefix(dev)}: Resources present before probing`);
    if (k.t.on) k.t.effect(`devres list of ${dev.name} is not empty: ${dev.devres.map((e) => e.release).join(', ')} (set up before any driver was bound)`);
    return k.t.leave(-EBUSY);
  }
  dev.driver = drv.name;
  if (k.t.on) k.t.effect(`dev->driver = ${drv.name}`);
  if (busOf(dev) === 'pci') h.assignIrq?.(dev as PciDev);
  const ret = callDriverProbe(h, dev, drv);
  if (ret < 0) {
    // probe_failed: device_unbind_cleanup()
    devresReleaseAll(k, dev);
    dev.driver = null;
    if (k.t.on) k.t.effect(`probe failed (${errnoName(ret)}): devres released, dev->driver = NULL`);
    return k.t.leave(ret);
  }
  return k.t.leave(0);
}

/**
 * echo <dev> > /sys/bus/<bus>/drivers/<drv>/bind: the driver must match the device's bus
 * (-ENODEV), the device must be free (-EBUSY), then really_probe().
 */
export function driverBind(h: DriverHost, dev: Device, name: DriverName): number {
  const { k } = h;
  const drv = DRIVERS[name];
  k.t.enter('device_driver_attach', drv?.name, FILE);
  if (!drv) return k.t.leave(-EINVAL);
  if (drv.bus !== busOf(dev)) {
    if (k.t.on) k.t.effect(`${drv.name} is a ${drv.bus} driver; ${dev.name} is on the ${busOf(dev)} bus (driver_match_device() fails)`);
    return k.t.leave(-ENODEV);
  }
  k.t.enter('__driver_probe_device', drv.name, FILE);
  if (dev.driver) {
    if (k.t.on) k.t.effect(`${dev.name} is already bound to ${dev.driver}`);
    k.t.leave(-EBUSY);
    return k.t.leave(-EBUSY);
  }
  const ret = reallyProbe(h, dev, drv);
  k.t.leave(ret);
  return k.t.leave(ret);
}

/**
 * echo <dev> > .../unbind → device_release_driver(): the driver's remove, then
 * device_unbind_cleanup(): devres_release_all() (newest first) and dev->driver = NULL.
 */
export function driverUnbind(h: DriverHost, dev: Device): number {
  const { k } = h;
  k.t.enter('device_release_driver', dev.driver ?? undefined, FILE);
  const drv = boundDriver(dev);
  if (!dev.driver || !drv) {
    if (k.t.on) k.t.effect(`no driver is bound to ${dev.name}`);
    return k.t.leave(-ENODEV);
  }
  k.t.enter('__device_release_driver', drv.name, FILE);
  drv.remove(h, dev);
  k.t.enter('device_unbind_cleanup', undefined, FILE);
  devresReleaseAll(k, dev);
  dev.driver = null;
  k.t.leaveWith();
  k.t.leaveWith();
  return k.t.leave(0);
}

/** A kernel-only host (no subdevices), for callers without a machine. */
export function kernelHost(k: Kernel): DriverHost {
  const host: DriverHost = { k, subdevicesOf: () => [], unbind: (d) => void driverUnbind(host, d) };
  return host;
}
