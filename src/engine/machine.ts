// A simulated machine: boots the kernel's interrupt hierarchy for a MachineSpec, applies kernel
// API calls (actions) to it, and describes its state for the panels. The one entry point of
// the engine: createMachine(spec).apply(action) / .view().

import { errnoName } from './core/errno';
import type { Kernel, KernelLogLine } from './core/kernel';
import { Tracer, type TraceNode } from './core/trace';
import { IRQD, type IrqDesc, VirqSpace, irqd } from './core/irqdesc';
import type { MsiMsg } from './core/chip';
import type { IrqDomain } from './core/irqdomain';
import { genericHandleIrqDesc } from './core/handle';
import { MSI_DEFAULT_DOMAIN } from './msi/msidesc';
import { type PciDev, newPciDev } from './pci/pcidev';
import { type SubDevice, newSubDevice } from './pci/subdev';
import { imsHwInit } from './msi/ims-chip';
import './pci/msi-designs.actions';
import { bindBootDrivers } from './driver/driver.actions';
import './driver/blk.actions';
import './roads.actions';
import { dispatchAction, type Outcome } from './actions';
import { type X86Platform, x86Arch } from './arch/x86/platform';
import { arm64Arch } from './arch/arm64/platform';
import { type GicV3, LPI_BASE } from './arch/arm64/gicv3';
import { type ItsNode, saveItsTables } from './arch/arm64/its';
import type { ArchBoot, Platform } from './platform';
import type { Action, MachineSpec } from './types';
import type { ActionResult, Hop, MachineView } from './view';
import { describeMachine } from './describe';
import { kernelProfile } from './profiles';
import { cpuTopology } from './topology';

export interface MachineOptions {
  /** Record call traces (on by default; benchmarks turn it off). */
  trace?: boolean;
}

/** The architectures a machine can be. */
const ARCHES: Partial<Record<MachineSpec['arch'], ArchBoot>> = { x86: x86Arch, arm64: arm64Arch };

export class Machine {
  readonly spec: MachineSpec;
  readonly k: Kernel;
  readonly online: boolean[];
  readonly log: (KernelLogLine & { step: number })[] = [];
  readonly devices = new Map<string, PciDev>();
  /** Aux-bus subdevices of the PCI devices (spec `subdevices`), by dev_name. */
  readonly subdevices = new Map<string, SubDevice>();
  /** Per-CPU counters of the arch rows that the model moves (SPU). */
  readonly spurious: number[];
  /** ERR: interrupts that reached no handler at all (ack_bad_irq, IOMMU faults). */
  errCount = 0;
  /** nr_irqs at boot (sets the /proc/interrupts column width). */
  readonly nrIrqs: number;
  /** The largest nr_irqs set during boot (7.2's /proc irq column is sized from it and never shrinks). */
  readonly nrIrqsPeak: number;
  step = 0;
  private onlineList: number[] | null = null;
  private hops: Hop[] = [];
  readonly platform: Platform;

  constructor(spec: MachineSpec, opts: MachineOptions = {}) {
    this.spec = spec;
    const n = spec.cpus;
    this.online = new Array<boolean>(n).fill(true);
    this.spurious = new Array<number>(n).fill(0);
    const arch = ARCHES[spec.arch];
    if (!arch) throw new Error(`the ${spec.arch} architecture is not modelled`);
    this.nrIrqs = arch.nrIrqs(spec);
    this.nrIrqsPeak = arch.nrIrqsPeak?.(spec) ?? this.nrIrqs;
    const all = Array.from({ length: n }, (_, i) => i);
    const online = this.online;
    const log = this.log;
    const self = this;
    const t = new Tracer(opts.trace !== false);
    this.k = {
      t,
      profile: kernelProfile(spec.kernel),
      topology: cpuTopology(spec),
      nrCpus: n,
      cpuOnline: (c) => online[c] === true,
      // Shared, never mutated (masks are replaced, never changed in place).
      onlineCpus: () => (this.onlineList ??= all.filter((c) => online[c])),
      defaultAffinity: () => all,
      descs: new Map<number, IrqDesc>(),
      // SPARSE_IRQ: the bitmap may grow past nr_irqs (irq_expand_nr_irqs) up to IRQ_BITMAP_BITS.
      virqs: new VirqSpace(this.nrIrqs + 8196),
      dynirqLowerBound: arch.dynirqLowerBound,
      domains: [],
      log(level, text) {
        log.push({ level, text, step: self.step });
        if (t.on) t.effect(`printk: ${text}`);
      },
      genericHandleIrq: (desc, cpu) => genericHandleIrqDesc(this.k, desc, cpu),
      deliverMsi: (requester: string, msg: MsiMsg) => this.platform.deliverMsi(requester, msg),
      hop: (h) => {
        if (t.on) this.hops.push(h);
      },
    };
    this.platform = arch.boot(this.k, spec, this);
    for (const d of spec.devices) this.addPciDevice(d);
    bindBootDrivers(this);
    t.take();
  }

  /** pci_device_add(): a function of the spec appears on its bus (at boot, or by a rescan). */
  addPciDevice(d: MachineSpec['devices'][number]): PciDev {
    const dev = newPciDev(d.bdf, d.name, d);
    dev.msi.domain = this.platform.msiParentFor(dev);
    dev.irq = dev.intxIrq = this.platform.pciIntxRoute?.(dev) ?? 0;
    this.devices.set(d.bdf, dev);
    if (d.ims) imsHwInit(dev, d.ims);
    for (const s of d.subdevices ?? []) this.subdevices.set(s.name, newSubDevice(s.name, dev));
    return dev;
  }

  /** pci_stop_and_remove_bus_device() after its driver is gone: the function leaves the machine. */
  removePciDevice(bdf: string): void {
    const dev = this.devices.get(bdf);
    if (!dev) return;
    for (const [name, s] of this.subdevices) if (s.parent === dev) this.subdevices.delete(name);
    this.devices.delete(bdf);
  }

  /**
   * Apply one kernel API call. A failed call leaves the machine exactly as it was: time passing
   * before the call (the vector cleanup timer) belongs to the call, and is undone with it when
   * the call is refused — the next successful call runs the timer again.
   */
  apply(action: Action): ActionResult {
    const t = this.k.t;
    t.reset();
    if (t.on) this.hops = [];
    const undo = this.beginRefusable();
    this.step++;
    this.platform.runTimers();
    let r: Outcome;
    try {
      r = dispatchAction(this, action);
    } catch (e) {
      t.take();
      undo?.end(false);
      throw e;
    }
    undo?.end(!r.ok);
    const trace = t.take();
    if (!r.ok && r.errno !== undefined && trace.length && !r.message) r.message = explain(r.errno, trace);
    const hops = t.on ? this.hops : [];
    const out: ActionResult = { ok: r.ok, errno: r.errno, value: r.value, message: r.message, trace, hops };
    if (r.ret !== undefined) out.ret = r.ret;
    if (r.virq !== undefined) out.virq = r.virq;
    return out;
  }

  /**
   * What a refused call may leave behind and must not: the cleanup timer's frees (time passed
   * before a call that then failed), the VECTOR_SHUTDOWN marks clear_irq_vector() leaves in
   * vector_irq[] when a failed allocation is unwound (x86), and the LPI configuration bytes an
   * allocation wrote before it was unwound and an ITS device its_msi_prepare() created (arm64).
   * Recorded here, put back on refusal.
   */
  private beginRefusable(): { end(refused: boolean): void } | null {
    if (this.platform.arch === 'arm64') {
      const { gic, its } = this.platform as unknown as { gic?: GicV3; its?: ItsNode };
      if (!gic) return null;
      const writes: [number, number, boolean][] = [];
      const itsTables = its ? saveItsTables(its) : null;
      return journal(gic, 'lpiWriteConfig', (lpi: number) => writes.push([lpi, gic.lpiConfig(lpi), gic.propChanged.has(lpi)]), () => {
        for (let j = writes.length - 1; j >= 0; j--) {
          const [lpi, v, changed] = writes[j];
          gic.prop[lpi - LPI_BASE] = v;
          if (changed) gic.propChanged.add(lpi);
          else gic.propChanged.delete(lpi);
        }
        itsTables?.();
      });
    }
    if (this.platform.arch !== 'x86') return null;
    const vs = (this.platform as X86Platform).vector;
    if (!vs) return null;
    const table = vs.vectorIrq;
    const writes: number[] = [];
    const perCpu = table.length / vs.nrCpus;
    const timers = vs.cleanupArmed ? saveTimerState(vs) : null;
    return journal(vs, 'setIrqAt', (cpu: number, vector: number) => writes.push(cpu * perCpu + vector, table[cpu * perCpu + vector]), () => {
      for (let j = writes.length - 2; j >= 0; j -= 2) table[writes[j]] = writes[j + 1];
      timers?.();
    });
  }

  /** cpu_online_mask changes (CPU hotplug). */
  setCpuOnline(cpu: number, on: boolean): void {
    this.online[cpu] = on;
    this.onlineList = null;
  }

  /** A PCI device by BDF. */
  pciDev(bdf: string | undefined): PciDev | null {
    return bdf ? this.devices.get(bdf) ?? null : null;
  }

  /** A PCI subdevice by dev_name (e.g. "cxl_pmu.0"). */
  subdevice(name: string | undefined): SubDevice | null {
    return name ? this.subdevices.get(name) ?? null : null;
  }

  view(): MachineView {
    return describeMachine(this);
  }

  /** A canonical text of the whole kernel state, for "nothing changed" comparisons. */
  snapshot(): string {
    return JSON.stringify({ view: { ...this.view(), log: undefined }, arch: this.platform.snapshot() });
  }

  /** The x86 platform (VECTOR domain, matrix, remapping); throws on other architectures. */
  get x86(): X86Platform {
    if (this.platform.arch !== 'x86') throw new Error('not an x86 machine');
    return this.platform as X86Platform;
  }

  /** Interrupt descriptors in number order. */
  sortedDescs(): IrqDesc[] {
    return [...this.k.descs.values()].sort((a, b) => a.irq - b.irq);
  }

  findDomain(name: string): IrqDomain | undefined {
    return this.k.domains.find((d) => d.name === name);
  }

  isManaged(desc: IrqDesc): boolean {
    return irqd(desc.irqData, IRQD.AFFINITY_MANAGED);
  }

  msiDefault(dev: PciDev) {
    return dev.msi.data?.domains[MSI_DEFAULT_DOMAIN] ?? null;
  }
}

type VectorState = X86Platform['vector'];

/**
 * Wrap `o[method]` for one call of apply(): `before` sees each call's arguments before it
 * runs; `end(refused)` unwraps it and, on refusal, runs `undo`.
 */
function journal<K extends string>(o: { [key in K]: (...args: never[]) => unknown }, method: K, before: (...args: number[]) => void, undo: () => void) {
  const own = Object.hasOwn(o, method);
  const fn = o[method] as unknown as (...args: unknown[]) => unknown;
  (o as Record<string, unknown>)[method] = function (this: unknown, ...args: number[]) {
    before(...args);
    return fn.apply(this, args);
  };
  return {
    end(refused: boolean) {
      if (own) (o as Record<string, unknown>)[method] = fn;
      else delete (o as Record<string, unknown>)[method];
      if (refused) undo();
    },
  };
}

/** The cleanup timer's state (matrix, per-CPU cleanup lists, the moved vectors' chip data) and a function putting it back. */
function saveTimerState(vs: VectorState): () => void {
  const matrix = saveFields(vs.matrix as unknown as Record<string, unknown>);
  const lists = vs.cleanupList.map((l) => l.slice());
  const moved = lists.flat().map((a) => ({ a, prevCpu: a.prevCpu, prevVector: a.prevVector, cleanupPending: a.cleanupPending, moveInProgress: a.moveInProgress }));
  const armed = vs.cleanupArmed;
  return () => {
    matrix();
    lists.forEach((l, cpu) => {
      vs.cleanupList[cpu].length = 0;
      vs.cleanupList[cpu].push(...l);
    });
    for (const m of moved) Object.assign(m.a, { prevCpu: m.prevCpu, prevVector: m.prevVector, cleanupPending: m.cleanupPending, moveInProgress: m.moveInProgress });
    vs.cleanupArmed = armed;
  };
}

/** A copy of an object's own data (numbers, typed arrays, arrays, sets) and a function restoring it in place. */
function saveFields(o: Record<string, unknown>): () => void {
  const saved: [string, unknown][] = [];
  for (const [key, v] of Object.entries(o)) {
    if (ArrayBuffer.isView(v)) saved.push([key, (v as Uint32Array).slice()]);
    else if (Array.isArray(v)) saved.push([key, v.slice()]);
    else if (v instanceof Set) saved.push([key, new Set(v)]);
    else if (typeof v !== 'object' || v === null) saved.push([key, v]);
  }
  return () => {
    for (const [key, v] of saved) {
      const cur = o[key];
      if (ArrayBuffer.isView(cur)) (cur as Uint32Array).set(v as Uint32Array);
      else if (Array.isArray(cur)) cur.splice(0, cur.length, ...(v as unknown[]));
      else if (cur instanceof Set) {
        cur.clear();
        for (const x of v as Set<unknown>) cur.add(x);
      } else o[key] = v;
    }
  };
}

const ERRNO_TEXT: Record<string, string> = {
  '-ENOSPC': 'no room: not enough vectors, entries or CPUs for what was asked',
  '-EINVAL': 'invalid request for the current state',
  '-EBUSY': 'busy: the resource is in use or a previous operation has not finished',
  '-ERANGE': 'out of range',
  '-EIO': 'refused: this interrupt cannot be changed from user space',
  '-ENOTSUPP': 'not supported by this interrupt domain',
  '-ENODEV': 'no such device or no MSI domain for it',
  '-ENOSYS': 'the domain cannot do this',
  '-EEXIST': 'already exists',
  '-ENOMEM': 'out of memory (no free interrupt number)',
  '-EPERM': 'not permitted',
};

/** A sentence for a failure: the errno's meaning and the trace's last words on it. */
function explain(errno: number, trace: TraceNode[]): string {
  let last = '';
  const walk = (ns: TraceNode[]) => {
    for (const n of ns) {
      for (const e of n.effects) if (!e.startsWith('unwind')) last = e;
      walk(n.children);
    }
  };
  walk(trace);
  const name = errnoName(errno);
  const base = `${name}: ${ERRNO_TEXT[name] ?? 'failed'}`;
  return last ? `${base} — ${last}` : base;
}

/** NR_CPUS of the distributions' x86 and arm64 kernels: no machine has more CPUs. */
export const MAX_CPUS = 8192;
/** The PCI functions a machine may have (the scenario schema's limit). */
export const MAX_DEVICES = 256;
const BDF_RE = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

/**
 * The engine's door: a spec that did not come through the scenario schema (a test hook, a
 * script) is checked for what booting relies on, so it fails with a sentence instead of
 * building a wrong machine or running for minutes.
 */
export function checkMachineSpec(spec: MachineSpec): string | null {
  if (spec === null || typeof spec !== 'object') return 'machine: expected an object';
  if (typeof spec.arch !== 'string' || !Object.hasOwn(ARCHES, spec.arch)) return `machine.arch: expected x86 or arm64`;
  if (typeof spec.cpus !== 'number' || !Number.isInteger(spec.cpus) || spec.cpus < 1 || spec.cpus > MAX_CPUS) {
    return `machine.cpus: expected a whole number 1…${MAX_CPUS} (NR_CPUS)`;
  }
  if (spec.ioapicPins !== undefined && !(spec.arch === 'x86' && Number.isInteger(spec.ioapicPins) && spec.ioapicPins >= 24 && spec.ioapicPins <= 256)) {
    return 'machine.ioapicPins: an x86 machine\'s IO-APIC has 24…256 pins';
  }
  if (!Array.isArray(spec.devices) || spec.devices.length > MAX_DEVICES) return `machine.devices: expected a list of at most ${MAX_DEVICES} devices`;
  const names = new Set<string>();
  for (const [i, d] of spec.devices.entries()) {
    if (d === null || typeof d !== 'object') return `machine.devices[${i}]: expected an object`;
    if (typeof d.bdf !== 'string' || !BDF_RE.test(d.bdf)) return `machine.devices[${i}].bdf: expected a PCI address like "0000:01:00.0"`;
    if (typeof d.name !== 'string' || !d.name || d.name.length > 256) return `machine.devices[${i}].name: expected a name`;
    if (names.has(d.bdf)) return `machine.devices[${i}].bdf: duplicate device ${d.bdf}`;
    names.add(d.bdf);
    const size = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
    if (d.msix !== undefined && !size(d.msix?.tableSize, 2048)) return `machine.devices[${i}].msix.tableSize: expected 1…2048`;
    if (d.msi !== undefined && !(size(d.msi?.vectors, 32) && (d.msi.vectors & (d.msi.vectors - 1)) === 0)) return `machine.devices[${i}].msi.vectors: expected 1, 2, 4, 8, 16 or 32`;
    if (d.ims !== undefined && !size(d.ims?.size, 65536)) return `machine.devices[${i}].ims.size: expected 1…65536`;
    if (d.queues !== undefined && !size(d.queues, 1024)) return `machine.devices[${i}].queues: expected 1…1024`;
    if (d.subdevices !== undefined && !(Array.isArray(d.subdevices) && d.subdevices.length <= 64)) return `machine.devices[${i}].subdevices: expected at most 64`;
    for (const [j, sd] of (d.subdevices ?? []).entries()) {
      if (typeof sd?.name !== 'string' || !sd.name || sd.name.length > 256) return `machine.devices[${i}].subdevices[${j}].name: expected a name`;
    }
  }
  return null;
}

export function createMachine(spec: MachineSpec, opts?: MachineOptions): Machine {
  const bad = checkMachineSpec(spec);
  if (bad) throw new RangeError(bad);
  return new Machine(spec, opts);
}
