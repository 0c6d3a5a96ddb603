// The 256-CPU machine both the UI benchmark and the big-machine e2e test load: Intel IR, two
// mlx5-like functions with 2,048 MSI-X entries each, all 4,096 vectors requested.

import type { Action, Scenario } from '../src/scenario/types';

export function bigScenario(): Scenario {
  const devices = [0x41, 0x42].map((bus) => ({ bdf: `0000:${bus.toString(16)}:00.0`, name: 'mlx5', msix: { tableSize: 2048 } }));
  const actions: Action[] = devices.map((d) => ({ op: 'pci_alloc_irq_vectors', dev: d.bdf, min: 1, max: 2048, flags: ['MSIX'] }));
  for (const d of devices) {
    for (let i = 0; i < 2048; i++) actions.push({ op: 'request_irq', dev: d.bdf, index: i, name: `mlx5_comp${i}@${d.bdf.slice(5, 7)}` });
  }
  return { version: 1, machine: { arch: 'x86', cpus: 256, remap: 'intel-ir', msiModel: 'v2', devices }, actions };
}
