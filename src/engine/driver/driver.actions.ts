// The kernel API calls of the driver model, registered into the action registry: driver_bind /
// driver_unbind (drivers/base/dd.c, through sysfs bind/unbind) and `raise` with a `count` (a
// device that keeps signalling: a storm). Imported once by machine.ts for this side effect.

import { EEXIST, ENODEV, ENOENT } from '../core/errno';
import { DRIVERS } from './drivers';
import { actionHandler, done, doneVoid, fail, type Outcome, registerActions } from '../actions';
import type { Machine } from '../machine';
import type { Device } from '../core/device';
import { raiseStorm } from '../pci/storm';
import { driverBind, driverUnbind } from './dd';
import type { DriverHost } from './drivers';

/** The device a driver op names: a PCI function by BDF or a subdevice by dev_name. */
function deviceByName(m: Machine, name: string): Device | null {
  return m.pciDev(name) ?? m.subdevice(name);
}

/** The machine as the drivers see it. */
export function driverHost(m: Machine): DriverHost {
  const host: DriverHost = {
    k: m.k,
    subdevicesOf: (pdev) => [...m.subdevices.values()].filter((s) => s.parent === pdev),
    unbind: (d) => void driverUnbind(host, d),
    assignIrq: (pdev) => {
      const irq = m.platform.pciAssignIrq?.(pdev) ?? 0;
      if (irq > 0 && !pdev.msiEnabled && !pdev.msixEnabled) pdev.irq = pdev.intxIrq = irq;
      else if (irq > 0) pdev.intxIrq = irq;
    },
  };
  return host;
}

const singleRaise = actionHandler('raise');

registerActions({
  driver_bind(m, a) {
    const dev = deviceByName(m, a.dev);
    if (!dev) return fail(ENODEV, `no device ${a.dev}`);
    const ret = driverBind(driverHost(m), dev, a.driver);
    return done(ret, `${dev.name} bound to ${dev.driver}`, dev.driver ?? undefined);
  },
  driver_unbind(m, a) {
    const dev = deviceByName(m, a.dev);
    if (!dev) return fail(ENODEV, `no device ${a.dev}`);
    const name = dev.driver;
    // device_release_driver() returns nothing.
    return doneVoid(driverUnbind(driverHost(m), dev), `${name ?? 'no driver'} unbound from ${dev.name}`);
  },
  pci_stop_and_remove_bus_device(m, a) {
    // drivers/pci/remove.c: the driver is released (device_release_driver), then the device goes.
    const dev = m.pciDev(a.dev);
    if (!dev) return fail(ENODEV, `no PCI device ${a.dev}`);
    m.k.t.enter('pci_stop_and_remove_bus_device', undefined, 'drivers/pci/remove.c');
    if (dev.driver) driverUnbind(driverHost(m), dev);
    m.removePciDevice(dev.name);
    if (m.k.t.on) m.k.t.effect(`${dev.name} removed from its bus`);
    m.k.t.leaveWith();
    // void pci_stop_and_remove_bus_device()
    return doneVoid(0, `${dev.name} removed`);
  },
  pci_rescan_bus(m) {
    // drivers/pci/probe.c: every function of the spec that is not present is found again, and
    // the loaded driver modules bind the ones they match (bus_probe_device()).
    const found = m.spec.devices.filter((d) => !m.pciDev(d.bdf));
    m.k.t.enter('pci_rescan_bus', undefined, 'drivers/pci/probe.c');
    for (const d of found) {
      const dev = m.addPciDevice(d);
      if (m.k.t.on) m.k.t.effect(`${d.bdf} found`);
      if (d.driver && loadedModules(m).has(d.driver)) driverBind(driverHost(m), dev, d.driver);
    }
    m.k.t.leaveWith();
    // Its return (the highest subordinate bus number found) is not modelled: no value shown.
    return doneVoid(0, found.length ? `${found.map((d) => d.bdf).join(', ')} found again` : 'nothing new on the bus');
  },
  delete_module(m, a) {
    // driver_unregister() → driver_detach(): every device the driver drives, newest first.
    const drv = DRIVERS[a.name];
    const devs = [...m.devices.values()].filter((d) => d.driver === drv.name).reverse();
    if (!devs.length && !loadedModules(m).has(a.name)) return fail(ENOENT, `module ${a.name} is not loaded`);
    m.k.t.enter('delete_module', a.name, 'kernel/module/main.c');
    for (const d of devs) driverUnbind(driverHost(m), d);
    m.k.t.leaveWith();
    loadedModules(m).delete(a.name);
    return done(0, `${a.name} unloaded${devs.length ? `: ${devs.map((d) => d.name).join(', ')} unbound` : ''}`);
  },
  init_module(m, a) {
    // driver_register() → driver_attach(): every device of the spec that names this driver and has none.
    if (loadedModules(m).has(a.name)) return fail(EEXIST, `module ${a.name} is already loaded`);
    m.k.t.enter('init_module', a.name, 'kernel/module/main.c');
    for (const d of m.spec.devices) {
      const dev = m.pciDev(d.bdf);
      if (dev && d.driver === a.name && !dev.driver) driverBind(driverHost(m), dev, a.name);
    }
    m.k.t.leaveWith();
    loadedModules(m).add(a.name);
    return done(0, `${a.name} loaded`);
  },
  raise(m, a) {
    if (!singleRaise) return fail(ENODEV, 'raise is not modelled');
    const count = a.count ?? 1;
    if (count <= 1) return singleRaise(m, a);
    const one = { op: a.op, dev: a.dev, ...(a.index !== undefined ? { index: a.index } : {}), ...(a.domain !== undefined ? { domain: a.domain } : {}) };
    let first: Outcome | null = null;
    const r = raiseStorm(
      { k: m.k, devices: [...m.devices.values()], spurious: m.spurious, get errCount() { return m.errCount; }, set errCount(v) { m.errCount = v; },
        log: m.log, archSnapshot: () => m.platform.snapshot() },
      count,
      () => {
        const out = singleRaise(m, one);
        first ??= out;
      },
    );
    const head = first as Outcome | null;
    if (!head || !head.ok) return head ?? fail(ENODEV);
    const k = m.k;
    if (k.t.on) {
      k.t.enter(`raise ×${count - 1} more`, undefined, 'PCI function');
      k.t.effect(`the same interrupt ${count - 1} more times: ${r.stepped} simulated one by one, ${r.batched} advanced in batches once each raise repeated the last one's effect exactly`);
      for (const line of r.moved) k.t.effect(line);
      for (const l of r.printk.slice(0, 24)) k.t.effect(`printk: ${l.text}`);
      if (r.printk.length > 24) k.t.effect(`… ${r.printk.length - 24} more kernel messages`);
      k.t.leaveWith();
    }
    return { ok: true, message: `${a.dev} raised interrupt ${a.index ?? 0} ${count} times${r.printk.some((l) => /nobody cared/.test(l.text)) ? ': nobody cared, the line was disabled' : ''}` };
  },
});


/** Driver modules loaded, per machine (boot loads the spec's drivers). */
const modules = new WeakMap<Machine, Set<string>>();
function loadedModules(m: Machine): Set<string> {
  let s = modules.get(m);
  if (!s) modules.set(m, (s = new Set()));
  return s;
}

/** Boot: each device's driver (spec `driver`) binds in the order the devices are listed. */
export function bindBootDrivers(m: Machine): void {
  const host = driverHost(m);
  for (const d of m.spec.devices) {
    const dev = d.driver ? m.pciDev(d.bdf) : null;
    if (dev && d.driver) {
      loadedModules(m).add(d.driver);
      driverBind(host, dev, d.driver);
    }
  }
}
