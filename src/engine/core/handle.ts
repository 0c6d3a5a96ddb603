// Models the flow handlers of kernel/irq/chip.c (handle_edge_irq, handle_fasteoi_irq) and
// kernel/irq/handle.c handle_irq_event(): what happens when an interrupt reaches its descriptor.

import type { Kernel } from './kernel';
import { IRQD, IRQS, type IrqDesc, irqd, kstatCounts } from './irqdesc';
import { maskIrq, unmaskIrq } from './chip';
import { IRQ_HANDLED, IRQ_NONE, noteInterrupt } from './spurious';

function kstatIncr(desc: IrqDesc, cpu: number): void {
  kstatCounts(desc)[cpu]++;
}

/**
 * handle_irq_event(): run every action; a handler answers IRQ_HANDLED or (a shared line whose
 * device did not interrupt) IRQ_NONE; then note_interrupt() counts the result.
 */
function handleIrqEvent(k: Kernel, desc: IrqDesc, cpu: number): void {
  desc.istate &= ~IRQS.PENDING;
  let ret = IRQ_NONE;
  for (const a of desc.action) {
    const mine = a.handler ? a.handler() : true;
    if (mine) {
      a.handled++;
      ret = IRQ_HANDLED;
    }
    if (k.t.on) k.t.effect(`handler "${a.name}" runs: ${mine ? 'IRQ_HANDLED' : 'IRQ_NONE (its device did not interrupt)'}`);
    if (k.t.on) k.hop({ stage: 'handler', domain: desc.irqData.domain.name, label: `handler "${a.name}" (irq ${desc.irq}) on CPU${cpu}${mine ? '' : ': IRQ_NONE'}`, cpu, virq: desc.irq });
  }
  noteInterrupt(k, desc, ret);
}

/** mask_ack_irq() */
function maskAckIrq(k: Kernel, desc: IrqDesc): void {
  maskIrq(desc, k);
  desc.irqData.chip.irqAck?.(desc.irqData, k);
}

/** handle_edge_irq() */
export function handleEdgeIrq(k: Kernel, desc: IrqDesc, cpu: number): void {
  const d = desc.irqData;
  k.t.enter('handle_edge_irq', d.domain.name, 'kernel/irq/chip.c');
  if (irqd(d, IRQD.IRQ_DISABLED) || !desc.action.length) {
    desc.istate |= IRQS.PENDING;
    if (k.t.on) {
      k.t.effect(desc.action.length
        ? 'interrupt is disabled: IRQS_PENDING set and the chip masked now (lazy disable); enable_irq() replays it'
        : 'no handler registered: IRQS_PENDING set, masked and acked; not counted');
    }
    desc.irqsUnhandled++;
    if (k.t.on) k.hop({ stage: 'lost', domain: d.domain.name, label: desc.action.length ? `irq ${desc.irq} disabled: pending, replayed at enable_irq()` : `irq ${desc.irq} has no handler: pending`, cpu, virq: desc.irq });
    maskAckIrq(k, desc);
    k.t.leaveWith();
    return;
  }
  kstatIncr(desc, cpu);
  if (k.t.on) k.t.effect(`kstat_irqs[CPU${cpu}] of irq ${desc.irq} is now ${desc.kstat[cpu]}`);
  d.chip.irqAck?.(d, k);
  do {
    if (desc.istate & IRQS.PENDING && !irqd(d, IRQD.IRQ_DISABLED) && irqd(d, IRQD.IRQ_MASKED)) unmaskIrq(desc, k);
    handleIrqEvent(k, desc, cpu);
  } while (desc.istate & IRQS.PENDING && !irqd(d, IRQD.IRQ_DISABLED));
  k.t.leaveWith();
}

/** handle_fasteoi_irq() */
export function handleFasteoiIrq(k: Kernel, desc: IrqDesc, cpu: number): void {
  const d = desc.irqData;
  k.t.enter('handle_fasteoi_irq', d.domain.name, 'kernel/irq/chip.c');
  desc.istate &= ~(IRQS.REPLAY | IRQS.WAITING);
  if (!desc.action.length || irqd(d, IRQD.IRQ_DISABLED)) {
    desc.istate |= IRQS.PENDING;
    desc.irqsUnhandled++;
    if (k.t.on) k.hop({ stage: 'lost', domain: d.domain.name, label: desc.action.length ? `irq ${desc.irq} disabled: pending` : `irq ${desc.irq} has no handler: pending`, cpu, virq: desc.irq });
    if (k.t.on) k.t.effect(desc.action.length ? 'interrupt is disabled: IRQS_PENDING set, masked' : 'no handler registered: IRQS_PENDING set, masked');
    maskIrq(desc, k);
    d.chip.irqEoi?.(d, k);
    k.t.leaveWith();
    return;
  }
  kstatIncr(desc, cpu);
  if (k.t.on) k.t.effect(`kstat_irqs[CPU${cpu}] of irq ${desc.irq} is now ${desc.kstat[cpu]}`);
  handleIrqEvent(k, desc, cpu);
  d.chip.irqEoi?.(d, k);
  k.t.leaveWith();
}

/** generic_handle_irq_desc(): dispatch to the descriptor's flow handler. */
export function genericHandleIrqDesc(k: Kernel, desc: IrqDesc, cpu: number): void {
  if (desc.handleIrq === 'handle_fasteoi_irq') handleFasteoiIrq(k, desc, cpu);
  else if (desc.handleIrq === 'handle_edge_irq') handleEdgeIrq(k, desc, cpu);
  else {
    k.t.enter('handle_bad_irq', desc.irqData.domain.name, 'kernel/irq/handle.c');
    desc.irqsUnhandled++;
    k.t.leaveWith();
  }
}
