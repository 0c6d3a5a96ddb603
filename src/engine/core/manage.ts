// Models kernel/irq/manage.c (request_irq, free_irq, disable_irq, enable_irq, irq_set_affinity)
// and the user-space affinity write of kernel/irq/proc.c (write_irq_affinity).

import { EBUSY, EINVAL, ENOSYS } from './errno';
import type { Kernel } from './kernel';
import { IRQD, type IrqDesc, irqd, irqdSet } from './irqdesc';
import {
  IRQCHIP, chipBusLock, chipBusSyncUnlock, irqDoSetAffinity, irqShutdownAndDeactivate, irqStartup,
  maskIrq, noIrqChip, unmaskIrq,
} from './chip';
import { irqDomainActivateIrq } from './irqdomain';
import { formatCpuList } from './cpumask';
import type { IrqfName } from '../types';

/** _IRQ_* settings (include/linux/irq.h). */
export const IRQ_SETTINGS = { NOPROBE: 1 << 10, NOREQUEST: 1 << 11, NOAUTOEN: 1 << 12 } as const;

/** IRQF_* request flags (include/linux/interrupt.h). */
export const IRQF = {
  TRIGGER_RISING: 0x1, TRIGGER_FALLING: 0x2, TRIGGER_HIGH: 0x4, TRIGGER_LOW: 0x8, TRIGGER_MASK: 0xf,
  SHARED: 0x80, PROBE_SHARED: 0x100, TIMER: 0x200 | 0x4000 | 0x10000, PERCPU: 0x400, NOBALANCING: 0x800, IRQPOLL: 0x1000,
  ONESHOT: 0x2000, NO_THREAD: 0x10000,
} as const;

/** The request_irq flags a scenario may name (IrqfName in types.ts), by name. */
export const IRQF_BY_NAME: Readonly<Record<IrqfName, number>> = {
  IRQF_SHARED: IRQF.SHARED, IRQF_PROBE_SHARED: IRQF.PROBE_SHARED, IRQF_ONESHOT: IRQF.ONESHOT,
  IRQF_TRIGGER_RISING: IRQF.TRIGGER_RISING, IRQF_TRIGGER_FALLING: IRQF.TRIGGER_FALLING,
  IRQF_TRIGGER_HIGH: IRQF.TRIGGER_HIGH, IRQF_TRIGGER_LOW: IRQF.TRIGGER_LOW,
  IRQF_NOBALANCING: IRQF.NOBALANCING, IRQF_NO_THREAD: IRQF.NO_THREAD,
};

/** The flags word of a list of IRQF_* names. */
export function irqfFromNames(names: readonly IrqfName[] | undefined): number {
  let f = 0;
  for (const n of names ?? []) f |= IRQF_BY_NAME[n] ?? 0;
  return f;
}

/** Who a handler serves, and how it answers (an ISR that checks its device), for request_irq(). */
export interface IrqHandlerSpec {
  /** Request flags; IRQF_SHARED lets several handlers share the interrupt. */
  flags?: number;
  /** dev_id: the cookie free_irq() names the handler by (defaults to the name). */
  devId?: string;
  /** The handler: true = IRQ_HANDLED, false = IRQ_NONE (its device did not interrupt). */
  handler?: () => boolean;
  /** The handler's symbol, as "nobody cared" lists it (nvme_irq, pcie_pme_irq…). */
  fn?: string;
}

/**
 * The sharing rules of __setup_irq() (kernel/irq/manage.c, 6.1 to 7.2): both handlers have
 * IRQF_SHARED, the trigger type the line was set to (or, never set, the newcomer's own) equals
 * the newcomer's IRQF_TRIGGER_* bits, they agree on IRQF_ONESHOT and IRQF_PERCPU. The reason, or
 * null. `setType` is the trigger type to record when the line had none (irqd_set_trigger_type()).
 */
function sharingMismatch(desc: IrqDesc, flags: number): { why: string | null; setType: number | null } {
  const d = desc.irqData;
  const old = desc.action[0];
  let oldtype: number;
  let setType: number | null = null;
  if (irqd(d, IRQD.DEFAULT_TRIGGER_SET)) oldtype = d.common.state & IRQD.TRIGGER_MASK;
  else oldtype = setType = flags & IRQF.TRIGGER_MASK;
  if (!(old.flags & flags & IRQF.SHARED)) {
    return { why: `${flags & IRQF.SHARED ? `"${old.name}" did not` : 'the new handler does not'} pass IRQF_SHARED`, setType };
  }
  if (oldtype !== (flags & IRQF.TRIGGER_MASK)) {
    return { why: `the line's trigger type is 0x${oldtype.toString(16)}, the new handler asks for 0x${(flags & IRQF.TRIGGER_MASK).toString(16)} (IRQF_TRIGGER_*)`, setType };
  }
  if ((old.flags ^ flags) & IRQF.ONESHOT) return { why: 'the handlers do not agree on IRQF_ONESHOT', setType };
  if ((old.flags ^ flags) & IRQF.PERCPU) return { why: 'the handlers do not agree on IRQF_PERCPU', setType };
  return { why: null, setType };
}

/** request_irq() → __setup_irq(): activate (real vector on x86), then start the interrupt. */
export function requestIrq(k: Kernel, desc: IrqDesc, name: string, spec: IrqHandlerSpec = {}): number {
  const d = desc.irqData;
  let flags = spec.flags ?? 0;
  k.t.enter('request_irq', d.domain.name, 'kernel/irq/manage.c');
  // __setup_irq() → register_irq_proc(): the /proc/irq/N directory stays until the descriptor goes.
  desc.procDir = true;
  if (d.chip === noIrqChip) return k.t.leave(-ENOSYS);
  if (desc.status & IRQ_SETTINGS.NOREQUEST) return k.t.leave(-EINVAL);
  // "if (desc->irq_data.chip->flags & IRQCHIP_ONESHOT_SAFE) new->flags &= ~IRQF_ONESHOT;"
  if (flags & IRQF.ONESHOT && d.chip.flags & IRQCHIP.ONESHOT_SAFE) {
    flags &= ~IRQF.ONESHOT;
    if (k.t.on) k.t.effect(`chip ${d.chip.name} is IRQCHIP_ONESHOT_SAFE: IRQF_ONESHOT dropped`);
  }
  if (desc.action.length) {
    const old = desc.action[0];
    const { why, setType } = sharingMismatch(desc, flags);
    if (why) {
      if (k.t.on) k.t.effect(`cannot share irq ${desc.irq}: ${why}`);
      // IRQF_PROBE_SHARED: the caller expects a mismatch, so no message.
      if (!(flags & IRQF.PROBE_SHARED)) {
        const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
        k.log('err', `genirq: Flags mismatch irq ${desc.irq}. ${hex8(flags)} (${name}) vs. ${hex8(old.flags)} (${old.name})`);
      }
      // (The kernel has already recorded the newcomer's trigger type on a line that had none; a
      // refused call changes nothing here.)
      return k.t.leave(-EBUSY);
    }
    if (setType !== null) {
      // "If nobody did set the configuration before, inherit the one provided by the requester."
      d.common.state = (d.common.state & ~IRQD.TRIGGER_MASK) | setType | IRQD.DEFAULT_TRIGGER_SET;
      if (k.t.on) k.t.effect(`irqd_set_trigger_type(0x${setType.toString(16)}): the line takes the trigger type of "${name}"`);
    }
    // A shared interrupt is already set up and started: the handler is only added to the list.
    desc.action.push({ name, devId: spec.devId ?? name, flags, handled: 0, handler: spec.handler, fn: spec.fn });
    if (k.t.on) k.t.effect(`irq ${desc.irq} "${name}" added to the shared handlers (${desc.action.map((a) => a.name).join(', ')})`);
    return k.t.leave(0);
  }
  k.t.enter('__setup_irq', d.domain.name, 'kernel/irq/manage.c');
  if (flags & IRQF.TRIGGER_MASK && k.t.on) {
    // __irq_set_trigger(): no model chip has irq_set_type ("No set_type function for IRQ %d", pr_debug).
    k.t.effect(`IRQF_TRIGGER_* 0x${(flags & IRQF.TRIGGER_MASK).toString(16)}: chip ${d.chip.name} has no irq_set_type, the trigger stays as the hardware is set up`);
  }
  if (flags & IRQF.NOBALANCING) {
    // irq_settings_set_no_balancing(): the affinity stays as it is (the timer keeps CPU0's vector).
    irqdSet(d, IRQD.NO_BALANCING);
    if (k.t.on) k.t.effect('IRQF_NOBALANCING: IRQD_NO_BALANCING set, the affinity is left alone');
  }
  chipBusLock(desc, k);
  const ret = irqDomainActivateIrq(k, d, false);
  if (ret) {
    chipBusSyncUnlock(desc, k);
    k.t.leave(ret);
    return k.t.leave(ret);
  }
  desc.action.push({ name, devId: spec.devId ?? name, flags, handled: 0, handler: spec.handler, fn: spec.fn });
  if (!(desc.status & IRQ_SETTINGS.NOAUTOEN)) irqStartup(desc, k, true, false);
  chipBusSyncUnlock(desc, k);
  k.t.leave(0);
  if (k.t.on) k.t.effect(`irq ${desc.irq} "${name}" requested`);
  return k.t.leave(0);
}

/** free_irq(): remove the handler; the last one shuts the interrupt down and deactivates it. */
export function freeIrq(k: Kernel, desc: IrqDesc, devId?: string): number {
  const d = desc.irqData;
  k.t.enter('free_irq', d.domain.name, 'kernel/irq/manage.c');
  // The handler named by dev_id (the last one when the caller names none).
  const at = devId === undefined ? desc.action.length - 1 : desc.action.findIndex((a) => a.devId === devId);
  if (at < 0) {
    k.log('warn', `WARNING: Trying to free already-free IRQ ${desc.irq}`);
    return k.t.leave(-EINVAL);
  }
  // __free_irq() holds the bus lock twice (shutdown, then deactivate); one window here.
  chipBusLock(desc, k);
  desc.action.splice(at, 1);
  if (!desc.action.length) irqShutdownAndDeactivate(desc, k);
  chipBusSyncUnlock(desc, k);
  return k.t.leave(0);
}

/** disable_irq(): depth++, the first one disables (lazily: no mask until the next interrupt). */
export function disableIrq(k: Kernel, desc: IrqDesc): number {
  k.t.enter('disable_irq', desc.irqData.domain.name, 'kernel/irq/manage.c');
  chipBusLock(desc, k);
  if (!desc.depth++) {
    irqdSet(desc.irqData, IRQD.IRQ_DISABLED);
    if (k.t.on) k.t.effect('lazy disable: IRQD_IRQ_DISABLED set, the chip stays unmasked until an interrupt arrives');
  }
  if (k.t.on) k.t.effect(`depth ${desc.depth}`);
  chipBusSyncUnlock(desc, k);
  return k.t.leave(0);
}

/** enable_irq(): depth--, going 1 → 0 restarts the interrupt and replays a pending edge. */
export function enableIrq(k: Kernel, desc: IrqDesc): number {
  k.t.enter('enable_irq', desc.irqData.domain.name, 'kernel/irq/manage.c');
  chipBusLock(desc, k);
  if (desc.depth === 0) {
    // enable_irq() returns void: an unbalanced call only WARNs (the bus unlock still runs).
    k.log('warn', `WARNING: Unbalanced enable for IRQ ${desc.irq}`);
    chipBusSyncUnlock(desc, k);
    return k.t.leave(0);
  }
  if (desc.depth === 1) {
    desc.status |= IRQ_SETTINGS.NOPROBE;
    irqStartup(desc, k, true, true);
  } else {
    desc.depth--;
  }
  if (k.t.on) k.t.effect(`depth ${desc.depth}`);
  chipBusSyncUnlock(desc, k);
  return k.t.leave(0);
}

/** Chip-level mask/unmask, as a driver or debugger poking the chip directly. */
export function chipMask(k: Kernel, desc: IrqDesc, mask: boolean): number {
  k.t.enter(mask ? 'mask_irq' : 'unmask_irq', desc.irqData.domain.name, 'kernel/irq/chip.c');
  if (mask) maskIrq(desc, k);
  else unmaskIrq(desc, k);
  return k.t.leave(0);
}

/** irq_can_move_in_process_context(): false for chips that move only from the ack path. */
function canMoveInProcessContext(desc: IrqDesc): boolean {
  return !(desc.irqData.chip.flags & IRQCHIP.MOVE_DEFERRED);
}

/** irq_set_affinity_locked() */
export function irqSetAffinityLocked(k: Kernel, desc: IrqDesc, mask: readonly number[]): number {
  const d = desc.irqData;
  if (!d.chip.irqSetAffinity) return -EINVAL;
  // irq_set_affinity_deactivated(): an inactive interrupt just remembers the mask.
  if (!irqd(d, IRQD.ACTIVATED) && irqd(d, IRQD.AFFINITY_ON_ACTIVATE)) {
    d.common.affinity = [...mask];
    d.common.effectiveAffinity = [...mask];
    irqdSet(d, IRQD.AFFINITY_SET);
    if (k.t.on) k.t.effect('not activated: the mask is stored and used at activation');
    return 0;
  }
  let ret = 0;
  if (canMoveInProcessContext(desc) && !irqd(d, IRQD.SETAFFINITY_PENDING)) {
    ret = irqDoSetAffinity(d, k, mask, false);
    if (ret > 0) ret = 0;
  } else {
    irqdSet(d, IRQD.SETAFFINITY_PENDING);
    d.common.pendingMask = [...mask];
    if (k.t.on) k.t.effect(`IRQCHIP_MOVE_DEFERRED: the move to ${formatCpuList(mask)} is parked (IRQD_SETAFFINITY_PENDING) until the next interrupt arrives`);
  }
  irqdSet(d, IRQD.AFFINITY_SET);
  return ret;
}

/**
 * The user writes /proc/irq/N/smp_affinity (write_irq_affinity): interrupts user space may not
 * move refuse (-EIO in 6.1, -EPERM since: KernelProfile.procAffinityRefused); a mask without an
 * online CPU is refused with -EINVAL (irq_select_affinity_usr() without CONFIG_AUTO_IRQ_AFFINITY,
 * which x86 and arm64 do not set). On success it returns the bytes written (kernel/irq/proc.c:
 * "if (!err) err = count").
 */
export function writeIrqAffinity(k: Kernel, desc: IrqDesc, mask: readonly number[]): number {
  const d = desc.irqData;
  k.t.enter('write_irq_affinity', d.domain.name, 'kernel/irq/proc.c');
  if (irqd(d, IRQD.AFFINITY_MANAGED) || irqd(d, IRQD.PER_CPU) || irqd(d, IRQD.NO_BALANCING) || !d.chip.irqSetAffinity) {
    if (k.t.on) k.t.effect(irqd(d, IRQD.AFFINITY_MANAGED) ? 'managed interrupt: its affinity belongs to the kernel (irq_can_set_affinity_usr() is false)' : 'this interrupt cannot be balanced');
    return k.t.leave(k.profile.procAffinityRefused);
  }
  if (!mask.some((c) => k.cpuOnline(c))) {
    if (k.t.on) k.t.effect('no online CPU in the mask: irq_select_affinity_usr() refuses it (the interrupt is placed on an online CPU already)');
    return k.t.leave(-EINVAL);
  }
  const err = irqSetAffinity(k, desc, mask);
  if (err) return k.t.leave(err);
  // ssize_t: the bytes written on success. The written text is taken to be the mask in the "%*pbl"
  // form with echo's newline ("0-3\n": 4 bytes), as `echo 0-3 > smp_affinity_list` writes it.
  const count = formatCpuList(mask).length + 1;
  if (k.t.on) k.t.effect(`irq_set_affinity() = 0: returns count, the ${count} bytes of "${formatCpuList(mask)}\\n"`);
  return k.t.leave(count);
}

/** irq_set_affinity(): the in-kernel call; managed interrupts are moved as well. */
export function irqSetAffinity(k: Kernel, desc: IrqDesc, mask: readonly number[]): number {
  k.t.enter('irq_set_affinity', desc.irqData.domain.name, 'kernel/irq/manage.c');
  return k.t.leave(irqSetAffinityLocked(k, desc, mask));
}
