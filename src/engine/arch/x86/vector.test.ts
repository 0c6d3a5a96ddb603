// x86_vector_alloc_irqs() failing part-way, against arch/x86/kernel/apic/vector.c (v7.2):
//
//   err = assign_irq_vector_policy(irqd, info);     // managed: reserve_managed_vector()
//   if (err) { irqd->chip_data = NULL; free_apic_chip_data(apicd); goto error; }
//   ...
// error:
//   x86_vector_free_irqs(domain, virq, i);           // the i interrupts set up before
//
// x86_vector_free_irqs() → vector_free_reserved_and_managed() → irq_matrix_remove_managed() gives
// back the managed bit each earlier interrupt reserved. Nobody else does: intel_irq_remapping_alloc()
// does not call its parent's free when irq_domain_alloc_irqs_parent() fails.
//
// The only caller that reaches the VECTOR domain with several interrupts in one call is multi-MSI
// behind interrupt remapping (one msi_desc, nvec_used > 1). With PCI_IRQ_AFFINITY each vector has
// a one-CPU mask; on 7.2 group_cpus_evenly() hands eight one-CPU clusters out as CPUs
// 1, 3, 4, 5, 6, 7, 2, 0 (see x86.test.ts), so with CPU2 full the 7th reservation fails
// (irq_matrix_reserve_managed(): matrix_alloc_area() finds no bit, -ENOSPC) after six succeeded.

import { describe, expect, it } from 'vitest';
import { createMachine } from '../../machine';
import type { TraceNode } from '../../core/trace';
import { ok } from '../../testing';

const NVME = '0000:3d:00.0';
const NIC = '0000:01:00.0';
const FULL_CPU = 2;

function nodes(t: readonly TraceNode[], fn: string): TraceNode[] {
  return t.flatMap((n) => [...(n.fn === fn ? [n] : []), ...nodes(n.children, fn)]);
}

/** 8 CPUs with VT-d; CPU2's allocation window filled by non-managed NVMe vectors. */
function machineWithFullCpu2() {
  const m = createMachine({
    arch: 'x86', cpus: 8, remap: 'intel-ir',
    devices: [
      { bdf: NVME, name: 'nvme', msix: { tableSize: 2048 } },
      { bdf: NIC, name: 'nic', msi: { vectors: 8, maskable: true, addr64: true } },
    ],
  });
  ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 256, flags: ['MSIX'] });
  // 0x20…0xea is 203 vectors, less the system vectors 0x32 (PIC cascade) and 0x80 (int 0x80):
  // at most 201 fit on one CPU. activate_reserved() tries the affinity mask first.
  let index = 0;
  for (; index < 256 && m.view().cpus[FULL_CPU].available > 0; index++) {
    ok(m, { op: 'irq_set_affinity', dev: NVME, index, cpus: [FULL_CPU] });
    ok(m, { op: 'request_irq', dev: NVME, index, name: `q${index}` });
  }
  expect(index).toBeLessThanOrEqual(201);
  expect(m.view().cpus[FULL_CPU].available).toBe(0);
  return m;
}

describe('x86_vector_alloc_irqs(): a managed reservation fails part-way through a multi-MSI block', () => {
  it('returns -ENOSPC and x86_vector_free_irqs() gives back the six reservations made before it', () => {
    const m = machineWithFullCpu2();
    const before = m.view().cpus.map(({ available, managed, managedAllocated, allocated }) => ({ available, managed, managedAllocated, allocated }));
    const snap = m.snapshot();

    // msi_handle_pci_fail(): a multi-MSI block that fails returns 1 ("retry with fewer"), and
    // __pci_enable_msi_range() turns 1 < minvec into -ENOSPC.
    const r = m.apply({ op: 'pci_alloc_irq_vectors', dev: NIC, min: 8, max: 8, flags: ['MSI', 'AFFINITY'] });
    expect(r).toMatchObject({ ok: false, errno: -28 });

    const [alloc] = nodes(r.trace, 'x86_vector_alloc_irqs');
    expect(alloc.result).toBe('-ENOSPC');
    // reserve_managed_vector() for CPUs 1, 3, 4, 5, 6, 7 succeeds; CPU2's fails.
    const reserves = nodes(alloc.children, 'reserve_managed_vector');
    expect(reserves.map((n) => n.result)).toEqual(['0', '0', '0', '0', '0', '0', '-ENOSPC']);
    // ...and then the unwind of those six interrupts, inside the same call.
    const i = alloc.children.findIndex((n) => n.fn === 'x86_vector_free_irqs');
    expect(i).toBeGreaterThan(alloc.children.indexOf(reserves[6]));

    // Every CPU's managed count and available vectors are as before: no reservation leaked
    // (irq_matrix_reserve_managed() on an online CPU: managed++, available--; remove: the reverse).
    const after = m.view().cpus.map(({ available, managed, managedAllocated, allocated }) => ({ available, managed, managedAllocated, allocated }));
    expect(after).toEqual(before);
    expect(after.every((c) => c.managed === 0)).toBe(true);
    expect(m.view().irqs.filter((q) => q.msi?.dev === NIC)).toEqual([]);
    expect(m.snapshot()).toBe(snap);
  });

  it('with room on every CPU the same call succeeds: one managed vector reserved on each CPU', () => {
    const m = createMachine({
      arch: 'x86', cpus: 8, remap: 'intel-ir',
      devices: [{ bdf: NIC, name: 'nic', msi: { vectors: 8, maskable: true, addr64: true } }],
    });
    const r = m.apply({ op: 'pci_alloc_irq_vectors', dev: NIC, min: 8, max: 8, flags: ['MSI', 'AFFINITY'] });
    expect(r).toMatchObject({ ok: true, value: 8 });
    expect(m.view().cpus.map((c) => c.managed)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });
});
