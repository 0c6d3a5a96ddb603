// Models include/linux/irq.h struct irq_chip and the chip-level core of kernel/irq/chip.c:
// startup, shutdown, enable, disable, mask, unmask, and the *_parent helpers of hierarchies.

import type { Kernel } from './kernel';
import { onlineAnd } from './cpumask';
import { IRQD, type IrqData, type IrqDesc, irqd, irqdClear, irqdSet } from './irqdesc';
import { irqDomainActivateIrq, irqDomainDeactivateIrq } from './irqdomain';

/** IRQCHIP_* flags (include/linux/irq.h). */
export const IRQCHIP = {
  SET_TYPE_MASKED: 0x1,
  EOI_IF_HANDLED: 0x2,
  MASK_ON_SUSPEND: 0x4,
  ONOFFLINE_ENABLED: 0x8,
  SKIP_SET_WAKE: 0x10,
  ONESHOT_SAFE: 0x20,
  EOI_THREADED: 0x40,
  SUPPORTS_LEVEL_MSI: 0x80,
  SUPPORTS_NMI: 0x100,
  ENABLE_WAKEUP_ON_SUSPEND: 0x200,
  AFFINITY_PRE_STARTUP: 0x400,
  IMMUTABLE: 0x800,
  MOVE_DEFERRED: 0x1000,
} as const;

/** Return values of irq_chip::irq_set_affinity (include/linux/irq.h). */
export const IRQ_SET_MASK_OK = 0;
export const IRQ_SET_MASK_OK_NOCOPY = 1;
export const IRQ_SET_MASK_OK_DONE = 2;

/** struct msi_msg: what a device writes, and where. */
export interface MsiMsg {
  addressLo: number;
  addressHi: number;
  data: number;
}

/**
 * struct irq_chip. Callbacks get the irq_data of their own level and the kernel state.
 * A missing callback means the kernel's NULL pointer: the core's default applies.
 */
export interface IrqChip {
  name: string;
  flags: number;
  irqStartup?(d: IrqData, k: Kernel): number;
  irqShutdown?(d: IrqData, k: Kernel): void;
  irqMask?(d: IrqData, k: Kernel): void;
  irqUnmask?(d: IrqData, k: Kernel): void;
  irqAck?(d: IrqData, k: Kernel): void;
  irqEoi?(d: IrqData, k: Kernel): void;
  irqSetAffinity?(d: IrqData, k: Kernel, mask: readonly number[], force: boolean): number;
  irqRetrigger?(d: IrqData, k: Kernel): number;
  irqComposeMsiMsg?(d: IrqData, k: Kernel, msg: MsiMsg): void;
  irqWriteMsiMsg?(d: IrqData, k: Kernel, msg: MsiMsg): void;
  /** Slow-bus chips (IMS in queue memory): the lock/unlock window around changes. */
  irqBusLock?(d: IrqData, k: Kernel): void;
  irqBusSyncUnlock?(d: IrqData, k: Kernel): void;
}

/** The chip of a level that has none yet (no_irq_chip). */
export const noIrqChip: IrqChip = { name: 'none', flags: 0 };

// ---- *_parent helpers (kernel/irq/chip.c) ----

export function irqChipMaskParent(d: IrqData, k: Kernel): void {
  const p = d.parentData;
  if (p?.chip.irqMask) p.chip.irqMask(p, k);
}
export function irqChipUnmaskParent(d: IrqData, k: Kernel): void {
  const p = d.parentData;
  if (p?.chip.irqUnmask) p.chip.irqUnmask(p, k);
}
export function irqChipAckParent(d: IrqData, k: Kernel): void {
  const p = d.parentData;
  if (p?.chip.irqAck) p.chip.irqAck(p, k);
}
/** irq_chip_set_affinity_parent(): forward to the next level that implements it. */
export function irqChipSetAffinityParent(d: IrqData, k: Kernel, mask: readonly number[], force: boolean): number {
  const p = d.parentData;
  if (p?.chip.irqSetAffinity) return p.chip.irqSetAffinity(p, k, mask, force);
  return -38; // -ENOSYS
}
/** irq_chip_retrigger_hierarchy(): the first parent level with a retrigger callback resends. */
export function irqChipRetriggerHierarchy(d: IrqData, k: Kernel): number {
  for (let p = d.parentData; p; p = p.parentData) {
    if (p.chip.irqRetrigger) return p.chip.irqRetrigger(p, k);
  }
  return 0;
}

/** irq_chip_compose_msi_msg(): the first level from the top that can compose writes the message. */
export function irqChipComposeMsiMsg(d: IrqData, k: Kernel, msg: MsiMsg): number {
  let pos: IrqData | null = null;
  for (let p: IrqData | null = d; p && !pos; p = p.parentData) if (p.chip.irqComposeMsiMsg) pos = p;
  if (!pos) return -38;
  pos.chip.irqComposeMsiMsg!(pos, k, msg);
  return 0;
}

// ---- slow-bus chips (kernel/irq/internals.h chip_bus_lock / chip_bus_sync_unlock) ----

/**
 * chip_bus_lock(): open the chip's bus-lock window (irq_bus_lock), taken by request_irq,
 * free_irq, disable_irq and enable_irq. Chips without the callback: nothing, no trace.
 */
export function chipBusLock(desc: IrqDesc, k: Kernel): void {
  const d = desc.irqData;
  if (!d.chip.irqBusLock) return;
  k.t.enter('chip_bus_lock', d.domain.name, 'kernel/irq/internals.h');
  d.chip.irqBusLock(d, k);
  k.t.leaveWith();
}

/** chip_bus_sync_unlock(): irq_bus_sync_unlock must make what was recorded effective. */
export function chipBusSyncUnlock(desc: IrqDesc, k: Kernel): void {
  const d = desc.irqData;
  if (!d.chip.irqBusSyncUnlock) return;
  k.t.enter('chip_bus_sync_unlock', d.domain.name, 'kernel/irq/internals.h');
  d.chip.irqBusSyncUnlock(d, k);
  k.t.leaveWith();
}

// ---- chip-level state changes on a descriptor (kernel/irq/chip.c) ----

/** mask_irq() */
export function maskIrq(desc: IrqDesc, k: Kernel): void {
  const d = desc.irqData;
  if (irqd(d, IRQD.IRQ_MASKED)) return;
  if (d.chip.irqMask) {
    k.t.enter('mask_irq', d.domain.name, 'kernel/irq/chip.c');
    d.chip.irqMask(d, k);
    irqdSet(d, IRQD.IRQ_MASKED);
    k.t.leaveWith();
  }
}

/** unmask_irq() */
export function unmaskIrq(desc: IrqDesc, k: Kernel): void {
  const d = desc.irqData;
  if (!irqd(d, IRQD.IRQ_MASKED)) return;
  if (d.chip.irqUnmask) {
    k.t.enter('unmask_irq', d.domain.name, 'kernel/irq/chip.c');
    d.chip.irqUnmask(d, k);
    irqdClear(d, IRQD.IRQ_MASKED);
    k.t.leaveWith();
  }
}

/** irq_enable(): clear DISABLED and unmask. */
export function irqEnable(desc: IrqDesc, k: Kernel): void {
  irqdClear(desc.irqData, IRQD.IRQ_DISABLED);
  unmaskIrq(desc, k);
}

/**
 * irq_disable(): lazy disable. Only the DISABLED state is set; the chip is masked when the
 * next interrupt arrives (handle_edge_irq marks it pending and masks then).
 */
export function irqDisable(desc: IrqDesc, k: Kernel): void {
  irqdSet(desc.irqData, IRQD.IRQ_DISABLED);
  if (k.t.on) k.t.effect('lazy disable: IRQD_IRQ_DISABLED set, chip left unmasked until the next interrupt');
}

/** __irq_startup(): activate, then enable (unmask) the top chip. */
function irqStartupInner(desc: IrqDesc, k: Kernel): number {
  const d = desc.irqData;
  const ret = irqDomainActivateIrq(k, d, false);
  if (ret < 0) return ret;
  if (d.chip.irqStartup) {
    d.chip.irqStartup(d, k);
    irqdClear(d, IRQD.IRQ_DISABLED | IRQD.IRQ_MASKED);
  } else {
    irqEnable(desc, k);
  }
  irqdSet(d, IRQD.IRQ_STARTED);
  return 0;
}

/**
 * irq_startup(): depth 0, then start (or just enable if started). A managed interrupt with no
 * online CPU in its mask is not started: it stays in managed shutdown (IRQ_STARTUP_ABORT).
 */
export function irqStartup(desc: IrqDesc, k: Kernel, resend: boolean, force: boolean): number {
  const d = desc.irqData;
  k.t.enter('irq_startup', d.domain.name, 'kernel/irq/chip.c');
  desc.depth = 0;
  let ret = 0;
  if (irqd(d, IRQD.IRQ_STARTED)) {
    irqEnable(desc, k);
  } else if (irqd(d, IRQD.AFFINITY_MANAGED)) {
    // __irq_startup_managed()
    irqdClear(d, IRQD.MANAGED_SHUTDOWN);
    const online = onlineAnd(k, d.common.affinity);
    if (online.length === 0) {
      // WARN_ON_ONCE(force): enable_irq() on a managed interrupt whose CPUs are all offline.
      if (force) k.log('warn', `WARNING: at kernel/irq/chip.c __irq_startup_managed: irq ${desc.irq} is managed and no CPU of its mask is online`);
      // IRQ_STARTUP_ABORT: since v6.16 it leaves depth 1 (irq_startup_managed() counts it down).
      if (k.profile.managedShutdownKeepsDepth) desc.depth = 1;
      irqdSet(d, IRQD.MANAGED_SHUTDOWN);
      if (k.t.on) k.t.effect(`no online CPU in the managed mask: stays in managed shutdown (IRQ_STARTUP_ABORT), depth ${desc.depth}`);
      return k.t.leave(0);
    }
    ret = irqDomainActivateIrq(k, d, false);
    if (ret === 0) {
      irqDoSetAffinity(d, k, d.common.affinity, false);
      ret = irqStartupInner(desc, k);
    }
  } else {
    const pre = (d.chip.flags & IRQCHIP.AFFINITY_PRE_STARTUP) !== 0;
    if (pre) irqSetupAffinity(desc, k);
    ret = irqStartupInner(desc, k);
    if (!pre && ret === 0) irqSetupAffinity(desc, k);
  }
  if (ret === 0 && resend) checkIrqResend(desc, k);
  return k.t.leave(ret);
}

/**
 * irq_shutdown_and_deactivate(): a started interrupt is shut down — depth 1 (since v6.16 depth + 1,
 * so a managed shutdown keeps a disable), masked, STARTED cleared — and the hierarchy deactivated.
 */
export function irqShutdownAndDeactivate(desc: IrqDesc, k: Kernel): void {
  const d = desc.irqData;
  k.t.enter('irq_shutdown_and_deactivate', d.domain.name, 'kernel/irq/chip.c');
  if (irqd(d, IRQD.IRQ_STARTED)) {
    desc.depth = k.profile.managedShutdownKeepsDepth ? desc.depth + 1 : 1;
    if (k.t.on) k.t.effect(`irq_shutdown(): depth ${desc.depth}`);
    irqdClear(d, IRQD.IRQ_STARTED);
    if (d.chip.irqShutdown) {
      d.chip.irqShutdown(d, k);
      irqdSet(d, IRQD.IRQ_MASKED);
    } else {
      maskIrq(desc, k);
    }
    irqdSet(d, IRQD.IRQ_DISABLED);
  }
  irqDomainDeactivateIrq(k, d);
  k.t.leaveWith();
}

/** irq_setup_affinity(): a non-managed interrupt gets its requested (or default) mask ∩ online. */
export function irqSetupAffinity(desc: IrqDesc, k: Kernel): number {
  const d = desc.irqData;
  // __irq_can_set_affinity(): per-CPU and no-balancing interrupts keep what they have.
  if (irqd(d, IRQD.PER_CPU) || irqd(d, IRQD.NO_BALANCING)) return 0;
  const wanted = irqd(d, IRQD.AFFINITY_SET) ? d.common.affinity : k.defaultAffinity();
  let set = onlineAnd(k, wanted);
  if (set.length === 0) set = k.onlineCpus();
  return irqDoSetAffinity(d, k, set, false);
}

/**
 * irq_do_set_affinity(): hand the mask to the top chip; copy it unless the chip says NOCOPY.
 * Any of the chip's IRQ_SET_MASK_OK* answers returns 0, an error its errno.
 */
export function irqDoSetAffinity(d: IrqData, k: Kernel, mask: readonly number[], force: boolean): number {
  if (!d.chip.irqSetAffinity) return -22;
  k.t.enter('irq_do_set_affinity', d.domain.name, 'kernel/irq/manage.c');
  const ret = d.chip.irqSetAffinity(d, k, mask, force);
  // Masks are shared and never mutated: keeping the caller's is the kernel's cpumask_copy().
  if (ret === IRQ_SET_MASK_OK || ret === IRQ_SET_MASK_OK_DONE) d.common.affinity = mask;
  return k.t.leave(ret === IRQ_SET_MASK_OK_NOCOPY || ret === IRQ_SET_MASK_OK_DONE ? 0 : ret);
}

/** check_irq_resend(): replay an edge that arrived while the interrupt was disabled. */
export function checkIrqResend(desc: IrqDesc, k: Kernel): void {
  if (!(desc.istate & 0x200)) return; // IRQS_PENDING
  k.t.enter('check_irq_resend', desc.irqData.domain.name, 'kernel/irq/resend.c');
  desc.istate &= ~0x200;
  desc.istate |= 0x40; // IRQS_REPLAY
  // try_retrigger(): the top chip's irq_retrigger (MSI chips forward it down the hierarchy).
  const top = desc.irqData;
  const r = top.chip.irqRetrigger ? top.chip.irqRetrigger(top, k) : 0;
  if (!r) {
    if (k.t.on) k.t.effect('software resend');
    k.genericHandleIrq(desc, desc.irqData.common.effectiveAffinity[0] ?? 0);
  }
  desc.istate &= ~0x40;
  k.t.leaveWith();
}
