// Models drivers/irqchip/irq-gic-v3-its.c: the ITS (one per machine) with its command queue,
// device table and per-device ITTs (DeviceID, EventID → LPI, collection), one collection per
// CPU, the LPI range allocator, its_msi_prepare() / its_create_device(), the ITS irq domain
// (alloc, activate = MAPTI, deactivate = DISCARD, free) and the "ITS" chip (mask/unmask via
// the LPI configuration table + INV, affinity via MOVI, retrigger via INT). The hardware side
// (what each command does to the ITS tables and the redistributors) lives here too.

import type { Kernel } from '../../core/kernel';
import { EINVAL, ENOMEM, ENOSPC } from '../../core/errno';
import { onlineAnd } from '../../core/cpumask';
import { IRQ_SET_MASK_OK_DONE, type IrqChip, type MsiMsg } from '../../core/chip';
import { IRQD, IRQ_TYPE, type IrqData, irqd, irqdSet } from '../../core/irqdesc';
import {
  type AllocArg, DOMAIN_BUS, IRQ_DOMAIN_FLAG, type IrqDomain, irqDomainAllocIrqsParent, irqDomainCreate,
  irqDomainFreeIrqsParent, irqDomainGetIrqData, irqDomainUpdateBusToken,
} from '../../core/irqdomain';
import type { Device } from '../../core/device';
import type { MsiParentOps } from '../../msi/msi';
import {
  type GicV3, LPI_BASE, LPI_NR, LPI_PROP_ENABLED, gicFwspecArg, rdistFlush, rdistReevaluate, rdistSetPending,
} from './gicv3';

const FILE = 'drivers/irqchip/irq-gic-v3-its.c';

/** GITS_TRANSLATER: the doorbell register, in the second 64K frame of the ITS. */
export const GITS_TRANSLATER = 0x10040;
/** ITS_CMD_QUEUE_SZ (64K of 32-byte commands). */
export const ITS_CMD_QUEUE_SZ = 0x10000;
export const ITS_CMD_SIZE = 32;
/** How many of the last commands the model keeps for the views. */
export const ITS_CMD_LOG_LEN = 64;
/** ITS_ITT_ALIGN */
export const ITS_ITT_ALIGN = 256;
/** GITS_TYPER.ITT_entry_size + 1 (bytes per ITT entry). */
export const ITS_ITE_SIZE = 8;
/** GITS_TYPER.Devbits + 1: DeviceIDs the device table can hold. */
export const ITS_DEVBITS = 20;
/** Where the model places ITTs (the kernel kzallocs them; the address only fills MAPD). */
const ITT_POOL_BASE = 0x8_8000_0000;

export type ItsCmdName = 'MAPD' | 'MAPC' | 'MAPTI' | 'MOVI' | 'DISCARD' | 'INV' | 'INVALL' | 'INT' | 'CLEAR' | 'SYNC';

/** One 32-byte command as written to the queue (only the fields the command has). */
export interface ItsCommand {
  /** Commands written since boot, from 0. */
  seq: number;
  /** Byte offset in the command queue (GITS_CWRITER before the write). */
  offset: number;
  cmd: ItsCmdName;
  /** The kernel function that queued it (its_send_mapti, …; SYNC: the command it follows). */
  by: string;
  deviceId?: number;
  eventId?: number;
  pINTID?: number;
  icid?: number;
  /** RDbase field of MAPC/SYNC: GITS_TYPER.PTA is 0, so the target is a processor number. */
  rdbase?: number;
  /** MAPD Size field: ITT ID bits - 1. */
  size?: number;
  ittAddr?: number;
  valid?: boolean;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** The command as the trace and the views print it. */
export function formatItsCommand(c: ItsCommand): string {
  switch (c.cmd) {
    case 'MAPD':
      return c.valid
        ? `MAPD DeviceID ${hex(c.deviceId!)} Size ${c.size} (${1 << (c.size! + 1)} EventIDs) ITT_addr ${hex(c.ittAddr!)} V 1`
        : `MAPD DeviceID ${hex(c.deviceId!)} V 0 (unmap)`;
    case 'MAPC':
      return `MAPC ICID ${c.icid} RDbase ${c.rdbase} (CPU${c.rdbase}) V ${c.valid ? 1 : 0}`;
    case 'MAPTI':
      return `MAPTI DeviceID ${hex(c.deviceId!)} EventID ${c.eventId} pINTID ${c.pINTID} ICID ${c.icid}`;
    case 'MOVI':
      return `MOVI DeviceID ${hex(c.deviceId!)} EventID ${c.eventId} ICID ${c.icid}`;
    case 'INVALL':
      return `INVALL ICID ${c.icid}`;
    case 'SYNC':
      return `SYNC RDbase ${c.rdbase} (CPU${c.rdbase})`;
    default:
      return `${c.cmd} DeviceID ${hex(c.deviceId!)} EventID ${c.eventId}`;
  }
}

/** struct its_device: the driver's view of one DeviceID (event_map + ITT). */
export interface ItsDevice {
  deviceId: number;
  /** nr_ites: ITT entries, max(2, nvecs), a power of two. */
  nrIts: number;
  ittAddr: number;
  /** event_map.lpi_base / nr_lpis: the LPI block of this device (EventID = LPI - lpi_base). */
  lpiBase: number;
  nrLpis: number;
  /** event_map.lpi_map: events in use. */
  lpiMap: Uint8Array;
  /** event_map.col_map: the collection (= CPU) each event targets. */
  colMap: Int32Array;
  /** Shared with an alias: never torn down. */
  shared: boolean;
  /** dev_name of the device that created it (views only). */
  owner: string;
}

/** A device table entry as the ITS holds it after MAPD, with the ITT entries MAPTI wrote. */
export interface ItsDte {
  ittAddr: number;
  /** EventID bits (MAPD Size + 1). */
  idBits: number;
  itt: Map<number, { lpi: number; icid: number }>;
}

/** A free LPI range of the allocator (struct lpi_range). */
export interface LpiRange {
  base: number;
  span: number;
}

/** struct its_node plus the ITS hardware tables. */
export class ItsNode {
  domain!: IrqDomain;
  /** its->collections: col_id = CPU, target_address = processor number << 16. */
  readonly collections: { colId: number; targetAddress: number }[];
  /** its_device_list */
  readonly devices = new Map<number, ItsDevice>();
  /** Hardware: the device table (DeviceID → ITT). */
  readonly dt = new Map<number, ItsDte>();
  /** Hardware: the collection table (ICID → target CPU, -1 unmapped). */
  readonly ct: Int32Array;
  /** cpu_lpi_count: LPIs targeted at each CPU, managed and not. */
  readonly lpiCountManaged: Int32Array;
  readonly lpiCountUnmanaged: Int32Array;
  /** lpi_range_list: free LPI ranges, sorted by base (global in the kernel; one ITS here). */
  ranges: LpiRange[] = [];
  /** The last ITS_CMD_LOG_LEN commands (ring) and how many were ever written. */
  readonly cmdRing: (ItsCommand | undefined)[] = new Array(ITS_CMD_LOG_LEN);
  cmdSeq = 0;
  constructor(readonly physBase: number, readonly gic: GicV3, nrCpus: number) {
    this.collections = Array.from({ length: nrCpus }, () => ({ colId: -1, targetAddress: 0 }));
    this.ct = new Int32Array(nrCpus).fill(-1);
    this.lpiCountManaged = new Int32Array(nrCpus);
    this.lpiCountUnmanaged = new Int32Array(nrCpus);
  }
  /** The doorbell devices write: ITS base + GITS_TRANSLATER. */
  get translater(): number {
    return this.physBase + GITS_TRANSLATER;
  }
  /** The last commands, oldest first. */
  commands(): ItsCommand[] {
    const out: ItsCommand[] = [];
    const n = Math.min(this.cmdSeq, ITS_CMD_LOG_LEN);
    for (let s = this.cmdSeq - n; s < this.cmdSeq; s++) out.push(this.cmdRing[s % ITS_CMD_LOG_LEN]!);
    return out;
  }
  freeLpis(): number {
    let n = 0;
    for (const r of this.ranges) n += r.span;
    return n;
  }
}

/** The msi_domain_info the ITS domain carries (info->ops = its_msi_domain_ops, info->data = its). */
export interface ItsDomainInfo {
  ops: { msiPrepare: typeof itsMsiPrepare; msiTeardown: typeof itsMsiTeardown };
  data: ItsNode;
}

export function itsOf(domain: IrqDomain): ItsNode {
  return (domain.hostData as ItsDomainInfo).data;
}

// ======================================================================================
// The command queue and what the ITS does with each command
// ======================================================================================

/** The fields a command may carry (the rest of ItsCommand is filled when it is queued). */
type ItsCmdFields = Omit<ItsCommand, 'seq' | 'offset' | 'by'>;

/** Write one command into the queue (its_allocate_entry + the builder). */
function itsQueue(k: Kernel, its: ItsNode, c: ItsCmdFields, by: string): ItsCommand {
  const seq = its.cmdSeq++;
  // One object shape for every command: the optional fields are always present.
  const cmd: ItsCommand = {
    seq, offset: (seq * ITS_CMD_SIZE) % ITS_CMD_QUEUE_SZ, cmd: c.cmd, by,
    deviceId: c.deviceId, eventId: c.eventId, pINTID: c.pINTID, icid: c.icid, rdbase: c.rdbase,
    size: c.size, ittAddr: c.ittAddr, valid: c.valid,
  };
  its.cmdRing[seq % ITS_CMD_LOG_LEN] = cmd;
  if (k.t.on) k.t.effect(formatItsCommand(cmd));
  return cmd;
}

/**
 * its_send_single_command(): build the command, then a SYNC to the collection the builder
 * returned (MAPC, MAPTI, MOVI, DISCARD, INV, INT, CLEAR name one; MAPD and INVALL none),
 * then advance GITS_CWRITER: the ITS executes them, and the driver waits for GITS_CREADR.
 */
function itsSendSingleCommand(k: Kernel, its: ItsNode, fn: string, c: ItsCmdFields, syncCol: number): void {
  k.t.enter(fn, its.domain.name, FILE);
  const cmd = itsQueue(k, its, c, fn);
  if (syncCol >= 0) itsQueue(k, its, { cmd: 'SYNC', rdbase: its.collections[syncCol].targetAddress >>> 16 }, fn);
  itsExecute(k, its, cmd);
  k.t.leaveWith();
}

function itteOf(its: ItsNode, deviceId: number, eventId: number): { lpi: number; icid: number } | undefined {
  return its.dt.get(deviceId)?.itt.get(eventId);
}

/** The ITS executes one command against its tables and the redistributors. */
function itsExecute(k: Kernel, its: ItsNode, c: ItsCommand): void {
  const gic = its.gic;
  switch (c.cmd) {
    case 'MAPD':
      if (c.valid) its.dt.set(c.deviceId!, { ittAddr: c.ittAddr!, idBits: c.size! + 1, itt: new Map() });
      else its.dt.delete(c.deviceId!);
      return;
    case 'MAPC':
      its.ct[c.icid!] = c.valid ? c.rdbase! : -1;
      return;
    case 'MAPTI': {
      const dte = its.dt.get(c.deviceId!);
      if (!dte) {
        if (k.t.on) k.t.effect(`command error: DeviceID ${hex(c.deviceId!)} is not mapped (no MAPD)`);
        return;
      }
      dte.itt.set(c.eventId!, { lpi: c.pINTID!, icid: c.icid! });
      return;
    }
    case 'MOVI': {
      const e = itteOf(its, c.deviceId!, c.eventId!);
      if (!e) return;
      const from = its.ct[e.icid];
      e.icid = c.icid!;
      const to = its.ct[e.icid];
      // The pending state of the LPI moves with it to the new redistributor.
      if (from >= 0 && to >= 0 && from !== to && gic.redists[from].pending.delete(e.lpi)) {
        if (k.t.on) k.t.effect(`LPI ${e.lpi} was pending at CPU${from}'s redistributor: the pending state moves to CPU${to}`);
        rdistSetPending(k, gic, to, e.lpi, its.domain.name);
      }
      return;
    }
    case 'DISCARD': {
      const dte = its.dt.get(c.deviceId!);
      const e = dte?.itt.get(c.eventId!);
      if (!dte || !e) return;
      dte.itt.delete(c.eventId!);
      for (const rd of gic.redists) rd.pending.delete(e.lpi);
      return;
    }
    case 'INV': {
      const e = itteOf(its, c.deviceId!, c.eventId!);
      if (e) rdistReevaluate(k, gic, e.lpi);
      return;
    }
    case 'INVALL': {
      const cpu = its.ct[c.icid!];
      if (cpu >= 0) rdistFlush(k, gic, cpu);
      return;
    }
    case 'INT': {
      const e = itteOf(its, c.deviceId!, c.eventId!);
      const cpu = e ? its.ct[e.icid] : -1;
      if (e && cpu >= 0) rdistSetPending(k, gic, cpu, e.lpi, its.domain.name);
      return;
    }
    case 'CLEAR': {
      const e = itteOf(its, c.deviceId!, c.eventId!);
      if (e) for (const rd of gic.redists) rd.pending.delete(e.lpi);
      return;
    }
    case 'SYNC':
      return;
  }
}

function itsSendMapd(k: Kernel, dev: ItsDevice, its: ItsNode, valid: boolean): void {
  itsSendSingleCommand(k, its, 'its_send_mapd', valid
    ? { cmd: 'MAPD', deviceId: dev.deviceId, size: Math.log2(dev.nrIts) - 1, ittAddr: dev.ittAddr, valid: true }
    : { cmd: 'MAPD', deviceId: dev.deviceId, valid: false }, -1);
}

function itsSendMapti(k: Kernel, its: ItsNode, dev: ItsDevice, lpi: number, event: number): void {
  const col = dev.colMap[event];
  itsSendSingleCommand(k, its, 'its_send_mapti', { cmd: 'MAPTI', deviceId: dev.deviceId, eventId: event, pINTID: lpi, icid: col }, col);
}

function itsSendMovi(k: Kernel, its: ItsNode, dev: ItsDevice, target: number, event: number): void {
  // The builder returns the collection the event targets now: the SYNC goes to the old one.
  itsSendSingleCommand(k, its, 'its_send_movi', { cmd: 'MOVI', deviceId: dev.deviceId, eventId: event, icid: target }, dev.colMap[event]);
}

function itsSendEventCmd(k: Kernel, its: ItsNode, fn: string, cmd: 'DISCARD' | 'INV' | 'INT' | 'CLEAR', dev: ItsDevice, event: number): void {
  itsSendSingleCommand(k, its, fn, { cmd, deviceId: dev.deviceId, eventId: event }, dev.colMap[event]);
}

/**
 * its_cpu_init_collection(): bind collection `cpu` to the CPU's redistributor (MAPC, then a
 * SYNC to it) and make it re-read the configuration of its LPIs (INVALL). Run when a CPU
 * comes up, at boot and after CPU hotplug.
 */
export function itsCpuInitCollection(k: Kernel, its: ItsNode, cpu: number): void {
  k.t.enter('its_cpu_init_collection', its.domain.name, FILE);
  const col = its.collections[cpu];
  col.targetAddress = cpu << 16;
  col.colId = cpu;
  if (k.t.on) k.t.effect(`collection ${cpu} → CPU${cpu}'s redistributor (GITS_TYPER.PTA = 0: target = processor number ${cpu})`);
  itsSendSingleCommand(k, its, 'its_send_mapc', { cmd: 'MAPC', icid: cpu, rdbase: cpu, valid: true }, cpu);
  itsSendSingleCommand(k, its, 'its_send_invall', { cmd: 'INVALL', icid: cpu }, -1);
  k.t.leaveWith();
}

// ======================================================================================
// The LPI allocator (alloc_lpi_range / free_lpi_range / its_lpi_alloc)
// ======================================================================================

/** alloc_lpi_range(): the first range with room, shrunk from its start. */
function allocLpiRange(its: ItsNode, nr: number): number {
  for (let i = 0; i < its.ranges.length; i++) {
    const r = its.ranges[i];
    if (r.span >= nr) {
      const base = r.base;
      r.base += nr;
      r.span -= nr;
      if (r.span === 0) its.ranges.splice(i, 1);
      return base;
    }
  }
  return -ENOSPC;
}

/** free_lpi_range(): insert in base order and merge with the neighbours. */
export function freeLpiRange(its: ItsNode, base: number, nr: number): void {
  let i = 0;
  while (i < its.ranges.length && its.ranges[i].base < base) i++;
  its.ranges.splice(i, 0, { base, span: nr });
  const next = its.ranges[i + 1];
  if (next && base + nr === next.base) {
    its.ranges[i].span += next.span;
    its.ranges.splice(i + 1, 1);
  }
  const prev = its.ranges[i - 1];
  if (prev && prev.base + prev.span === base) {
    prev.span += its.ranges[i].span;
    its.ranges.splice(i, 1);
  }
}

/** its_lpi_alloc(): `nr` LPIs, halving the request until a range fits. */
function itsLpiAlloc(its: ItsNode, nr: number): { base: number; nr: number } | null {
  while (nr > 0) {
    const base = allocLpiRange(its, nr);
    if (base >= 0) return { base, nr };
    nr = Math.floor(nr / 2);
  }
  return null;
}

// ======================================================================================
// its_device: prepare, create, free
// ======================================================================================

/** its_create_device(): device table slot, ITT of max(2, nvecs) entries, LPI block, MAPD. */
function itsCreateDevice(k: Kernel, its: ItsNode, deviceId: number, nvecs: number, owner: string): ItsDevice | null {
  k.t.enter('its_create_device', its.domain.name, FILE);
  // its_alloc_device_table(): no DeviceID beyond what GITS_TYPER.Devbits allows.
  if (deviceId >= 2 ** ITS_DEVBITS) {
    if (k.t.on) k.t.effect(`DeviceID ${hex(deviceId)} exceeds the ${ITS_DEVBITS} DeviceID bits of the ITS`);
    k.t.leaveWith('NULL');
    return null;
  }
  let n = 1;
  while (n < nvecs) n <<= 1;
  const nrIts = Math.max(2, n);
  const lpis = itsLpiAlloc(its, n);
  if (!lpis) {
    if (k.t.on) k.t.effect('no free LPI range left');
    k.t.leaveWith('NULL');
    return null;
  }
  const dev: ItsDevice = {
    deviceId, nrIts, ittAddr: ITT_POOL_BASE + deviceId * 0x10000, lpiBase: lpis.base, nrLpis: lpis.nr,
    lpiMap: new Uint8Array(lpis.nr), colMap: new Int32Array(lpis.nr), shared: false, owner,
  };
  its.devices.set(deviceId, dev);
  if (k.t.on) {
    const bytes = Math.max(nrIts * ITS_ITE_SIZE, ITS_ITT_ALIGN);
    k.t.effect(`its_device DeviceID ${hex(deviceId)}: ITT of ${nrIts} entries (${bytes} bytes, ${ITS_ITT_ALIGN}-byte aligned), LPIs ${lpis.base}-${lpis.base + lpis.nr - 1}${lpis.nr < n ? ` (${n} asked, the allocator had ${lpis.nr})` : ''}`);
  }
  itsSendMapd(k, dev, its, true);
  k.t.leaveWith(`DeviceID ${hex(deviceId)}`);
  return dev;
}

/**
 * The ITS's own tables as they are (devices, device table, free LPI ranges, per-CPU LPI counts,
 * command log), and a function putting them back: a call the kernel refuses changes nothing in the
 * model, and its_msi_prepare() may have created a device before the call failed (the kernel keeps
 * that device for the next prepare of its DeviceID; here the refused call is undone whole).
 */
export function saveItsTables(its: ItsNode): () => void {
  // A prepare that finds its DeviceID's device marks it shared: kept with the device.
  const devices = [...its.devices].map(([id, dev]) => [id, dev, dev.shared] as const);
  const dt = [...its.dt];
  const ranges = its.ranges.map((r) => ({ ...r }));
  const managed = its.lpiCountManaged.slice();
  const unmanaged = its.lpiCountUnmanaged.slice();
  const ring = its.cmdRing.slice();
  const seq = its.cmdSeq;
  return () => {
    its.devices.clear();
    for (const [id, dev, shared] of devices) {
      dev.shared = shared;
      its.devices.set(id, dev);
    }
    its.dt.clear();
    for (const [id, dte] of dt) its.dt.set(id, dte);
    its.ranges = ranges;
    its.lpiCountManaged.set(managed);
    its.lpiCountUnmanaged.set(unmanaged);
    for (let i = 0; i < ring.length; i++) its.cmdRing[i] = ring[i];
    its.cmdSeq = seq;
  };
}

/** its_lpi_free() + MAPD V=0 + its_free_device(): the device's last LPI went. */
function itsTearDownDevice(k: Kernel, its: ItsNode, dev: ItsDevice): void {
  freeLpiRange(its, dev.lpiBase, dev.nrLpis);
  if (k.t.on) k.t.effect(`its_lpi_free: LPIs ${dev.lpiBase}-${dev.lpiBase + dev.nrLpis - 1} back to the allocator`);
  itsSendMapd(k, dev, its, false);
  its.devices.delete(dev.deviceId);
  if (k.t.on) k.t.effect(`its_free_device: DeviceID ${hex(dev.deviceId)} and its ITT freed`);
}

/**
 * its_msi_teardown() (v6.16): the device domain is removed; a shared device stays, one with
 * events still mapped WARNs and stays, else its LPIs are freed and the device unmapped (MAPD V=0).
 */
export function itsMsiTeardown(k: Kernel, itsDomain: IrqDomain, arg: AllocArg): void {
  const its = itsOf(itsDomain);
  const dev = arg.extra?.itsDev as ItsDevice | undefined;
  if (!dev || its.devices.get(dev.deviceId) !== dev) return;
  k.t.enter('its_msi_teardown', itsDomain.name, FILE);
  if (dev.shared) {
    if (k.t.on) k.t.effect(`DeviceID ${hex(dev.deviceId)} is shared: everything stays`);
  } else if (dev.lpiMap.includes(1)) {
    k.log('warn', `WARNING: at drivers/irqchip/irq-gic-v3-its.c its_msi_teardown: DeviceID ${hex(dev.deviceId)} still has mapped events`);
  } else {
    itsTearDownDevice(k, its, dev);
  }
  k.t.leaveWith();
}

/**
 * its_msi_prepare(): the DeviceID comes in the scratchpad (its_pci_msi_prepare put it there);
 * an existing its_device for it is reused (an alias: marked shared), else one is created.
 */
export function itsMsiPrepare(k: Kernel, itsDomain: IrqDomain, dev: Device, nvec: number, arg: AllocArg): number {
  const its = itsOf(itsDomain);
  const deviceId = arg.extra?.deviceId as number;
  k.t.enter('its_msi_prepare', itsDomain.name, FILE);
  let itsDev = its.devices.get(deviceId);
  if (itsDev) {
    itsDev.shared = true;
    if (k.t.on) k.t.effect(`Reusing ITT for devID ${deviceId.toString(16)}`);
  } else {
    itsDev = itsCreateDevice(k, its, deviceId, nvec, dev.name) ?? undefined;
    if (!itsDev) return k.t.leave(-ENOMEM);
  }
  arg.extra = { ...arg.extra, itsDev };
  return k.t.leave(0);
}

// ======================================================================================
// The ITS irq domain
// ======================================================================================

/** get_count_order(n): log2 of n rounded up to a power of two. */
function countOrder(n: number): number {
  let o = 0;
  while (1 << o < n) o++;
  return o;
}

/** its_alloc_device_irq(): an aligned free block of 2^order events (bitmap_find_free_region). */
function itsAllocDeviceIrq(dev: ItsDevice, nvecs: number): number {
  const size = 1 << countOrder(nvecs);
  for (let pos = 0; pos + size <= dev.nrLpis; pos += size) {
    let free = true;
    for (let j = pos; j < pos + size; j++) {
      if (dev.lpiMap[j]) {
        free = false;
        break;
      }
    }
    if (free) {
      dev.lpiMap.fill(1, pos, pos + size);
      return pos;
    }
  }
  return -ENOSPC;
}

function itsDevOf(d: IrqData): ItsDevice {
  return d.chipData as ItsDevice;
}

/** its_get_event_id(): EventID = hwirq - lpi_base. */
export function itsEventId(d: IrqData): number {
  return d.hwirq - itsDevOf(d).lpiBase;
}

/**
 * its_irq_domain_alloc(): an aligned block of events of the device (hwirq = LPI INTID =
 * lpi_base + EventID), the same INTID allocated in the GICv3 parent, chip ITS, and
 * IRQD_SINGLE_TARGET + IRQD_AFFINITY_ON_ACTIVATE.
 */
function itsIrqDomainAlloc(k: Kernel, domain: IrqDomain, virq: number, nr: number, arg: AllocArg): number {
  const its = itsOf(domain);
  const dev = arg.extra?.itsDev as ItsDevice | undefined;
  k.t.enter('its_irq_domain_alloc', domain.name, FILE);
  if (!dev) return k.t.leave(-EINVAL);
  const event = itsAllocDeviceIrq(dev, nr);
  if (event < 0) {
    if (k.t.on) k.t.effect(`DeviceID ${hex(dev.deviceId)}: no ${1 << countOrder(nr)} free aligned events left among ${dev.nrLpis}`);
    // Model: a device that never got an interrupt goes again, so a failed allocation leaves
    // nothing behind (the kernel would keep it until the device domain is removed). Since v6.16
    // the device belongs to the domain (msi_teardown frees it), so it stays.
    if (!k.profile.msiPrepareOnDomainCreate && !dev.shared && !dev.lpiMap.includes(1)) itsTearDownDevice(k, its, dev);
    return k.t.leave(event);
  }
  const hwirq = dev.lpiBase + event;
  for (let i = 0; i < nr; i++) {
    // its_irq_gic_domain_alloc(): fwspec {INTID, IRQ_TYPE_EDGE_RISING} in the GIC's fwnode.
    const ret = irqDomainAllocIrqsParent(k, domain, virq + i, 1, gicFwspecArg(hwirq + i, IRQ_TYPE.EDGE_RISING, arg));
    if (ret < 0) {
      if (i) irqDomainFreeIrqsParent(k, domain, virq, i);
      dev.lpiMap.fill(0, event, event + (1 << countOrder(nr)));
      return k.t.leave(ret);
    }
    const d = irqDomainGetIrqData(k, domain, virq + i)!;
    d.hwirq = hwirq + i;
    d.chip = itsIrqChip;
    d.chipData = dev;
    irqdSet(d, IRQD.SINGLE_TARGET | IRQD.AFFINITY_ON_ACTIVATE);
    if (k.t.on) k.t.effect(`irq ${virq + i}: LPI ${hwirq + i} = DeviceID ${hex(dev.deviceId)} EventID ${event + i}, chip ITS`);
  }
  return k.t.leave(0);
}

/**
 * its_irq_domain_free(): release the events; before v6.16, when the device has none left (and is
 * not shared) its LPIs go back to the allocator and the device is unmapped (MAPD V=0). Since
 * v6.16 that is its_msi_teardown()'s job, when the device domain is removed.
 */
function itsIrqDomainFree(k: Kernel, domain: IrqDomain, virq: number, nr: number): void {
  const its = itsOf(domain);
  const d = irqDomainGetIrqData(k, domain, virq);
  k.t.enter('its_irq_domain_free', domain.name, FILE);
  if (d?.chipData) {
    const dev = itsDevOf(d);
    const event = itsEventId(d);
    dev.lpiMap.fill(0, event, event + (1 << countOrder(nr)));
    for (let i = 0; i < nr; i++) {
      const di = irqDomainGetIrqData(k, domain, virq + i);
      if (di) di.chipData = null;
    }
    if (!k.profile.msiPrepareOnDomainCreate && !dev.shared && !dev.lpiMap.includes(1)) itsTearDownDevice(k, its, dev);
  }
  irqDomainFreeIrqsParent(k, domain, virq, nr);
  k.t.leaveWith();
}

function lpiCounts(its: ItsNode, d: IrqData): Int32Array {
  return irqd(d, IRQD.AFFINITY_MANAGED) ? its.lpiCountManaged : its.lpiCountUnmanaged;
}

/** cpumask_pick_least_loaded(): the CPU of `mask` with the fewest LPIs of the same kind (first on ties). */
function pickLeastLoaded(its: ItsNode, d: IrqData, mask: readonly number[]): number {
  const counts = lpiCounts(its, d);
  let cpu = -1;
  let best = Infinity;
  for (const c of mask) {
    if (c < counts.length && counts[c] < best) {
      cpu = c;
      best = counts[c];
    }
  }
  return cpu;
}

/**
 * its_select_cpu(): unmanaged — the least loaded CPU of mask ∩ online (all online CPUs when
 * that is empty); managed — the least loaded CPU of the interrupt's own affinity ∩ online.
 * (One NUMA node: the node step picks from the same set.)
 */
function itsSelectCpu(k: Kernel, its: ItsNode, d: IrqData, mask: readonly number[]): number {
  const managed = irqd(d, IRQD.AFFINITY_MANAGED);
  const source = managed ? d.common.affinity : mask;
  let cand = onlineAnd(k, source);
  if (!managed && cand.length === 0) cand = k.onlineCpus();
  return pickLeastLoaded(its, d, cand);
}

/**
 * its_irq_domain_activate(): pick a CPU (its_select_cpu over the online CPUs), count the LPI
 * there, route the event to that CPU's collection and map it: MAPTI (+ SYNC).
 */
function itsIrqDomainActivate(k: Kernel, domain: IrqDomain, d: IrqData): number {
  const its = itsOf(domain);
  const dev = itsDevOf(d);
  const event = itsEventId(d);
  k.t.enter('its_irq_domain_activate', domain.name, FILE);
  const cpu = itsSelectCpu(k, its, d, k.onlineCpus());
  if (cpu < 0) {
    if (k.t.on) k.t.effect('no online CPU to target');
    return k.t.leave(-EINVAL);
  }
  lpiCounts(its, d)[cpu]++;
  dev.colMap[event] = cpu;
  d.common.effectiveAffinity = [cpu];
  if (k.t.on) k.t.effect(`${irqd(d, IRQD.AFFINITY_MANAGED) ? 'managed' : 'unmanaged'}: CPU${cpu} is the least loaded → collection ${cpu}`);
  itsSendMapti(k, its, dev, d.hwirq, event);
  return k.t.leave(0);
}

/** its_irq_domain_deactivate(): uncount, DISCARD (+ SYNC): the event no longer translates. */
function itsIrqDomainDeactivate(k: Kernel, domain: IrqDomain, d: IrqData): void {
  const its = itsOf(domain);
  const dev = itsDevOf(d);
  const event = itsEventId(d);
  k.t.enter('its_irq_domain_deactivate', domain.name, FILE);
  lpiCounts(its, d)[dev.colMap[event]]--;
  itsSendEventCmd(k, its, 'its_send_discard', 'DISCARD', dev, event);
  k.t.leaveWith();
}

// ======================================================================================
// The ITS chip
// ======================================================================================

/**
 * lpi_update_config(): the LPI's byte in the configuration table, then make the
 * redistributor re-read it: INV through the ITS (no DirectLPI on these redistributors).
 */
function lpiUpdateConfig(k: Kernel, d: IrqData, clr: number, set: number): void {
  const its = itsOf(d.domain);
  const v = its.gic.lpiWriteConfig(d.hwirq, clr, set);
  if (k.t.on) k.t.effect(`LPI ${d.hwirq} configuration ← ${hex(v)} (priority 0x${(v & 0xfc).toString(16)}, ${v & LPI_PROP_ENABLED ? 'enabled' : 'disabled'})`);
  itsSendEventCmd(k, its, 'its_send_inv', 'INV', itsDevOf(d), itsEventId(d));
}

function itsMaskIrq(d: IrqData, k: Kernel): void {
  k.t.enter('its_mask_irq', d.domain.name, FILE);
  lpiUpdateConfig(k, d, LPI_PROP_ENABLED, 0);
  k.t.leaveWith();
}

function itsUnmaskIrq(d: IrqData, k: Kernel): void {
  k.t.enter('its_unmask_irq', d.domain.name, FILE);
  lpiUpdateConfig(k, d, 0, LPI_PROP_ENABLED);
  k.t.leaveWith();
}

/**
 * its_set_affinity(): a target CPU (its_select_cpu, or the least loaded of the mask when
 * forced); a different one gets MOVI to its collection (+ SYNC at the old one) and the
 * effective affinity. IRQ_SET_MASK_OK_DONE: the device's message (doorbell + EventID) stays.
 */
function itsSetAffinity(d: IrqData, k: Kernel, mask: readonly number[], force: boolean): number {
  const its = itsOf(d.domain);
  const dev = itsDevOf(d);
  const event = itsEventId(d);
  k.t.enter('its_set_affinity', d.domain.name, FILE);
  if (irqd(d, IRQD.FORWARDED_TO_VCPU)) return k.t.leave(-EINVAL);
  if (!irqd(d, IRQD.ACTIVATED)) {
    // Only irq_select_affinity_usr() (a mask with no online CPU written to smp_affinity) gets
    // here for an interrupt that is not activated. The kernel would move cpu_lpi_count for an
    // LPI it no longer counts; the model leaves the ITS alone: activation picks the CPU.
    if (k.t.on) k.t.effect('not activated: nothing is mapped in the ITS; activation will pick the CPU');
    return k.t.leave(IRQ_SET_MASK_OK_DONE);
  }
  const counts = lpiCounts(its, d);
  const prev = dev.colMap[event];
  counts[prev]--;
  const cpu = force ? pickLeastLoaded(its, d, mask) : itsSelectCpu(k, its, d, mask);
  if (cpu < 0) {
    counts[prev]++;
    return k.t.leave(-EINVAL);
  }
  if (cpu !== prev) {
    if (k.t.on) k.t.effect(`CPU${cpu} (least loaded of the mask) replaces CPU${prev}: move the event to collection ${cpu}`);
    itsSendMovi(k, its, dev, cpu, event);
    dev.colMap[event] = cpu;
    d.common.effectiveAffinity = [cpu];
  } else if (k.t.on) {
    k.t.effect(`CPU${cpu} stays the target: no command`);
  }
  counts[cpu]++;
  return k.t.leave(IRQ_SET_MASK_OK_DONE);
}

/** its_irq_compose_msi_msg(): address = ITS base + GITS_TRANSLATER, data = EventID. */
function itsIrqComposeMsiMsg(d: IrqData, k: Kernel, msg: MsiMsg): void {
  const its = itsOf(d.domain);
  const addr = its.translater;
  msg.addressLo = addr % 2 ** 32;
  msg.addressHi = Math.floor(addr / 2 ** 32);
  msg.data = itsEventId(d);
  if (k.t.on) {
    k.t.enter('its_irq_compose_msi_msg', d.domain.name, FILE);
    k.t.effect(`address ${hex(addr)} (GITS_TRANSLATER), data ${hex(msg.data)} (EventID); the DeviceID travels with the write as the requester ID`);
    k.t.leaveWith();
  }
}

/** its_irq_retrigger() → its_irq_set_irqchip_state(PENDING): INT (+ SYNC). */
function itsIrqRetrigger(d: IrqData, k: Kernel): number {
  const its = itsOf(d.domain);
  k.t.enter('its_irq_retrigger', d.domain.name, FILE);
  itsSendEventCmd(k, its, 'its_send_int', 'INT', itsDevOf(d), itsEventId(d));
  k.t.leaveWith('1');
  return 1;
}

/** irq_chip_eoi_parent() */
function eoiParent(d: IrqData, k: Kernel): void {
  const p = d.parentData;
  p?.chip.irqEoi?.(p, k);
}

/** its_irq_chip */
export const itsIrqChip: IrqChip = {
  name: 'ITS',
  flags: 0,
  irqMask: itsMaskIrq,
  irqUnmask: itsUnmaskIrq,
  irqEoi: eoiParent,
  irqSetAffinity: itsSetAffinity,
  irqComposeMsiMsg: itsIrqComposeMsiMsg,
  irqRetrigger: itsIrqRetrigger,
};

// ======================================================================================
// Probe
// ======================================================================================

/**
 * its_probe_one() + its_init_domain() + its_lpi_init(): the ITS on the named fwnode
 * "irqchip@<base>" (ACPI MADT), a tree domain under the GIC, bus token NEXUS (name "…-5"),
 * IRQ_DOMAIN_FLAG_ISOLATED_MSI | IRQ_DOMAIN_FLAG_MSI_IMMUTABLE | IRQ_DOMAIN_FLAG_MSI_PARENT
 * with gic_v3_its_msi_parent_ops; LPIs 8192-65535 free.
 */
export function itsInit(k: Kernel, gic: GicV3, physBase: number, pops: MsiParentOps): ItsNode {
  k.t.enter('its_probe_one', undefined, FILE);
  const its = new ItsNode(physBase, gic, k.nrCpus);
  const end = physBase + 0x20000 - 1;
  k.log('info', `ITS [mem 0x${physBase.toString(16).padStart(8, '0')}-0x${end.toString(16).padStart(8, '0')}]`);
  const name = `irqchip@0x${physBase.toString(16).padStart(16, '0')}`;
  const info: ItsDomainInfo = { ops: { msiPrepare: itsMsiPrepare, msiTeardown: itsMsiTeardown }, data: its };
  its.domain = irqDomainCreate(k, name, {
    alloc: itsIrqDomainAlloc, free: itsIrqDomainFree, activate: itsIrqDomainActivate, deactivate: itsIrqDomainDeactivate,
  }, gic.domain, {
    // its->msi_domain_flags: ISOLATED_MSI, and MSI_IMMUTABLE where the flag exists (7.2).
    flags: IRQ_DOMAIN_FLAG.ISOLATED_MSI | (k.profile.itsMsiImmutable ? IRQ_DOMAIN_FLAG.MSI_IMMUTABLE : 0) | IRQ_DOMAIN_FLAG.MSI_PARENT,
    hostData: info, kind: 'its',
  });
  irqDomainUpdateBusToken(its.domain, DOMAIN_BUS.NEXUS);
  its.domain.msiParentOps = pops;
  freeLpiRange(its, LPI_BASE, LPI_NR);
  k.t.leaveWith('0');
  return its;
}

// ======================================================================================
// The ITS as the hardware sees a device's write
// ======================================================================================

/** What became of one write to GITS_TRANSLATER. */
export type ItsTranslation = { lpi: number; cpu: number } | { drop: string };

/**
 * A write of `data` by requester `deviceId` to the doorbell: the device table gives the ITT,
 * the ITT entry of EventID = data gives the LPI and collection, the collection table the
 * redistributor. Anything unmapped: the write is dropped.
 */
export function itsTranslate(its: ItsNode, deviceId: number, eventId: number): ItsTranslation {
  const dte = its.dt.get(deviceId);
  if (!dte) return { drop: `DeviceID ${hex(deviceId)} has no valid device table entry (no MAPD): the write is dropped` };
  if (eventId >= 2 ** dte.idBits) return { drop: `EventID ${eventId} is beyond the ${2 ** dte.idBits} EventIDs of DeviceID ${hex(deviceId)}'s ITT: dropped` };
  const e = dte.itt.get(eventId);
  if (!e) return { drop: `DeviceID ${hex(deviceId)} EventID ${eventId} has no ITT entry (not mapped by MAPTI): the write is dropped` };
  const cpu = its.ct[e.icid];
  if (cpu < 0) return { drop: `collection ${e.icid} is not mapped (no MAPC): the write is dropped` };
  return { lpi: e.lpi, cpu };
}
