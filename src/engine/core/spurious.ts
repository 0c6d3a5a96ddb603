// Models kernel/irq/spurious.c: note_interrupt(), the detector for an interrupt nobody claims
// ("irq %d: nobody cared", then "Disabling IRQ #%d" after 99,900 unhandled of 100,000).

import type { Kernel } from './kernel';
import { IRQS, type IrqDesc } from './irqdesc';
import { irqDisable } from './chip';

/** irqreturn_t (include/linux/irqreturn.h). */
export const IRQ_NONE = 0;
export const IRQ_HANDLED = 1;

/** note_interrupt() looks at the unhandled count every this many interrupts... */
export const SPURIOUS_WINDOW = 100_000;
/** ...and disables the line when more than this many of them were unhandled. */
export const SPURIOUS_LIMIT = 99_900;

/** A stable stand-in for the hashed %p pointer the kernel prints before each handler. */
function hashedPtr(sym: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < sym.length; i++) h = Math.imul(h ^ sym.charCodeAt(i), 0x01000193) >>> 0;
  return `00000000${h.toString(16).padStart(8, '0')}`;
}

/** __report_bad_irq(): the message, (dump_stack()), and the list of handlers on the line. */
function reportBadIrq(k: Kernel, desc: IrqDesc): void {
  k.t.enter('__report_bad_irq', desc.irqData.domain.name, 'kernel/irq/spurious.c');
  k.log('err', `irq ${desc.irq}: nobody cared (try booting with the "irqpoll" option)`);
  if (k.t.on) k.t.effect('dump_stack(): the call trace of the interrupt (not modelled)');
  k.log('err', 'handlers:');
  for (const a of desc.action) {
    const sym = a.fn ?? a.name;
    k.log('err', `[<${hashedPtr(sym)}>] ${sym}`);
  }
  k.t.leaveWith();
}

/**
 * note_interrupt(): called after the handlers of an interrupt ran (handle_irq_event). Counts
 * the unhandled interrupts and, once there is one, every interrupt; at each 100,000th, more than 99,900
 * unhandled means the line is stuck: report it and disable it for good (IRQS_SPURIOUS_DISABLED,
 * depth++, irq_disable()). The kernel also restarts the unhandled count when the previous
 * unhandled interrupt is more than HZ/10 old; the model's storms are one burst, so it never does.
 */
export function noteInterrupt(k: Kernel, desc: IrqDesc, ret: number): void {
  if (desc.istate & IRQS.POLL_INPROGRESS) return;
  if (ret !== IRQ_HANDLED) desc.noteUnhandled = (desc.noteUnhandled ?? 0) + 1;
  // "if (likely(!desc->irqs_unhandled)) return;": the window counts only from the first
  // unhandled interrupt on (handled ones before it do not bring the 100,000th closer).
  if (!desc.noteUnhandled) return;
  desc.irqCount = (desc.irqCount ?? 0) + 1;
  if (desc.irqCount < SPURIOUS_WINDOW) return;
  k.t.enter('note_interrupt', desc.irqData.domain.name, 'kernel/irq/spurious.c');
  const unhandled = desc.noteUnhandled ?? 0;
  if (k.t.on) k.t.effect(`${SPURIOUS_WINDOW} interrupts on irq ${desc.irq}, ${unhandled} of them unhandled`);
  desc.irqCount = 0;
  if (unhandled > SPURIOUS_LIMIT) {
    reportBadIrq(k, desc);
    k.log('emerg', `Disabling IRQ #${desc.irq}`);
    desc.istate |= IRQS.SPURIOUS_DISABLED;
    desc.depth++;
    irqDisable(desc, k);
    if (k.t.on) k.t.effect('IRQS_SPURIOUS_DISABLED; the spurious poll timer is armed (irqpoll would poll the line)');
  }
  desc.noteUnhandled = 0;
  k.t.leaveWith();
}
