// The machines the picker offers. Plain scenario data: the engine builds them.

import type { Scenario } from '../worker/protocol';
import type { DeviceSpec, MachineSpec } from '../scenario/types';

export interface Preset {
  id: string;
  title: string;
  blurb: string;
  machine: MachineSpec;
}

const devices: DeviceSpec[] = [
  { bdf: '0000:3d:00.0', name: 'nvme', msix: { tableSize: 65 } },
  { bdf: '0000:01:00.0', name: 'nic', msi: { vectors: 8, maskable: true, addr64: true } },
];

export const PRESETS: readonly Preset[] = [
  {
    id: 'x86-4-ir',
    title: 'x86 · 4 CPUs · Intel IR',
    blurb: 'NVMe 0000:3d:00.0 with 65 MSI-X entries and a NIC 0000:01:00.0 with 8 maskable MSI vectors, behind VT-d interrupt remapping.',
    machine: { arch: 'x86', cpus: 4, remap: 'intel-ir', msiModel: 'v2', devices },
  },
  {
    id: 'x86-4',
    title: 'x86 · 4 CPUs · no remapping',
    blurb: 'The same two devices with MSI messages written straight to the local APICs: no IR domain between PCI/MSI and VECTOR.',
    machine: { arch: 'x86', cpus: 4, remap: 'none', msiModel: 'v2', devices },
  },
  {
    id: 'x86-64-ir',
    title: 'x86 · 64 CPUs · Intel IR',
    blurb: 'A bigger box: the same devices on 64 CPUs with interrupt remapping, where affinity spreading and the vector matrix get interesting.',
    machine: { arch: 'x86', cpus: 64, remap: 'intel-ir', msiModel: 'v2', devices },
  },
];

export function presetScenario(p: Preset): Scenario {
  return { version: 1, machine: p.machine, actions: [] };
}
