// Activation of a non-managed MSI-X interrupt on x86 in reservation mode, against
// arch/x86/kernel/apic/vector.c and kernel/irq/msi.c (v7.2):
//  - msi_init_virq() activates early with reserve=true, and x86_vector_activate() then parks the
//    interrupt with vector_assign_managed_shutdown(): MANAGED_IRQ_SHUTDOWN_VECTOR (0xef,
//    irq_vectors.h) on cpumask_first(cpu_online_mask); ACTIVATED is cleared again.
//  - request_irq() activates it for real: activate_reserved() → assign_irq_vector_any_locked(),
//    which tries the affinity mask (AND online) before the whole online mask.

import { describe, expect, it } from 'vitest';
import { createMachine } from '../../machine';
import { ok } from '../../testing';

const NIC = '0000:3d:00.0';
const MANAGED_IRQ_SHUTDOWN_VECTOR = 0xef;

function machine(cpus = 4) {
  const m = createMachine({ arch: 'x86', cpus, remap: 'none', devices: [{ bdf: NIC, name: 'nic', msix: { tableSize: 8 } }] });
  ok(m, { op: 'pci_alloc_irq_vectors', dev: NIC, min: 2, max: 2, flags: ['MSIX'] });
  return m;
}
const irq = (m: ReturnType<typeof machine>, index: number) => m.view().irqs.find((i) => i.msi?.dev === NIC && i.msi.index === index)!;

describe('reservation mode: parked until request_irq', () => {
  it('after pci_alloc_irq_vectors the interrupt sits on 0xef of the first online CPU, not activated', () => {
    const m = machine();
    for (const index of [0, 1]) {
      const v = irq(m, index);
      expect(v.hwVector).toBe(MANAGED_IRQ_SHUTDOWN_VECTOR);
      expect(v.effectiveAffinity).toEqual([0]);
      expect(v.activated).toBe(false);
      expect(v.stateNames).toContain('IRQD_CAN_RESERVE');
      // No vector of the matrix is taken yet (irq_matrix_reserve() only counts).
      expect(v.vector).toBe(0);
    }
  });

  it('request_irq gives it a real vector of the matrix (in the external range 0x20…0xeb)', () => {
    const m = machine();
    ok(m, { op: 'request_irq', dev: NIC, index: 0, name: 'nic-0' });
    const v = irq(m, 0);
    expect(v.activated).toBe(true);
    expect(v.vector).toBeGreaterThanOrEqual(0x20);
    expect(v.vector).toBeLessThan(0xec);
    expect(v.hwVector).toBe(v.vector);
  });
});

describe('assign_irq_vector_any_locked(): the affinity mask first, then every online CPU', () => {
  it.each([0, 2, 3])('an affinity set to CPU%i before request_irq is where the vector lands', (cpu) => {
    const m = machine();
    // Not activated yet: irq_set_affinity_deactivated() only stores the mask.
    ok(m, { op: 'irq_set_affinity', dev: NIC, index: 1, cpus: [cpu] });
    expect(irq(m, 1).affinity).toEqual([cpu]);
    const before = m.view().cpus.map((c) => c.allocated);
    ok(m, { op: 'request_irq', dev: NIC, index: 1, name: 'nic-1' });
    const v = irq(m, 1);
    expect(v.cpu).toBe(cpu);
    expect(v.effectiveAffinity).toEqual([cpu]);
    // Activation itself chose that CPU: irq_setup_affinity() after it had nothing to move (no
    // old vector waiting for cleanup, one vector taken on that CPU and none anywhere else).
    expect(v.prevVector).toBe(0);
    expect(m.view().cpus.map((c) => c.allocated)).toEqual(before.map((n, c) => (c === cpu ? n + 1 : n)));
  });

  it('an affinity whose CPUs are all offline falls back to the online CPUs', () => {
    const m = machine();
    ok(m, { op: 'irq_set_affinity', dev: NIC, index: 1, cpus: [3] });
    ok(m, { op: 'cpu_down', cpu: 3 });
    ok(m, { op: 'request_irq', dev: NIC, index: 1, name: 'nic-1' });
    const v = irq(m, 1);
    expect([0, 1, 2]).toContain(v.cpu);
    expect(v.vector).toBeGreaterThanOrEqual(0x20);
  });
});
