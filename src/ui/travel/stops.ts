// What "watch it travel" shows for one action: an ordered list of stops, each at a domain of
// the tree with what was read or written there. Built from the engine's answer only — the
// hops of a raised interrupt, or the domain-level calls of the call trace — never computed.

import type { Action, DomainView, ResultView, TraceNode } from '../../worker/protocol';

/** Where a stop belongs in the message's trip, or which way a call goes through the hierarchy. */
export type StopKind =
  // hops of a raised interrupt (engine Hop.stage)
  | 'device' | 'pending' | 'remap' | 'its' | 'apic' | 'cpu' | 'handler' | 'lost' | 'fault'
  // domain-level calls of a trace
  | 'alloc' | 'activate' | 'compose' | 'write' | 'affinity' | 'mask' | 'deactivate' | 'free'
  // a deferred affinity change applied from the interrupt's ack path (irq_move_irq)
  | 'move';

export interface Stop {
  kind: StopKind;
  /** A domain of the tree (null: the wire, or a level the tree does not show). */
  domain: string | null;
  /** The kernel function for trace stops ("intel_irq_remapping_alloc"). */
  fn?: string;
  /** One line: what was read or written at this level. */
  label: string;
  /** The rest of what that call did (trace stops), for the caption. */
  more?: string[];
  cpu?: number;
  vector?: number;
  virq?: number;
  /** The call failed here (a negative errno), or the message went no further. */
  failed?: boolean;
}

export interface Travel {
  /** 'hops': an interrupt raised; 'calls': a kernel call going through the domains. */
  mode: 'hops' | 'calls';
  /** "raise 0000:3d:00.0 #2", "pci_alloc_irq_vectors" … */
  title: string;
  stops: Stop[];
  /** Trace stops left out because they repeat the first interrupt's calls. */
  omitted: { rounds: number; stops: number } | null;
  /** The interrupt whose /proc/interrupts row moves (the handler hop's virq). */
  virq: number | null;
  /** Index of the stop at which the /proc/interrupts count moves (-1: none). */
  countAt: number;
}

const HOP_KINDS: ReadonlySet<string> = new Set(['device', 'pending', 'remap', 'its', 'apic', 'cpu', 'handler', 'lost', 'fault']);

/** The stops of a raised interrupt: the engine's hops, in order. */
export function hopStops(hops: ResultView['hops']): Stop[] {
  return hops.map((h) => {
    const s: Stop = { kind: HOP_KINDS.has(h.stage) ? (h.stage as StopKind) : 'device', domain: h.domain, label: h.label };
    if (h.cpu !== undefined) s.cpu = h.cpu;
    if (h.vector !== undefined) s.vector = h.vector;
    if (h.virq !== undefined) s.virq = h.virq;
    if (h.stage === 'lost' || h.stage === 'fault') s.failed = true;
    return s;
  });
}

// Calls that are a domain level's own callback (irq_domain_ops / irq_chip / msi ops), as
// opposed to the core's walkers around them (irq_domain_alloc_descs, __irq_domain_alloc_irqs,
// irq_do_set_affinity, msi_domain_alloc_irqs_*): the walkers have no level of their own.
const WALKER = /^(?:__?irq_domain_|irq_do_|irq_set_|msi_domain_alloc_irqs|msi_domain_free_irqs|pci_)/;
const PHASES: [RegExp, StopKind][] = [
  [/(?:^|_)deactivate$/, 'deactivate'],
  [/(?:^|_)activate$/, 'activate'],
  [/compose_msi_msg$|_compose_msg$/, 'compose'],
  [/write_msi_msg$/, 'write'],
  [/_set_affinity$/, 'affinity'],
  [/^(?:un)?mask_irq$/, 'mask'],
  [/_free(?:_irqs)?$/, 'free'],
  [/_alloc(?:_irqs)?$|^alloc_irte$/, 'alloc'],
];

/** Which way a trace call goes, or null when it is not a domain level's own callback. */
export function callKind(fn: string): StopKind | null {
  if (!fn || WALKER.test(fn)) return null;
  for (const [re, kind] of PHASES) if (re.test(fn)) return kind;
  return null;
}

/** A trace's domain as a domain of the tree: exact, or the tree domain it is the base name of ("INTEL-IR-0" → "INTEL-IR-0-13"). */
function treeDomain(name: string | undefined, domains: readonly DomainView[]): string | null {
  if (!name) return null;
  if (domains.some((d) => d.name === name)) return name;
  return domains.find((d) => d.name.startsWith(`${name}-`))?.name ?? null;
}

const CELL_IN_TEXT = /vector (0x[0-9a-f]+) on CPU(\d+)/;

/** The domain-level calls of a trace, in the order they were entered (pre-order). */
export function callStops(trace: readonly TraceNode[], domains: readonly DomainView[]): Stop[] {
  const out: Stop[] = [];
  const walk = (nodes: readonly TraceNode[]) => {
    for (const n of nodes) {
      const kind = callKind(n.fn);
      const domain = kind ? treeDomain(n.domain, domains) : null;
      // A wrapper that only calls itself one level down (mask_irq → mask_irq) is one stop.
      const wrapper = n.effects.length === 0 && n.children.some((c) => c.fn === n.fn && c.domain === n.domain);
      if (kind && domain && !wrapper) {
        const [first, ...rest] = n.effects;
        const s: Stop = { kind, domain, fn: n.fn, label: first ?? (n.result !== undefined ? `returns ${n.result}` : 'called') };
        if (rest.length) s.more = rest;
        if (n.result?.startsWith('-E')) {
          s.failed = true;
          s.label = first ? `${first} · ${n.result}` : `returns ${n.result}`;
        }
        // The vector map cell a VECTOR-level call names ("… vector 0x21 on CPU1"), as the engine wrote it.
        if (domain === 'VECTOR') {
          for (const e of n.effects) {
            const m = CELL_IN_TEXT.exec(e);
            if (m) {
              s.vector = Number(m[1]);
              s.cpu = Number(m[2]);
            }
          }
        }
        out.push(s);
      }
      walk(n.children);
    }
  };
  walk(trace);
  return out;
}

/**
 * Keep the first interrupt's calls. A new round starts wherever the first call comes again
 * (pci_alloc_irq_vectors of 8 vectors goes down and back up the hierarchy 8 times). Without
 * rounds, a long list is cut at `max` stops.
 */
export function firstRound(stops: Stop[], max = 24): { stops: Stop[]; omitted: Travel['omitted'] } {
  if (stops.length === 0) return { stops, omitted: null };
  const head = stops[0];
  let end = stops.length;
  let rounds = 0;
  for (let i = 1; i < stops.length; i++) {
    if (stops[i].fn === head.fn && stops[i].domain === head.domain) {
      if (end === stops.length) end = i;
      rounds++;
    }
  }
  if (end > max) {
    end = max;
    rounds = 0;
  }
  if (end === stops.length) return { stops, omitted: null };
  return { stops: stops.slice(0, end), omitted: { rounds, stops: stops.length - end } };
}

function actionTitle(action: Action): string {
  if (action.op === 'raise') return `raise ${action.dev}${action.domain ? ` ${action.domain}` : ''}${action.index !== undefined ? ` #${action.index}` : ''}`;
  const a = action as { virq?: number; dev?: string; index?: number; cpu?: number };
  if (a.virq !== undefined) return `${action.op}(${a.virq})`;
  if (a.dev !== undefined) return `${action.op} ${a.dev}${a.index !== undefined ? ` #${a.index}` : ''}`;
  if (a.cpu !== undefined) return `${action.op}(${a.cpu})`;
  return action.op;
}

/** The first trace node named fn (pre-order), or null. */
function findCall(nodes: readonly TraceNode[], fn: string): TraceNode | null {
  for (const n of nodes) {
    if (n.fn === fn) return n;
    const hit = findCall(n.children, fn);
    if (hit) return hit;
  }
  return null;
}

/**
 * A raise that completes a deferred move (no remapping: IRQCHIP_MOVE_DEFERRED): irq_move_irq()
 * runs from the interrupt's ack path — the parked mask applied, the message rewritten, the new
 * vector, the old one kept until the first interrupt on the new one. As the trace has it.
 */
export function moveStops(trace: readonly TraceNode[], domains: readonly DomainView[]): Stop[] {
  const mv = findCall(trace, 'irq_move_irq');
  if (!mv) return [];
  const domain = treeDomain(mv.domain, domains);
  const applying = mv.effects.find((e) => /parked|affinity/.test(e)) ?? mv.effects[0] ?? 'the parked affinity change';
  const head: Stop = { kind: 'move', domain, fn: 'irq_move_irq', label: applying };
  const rest = mv.effects.filter((e) => e !== applying);
  if (rest.length) head.more = rest;
  if (mv.result?.startsWith('-E')) head.failed = true;
  return [head, ...callStops(mv.children, domains)];
}

/** What to animate for an action's result; null when it did not go through any domain. */
export function travelFor(action: Action, result: ResultView, domains: readonly DomainView[]): Travel | null {
  const hops = result.hops ?? [];
  if (hops.length > 0) {
    const stops = [...hopStops(hops), ...moveStops(result.trace, domains)];
    const countAt = stops.findIndex((s) => s.kind === 'handler');
    const virq = countAt >= 0 ? (stops[countAt].virq ?? null) : null;
    return { mode: 'hops', title: actionTitle(action), stops, omitted: null, virq, countAt };
  }
  const { stops, omitted } = firstRound(callStops(result.trace, domains));
  if (stops.length === 0) return null;
  return { mode: 'calls', title: actionTitle(action), stops, omitted, virq: null, countAt: -1 };
}

/** Short text for a stop's kind, as the caption and the tree badges print it. */
export const KIND_TEXT: Record<StopKind, string> = {
  device: 'device write', pending: 'pending', remap: 'IRTE', its: 'ITS', apic: 'APIC', cpu: 'CPU vector',
  handler: 'handler', lost: 'lost', fault: 'fault',
  alloc: 'alloc ↓', activate: 'activate ↑', compose: 'compose ↑', write: 'write ↑', affinity: 'affinity',
  mask: 'chip', deactivate: 'deactivate', free: 'free', move: 'deferred move',
};
