// Models include/linux/irq.h, include/linux/irqdesc.h and kernel/irq/irqdesc.c:
// irq_desc, irq_data (one per hierarchy level), irq_common_data and the virq number space.

import type { IrqChip } from './chip';
import type { IrqDomain } from './irqdomain';
import type { MsiDesc } from '../msi/msidesc';

/** IRQD_* state bits in irq_common_data::state_use_accessors (include/linux/irq.h, current numbering). */
export const IRQD = {
  TRIGGER_MASK: 0xf,
  SETAFFINITY_PENDING: 1 << 8,
  ACTIVATED: 1 << 9,
  NO_BALANCING: 1 << 10,
  PER_CPU: 1 << 11,
  AFFINITY_SET: 1 << 12,
  LEVEL: 1 << 13,
  WAKEUP_STATE: 1 << 14,
  IRQ_DISABLED: 1 << 16,
  IRQ_MASKED: 1 << 17,
  IRQ_INPROGRESS: 1 << 18,
  WAKEUP_ARMED: 1 << 19,
  FORWARDED_TO_VCPU: 1 << 20,
  AFFINITY_MANAGED: 1 << 21,
  IRQ_STARTED: 1 << 22,
  MANAGED_SHUTDOWN: 1 << 23,
  SINGLE_TARGET: 1 << 24,
  DEFAULT_TRIGGER_SET: 1 << 25,
  CAN_RESERVE: 1 << 26,
  HANDLE_ENFORCE_IRQCTX: 1 << 27,
  AFFINITY_ON_ACTIVATE: 1 << 28,
  IRQ_ENABLED_ON_SUSPEND: 1 << 29,
  RESEND_WHEN_IN_PROGRESS: 1 << 30,
} as const;

/** IRQ_TYPE_* trigger values kept in the low bits of the state word. */
export const IRQ_TYPE = { NONE: 0, EDGE_RISING: 1, EDGE_FALLING: 2, LEVEL_HIGH: 4, LEVEL_LOW: 8 } as const;

/** IRQS_* bits of irq_desc::istate (kernel/irq/internals.h). */
export const IRQS = {
  AUTODETECT: 0x1,
  SPURIOUS_DISABLED: 0x2,
  POLL_INPROGRESS: 0x8,
  ONESHOT: 0x20,
  REPLAY: 0x40,
  WAITING: 0x80,
  PENDING: 0x200,
  SUSPENDED: 0x800,
  TIMINGS: 0x1000,
  NMI: 0x2000,
  SYSFS: 0x4000,
} as const;

/** State shared by all levels of one interrupt (struct irq_common_data). */
export interface IrqCommonData {
  state: number;
  /** The requested affinity, as a sorted CPU list (shared: replaced, never mutated). */
  affinity: readonly number[];
  /** The CPU(s) the interrupt is really routed to. */
  effectiveAffinity: readonly number[];
  /** Affinity parked by a deferred move (IRQD_SETAFFINITY_PENDING; debugfs "pending:"). */
  pendingMask: readonly number[];
  msiDesc: MsiDesc | null;
  node: number;
}

/** One level of the hierarchy for one interrupt (struct irq_data). */
export interface IrqData {
  irq: number;
  hwirq: number;
  domain: IrqDomain;
  chip: IrqChip;
  /** Per-level private data of the domain (apic_chip_data, IRTE info, …). */
  chipData: unknown;
  parentData: IrqData | null;
  common: IrqCommonData;
}

/** A registered handler (struct irqaction); the name is what /proc/interrupts prints. */
export interface IrqAction {
  name: string;
  devId: string;
  flags: number;
  /** How many interrupts this handler has run for. */
  handled: number;
  /**
   * The handler itself: true = IRQ_HANDLED, false = IRQ_NONE (a shared INTx line whose device
   * did not interrupt). Absent: the handler always handles (a dedicated MSI vector).
   */
  handler?: () => boolean;
  /** The handler's symbol (nvme_irq, pcie_pme_irq…), for the "nobody cared" handler list. */
  fn?: string;
}

/** struct irq_desc. `irqData` is the top level (the descriptor's embedded irq_data). */
export interface IrqDesc {
  irq: number;
  irqData: IrqData;
  depth: number;
  wakeDepth: number;
  istate: number;
  /** _IRQ_* settings (status_use_accessors). */
  status: number;
  /** Flow handler: "handle_edge_irq" or "handle_fasteoi_irq". */
  handleIrq: string;
  /** Flow name shown after the hwirq in /proc/interrupts ("edge", "fasteoi"). */
  name: string;
  action: IrqAction[];
  devName: string;
  /**
   * Per-CPU interrupt counts (kstat_irqs), one per possible CPU: a shared frozen row of zeros
   * (`zeroCounts`) until the descriptor first counts (`kstatCounts` copies it) — most never do.
   */
  kstat: readonly number[];
  /** Interrupts that arrived with no handler or while disabled and were not replayed. */
  irqsUnhandled: number;
  /** note_interrupt()'s desc->irq_count: interrupts with a handler since the last 100,000 mark. */
  irqCount?: number;
  /** note_interrupt()'s desc->irqs_unhandled: of those, how many no handler claimed (IRQ_NONE). */
  noteUnhandled?: number;
  /**
   * /proc/irq/N exists (register_irq_proc): for every descriptor present at init_irq_proc() in
   * boot, and for any other once a handler was requested on it.
   */
  procDir?: boolean;
}

const zeroRows = new Map<number, readonly number[]>();

/** A frozen row of `nrCpus` zeros, shared by every descriptor that has not counted yet. */
export function zeroCounts(nrCpus: number): readonly number[] {
  let row = zeroRows.get(nrCpus);
  if (!row) zeroRows.set(nrCpus, (row = Object.freeze(new Array<number>(nrCpus).fill(0))));
  return row;
}

/** The descriptor's own per-CPU counts, to write: copied from the shared zeros on first use. */
export function kstatCounts(desc: IrqDesc): number[] {
  if (Object.isFrozen(desc.kstat)) desc.kstat = desc.kstat.slice();
  return desc.kstat as number[];
}

/** Is the descriptor's top-level state word carrying `bit`? */
export function irqd(d: IrqData, bit: number): boolean {
  return (d.common.state & bit) !== 0;
}
export function irqdSet(d: IrqData, bit: number): void {
  d.common.state |= bit;
}
export function irqdClear(d: IrqData, bit: number): void {
  d.common.state &= ~bit;
}

/**
 * The allocated-virq bitmap (kernel/irq/irqdesc.c allocated_irqs) with the kernel's
 * first-fit search for `cnt` consecutive free numbers at or above `from`.
 */
export class VirqSpace {
  private words: Uint32Array;
  constructor(readonly nrIrqs: number) {
    this.words = new Uint32Array((nrIrqs + 31) >>> 5);
  }
  isSet(irq: number): boolean {
    return (this.words[irq >>> 5] & (1 << (irq & 31))) !== 0;
  }
  set(irq: number, cnt: number): void {
    for (let i = irq; i < irq + cnt; i++) this.words[i >>> 5] |= 1 << (i & 31);
  }
  clear(irq: number, cnt: number): void {
    for (let i = irq; i < irq + cnt; i++) this.words[i >>> 5] &= ~(1 << (i & 31));
  }
  /** bitmap_find_next_zero_area(): first `cnt` free consecutive numbers from `from`, or -1. */
  findArea(from: number, cnt: number): number {
    let start = from;
    while (start + cnt <= this.nrIrqs) {
      // Skip whole full words quickly.
      const w = start >>> 5;
      if ((start & 31) === 0 && this.words[w] === 0xffffffff) {
        start += 32;
        continue;
      }
      if (this.isSet(start)) {
        start++;
        continue;
      }
      let len = 1;
      while (len < cnt && !this.isSet(start + len)) len++;
      if (len === cnt) return start;
      start += len + 1;
    }
    return -1;
  }
}
