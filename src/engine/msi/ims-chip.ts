// Models the IMS irq chips of the PCI/IMS series (tglx, Nov 2022, "[patch V3 33/33] irqchip: Add
// IDXD Interrupt Message Store driver" — drivers/irqchip/irq-pci-intel-idxd.c, never merged — and
// the queue-memory store that pci_create_ims_domain() documents): the message store itself and
// the chip callbacks a driver's msi_domain_template carries. Removed from mainline in 2024.
//
// Two storages:
//  - 'device': an array of slots in device memory {address_lo, address_hi, data, ctrl}; mask,
//    unmask and irq_write_msi_msg write the slot at once (iowrite32 + read-back flush).
//  - 'queue':  the message lives in a queue context in host memory that the device caches; the
//    chip callbacks only record the change, irq_bus_lock() opens the (sleepable) window and
//    irq_bus_sync_unlock() pushes the recorded change to the device (a queue command).

import type { Kernel } from '../core/kernel';
import type { IrqData } from '../core/irqdesc';
import type { MsiMsg } from '../core/chip';
import type { PciDev } from '../pci/pcidev';
import { MSI_SECONDARY_DOMAIN, type MsiDesc } from './msidesc';

export type ImsStorage = 'device' | 'queue';

/** What the device itself uses for one entry. */
export interface ImsState {
  addressLo: number;
  addressHi: number;
  data: number;
  masked: boolean;
}

/** One IMS entry (a device-memory slot or a queue context). */
export interface ImsEntry extends ImsState {
  /** The device had to signal while the entry was masked: it sends when an unmask takes effect. */
  pending: boolean;
  /** Queue storage: what the chip recorded and irq_bus_sync_unlock() has not pushed yet. */
  change: Partial<ImsState> | null;
  /** ctrl bits from the instance cookie (IDXD: PASID << 12 | PASID enable); 0 without one. */
  ctrlCookie: number;
}

/** The device's interrupt message store. */
export interface ImsHw {
  storage: ImsStorage;
  /** Entries the store has (device: slots of the array; queue: queues that carry a message). */
  size: number;
  /** Entries that were ever touched, by index (untouched ones are masked and empty). */
  entries: Map<number, ImsEntry>;
  /** Queue storage: an irq_bus_lock() window is open (the driver's mutex is held). */
  busLocked: boolean;
}

/** IDXD ctrl word: mask bit 0, PASID enable bit 3, PASID from bit 12. */
export const IMS_CTRL_VECTOR_MASKBIT = 0x1;
export const IMS_CTRL_PASID_ENABLE = 0x8;
export const IMS_CTRL_PASID_SHIFT = 12;

const hw = new WeakMap<PciDev, ImsHw>();

/** The device's IMS, created from the machine spec (`ims: { storage, size }`). */
export function imsHwInit(dev: PciDev, spec: { storage: ImsStorage; size: number }): ImsHw {
  const h: ImsHw = { storage: spec.storage, size: spec.size, entries: new Map(), busLocked: false };
  hw.set(dev, h);
  return h;
}

export function imsHwOf(dev: PciDev): ImsHw | null {
  return hw.get(dev) ?? null;
}

export function imsEntry(h: ImsHw, index: number): ImsEntry {
  let e = h.entries.get(index);
  if (!e) {
    e = { addressLo: 0, addressHi: 0, data: 0, masked: true, pending: false, change: null, ctrlCookie: 0 };
    h.entries.set(index, e);
  }
  return e;
}

/** A deep copy of the store's entries, to undo a failed allocation exactly. */
export function imsSaveEntries(h: ImsHw): Map<number, ImsEntry> {
  return new Map([...h.entries].map(([i, e]) => [i, { ...e, change: e.change ? { ...e.change } : null }]));
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

function descOf(d: IrqData): MsiDesc {
  return d.common.msiDesc!;
}

function where(h: ImsHw, i: number): string {
  return h.storage === 'device' ? `IMS slot ${i}` : `queue ${i} context`;
}

/** The device sends what an entry holds (only an unmasked entry with a message ever does). */
export function imsSend(k: Kernel, dev: PciDev, h: ImsHw, index: number): void {
  const e = imsEntry(h, index);
  if (!e.addressLo && !e.addressHi) {
    if (k.t.on) k.t.effect(`${where(h, index)} holds no message (address 0): nothing is sent`);
    return;
  }
  if (k.t.on) {
    k.t.effect(`memory write of data ${hex(e.data)} to ${hex(e.addressHi)}:${hex(e.addressLo)} (${where(h, index)})`);
    const domain = dev.msi.data?.domains[MSI_SECONDARY_DOMAIN].domain?.name ?? null;
    k.hop({ stage: 'device', domain, label: `${where(h, index)}: write ${hex(e.data)} to ${hex(e.addressLo)}` });
  }
  k.deliverMsi(dev.name, { addressLo: e.addressLo, addressHi: e.addressHi, data: e.data });
}

/** An unmask took effect: a pending interrupt goes out now. */
function sendIfPending(k: Kernel, dev: PciDev, h: ImsHw, index: number): void {
  const e = imsEntry(h, index);
  if (e.masked || !e.pending) return;
  e.pending = false;
  if (k.t.on) k.t.effect(`${where(h, index)} was pending: the device sends it now`);
  imsSend(k, dev, h, index);
}

function ctx(d: IrqData): { dev: PciDev; h: ImsHw; i: number; e: ImsEntry } {
  const desc = descOf(d);
  const dev = desc.dev as PciDev;
  const h = hw.get(dev)!;
  return { dev, h, i: desc.msiIndex, e: imsEntry(h, desc.msiIndex) };
}

// ---- device memory (IDXD-style slot array) ----

/** idxd_mask(): ctrl ← cookie | mask bit, written and flushed. */
export function imsDeviceMask(d: IrqData, k: Kernel): void {
  const { i, e } = ctx(d);
  e.masked = true;
  if (k.t.on) k.t.effect(`IMS slot ${i}: ctrl ← ${hex(e.ctrlCookie | IMS_CTRL_VECTOR_MASKBIT)} (mask bit set; iowrite32 + flush)`);
}

/** idxd_unmask(): ctrl ← cookie (mask bit clear); a pending interrupt is sent. */
export function imsDeviceUnmask(d: IrqData, k: Kernel): void {
  const { dev, h, i, e } = ctx(d);
  e.masked = false;
  if (k.t.on) k.t.effect(`IMS slot ${i}: ctrl ← ${hex(e.ctrlCookie)} (mask bit clear; iowrite32 + flush)`);
  sendIfPending(k, dev, h, i);
}

/** idxd_write_msi_msg(): address_lo, address_hi, data into the slot. */
export function imsDeviceWriteMsg(d: IrqData, k: Kernel, msg: MsiMsg): void {
  const { i, e } = ctx(d);
  e.addressLo = msg.addressLo;
  e.addressHi = msg.addressHi;
  e.data = msg.data;
  descOf(d).msg = { ...msg };
  if (k.t.on) k.t.effect(`IMS slot ${i} ← address ${hex(msg.addressHi)}:${hex(msg.addressLo)} data ${hex(msg.data)}`);
}

// ---- queue memory ----

function record(k: Kernel, h: ImsHw, i: number, e: ImsEntry, change: Partial<ImsState>, what: string): void {
  e.change = { ...(e.change ?? {}), ...change };
  if (!k.t.on) return;
  k.t.effect(`queue ${i}: ${what} recorded, not yet seen by the device (irq_bus_sync_unlock() makes it effective)`);
  if (!h.busLocked) {
    k.t.effect('no irq_bus_lock() window is open (hard-interrupt context or a direct chip call): it stays recorded until the next chip_bus_sync_unlock()');
  }
}

export function imsQueueMask(d: IrqData, k: Kernel): void {
  const { h, i, e } = ctx(d);
  record(k, h, i, e, { masked: true }, 'mask');
}

export function imsQueueUnmask(d: IrqData, k: Kernel): void {
  const { h, i, e } = ctx(d);
  record(k, h, i, e, { masked: false }, 'unmask');
}

export function imsQueueWriteMsg(d: IrqData, k: Kernel, msg: MsiMsg): void {
  const { h, i, e } = ctx(d);
  descOf(d).msg = { ...msg };
  record(k, h, i, e, { addressLo: msg.addressLo, addressHi: msg.addressHi, data: msg.data },
    `message address ${hex(msg.addressHi)}:${hex(msg.addressLo)} data ${hex(msg.data)}`);
}

/** irq_bus_lock(): take the driver's mutex (may sleep); changes are recorded from here on. */
export function imsQueueBusLock(d: IrqData, k: Kernel): void {
  const { h, i } = ctx(d);
  h.busLocked = true;
  if (k.t.on) k.t.effect(`irq_bus_lock: queue-memory mutex taken (may sleep): changes to queue ${i} are recorded from here`);
}

/** irq_bus_sync_unlock(): push the recorded change with a queue command, then drop the mutex. */
export function imsQueueBusSyncUnlock(d: IrqData, k: Kernel): void {
  const { dev, h, i, e } = ctx(d);
  const c = e.change;
  if (c) {
    Object.assign(e, c);
    e.change = null;
    if (k.t.on) {
      const parts: string[] = [];
      if (c.addressLo !== undefined || c.data !== undefined) parts.push(`address ${hex(e.addressHi)}:${hex(e.addressLo)} data ${hex(e.data)}`);
      if (c.masked !== undefined) parts.push(c.masked ? 'masked' : 'unmasked');
      k.t.effect(`irq_bus_sync_unlock: queue command updates queue ${i}'s context (${parts.join(', ')}) and waits for the device: the change is effective now`);
    }
    sendIfPending(k, dev, h, i);
  } else if (k.t.on) {
    k.t.effect(`irq_bus_sync_unlock: nothing recorded for queue ${i}`);
  }
  h.busLocked = false;
}

/** The chip callbacks of a storage kind (the driver's template.chip). */
export function imsChipOps(storage: ImsStorage) {
  return storage === 'device'
    ? { irqMask: imsDeviceMask, irqUnmask: imsDeviceUnmask, irqWriteMsiMsg: imsDeviceWriteMsg }
    : {
      irqMask: imsQueueMask, irqUnmask: imsQueueUnmask, irqWriteMsiMsg: imsQueueWriteMsg,
      irqBusLock: imsQueueBusLock, irqBusSyncUnlock: imsQueueBusSyncUnlock,
    };
}
