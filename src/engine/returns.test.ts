// What each kernel call returns (ActionResult.ret), read from the kernel source of 7.2
// (/work/ksrc/7.2), apart from the engine's `value` and the interrupt a call names (`virq`).
// The expected values come from the functions cited beside them, not from the model's output.

import { describe, expect, it } from 'vitest';
import { createMachine } from './machine';
import { ok } from './testing';

const NVME = '0000:3d:00.0';

function machine() {
  return createMachine({ arch: 'x86', kernel: '7.2', cpus: 4, remap: 'intel-ir', devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 9 } }] });
}

describe('ActionResult.ret: what the kernel function returns', () => {
  it('pci_alloc_irq_vectors() returns the vector count (drivers/pci/msi/api.c: "return nvecs")', () => {
    const m = machine();
    const r = ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 3, flags: ['MSIX'] });
    expect([r.ret, r.virq]).toEqual([3, undefined]);
  });

  it('request_irq() returns 0 (request_threaded_irq(): "return retval" of __setup_irq()); the virq is reported apart', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 2, flags: ['MSIX'] });
    const virq = ok(m, { op: 'pci_irq_vector', dev: NVME, nr: 1 }).ret as number;
    const r = ok(m, { op: 'request_irq', dev: NVME, index: 1, name: 'nvme0q1' });
    expect(r.ret).toBe(0);
    expect(r.virq).toBe(virq);
    expect(r.ret).not.toBe(r.virq);
  });

  it('pci_irq_vector() returns the Linux irq number (api.c: "return irq ? irq : -EINVAL")', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 2, flags: ['MSIX'] });
    const r = ok(m, { op: 'pci_irq_vector', dev: NVME, nr: 0 });
    expect(typeof r.ret).toBe('number');
    expect(m.k.descs.get(r.ret as number)?.irqData.hwirq).toBeDefined();
  });

  it('pci_msix_alloc_irq_at() returns a struct msi_map (api.c: "struct msi_map pci_msix_alloc_irq_at")', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
    const r = ok(m, { op: 'pci_msix_alloc_irq_at', dev: NVME, index: 4 });
    expect(r.ret).toBe(`{ .index = 4, .virq = ${r.value} }`);
  });

  it('free_irq() returns the devname the handler was requested with (manage.c: "return devname")', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
    ok(m, { op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' });
    expect(ok(m, { op: 'free_irq', dev: NVME, index: 0 }).ret).toBe('"nvme0q0"');
  });

  it('void functions return nothing: pci_free_irq_vectors(), disable_irq(), enable_irq(), pci_msix_free_irq()', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
    const at = ok(m, { op: 'pci_msix_alloc_irq_at', dev: NVME, index: 2 });
    expect(at.ok).toBe(true);
    ok(m, { op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' });
    expect(ok(m, { op: 'disable_irq', dev: NVME, index: 0 }).ret).toBeUndefined();
    expect(ok(m, { op: 'enable_irq', dev: NVME, index: 0 }).ret).toBeUndefined();
    expect(ok(m, { op: 'pci_msix_free_irq', dev: NVME, index: 2 }).ret).toBeUndefined();
    ok(m, { op: 'free_irq', dev: NVME, index: 0 });
    expect(ok(m, { op: 'pci_free_irq_vectors', dev: NVME }).ret).toBeUndefined();
  });

  it('irq_set_affinity() returns 0; the /proc write returns the bytes written (proc.c write_irq_affinity(): "if (!err) err = count")', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
    ok(m, { op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' });
    expect(ok(m, { op: 'irq_set_affinity', dev: NVME, index: 0, cpus: [1] }).ret).toBe(0);
    // `echo 3 > smp_affinity_list` writes "3\n", `echo 0-2 > …` writes "0-2\n".
    expect(ok(m, { op: 'write_irq_affinity', dev: NVME, index: 0, cpus: [3] }).ret).toBe(2);
    expect(ok(m, { op: 'write_irq_affinity', dev: NVME, index: 0, cpus: [0, 1, 2] }).ret).toBe(4);
  });

  it('a refused call returns its negative errno', () => {
    const m = machine();
    const r = m.apply({ op: 'pci_alloc_irq_vectors', dev: NVME, min: 20, max: 20, flags: ['MSIX'] });
    expect(r.ok).toBe(false);
    expect(r.ret).toBe(r.errno);
    expect(r.ret).toBeLessThan(0);
  });

  it('cpu_down() returns 0 (kernel/cpu.c: "return err")', () => {
    const m = machine();
    expect(ok(m, { op: 'cpu_down', cpu: 3 }).ret).toBe(0);
    expect(ok(m, { op: 'cpu_up', cpu: 3 }).ret).toBe(0);
  });

  it('a device raising its interrupt is no kernel function: nothing returned', () => {
    const m = machine();
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
    expect(ok(m, { op: 'raise', dev: NVME, index: 0 }).ret).toBeUndefined();
  });
});
