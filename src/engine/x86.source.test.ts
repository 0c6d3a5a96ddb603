// x86 behaviours read from the kernel source of each modelled version (/work/ksrc/<version>); every
// expected value below comes from the function named beside it, not from the model's output.

import { describe, expect, it } from 'vitest';
import { createMachine, type Machine } from './machine';
import type { KernelVersion, MachineSpec } from './types';
import { IRQD, irqd } from './core/irqdesc';
import { apicChipData } from './arch/x86/vector';
import { formatTrace } from './core/trace';
import { calls, ok } from './testing';

const NVME = '0000:3d:00.0';
const nvme = { bdf: NVME, name: 'nvme', msix: { tableSize: 9 } };

function machine(kernel: KernelVersion, cpus = 4, extra: Partial<MachineSpec> = {}): Machine {
  return createMachine({ arch: 'x86', kernel, cpus, devices: [nvme], ...extra });
}
function irqOf(m: Machine, dev: string, index: number) {
  return m.k.descs.get(ok(m, { op: 'pci_irq_vector', dev, nr: index }).value as number)!;
}
/** Admin queue + one managed queue per CPU, all requested. */
function nvmeQueues(m: Machine, n: number) {
  ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: n, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 });
  for (let i = 0; i < n; i++) ok(m, { op: 'request_irq', dev: NVME, index: i, name: `nvme0q${i}` });
}

describe('a disabled managed interrupt across CPU offline and online', () => {
  // The managed queue whose mask is CPU3 alone.
  function queueOnCpu3(m: Machine) {
    for (let i = 1; i <= 4; i++) {
      const d = irqOf(m, NVME, i);
      if (d.irqData.common.affinity.join() === '3') return d;
    }
    throw new Error('no queue on CPU3');
  }

  // v7.2 kernel/irq/chip.c irq_shutdown(): "desc->depth++" ("so that a managed shutdown on CPU
  // hotunplug preserves the actual disabled state"); kernel/irq/cpuhotplug.c
  // irq_restore_affinity_of_irq() → irq_startup_managed(): "desc->depth--; if (!desc->depth)
  // irq_startup(...)".
  it('7.2: disable_irq → cpu_down → cpu_up leaves it disabled (depth 1, not started); enable_irq starts it', () => {
    const m = machine('7.2');
    nvmeQueues(m, 5);
    const q = queueOnCpu3(m);
    ok(m, { op: 'disable_irq', virq: q.irq });
    expect(q.depth).toBe(1);
    ok(m, { op: 'cpu_down', cpu: 3 });
    expect(q.depth).toBe(2);
    expect(irqd(q.irqData, IRQD.MANAGED_SHUTDOWN)).toBe(true);
    const up = ok(m, { op: 'cpu_up', cpu: 3 });
    expect(calls(up.trace)).toContain('irq_startup_managed');
    expect(q.depth).toBe(1);
    expect(irqd(q.irqData, IRQD.IRQ_STARTED)).toBe(false);
    expect(irqd(q.irqData, IRQD.MANAGED_SHUTDOWN)).toBe(false);
    ok(m, { op: 'enable_irq', virq: q.irq });
    expect(q.depth).toBe(0);
    expect(irqd(q.irqData, IRQD.IRQ_STARTED)).toBe(true);
    expect(q.irqData.common.effectiveAffinity).toEqual([3]);
  });

  // v6.12 kernel/irq/chip.c irq_shutdown(): "desc->depth = 1"; cpuhotplug.c
  // irq_restore_affinity_of_irq(): "if (irqd_is_managed_and_shutdown(data)) irq_startup(desc,
  // IRQ_RESEND, IRQ_START_COND)", and irq_startup() sets depth 0.
  for (const kernel of ['6.1', '6.12'] as const) {
    it(`${kernel}: disable_irq → cpu_down → cpu_up enables it again (depth 0, started)`, () => {
      const m = machine(kernel);
      nvmeQueues(m, 5);
      const q = queueOnCpu3(m);
      ok(m, { op: 'disable_irq', virq: q.irq });
      ok(m, { op: 'cpu_down', cpu: 3 });
      expect(q.depth).toBe(1);
      ok(m, { op: 'cpu_up', cpu: 3 });
      expect(q.depth).toBe(0);
      expect(irqd(q.irqData, IRQD.IRQ_STARTED)).toBe(true);
      expect(irqd(q.irqData, IRQD.IRQ_DISABLED)).toBe(false);
    });
  }

  // v7.2 irq_startup(): "case IRQ_STARTUP_ABORT: desc->depth = 1;"; v6.12 has no such line
  // (depth stays at the 0 irq_startup() began with).
  it('a managed interrupt requested while its CPU is offline: aborted startup, depth 1 in 7.2 and 0 in 6.12', () => {
    for (const [kernel, depth] of [['7.2', 1], ['6.12', 0]] as const) {
      const m = machine(kernel);
      ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 5, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 });
      const q = queueOnCpu3(m);
      ok(m, { op: 'cpu_down', cpu: 3 });
      ok(m, { op: 'request_irq', virq: q.irq, name: 'nvme0q' });
      expect([kernel, q.depth, irqd(q.irqData, IRQD.MANAGED_SHUTDOWN)]).toEqual([kernel, depth, true]);
    }
  });
});

describe('the old vector after a move: cleanup IPI (6.1) or cleanup timer (6.6+)', () => {
  // v6.1 arch/x86/kernel/apic/vector.c __send_cleanup_vector(): hlist_add_head() on prev_cpu's
  // cleanup_list and apic->send_IPI(cpu, IRQ_MOVE_CLEANUP_VECTOR); sysvec_irq_move_cleanup()
  // frees the list (free_moved_vector()) when the IPI arrives — it increments no irq_stat.
  it('6.1: intel_ir_set_affinity() → send_cleanup_vector(): the IPI frees the old vector within the call', () => {
    const m = machine('6.1');
    nvmeQueues(m, 1);
    const admin = irqOf(m, NVME, 0);
    const a = apicChipData(admin.irqData)!;
    const from = a.cpu;
    const to = from === 1 ? 2 : 1;
    const r = ok(m, { op: 'irq_set_affinity', virq: admin.irq, cpus: [to] });
    expect(calls(r.trace)).toEqual(expect.arrayContaining(['send_cleanup_vector', 'sysvec_irq_move_cleanup']));
    expect(formatTrace(r.trace)).toContain('IRQ_MOVE_CLEANUP_VECTOR 0x20');
    expect([a.cpu, a.prevVector, a.cleanupPending, a.moveInProgress]).toEqual([to, 0, false, false]);
  });

  // v7.2 __vector_schedule_cleanup(): hlist_add_head() and add_timer_on(&cl->timer, cpu) one
  // jiffy later (vector_cleanup_callback() → __vector_cleanup()).
  it('7.2: the old vector waits on the cleanup list for the timer (the next step)', () => {
    const m = machine('7.2');
    nvmeQueues(m, 1);
    const admin = irqOf(m, NVME, 0);
    const a = apicChipData(admin.irqData)!;
    const to = a.cpu === 1 ? 2 : 1;
    const r = ok(m, { op: 'irq_set_affinity', virq: admin.irq, cpus: [to] });
    expect(calls(r.trace)).not.toContain('sysvec_irq_move_cleanup');
    expect(a.cleanupPending).toBe(true);
    expect(a.prevVector).not.toBe(0);
    const next = ok(m, { op: 'msleep', ms: 1 });
    expect(next.ok).toBe(true);
    expect([a.prevVector, a.cleanupPending]).toEqual([0, false]);
  });

  // v6.1 arch/x86/include/asm/irq_vectors.h: FIRST_SYSTEM_VECTOR is LOCAL_TIMER_VECTOR (0xec) and
  // IRQ_MOVE_CLEANUP_VECTOR (0x20) is a system vector; v6.12: 0xeb, 0x20 is a device vector.
  it("the matrix ends at each version's FIRST_SYSTEM_VECTOR and 6.1 keeps 0x20 for the cleanup IPI", () => {
    const m61 = machine('6.1');
    const m612 = machine('6.12');
    expect(m61.platform.matrixView()!.systemVectors).toContain(0x20);
    expect(m612.platform.matrixView()!.systemVectors).not.toContain(0x20);
    expect((m61.platform as unknown as { vector: { matrix: { allocEnd: number } } }).vector.matrix.allocEnd).toBe(0xec);
    expect((m612.platform as unknown as { vector: { matrix: { allocEnd: number } } }).vector.matrix.allocEnd).toBe(0xeb);
  });
});

describe('x86_vector_activate(): an interrupt with a vector of its own', () => {
  // arch/x86/kernel/apic/vector.c (6.1, 6.12, 7.2) x86_vector_activate(): "if (!apicd->can_reserve
  // && !apicd->is_managed) assign_irq_vector_any_locked(irqd);" — the vector stays if its CPU is
  // online and in the affinity (assign_vector_locked()), else one on an online CPU is taken and the
  // old one on the offline CPU freed (apic_update_vector()).
  it('MSI without per-vector masking (no reservation mode): after free_irq and its CPU going offline, request_irq moves it to an online CPU', () => {
    const DEV = '0000:02:00.0';
    const m = createMachine({ arch: 'x86', cpus: 4, remap: 'none', devices: [{ bdf: DEV, name: 'nic', msi: { vectors: 1, maskable: false, addr64: true } }] });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: DEV, min: 1, max: 1, flags: ['MSI'] });
    const desc = irqOf(m, DEV, 0);
    const a = apicChipData(desc.irqData)!;
    // msi_check_reservation_mode() is false for MSI that cannot mask: early activation assigned a
    // real vector and activate_reserved() cleared can_reserve (IRQD_CAN_RESERVE is not set).
    expect([a.canReserve, a.isManaged, a.vector !== 0xef]).toEqual([false, false, true]);
    ok(m, { op: 'request_irq', virq: desc.irq, name: 'nic' });
    if (a.cpu === 0) ok(m, { op: 'irq_set_affinity', virq: desc.irq, cpus: [1] });
    ok(m, { op: 'raise', dev: DEV, index: 0 });
    ok(m, { op: 'msleep', ms: 1 });
    const cpu = a.cpu;
    expect(cpu).not.toBe(0);
    ok(m, { op: 'free_irq', virq: desc.irq });
    ok(m, { op: 'cpu_down', cpu });
    // Not started, so migrate_one_irq() left it alone: its vector is still on the offline CPU.
    expect(a.cpu).toBe(cpu);
    const r = ok(m, { op: 'request_irq', virq: desc.irq, name: 'nic' });
    expect(calls(r.trace)).toContain('x86_vector_activate');
    expect(m.k.cpuOnline(a.cpu)).toBe(true);
    expect(desc.irqData.common.effectiveAffinity).toEqual([a.cpu]);
  });
});

describe('CPU0 on x86', () => {
  // drivers/base/core.c device_offline(): "if (dev_offline_disabled(dev)) return -EPERM;"; the
  // "online" attribute is created only "if (device_supports_offline(dev) && !dev_offline_disabled(dev))".
  for (const kernel of ['6.1', '7.2'] as const) it(`${kernel}: cpu_down 0 → -EPERM from device_offline(), and there is no cpu0/online file`, () => {
    const m = machine(kernel);
    const r = m.apply({ op: 'cpu_down', cpu: 0 });
    expect(r).toMatchObject({ ok: false, errno: -1 });
    expect(calls(r.trace)).toContain('device_offline');
    const text = formatTrace(r.trace);
    expect(JSON.stringify(r.trace)).toContain('drivers/base/core.c');
    expect(text).toContain('no /sys/devices/system/cpu/cpu0/online file');
  });
});

describe('pci_alloc_irq_vectors() with min below pre_vectors', () => {
  // kernel/irq/affinity.c irq_calc_affinity_vectors(): "if (resv > minvec) return 0;"; then
  // __pci_enable_msix_range(): "if (nvec < minvec) return -ENOSPC;".
  it('-ENOSPC, and the message names pre_vectors + post_vectors against min, not the CPUs', () => {
    const m = machine('7.2');
    const r = m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 9, flags: ['MSIX', 'AFFINITY'], pre_vectors: 2 });
    expect(r).toMatchObject({ ok: false, errno: -28 });
    expect(r.message).toContain('pre_vectors + post_vectors = 2 exceed min 1');
  });
});
