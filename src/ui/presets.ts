// The machines the picker offers. Plain scenario data: the engine builds them.

import type { Scenario } from '../worker/protocol';
import type { DeviceSpec, MachineSpec } from '../scenario/types';
import { canonicalJson } from '../scenario/url';

export interface Preset {
  id: string;
  title: string;
  blurb: string;
  /** Where the first screen lists it. */
  group: 'machines' | 'qemu' | 'designs' | 'models';
  machine: MachineSpec;
}

/** An NVMe controller with 65 MSI-X entries (an admin queue and up to 64 I/O queues). */
const nvme = (bdf: string): DeviceSpec => ({ bdf, name: 'nvme', msix: { tableSize: 65 } });

const devices: DeviceSpec[] = [
  nvme('0000:3d:00.0'),
  { bdf: '0000:01:00.0', name: 'nic', msi: { vectors: 8, maskable: true, addr64: true } },
];

/** idxd-like accelerator: MSI-X for its own events, an interrupt message store for work queues. */
const idxd = (storage: 'device' | 'queue'): DeviceSpec => ({ bdf: '0000:6a:01.0', name: 'idxd', msix: { tableSize: 9 }, ims: { storage, size: 2048 } });

type X86Options = Partial<Pick<MachineSpec, 'cpus' | 'remap' | 'msiModel'>>;

/** An x86 machine: 4 CPUs, Intel IR and the v2 MSI model unless told otherwise. */
function x86(devs: DeviceSpec[], { cpus = 4, remap = 'intel-ir', msiModel = 'v2' }: X86Options = {}): MachineSpec {
  return { arch: 'x86', cpus, remap, msiModel, devices: devs };
}

/**
 * The machines the conformance harness boots in QEMU (conformance/, src/scenario/presets.ts
 * `qemu-*`): NVMe (8 queue pairs, 9 MSI-X entries) and virtio-net at QEMU's first slots, their
 * drivers bound at boot as Debian's kernels do. Their /proc/interrupts is held to real captures.
 */
function qemu(arch: 'x86' | 'arm64', remap: 'intel-ir' | 'none'): MachineSpec {
  const slot = arch === 'x86' ? ['0000:00:02.0', '0000:00:03.0'] : ['0000:00:01.0', '0000:00:02.0'];
  return {
    arch, platform: arch === 'x86' ? 'qemu-q35' : 'qemu-virt', cpus: 4, ...(arch === 'x86' ? { remap } : {}),
    devices: [
      { bdf: slot[0], name: 'nvme', driver: 'nvme', msix: { tableSize: 9 }, queues: 8 },
      { bdf: slot[1], name: 'virtio-net', driver: 'virtio_net', msix: { tableSize: 10 }, queues: 1 },
    ],
  };
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'x86-4-ir',
    title: 'x86 · 4 CPUs · Intel IR',
    blurb: 'NVMe 0000:3d:00.0 with 65 MSI-X entries and a NIC 0000:01:00.0 with 8 maskable MSI vectors, behind VT-d interrupt remapping.',
    group: 'machines',
    machine: x86(devices),
  },
  {
    id: 'x86-4',
    title: 'x86 · 4 CPUs · no remapping',
    blurb: 'The same two devices with MSI messages written straight to the local APICs: no IR domain between PCI/MSI and VECTOR.',
    group: 'machines',
    machine: x86(devices, { remap: 'none' }),
  },
  {
    id: 'x86-64-ir',
    title: 'x86 · 64 CPUs · Intel IR',
    blurb: 'A bigger box: the same devices on 64 CPUs with interrupt remapping, where affinity spreading and the vector matrix get interesting.',
    group: 'machines',
    machine: x86(devices, { cpus: 64 }),
  },
  {
    id: 'arm64-4-its',
    title: 'arm64 · 4 CPUs · GICv3 ITS',
    blurb: 'NVMe 0002:01:00.0 with 65 MSI-X entries behind a GICv3 ITS: every vector is an LPI, mapped by MAPD/MAPTI to a CPU’s collection.',
    group: 'machines',
    machine: { arch: 'arm64', cpus: 4, devices: [nvme('0002:01:00.0')] },
  },
  {
    id: 'qemu-q35-ir',
    title: 'QEMU q35 · VT-d remapping',
    blurb: 'x86, 4 CPUs, as the conformance harness boots it: NVMe 0000:00:02.0 (8 queues) and virtio-net 0000:00:03.0 behind Intel IR, drivers bound at boot. Compare its /proc/interrupts with real 6.1, 6.12 and 7.2 captures.',
    group: 'qemu',
    machine: qemu('x86', 'intel-ir'),
  },
  {
    id: 'qemu-q35',
    title: 'QEMU q35 · no remapping',
    blurb: 'The same q35 guest without VT-d: MSI messages go straight to the local APICs. Held to real captures of each kernel.',
    group: 'qemu',
    machine: qemu('x86', 'none'),
  },
  {
    id: 'qemu-virt',
    title: 'QEMU virt · GICv3 ITS',
    blurb: 'arm64, 4 CPUs: NVMe 0000:00:01.0 and virtio-net 0000:00:02.0 behind a GICv3 ITS, as the harness boots them. Held to real captures of each kernel.',
    group: 'qemu',
    machine: qemu('arm64', 'none'),
  },
  {
    id: 'ims-device',
    title: 'IMS · idxd-like · device memory',
    blurb: 'Intel IR, 4 CPUs: an idxd-like accelerator 0000:6a:01.0 with 9 MSI-X entries and a 2048-entry interrupt message store in device memory (PCI/IMS, removed in 2024).',
    group: 'designs',
    machine: x86([idxd('device')]),
  },
  {
    id: 'ims-queue',
    title: 'IMS · idxd-like · queue memory',
    blurb: 'The same accelerator with its messages in queue contexts in host memory: changes are recorded under irq_bus_lock() and pushed at irq_bus_sync_unlock().',
    group: 'designs',
    machine: x86([idxd('queue')]),
  },
  {
    id: 'cxl-subdevices',
    title: 'CXL · 2 PMU subdevices',
    blurb: 'Intel IR, 4 CPUs: a CXL memory device 0000:0c:00.0 (16 MSI-X entries) with two PMU subdevices, cxl_pmu.0 and cxl_pmu.1 — MSI parent domains for subdevices (proposal, 2024) and drivers with devres.',
    group: 'designs',
    machine: x86([{ bdf: '0000:0c:00.0', name: 'cxl', msix: { tableSize: 16 }, subdevices: [{ name: 'cxl_pmu.0' }, { name: 'cxl_pmu.1' }] }]),
  },
  {
    id: 'x86-model-v1',
    title: 'MSI model v1 · one global domain',
    blurb: 'Intel IR, 4 CPUs, the NVMe and the NIC as v4.x–v6.1 had them: one global PCI/MSI domain per IOMMU, hwirq from the requester ID, no dynamic MSI-X.',
    group: 'models',
    machine: x86(devices, { msiModel: 'v1' }),
  },
  {
    id: 'x86-model-nonhier',
    title: 'MSI model nonhier · flat domain',
    blurb: 'Intel IR, 4 CPUs, the same devices on a non-hierarchical MSI domain with no parent: it cannot grow an MSI-X allocation.',
    group: 'models',
    machine: x86(devices, { msiModel: 'nonhier' }),
  },
  {
    id: 'x86-model-legacy',
    title: 'MSI model legacy · arch hooks',
    blurb: 'Intel IR, 4 CPUs, the same devices set up by arch_setup_msi_irqs(): no MSI irq domain, no per-device store slots, no dynamic allocation.',
    group: 'models',
    machine: x86(devices, { msiModel: 'legacy' }),
  },
];

export function presetScenario(p: Preset): Scenario {
  return { version: 1, machine: p.machine, actions: [] };
}

/**
 * The picker's machine that `machine` is (whatever the order of its keys), or undefined. With
 * `anyKernel`, on whichever kernel: the kernel selector keeps a machine's name. `id` limits the
 * search to that preset.
 */
export function presetOf(machine: MachineSpec, opts: { anyKernel?: boolean; id?: string | null } = {}): Preset | undefined {
  const strip = (m: MachineSpec) => {
    if (!opts.anyKernel) return m;
    const { kernel: _k, ...rest } = m;
    void _k;
    return rest;
  };
  const want = canonicalJson(strip(machine));
  return PRESETS.find((p) => (opts.id === undefined || p.id === opts.id) && canonicalJson(strip(p.machine)) === want);
}
