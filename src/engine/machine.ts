// A simulated machine: boots the kernel's interrupt hierarchy for a MachineSpec, applies kernel
// API calls (actions) to it, and describes its state for the panels. The one entry point of
// the engine: createMachine(spec).apply(action) / .view().

import { EINVAL, ENODEV, errnoName } from './core/errno';
import type { Kernel, KernelLogLine } from './core/kernel';
import { Tracer, type TraceNode } from './core/trace';
import { IRQD, type IrqDesc, VirqSpace, irqd } from './core/irqdesc';
import type { MsiMsg } from './core/chip';
import type { IrqDomain } from './core/irqdomain';
import { genericHandleIrqDesc } from './core/handle';
import { chipMask, disableIrq, enableIrq, freeIrq, requestIrq, writeIrqAffinity } from './core/manage';
import { cpuDown, cpuUp } from './core/cpuhotplug';
import { MSI_ANY_INDEX, MSI_DEFAULT_DOMAIN } from './msi/msidesc';
import { type PciDev, newPciDev } from './pci/pcidev';
import {
  PCI_IRQ, pciAllocIrqVectors, pciFreeIrqVectors, pciIrqVector, pciMsixAllocIrqAt, pciMsixFreeIrq, pciRaise,
} from './pci/msi';
import { type X86Platform, bootX86 } from './arch/x86/platform';
import type { Action, MachineSpec } from '../scenario/types';
import type { ActionResult, MachineView } from './view';
import { describeMachine } from './describe';

export interface MachineOptions {
  /** Record call traces (on by default; benchmarks turn it off). */
  trace?: boolean;
}

/** NR_IRQS_LEGACY + per-CPU + MSI room, as arch_probe_nr_irqs() sizes nr_irqs on x86. */
function archProbeNrIrqs(gsiTop: number, nrCpus: number): number {
  let nr = gsiTop + 16 + 8 * nrCpus;
  nr += gsiTop <= 16 ? 8 * nrCpus : gsiTop * 16;
  return nr;
}

export class Machine {
  readonly spec: MachineSpec;
  readonly k: Kernel;
  readonly online: boolean[];
  readonly log: (KernelLogLine & { step: number })[] = [];
  readonly devices = new Map<string, PciDev>();
  /** Per-CPU counters of the arch rows that the model moves (SPU). */
  readonly spurious: number[];
  /** ERR: interrupts that reached no handler at all (ack_bad_irq, IOMMU faults). */
  errCount = 0;
  /** nr_irqs at boot (sets the /proc/interrupts column width). */
  readonly nrIrqs: number;
  step = 0;
  readonly x86: X86Platform;

  constructor(spec: MachineSpec, opts: MachineOptions = {}) {
    this.spec = spec;
    const n = spec.cpus;
    this.online = new Array<boolean>(n).fill(true);
    this.spurious = new Array<number>(n).fill(0);
    const gsiTop = 24;
    this.nrIrqs = archProbeNrIrqs(gsiTop, n);
    const all = Array.from({ length: n }, (_, i) => i);
    const online = this.online;
    const log = this.log;
    const self = this;
    const t = new Tracer(opts.trace !== false);
    this.k = {
      t,
      nrCpus: n,
      cpuOnline: (c) => online[c] === true,
      onlineCpus: () => all.filter((c) => online[c]),
      defaultAffinity: () => [...all],
      descs: new Map<number, IrqDesc>(),
      // SPARSE_IRQ: the bitmap may grow past nr_irqs (irq_expand_nr_irqs) up to IRQ_BITMAP_BITS.
      virqs: new VirqSpace(this.nrIrqs + 8196),
      dynirqLowerBound: gsiTop,
      domains: [],
      log(level, text) {
        log.push({ level, text, step: self.step });
        if (t.on) t.effect(`printk: ${text}`);
      },
      genericHandleIrq: (desc, cpu) => genericHandleIrqDesc(this.k, desc, cpu),
      deliverMsi: (requester: string, msg: MsiMsg) => this.x86.deliverMsi(requester, msg),
    };
    this.x86 = bootX86(this.k, spec, this);
    for (const d of spec.devices) {
      const dev = newPciDev(d.bdf, d.name, d);
      dev.msi.domain = this.x86.msiParentFor(dev);
      this.devices.set(d.bdf, dev);
    }
    t.take();
  }

  /** Apply one kernel API call. A failed call leaves the machine exactly as it was. */
  apply(action: Action): ActionResult {
    const t = this.k.t;
    t.reset();
    this.step++;
    this.x86.runTimers();
    let r: { ok: boolean; errno?: number; value?: number | string; message: string };
    try {
      r = this.dispatch(action);
    } catch (e) {
      t.take();
      throw e;
    }
    const trace = t.take();
    if (!r.ok && r.errno !== undefined && trace.length && !r.message) r.message = explain(r.errno, trace);
    return { ...r, trace };
  }

  private dev(bdf: string | undefined): PciDev | null {
    return bdf ? this.devices.get(bdf) ?? null : null;
  }

  /** An action names its interrupt by virq, or by device + MSI index. */
  private resolveIrq(a: { virq?: number; dev?: string; index?: number }): IrqDesc | null {
    if (a.virq !== undefined) return this.k.descs.get(a.virq) ?? null;
    const dev = this.dev(a.dev);
    if (!dev) return null;
    const virq = pciIrqVector(dev, a.index ?? 0);
    return virq > 0 ? this.k.descs.get(virq) ?? null : null;
  }

  private dispatch(a: Action): { ok: boolean; errno?: number; value?: number | string; message: string } {
    const k = this.k;
    const fail = (errno: number, message = '') => ({ ok: false, errno: -Math.abs(errno), message });
    const done = (ret: number, okMsg: string, value?: number | string) =>
      ret < 0 ? fail(ret) : { ok: true, message: okMsg, ...(value !== undefined ? { value } : {}) };
    switch (a.op) {
      case 'pci_alloc_irq_vectors': {
        const dev = this.dev(a.dev);
        if (!dev) return fail(ENODEV, `no PCI device ${a.dev}`);
        let flags = 0;
        for (const f of a.flags) flags |= PCI_IRQ[f === 'INTX' ? 'INTX' : f];
        const affd = { preVectors: a.pre_vectors ?? 0, postVectors: a.post_vectors ?? 0 };
        const ret = pciAllocIrqVectors(k, dev, a.min, a.max, flags, affd);
        const mode = dev.msixEnabled ? 'MSI-X' : dev.msiEnabled ? 'MSI' : 'INTx';
        return done(ret, `${ret} vector${ret === 1 ? '' : 's'} allocated with ${mode}`, ret);
      }
      case 'pci_free_irq_vectors': {
        const dev = this.dev(a.dev);
        if (!dev) return fail(ENODEV, `no PCI device ${a.dev}`);
        return done(pciFreeIrqVectors(k, dev), `all MSI/MSI-X vectors of ${dev.name} freed`);
      }
      case 'pci_irq_vector': {
        const dev = this.dev(a.dev);
        if (!dev) return fail(ENODEV, `no PCI device ${a.dev}`);
        const v = pciIrqVector(dev, a.nr);
        return v < 0 ? fail(v, `vector ${a.nr} of ${dev.name} is not allocated`) : { ok: true, value: v, message: `vector ${a.nr} is irq ${v}` };
      }
      case 'pci_msix_alloc_irq_at': {
        const dev = this.dev(a.dev);
        if (!dev) return fail(ENODEV, `no PCI device ${a.dev}`);
        const map = pciMsixAllocIrqAt(k, dev, a.index === 'any' ? MSI_ANY_INDEX : a.index, null);
        return map.index < 0 ? fail(map.index) : { ok: true, value: map.virq, message: `MSI-X entry ${map.index} → irq ${map.virq}` };
      }
      case 'pci_msix_free_irq': {
        const dev = this.dev(a.dev);
        if (!dev) return fail(ENODEV, `no PCI device ${a.dev}`);
        return done(pciMsixFreeIrq(k, dev, a.index), `MSI-X entry ${a.index} freed`);
      }
      case 'request_irq': {
        const desc = this.resolveIrq(a);
        if (!desc) return fail(EINVAL, 'no such interrupt');
        return done(requestIrq(k, desc, a.name), `irq ${desc.irq} requested as "${a.name}"`, desc.irq);
      }
      case 'free_irq': {
        const desc = this.resolveIrq(a);
        if (!desc) return fail(EINVAL, 'no such interrupt');
        return done(freeIrq(k, desc), `irq ${desc.irq} freed`);
      }
      case 'disable_irq':
      case 'enable_irq': {
        const desc = this.resolveIrq(a);
        if (!desc) return fail(EINVAL, 'no such interrupt');
        const ret = a.op === 'disable_irq' ? disableIrq(k, desc) : enableIrq(k, desc);
        return done(ret, `irq ${desc.irq} ${a.op === 'disable_irq' ? 'disabled' : 'enabled'} (depth ${desc.depth})`);
      }
      case 'mask':
      case 'unmask': {
        const desc = this.resolveIrq(a);
        if (!desc) return fail(EINVAL, 'no such interrupt');
        return done(chipMask(k, desc, a.op === 'mask'), `irq ${desc.irq} ${a.op}ed at the chip`);
      }
      case 'irq_set_affinity': {
        const desc = this.resolveIrq(a);
        if (!desc) return fail(EINVAL, 'no such interrupt');
        if (!a.cpus.length || a.cpus.some((c) => !Number.isInteger(c) || c < 0 || c >= k.nrCpus)) return fail(EINVAL, 'CPU list out of range');
        const mask = [...new Set(a.cpus)].sort((x, y) => x - y);
        const ret = writeIrqAffinity(k, desc, mask);
        return done(ret, `irq ${desc.irq} affinity ${mask.join(',')}; effective ${desc.irqData.common.effectiveAffinity.join(',')}`);
      }
      case 'cpu_down':
      case 'cpu_up': {
        if (!Number.isInteger(a.cpu) || a.cpu < 0 || a.cpu >= k.nrCpus) return fail(EINVAL, `no CPU ${a.cpu}`);
        const ret = a.op === 'cpu_down' ? cpuDown(k, this.x86, a.cpu) : cpuUp(k, this.x86, a.cpu);
        return done(ret, `CPU${a.cpu} ${a.op === 'cpu_down' ? 'offline' : 'online'}`);
      }
      case 'raise': {
        const dev = this.dev(a.dev);
        if (!dev) return fail(ENODEV, `no PCI device ${a.dev}`);
        return done(pciRaise(k, dev, a.index ?? 0), `${dev.name} raised interrupt ${a.index ?? 0}`);
      }
      case 'msleep':
        return { ok: true, message: `${a.ms} ms passed` };
      default: {
        const op = (a as { op: string }).op;
        return fail(EINVAL, `unknown operation ${op}`);
      }
    }
  }

  view(): MachineView {
    return describeMachine(this);
  }

  /** A canonical text of the whole kernel state, for "nothing changed" comparisons. */
  snapshot(): string {
    return JSON.stringify({ view: { ...this.view(), log: undefined }, matrix: this.x86.vector.matrix.snapshot(), x86: this.x86.snapshot() });
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
