// Find anything in a machine state and its call traces, by what a kernel developer types:
// `irq 25`, `IRTE 18`, `LPI 8194`, `vector 0x21`, `0xfee00258`, `nvme0q3`, a BDF (`0000:3d:00.0`
// or `3d:00.0`), a domain name, a kernel function (`intel_ir_set_affinity`), CPU3. And which
// objects each trace line names, so a line can light up what it touched.
// Pure functions over plain data (a captured state and TraceNode trees).

import type { TraceNode } from '../core/trace';
import { traceItems } from '../core/traceOrder';
import type { MachineState } from './state';
import type { ObjectRef } from './diff';

/** What the app does with a hit: select this (irq, domain, device), the CPU, go to a trace line. */
export interface SearchTarget {
  select: { kind: 'irq'; virq: number } | { kind: 'domain'; name: string } | { kind: 'device'; name: string } | null;
  cpu?: number;
  ref?: ObjectRef;
  /** A trace line: the step and the line id (see traceLines). */
  step?: number;
  line?: string;
}

export interface SearchHit {
  kind: 'irq' | 'domain' | 'device' | 'msi' | 'msix' | 'ims' | 'irte' | 'lpi' | 'vector' | 'cpu' | 'its-device' | 'function' | 'trace';
  title: string;
  detail: string;
  target: SearchTarget;
  score: number;
}

interface Entry {
  kind: SearchHit['kind'];
  title: string;
  detail: string;
  /** Lower-case keys: matched whole, by prefix, then inside. */
  terms: string[];
  target: SearchTarget;
  /** Ties: lower first. */
  rank: number;
}

export interface SearchIndex {
  entries: Entry[];
}

/** One step's call trace. */
export interface StepTrace {
  step: number;
  trace: readonly TraceNode[];
}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
const hex2 = (n: number) => `0x${(n >>> 0).toString(16).padStart(2, '0')}`;
/** "0000:3d:00.0" → "3d:00.0" (lspci's short form). */
const shortBdf = (bdf: string) => bdf.replace(/^[0-9a-f]{4}:/i, '');

/**
 * Every line of a trace with a stable id: a call is "0.2.1" (its path of child indexes), an
 * effect of that call "0.2.1:e3". Depth first, effects and calls in the order they happened (traceItems).
 */
export function traceLines(trace: readonly TraceNode[]): { id: string; node: TraceNode; effect: number | null; text: string }[] {
  const out: { id: string; node: TraceNode; effect: number | null; text: string }[] = [];
  // `first`: the child number of ns[0] (one child at a time, as traceItems() interleaves them).
  const walk = (ns: readonly TraceNode[], path: string, first = 0) => {
    ns.forEach((n, i) => {
      const id = path ? `${path}.${first + i}` : String(first + i);
      if (n.fn) out.push({ id, node: n, effect: null, text: `${n.fn}()${n.domain ? ` [${n.domain}]` : ''}${n.result !== undefined ? ` = ${n.result}` : ''}` });
      for (const it of traceItems(n)) {
        if (it.effect !== undefined) out.push({ id: `${id}:e${it.effect}`, node: n, effect: it.effect, text: n.effects[it.effect] });
        else walk([n.children[it.child]], id, it.child);
      }
    });
  };
  walk(trace, '');
  return out;
}

/** Build the index of a state and the traces of some steps (the app: the steps it has traces of). */
export function buildSearchIndex(s: MachineState, traces: readonly StepTrace[] = []): SearchIndex {
  const entries: Entry[] = [];
  const add = (e: Omit<Entry, 'rank'>) => entries.push({ ...e, rank: entries.length });
  const v = s.view;
  for (const irq of v.irqs) {
    const top = irq.chain[0];
    add({
      kind: 'irq', title: `irq ${irq.virq}${irq.actions.length ? ` ${irq.actions.join(', ')}` : ''}`,
      detail: `${top ? `${top.domain} hwirq ${hex(top.hwirq)}` : ''}${irq.vector ? ` · vector ${hex2(irq.vector)} on CPU${irq.cpu}` : ''}`,
      terms: [`irq ${irq.virq}`, `virq ${irq.virq}`, String(irq.virq), ...irq.actions.map((a) => a.toLowerCase()), irq.devName.toLowerCase()].filter(Boolean),
      target: { select: { kind: 'irq', virq: irq.virq }, ref: { kind: 'irq', virq: irq.virq } },
    });
    if (irq.vector > 0 && v.arch === 'x86') {
      add({
        kind: 'vector', title: `CPU${irq.cpu} vector ${hex2(irq.vector)}`, detail: `irq ${irq.virq}${irq.actions.length ? ` ${irq.actions.join(', ')}` : ''}`,
        terms: [`vector ${hex2(irq.vector)}`, `vector ${irq.vector}`, hex2(irq.vector), `cpu${irq.cpu} vector ${hex2(irq.vector)}`],
        target: { select: { kind: 'irq', virq: irq.virq }, cpu: irq.cpu, ref: { kind: 'vector', cpu: irq.cpu, vector: irq.vector } },
      });
    }
  }
  for (const d of v.domains) {
    add({
      kind: 'domain', title: d.name, detail: `${d.kind} domain${d.parent ? ` under ${d.parent}` : ''}`,
      terms: [d.name.toLowerCase(), `domain ${d.name.toLowerCase()}`],
      target: { select: { kind: 'domain', name: d.name }, ref: { kind: 'domain', name: d.name } },
    });
  }
  for (const d of v.devices) {
    add({
      kind: 'device', title: `${d.name} ${d.label}`, detail: `${d.kind === 'pci' ? 'PCI function' : `subdevice of ${d.parent}`}${d.driver ? ` · driver ${d.driver}` : ''}`,
      terms: [d.name.toLowerCase(), shortBdf(d.name).toLowerCase(), d.label.toLowerCase(), ...(d.driver ? [d.driver.toLowerCase()] : [])],
      target: { select: { kind: 'device', name: d.name }, ref: { kind: 'device', dev: d.name } },
    });
    for (const st of d.stores) {
      for (const e of st.entries) {
        const addr = hex(e.addressLo);
        const isMsix = d.msixCap !== null && st.domid === 0;
        add({
          kind: isMsix ? 'msix' : 'msi', title: `${isMsix ? 'MSI-X' : 'MSI'} ${e.index} of ${d.name} → irq ${e.virq}`,
          detail: `address ${e.addressHi ? `${hex(e.addressHi)}:` : ''}${addr} data ${hex(e.data)}`,
          terms: [addr, `${hex(e.addressHi)}:${addr}`, `0x${(e.addressHi * 2 ** 32 + (e.addressLo >>> 0)).toString(16).padStart(9, '0')}`, `data ${hex(e.data)}`, `msi-x ${e.index}`, `msix ${e.index}`, `msi ${e.index}`],
          target: { select: { kind: 'irq', virq: e.virq }, ref: isMsix ? { kind: 'msix', dev: d.name, index: e.index } : { kind: 'msi', dev: d.name, domid: st.domid, index: e.index } },
        });
      }
    }
    for (const r of d.ims?.rows ?? []) {
      add({
        kind: 'ims', title: `IMS slot ${r.index} of ${d.name}${r.virq ? ` → irq ${r.virq}` : ''}`, detail: `address ${hex(r.addressLo)} data ${hex(r.data)}`,
        terms: [`ims ${r.index}`, hex(r.addressLo)],
        target: { select: r.virq ? { kind: 'irq', virq: r.virq } : { kind: 'device', name: d.name }, ref: { kind: 'ims', dev: d.name, index: r.index } },
      });
    }
  }
  for (const e of s.irtes) {
    add({
      kind: 'irte', title: `IRTE ${e.index} (${e.unit})${e.virq ? ` → irq ${e.virq}` : ''}`,
      detail: e.present ? `vector ${hex2(e.vector)} → APIC ID ${e.dest}` : 'not present',
      terms: [`irte ${e.index}`, `irte${e.index}`],
      target: { select: e.virq ? { kind: 'irq', virq: e.virq } : null, ref: { kind: 'irte', unit: e.unit, index: e.index, sourceId: e.sourceId } },
    });
  }
  for (const c of v.cpus) {
    add({
      kind: 'cpu', title: `CPU${c.cpu}`, detail: c.online ? 'online' : 'offline',
      terms: [`cpu${c.cpu}`, `cpu ${c.cpu}`], target: { select: null, cpu: c.cpu, ref: { kind: 'cpu', cpu: c.cpu } },
    });
  }
  for (const d of s.its?.devices ?? []) {
    add({
      kind: 'its-device', title: `ITS DeviceID ${hex(d.deviceId)} (${d.owner})`, detail: `${d.events.length} ITT entries`,
      terms: [`deviceid ${hex(d.deviceId)}`, `devid ${hex(d.deviceId)}`, hex(d.deviceId)],
      target: { select: { kind: 'device', name: d.owner }, ref: { kind: 'its-device', deviceId: d.deviceId } },
    });
    for (const e of d.events) {
      add({
        kind: 'lpi', title: `LPI ${e.lpi}${e.virq !== null ? ` → irq ${e.virq}` : ''}`, detail: `DeviceID ${hex(d.deviceId)} EventID ${e.eventId} → collection ${e.icid}`,
        terms: [`lpi ${e.lpi}`, `lpi${e.lpi}`, `eventid ${e.eventId}`],
        target: { select: e.virq !== null ? { kind: 'irq', virq: e.virq } : null, cpu: e.icid, ref: { kind: 'itt', deviceId: d.deviceId, eventId: e.eventId, lpi: e.lpi } },
      });
    }
  }
  // Trace calls: one entry per function and step (its first line), and every effect line.
  for (const t of traces) {
    const seen = new Set<string>();
    for (const l of traceLines(t.trace)) {
      if (l.effect === null) {
        const fn = l.node.fn;
        if (seen.has(fn)) continue;
        seen.add(fn);
        add({
          kind: 'function', title: `${fn}()`, detail: `step ${t.step}${l.node.domain ? ` · ${l.node.domain}` : ''}${l.node.file ? ` · ${l.node.file}` : ''}`,
          terms: [fn.toLowerCase()], target: { select: null, step: t.step, line: l.id },
        });
      } else {
        add({ kind: 'trace', title: l.text, detail: `step ${t.step} · in ${l.node.fn}()`, terms: [l.text.toLowerCase()], target: { select: null, step: t.step, line: l.id } });
      }
    }
  }
  return { entries };
}

const KIND_ORDER: SearchHit['kind'][] = ['device', 'irq', 'irte', 'lpi', 'domain', 'msix', 'msi', 'ims', 'vector', 'its-device', 'cpu', 'function', 'trace'];

/** A typed query in the index's terms: "IRQ  25" → "irq 25", "0000:3D:00.0" → lower case. */
function normalise(q: string): string {
  return q.trim().toLowerCase().replace(/\s+/g, ' ').replace(/^(irq|virq|irte|lpi|cpu|vector)\s*#?\s*(?=\d)/, '$1 ').replace(/^cpu (\d+)$/, 'cpu$1');
}

/** Hits for a query, best first: whole term, then prefix, then inside a term; at most `limit`. */
export function searchIndex(index: SearchIndex, query: string, limit = 40): SearchHit[] {
  const q = normalise(query);
  if (!q) return [];
  // "0xfee00258": also as a number without leading zeros ("0x0fee00258" in traces).
  const num = /^0x0*([0-9a-f]+)$/.exec(q);
  const qs = num ? [q, `0x${num[1]}`] : [q];
  const hits: (SearchHit & { rank: number })[] = [];
  for (const e of index.entries) {
    let score = 0;
    for (const t of e.terms) {
      for (const x of qs) {
        const s = t === x ? 100 : t.startsWith(x) ? (e.kind === 'trace' ? 20 : 60) : t.includes(x) ? (e.kind === 'trace' ? 10 : 30) : 0;
        if (s > score) score = s;
      }
    }
    if (score) hits.push({ kind: e.kind, title: e.title, detail: e.detail, target: e.target, score, rank: e.rank });
  }
  hits.sort((a, b) => b.score - a.score || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.rank - b.rank);
  return hits.slice(0, limit).map(({ rank: _r, ...h }) => h);
}

/**
 * The objects each trace line names, resolved against the state it led to: an IRTE brings its
 * interrupt and that interrupt's vector cell, an irq its vector cell, a vector on a CPU its cell,
 * an LPI its ITT entry and interrupt, a call its domain. Keyed by line id (traceLines).
 */
export function traceLineRefs(s: MachineState, trace: readonly TraceNode[]): Record<string, ObjectRef[]> {
  const irqs = new Map(s.view.irqs.map((i) => [i.virq, i]));
  const irtes = new Map(s.irtes.map((e) => [e.index, e]));
  const lpis = new Map<number, { deviceId: number; eventId: number; virq: number | null }>();
  for (const d of s.its?.devices ?? []) for (const e of d.events) lpis.set(e.lpi, { deviceId: d.deviceId, eventId: e.eventId, virq: e.virq });
  const devices = new Set(s.view.devices.map((d) => d.name));
  const out: Record<string, ObjectRef[]> = {};
  for (const l of traceLines(trace)) {
    const refs: ObjectRef[] = [];
    const seen = new Set<string>();
    const push = (r: ObjectRef) => {
      const k = JSON.stringify(r);
      if (!seen.has(k)) {
        seen.add(k);
        refs.push(r);
      }
    };
    const irq = (virq: number) => {
      push({ kind: 'irq', virq });
      const i = irqs.get(virq);
      if (i && i.vector > 0 && s.view.arch === 'x86') push({ kind: 'vector', cpu: i.cpu, vector: i.vector });
    };
    if (l.effect === null) {
      if (l.node.domain) push({ kind: 'domain', name: l.node.domain });
      out[l.id] = refs;
      continue;
    }
    const t = l.text;
    for (const m of t.matchAll(/\bIRTEs? (\d+)(?:-(\d+))?/g)) {
      const from = Number(m[1]);
      const to = m[2] ? Math.min(Number(m[2]), from + 63) : from;
      for (let i = from; i <= to; i++) {
        const e = irtes.get(i);
        push({ kind: 'irte', unit: e?.unit ?? '', index: i, sourceId: e?.sourceId ?? 0 });
        if (e?.virq) irq(e.virq);
      }
    }
    for (const m of t.matchAll(/\b(?:irq|virq) (\d+)\b/g)) irq(Number(m[1]));
    for (const m of t.matchAll(/\bvector (0x[0-9a-f]+|\d+)(?: \(0x[0-9a-f]+\))? on CPU(\d+)/g)) push({ kind: 'vector', cpu: Number(m[2]), vector: Number(m[1]) });
    for (const m of t.matchAll(/\bvector_irq\[(0x[0-9a-f]+)\] on CPU(\d+)/g)) push({ kind: 'vector', cpu: Number(m[2]), vector: Number(m[1]) });
    for (const m of t.matchAll(/\bLPI (\d+)/g)) {
      const e = lpis.get(Number(m[1]));
      if (e) {
        push({ kind: 'itt', deviceId: e.deviceId, eventId: e.eventId, lpi: Number(m[1]) });
        if (e.virq !== null) irq(e.virq);
      }
    }
    for (const m of t.matchAll(/\b([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])\b/g)) {
      if (devices.has(m[1])) push({ kind: 'device', dev: m[1] });
    }
    for (const m of t.matchAll(/\bMSI-X entry (\d+)/g)) {
      const dev = refs.find((r): r is Extract<ObjectRef, { kind: 'device' }> => r.kind === 'device')?.dev
        ?? s.view.domains.find((d) => d.name === l.node.domain)?.dev ?? null;
      if (dev) push({ kind: 'msix', dev, index: Number(m[1]) });
    }
    for (const m of t.matchAll(/\bCPU(\d+)\b/g)) push({ kind: 'cpu', cpu: Number(m[1]) });
    out[l.id] = refs;
  }
  return out;
}
