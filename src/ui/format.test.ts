import { expect, it } from 'vitest';
import { callTitle, cpuList, describeAction, elixirUrl, gaps, hex, returnText } from './format';

it('formats CPU lists like %*pbl', () => {
  expect(cpuList([0, 1, 2, 3, 6])).toBe('0-3,6');
  expect(cpuList([5])).toBe('5');
  expect(cpuList([])).toBe('');
});

it('finds the free index ranges of a descriptor store', () => {
  expect(gaps([0, 1, 2], 65)).toEqual([[3, 64]]);
  expect(gaps([2, 5], 8)).toEqual([[0, 1], [3, 4], [6, 7]]);
  expect(gaps([0, 1], 2)).toEqual([]);
});

it('describes an action as a kernel call', () => {
  expect(describeAction({ op: 'pci_alloc_irq_vectors', dev: '0000:3d:00.0', min: 1, max: 8, flags: ['MSIX', 'AFFINITY'] }))
    .toBe('pci_alloc_irq_vectors(dev=0000:3d:00.0, min=1, max=8, flags=MSIX|AFFINITY)');
  expect(describeAction({ op: 'irq_set_affinity', virq: 25, cpus: [1, 2, 3] })).toBe('irq_set_affinity(virq=25, cpus={1-3})');
});

it('links only plain identifiers to Elixir', () => {
  expect(elixirUrl('msi_domain_alloc_irqs_all_locked')).toBe('https://elixir.bootlin.com/linux/latest/A/ident/msi_domain_alloc_irqs_all_locked');
  expect(elixirUrl('ops->alloc')).toBeNull();
  expect(hex(0xfee00398)).toBe('0xfee00398');
});

it('prints what the engine says the kernel function returned, and the interrupt apart, whatever the op', () => {
  const req = { op: 'request_irq' as const, dev: '0000:3d:00.0', index: 1, name: 'nvme0q1' };
  expect(returnText({ ok: true, ret: 0, virq: 25 })).toEqual({ ret: '0', extra: 'virq 25' });
  expect(callTitle(req, { ok: true, ret: 0, virq: 25 })).toBe('request_irq = 0 · virq 25');
  // A /proc write returns the bytes written; a struct msi_map its fields; a void function nothing.
  expect(callTitle({ op: 'write_irq_affinity', virq: 25, cpus: [3] }, { ok: true, ret: 2 })).toBe('write_irq_affinity = 2');
  expect(returnText({ ok: true, ret: '{ .index = 3, .virq = 30 }' }).ret).toBe('{ .index = 3, .virq = 30 }');
  expect(callTitle({ op: 'pci_free_irq_vectors', dev: '0000:3d:00.0' }, { ok: true })).toBe('pci_free_irq_vectors');
  // The same op answered otherwise prints otherwise: nothing is known by the op's name.
  expect(callTitle(req, { ok: true, ret: 7 })).toBe('request_irq = 7');
  expect(returnText({ ok: false, ret: -28, errno: -28, errnoName: '-ENOSPC' })).toEqual({ ret: '-ENOSPC', extra: null });
});
