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
import { dispatchAction, type Outcome } from './actions';
import { type X86Platform, x86Arch } from './arch/x86/platform';
import { arm64Arch } from './arch/arm64/platform';
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
      // Shared, never mutated: callers copy a mask before keeping it.
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
    for (const d of spec.devices) {
      const dev = newPciDev(d.bdf, d.name, d);
      dev.msi.domain = this.platform.msiParentFor(dev);
      dev.irq = dev.intxIrq = this.platform.pciIntxRoute?.(dev) ?? 0;
      this.devices.set(d.bdf, dev);
      if (d.ims) imsHwInit(dev, d.ims);
      for (const s of d.subdevices ?? []) this.subdevices.set(s.name, newSubDevice(s.name, dev));
    }
    bindBootDrivers(this);
    t.take();
  }

  /** Apply one kernel API call. A failed call leaves the machine exactly as it was. */
  apply(action: Action): ActionResult {
    const t = this.k.t;
    t.reset();
    if (t.on) this.hops = [];
    this.step++;
    this.platform.runTimers();
    let r: Outcome;
    try {
      r = dispatchAction(this, action);
    } catch (e) {
      t.take();
      throw e;
    }
    const trace = t.take();
    if (!r.ok && r.errno !== undefined && trace.length && !r.message) r.message = explain(r.errno, trace);
    const hops = t.on ? this.hops : [];
    return { ok: r.ok, errno: r.errno, value: r.value, message: r.message, trace, hops };
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

const ERRNO_TEXT: Record<string, string> = {
  '-ENOSPC': 'no room: no free vector (or not enough vectors) on the CPUs allowed',
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

export function createMachine(spec: MachineSpec, opts?: MachineOptions): Machine {
  return new Machine(spec, opts);
}
