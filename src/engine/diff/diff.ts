// A structured diff of two machine states (state.ts): every kernel object that was added,
// changed or removed, with its fields before → after. Objects are keyed as the kernel keys them
// (irq by number, IRTE by unit and index, vector by CPU and number, ITT entry by DeviceID and
// EventID…), so the same object on two machines — IR against no IR, 6.1 against 7.2 — is compared
// with itself. Shape after tldraw's RecordsDiff: added / changed (from, to) / removed, by id.

import { Cell } from '../arch/x86/cells';
import type { DeviceView, DomainView, IrqView } from '../view';
import type { ItsView } from '../arch/arm64/platform';
import type { IrteState, MachineState } from './state';

/** What kind of kernel object a change is about, in the order a diff lists them. */
export const CHANGE_KINDS = [
  'domain', 'irq', 'device', 'msi', 'msix', 'ims', 'devres', 'irte', 'vector', 'cpu', 'matrix',
  'its-device', 'itt', 'collection', 'its-cmd', 'proc', 'debugfs', 'dmesg',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Headings of the kinds (the command line's sections, the Changes panel's groups). */
export const KIND_TITLES: Record<ChangeKind, string> = {
  domain: 'irq domains',
  irq: 'irq descriptors',
  device: 'devices',
  msi: 'MSI descriptors',
  msix: 'MSI-X table',
  ims: 'IMS slots',
  devres: 'devres',
  irte: 'remapping table (IRTEs)',
  vector: 'vectors per CPU',
  cpu: 'CPUs (vector matrix counters, ITS collections)',
  matrix: 'vector matrix',
  'its-device': 'ITS device table',
  itt: 'ITS ITT entries',
  collection: 'ITS collections',
  'its-cmd': 'ITS command queue',
  proc: '/proc/interrupts',
  debugfs: 'debugfs',
  dmesg: 'kernel log',
};

/**
 * What a change points at, for selecting and marking it. Every kind carries the fields that find
 * it in a panel: the irq number, the device name, the domain name, the (cpu, vector) cell.
 */
export type ObjectRef =
  | { kind: 'domain'; name: string }
  | { kind: 'irq'; virq: number }
  | { kind: 'device'; dev: string }
  | { kind: 'msi'; dev: string; domid: number; index: number }
  | { kind: 'msix'; dev: string; index: number }
  | { kind: 'ims'; dev: string; index: number }
  | { kind: 'devres'; dev: string }
  | { kind: 'irte'; unit: string; index: number; sourceId: number }
  | { kind: 'vector'; cpu: number; vector: number }
  | { kind: 'cpu'; cpu: number }
  | { kind: 'matrix' }
  | { kind: 'its-device'; deviceId: number }
  | { kind: 'itt'; deviceId: number; eventId: number; lpi: number }
  | { kind: 'collection'; icid: number }
  | { kind: 'its-cmd'; seq: number }
  | { kind: 'proc'; row: string }
  | { kind: 'debugfs'; file: string }
  | { kind: 'dmesg'; line: number };

export interface FieldChange {
  field: string;
  /** '' when the object was added (or the field did not exist). */
  before: string;
  /** '' when the object was removed. */
  after: string;
}

export interface Change {
  /** Stable key of the object: "irq:25", "irte:dmar0:0:18", "vector:3:33"… (same on both sides). */
  id: string;
  kind: ChangeKind;
  op: 'added' | 'changed' | 'removed';
  /** How a kernel developer names it: "irq 25", "IRTE 18 (dmar0)", "CPU3 vector 0x21". */
  label: string;
  ref: ObjectRef;
  /** The interrupt the object belongs to, when it belongs to one. */
  virq?: number;
  fields: FieldChange[];
}

export interface StateDiff {
  a: { label: string; kernel: string; step: number };
  b: { label: string; kernel: string; step: number };
  changes: Change[];
  counts: { added: number; changed: number; removed: number };
  /** What the diff could not compare, in a sentence each. */
  notes: string[];
}

// ---- formatting ----------------------------------------------------------------------------

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
const hex2 = (n: number) => `0x${(n >>> 0).toString(16).padStart(2, '0')}`;
const yesNo = (b: boolean) => (b ? 'yes' : 'no');

/** "0-3,6" as the kernel prints a CPU list (smp_affinity_list). */
export function cpuList(cpus: readonly number[]): string {
  if (cpus.length === 0) return '(none)';
  const s = [...cpus].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j] + 1) j++;
    out.push(j === i ? `${s[i]}` : `${s[i]}-${s[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

const CELL_NAMES: Record<number, string> = {
  [Cell.FREE]: 'free', [Cell.OUTSIDE]: 'outside', [Cell.SYSTEM]: 'system', [Cell.MANAGED]: 'managed (reserved)',
  [Cell.ALLOCATED]: 'allocated', [Cell.MANAGED_ALLOCATED]: 'managed, allocated',
};

// ---- the generic record diff -----------------------------------------------------------------

/** One object on one side: its fields as display strings (computed only when needed). */
interface Rec {
  id: string;
  kind: ChangeKind;
  label: string;
  ref: ObjectRef;
  virq?: number;
  fields: Record<string, string>;
}

/** One object on one side: its raw data (compared first, cheaply) and its record, made when needed. */
interface Item {
  raw: unknown;
  rec: () => Rec;
}

/** Structural equality of plain data (numbers, strings, booleans, null, arrays, objects). */
export function deepEq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Same) return b instanceof Same && a.same(a.x, b.x);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEq(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!deepEq((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

class Collector {
  readonly changes: Change[] = [];

  /** Compare two keyed sets of objects of one kind; records are built only for objects that differ. */
  records(a: Map<string, Item>, b: Map<string, Item>): void {
    for (const [id, ia] of a) {
      const ib = b.get(id);
      if (!ib) {
        const ra = ia.rec();
        this.push(ra, 'removed', Object.entries(ra.fields).map(([field, before]) => ({ field, before, after: '' })));
        continue;
      }
      if (deepEq(ia.raw, ib.raw)) continue;
      const ra = ia.rec();
      const rb = ib.rec();
      const fields: FieldChange[] = [];
      for (const [field, before] of Object.entries(ra.fields)) {
        const after = rb.fields[field] ?? '';
        if (after !== before) fields.push({ field, before, after });
      }
      for (const [field, after] of Object.entries(rb.fields)) if (!(field in ra.fields)) fields.push({ field, before: '', after });
      if (fields.length) this.push(rb, 'changed', fields);
    }
    for (const [id, ib] of b) {
      if (a.has(id)) continue;
      const rb = ib.rec();
      this.push(rb, 'added', Object.entries(rb.fields).map(([field, after]) => ({ field, before: '', after })));
    }
  }

  /**
   * Two lists of objects of one kind. When both list the same ids in the same order (adjacent
   * steps, mostly) they are compared pair by pair, without building maps.
   */
  list<T>(a: readonly T[], b: readonly T[], id: (x: T) => string, rec: (x: T) => Rec, same: (x: T, y: T) => boolean = deepEq): void {
    let aligned = a.length === b.length;
    if (aligned) {
      const ids: string[] = [];
      for (let i = 0; i < a.length; i++) {
        if (same(a[i], b[i])) continue;
        const k = id(a[i]);
        if (k !== id(b[i])) {
          aligned = false;
          break;
        }
        ids.push(k);
      }
      if (aligned) {
        if (!ids.length) return;
        const want = new Set(ids);
        this.records(
          keyed(a.filter((x) => want.has(id(x))), id, rec, (x) => x),
          keyed(b.filter((x) => want.has(id(x))), id, rec, (x) => ({ differs: x })),
        );
        return;
      }
    }
    this.records(keyed(a, id, rec, (x) => new Same(x, same)), keyed(b, id, rec, (x) => new Same(x, same)));
  }

  push(r: Pick<Rec, 'id' | 'kind' | 'label' | 'ref' | 'virq'>, op: Change['op'], fields: FieldChange[]): void {
    const c: Change = { id: r.id, kind: r.kind, op, label: r.label, ref: r.ref, fields };
    if (r.virq !== undefined) c.virq = r.virq;
    this.changes.push(c);
  }
}

/** A raw value compared with its kind's own equality. */
class Same<T> {
  constructor(readonly x: T, readonly same: (x: T, y: T) => boolean) {}
}

/** Objects by id; `raw` is what decides "changed" (by default the object itself). */
function keyed<T>(items: Iterable<T>, id: (x: T) => string, rec: (x: T) => Rec, raw: (x: T) => unknown = (x) => x): Map<string, Item> {
  const m = new Map<string, Item>();
  for (const x of items) m.set(id(x), { raw: raw(x), rec: () => rec(x) });
  return m;
}

// ---- per kind ----------------------------------------------------------------------------------

function domainRec(d: DomainView): Rec {
  return {
    id: `domain:${d.name}`, kind: 'domain', label: `domain ${d.name}`, ref: { kind: 'domain', name: d.name },
    fields: {
      parent: d.parent ?? '(root)', kind: d.kind, flags: `${hex(d.flags)} ${d.flagNames.join(' ')}`.trim(),
      'bus token': String(d.busToken), size: String(d.size), mapped: String(d.mapped), dev: d.dev ?? '', era: d.era,
    },
  };
}

function routeText(v: IrqView): string {
  return v.vector > 0 ? `${hex2(v.vector)} on CPU${v.cpu}` : '(none)';
}

/**
 * An irq descriptor's fields, but its per-CPU counts: those are compared apart (numbers, not
 * text), because a 256-CPU machine has a million of them.
 */
function irqRec(v: IrqView, arch: string): Rec {
  const fields: Record<string, string> = {
    chain: v.chain.map((l) => `${l.domain}:${hex(l.hwirq)}`).join(' → '),
    chip: v.chain[0]?.chip ?? '',
    actions: v.actions.join(', '),
    name: v.devName,
    depth: String(v.depth),
    state: hex(v.state),
    affinity: cpuList(v.affinity),
    'effective affinity': cpuList(v.effectiveAffinity),
  };
  if (arch === 'x86') {
    fields.vector = routeText(v);
    if (v.hwVector !== v.vector) fields['hardware vector'] = hex2(v.hwVector);
    fields['previous vector'] = v.prevVector > 0 ? `${hex2(v.prevVector)} on CPU${v.prevCpu} (move pending cleanup)` : '(none)';
  }
  if (v.msi) fields.msi = `${v.msi.dev} domain ${v.msi.domid} index ${v.msi.index}`;
  return { id: `irq:${v.virq}`, kind: 'irq', label: `irq ${v.virq}`, ref: { kind: 'irq', virq: v.virq }, virq: v.virq, fields };
}

function sameNumbers(x: readonly number[], y: readonly number[]): boolean {
  if (x === y) return true;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Whether an irq descriptor changed (its counts and bit names are compared apart). */
function sameIrq(x: IrqView, y: IrqView): boolean {
  if (x === y) return true;
  return x.virq === y.virq && x.state === y.state && x.depth === y.depth && x.vector === y.vector && x.cpu === y.cpu && x.hwVector === y.hwVector
    && x.prevVector === y.prevVector && x.prevCpu === y.prevCpu && x.devName === y.devName && x.managed === y.managed
    && x.started === y.started && x.activated === y.activated && x.masked === y.masked && x.disabled === y.disabled
    && sameNumbers(x.affinity, y.affinity) && sameNumbers(x.effectiveAffinity, y.effectiveAffinity)
    && deepEq(x.actions, y.actions) && deepEq(x.chain, y.chain) && deepEq(x.msi, y.msi);
}

/** IRQD state bits by name: "+IRQD_ACTIVATED −IRQD_IRQ_MASKED". */
function stateBits(a: IrqView, b: IrqView): FieldChange | null {
  const on = b.stateNames.filter((n) => !a.stateNames.includes(n));
  const off = a.stateNames.filter((n) => !b.stateNames.includes(n));
  if (!on.length && !off.length) return null;
  return { field: 'state bits', before: off.join(' '), after: on.join(' ') };
}

function diffIrqs(out: Collector, a: MachineState, b: MachineState): void {
  const c = new Collector();
  const ai = a.view.irqs;
  const bi = b.view.irqs;
  // Pairs of the same irq on both sides: by position when both list the same numbers.
  let pairs: [IrqView, IrqView][] | null = null;
  if (ai.length === bi.length) {
    pairs = [];
    for (let i = 0; i < ai.length && pairs; i++) {
      if (ai[i] === bi[i]) continue;
      if (ai[i].virq !== bi[i].virq) pairs = null;
      else if (ai[i].state !== bi[i].state || !sameNumbers(ai[i].counts, bi[i].counts)) pairs.push([ai[i], bi[i]]);
    }
  }
  if (!pairs) {
    const bm = new Map(bi.map((v) => [v.virq, v]));
    pairs = ai.flatMap((va): [IrqView, IrqView][] => (bm.has(va.virq) ? [[va, bm.get(va.virq)!]] : []));
  }
  const arch = a.view.arch === 'x86' || b.view.arch === 'x86' ? 'x86' : a.view.arch;
  c.list(a.view.irqs, b.view.irqs, (v) => `irq:${v.virq}`, (v) => irqRec(v, arch), sameIrq);
  // Fold the state bit names and the counts into the "changed" entries (or make one).
  const byId = new Map(c.changes.filter((x) => x.kind === 'irq').map((x) => [x.id, x]));
  for (const [va, vb] of pairs) {
    const virq = va.virq;
    const extra: FieldChange[] = [];
    if (va.state === vb.state && sameNumbers(va.counts, vb.counts)) continue;
    const bits = stateBits(va, vb);
    if (bits) extra.push(bits);
    const n = Math.max(va.counts.length, vb.counts.length);
    for (let cpu = 0; cpu < n; cpu++) {
      const x = va.counts[cpu] ?? 0;
      const y = vb.counts[cpu] ?? 0;
      if (x !== y) extra.push({ field: `count CPU${cpu}`, before: String(x), after: String(y) });
    }
    if (!extra.length) continue;
    const id = `irq:${virq}`;
    const existing = byId.get(id);
    if (existing) for (const f of extra) existing.fields.push(f);
    else c.push({ id, kind: 'irq', label: `irq ${virq}`, ref: { kind: 'irq', virq }, virq }, 'changed', extra);
  }
  for (const ch of c.changes.sort((x, y) => x.virq! - y.virq!)) out.changes.push(ch);
}

function diffDevices(c: Collector, a: MachineState, b: MachineState): void {
  const devRec = (d: DeviceView): Rec => ({
    id: `device:${d.name}`, kind: 'device', label: d.kind === 'pci' ? `${d.name} (${d.label})` : d.name, ref: { kind: 'device', dev: d.name },
    fields: {
      driver: d.driver ?? '(none)',
      'MSI parent': d.msiParent ?? '(none)',
      ...(d.msiCap ? { 'MSI enable': yesNo(d.msiCap.enabled), 'MSI multiple message enable': String(1 << d.msiCap.mme) } : {}),
      ...(d.msixCap ? { 'MSI-X enable': yesNo(d.msixCap.enabled), 'MSI-X function mask': yesNo(d.msixCap.maskAll) } : {}),
      ...Object.fromEntries(d.stores.map((s) => [`store ${s.domid}`, s.domain ? `${s.domain} (hwsize ${s.hwsize})` : '(no domain)'])),
      'INTx lost': String(d.intxLost),
    },
  });
  const devRaw = ({ stores, msixTable: _t, devres: _r, ims: _i, ...rest }: DeviceView) => [rest, stores.map((st) => [st.domid, st.domain, st.hwsize])];
  c.records(keyed(a.view.devices, (d) => `device:${d.name}`, devRec, devRaw), keyed(b.view.devices, (d) => `device:${d.name}`, devRec, devRaw));

  // A device whose whole view is the same on both sides has no changed descriptor, entry or slot.
  const other = new Map(b.view.devices.map((d) => [d.name, d]));
  const unchanged = new Set(a.view.devices.filter((d) => deepEq(d, other.get(d.name))).map((d) => d.name));
  const msiRecs = (s: MachineState) => {
    const m = new Map<string, Item>();
    for (const d of s.view.devices) {
      if (unchanged.has(d.name)) continue;
      for (const st of d.stores) {
        for (const e of st.entries) {
          const id = `msi:${d.name}:${st.domid}:${e.index}`;
          m.set(id, { raw: e, rec: () => ({
            id, kind: 'msi', label: `msi_desc ${e.index} of ${d.name}${st.domid ? ` (domain ${st.domid})` : ''}`,
            ref: { kind: 'msi', dev: d.name, domid: st.domid, index: e.index }, virq: e.virq,
            fields: {
              irq: String(e.virq), 'nvec used': String(e.nvecUsed), address: `${hex(e.addressHi)}:${hex(e.addressLo)}`, data: hex(e.data),
              masked: yesNo(e.masked), pending: yesNo(e.pending), managed: yesNo(e.managed),
            },
          }) });
        }
      }
    }
    return m;
  };
  c.records(msiRecs(a), msiRecs(b));

  const msixRecs = (s: MachineState) => {
    const m = new Map<string, Item>();
    for (const d of s.view.devices) {
      if (unchanged.has(d.name)) continue;
      const virqs = new Map((d.stores.find((st) => st.domid === 0)?.entries ?? []).map((e) => [e.index, e.virq]));
      for (const r of d.msixTable) {
        const id = `msix:${d.name}:${r.index}`;
        const virq = virqs.get(r.index);
        m.set(id, { raw: [r, virq], rec: () => ({
          id, kind: 'msix', label: `MSI-X entry ${r.index} of ${d.name}`, ref: { kind: 'msix', dev: d.name, index: r.index },
          ...(virq !== undefined ? { virq } : {}),
          fields: {
            'message address': `${hex(r.addressHi)}:${hex(r.addressLo)}`, 'message data': hex(r.data), masked: yesNo(r.masked),
            pending: yesNo(r.pending), ...(r.owner ? { owner: r.owner } : {}),
          },
        }) });
      }
    }
    return m;
  };
  c.records(msixRecs(a), msixRecs(b));

  const imsRecs = (s: MachineState) => {
    const m = new Map<string, Item>();
    for (const d of s.view.devices) {
      if (unchanged.has(d.name)) continue;
      if (!d.ims) continue;
      for (const r of d.ims.rows) {
        const id = `ims:${d.name}:${r.index}`;
        const ch = r.change;
        m.set(id, { raw: r, rec: () => ({
          id, kind: 'ims', label: `IMS slot ${r.index} of ${d.name}`, ref: { kind: 'ims', dev: d.name, index: r.index },
          ...(r.virq ? { virq: r.virq } : {}),
          fields: {
            irq: r.virq ? String(r.virq) : '(none)', icookie: r.icookie === null ? '(none)' : hex(r.icookie),
            address: `${hex(r.addressHi)}:${hex(r.addressLo)}`, data: hex(r.data), masked: yesNo(r.masked), pending: yesNo(r.pending),
            'change not yet synced': ch
              ? Object.entries(ch).map(([k, v]) => `${k} ${typeof v === 'number' ? hex(v) : String(v)}`).join(', ')
              : '(none)',
          },
        }) });
      }
    }
    return m;
  };
  c.records(imsRecs(a), imsRecs(b));

  // devres: a list, newest last; shown as what was added and what was released.
  const resA = new Map(a.view.devices.map((d) => [d.name, d.devres]));
  for (const d of b.view.devices) {
    const before = resA.get(d.name) ?? [];
    const after = d.devres;
    if (before.length === after.length && before.every((x, i) => x === after[i])) continue;
    c.push({ id: `devres:${d.name}`, kind: 'devres', label: `devres of ${d.name}`, ref: { kind: 'devres', dev: d.name } }, 'changed', [
      { field: 'resources (oldest first)', before: before.join(' · ') || '(none)', after: after.join(' · ') || '(none)' },
    ]);
  }
}

const irteId = (e: IrteState, amd: boolean) => `irte:${e.unit}:${amd ? e.sourceId : 0}:${e.index}`;

function irteRec(e: IrteState, amd: boolean): Rec {
  const id = irteId(e, amd);
  return {
    id, kind: 'irte', label: amd ? `IRTE ${e.index} (${e.unit}, devid ${hex(e.sourceId)})` : `IRTE ${e.index} (${e.unit})`,
    ref: { kind: 'irte', unit: e.unit, index: e.index, sourceId: e.sourceId }, ...(e.virq ? { virq: e.virq } : {}),
    fields: {
      present: yesNo(e.present), vector: hex2(e.vector), 'destination APIC ID': String(e.dest),
      [amd ? 'requester ID' : 'SID']: hex(e.sourceId), irq: e.virq ? String(e.virq) : '(none)',
    },
  };
}

function diffVectors(c: Collector, a: MachineState, b: MachineState, notes: string[]): void {
  const ca = a.cells;
  const cb = b.cells;
  if (!ca || !cb) return;
  if (ca.cpus !== cb.cpus || ca.vectors !== cb.vectors) {
    notes.push(`the vector matrices differ in size (${ca.cpus} against ${cb.cpus} CPUs): vectors compared on the common CPUs`);
  }
  const cpus = Math.min(ca.cpus, cb.cpus);
  const nv = Math.min(ca.vectors, cb.vectors);
  const ta = a.vectorIrq;
  const tb = b.vectorIrq;
  const owner = (t: Int32Array | null, cpu: number, v: number) => (t ? t[cpu * 256 + v] : -1);
  const ownerText = (x: number) => (x >= 0 ? `irq ${x}` : x === -2 ? 'VECTOR_SHUTDOWN' : x === -3 ? 'VECTOR_RETRIGGERED' : '(none)');
  for (let cpu = 0; cpu < cpus; cpu++) {
    for (let v = 0; v < nv; v++) {
      const sa = ca.states[cpu * ca.vectors + v];
      const sb = cb.states[cpu * cb.vectors + v];
      const oa = owner(ta, cpu, v);
      const ob = owner(tb, cpu, v);
      if (sa === sb && oa === ob) continue;
      const fields: FieldChange[] = [];
      if (sa !== sb) fields.push({ field: 'matrix', before: CELL_NAMES[sa] ?? String(sa), after: CELL_NAMES[sb] ?? String(sb) });
      if (oa !== ob) fields.push({ field: 'vector_irq', before: ownerText(oa), after: ownerText(ob) });
      const inUse = (s: number, o: number) => o >= 0 || s === Cell.ALLOCATED || s === Cell.MANAGED_ALLOCATED;
      const op = !inUse(sa, oa) && inUse(sb, ob) ? 'added' : inUse(sa, oa) && !inUse(sb, ob) ? 'removed' : 'changed';
      const virq = ob >= 0 ? ob : oa >= 0 ? oa : undefined;
      c.push({
        id: `vector:${cpu}:${v}`, kind: 'vector', label: `CPU${cpu} vector ${hex2(v)}`, ref: { kind: 'vector', cpu, vector: v },
        ...(virq !== undefined ? { virq } : {}),
      }, op, fields);
    }
  }
}

function diffCpus(c: Collector, a: MachineState, b: MachineState): void {
  const rec = (s: MachineState) => keyed(s.view.cpus, (cv) => `cpu:${cv.cpu}`, (cv): Rec => ({
    id: `cpu:${cv.cpu}`, kind: 'cpu', label: `CPU${cv.cpu}`, ref: { kind: 'cpu', cpu: cv.cpu },
    fields: {
      online: yesNo(cv.online),
      ...(s.view.arch === 'x86' ? { avl: String(cv.available), man: String(cv.managed), mac: String(cv.managedAllocated), act: String(cv.allocated) } : {}),
      ...(cv.collection !== undefined ? { collection: cv.collection === null ? '(not mapped)' : String(cv.collection) } : {}),
      ...(cv.lpis ? { LPIs: cv.lpis.join(' ') || '(none)' } : {}),
      ...(cv.pendingLpis ? { 'pending LPIs': cv.pendingLpis.join(' ') || '(none)' } : {}),
    },
  }));
  c.records(rec(a), rec(b));
  const mrec = (s: MachineState): Map<string, Item> => {
    const m = s.view.matrix;
    if (!m) return new Map();
    return new Map([['matrix', { raw: m, rec: () => ({
      id: 'matrix', kind: 'matrix', label: 'vector matrix', ref: { kind: 'matrix' },
      fields: { 'Global available': String(m.globalAvailable), 'Global reserved': String(m.globalReserved), 'Total allocated': String(m.totalAllocated) },
    }) }]]);
  };
  c.records(mrec(a), mrec(b));
}

function diffIts(c: Collector, a: ItsView | null, b: ItsView | null): void {
  const devs = (v: ItsView | null) => keyed(v?.devices ?? [], (d) => `its-device:${d.deviceId}`, (d): Rec => ({
    id: `its-device:${d.deviceId}`, kind: 'its-device', label: `ITS DeviceID ${hex(d.deviceId)} (${d.owner})`, ref: { kind: 'its-device', deviceId: d.deviceId },
    fields: {
      owner: d.owner, 'ITT entries': String(d.nrItes), 'ITT address': hex(d.ittAddr), LPIs: d.nrLpis ? `${d.lpiBase}-${d.lpiBase + d.nrLpis - 1}` : '(none)',
      shared: yesNo(d.shared), mapped: yesNo(d.mapped),
    },
  }), ({ events: _e, ...rest }) => rest);
  c.records(devs(a), devs(b));
  const itt = (v: ItsView | null) => {
    const m = new Map<string, Item>();
    for (const d of v?.devices ?? []) {
      for (const e of d.events) {
        const id = `itt:${d.deviceId}:${e.eventId}`;
        m.set(id, { raw: e, rec: () => ({
          id, kind: 'itt', label: `ITT ${hex(d.deviceId)} EventID ${e.eventId} → LPI ${e.lpi}`, ref: { kind: 'itt', deviceId: d.deviceId, eventId: e.eventId, lpi: e.lpi },
          ...(e.virq !== null ? { virq: e.virq } : {}),
          fields: { LPI: String(e.lpi), collection: String(e.icid), irq: e.virq === null ? '(none)' : String(e.virq), enabled: yesNo(e.enabled), pending: yesNo(e.pending) },
        }) });
      }
    }
    return m;
  };
  c.records(itt(a), itt(b));
  const cols = (v: ItsView | null) => keyed(v?.collections ?? [], (col) => `collection:${col.icid}`, (col): Rec => ({
    id: `collection:${col.icid}`, kind: 'collection', label: `ITS collection ${col.icid}`, ref: { kind: 'collection', icid: col.icid },
    fields: { CPU: String(col.cpu), RDbase: String(col.rdbase), online: yesNo(col.online), LPIs: String(col.lpis) },
  }));
  c.records(cols(a), cols(b));
  // Commands queued between the two states (when b continues a's queue).
  if (a && b && b.commandsTotal > a.commandsTotal) {
    for (const cmd of b.commands) {
      if (cmd.seq < a.commandsTotal) continue;
      c.push({ id: `its-cmd:${cmd.seq}`, kind: 'its-cmd', label: `ITS command #${cmd.seq} ${cmd.cmd}`, ref: { kind: 'its-cmd', seq: cmd.seq } }, 'added', [
        { field: 'command', before: '', after: `${cmd.text} (${cmd.by})` },
      ]);
    }
  }
}

/** The row key of a /proc/interrupts line: the irq number or the arch row's name ("NMI"). */
function rowKey(line: string): string {
  const colon = line.indexOf(':');
  return colon < 0 ? line.trim() : line.slice(0, colon).trim();
}

/** Lines of a text by row key (the header is "CPUs"); a repeated key gets "#n". */
function procRows(text: string): Map<string, string> {
  const m = new Map<string, string>();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    const key = i === 0 ? 'CPUs' : rowKey(line);
    m.set(m.has(key) ? `${key}#${i}` : key, line);
  });
  return m;
}

function procItems(rows: Map<string, string>): Map<string, Item> {
  const m = new Map<string, Item>();
  for (const [row, line] of rows) {
    const virq = /^\d+$/.test(row) ? Number(row) : undefined;
    m.set(`proc:${row}`, {
      raw: line,
      rec: () => ({
        id: `proc:${row}`, kind: 'proc', label: row === 'CPUs' ? '/proc/interrupts header' : `/proc/interrupts ${row}:`,
        ref: { kind: 'proc', row }, ...(virq !== undefined ? { virq } : {}), fields: { line },
      }),
    });
  }
  return m;
}

/**
 * /proc/interrupts, row by row. Two texts with the same rows in the same order (adjacent steps,
 * usually) are walked side by side without splitting them: a 256-CPU machine's file is 12 MB.
 */
function diffProc(c: Collector, sa: MachineState, sb: MachineState, notes: string[]): void {
  if (sa.proc === null || sb.proc === null) {
    diffProcHead(c, sa, sb);
    notes.push('/proc/interrupts was compared by its header and architecture rows only (a machine too big to print it whole for a diff): the rows of interrupts changed with their descriptors’ counts, under irq descriptors');
    return;
  }
  const a = sa.proc;
  const b = sb.proc;
  if (a === b) return;
  let pa = 0;
  let pb = 0;
  let first = true;
  const changed: [string, string, string][] = [];
  let aligned = true;
  const BLOCK = 4096;
  while (pa < a.length || pb < b.length) {
    // In step: skip equal blocks whole (one compare per 4 kB), then resume at a line start.
    if (pa === pb && !first) {
      let q = pa;
      while (q + BLOCK <= a.length && q + BLOCK <= b.length && a.slice(q, q + BLOCK) === b.slice(q, q + BLOCK)) q += BLOCK;
      if (q > pa) {
        const ls = a.lastIndexOf('\n', q - 1) + 1;
        if (ls > pa) pa = pb = ls;
      }
    }
    let ea = a.indexOf('\n', pa);
    let eb = b.indexOf('\n', pb);
    if (ea < 0) ea = a.length;
    if (eb < 0) eb = b.length;
    const same = ea - pa === eb - pb && a.startsWith(b.slice(pb, eb), pa);
    if (!same) {
      const la = a.slice(pa, ea);
      const lb = b.slice(pb, eb);
      const key = first ? 'CPUs' : rowKey(la);
      if (key !== (first ? 'CPUs' : rowKey(lb)) || pa >= a.length || pb >= b.length) {
        aligned = false;
        break;
      }
      changed.push([key, la, lb]);
    }
    first = false;
    pa = ea + 1;
    pb = eb + 1;
  }
  if (aligned) {
    for (const [row, la, lb] of changed) {
      const virq = /^\d+$/.test(row) ? Number(row) : undefined;
      c.push({
        id: `proc:${row}`, kind: 'proc', label: row === 'CPUs' ? '/proc/interrupts header' : `/proc/interrupts ${row}:`,
        ref: { kind: 'proc', row }, ...(virq !== undefined ? { virq } : {}),
      }, 'changed', [{ field: 'line', before: la, after: lb }]);
    }
    return;
  }
  c.records(procItems(procRows(a)), procItems(procRows(b)));
}

/** The header and the architecture's rows of two states (either may lack the whole text). */
function diffProcHead(c: Collector, a: MachineState, b: MachineState): void {
  const head = (s: MachineState): Map<string, string> => {
    if (s.procHead) {
      const m = procRows([s.procHead.header, ...s.procHead.arch].join('\n'));
      return m;
    }
    // The whole text: keep the header and the rows that are not interrupts.
    const m = new Map<string, string>();
    for (const [k, line] of procRows(s.proc ?? '')) if (k === 'CPUs' || !/^\d+$/.test(k)) m.set(k, line);
    return m;
  };
  c.records(procItems(head(a)), procItems(head(b)));
}

/** A line diff of two small texts (LCS): removed and added runs, as before → after fields. */
export function lineHunks(a: string, b: string): FieldChange[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  // Longest common subsequence table, from the end.
  const w = m + 1;
  const t = new Uint16Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i * w + j] = x[i] === y[j] ? t[(i + 1) * w + j + 1] + 1 : Math.max(t[(i + 1) * w + j], t[i * w + j + 1]);
    }
  }
  const out: FieldChange[] = [];
  let i = 0;
  let j = 0;
  let del: string[] = [];
  let add: string[] = [];
  let at = 0;
  const flush = () => {
    if (del.length || add.length) out.push({ field: `line ${at + 1}`, before: del.join('\n'), after: add.join('\n') });
    del = [];
    add = [];
  };
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      flush();
      i++;
      j++;
      at = j;
    } else if (j < m && (i >= n || t[i * w + j + 1] >= t[(i + 1) * w + j])) {
      if (!del.length && !add.length) at = j;
      add.push(y[j++]);
    } else {
      if (!del.length && !add.length) at = j;
      del.push(x[i++]);
    }
  }
  flush();
  return out;
}

function diffDebugfs(c: Collector, a: MachineState, b: MachineState, notes: string[]): void {
  if (!a.debugfsIrqs || !b.debugfsIrqs) {
    notes.push('debugfs irqs/N files were not compared (a machine with more than 512 interrupts): their fields are in the irq descriptors');
  }
  const label = (file: string) => `/sys/kernel/debug/irq/${file}`;
  const virqOf = (file: string) => (file.startsWith('irqs/') ? Number(file.slice(5)) : undefined);
  const refOf = (file: string) => ({ id: `debugfs:${file}`, kind: 'debugfs' as const, label: label(file), ref: { kind: 'debugfs' as const, file }, ...(virqOf(file) !== undefined ? { virq: virqOf(file) } : {}) });
  const compared = (file: string) => !file.startsWith('irqs/') || (a.debugfsIrqs && b.debugfsIrqs);
  for (const [file, ta] of Object.entries(a.debugfs)) {
    if (!compared(file)) continue;
    const tb = b.debugfs[file];
    if (tb === undefined) c.push(refOf(file), 'removed', [{ field: 'file', before: ta, after: '' }]);
    else if (ta !== tb) c.push(refOf(file), 'changed', lineHunks(ta, tb));
  }
  for (const [file, tb] of Object.entries(b.debugfs)) {
    if (compared(file) && !(file in a.debugfs)) c.push(refOf(file), 'added', [{ field: 'file', before: '', after: tb }]);
  }
}

function diffLog(c: Collector, a: MachineState, b: MachineState): void {
  const la = a.view.log;
  const lb = b.view.log;
  // Same history up to a's end: the new lines. Otherwise (two machines) compare line by line.
  let i = 0;
  while (i < la.length && i < lb.length && la[i].text === lb[i].text) i++;
  for (let j = i; j < la.length; j++) {
    c.push({ id: `dmesg:${j}`, kind: 'dmesg', label: `kernel log line ${j + 1}`, ref: { kind: 'dmesg', line: j } }, 'removed', [{ field: la[j].level, before: la[j].text, after: '' }]);
  }
  for (let j = i; j < lb.length; j++) {
    c.push({ id: `dmesg:${j}`, kind: 'dmesg', label: `kernel log line ${j + 1}`, ref: { kind: 'dmesg', line: j } }, 'added', [{ field: lb[j].level, before: '', after: lb[j].text }]);
  }
}

/**
 * The diff from state a to state b. Deterministic: changes come in CHANGE_KINDS order, and within
 * a kind in the order the objects appear (irq number, CPU then vector, index…).
 */
export function diffStates(a: MachineState, b: MachineState): StateDiff {
  const c = new Collector();
  const notes: string[] = [];
  if (a.view.arch !== b.view.arch) notes.push(`the machines are of different architectures (${a.view.arch} against ${b.view.arch}): only what both have is compared object by object`);
  c.list(a.view.domains, b.view.domains, (d) => `domain:${d.name}`, domainRec);
  diffIrqs(c, a, b);
  diffDevices(c, a, b);
  const amd = (s: MachineState) => s.view.remap === 'amd-ir';
  const irAmd = amd(a) || amd(b);
  c.list(a.irtes, b.irtes, (e) => irteId(e, irAmd), (e) => irteRec(e, irAmd));
  diffVectors(c, a, b, notes);
  diffCpus(c, a, b);
  diffIts(c, a.its, b.its);
  diffProc(c, a, b, notes);
  diffDebugfs(c, a, b, notes);
  diffLog(c, a, b);
  const order = new Map<ChangeKind, number>(CHANGE_KINDS.map((k, i) => [k, i]));
  // Stable sort by kind: within a kind the collection order stands.
  const changes = c.changes.map((ch, i) => ({ ch, i })).sort((x, y) => order.get(x.ch.kind)! - order.get(y.ch.kind)! || x.i - y.i).map((x) => x.ch);
  const counts = { added: 0, changed: 0, removed: 0 };
  for (const ch of changes) counts[ch.op]++;
  return {
    a: { label: a.label, kernel: a.kernel, step: a.step },
    b: { label: b.label, kernel: b.kernel, step: b.step },
    changes,
    counts,
    notes,
  };
}
