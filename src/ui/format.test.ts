import { expect, it } from 'vitest';
import { cpuList, describeAction, elixirUrl, gaps, hex } from './format';

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
