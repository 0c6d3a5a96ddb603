// What changed in a machine's view since the last one a reader was given. A reader far away (the
// page, behind a worker) keeps the last view it got and applies each ViewDelta to it; the
// tracker here remembers what that reader has, so that after an action only the interrupts,
// CPUs, devices and domains the action touched cross, never the whole world. On a machine with
// 1,024 CPUs and 16,384 interrupts the whole view is 114 MB of JSON, mostly the per-irq
// 1,024-entry count and affinity arrays; a raise changes one interrupt.
//
// The view a reader keeps is machine.view() without the per-CPU counts of each interrupt
// (CompactView): /proc/interrupts prints those, a window at a time (render/procRows.ts).
// Affinity masks are interned: every interrupt with the same mask shares one array, so a
// structured clone carries each distinct mask once.
//
// Finding what changed costs one pass over the descriptors comparing a few fields and references
// (the kernel model replaces a mask when it changes it, never edits one in place; a vector moves
// with a new effective mask, and only an interrupt with a move pending has its old vector freed
// later), one over the CPUs, and the views of the devices that may have changed — those of the
// interrupts that changed, and those whose own registers (MSI-X table and PBA, MSI capability,
// driver, devres) differ from last time — rebuilt and compared.

import type { Machine } from './machine';
import type { IrqDesc } from './core/irqdesc';
import type { PciDev } from './pci/pcidev';
import { imsHwOf } from './msi/ims-chip';
import type { CpuView, DeviceView, DomainView, IrqView, MachineView } from './view';
import { describeDevice, describeIrqLite, describeSubdevice } from './describe';
import { bitNames, IRQDOMAIN_FLAGS } from './render/names';

/** An interrupt as a reader keeps it: machine.view()'s IrqView without the per-CPU counts. */
export type CompactIrqView = Omit<IrqView, 'counts'>;

/** machine.view() without the per-CPU counts of each interrupt. */
export interface CompactView extends Omit<MachineView, 'irqs'> {
  irqs: CompactIrqView[];
}

/**
 * The changes that bring a reader's CompactView to the machine's current one. `full`: the reader
 * starts from nothing (the other fields are all present). Otherwise a missing field did not
 * change. Apply with applyViewDelta() (src/engine/applyViewDelta.ts, the page uses it too).
 */
export interface ViewDelta {
  full: boolean;
  arch?: MachineView['arch'];
  remap?: MachineView['remap'];
  /** CPUs whose view changed, and how many CPUs there are. */
  cpus?: { count: number; set: CpuView[] };
  /** The whole domain list (short: one per domain, whichever changed). */
  domains?: DomainView[];
  /** Interrupts added or changed (in irq order) and removed. */
  irqs?: { set: CompactIrqView[]; removed: number[] };
  /** Devices added or changed, and every device's name in view order. */
  devices?: { set: DeviceView[]; names: string[] };
  /** The kernel log: keep the first `keep` lines the reader has, then append `add`. */
  log?: { keep: number; add: MachineView['log'] };
  matrix?: MachineView['matrix'];
}

interface IrqMemo {
  view: CompactIrqView;
  /** The engine's own mask arrays the view was made from (replaced, never edited, on a change). */
  aff: readonly number[];
  eff: readonly number[];
  seen: number;
}

/** A cheap hash of a CPU list, to find an interned copy of it. */
function maskHash(a: readonly number[]): number {
  let h = a.length | 0;
  for (let i = 0; i < a.length; i++) h = (Math.imul(h, 31) + a[i]) | 0;
  return h;
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Structural equality of plain view data (numbers, strings, booleans, null, arrays, objects). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * Remembers the CompactView a reader has, and gives the ViewDelta from it to a machine's current
 * state. One tracker per reader; it may be handed another machine (a jump that replayed from a
 * fresh one): it compares by content, so only what differs is sent.
 */
export class ViewTracker {
  private irqs = new Map<number, IrqMemo>();
  private masks = new Map<number, (readonly number[])[]>();
  private cpus: CpuView[] = [];
  private domains: DomainView[] = [];
  private devices = new Map<string, DeviceView>();
  private deviceNames: string[] = [];
  private log: MachineView['log'] = [];
  private matrix: MachineView['matrix'] = null;
  private started = false;
  private pass = 0;
  /** Per PCI function: a signature of its registers and lists, and a copy of its MSI-X table and PBA. */
  private regs = new Map<string, { sig: string; table: Float64Array }>();

  /** Forget what the reader has: the next delta is a full one. */
  reset(): void {
    this.irqs.clear();
    this.masks.clear();
    this.cpus = [];
    this.domains = [];
    this.devices.clear();
    this.deviceNames = [];
    this.log = [];
    this.matrix = null;
    this.started = false;
    this.regs.clear();
  }

  /** The interned copy of a CPU list (the same array for the same CPUs). */
  private intern(a: readonly number[]): number[] {
    const h = maskHash(a);
    let bucket = this.masks.get(h);
    if (!bucket) this.masks.set(h, (bucket = []));
    for (const x of bucket) if (sameList(x, a)) return x as number[];
    const copy = a.slice();
    bucket.push(copy);
    return copy;
  }

  /** Whether the memo still describes the descriptor (fields and mask arrays compared, no counts). */
  private fresh(m: Machine, memo: IrqMemo, desc: IrqDesc): boolean {
    const v = memo.view;
    const top = desc.irqData;
    const c = top.common;
    if (c.affinity !== memo.aff || c.effectiveAffinity !== memo.eff) return false;
    if ((c.state >>> 0) !== v.state || desc.depth !== v.depth || desc.devName !== v.devName) return false;
    if (desc.action.length !== v.actions.length) return false;
    for (let i = 0; i < v.actions.length; i++) if (desc.action[i].name !== v.actions[i]) return false;
    let i = 0;
    for (let d: typeof top | null = top; d; d = d.parentData, i++) {
      const l = v.chain[i];
      if (!l || l.domain !== d.domain.name || l.hwirq !== d.hwirq || l.chip !== d.chip.name) return false;
    }
    if (i !== v.chain.length) return false;
    // The vector and CPU move with a new effective mask (and activation changes the state); an old
    // vector kept for a pending move, or none yet, may go without either.
    if (v.prevVector === 0 && v.vector !== 0) return this.sameMsi(v, c.msiDesc);
    const r = m.platform.irqRoute(desc);
    if (r.vector !== v.vector || r.cpu !== v.cpu || r.hwVector !== v.hwVector || r.prevVector !== v.prevVector || r.prevCpu !== v.prevCpu) return false;
    return this.sameMsi(v, c.msiDesc);
  }

  /** Which device and store a descriptor belongs to: rebuilt only when its index moved (rare). */
  private sameMsi(v: CompactIrqView, msi: { msiIndex: number } | null | undefined): boolean {
    if (!msi) return v.msi === null;
    return v.msi !== null && v.msi.index === msi.msiIndex;
  }

  /**
   * Whether a PCI function's own registers and lists changed since last time: its MSI-X table
   * and PBA, MSI capability, driver, devres (compared against a copy kept here). Its descriptors
   * change with its interrupts (the caller knows those).
   */
  private devRegsChanged(dev: PciDev): boolean {
    const x = dev.msixCap;
    const n = x ? x.tableSize : 0;
    let regs = this.regs.get(dev.name);
    const msi = dev.msiCap;
    const sig = `${dev.driver}|${dev.devres.length}|${dev.devres[dev.devres.length - 1]?.release ?? ''}|${dev.intxLost}|${dev.msi.domain?.name ?? ''}|${dev.msi.data?.domains.length ?? -1}|` +
      (msi ? `${msi.enable}|${msi.mme}|${msi.addressLo}|${msi.addressHi}|${msi.data}|${msi.maskBits}|${msi.pendingBits}` : '-') +
      (x ? `|${x.enable}|${x.maskAll}` : '');
    let changed = false;
    if (!regs || regs.table.length !== n * 5) {
      regs = { sig: '', table: new Float64Array(n * 5) };
      this.regs.set(dev.name, regs);
      changed = true;
    }
    if (regs.sig !== sig) {
      regs.sig = sig;
      changed = true;
    }
    if (x) {
      const t = regs.table;
      for (let i = 0; i < n; i++) {
        const e = x.table[i];
        const o = i * 5;
        if (t[o] !== e.addressLo || t[o + 1] !== e.addressHi || t[o + 2] !== e.data || t[o + 3] !== e.ctrl || t[o + 4] !== x.pba[i]) {
          t[o] = e.addressLo;
          t[o + 1] = e.addressHi;
          t[o + 2] = e.data;
          t[o + 3] = e.ctrl;
          t[o + 4] = x.pba[i];
          changed = true;
        }
      }
    }
    return changed;
  }

  private irqView(m: Machine, desc: IrqDesc): IrqMemo {
    const v = describeIrqLite(m, desc);
    const c = desc.irqData.common;
    v.affinity = this.intern(c.affinity);
    v.effectiveAffinity = this.intern(c.effectiveAffinity);
    return { view: v, aff: c.affinity, eff: c.effectiveAffinity, seen: this.pass };
  }

  /** The changes from what the reader has to `m`'s state now; afterwards the reader is assumed to have it. */
  delta(m: Machine): ViewDelta {
    const full = !this.started;
    this.started = true;
    const pass = ++this.pass;
    const d: ViewDelta = { full };
    if (full) {
      d.arch = m.platform.arch;
      d.remap = m.spec.remap ?? (m.platform.arch === 'x86' ? 'intel-ir' : 'none');
    }

    // Interrupts: a few fields and two array references per descriptor.
    const set: CompactIrqView[] = [];
    const rebuiltDevs = new Set<string>();
    for (const desc of m.k.descs.values()) {
      const memo = this.irqs.get(desc.irq);
      if (memo && this.fresh(m, memo, desc)) {
        memo.seen = pass;
        continue;
      }
      const next = this.irqView(m, desc);
      // Rebuilt (a jump replayed another machine, or only an array reference changed): send it only if it differs.
      if (memo?.view.msi) rebuiltDevs.add(memo.view.msi.dev);
      if (memo && !full && sameData(memo.view, next.view)) {
        memo.aff = next.aff;
        memo.eff = next.eff;
        memo.seen = pass;
        continue;
      }
      this.irqs.set(desc.irq, next);
      set.push(next.view);
    }
    const removed: number[] = [];
    // The devices whose interrupts changed (their descriptors and table rows with them).
    const touched = new Set<string>();
    for (const v of set) {
      if (v.msi) touched.add(v.msi.dev);
      if (v.devName) touched.add(v.devName);
    }
    for (const [irq, memo] of this.irqs) {
      if (memo.seen !== pass) {
        removed.push(irq);
        if (memo.view.msi) touched.add(memo.view.msi.dev);
        if (memo.view.devName) touched.add(memo.view.devName);
        this.irqs.delete(irq);
      }
    }
    // Changed only in place (a rebuilt memo equal to the old one) also counts for its device.
    for (const name of rebuiltDevs) touched.add(name);
    if (full || set.length || removed.length) {
      set.sort((a, b) => a.virq - b.virq);
      removed.sort((a, b) => a - b);
      d.irqs = { set, removed };
    }

    // CPUs: the platform's per-CPU view, compared field by field.
    const cpus = m.platform.cpuViews();
    const cpuSet: CpuView[] = [];
    for (let i = 0; i < cpus.length; i++) if (full || !sameData(this.cpus[i], cpus[i])) cpuSet.push(cpus[i]);
    if (full || cpuSet.length || cpus.length !== this.cpus.length) d.cpus = { count: cpus.length, set: cpuSet };
    this.cpus = cpus;

    // Domains: a short list, sent whole when any of them changed.
    const domains: DomainView[] = m.k.domains.map((x) => ({
      name: x.name, parent: x.parent?.name ?? null, kind: x.kind, flags: x.flags, flagNames: bitNames(x.flags, IRQDOMAIN_FLAGS),
      busToken: x.busToken, size: x.revmapSize, mapped: x.mapcount, dev: x.dev ?? null, era: x.era,
    }));
    if (full || !sameData(domains, this.domains)) d.domains = domains;
    this.domains = domains;

    // Devices: the views of those that may have changed rebuilt (no counts in them) and compared.
    // Functions with subdevices or an IMS store (a few, small) are always rebuilt: their views read more.
    const withSubs = new Set([...m.subdevices.values()].map((x) => x.parent.name));
    const names: string[] = [];
    const devSet: DeviceView[] = [];
    const seen = new Set<string>();
    const consider = (name: string, make: () => DeviceView) => {
      names.push(name);
      seen.add(name);
      const old = this.devices.get(name);
      const next = make();
      if (!old || !sameData(old, next)) {
        devSet.push(next);
        this.devices.set(name, next);
      }
    };
    for (const dev of m.devices.values()) {
      const regs = this.devRegsChanged(dev);
      if (full || regs || touched.has(dev.name) || withSubs.has(dev.name) || imsHwOf(dev) || !this.devices.has(dev.name)) {
        consider(dev.name, () => describeDevice(dev, m.subdevices.values()));
      } else {
        names.push(dev.name);
        seen.add(dev.name);
      }
    }
    for (const sub of m.subdevices.values()) consider(sub.name, () => describeSubdevice(sub));
    for (const name of [...this.devices.keys()]) if (!seen.has(name)) this.devices.delete(name);
    if (full || devSet.length || !sameList(names, this.deviceNames)) d.devices = { set: devSet, names };
    this.deviceNames = names;

    // The kernel log grows at the end (its last line the reader has is still there: nothing
    // before it changed); a jump back replays it on another machine, so then compare line by line.
    const log = m.log;
    const had = this.log.length;
    let keep = 0;
    if (had > 0 && log.length >= had && sameData(log[had - 1], this.log[had - 1])) keep = had;
    else {
      const n = Math.min(log.length, had);
      while (keep < n && sameData(log[keep], this.log[keep])) keep++;
    }
    if (full || keep < had || log.length > keep) {
      const add = log.slice(keep).map((l) => ({ ...l }));
      d.log = { keep, add };
      this.log.length = keep;
      for (const l of add) this.log.push({ ...l });
    }

    const matrix = m.platform.matrixView();
    if (full || !sameData(matrix, this.matrix)) d.matrix = matrix;
    this.matrix = matrix;
    return d;
  }
}

/**
 * A reader's view after a delta (a new object; `prev` is not changed). The page keeps its own
 * copy of this function (src/ui/store/delta.ts, which may not import the engine); the tests hold
 * both to machine.view().
 */
export function compactOf(view: MachineView): CompactView {
  return { ...view, irqs: view.irqs.map(({ counts: _c, ...rest }) => rest) };
}
