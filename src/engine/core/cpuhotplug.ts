// Models kernel/irq/cpuhotplug.c: interrupts leave a dying CPU (managed ones whose whole mask
// goes offline are shut down) and managed interrupts restart when a CPU of their mask returns.

import { EBUSY, EINVAL, ENOSPC } from './errno';
import type { Kernel } from './kernel';
import { IRQD, type IrqDesc, irqd, irqdClear, irqdSet } from './irqdesc';
import { irqDoSetAffinity, irqShutdownAndDeactivate, irqStartup } from './chip';

/** What the architecture does around a CPU going down or up (x86: lapic_* and the matrix). */
export interface CpuHotplugArch {
  /** Refuse early (x86 lapic_can_unplug_cpu: -ENOSPC). */
  canUnplug(cpu: number): number;
  /** Finish a half-done vector move before migrating (irq_force_complete_move). */
  forceCompleteMove(desc: IrqDesc): void;
  /** The CPU's interrupt controller goes away (lapic_offline: matrix offline, cleanup). */
  offline(cpu: number): void;
  /** The CPU's controller comes up (lapic_online: matrix online, vector table reset). */
  online(cpu: number): void;
  setOnline(cpu: number, on: boolean): void;
}

/**
 * irq_fixup_move_pending(): a move parked until the next interrupt is dropped when none of its
 * CPUs is online any more (false); with `forceClear` it is taken over by the caller (true).
 */
function irqFixupMovePending(k: Kernel, desc: IrqDesc, forceClear: boolean): boolean {
  const d = desc.irqData;
  if (!irqd(d, IRQD.SETAFFINITY_PENDING)) return false;
  if (!d.common.pendingMask.some((c) => k.cpuOnline(c))) {
    irqdClear(d, IRQD.SETAFFINITY_PENDING);
    if (k.t.on) k.t.effect(`irq ${desc.irq}: the pending move to ${d.common.pendingMask.join(',')} has no online CPU left: dropped`);
    return false;
  }
  if (forceClear) irqdClear(d, IRQD.SETAFFINITY_PENDING);
  return true;
}

/** irq_needs_fixup(): the dying CPU is a target (effective mask, or the affinity when that is empty). */
function irqNeedsFixup(d: IrqDesc['irqData'], cpu: number): boolean {
  const m = d.common.effectiveAffinity.length ? d.common.effectiveAffinity : d.common.affinity;
  return m.includes(cpu);
}

/**
 * migrate_one_irq(): move an interrupt off the dying CPU — to its pending move's mask if one is
 * parked, else its affinity, else (broken) any online CPU; managed ones with no CPU left shut
 * down; a move that finds no free vector in the mask retries with all online CPUs. True when
 * the affinity broke.
 */
function migrateOneIrq(k: Kernel, arch: CpuHotplugArch, desc: IrqDesc, cpu: number): boolean {
  const d = desc.irqData;
  if (!d.chip.irqSetAffinity) return false;
  arch.forceCompleteMove(desc);
  if (irqd(d, IRQD.PER_CPU) || !irqd(d, IRQD.IRQ_STARTED) || !irqNeedsFixup(d, cpu)) {
    irqFixupMovePending(k, desc, false);
    return false;
  }
  k.t.enter('migrate_one_irq', d.domain.name, 'kernel/irq/cpuhotplug.c');
  const pending = irqFixupMovePending(k, desc, true);
  let affinity = pending ? d.common.pendingMask : d.common.affinity;
  if (pending && k.t.on) k.t.effect(`irq ${desc.irq}: the parked move is done now, to ${affinity.join(',')}`);
  let brokeaff = false;
  if (!affinity.some((c) => k.cpuOnline(c))) {
    if (irqd(d, IRQD.AFFINITY_MANAGED)) {
      if (k.t.on) k.t.effect(`irq ${desc.irq}: managed and no CPU of its mask is left online: shut down until one returns`);
      irqdSet(d, IRQD.MANAGED_SHUTDOWN);
      irqShutdownAndDeactivate(desc, k);
      irqdSet(d, IRQD.MANAGED_SHUTDOWN);
      k.t.leaveWith('shutdown');
      return false;
    }
    affinity = k.onlineCpus();
    brokeaff = true;
  }
  let err = irqDoSetAffinity(d, k, affinity, false);
  if (err === -ENOSPC && !irqd(d, IRQD.AFFINITY_MANAGED) && !brokeaff) {
    if (k.t.on) k.t.effect(`irq ${desc.irq}: no vector free in ${affinity.join(',')}: retry with every online CPU`);
    affinity = k.onlineCpus();
    brokeaff = true;
    err = irqDoSetAffinity(d, k, affinity, false);
  }
  if (err < 0) {
    k.log('warn', `IRQ${desc.irq}: set affinity failed(${err}).`);
    brokeaff = false;
  }
  if (brokeaff) k.log('info', `IRQ ${desc.irq}: no longer affine to CPU${cpu}`);
  if (k.t.on && err >= 0) k.t.effect(`irq ${desc.irq}${desc.action.length ? ` (${desc.action.map((x) => x.name).join(', ')})` : ''} on ${d.domain.name}: leaves CPU${cpu} for CPU${d.common.effectiveAffinity.join(',')}`);
  k.t.leaveWith(brokeaff ? 'affinity broken' : 'moved');
  return brokeaff;
}

/** cpu_down(): refuse if the vectors do not fit elsewhere; else migrate and take the CPU offline. */
export function cpuDown(k: Kernel, arch: CpuHotplugArch, cpu: number): number {
  k.t.enter('cpu_down', undefined, 'kernel/cpu.c');
  if (!k.cpuOnline(cpu)) return k.t.leave(-EINVAL);
  if (k.onlineCpus().length === 1) {
    if (k.t.on) k.t.effect('the last online CPU cannot go offline');
    return k.t.leave(-EBUSY);
  }
  const r = arch.canUnplug(cpu);
  if (r) return k.t.leave(r);
  runCpuhp(k, 'downPrep', cpu);
  arch.setOnline(cpu, false);
  k.t.enter('irq_migrate_all_off_this_cpu', undefined, 'kernel/irq/cpuhotplug.c');
  for (const desc of [...k.descs.values()].sort((a, b) => a.irq - b.irq)) migrateOneIrq(k, arch, desc, cpu);
  k.t.leaveWith();
  arch.offline(cpu);
  runCpuhp(k, 'dead', cpu);
  return k.t.leave(0);
}

/** The drivers' hotplug callbacks of one state, in the order they registered. */
function runCpuhp(k: Kernel, what: 'online' | 'downPrep' | 'dead', cpu: number): void {
  for (const inst of k.cpuhp ?? []) {
    const fn = inst[what];
    if (!fn) continue;
    k.t.enter(`cpuhp ${what === 'downPrep' ? 'teardown' : what === 'dead' ? 'dead' : 'startup'}: ${inst.name}`, undefined, 'kernel/cpu.c');
    fn(cpu);
    k.t.leaveWith();
  }
}

/**
 * irq_startup_managed() (v6.16): the shutdown on CPU offline added one to the disable depth; take
 * it back and start the interrupt only at depth 0, so a disable_irq() before the offline holds.
 */
function irqStartupManaged(k: Kernel, desc: IrqDesc): void {
  k.t.enter('irq_startup_managed', desc.irqData.domain.name, 'kernel/irq/chip.c');
  irqdClear(desc.irqData, IRQD.MANAGED_SHUTDOWN);
  desc.depth--;
  if (!desc.depth) {
    if (k.t.on) k.t.effect(`irq ${desc.irq}: a CPU of its managed mask is back and its depth is 0: restart`);
    irqStartup(desc, k, true, false);
  } else if (k.t.on) {
    k.t.effect(`irq ${desc.irq}: a CPU of its managed mask is back, but it is still disabled (depth ${desc.depth}): not started`);
  }
  k.t.leaveWith();
}

/**
 * cpu_up(): the CPU returns; managed interrupts of its mask that were shut down start again
 * (since v6.16 only those not disabled meanwhile).
 */
export function cpuUp(k: Kernel, arch: CpuHotplugArch, cpu: number): number {
  k.t.enter('cpu_up', undefined, 'kernel/cpu.c');
  if (k.cpuOnline(cpu)) return k.t.leave(-EINVAL);
  arch.online(cpu);
  arch.setOnline(cpu, true);
  k.t.enter('irq_affinity_online_cpu', undefined, 'kernel/irq/cpuhotplug.c');
  for (const desc of [...k.descs.values()].sort((a, b) => a.irq - b.irq)) {
    const d = desc.irqData;
    if (!irqd(d, IRQD.AFFINITY_MANAGED) || !desc.action.length || !d.common.affinity.includes(cpu)) continue;
    if (irqd(d, IRQD.MANAGED_SHUTDOWN)) {
      if (k.profile.managedShutdownKeepsDepth) irqStartupManaged(k, desc);
      else {
        if (k.t.on) k.t.effect(`irq ${desc.irq}: a CPU of its managed mask is back: restart`);
        irqStartup(desc, k, true, false);
      }
    }
  }
  k.t.leaveWith();
  runCpuhp(k, 'online', cpu);
  return k.t.leave(0);
}
