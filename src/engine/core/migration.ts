// Models kernel/irq/migration.c: deferred affinity changes applied from the interrupt's ack path.

import type { Kernel } from './kernel';
import { IRQD, type IrqData, irqd, irqdClear, irqdSet } from './irqdesc';
import { irqDoSetAffinity } from './chip';

/**
 * irq_move_irq(): with a move pending (IRQD_SETAFFINITY_PENDING), mask the interrupt, apply
 * the parked mask through the chip, unmask. Runs on the CPU the interrupt still arrives at.
 */
export function irqMoveIrq(d: IrqData, k: Kernel): void {
  const desc = k.descs.get(d.irq);
  if (!desc) return;
  const top = desc.irqData;
  if (!irqd(top, IRQD.SETAFFINITY_PENDING) || irqd(top, IRQD.IRQ_DISABLED)) return;
  k.t.enter('irq_move_irq', top.domain.name, 'kernel/irq/migration.c');
  const masked = irqd(top, IRQD.IRQ_MASKED);
  if (!masked) top.chip.irqMask?.(top, k);
  irqdClear(top, IRQD.SETAFFINITY_PENDING);
  const pending = top.common.pendingMask;
  if (pending.some((c) => k.cpuOnline(c))) {
    if (k.t.on) k.t.effect(`applying the parked affinity ${pending.join(',')} from the interrupt's ack path`);
    const ret = irqDoSetAffinity(top, k, pending, false);
    if (ret === -16) {
      irqdSet(top, IRQD.SETAFFINITY_PENDING);
      if (!masked) top.chip.irqUnmask?.(top, k);
      k.t.leaveWith('-EBUSY: stays pending');
      return;
    }
  }
  top.common.pendingMask = [];
  if (!masked) top.chip.irqUnmask?.(top, k);
  k.t.leaveWith();
}
