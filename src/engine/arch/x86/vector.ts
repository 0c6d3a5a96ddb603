// Models arch/x86/kernel/apic/vector.c: the VECTOR root domain, its APIC chip, the per-CPU
// vector_irq tables, vector assignment policy, affinity moves and the cleanup of moved vectors.

import { EBUSY, EINVAL, ENXIO, ENOSYS, ENOSPC } from '../../core/errno';
import type { Kernel } from '../../core/kernel';
import { IRQD, type IrqData, irqd, irqdSet } from '../../core/irqdesc';
import { formatCpuList as fmtMask, onlineAnd } from '../../core/cpumask';
import { IRQ_SET_MASK_OK, type IrqChip } from '../../core/chip';
import {
  type AllocArg, IRQ_DOMAIN_FLAG, type IrqDomain, irqDomainCreate, irqDomainGetIrqData,
} from '../../core/irqdomain';
import { irqMoveIrq } from '../../core/migration';
import { IrqMatrix } from './matrix';
import { x86VectorMsiCompose } from './msi';
import {
  FIRST_EXTERNAL_VECTOR, FIRST_SYSTEM_VECTOR, MANAGED_IRQ_SHUTDOWN_VECTOR, NR_LEGACY_IRQS, NR_VECTORS,
  PIC_CASCADE_IR, isaIrqVector, x86SystemVectors,
} from './vectors';

/** per_cpu(vector_irq) markers (arch/x86/include/asm/hw_irq.h). */
export const VECTOR_UNUSED = -1;
export const VECTOR_SHUTDOWN = -2;
export const VECTOR_RETRIGGERED = -3;

/** struct irq_cfg: what the hardware is programmed with. */
export interface IrqCfg {
  vector: number;
  destApicid: number;
}

/** struct apic_chip_data */
export interface ApicChipData {
  hwIrqCfg: IrqCfg;
  vector: number;
  prevVector: number;
  cpu: number;
  prevCpu: number;
  irq: number;
  /** Queued on prev_cpu's cleanup list (hlist_unhashed(&clist) is false). */
  cleanupPending: boolean;
  moveInProgress: boolean;
  isManaged: boolean;
  canReserve: boolean;
  hasReserved: boolean;
}

/** The VECTOR domain's private state: the matrix and the per-CPU tables. */
export class X86VectorState {
  readonly matrix: IrqMatrix;
  /** per_cpu(vector_irq, cpu)[vector] → virq, or VECTOR_UNUSED / _SHUTDOWN / _RETRIGGERED. */
  readonly vectorIrq: Int32Array;
  /** per_cpu(cleanup_list): moved vectors waiting for the cleanup timer. */
  readonly cleanupList: ApicChipData[][];
  /** Some CPU's cleanup timer is armed (saves scanning every CPU's list on each tick). */
  cleanupArmed = false;
  /** Legacy PIC irqs not taken over by the IO-APIC (io_apic_irqs bit clear). */
  ioapicIrqs = 0;

  /** `firstSystemVector`: the kernel's FIRST_SYSTEM_VECTOR, where the matrix's allocation range ends. */
  constructor(readonly nrCpus: number, firstSystemVector = FIRST_SYSTEM_VECTOR) {
    this.matrix = new IrqMatrix({ matrixBits: NR_VECTORS, allocStart: FIRST_EXTERNAL_VECTOR, allocEnd: firstSystemVector, nrCpus });
    this.vectorIrq = new Int32Array(nrCpus * NR_VECTORS).fill(VECTOR_UNUSED);
    this.cleanupList = Array.from({ length: nrCpus }, () => []);
  }

  irqAt(cpu: number, vector: number): number {
    return this.vectorIrq[cpu * NR_VECTORS + vector];
  }
  setIrqAt(cpu: number, vector: number, v: number): void {
    this.vectorIrq[cpu * NR_VECTORS + vector] = v;
  }
}

export function vectorState(d: IrqDomain): X86VectorState {
  return d.root.hostData as X86VectorState;
}

/** The root (VECTOR) level of an interrupt's irq_data chain. */
function rootData(d: IrqData): IrqData {
  let p = d;
  while (p.parentData) p = p.parentData;
  return p;
}

/** apic_chip_data(): the chip data of the root level. */
export function apicChipData(d: IrqData): ApicChipData | null {
  let p = d;
  while (p.parentData) p = p.parentData;
  return (p.chipData as ApicChipData | null) ?? null;
}

/** irqd_cfg(): the configuration the hardware is programmed with. */
export function irqdCfg(d: IrqData): IrqCfg | null {
  return apicChipData(d)?.hwIrqCfg ?? null;
}

function st(d: IrqData): X86VectorState {
  return vectorState(d.domain);
}

function apicUpdateIrqCfg(k: Kernel, d: IrqData, vector: number, cpu: number): void {
  const a = apicChipData(d)!;
  a.hwIrqCfg.vector = vector;
  a.hwIrqCfg.destApicid = cpu; // physical APIC ID == CPU number in this model
  d.common.effectiveAffinity = [cpu];
  if (k.t.on) k.t.effect(`irq_cfg: vector 0x${vector.toString(16)} on CPU${cpu} (APIC ID ${cpu}); effective affinity ${cpu}`);
}

function apicUpdateVector(k: Kernel, d: IrqData, newvec: number, newcpu: number): void {
  const a = apicChipData(d)!;
  const s = st(d);
  const managed = irqd(d, IRQD.AFFINITY_MANAGED);
  a.prevVector = 0;
  if (a.vector && a.vector !== MANAGED_IRQ_SHUTDOWN_VECTOR) {
    if (k.cpuOnline(a.cpu)) {
      a.moveInProgress = true;
      a.prevVector = a.vector;
      a.prevCpu = a.cpu;
      if (k.t.on) k.t.effect(`move_in_progress: old vector ${a.vector} on CPU${a.cpu} stays assigned (prev_vector) until its cleanup is scheduled`);
    } else {
      s.matrix.free(a.cpu, a.vector, managed);
      if (k.t.on) k.t.effect(`old vector ${a.vector} on offline CPU${a.cpu} freed at once`);
    }
  }
  a.vector = newvec;
  a.cpu = newcpu;
  s.setIrqAt(newcpu, newvec, d.irq);
}

function vectorAssignManagedShutdown(k: Kernel, d: IrqData): void {
  const cpu = k.onlineCpus()[0] ?? 0;
  if (k.t.on) k.t.effect(`parked on MANAGED_IRQ_SHUTDOWN_VECTOR (0xef) of CPU${cpu}`);
  apicUpdateIrqCfg(k, d, MANAGED_IRQ_SHUTDOWN_VECTOR, cpu);
}

function reserveManagedVector(k: Kernel, d: IrqData): number {
  const a = apicChipData(d)!;
  k.t.enter('reserve_managed_vector', d.domain.name, 'arch/x86/kernel/apic/vector.c');
  a.isManaged = true;
  const ret = st(d).matrix.reserveManaged(d.common.affinity);
  if (k.t.on && ret === 0) k.t.effect(`irq_matrix_reserve_managed(${fmtMask(d.common.affinity)}): one managed bit reserved on each CPU of the mask`);
  return k.t.leave(ret);
}

function reserveIrqVectorLocked(k: Kernel, d: IrqData): void {
  const a = apicChipData(d)!;
  st(d).matrix.reserve();
  a.canReserve = true;
  a.hasReserved = true;
  irqdSet(d, IRQD.CAN_RESERVE);
  if (k.t.on) k.t.effect('irq_matrix_reserve(): global reservation only, no vector yet (reservation mode)');
  for (const w of st(d).matrix.takeWarnings()) k.log('warn', w);
  vectorAssignManagedShutdown(k, d);
}

function assignVectorLocked(k: Kernel, d: IrqData, dest: readonly number[]): number {
  const a = apicChipData(d)!;
  const resvd = a.hasReserved;
  if (a.vector && k.cpuOnline(a.cpu) && dest.includes(a.cpu)) return 0;
  if (a.moveInProgress || a.cleanupPending) {
    if (k.t.on) k.t.effect(`previous move of irq ${d.irq} not finished (move_in_progress or cleanup pending): -EBUSY`);
    return -EBUSY;
  }
  const r = st(d).matrix.alloc(dest, resvd);
  if ('errno' in r) {
    if (k.t.on) k.t.effect(`irq_matrix_alloc(${fmtMask(dest)}) = ${r.errno === -ENOSPC ? '-ENOSPC: no free vector on those CPUs' : r.errno}`);
    return r.errno;
  }
  if (k.t.on) k.t.effect(`irq_matrix_alloc(${fmtMask(dest)}${resvd ? ', reserved' : ''}) → vector ${r.vector} (0x${r.vector.toString(16)}) on CPU${r.cpu}`);
  apicUpdateVector(k, d, r.vector, r.cpu);
  apicUpdateIrqCfg(k, d, r.vector, r.cpu);
  return 0;
}

function assignIrqVector(k: Kernel, d: IrqData, dest: readonly number[]): number {
  return assignVectorLocked(k, d, onlineAnd(k, dest));
}

function assignIrqVectorAnyLocked(k: Kernel, d: IrqData): number {
  // Single NUMA node: node mask = all CPUs, so the node steps collapse into these two.
  const aff = d.common.affinity;
  const online = k.onlineCpus();
  if (!assignVectorLocked(k, d, onlineAnd(k, aff))) return 0;
  if (!assignVectorLocked(k, d, online)) return 0;
  return assignVectorLocked(k, d, online);
}

function assignManagedVector(k: Kernel, d: IrqData, dest: readonly number[]): number {
  const a = apicChipData(d)!;
  const search = dest.filter((c) => d.common.affinity.includes(c));
  if (a.vector && search.includes(a.cpu)) return 0;
  const r = st(d).matrix.allocManaged(search);
  if ('errno' in r) return r.errno;
  if (k.t.on) k.t.effect(`irq_matrix_alloc_managed(${fmtMask(search)}) → vector ${r.vector} (0x${r.vector.toString(16)}) on CPU${r.cpu}`);
  apicUpdateVector(k, d, r.vector, r.cpu);
  apicUpdateIrqCfg(k, d, r.vector, r.cpu);
  return 0;
}

function clearIrqVector(k: Kernel, d: IrqData): void {
  const a = apicChipData(d)!;
  const s = st(d);
  const managed = irqd(d, IRQD.AFFINITY_MANAGED);
  if (!a.vector) return;
  s.setIrqAt(a.cpu, a.vector, VECTOR_SHUTDOWN);
  s.matrix.free(a.cpu, a.vector, managed);
  if (k.t.on) k.t.effect(`irq_matrix_free(CPU${a.cpu}, vector ${a.vector}${managed ? ', managed' : ''})`);
  a.vector = 0;
  if (!a.prevVector) return;
  s.setIrqAt(a.prevCpu, a.prevVector, VECTOR_SHUTDOWN);
  s.matrix.free(a.prevCpu, a.prevVector, managed);
  if (k.t.on) k.t.effect(`irq_matrix_free(CPU${a.prevCpu}, previous vector ${a.prevVector})`);
  a.prevVector = 0;
  a.moveInProgress = false;
  dropFromCleanup(s, a);
}

function dropFromCleanup(s: X86VectorState, a: ApicChipData): void {
  if (!a.cleanupPending) return;
  const list = s.cleanupList[a.prevCpu];
  const i = list.indexOf(a);
  if (i >= 0) list.splice(i, 1);
  a.cleanupPending = false;
}

function x86VectorDeactivate(k: Kernel, _dom: IrqDomain, d: IrqData): void {
  const a = apicChipData(d)!;
  if (!a.isManaged && !a.canReserve) return;
  if (a.hasReserved) return;
  k.t.enter('x86_vector_deactivate', d.domain.name, 'arch/x86/kernel/apic/vector.c');
  clearIrqVector(k, d);
  if (a.canReserve) reserveIrqVectorLocked(k, d);
  else vectorAssignManagedShutdown(k, d);
  k.t.leaveWith();
}

function activateReserved(k: Kernel, d: IrqData): number {
  const a = apicChipData(d)!;
  const ret = assignIrqVectorAnyLocked(k, d);
  if (!ret) {
    a.hasReserved = false;
    if (!irqd(d, IRQD.CAN_RESERVE)) a.canReserve = false;
  }
  if (!ret && !d.common.effectiveAffinity.every((c) => d.common.affinity.includes(c))) {
    k.log('warn', `irq ${d.irq}: Affinity broken due to vector space exhaustion.`);
  }
  return ret;
}

function activateManaged(k: Kernel, d: IrqData): number {
  const search = onlineAnd(k, d.common.affinity);
  if (search.length === 0) {
    k.log('err', `Managed startup for irq ${d.irq}, but no CPU`);
    return -EINVAL;
  }
  const ret = assignManagedVector(k, d, search);
  if (ret < 0) k.log('err', `Managed startup irq ${d.irq}, no vector available`);
  return ret;
}

function x86VectorActivate(k: Kernel, _dom: IrqDomain, d: IrqData, reserve: boolean): number {
  const a = apicChipData(d)!;
  k.t.enter('x86_vector_activate', d.domain.name, 'arch/x86/kernel/apic/vector.c');
  let ret = 0;
  if (!a.canReserve && !a.isManaged) {
    // A vector of its own (assigned at allocation, or kept since an activation without
    // reservation mode): assign_irq_vector_any_locked() keeps it if its CPU is online and in
    // the affinity, else moves it to one that is. Its result is not checked (ret stays 0).
    const was = a.cpu;
    assignIrqVectorAnyLocked(k, d);
    if (k.t.on && a.cpu === was && a.vector) k.t.effect(`vector ${a.vector} on CPU${a.cpu} stays: the CPU is online and in the affinity`);
  } else if (reserve || (irqd(d, IRQD.AFFINITY_MANAGED) && irqd(d, IRQD.MANAGED_SHUTDOWN))) vectorAssignManagedShutdown(k, d);
  else if (a.isManaged) ret = activateManaged(k, d);
  else if (a.hasReserved) ret = activateReserved(k, d);
  return k.t.leave(ret);
}

function vectorFreeReservedAndManaged(k: Kernel, d: IrqData): void {
  const a = apicChipData(d)!;
  const m = st(d).matrix;
  if (a.hasReserved) {
    m.removeReserved();
    if (k.t.on) k.t.effect('irq_matrix_remove_reserved(): global reservation returned');
  }
  if (a.isManaged) {
    m.removeManaged(d.common.affinity);
    if (k.t.on) k.t.effect(`irq_matrix_remove_managed(${fmtMask(d.common.affinity)}): managed reservations returned`);
  }
}

function x86VectorFreeIrqs(k: Kernel, domain: IrqDomain, virq: number, nr: number): void {
  k.t.enter('x86_vector_free_irqs', domain.name, 'arch/x86/kernel/apic/vector.c');
  for (let i = 0; i < nr; i++) {
    const d = irqDomainGetIrqData(k, domain, virq + i);
    if (d && d.chipData) {
      clearIrqVector(k, d);
      vectorFreeReservedAndManaged(k, d);
      d.chipData = null;
      d.hwirq = 0;
    }
  }
  k.t.leaveWith();
}

function newApicd(irq: number): ApicChipData {
  return {
    hwIrqCfg: { vector: 0, destApicid: 0 }, vector: 0, prevVector: 0, cpu: 0, prevCpu: 0, irq,
    cleanupPending: false, moveInProgress: false, isManaged: false, canReserve: false, hasReserved: false,
  };
}

/** vector_configure_legacy(): an ISA irq taken over by the IO-APIC keeps its vector only if active (the timer). */
function vectorConfigureLegacy(k: Kernel, virq: number, d: IrqData, a: ApicChipData, keep: boolean): boolean {
  a.vector = isaIrqVector(virq);
  a.cpu = 0;
  if (keep) {
    st(d).setIrqAt(0, a.vector, virq);
    apicUpdateIrqCfg(k, d, a.vector, 0);
    return false;
  }
  a.canReserve = true;
  irqdSet(d, IRQD.CAN_RESERVE);
  clearIrqVector(k, d);
  return true;
}

function x86VectorAllocIrqs(k: Kernel, domain: IrqDomain, virq: number, nr: number, arg: AllocArg): number {
  k.t.enter('x86_vector_alloc_irqs', domain.name, 'arch/x86/kernel/apic/vector.c');
  if (arg.contiguous && nr > 1) {
    if (k.t.on) k.t.effect(`${nr} contiguous vectors requested: the vector allocator cannot guarantee that`);
    return k.t.leave(-ENOSYS);
  }
  if (!k.onlineCpus().length) return k.t.leave(-ENXIO);
  for (let i = 0; i < nr; i++) {
    const d = irqDomainGetIrqData(k, domain, virq + i)!;
    const a = newApicd(virq + i);
    d.chip = lapicController;
    d.chipData = a;
    d.hwirq = virq + i;
    irqdSet(d, IRQD.SINGLE_TARGET | IRQD.HANDLE_ENFORCE_IRQCTX | IRQD.AFFINITY_ON_ACTIVATE);
    if (arg.extra?.legacy) {
      if (!vectorConfigureLegacy(k, virq + i, d, a, arg.extra.legacyKeep === true)) continue;
    }
    let err: number;
    if (irqd(d, IRQD.AFFINITY_MANAGED)) err = reserveManagedVector(k, d);
    else if (arg.mask) err = assignIrqVector(k, d, arg.mask);
    else {
      reserveIrqVectorLocked(k, d);
      err = 0;
    }
    if (err) {
      d.chipData = null;
      d.hwirq = 0;
      if (k.t.on) k.t.effect(`unwind: vectors of irqs ${virq}..${virq + i - 1} released`);
      x86VectorFreeIrqs(k, domain, virq, i);
      return k.t.leave(err);
    }
  }
  return k.t.leave(0);
}

/** x86_vector_debug_show(): the VECTOR block of irqs/N, or the matrix for domains/VECTOR. */
function x86VectorDebugShow(k: Kernel, dom: IrqDomain, d: IrqData | null, ind: number): string {
  const s = vectorState(dom);
  const pad = ' '.repeat(ind);
  if (!d) return s.matrix.debugShow(ind, k.onlineCpus());
  if (d.irq < NR_LEGACY_IRQS && !(s.ioapicIrqs & (1 << d.irq))) {
    return `${pad}Vector: ${String(isaIrqVector(d.irq)).padStart(5)}\n${pad}Target: Legacy PIC all CPUs\n`;
  }
  const a = d.chipData as ApicChipData | null;
  if (!a) return `${pad}Vector: Not assigned\n`;
  let out = `${pad}Vector: ${String(a.vector).padStart(5)}\n${pad}Target: ${String(a.cpu).padStart(5)}\n`;
  if (a.prevVector) {
    out += `${pad}Previous vector: ${String(a.prevVector).padStart(5)}\n${pad}Previous target: ${String(a.prevCpu).padStart(5)}\n`;
  }
  out += `${pad}move_in_progress: ${a.moveInProgress ? 1 : 0}\n`;
  out += `${pad}is_managed:       ${a.isManaged ? 1 : 0}\n`;
  out += `${pad}can_reserve:      ${a.canReserve ? 1 : 0}\n`;
  out += `${pad}has_reserved:     ${a.hasReserved ? 1 : 0}\n`;
  out += `${pad}cleanup_pending:  ${a.cleanupPending ? 1 : 0}\n`;
  return out;
}

/** apic_set_affinity() */
function apicSetAffinity(d: IrqData, k: Kernel, dest: readonly number[]): number {
  const a = apicChipData(d)!;
  k.t.enter('apic_set_affinity', d.domain.name, 'arch/x86/kernel/apic/vector.c');
  if (!irqd(d, IRQD.ACTIVATED) && (a.isManaged || a.canReserve)) {
    if (k.t.on) k.t.effect('not activated: the mask is stored, activation will pick a fitting vector');
    return k.t.leave(IRQ_SET_MASK_OK);
  }
  const search = onlineAnd(k, dest);
  const err = irqd(d, IRQD.AFFINITY_MANAGED) ? assignManagedVector(k, d, search) : assignVectorLocked(k, d, search);
  return k.t.leave(err ? err : IRQ_SET_MASK_OK);
}

/** apic_retrigger_irq(): send the vector to its CPU again by IPI. */
function apicRetriggerIrq(d: IrqData, k: Kernel): number {
  const a = apicChipData(d)!;
  if (k.t.on) k.t.effect(`apic_retrigger_irq: IPI vector ${a.vector} to CPU${a.cpu}`);
  k.genericHandleIrq(k.descs.get(d.irq)!, a.cpu);
  return 1;
}

/** apic_ack_irq(): apply a deferred affinity change (irq_move_irq), then EOI the local APIC. */
export function apicAckIrq(d: IrqData, k: Kernel): void {
  k.t.enter('apic_ack_irq', d.domain.name, 'arch/x86/kernel/apic/vector.c');
  irqMoveIrq(d, k);
  if (k.t.on) k.t.effect(`apic_eoi(): EOI to the local APIC of CPU${k.irqContext?.cpu ?? apicChipData(d)?.cpu ?? 0}`);
  k.t.leaveWith();
}

/** apic_ack_edge(): finish a vector move if this interrupt arrived at the new target, then apic_ack_irq(). */
function apicAckEdge(d: IrqData, k: Kernel): void {
  k.t.enter('apic_ack_edge', d.domain.name, 'arch/x86/kernel/apic/vector.c');
  const ctx = k.irqContext;
  if (ctx) irqCompleteMove(k, d, ctx.cpu);
  apicAckIrq(d, k);
  k.t.leaveWith();
}

/** The "APIC" chip (lapic_controller). */
export const lapicController: IrqChip = {
  name: 'APIC',
  flags: 0,
  irqAck: apicAckEdge,
  irqSetAffinity: (d, k, mask) => apicSetAffinity(d, k, mask),
  irqRetrigger: apicRetriggerIrq,
  irqComposeMsiMsg: (d, k, msg) => x86VectorMsiCompose(d, k, msg),
};

/**
 * vector_schedule_cleanup() (since v6.6): queue the old vector on its CPU's cleanup list; the
 * per-CPU cleanup timer frees it one jiffy later (the model: before the next action). Before
 * v6.6 send_cleanup_vector() queued it and sent that CPU an IPI on IRQ_MOVE_CLEANUP_VECTOR (0x20),
 * whose handler frees the list at once.
 */
export function vectorScheduleCleanup(k: Kernel, d: IrqData): void {
  const a = apicChipData(d);
  if (!a || !a.moveInProgress) return;
  const ipi = k.profile.x86Idt.moveCleanupVector;
  k.t.enter(ipi ? 'send_cleanup_vector' : 'vector_schedule_cleanup', rootData(d).domain.name, 'arch/x86/kernel/apic/vector.c');
  a.moveInProgress = false;
  if (k.cpuOnline(a.prevCpu)) {
    st(d).cleanupList[a.prevCpu].push(a);
    a.cleanupPending = true;
    if (ipi) {
      if (k.t.on) k.t.effect(`old vector ${a.prevVector} queued on CPU${a.prevCpu}'s cleanup list; apic->send_IPI(CPU${a.prevCpu}, IRQ_MOVE_CLEANUP_VECTOR 0x20): freed when the IPI arrives`);
      sysvecIrqMoveCleanup(k, st(d), a.prevCpu);
    } else {
      st(d).cleanupArmed = true;
      if (k.t.on) k.t.effect(`old vector ${a.prevVector} queued on CPU${a.prevCpu}'s cleanup list; its timer frees it one jiffy later (add_timer_on, jiffies + 1)`);
    }
  } else {
    // The old CPU is gone: nobody would run its cleanup timer, so free the vector now.
    k.log('warn', `IRQ ${a.irq} schedule cleanup for offline CPU ${a.prevCpu}`);
    st(d).matrix.free(a.prevCpu, a.prevVector, a.isManaged);
    st(d).setIrqAt(a.prevCpu, a.prevVector, VECTOR_UNUSED);
    if (k.t.on) k.t.effect(`CPU${a.prevCpu} is offline: free_moved_vector() frees old vector ${a.prevVector} at once`);
    a.prevVector = 0;
  }
  k.t.leaveWith();
}

/**
 * sysvec_irq_move_cleanup() (before v6.6): the cleanup IPI arrives on `cpu` and frees every old
 * vector on its list. It counts in no /proc/interrupts row (no irq_stat of its own; CAL counts
 * only function-call IPIs). The model has no APIC IRR, so the kernel's retry for a vector still
 * pending there never happens.
 */
function sysvecIrqMoveCleanup(k: Kernel, s: X86VectorState, cpu: number): void {
  k.t.enter('sysvec_irq_move_cleanup', 'VECTOR', 'arch/x86/kernel/apic/vector.c');
  if (k.t.on) k.t.effect(`IRQ_MOVE_CLEANUP_VECTOR (0x20) on CPU${cpu}: counted in no /proc/interrupts row`);
  for (const a of s.cleanupList[cpu].splice(0)) freeMovedVector(k, s, a);
  k.t.leaveWith();
}

/**
 * irq_complete_move(): the first interrupt on the new CPU finishes the move (no vector check:
 * an interrupt never moves between vectors of one CPU).
 */
export function irqCompleteMove(k: Kernel, d: IrqData, cpu: number): void {
  const a = apicChipData(d);
  if (!a || !a.moveInProgress) return;
  if (a.cpu === cpu) {
    k.t.enter('irq_complete_move', d.domain.name, 'arch/x86/kernel/apic/vector.c');
    vectorScheduleCleanup(k, d);
    k.t.leaveWith();
  }
}

/** vector_cleanup_callback() → __vector_cleanup(): the timer frees every queued old vector. */
export function vectorCleanupTimers(k: Kernel, s: X86VectorState): boolean {
  if (!s.cleanupArmed) return false;
  s.cleanupArmed = false;
  let did = false;
  for (let cpu = 0; cpu < s.nrCpus; cpu++) {
    const list = s.cleanupList[cpu];
    if (!list.length) continue;
    if (!did) k.t.enter('vector_cleanup_callback', 'VECTOR', 'arch/x86/kernel/apic/vector.c');
    did = true;
    for (const a of list.splice(0)) freeMovedVector(k, s, a);
  }
  if (did) k.t.leaveWith();
  return did;
}

function freeMovedVector(k: Kernel, s: X86VectorState, a: ApicChipData): void {
  s.matrix.free(a.prevCpu, a.prevVector, a.isManaged);
  s.setIrqAt(a.prevCpu, a.prevVector, VECTOR_UNUSED);
  if (k.t.on) k.t.effect(`free_moved_vector: irq ${a.irq} old vector ${a.prevVector} on CPU${a.prevCpu} freed`);
  a.cleanupPending = false;
  a.prevVector = 0;
  a.moveInProgress = false;
}

/** irq_force_complete_move(): on CPU unplug, a move still in flight is finished by force. */
export function irqForceCompleteMove(k: Kernel, s: X86VectorState, d: IrqData): void {
  const a = apicChipData(d);
  if (!a || !a.prevVector) return;
  if (a.moveInProgress) k.log('warn', `IRQ fixup: irq ${d.irq} move in progress, old vector ${a.prevVector}`);
  dropFromCleanup(s, a);
  freeMovedVector(k, s, a);
}

/** lapic_can_unplug_cpu(): refuse to offline a CPU whose vectors do not fit elsewhere. */
export function lapicCanUnplugCpu(k: Kernel, s: X86VectorState, cpu: number): number {
  const tomove = s.matrix.allocated(cpu);
  const avl = s.matrix.available(true, cpu);
  if (avl < tomove) {
    k.log('warn', `CPU ${cpu} has ${tomove} vectors, ${avl} available. Cannot disable CPU`);
    return -ENOSPC;
  }
  const rsvd = s.matrix.reserved();
  if (avl < rsvd) k.log('warn', `Reserved vectors ${rsvd} > available ${avl}. IRQ request may fail`);
  return 0;
}

/** arch_early_irq_init() + lapic_assign_system_vectors() + lapic_online() for every CPU. */
export function x86VectorInit(k: Kernel): IrqDomain {
  const s = new X86VectorState(k.nrCpus, k.profile.firstSystemVector);
  const dom = irqDomainCreate(k, 'VECTOR', {
    alloc: x86VectorAllocIrqs, free: x86VectorFreeIrqs, activate: x86VectorActivate,
    deactivate: x86VectorDeactivate, debugShow: x86VectorDebugShow,
  }, null, { hostData: s, kind: 'vector', flags: IRQ_DOMAIN_FLAG.MSI_PARENT });
  for (const v of x86SystemVectors(k.profile)) s.matrix.assignSystem(v, false);
  s.matrix.assignSystem(isaIrqVector(PIC_CASCADE_IR), false);
  s.matrix.online(0);
  for (let i = 0; i < NR_LEGACY_IRQS; i++) if (i !== PIC_CASCADE_IR) s.matrix.assign(0, isaIrqVector(i));
  for (let cpu = 1; cpu < k.nrCpus; cpu++) s.matrix.online(cpu);
  s.matrix.takeWarnings();
  return dom;
}

/** Mark an ISA irq as handled by the IO-APIC (io_apic_irqs bit). */
export function setIoapicIrq(dom: IrqDomain, irq: number): void {
  vectorState(dom).ioapicIrqs |= 1 << irq;
}

