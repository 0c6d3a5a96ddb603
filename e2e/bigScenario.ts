// The big machines the UI benchmark and the big-machine e2e tests load.
//  - bigScenario(): 256 CPUs, Intel IR, two mlx5-like functions with 2,048 MSI-X entries each,
//    all 4,096 vectors requested.
//  - hugeScenario(): 1,024 CPUs, Intel IR, eight such functions: 16,384 interrupts requested.

import type { Action, Scenario } from '../src/scenario/types';

/** `devices` mlx5-like functions (buses 0x41…) on `cpus` CPUs, every one of their 2,048 vectors requested. */
export function mlx5Scenario(cpus: number, devices: number, arch: 'x86' | 'arm64' = 'x86'): Scenario {
  const devs = Array.from({ length: devices }, (_, i) => 0x41 + i).map((bus) => ({
    bdf: `${arch === 'arm64' ? '0002' : '0000'}:${bus.toString(16)}:00.0`, name: 'mlx5', msix: { tableSize: 2048 },
  }));
  const actions: Action[] = devs.map((d) => ({ op: 'pci_alloc_irq_vectors', dev: d.bdf, min: 1, max: 2048, flags: ['MSIX'] }));
  for (const d of devs) {
    for (let i = 0; i < 2048; i++) actions.push({ op: 'request_irq', dev: d.bdf, index: i, name: `mlx5_comp${i}@${d.bdf.slice(5, 7)}` });
  }
  const machine = arch === 'x86'
    ? { arch, cpus, remap: 'intel-ir' as const, msiModel: 'v2' as const, devices: devs }
    : { arch, cpus, devices: devs };
  return { version: 1, machine, actions };
}

export function bigScenario(): Scenario {
  return mlx5Scenario(256, 2);
}

export function hugeScenario(): Scenario {
  return mlx5Scenario(1024, 8);
}
