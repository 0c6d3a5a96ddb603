// The vector map names each (cpu, vector) cell by the code the worker sends (vectorCellsOf →
// IrqMatrix.fillCellStates). Each name must stand for what kernel/irq/matrix.c and
// arch/x86/kernel/apic/vector.c + idt.c (v7.2) put in that cell:
//   system            system_map: idt.c sets system_vectors for the exception gates (def_idts,
//                     early_idts, early_pf_idts), int 0x80 (ia32_idt) and apic_idts;
//                     lapic_assign_system_vectors() adds the PIC cascade ISA_IRQ_VECTOR(2)
//   outside window    not a system vector and outside [FIRST_EXTERNAL_VECTOR 0x20,
//                     FIRST_SYSTEM_VECTOR 0xeb): never handed out
//   free              in the window, no bit in alloc_map or managed_map
//   allocated         alloc_map: irq_matrix_alloc(), the lowest free bit from alloc_start
//                     (matrix_alloc_area()); reservation mode (irq_matrix_reserve()) sets none
//   managed reserved  managed_map only: irq_matrix_reserve_managed(), one bit per CPU of the mask
//   managed allocated irq_matrix_alloc_managed() takes the first managed_map bit not in alloc_map

import { describe, expect, it } from 'vitest';
import { createSimMachine, vectorCellsOf } from '../../worker/engine-adapter';
import { CELL_LEGEND, cellColour, cellName } from './cells';

const NIC = '0000:01:00.0';
const NVME = '0000:3d:00.0';
const CPUS = 4;

function boot() {
  return createSimMachine({
    arch: 'x86', cpus: CPUS, remap: 'none',
    devices: [{ bdf: NIC, name: 'nic', msix: { tableSize: 8 } }, { bdf: NVME, name: 'nvme', msix: { tableSize: 8 } }],
  });
}
type M = ReturnType<typeof boot>;

/** The name the vector map shows for every cell, per CPU. */
function names(m: M): string[][] {
  const c = vectorCellsOf(m)!;
  expect(c.vectors).toBe(256);
  return Array.from({ length: c.cpus }, (_, cpu) => Array.from({ length: c.vectors }, (_, v) => cellName(c.states[cpu * c.vectors + v])));
}
const ok = (m: M, a: Parameters<M['apply']>[0]) => expect(m.apply(a)).toMatchObject({ ok: true });
const irqOf = (m: M, dev: string, index: number) => m.view().irqs.find((i) => i.msi?.dev === dev && i.msi.index === index)!;
const firstFree = (row: string[]) => row.findIndex((n, v) => v >= 0x20 && n === 'free');

describe('each cell name of the vector map stands for its kernel fact', () => {
  it('system: exceptions, int 0x80, the PIC cascade and the APIC gates, on every CPU', () => {
    const cells = names(boot());
    // #DE, NMI, #PF, #MC, PIC cascade 0x32, IA32_SYSCALL_VECTOR, LOCAL_TIMER_VECTOR, RESCHEDULE, SPURIOUS_APIC
    for (const row of cells) for (const v of [0x00, 0x02, 0x0e, 0x12, 0x32, 0x80, 0xec, 0xfd, 0xff]) expect([v, row[v]]).toEqual([v, 'system']);
  });

  it('outside window: no gate bit and outside 0x20…0xea (0x1f, POSTED_MSI_NOTIFICATION 0xeb without CONFIG_X86_POSTED_MSI, MANAGED_IRQ_SHUTDOWN 0xef)', () => {
    const cells = names(boot());
    for (const row of cells) for (const v of [0x16, 0x1f, 0xeb, 0xef]) expect([v, row[v]]).toEqual([v, 'outside window']);
  });

  it('free: the top of the window at boot (matrix_alloc_area() hands out from the bottom)', () => {
    const cells = names(boot());
    for (const row of cells) for (const v of [0xe0, 0xea]) expect([v, row[v]]).toEqual([v, 'free']);
  });

  it('allocated: nothing at pci_alloc_irq_vectors (reservation mode), the lowest free vector of the target CPU at request_irq', () => {
    const m = boot();
    const atBoot = names(m);
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NIC, min: 1, max: 1, flags: ['MSIX'] });
    // irq_matrix_reserve() only counts: no cell changes.
    expect(names(m)).toEqual(atBoot);
    ok(m, { op: 'irq_set_affinity', dev: NIC, index: 0, cpus: [3] });
    ok(m, { op: 'request_irq', dev: NIC, index: 0, name: 'nic' });
    const q = irqOf(m, NIC, 0);
    expect(q.cpu).toBe(3);
    expect(q.vector).toBe(firstFree(atBoot[3]));
    const now = names(m);
    expect(now[3][q.vector]).toBe('allocated');
    // the only cell that changed
    expect(now.flatMap((row, cpu) => row.flatMap((n, v) => (n !== atBoot[cpu][v] ? [[cpu, v]] : [])))).toEqual([[3, q.vector]]);
  });

  it('managed reserved, then managed allocated: one bit per CPU of each queue\'s mask, taken by request_irq', () => {
    const m = boot();
    const atBoot = names(m);
    // 1 pre vector + one managed queue per CPU (irq_calc_affinity_vectors: 1 + min(4, 7)).
    expect(m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 8, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 })).toMatchObject({ ok: true, value: 1 + CPUS });
    const reserved = names(m);
    const managedCells = reserved.map((row) => row.flatMap((n, v) => (n === 'managed reserved' ? [v] : [])));
    // irq_matrix_reserve_managed(): each queue's one-CPU mask reserves the lowest free bit there.
    expect(managedCells).toEqual(atBoot.map((row) => [firstFree(row)]));
    for (let index = 1; index <= CPUS; index++) ok(m, { op: 'request_irq', dev: NVME, index, name: `nvme0q${index}` });
    const taken = names(m);
    const queues = Array.from({ length: CPUS }, (_, i) => irqOf(m, NVME, i + 1));
    expect(queues.map((q) => q.cpu).sort()).toEqual([0, 1, 2, 3]);
    for (const q of queues) {
      // irq_matrix_alloc_managed(): the reserved bit itself.
      expect(q.vector).toBe(managedCells[q.cpu][0]);
      expect(taken[q.cpu][q.vector]).toBe('managed allocated');
    }
    expect(taken.flat().filter((n) => n === 'managed reserved')).toEqual([]);
  });

  it('every code the engine draws has its own legend entry and colour', () => {
    expect(new Set(CELL_LEGEND.map((l) => l.code)).size).toBe(6);
    expect(new Set(CELL_LEGEND.map((l) => cellColour(l.code, false))).size).toBe(6);
    expect(new Set(CELL_LEGEND.map((l) => cellColour(l.code, true))).size).toBe(6);
  });
});
