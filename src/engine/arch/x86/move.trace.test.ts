// A vector move in the order the kernel runs it, and what the trace says of the old vector.
//
// With interrupt remapping (drivers/iommu/intel/irq_remapping.c intel_ir_set_affinity(), the same
// in 6.1, 6.12 and 7.2; drivers/iommu/amd/iommu.c amd_ir_set_affinity() likewise):
//   ret = parent->chip->irq_set_affinity(parent, mask, force);   (apic_set_affinity: new vector)
//   intel_ir_reconfigure_irte(data, false);                      (the IRTE points at it)
//   "After this point, all the interrupts will start arriving at the new destination. So, time
//    to cleanup the previous vector allocation."
//   vector_schedule_cleanup(cfg);   (6.1: send_cleanup_vector(cfg), an IPI on IRQ_MOVE_CLEANUP_VECTOR)
// Without remapping the PCI/MSI chip defers the move (IRQCHIP_MOVE_DEFERRED, 7.2; 6.1/6.12 the
// same through IRQD_SETAFFINITY_PENDING) to irq_move_irq() in the next interrupt's ack; msi_set_affinity()
// leaves move_in_progress set, and only the first interrupt on the new CPU runs irq_complete_move()
// (arch/x86/kernel/apic/vector.c: "If the interrupt arrived on the new target CPU, cleanup the vector
// on the old target CPU") → __vector_schedule_cleanup() (6.1 __send_cleanup_vector()).

import { describe, expect, it } from 'vitest';
import { createMachine, type Machine } from '../../machine';
import type { KernelVersion, MachineSpec } from '../../types';
import { traceItems, type TraceNode } from '../../core/trace';
import { ok } from '../../testing';

const NVME = '0000:3d:00.0';

function machine(kernel: KernelVersion, remap: MachineSpec['remap']): Machine {
  return createMachine({ arch: 'x86', kernel, cpus: 4, remap, devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 9 } }] });
}

/** Calls and effects in the order the trace shows them: "fn()" for a call, the text for an effect. */
function lines(nodes: readonly TraceNode[]): string[] {
  const out: string[] = [];
  const walk = (n: TraceNode) => {
    if (n.fn) out.push(`${n.fn}()`);
    for (const it of traceItems(n)) {
      if (it.effect !== undefined) out.push(n.effects[it.effect]);
      else walk(n.children[it.child]);
    }
  };
  nodes.forEach(walk);
  return out;
}

const at = (ls: string[], re: RegExp) => {
  const i = ls.findIndex((l) => re.test(l));
  if (i < 0) throw new Error(`no line matching ${re}:\n${ls.join('\n')}`);
  return i;
};

/** An unmanaged vector, requested, then moved to the other CPU of 1 / 2. */
function moved(m: Machine, op: 'irq_set_affinity' | 'write_irq_affinity' = 'write_irq_affinity') {
  ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
  ok(m, { op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' });
  const virq = ok(m, { op: 'pci_irq_vector', dev: NVME, nr: 0 }).ret as number;
  const from = m.k.descs.get(virq)!.irqData.common.effectiveAffinity[0];
  const to = from === 1 ? 2 : 1;
  return { r: ok(m, { op, dev: NVME, index: 0, cpus: [to] }), from, to };
}

describe('a move with interrupt remapping: apic_set_affinity, the IRTE, then the cleanup', () => {
  for (const [kernel, cleanup] of [['6.1', 'send_cleanup_vector()'], ['6.12', 'vector_schedule_cleanup()'], ['7.2', 'vector_schedule_cleanup()']] as const) {
    for (const [remap, setAff, irte] of [['intel-ir', 'intel_ir_set_affinity()', /^modify_irte: IRTE \d+ ← present/], ['amd-ir', 'amd_ir_set_affinity()', /^modify_irte: devid /]] as const) {
      it(`${kernel} ${remap}: ${setAff} → apic_set_affinity() → IRTE → ${cleanup}`, () => {
        const m = machine(kernel, remap);
        const { r, from, to } = moved(m);
        const ls = lines(r.trace);
        const order = [at(ls, new RegExp(`^${setAff.replace(/[()]/g, '\\$&')}$`)), at(ls, /^apic_set_affinity\(\)$/), at(ls, /^irq_matrix_alloc\(/), at(ls, irte), at(ls, new RegExp(`^${cleanup.replace(/[()]/g, '\\$&')}$`))];
        expect(order).toEqual([...order].sort((a, b) => a - b));
        // The old vector: queued at once, after the IRTE — never "until the first interrupt".
        expect(ls.join('\n')).not.toMatch(/first interrupt/);
        const queued = at(ls, new RegExp(`^old vector \\d+ queued on CPU${from}'s cleanup list`));
        expect(queued).toBeGreaterThan(at(ls, irte));
        expect(ls[at(ls, /^the IRTE now sends every interrupt/)]).toMatch(new RegExp(`on CPU${to}: the old vector \\d+ on CPU${from} gets no more, its cleanup is scheduled now`));
        if (kernel === '6.1') expect(at(ls, /^free_moved_vector: /)).toBeGreaterThan(queued); // the IPI frees it within the call
        else expect(ls[queued]).toMatch(/its timer frees it one jiffy later/);
      });
    }
  }

  it('the in-kernel irq_set_affinity() takes the same path', () => {
    const m = machine('7.2', 'intel-ir');
    const ls = lines(moved(m, 'irq_set_affinity').r.trace);
    expect(at(ls, /^vector_schedule_cleanup\(\)$/)).toBeGreaterThan(at(ls, /^apic_set_affinity\(\)$/));
  });
});

describe('a move without remapping: deferred to the next interrupt, the old vector freed after the first one on the new CPU', () => {
  for (const kernel of ['6.1', '6.12', '7.2'] as const) {
    it(`${kernel}: write → pending; raise → irq_move_irq → msi_set_affinity → apic_set_affinity, the old vector kept; raise on the new CPU → irq_complete_move → cleanup`, () => {
      const m = machine(kernel, 'none');
      const { r, from, to } = moved(m);
      expect(lines(r.trace).join('\n')).toMatch(/IRQD_SETAFFINITY_PENDING/);
      expect(lines(r.trace)).not.toContain('apic_set_affinity()');

      // The next interrupt still arrives on the old CPU; its ack applies the move.
      const first = lines(ok(m, { op: 'raise', dev: NVME, index: 0 }).trace);
      const order = [at(first, /^irq_move_irq\(\)$/), at(first, /^msi_set_affinity\(\)$/), at(first, /^apic_set_affinity\(\)$/), at(first, /^__pci_write_msi_msg\(\)$/)];
      expect(order).toEqual([...order].sort((a, b) => a - b));
      const kept = at(first, /^old vector \d+ on CPU\d+ stays until the first interrupt arrives/);
      expect(first[kept]).toMatch(new RegExp(`on CPU${from} stays until the first interrupt arrives on vector \\d+ of CPU${to}: irq_complete_move\\(\\) schedules its cleanup then`));
      expect(kept).toBeGreaterThan(at(first, /^__pci_write_msi_msg\(\)$/));
      expect(first).not.toContain('vector_schedule_cleanup()');
      expect(first).not.toContain('send_cleanup_vector()');

      // The first interrupt on the new CPU completes the move.
      const second = lines(ok(m, { op: 'raise', dev: NVME, index: 0 }).trace);
      const complete = at(second, /^irq_complete_move\(\)$/);
      const cleanup = at(second, kernel === '6.1' ? /^send_cleanup_vector\(\)$/ : /^vector_schedule_cleanup\(\)$/);
      expect(cleanup).toBeGreaterThan(complete);
      expect(second[cleanup + 1]).toMatch(new RegExp(`^old vector \\d+ queued on CPU${from}'s cleanup list`));
    });
  }
});
