// Behaviour tests of the x86 model, one per kernel behaviour, each naming the kernel function it checks.

import { describe, expect, it } from 'vitest';
import { procInterrupts } from './render';
import { formatTrace } from './core/trace';
import { createMachine, type Machine } from './machine';
import type { MachineSpec } from './types';
import { apicChipData } from './arch/x86/vector';

const NVME = '0000:3d:00.0';
const NIC = '0000:01:00.0';

function machine(cpus: number, remap: MachineSpec['remap'], devices: MachineSpec['devices']): Machine {
  return createMachine({ arch: 'x86', cpus, remap, devices });
}
const nvme = (tableSize = 65) => ({ bdf: NVME, name: 'nvme', msix: { tableSize } });

function irqOf(m: Machine, dev: string, index: number) {
  const r = m.apply({ op: 'pci_irq_vector', dev, nr: index });
  expect(r.ok).toBe(true);
  return m.k.descs.get(r.value as number)!;
}

describe('pci_alloc_irq_vectors_affinity / irq_create_affinity_masks', () => {
  // group_cpus_evenly(): 6.12 hands out CPUs in order; 7.2 first groups by cluster (one CPU
  // each here) and lib/sort.c's heapsort leaves eight equal clusters as 1, 3, 4, 5, 6, 7, 2, 0.
  const SPREAD: Record<'6.12' | '7.2', number[]> = { '6.12': [0, 1, 2, 3, 4, 5, 6, 7], '7.2': [1, 3, 4, 5, 6, 7, 2, 0] };
  for (const kernel of ['6.12', '7.2'] as const) it(`${kernel}: spreads the managed MSI-X queues of a 65-entry NVMe over the CPUs, admin queue unmanaged`, () => {
    const m = createMachine({ ...machine(8, 'intel-ir', [nvme()]).spec, kernel });
    const r = m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 65, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 });
    // irq_calc_affinity_vectors(1, 65) = 1 + min(8 CPUs, 64) = 9
    expect(r).toMatchObject({ ok: true, value: 9 });
    const v = m.view();
    expect(v.irqs.filter((i) => i.msi?.dev === NVME)).toHaveLength(9);
    for (let i = 0; i < 9; i++) m.apply({ op: 'request_irq', dev: NVME, index: i, name: `nvme0q${i}` });
    const admin = irqOf(m, NVME, 0);
    expect(m.isManaged(admin)).toBe(false);
    for (let q = 1; q <= 8; q++) {
      const desc = irqOf(m, NVME, q);
      expect(m.isManaged(desc)).toBe(true);
      expect(desc.irqData.common.affinity).toEqual([SPREAD[kernel][q - 1]]);
      expect(desc.irqData.common.effectiveAffinity).toEqual([SPREAD[kernel][q - 1]]);
    }
    // each CPU holds one managed reservation, allocated (mac 1)
    for (const c of m.view().cpus) expect([c.managed, c.managedAllocated]).toEqual([1, 1]);
  });
});

describe('msi_capability_init / intel_irq_remapping_alloc', () => {
  it('multi-message MSI takes consecutive virqs and an aligned power-of-two IRTE block with remapping', () => {
    const m = machine(4, 'intel-ir', [{ bdf: NIC, name: 'nic', msi: { vectors: 8, maskable: true, addr64: true } }]);
    const r = m.apply({ op: 'pci_alloc_irq_vectors', dev: NIC, min: 1, max: 8, flags: ['MSI'] });
    expect(r).toMatchObject({ ok: true, value: 8 });
    const first = irqOf(m, NIC, 0).irq;
    const irHwirqs: number[] = [];
    for (let i = 0; i < 8; i++) {
      const desc = irqOf(m, NIC, i);
      expect(desc.irq).toBe(first + i);
      irHwirqs.push(desc.irqData.parentData!.hwirq);
    }
    const base = irHwirqs[0] >>> 16;
    expect(base % 8).toBe(0);
    // one IRTE block: hwirq = (index << 16) + sub_handle
    expect(irHwirqs).toEqual(Array.from({ length: 8 }, (_, i) => (base << 16) + i));
  });

  it('without remapping the VECTOR parent cannot do multi-MSI: the PCI core retries with one vector', () => {
    const m = machine(4, 'none', [{ bdf: NIC, name: 'nic', msi: { vectors: 8, maskable: true, addr64: true } }]);
    expect(m.apply({ op: 'pci_alloc_irq_vectors', dev: NIC, min: 1, max: 8, flags: ['MSI'] })).toMatchObject({ ok: true, value: 1 });
    const before = m.snapshot();
    const r = m.apply({ op: 'pci_free_irq_vectors', dev: NIC });
    expect(r.ok).toBe(true);
    expect(m.snapshot()).not.toBe(before);
    const fail = m.apply({ op: 'pci_alloc_irq_vectors', dev: NIC, min: 2, max: 8, flags: ['MSI'] });
    expect(fail).toMatchObject({ ok: false, errno: -28 });
  });
});

describe('irq_matrix_alloc / activate_reserved', () => {
  it('a full CPU set gives -ENOSPC at request_irq, with nothing half-allocated', () => {
    const m = machine(2, 'none', [nvme(2048)]);
    expect(m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 500, flags: ['MSIX'] })).toMatchObject({ ok: true, value: 500 });
    let index = 0;
    let last = m.apply({ op: 'request_irq', dev: NVME, index, name: 'q0' });
    while (last.ok) {
      index++;
      last = m.apply({ op: 'request_irq', dev: NVME, index, name: `q${index}` });
    }
    expect(last.errno).toBe(-28);
    expect(last.message).toMatch(/ENOSPC/);
    // both CPUs are full: every vector of the allocation window is taken
    expect(m.view().cpus.map((c) => c.available)).toEqual([0, 0]);
    expect(index).toBeGreaterThan(350);
    const before = m.snapshot();
    expect(m.apply({ op: 'request_irq', dev: NVME, index, name: 'again' }).ok).toBe(false);
    expect(m.snapshot()).toBe(before);
  });

  it('managed reservation beyond the CPUs fails whole: pci_alloc_irq_vectors returns -ENOSPC and changes nothing', () => {
    const m = machine(1, 'none', [nvme(2048)]);
    const before = m.snapshot();
    const r = m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 300, max: 300, flags: ['MSIX', 'AFFINITY'] });
    expect(r.ok).toBe(false);
    expect(m.snapshot()).toBe(before);
  });
});

describe('irq_set_affinity: intel_ir_set_affinity vs msi_set_affinity', () => {
  function boot(remap: MachineSpec['remap']) {
    const m = machine(4, remap, [nvme()]);
    m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 4, flags: ['MSIX'] });
    m.apply({ op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' });
    return m;
  }
  const entry0 = (m: Machine) => ({ ...m.devices.get(NVME)!.msixCap!.table[0] });

  it('with remapping only the IRTE changes; the device message stays; the old vector is freed by the cleanup timer', () => {
    const m = boot('intel-ir');
    const desc = irqOf(m, NVME, 0);
    const msgBefore = entry0(m);
    const a = apicChipData(desc.irqData)!;
    const [oldVec, oldCpu] = [a.vector, a.cpu];
    const target = oldCpu === 3 ? 2 : 3;
    const r = m.apply({ op: 'irq_set_affinity', dev: NVME, index: 0, cpus: [target] });
    expect(r.ok).toBe(true);
    expect(entry0(m)).toEqual(msgBefore);
    expect(a.cpu).toBe(target);
    expect(a.prevVector).toBe(oldVec);
    expect(m.x86.vector.matrix.isAllocated(oldCpu, oldVec)).toBe(true);
    m.apply({ op: 'msleep', ms: 4 });
    expect(a.prevVector).toBe(0);
    expect(m.x86.vector.matrix.isAllocated(oldCpu, oldVec)).toBe(false);
  });

  it('without remapping the move waits for the next interrupt, which rewrites the device message', () => {
    const m = boot('none');
    const desc = irqOf(m, NVME, 0);
    const msgBefore = entry0(m);
    const a = apicChipData(desc.irqData)!;
    const target = a.cpu === 3 ? 2 : 3;
    expect(m.apply({ op: 'irq_set_affinity', dev: NVME, index: 0, cpus: [target] }).ok).toBe(true);
    expect(m.view().irqs.find((i) => i.virq === desc.irq)!.stateNames).toContain('IRQD_SETAFFINITY_PENDING');
    expect(entry0(m)).toEqual(msgBefore);
    m.apply({ op: 'raise', dev: NVME, index: 0 });
    expect(a.cpu).toBe(target);
    expect(entry0(m).addressLo).toBe((0xfee00000 | (target << 12)) >>> 0);
    expect(entry0(m).data).toBe(a.vector);
  });
});

describe('handle_edge_irq / pci_msix_unmask', () => {
  it('a masked raise sets the pending bit; unmask delivers it once', () => {
    const m = machine(4, 'intel-ir', [nvme()]);
    m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
    m.apply({ op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' });
    const desc = irqOf(m, NVME, 0);
    const total = () => desc.kstat.reduce((s, n) => s + n, 0);
    m.apply({ op: 'mask', dev: NVME, index: 0 });
    m.apply({ op: 'raise', dev: NVME, index: 0 });
    expect(total()).toBe(0);
    expect(m.devices.get(NVME)!.msixCap!.pba[0]).toBe(1);
    m.apply({ op: 'unmask', dev: NVME, index: 0 });
    expect(total()).toBe(1);
    expect(m.devices.get(NVME)!.msixCap!.pba[0]).toBe(0);
    m.apply({ op: 'unmask', dev: NVME, index: 0 });
    expect(total()).toBe(1);
  });
});

describe('irq_migrate_all_off_this_cpu / irq_affinity_online_cpu', () => {
  it('cpu_down shuts down a managed queue whose only CPU leaves, moves the others; cpu_up restarts it', () => {
    const m = machine(4, 'intel-ir', [nvme()]);
    m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 5, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 });
    for (let i = 0; i < 5; i++) m.apply({ op: 'request_irq', dev: NVME, index: i, name: `nvme0q${i}` });
    const admin = irqOf(m, NVME, 0);
    const q3 = irqOf(m, NVME, 3); // managed to CPU2
    expect(q3.irqData.common.affinity).toEqual([2]);
    m.apply({ op: 'irq_set_affinity', dev: NVME, index: 0, cpus: [2] });
    m.apply({ op: 'msleep', ms: 4 });
    expect(admin.irqData.common.effectiveAffinity).toEqual([2]);

    expect(m.apply({ op: 'cpu_down', cpu: 2 }).ok).toBe(true);
    const q3v = m.view().irqs.find((i) => i.virq === q3.irq)!;
    expect(q3v.stateNames).toContain('IRQD_MANAGED_SHUTDOWN');
    expect(q3v.started).toBe(false);
    expect(apicChipData(q3.irqData)!.hwIrqCfg.vector).toBe(0xef);
    // the admin queue is not managed: it moves to an online CPU (its affinity breaks)
    expect(admin.irqData.common.effectiveAffinity).not.toContain(2);
    expect(m.log.some((l) => l.text === `IRQ ${admin.irq}: no longer affine to CPU2`)).toBe(true);

    // a raise on the shut-down queue is held in the PBA, delivered when the CPU returns
    m.apply({ op: 'raise', dev: NVME, index: 3 });
    expect(q3.kstat[2]).toBe(0);
    expect(m.apply({ op: 'cpu_up', cpu: 2 }).ok).toBe(true);
    expect(m.view().irqs.find((i) => i.virq === q3.irq)!.started).toBe(true);
    expect(q3.irqData.common.effectiveAffinity).toEqual([2]);
    expect(q3.kstat[2]).toBe(1);
  });

  it('lapic_can_unplug_cpu refuses when the dying CPU\'s vectors do not fit elsewhere', () => {
    const m = machine(2, 'none', [nvme(2048)]);
    m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 400, flags: ['MSIX'] });
    for (let i = 0; i < 400; i++) m.apply({ op: 'request_irq', dev: NVME, index: i, name: `q${i}` });
    const before = m.snapshot();
    const r = m.apply({ op: 'cpu_down', cpu: 1 });
    expect(r).toMatchObject({ ok: false, errno: -28 });
    expect(m.log.at(-1)!.text).toMatch(/^CPU 1 has \d+ vectors, \d+ available\. Cannot disable CPU$/);
    expect(m.snapshot()).toBe(before);
  });
});

describe('free_irq / x86_vector_deactivate', () => {
  it('free_irq of a reservation-mode vector gives the vector back and re-reserves; of a managed one parks it on 0xef', () => {
    const m = machine(4, 'intel-ir', [nvme()]);
    m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 3, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 });
    for (let i = 0; i < 3; i++) m.apply({ op: 'request_irq', dev: NVME, index: i, name: `q${i}` });
    const reserved0 = m.view().matrix!.globalReserved;
    const admin = irqOf(m, NVME, 0);
    const q1 = irqOf(m, NVME, 1);
    const a0 = apicChipData(admin.irqData)!;
    const [v0, c0] = [a0.vector, a0.cpu];
    m.apply({ op: 'free_irq', dev: NVME, index: 0 });
    expect(m.x86.vector.matrix.isAllocated(c0, v0)).toBe(false);
    expect(a0).toMatchObject({ vector: 0, hasReserved: true, canReserve: true });
    expect(m.view().matrix!.globalReserved).toBe(reserved0 + 1);
    m.apply({ op: 'free_irq', dev: NVME, index: 1 });
    const a1 = apicChipData(q1.irqData)!;
    expect(a1.vector).toBe(0);
    expect(a1.hwIrqCfg.vector).toBe(0xef);
    // the managed reservation stays: man unchanged, mac back to 0 on that CPU
    const cpu = q1.irqData.common.affinity[0];
    expect(m.view().cpus[cpu]).toMatchObject({ managed: 1, managedAllocated: 0 });
  });
});

describe('the trip of a raised interrupt (hops)', () => {
  it('with remapping: device write → IRTE → CPU vector → handler; without: device → compatibility message → CPU → handler', () => {
    for (const remap of ['intel-ir', 'none'] as const) {
      const m = machine(4, remap, [nvme()]);
      m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
      m.apply({ op: 'request_irq', dev: NVME, index: 0, name: 'q0' });
      const r = m.apply({ op: 'raise', dev: NVME, index: 0 });
      const stages = r.hops.map((h) => h.stage);
      expect(stages).toEqual(remap === 'none' ? ['device', 'apic', 'cpu', 'handler'] : ['device', 'remap', 'cpu', 'handler']);
      const desc = irqOf(m, NVME, 0);
      const a = apicChipData(desc.irqData)!;
      expect(r.hops.at(-2)).toMatchObject({ cpu: a.cpu, vector: a.vector, virq: desc.irq });
      expect(r.hops[0].domain).toBe(remap === 'none' ? 'PCI-MSIX-0000:3d:00.0-12' : 'IR-PCI-MSIX-0000:3d:00.0-12');
    }
  });
});

describe('enable_irq', () => {
  it('an unbalanced enable_irq only WARNs, as the void kernel function does', () => {
    const m = machine(2, 'intel-ir', [nvme()]);
    m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
    m.apply({ op: 'request_irq', dev: NVME, index: 0, name: 'q0' });
    const r = m.apply({ op: 'enable_irq', dev: NVME, index: 0 });
    expect(r.ok).toBe(true);
    expect(r.message).toMatch(/^Unbalanced enable for IRQ \d+/);
    expect(m.log.at(-1)!.text).toMatch(/^WARNING: Unbalanced enable for IRQ \d+$/);
    expect(irqOf(m, NVME, 0).depth).toBe(0);
  });
});

describe('request_irq with IRQF_* flags from a scenario (kernel/irq/manage.c __setup_irq)', () => {
  it('two handlers share an MSI-X vector when both say IRQF_SHARED; without it the second gets -EBUSY', () => {
    const m = machine(4, 'intel-ir', [nvme()]);
    expect(m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] })).toMatchObject({ ok: true });
    expect(m.apply({ op: 'request_irq', dev: NVME, index: 0, name: 'a', flags: ['IRQF_SHARED'] })).toMatchObject({ ok: true });
    expect(m.apply({ op: 'request_irq', dev: NVME, index: 0, name: 'b' })).toMatchObject({ ok: false, errno: -16 });
    expect(m.apply({ op: 'request_irq', dev: NVME, index: 0, name: 'b', flags: ['IRQF_SHARED'] })).toMatchObject({ ok: true });
    // /proc/interrupts lists the shared handlers comma-separated.
    expect(procInterrupts(m)).toMatch(/ a, b$/m);
  });
});

describe('migrate_one_irq(): the trace names what it moved', () => {
  it('cpu_down names the IO-APIC irq that leaves the dying CPU and where it goes', () => {
    const m = machine(4, 'intel-ir', [nvme()]);
    const onCpu3 = m.view().irqs.find((i) => i.actions.length && i.effectiveAffinity.includes(3) && i.chain[0].chip.includes('IO-APIC'));
    expect(onCpu3, 'a boot IO-APIC interrupt on CPU3').toBeDefined();
    const r = m.apply({ op: 'cpu_down', cpu: 3 });
    const text = formatTrace(r.trace);
    expect(text).toMatch(new RegExp(`irq ${onCpu3!.virq} \\(${onCpu3!.actions[0]}\\) on IO-APIC-\\d+: leaves CPU3 for CPU[0-2]`));
  });
});

describe('struct irq_affinity with sets (nr_sets / set_size[], kernel/irq/affinity.c)', () => {
  it('each set is spread over all CPUs on its own: NVMe-like admin + 4 default + 4 read queues on 4 CPUs (6.12)', () => {
    const m = createMachine({ ...machine(4, 'intel-ir', [nvme()]).spec, kernel: '6.12' });
    const r = m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 9, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1, sets: [4, 4] });
    // irq_calc_affinity_vectors() with calc_sets: every vector up to max may be spread (not capped at 4 CPUs).
    expect(r).toMatchObject({ ok: true, value: 9 });
    const aff = Array.from({ length: 9 }, (_, i) => irqOf(m, NVME, i).irqData.common.affinity);
    expect(aff).toEqual([[0, 1, 2, 3], [0], [1], [2], [3], [0], [1], [2], [3]]);
    expect(Array.from({ length: 9 }, (_, i) => m.isManaged(irqOf(m, NVME, i)))).toEqual([false, ...Array(8).fill(true)]);
  });
});
