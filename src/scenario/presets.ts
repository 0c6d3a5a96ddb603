// Named preset scenarios: machines plus kernel API call sequences that show one thing each.
// Plain data built by small helpers (vector-exhaustion asks the engine, on first use, how many
// vectors the boot leaves); `npm run sim -- <name>` and the app load them by name.

import { createMachine } from '../engine/machine';
import type { Action, DeviceSpec, MachineSpec, Scenario } from './types';

export interface PresetScenario {
  title: string;
  scenario: Scenario;
}

const NVME = '0000:3d:00.0';
const nvme: DeviceSpec = { bdf: NVME, name: 'nvme', msix: { tableSize: 65 } };

/**
 * What an NVMe driver does at probe: one admin queue (pre_vectors 1: not managed, affinity
 * all CPUs) plus one managed I/O queue per CPU, then a handler on each.
 */
function nvmeProbe(queues: number): Action[] {
  const out: Action[] = [
    { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: queues + 1, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 },
  ];
  for (let i = 0; i <= queues; i++) out.push({ op: 'request_irq', dev: NVME, index: i, name: `nvme0q${i}` });
  return out;
}

/** The NVMe walk-through: probe, an I/O interrupt, then the admin queue is moved to CPU3. */
function nvmeScenario(remap: 'intel-ir' | 'none'): Scenario {
  return {
    version: 1,
    machine: { arch: 'x86', cpus: 4, remap, msiModel: 'v2', devices: [nvme] },
    actions: [
      ...nvmeProbe(4),
      { op: 'raise', dev: NVME, index: 1 },
      { op: 'write_irq_affinity', dev: NVME, index: 0, cpus: [3] },
      { op: 'raise', dev: NVME, index: 0 },
    ],
  };
}

const MLX5 = '0000:02:00.0';
const exhaustionMachine: MachineSpec = {
  arch: 'x86', cpus: 2, remap: 'none', msiModel: 'v2', devices: [{ bdf: MLX5, name: 'mlx5', msix: { tableSize: 2048 } }],
};

/**
 * How many request_irq() calls succeed on the vector-exhaustion machine before the matrix runs
 * dry: in reservation mode each one takes one vector from what the boot left free (the
 * matrix's global_available right after boot), wherever it is.
 */
export function exhaustionRequestsOk(): number {
  return createMachine(exhaustionMachine, { trace: false }).x86.vector.matrix.info().globalAvailable;
}

/** One request_irq() more than fit: the last one fails with -ENOSPC. Built on first use. */
function vectorExhaustion(): Scenario {
  const n = exhaustionRequestsOk() + 1;
  const actions: Action[] = [{ op: 'pci_alloc_irq_vectors', dev: MLX5, min: 1, max: 512, flags: ['MSIX'] }];
  for (let i = 0; i < n; i++) actions.push({ op: 'request_irq', dev: MLX5, index: i, name: `mlx5_comp${i}` });
  return { version: 1, machine: exhaustionMachine, actions };
}

/** A preset whose scenario is computed when first read (and then kept). */
function lazy(title: string, build: () => Scenario): PresetScenario {
  let cached: Scenario | null = null;
  return {
    title,
    get scenario() {
      cached ??= build();
      return cached;
    },
  };
}

function cpuHotplugManaged(): Scenario {
  return {
    version: 1,
    // 6.12 spreads the four queues over CPUs 0-3 in order (7.2 groups by cluster: 1, 3, 2, 0).
    machine: { arch: 'x86', kernel: '6.12', cpus: 4, remap: 'intel-ir', msiModel: 'v2', devices: [nvme] },
    actions: [
      ...nvmeProbe(4),
      // Queue 4 is managed and affine to CPU3 alone: unplugging CPU3 shuts it down.
      { op: 'cpu_down', cpu: 3 },
      { op: 'raise', dev: NVME, index: 4 },
      // CPU3 returns: the managed interrupt starts again and the pending message is delivered.
      { op: 'cpu_up', cpu: 3 },
      { op: 'raise', dev: NVME, index: 4 },
    ],
  };
}

const IDXD = '0000:6a:01.0';

/**
 * S3, PCI/IMS (v6.2–v6.9, removed in 2024) with the store in queue memory: the IMS domain next to
 * MSI-X, a core-managed index, request_irq() inside the irq_bus_lock … irq_bus_sync_unlock window,
 * an affinity change that only rewrites the IRTE, and a lazy disable whose mask stays recorded.
 */
function imsQueueScenario(): Scenario {
  const machine: MachineSpec = {
    arch: 'x86', cpus: 4, remap: 'intel-ir', msiModel: 'v2',
    devices: [{ bdf: IDXD, name: 'idxd', msix: { tableSize: 9 }, ims: { storage: 'queue', size: 4 } }],
  };
  const setup: Action[] = [
    { op: 'pci_alloc_irq_vectors', dev: IDXD, min: 1, max: 1, flags: ['MSIX'] },
    { op: 'request_irq', dev: IDXD, index: 0, name: 'idxd-misc' },
    { op: 'pci_create_ims_domain', dev: IDXD },
    { op: 'pci_ims_alloc_irq', dev: IDXD, icookie: 1 },
  ];
  // An IMS interrupt has no dev + index name: its virq is what pci_ims_alloc_irq() returned.
  const m = createMachine(machine, { trace: false });
  let virq = 0;
  for (const a of setup) virq = Number(m.apply(a).value ?? 0);
  return {
    version: 1,
    machine,
    actions: [
      ...setup,
      { op: 'request_irq', virq, name: 'idxd-wq0' },
      { op: 'raise', dev: IDXD, domain: 'ims', index: 0 },
      { op: 'write_irq_affinity', virq, cpus: [3] },
      { op: 'disable_irq', virq },
      { op: 'raise', dev: IDXD, domain: 'ims', index: 0 },
      { op: 'enable_irq', virq },
    ],
  };
}

const CXL = '0000:0c:00.0';

/** S5, the 2024 proposal: a CXL port's PCI/MSI-X domain as the MSI parent of its PMU subdevice. */
function cxlSubdeviceScenario(): Scenario {
  return {
    version: 1,
    machine: {
      arch: 'x86', cpus: 4, remap: 'intel-ir', msiModel: 'v2',
      devices: [{ bdf: CXL, name: 'cxl_port', msix: { tableSize: 8 }, subdevices: [{ name: 'cxl_pmu.0' }] }],
    },
    actions: [
      { op: 'pci_alloc_irq_vectors', dev: CXL, min: 1, max: 1, flags: ['MSIX'] },
      { op: 'request_irq', dev: CXL, index: 0, name: 'cxl_port-mgmt' },
      { op: 'pci_enable_msi_parent_domain', dev: CXL },
      { op: 'pci_msi_init_subdevice', subdev: 'cxl_pmu.0' },
      { op: 'pci_msi_create_subdevice_irq_domain', subdev: 'cxl_pmu.0' },
      { op: 'pci_subdev_msix_alloc_at', subdev: 'cxl_pmu.0', index: 3 },
      { op: 'request_irq', dev: 'cxl_pmu.0', index: 3, name: 'cxl_pmu' },
      { op: 'raise', dev: 'cxl_pmu.0', index: 3 },
    ],
  };
}

/**
 * The machines the conformance harness boots (conformance/fixtures): QEMU q35 with and without
 * VT-d remapping, QEMU virt with GICv3 + ITS; NVMe (8 queue pairs, 9 MSI-X entries) and
 * virtio-net at QEMU's first slots, their drivers bound at boot as Debian's kernels do.
 */
function qemuMachine(arch: 'x86' | 'arm64', remap: 'intel-ir' | 'none'): Scenario {
  const slot = arch === 'x86' ? ['0000:00:02.0', '0000:00:03.0'] : ['0000:00:01.0', '0000:00:02.0'];
  return {
    version: 1,
    machine: {
      arch, platform: arch === 'x86' ? 'qemu-q35' : 'qemu-virt', cpus: 4, ...(arch === 'x86' ? { remap } : {}),
      devices: [
        { bdf: slot[0], name: 'nvme', driver: 'nvme', msix: { tableSize: 9 }, queues: 8 },
        { bdf: slot[1], name: 'virtio-net', driver: 'virtio_net', msix: { tableSize: 10 }, queues: 1 },
      ],
    },
    actions: [],
  };
}

export const PRESETS: Record<string, PresetScenario> = {
  'qemu-q35-ir': {
    title: 'QEMU q35 with VT-d interrupt remapping, 4 CPUs: NVMe and virtio-net as Linux boots them (held to real 6.1, 6.12 and 7.2 captures)',
    scenario: qemuMachine('x86', 'intel-ir'),
  },
  'qemu-q35': {
    title: 'QEMU q35 without remapping, 4 CPUs: NVMe and virtio-net as Linux boots them (held to real captures)',
    scenario: qemuMachine('x86', 'none'),
  },
  'qemu-virt': {
    title: 'QEMU virt, arm64 GICv3 + ITS, 4 CPUs: NVMe and virtio-net as Linux boots them (held to real captures)',
    scenario: qemuMachine('arm64', 'none'),
  },
  'nvme-x86-ir': {
    title: 'NVMe on 4 CPUs with Intel interrupt remapping: admin + 4 managed queues, admin queue moved to CPU3 at once',
    scenario: nvmeScenario('intel-ir'),
  },
  'nvme-x86-noir': {
    title: 'NVMe on 4 CPUs without remapping: the affinity change is deferred until the next interrupt arrives',
    scenario: nvmeScenario('none'),
  },
  'vector-exhaustion': lazy(
    '2 CPUs, no IR: one device takes 512 MSI-X vectors (reservation mode) and request_irq fails with -ENOSPC when the matrix runs dry',
    vectorExhaustion,
  ),
  'cpu-hotplug-managed': {
    title: 'NVMe managed queues on 4 CPUs: CPU3 goes down (its queue is shut down), an interrupt is raised, CPU3 comes back',
    scenario: cpuHotplugManaged(),
  },
  'ims-x86-queue': lazy(
    'PCI/IMS (v6.2–v6.9, removed in 2024), store in queue memory, Intel IR: request_irq inside irq_bus_lock … irq_bus_sync_unlock',
    imsQueueScenario,
  ),
  'cxl-subdevices-x86': {
    title: 'Proposal (2024): a CXL port\'s PCI/MSI-X domain as MSI parent of its PMU subdevice, chain SUBDEV → PCI-MSIX → IR → VECTOR',
    scenario: cxlSubdeviceScenario(),
  },
};

/** Preset names in display order. */
export const PRESET_NAMES: readonly string[] = Object.keys(PRESETS);
