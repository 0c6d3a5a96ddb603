// The kernel API calls a scenario can make, one handler per op: each resolves its arguments
// against the machine and calls the model function named after the kernel's.

import { EINVAL, ENODEV } from './core/errno';
import { IRQD, type IrqDesc, irqd, irqdClear } from './core/irqdesc';
import { IRQF, IRQF_BY_NAME, chipMask, irqfFromNames, disableIrq, enableIrq, freeIrq, irqSetAffinity, requestIrq, writeIrqAffinity } from './core/manage';
import { isIntxOf, pciIntxIsr } from './pci/intx';
import { cpuDown, cpuUp } from './core/cpuhotplug';
import { MSI_ANY_INDEX } from './msi/msidesc';
import {
  PCI_IRQ, pciAllocIrqVectors, pciFreeIrqVectors, pciIrqVector, pciMsixAllocIrqAt, pciMsixFreeIrq, pciRaise,
} from './pci/msi';
import type { Action, ActionOp } from './types';
import type { Machine } from './machine';

/** What a handler returns; Machine.apply() adds the trace. */
export interface Outcome {
  ok: boolean;
  errno?: number;
  /** What the kernel function returns (ActionResult.ret); absent for a void function. */
  ret?: number | string;
  value?: number | string;
  /** The interrupt the call requested or names, when `ret` is not it (ActionResult.virq). */
  virq?: number;
  message: string;
}

export const fail = (errno: number, message = ''): Outcome => ({ ok: false, errno: -Math.abs(errno), ret: -Math.abs(errno), message });
/** An int-returning kernel function: `ret` is what it returned (0, a count, bytes written…). */
export const done = (ret: number, okMsg: string, value?: number | string): Outcome =>
  ret < 0 ? fail(ret) : { ok: true, ret, message: okMsg, ...(value !== undefined ? { value } : {}) };
/** A void kernel function (or no kernel function: a device's write): the model's negative number is its refusal only. */
export const doneVoid = (ret: number, okMsg: string): Outcome => (ret < 0 ? fail(ret) : { ok: true, message: okMsg });
/** struct msi_map as the kernel returns it: index and virq; an error in .index. */
export function msiMapOutcome(map: { index: number; virq: number }, okMsg: string): Outcome {
  return map.index < 0 ? fail(map.index) : { ok: true, ret: `{ .index = ${map.index}, .virq = ${map.virq} }`, value: map.virq, message: okMsg };
}

/** Other ways to name a device's interrupt by dev + index (e.g. a PCI subdevice); see registerIrqResolver. */
const IRQ_RESOLVERS: ((m: Machine, dev: string, index: number) => IrqDesc | null | undefined)[] = [];

/** Let `dev` + `index` name interrupts of devices that are no PCI functions. */
export function registerIrqResolver(fn: (m: Machine, dev: string, index: number) => IrqDesc | null | undefined): void {
  IRQ_RESOLVERS.push(fn);
}

/** An action names its interrupt by virq, or by device + MSI index (pci_irq_vector). */
export function resolveIrq(m: Machine, a: { virq?: number; dev?: string; index?: number }): IrqDesc | null {
  if (a.virq !== undefined) return m.k.descs.get(a.virq) ?? null;
  const dev = m.pciDev(a.dev);
  if (!dev) {
    for (const r of IRQ_RESOLVERS) {
      const desc = a.dev !== undefined ? r(m, a.dev, a.index ?? 0) : undefined;
      if (desc !== undefined) return desc;
    }
    return null;
  }
  const virq = pciIrqVector(dev, a.index ?? 0);
  return virq > 0 ? m.k.descs.get(virq) ?? null : null;
}

type Handler<O extends ActionOp> = (m: Machine, a: Extract<Action, { op: O }>) => Outcome;
type HandlerTable = { [O in ActionOp]?: Handler<O> };

const noDev = (bdf: string) => fail(ENODEV, `no PCI device ${bdf}`);
const noIrq = () => fail(EINVAL, 'no such interrupt');

function onIrq(fn: (m: Machine, desc: IrqDesc) => Outcome) {
  return (m: Machine, a: { virq?: number; dev?: string; index?: number }): Outcome => {
    const desc = resolveIrq(m, a);
    return desc ? fn(m, desc) : noIrq();
  };
}

/** An affinity op: the in-kernel irq_set_affinity() or the user's /proc/irq/N/smp_affinity_list write. */
function setAffinityWith(set: (k: Machine['k'], desc: IrqDesc, mask: readonly number[]) => number) {
  return (m: Machine, a: { virq?: number; dev?: string; index?: number; cpus: number[] }): Outcome => {
    const desc = resolveIrq(m, a);
    if (!desc) return noIrq();
    const k = m.k;
    if (!a.cpus.length || a.cpus.some((c) => !Number.isInteger(c) || c < 0 || c >= k.nrCpus)) return fail(EINVAL, 'CPU list out of range');
    const mask = [...new Set(a.cpus)].sort((x, y) => x - y);
    const wasSet = irqd(desc.irqData, IRQD.AFFINITY_SET);
    const ret = set(k, desc, mask);
    if (ret < 0 && !wasSet && irqd(desc.irqData, IRQD.AFFINITY_SET)) {
      // irq_set_affinity_locked() sets IRQD_AFFINITY_SET even when the chip refused the move; a
      // refused call changes nothing here, so the mark is not kept.
      irqdClear(desc.irqData, IRQD.AFFINITY_SET);
      if (k.t.on) k.t.effect('the kernel marks IRQD_AFFINITY_SET even on this failure; the refused call is not kept, nor its mark');
    }
    return done(ret, `irq ${desc.irq} affinity ${mask.join(',')}; effective ${desc.irqData.common.effectiveAffinity.join(',')}`);
  };
}

/** The registry: op name → handler. Other modules add their ops with registerActions(). */
const HANDLERS: HandlerTable = {
  pci_alloc_irq_vectors(m, a) {
    const dev = m.pciDev(a.dev);
    if (!dev) return noDev(a.dev);
    let flags = 0;
    for (const f of a.flags) flags |= PCI_IRQ[f];
    const affd = { preVectors: a.pre_vectors ?? 0, postVectors: a.post_vectors ?? 0, ...(a.sets ? { setSizes: a.sets } : {}) };
    const ret = pciAllocIrqVectors(m.k, dev, a.min, a.max, flags, affd);
    const mode = dev.msixEnabled ? 'MSI-X' : dev.msiEnabled ? 'MSI' : 'INTx';
    return done(ret, `${ret} vector${ret === 1 ? '' : 's'} allocated with ${mode}`, ret);
  },
  pci_free_irq_vectors(m, a) {
    const dev = m.pciDev(a.dev);
    if (!dev) return noDev(a.dev);
    return doneVoid(pciFreeIrqVectors(m.k, dev), `all MSI/MSI-X vectors of ${dev.name} freed`);
  },
  pci_irq_vector(m, a) {
    const dev = m.pciDev(a.dev);
    if (!dev) return noDev(a.dev);
    const v = pciIrqVector(dev, a.nr);
    return v < 0 ? fail(v, `vector ${a.nr} of ${dev.name} is not allocated`) : { ok: true, ret: v, value: v, message: `vector ${a.nr} is irq ${v}` };
  },
  pci_msix_alloc_irq_at(m, a) {
    const dev = m.pciDev(a.dev);
    if (!dev) return noDev(a.dev);
    const map = pciMsixAllocIrqAt(m.k, dev, a.index === 'any' ? MSI_ANY_INDEX : a.index, null);
    return msiMapOutcome(map, `MSI-X entry ${map.index} → irq ${map.virq}`);
  },
  pci_msix_free_irq(m, a) {
    const dev = m.pciDev(a.dev);
    if (!dev) return noDev(a.dev);
    // The function is void: with a handler still attached it only WARNs and frees nothing.
    const virq = pciIrqVector(dev, a.index);
    const busy = virq > 0 && (m.k.descs.get(virq)?.action.length ?? 0) > 0;
    const ret = pciMsixFreeIrq(m.k, dev, a.index);
    return doneVoid(ret, busy ? `MSI-X entry ${a.index} still has a handler: the kernel WARNs and frees nothing` : `MSI-X entry ${a.index} freed`);
  },
  request_irq(m, a) {
    const desc = resolveIrq(m, a);
    if (!desc) return noIrq();
    // On a device's own INTx line a driver requests with IRQF_SHARED (pci_request_irq) and its
    // handler claims only what its device raised: the line may be shared.
    const dev = m.pciDev(a.dev);
    const base = dev && isIntxOf(dev, desc) ? { flags: IRQF.SHARED, handler: pciIntxIsr(dev) } : {};
    const spec = { ...base, flags: (base.flags ?? 0) | irqfFromNames(a.flags) };
    // request_irq() returns 0; the interrupt it was asked for is reported apart.
    const r = done(requestIrq(m.k, desc, a.name, spec), `irq ${desc.irq} requested as "${a.name}"`, desc.irq);
    return r.ok ? { ...r, virq: desc.irq } : r;
  },
  free_irq: onIrq((m, desc) => {
    // free_irq() returns the devname its handler was requested with (the last one's: no dev_id here).
    const devname = desc.action.at(-1)?.name;
    const r = done(freeIrq(m.k, desc), `irq ${desc.irq} freed`);
    return r.ok ? { ...r, ret: devname !== undefined ? JSON.stringify(devname) : 'NULL', virq: desc.irq } : r;
  }),
  disable_irq: onIrq((m, desc) => doneVoid(disableIrq(m.k, desc), `irq ${desc.irq} disabled (depth ${desc.depth})`)),
  enable_irq: onIrq((m, desc) => {
    const unbalanced = desc.depth === 0;
    const ret = enableIrq(m.k, desc);
    return doneVoid(ret, unbalanced
      ? `Unbalanced enable for IRQ ${desc.irq}: the kernel only WARNs (enable_irq() returns nothing)`
      : `irq ${desc.irq} enabled (depth ${desc.depth})`);
  }),
  // irq_chip->irq_mask() / irq_unmask() return nothing.
  mask: onIrq((m, desc) => doneVoid(chipMask(m.k, desc, true), `irq ${desc.irq} masked at the chip`)),
  unmask: onIrq((m, desc) => doneVoid(chipMask(m.k, desc, false), `irq ${desc.irq} unmasked at the chip`)),
  irq_set_affinity: setAffinityWith(irqSetAffinity),
  write_irq_affinity: setAffinityWith(writeIrqAffinity),
  cpu_down(m, a) {
    if (!Number.isInteger(a.cpu) || a.cpu < 0 || a.cpu >= m.k.nrCpus) return fail(EINVAL, `no CPU ${a.cpu}`);
    return done(cpuDown(m.k, m.platform, a.cpu), `CPU${a.cpu} offline`);
  },
  cpu_up(m, a) {
    if (!Number.isInteger(a.cpu) || a.cpu < 0 || a.cpu >= m.k.nrCpus) return fail(EINVAL, `no CPU ${a.cpu}`);
    return done(cpuUp(m.k, m.platform, a.cpu), `CPU${a.cpu} online`);
  },
  raise(m, a) {
    const dev = m.pciDev(a.dev);
    if (!dev) return noDev(a.dev);
    // No kernel function: the device writes its message.
    return doneVoid(pciRaise(m.k, dev, a.index ?? 0), `${dev.name} raised interrupt ${a.index ?? 0}`);
  },
  msleep: (_m, a) => ({ ok: true, message: `${a.ms} ms passed` }),
};

/** Add (or replace) handlers for ops that another module models. */
export function registerActions(table: HandlerTable): void {
  Object.assign(HANDLERS, table);
}

/** The handler an op has now (so a module can wrap it before registering its own). */
export function actionHandler<O extends ActionOp>(op: O): Handler<O> | undefined {
  return HANDLERS[op] as Handler<O> | undefined;
}

/**
 * Run one action. The door of the engine: whatever reaches it (a scenario validated or not), an
 * op is looked up among the registry's own entries only (`__proto__`, `toString` are no ops).
 */
export function dispatchAction(m: Machine, a: Action): Outcome {
  if (a === null || typeof a !== 'object' || typeof (a as { op?: unknown }).op !== 'string') return fail(EINVAL, 'not an action: expected an object with an "op"');
  const op = (a as { op: string }).op;
  const h = Object.hasOwn(HANDLERS, op) ? (HANDLERS[op as ActionOp] as ((m: Machine, a: Action) => Outcome) | undefined) : undefined;
  if (typeof h !== 'function') return fail(EINVAL, `unknown operation ${JSON.stringify(op.slice(0, 60))}`);
  const bad = badArgument(a as unknown as Record<string, unknown>);
  if (bad) return fail(EINVAL, bad);
  return h(m, a);
}

/** Argument types every handler relies on (the scenario schema checks much more). */
const ARG_TYPES: Record<string, 'uint' | 'string' | 'uints' | 'number'> = {
  virq: 'uint', index: 'uint', nr: 'uint', cpu: 'uint', min: 'uint', max: 'uint', count: 'uint', pre_vectors: 'uint', post_vectors: 'uint',
  hwsize: 'uint', icookie: 'uint', ms: 'number', dev: 'string', subdev: 'string', name: 'string', driver: 'string', domain: 'string', cpus: 'uints',
};

const ARG_ENTRIES = Object.entries(ARG_TYPES);
const isUint = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

function badArgument(a: Record<string, unknown>): string | null {
  for (const [key, kind] of ARG_ENTRIES) {
    if (!Object.hasOwn(a, key)) continue;
    const v = a[key];
    if (v === undefined) continue;
    const okv =
      kind === 'uint' ? isUint(v) || (key === 'index' && v === 'any')
      : kind === 'string' ? typeof v === 'string' && v.length > 0 && v.length <= 256
      : kind === 'number' ? typeof v === 'number' && Number.isFinite(v) && v >= 0
      : Array.isArray(v) && v.length <= 8192 && v.every(isUint);
    if (!okv) return `argument ${key}: not a valid value`;
  }
  if (a.op === 'request_irq' && a.flags !== undefined && !(Array.isArray(a.flags) && a.flags.every((f) => typeof f === 'string' && Object.hasOwn(IRQF_BY_NAME, f)))) return 'argument flags: not a list of IRQF_* names';
  if (a.op === 'pci_alloc_irq_vectors' && !(Array.isArray(a.flags) && a.flags.every((f) => typeof f === 'string' && Object.hasOwn(PCI_IRQ, f)))) return 'argument flags: not a list of MSIX, MSI, INTX, AFFINITY';
  return null;
}
