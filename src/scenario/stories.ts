// Guided stories: short scenarios with a sentence for every step, each showing one thing the
// kernel's interrupt code does (or refuses to do). Plain data — no engine import — so the app
// bundles them and `#story/<name>@<step>` links stay short. What each story claims (ok or the
// errno of every step, rows of /proc/interrupts at its end) is checked against the engine by
// stories.test.ts, and by e2e/scenarios.spec.ts in the built app.

import type { Action, DeviceSpec, MachineSpec, Scenario } from './types';
import { ROAD_STORIES } from './roads';
import { KERNEL_STORIES } from './kernels';

/** An engine feature a story waits for (the model is still being built). */
export type StoryNeed = 'arm64' | 'ims' | 'subdev' | 'driver' | 'models' | 'roads';

/** What a step returns: ok, ok with this value (a number or a name), or this errno. */
export type StepOutcome = 'ok' | number | `-E${string}` | string;

export interface Story {
  /** URL name: `#story/<name>`. */
  name: string;
  title: string;
  /** One paragraph: what the story shows and why it matters. */
  intro: string;
  scenario: Scenario;
  /** One sentence per action (captions[i] describes step i + 1). */
  captions: string[];
  /** What each action returns (outcomes[i] for step i + 1). */
  outcomes: StepOutcome[];
  /** Claims about the last step: /proc/interrupts lines (regular expressions, one line each). */
  end?: {
    proc?: string[];
    procAbsent?: string[];
    /** Descriptor count of a device's default MSI store, by BDF. */
    entries?: Record<string, number>;
  };
  /** Set when the engine does not model what the story needs yet. */
  needs?: StoryNeed;
  /** Stories shown together in the picker. */
  group?: string;
  /**
   * The story to show beside this one (side by side, in lockstep): a road not taken's winning
   * design (src/scenario/roads.ts), the same calls on another kernel or architecture (kernels.ts).
   */
  compareWith?: string;
  /** A road not taken: its status and date as the domains carry it ("RFC 2020, not merged"). */
  era?: string;
}

const NVME = '0000:3d:00.0';
const NIC = '0000:01:00.0';
const MLX5 = '0000:02:00.0';
const IDXD = '0000:6a:01.0';
const CXL = '0000:0c:00.0';
const PORT = '0000:00:1c.0';

const nvmeDev: DeviceSpec = { bdf: NVME, name: 'nvme', msix: { tableSize: 65 } };

/** An x86 machine; msiModel is left out for v2 (the default), which keeps links shorter. */
function x86(cpus: number, remap: 'intel-ir' | 'none', devices: DeviceSpec[], msiModel: MachineSpec['msiModel'] = 'v2', kernel?: MachineSpec['kernel']): MachineSpec {
  const base: MachineSpec = msiModel === 'v2' ? { arch: 'x86', cpus, remap, devices } : { arch: 'x86', cpus, remap, msiModel, devices };
  return kernel ? { ...base, kernel } : base;
}

/** A story from (action, outcome, caption) triples, so the three lists cannot drift apart. */
function story(
  meta: Omit<Story, 'scenario' | 'captions' | 'outcomes'>,
  machine: MachineSpec,
  steps: [Action, StepOutcome, string][],
): Story {
  return {
    ...meta,
    scenario: { version: 1, machine, actions: steps.map((s) => s[0]) },
    outcomes: steps.map((s) => s[1]),
    captions: steps.map((s) => s[2]),
  };
}

/** NVMe probe: one admin queue (pre_vectors 1: not managed) + 4 managed I/O queues, a handler each. */
function nvmeProbe(arch: 'x86' | 'arm64' = 'x86'): [Action, StepOutcome, string][] {
  return [
    [
      { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 5, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 },
      5,
      'The driver asks for 5 MSI-X vectors with PCI_IRQ_AFFINITY and pre_vectors = 1: entry 0 (admin queue) may go anywhere, entries 1–4 are managed and spread one per CPU.',
    ],
    ...[0, 1, 2, 3, 4].map((i): [Action, StepOutcome, string] => [
      { op: 'request_irq', dev: NVME, index: i, name: `nvme0q${i}` },
      'ok',
      arch === 'arm64'
        ? i === 0
          ? 'request_irq() on entry 0: the ITS maps its EventID to an LPI and routes it to a CPU’s collection.'
          : `request_irq() on I/O queue ${i}: its LPI goes to CPU${i - 1}’s collection, the one CPU of its managed mask.`
        : i === 0
          ? 'request_irq() on entry 0 activates it: the VECTOR domain picks a real vector on the least loaded CPU and the message is written.'
          : `request_irq() on I/O queue ${i}: its managed vector was reserved on CPU${i - 1} at allocation, now it is used.`,
    ]),
  ];
}

const nvmeIr = story(
  {
    name: 'nvme-ir',
    title: 'NVMe on x86 with interrupt remapping',
    intro:
      'An NVMe drive probes on a 4-CPU machine behind Intel VT-d interrupt remapping: an admin queue and four managed I/O queues, one per CPU. ' +
      'With remapping, the device never holds a CPU or a vector: its MSI-X message points at an IRTE, so moving the admin queue to another CPU only rewrites the IRTE — at once, without touching the device. ' +
      'The managed queues belong to the kernel: user space cannot move them.',
    group: 'NVMe and managed interrupts',
  },
  x86(4, 'intel-ir', [nvmeDev], 'v2', '6.12'),
  [
    ...nvmeProbe(),
    [{ op: 'raise', dev: NVME, index: 1 }, 'ok', 'The drive completes an I/O on queue 1: the message goes through IRTE lookup to CPU0, where nvme0q1 is counted.'],
    [
      { op: 'write_irq_affinity', dev: NVME, index: 0, cpus: [3] },
      'ok',
      'Writing 8 to /proc/irq/25/smp_affinity moves the admin queue to CPU3: a new vector there and the IRTE is rewritten — done immediately; the device message stays the same.',
    ],
    [{ op: 'raise', dev: NVME, index: 0 }, 'ok', 'The next admin interrupt already arrives on CPU3.'],
    [
      { op: 'write_irq_affinity', dev: NVME, index: 2, cpus: [0] },
      '-EPERM',
      'Trying the same on managed queue 2 fails with -EPERM (-EIO before 6.12): a managed interrupt’s affinity is fixed by the kernel (irq_can_set_affinity_usr() is false).',
    ],
  ],
);
nvmeIr.end = {
  proc: [
    '^\\s*25:\\s+0\\s+0\\s+0\\s+1\\s+IR-PCI-MSIX-0000:3d:00\\.0\\s+0-edge\\s+nvme0q0$',
    '^\\s*26:\\s+1\\s+0\\s+0\\s+0\\s+IR-PCI-MSIX-0000:3d:00\\.0\\s+1-edge\\s+nvme0q1$',
  ],
  entries: { [NVME]: 5 },
};

const nvmeNoIr = story(
  {
    name: 'nvme-noir',
    title: 'NVMe on x86 without remapping: the deferred move',
    intro:
      'The same NVMe drive on a machine without interrupt remapping. Now the MSI-X message itself names the CPU (APIC ID) and the vector, so a new affinity means rewriting the device’s table entry. ' +
      'x86 cannot do that safely from process context (IRQCHIP_MOVE_DEFERRED): the move is parked as pending and done in the next interrupt’s ack path; the old vector is cleaned up after the first interrupt on the new one.',
    group: 'NVMe and managed interrupts',
  },
  x86(4, 'none', [nvmeDev], 'v2', '6.12'),
  [
    ...nvmeProbe(),
    [{ op: 'raise', dev: NVME, index: 1 }, 'ok', 'An I/O completion on queue 1: the message is in compatibility format (APIC ID 0, vector 0x21) and lands on CPU0 directly.'],
    [
      { op: 'write_irq_affinity', dev: NVME, index: 0, cpus: [3] },
      'ok',
      'Set the admin queue’s affinity to CPU3: it returns 0, but nothing moves yet — debugfs shows pending: 3 and IRQD_SETAFFINITY_PENDING, effective affinity still CPU1.',
    ],
    [
      { op: 'raise', dev: NVME, index: 0 },
      'ok',
      'The next admin interrupt still arrives on CPU1; in its ack path irq_move_irq() masks the entry, allocates a vector on CPU3 and rewrites the message (address 0xfee03000).',
    ],
    [
      { op: 'raise', dev: NVME, index: 0 },
      'ok',
      'The following one arrives on CPU3: the move is complete and the old vector on CPU1 is queued for cleanup.',
    ],
    [
      { op: 'write_irq_affinity', dev: NVME, index: 2, cpus: [0] },
      '-EPERM',
      'Managed queues stay where the kernel put them, with or without remapping: -EPERM.',
    ],
  ],
);
nvmeNoIr.end = {
  proc: ['^\\s*24:\\s+0\\s+1\\s+0\\s+1\\s+PCI-MSIX-0000:3d:00\\.0\\s+0-edge\\s+nvme0q0$'],
  procAbsent: ['IR-PCI-MSIX'],
  entries: { [NVME]: 5 },
};

/**
 * The exhaustion machine: one CPU with remapping, six functions with 32 non-maskable MSI
 * vectors and an MSI-X NIC. Vectors left on CPU0 once the six MSI blocks are in (checked in
 * stories.test.ts against the engine).
 */
export const EXHAUSTION_FREE_VECTORS = 3;
const MSI_BLOCKS = 6;
const msiBlockDev = (i: number): DeviceSpec => ({
  bdf: `0000:1${i}:00.0`, name: `dev${i}`, msi: { vectors: 32, maskable: false, addr64: true },
});

const exhaustion = story(
  {
    name: 'vector-exhaustion',
    title: 'Vector exhaustion: request_irq fails with -ENOSPC',
    intro:
      'x86 has about 200 device vectors per CPU. On a single-CPU machine with remapping, six functions each enable 32 MSI vectors without per-vector masking: such MSI cannot use reservation mode, so every vector is taken at allocation. ' +
      `An MSI-X NIC then allocates 16 vectors in reservation mode (nothing is taken yet) and starts them with request_irq(): the first ${EXHAUSTION_FREE_VECTORS} find a vector, the next finds the matrix empty and fails with -ENOSPC, changing nothing.`,
    group: 'Vectors and CPUs',
  },
  x86(1, 'intel-ir', [...Array.from({ length: MSI_BLOCKS }, (_, i) => msiBlockDev(i)), { bdf: MLX5, name: 'mlx5', msix: { tableSize: 16 } }]),
  [
    ...Array.from({ length: MSI_BLOCKS }, (_, i): [Action, StepOutcome, string] => [
      { op: 'pci_alloc_irq_vectors', dev: msiBlockDev(i).bdf, min: 32, max: 32, flags: ['MSI'] },
      32,
      i === 0
        ? 'Multi-MSI of 32 through remapping: one aligned block of 32 IRTEs, and 32 real vectors on CPU0 right away — non-maskable MSI gets no reservation mode.'
        : `Another 32 real vectors: ${MSI_BLOCKS - i - 1 ? `${32 * (i + 1)} of CPU0's vectors are gone` : `CPU0 has ${EXHAUSTION_FREE_VECTORS} left (debugfs domains/VECTOR: avl ${EXHAUSTION_FREE_VECTORS})`}.`,
    ]),
    [
      { op: 'pci_alloc_irq_vectors', dev: MLX5, min: 1, max: 16, flags: ['MSIX'] },
      16,
      'The NIC gets 16 MSI-X vectors in reservation mode: each only counts against the global reservation (dmesg: "Interrupt reservation exceeds available resources").',
    ],
    ...Array.from({ length: EXHAUSTION_FREE_VECTORS + 1 }, (_, i): [Action, StepOutcome, string] => [
      { op: 'request_irq', dev: MLX5, index: i, name: `mlx5_comp${i}` },
      i < EXHAUSTION_FREE_VECTORS ? 'ok' : '-ENOSPC',
      i < EXHAUSTION_FREE_VECTORS
        ? `request_irq() on MSI-X entry ${i} takes a real vector on CPU0: ${EXHAUSTION_FREE_VECTORS - i - 1} left.`
        : `request_irq() on entry ${i}: x86_vector_activate() finds no free vector on CPU0 — -ENOSPC, and the interrupt stays unstarted.`,
    ]),
  ],
);
exhaustion.end = {
  proc: [`^\\s*\\d+:\\s+0\\s+IR-PCI-MSIX-${MLX5.replace(/[.]/g, '\\.')}\\s+${EXHAUSTION_FREE_VECTORS - 1}-edge\\s+mlx5_comp${EXHAUSTION_FREE_VECTORS - 1}$`],
  procAbsent: [`mlx5_comp${EXHAUSTION_FREE_VECTORS}$`],
  entries: { [MLX5]: 16 },
};

const hotplug = story(
  {
    name: 'cpu-hotplug-managed',
    title: 'CPU hotplug with managed interrupts',
    intro:
      'Managed interrupts follow their CPUs. When CPU3 goes offline, the NVMe queue whose mask is only CPU3 is not moved elsewhere: it is shut down (masked, deactivated, parked). ' +
      'An interrupt the drive sends meanwhile waits in the MSI-X Pending Bit Array; when CPU3 returns the queue is started on it again and the pending message is delivered at unmask.',
    group: 'Vectors and CPUs',
  },
  x86(4, 'intel-ir', [nvmeDev], 'v2', '6.12'),
  [
    ...nvmeProbe(),
    [
      { op: 'cpu_down', cpu: 3 },
      'ok',
      'CPU3 goes offline: the IO-APIC interrupt it served (irq 9, acpi) moves to another CPU, and managed queue 4 (mask CPU3) is shut down — MSI-X entry 4 masked, its vector freed, IRQD_MANAGED_SHUTDOWN.',
    ],
    [{ op: 'raise', dev: NVME, index: 4 }, 'ok', 'The drive raises queue 4: the entry is masked, so the Pending Bit Array bit is set and nothing is delivered.'],
    [
      { op: 'cpu_up', cpu: 3 },
      'ok',
      'CPU3 comes back: irq_affinity_online_cpu() restarts queue 4 with a managed vector on CPU3, and unmasking sends the pending message — counted on CPU3.',
    ],
    [{ op: 'raise', dev: NVME, index: 4 }, 'ok', 'A new completion on queue 4 is counted on CPU3 as well: 2 in all, none lost.'],
  ],
);
hotplug.end = {
  proc: ['^\\s*29:\\s+0\\s+0\\s+0\\s+2\\s+IR-PCI-MSIX-0000:3d:00\\.0\\s+4-edge\\s+nvme0q4$'],
  entries: { [NVME]: 5 },
};

const nicDev: DeviceSpec = { bdf: NIC, name: 'nic', msi: { vectors: 8, maskable: true, addr64: true } };

const multiMsiIr = story(
  {
    name: 'multi-msi-ir',
    title: 'Multi-MSI with interrupt remapping: an aligned IRTE block',
    intro:
      'Plain MSI (not MSI-X) gives a device a power-of-two block of vectors behind one address/data pair: the device ORs the vector number into the low data bits. ' +
      'x86 can only offer that with interrupt remapping: the IR domain allocates an aligned block of 8 IRTEs and the message carries the block’s handle, so each of the 8 interrupts can still have its own CPU and vector.',
    group: 'MSI, multi-MSI and dynamic MSI-X',
  },
  x86(4, 'intel-ir', [nicDev]),
  [
    [
      { op: 'pci_alloc_irq_vectors', dev: NIC, min: 1, max: 8, flags: ['MSI'] },
      8,
      'pci_alloc_irq_vectors(1, 8, PCI_IRQ_MSI) gets all 8: one MSI descriptor with nvec_used 8, an aligned block of 8 IRTEs, Multiple Message Enable = 3.',
    ],
    [{ op: 'request_irq', dev: NIC, index: 0, name: 'nic-0' }, 'ok', 'request_irq() on vector 0 gives it a real vector and fills its IRTE.'],
    [{ op: 'request_irq', dev: NIC, index: 3, name: 'nic-3' }, 'ok', 'Vector 3 is the same descriptor’s fourth interrupt (irq 28), with its own IRTE in the block.'],
    [
      { op: 'write_irq_affinity', dev: NIC, index: 3, cpus: [2] },
      'ok',
      'Vector 3 alone moves to CPU2: only its IRTE changes — something multi-MSI cannot do without remapping, where all 8 share one destination.',
    ],
    [{ op: 'raise', dev: NIC, index: 3 }, 'ok', 'The device writes data 3 (base data | 3): the IOMMU picks IRTE block + 3 and delivers to CPU2.'],
  ],
);
multiMsiIr.end = {
  proc: ['^\\s*28:\\s+0\\s+0\\s+1\\s+0\\s+IR-PCI-MSI-0000:01:00\\.0\\s+3-edge\\s+nic-3$'],
};

const multiMsiNoIr = story(
  {
    name: 'multi-msi-noir',
    title: 'Multi-MSI without remapping: retry with 1',
    intro:
      'Without interrupt remapping the VECTOR domain cannot hand out a contiguous, aligned block of vectors on one CPU, so x86’s MSI parent does not advertise MSI_FLAG_MULTI_PCI_MSI. ' +
      'The PCI core then retries a multi-MSI request with a single vector: a driver that insists on 8 gets -ENOSPC, one that accepts fewer gets exactly 1.',
    group: 'MSI, multi-MSI and dynamic MSI-X',
  },
  x86(4, 'none', [nicDev]),
  [
    [
      { op: 'pci_alloc_irq_vectors', dev: NIC, min: 8, max: 8, flags: ['MSI'] },
      '-ENOSPC',
      'Asking for exactly 8 MSI vectors fails with -ENOSPC: multi-message MSI is not supported here, and 1 is fewer than the minimum of 8.',
    ],
    [
      { op: 'pci_alloc_irq_vectors', dev: NIC, min: 1, max: 8, flags: ['MSI'] },
      1,
      'With min_vecs 1 the core retries with 1 vector and succeeds: Multiple Message Enable stays 0.',
    ],
    [{ op: 'request_irq', dev: NIC, index: 0, name: 'nic' }, 'ok', 'The single vector gets its handler.'],
    [{ op: 'request_irq', dev: NIC, index: 1, name: 'nic-1' }, '-EINVAL', 'There is no vector 1: pci_irq_vector(dev, 1) has nothing to return, so the request fails with -EINVAL.'],
    [{ op: 'raise', dev: NIC, index: 0 }, 'ok', 'Everything the device signals arrives on that one interrupt.'],
  ],
);
multiMsiNoIr.end = {
  proc: ['PCI-MSI-0000:01:00\\.0\\s+0-edge\\s+nic$'],
  procAbsent: ['nic-1', 'IR-PCI-MSI'],
};

const dynMsix = story(
  {
    name: 'dynamic-msix',
    title: 'Dynamic MSI-X: pci_msix_alloc_irq_at()',
    intro:
      'Since v6.2 a driver can grow its MSI-X allocation after enabling it, one entry at a time, where the MSI parent allows it (x86 VECTOR and IR do; the arm64 ITS does not). ' +
      'The descriptor store is an xarray indexed by table entry: any free index, a chosen index, an index in use (-EBUSY) and an index past the table (-ERANGE) behave exactly as msi_insert_desc() says.',
    group: 'MSI, multi-MSI and dynamic MSI-X',
  },
  x86(4, 'intel-ir', [nvmeDev]),
  [
    [{ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] }, 1, 'MSI-X is enabled with a single vector, entry 0.'],
    [{ op: 'pci_msix_alloc_irq_at', dev: NVME, index: 'any' }, 26, 'MSI_ANY_INDEX: the core takes the lowest free entry, 1, and returns irq 26.'],
    [{ op: 'pci_msix_alloc_irq_at', dev: NVME, index: 7 }, 27, 'A chosen index: entry 7 is free, so it gets irq 27, leaving 2–6 unused.'],
    [{ op: 'pci_msix_alloc_irq_at', dev: NVME, index: 7 }, '-EBUSY', 'Entry 7 again: the xarray slot is taken — -EBUSY, nothing changes.'],
    [{ op: 'pci_msix_alloc_irq_at', dev: NVME, index: 65 }, '-ERANGE', 'Entry 65 of a 65-entry table (0–64) is beyond hwsize: -ERANGE.'],
    [{ op: 'request_irq', dev: NVME, index: 7, name: 'nvme-dyn7' }, 'ok', 'The dynamically added entry is a normal interrupt: request_irq() starts it.'],
    [{ op: 'raise', dev: NVME, index: 7 }, 'ok', 'The device writes entry 7’s message and the handler runs.'],
    [{ op: 'pci_msix_free_irq', dev: NVME, index: 1 }, 'ok', 'pci_msix_free_irq() releases entry 1 alone; MSI-X stays enabled.'],
    [{ op: 'pci_msix_alloc_irq_at', dev: NVME, index: 'any' }, 26, 'The next MSI_ANY_INDEX request gets entry 1 back.'],
  ],
);
dynMsix.end = {
  proc: ['^\\s*27:\\s+0\\s+0\\s+1\\s+0\\s+IR-PCI-MSIX-0000:3d:00\\.0\\s+7-edge\\s+nvme-dyn7$'],
  entries: { [NVME]: 3 },
};

const portResize = story(
  {
    name: 'port-msi-resize',
    title: 'A port driver resizes its MSI block and loses an interrupt',
    intro:
      'Plain MSI cannot grow or shrink in place. The PCIe port driver first allocates as many vectors as it might need, learns which ones its services use, then frees everything and allocates the smaller number. ' +
      'Between the two calls MSI is off and the device falls back to its INTx pin, which nobody handles: an event signalled in that gap is lost. Dynamic MSI-X exists to avoid exactly this.',
    group: 'Drivers and devres',
  },
  x86(2, 'intel-ir', [{ bdf: PORT, name: 'pcieport', msi: { vectors: 32, maskable: false, addr64: true } }]),
  [
    [{ op: 'pci_alloc_irq_vectors', dev: PORT, min: 1, max: 32, flags: ['MSI'] }, 32, 'Probe: take all 32 MSI vectors to find out which message numbers AER, PME and hotplug use.'],
    [{ op: 'pci_free_irq_vectors', dev: PORT }, 'ok', 'Only 2 are needed: free them all. MSI Enable is now 0 and INTx is enabled again.'],
    [{ op: 'raise', dev: PORT, index: 0 }, 'ok', 'A hotplug event right now goes out on the INTx pin — no handler there: the interrupt is lost.'],
    [{ op: 'pci_alloc_irq_vectors', dev: PORT, min: 1, max: 2, flags: ['MSI'] }, 2, 'Allocate the 2 vectors the services need.'],
    [{ op: 'request_irq', dev: PORT, index: 0, name: 'pcie-hp' }, 'ok', 'The hotplug service requests vector 0.'],
    [{ op: 'raise', dev: PORT, index: 0 }, 'ok', 'Events are delivered again — but the one from step 3 never arrives.'],
  ],
);
portResize.end = { proc: ['IR-PCI-MSI-0000:00:1c\\.0\\s+0-edge\\s+pcie-hp$'] };

// ---- stories that wait for engine features ----------------------------------------------

const arm64Its = story(
  {
    name: 'arm64-its',
    title: 'NVMe on arm64 with a GICv3 ITS',
    intro:
      'The NVMe probe on an arm64 machine: the MSI parent is the GICv3 ITS. Each MSI-X entry gets an LPI (from 8192 up) and an ITT entry of the device’s DeviceID; the message always targets the ITS doorbell (GITS_TRANSLATER) with the EventID as data. ' +
      'Moving an interrupt is an ITS MOVI command to another collection — the device message never changes. The ITS does not support dynamic MSI-X allocation.',
    group: 'arm64',
    needs: 'arm64',
  },
  { arch: 'arm64', cpus: 4, devices: [nvmeDev] },
  [
    ...nvmeProbe('arm64'),
    [{ op: 'raise', dev: NVME, index: 1 }, 'ok', 'The drive writes EventID 1 to GITS_TRANSLATER: the ITS looks up the ITT and raises the LPI on CPU0’s redistributor.'],
    [{ op: 'write_irq_affinity', dev: NVME, index: 0, cpus: [2] }, 'ok', 'The admin queue moves to CPU2: the ITS driver issues MOVI to CPU2’s collection; the device message is unchanged.'],
    [{ op: 'raise', dev: NVME, index: 0 }, 'ok', 'The next admin interrupt is delivered to CPU2.'],
    [{ op: 'pci_msix_alloc_irq_at', dev: NVME, index: 'any' }, '-ENOTSUPP', 'Dynamic MSI-X: the ITS MSI parent does not support MSI_FLAG_PCI_MSIX_ALLOC_DYN, so -ENOTSUPP.'],
  ],
);
arm64Its.end = { proc: ['^\\s*11:\\s+0\\s+0\\s+1\\s+0\\s+ITS-PCI-MSIX-0000:3d:00\\.0\\s+0\\s+Edge\\s+nvme0q0$'], entries: { [NVME]: 5 } };

function imsStory(storage: 'device' | 'queue'): Story {
  const queue = storage === 'queue';
  const s = story(
    {
      name: queue ? 'ims-queue' : 'ims-device',
      title: queue ? 'IMS with the message store in queue memory' : 'IMS: a device-specific message store',
      intro: queue
        ? 'Some devices keep interrupt messages in queue contexts in host memory rather than in device registers. The IMS domain then marks the chip with irq_bus_lock/irq_bus_sync_unlock: mask, unmask and message writes are collected under the bus lock and pushed to the device when it is released — which may sleep, so these interrupts cannot be changed from atomic context. (IMS was merged in v6.2 and removed in 2024; modelled as it was.)'
        : 'IMS (Interrupt Message Store) let a device keep thousands of interrupt messages in its own format, beyond MSI-X’s 2048 entries — think SIOV work queues. The driver creates a secondary per-device domain next to MSI-X with pci_create_ims_domain() and allocates one interrupt at a time with msi_domain_alloc_irq_at(). (Merged in v6.2, removed in 2024 without users; modelled as it was.)',
      group: 'IMS',
      needs: 'ims',
    },
    x86(4, 'intel-ir', [{ bdf: IDXD, name: 'idxd', msix: { tableSize: 9 }, ims: { storage, size: 2048 } }]),
    [
      [{ op: 'pci_alloc_irq_vectors', dev: IDXD, min: 1, max: 1, flags: ['MSIX'] }, 'ok', 'MSI-X first: one vector for the device’s own events, in the default domain (slot MSI_DEFAULT_DOMAIN).'],
      [
        { op: 'pci_create_ims_domain', dev: IDXD },
        'ok',
        queue
          ? 'pci_create_ims_domain() with a queue-memory template: the chip has irq_bus_lock/irq_bus_sync_unlock and no irq_set_affinity of its own.'
          : 'pci_create_ims_domain() checks the template against the parent (IR advertises MSI_FLAG_PCI_IMS) and creates the secondary domain in slot MSI_SECONDARY_DOMAIN.',
      ],
      [{ op: 'msi_domain_alloc_irq_at', dev: IDXD, domain: 'ims', index: 'any' }, 'ok', 'pci_ims_alloc_irq(): MSI_ANY_INDEX in the IMS store gives index 0 and a new virq, with its IRTE.'],
      [{ op: 'msi_domain_alloc_irq_at', dev: IDXD, domain: 'ims', index: 'any' }, 'ok', 'A second work queue gets IMS index 1.'],
      [{ op: 'request_irq', virq: 26, name: 'idxd-wq0' }, 'ok', 'request_irq() starts IMS index 0: the message is written into the device’s store through the chip’s irq_write_msi_msg.'],
      [
        { op: 'raise', dev: IDXD, domain: 'ims', index: 0 },
        'ok',
        queue ? 'The queue posts its message: remapped by the IOMMU and delivered like any MSI.' : 'The work queue writes IMS entry 0’s message: remapped by the IOMMU and delivered like any MSI.',
      ],
      [
        { op: 'write_irq_affinity', virq: 26, cpus: [3] },
        'ok',
        queue
          ? 'Moving it to CPU3 rewrites only the IRTE; had the message changed, it would reach queue memory at irq_bus_sync_unlock.'
          : 'Moving it to CPU3 rewrites only the IRTE: the IMS entry keeps its remappable message.',
      ],
    ],
  );
  s.end = { proc: ['idxd-wq0'] };
  return s;
}

const cxlSubdev = story(
  {
    name: 'cxl-subdev',
    title: 'CXL: a PCI device’s MSI-X domain as the parent of its subdevices',
    intro:
      'A proposal from 2024 (not merged): a CXL device’s auxiliary devices (here a performance monitor, cxl_pmu.0) need interrupts from the device’s own MSI-X table. ' +
      'pci_enable_msi_parent_domain() turns the PCI function’s per-device PCI-MSIX domain into an MSI parent; the subdevice then gets a domain of its own stacked on it, and each of its interrupts is a real entry of the PCI function’s table.',
    group: 'CXL subdevices and devres',
    needs: 'subdev',
  },
  x86(4, 'intel-ir', [{ bdf: CXL, name: 'cxl_port', msix: { tableSize: 16 }, subdevices: [{ name: 'cxl_pmu.0' }] }]),
  [
    [{ op: 'pci_enable_msi_parent_domain', dev: CXL }, '-EINVAL', 'Too early: MSI-X is not enabled on the PCI function, so there is no PCI-MSIX domain to become a parent.'],
    [{ op: 'pci_alloc_irq_vectors', dev: CXL, min: 1, max: 1, flags: ['MSIX'] }, 1, 'The PCI driver enables MSI-X with one vector, entry 0, for its own management interrupt.'],
    [{ op: 'pci_enable_msi_parent_domain', dev: CXL }, 'ok', 'Now the checks pass (v2 MSI parent, MSI-X on, dynamic allocation supported): the PCI-MSIX domain becomes an MSI parent.'],
    [{ op: 'pci_msi_init_subdevice', subdev: 'cxl_pmu.0' }, 'ok', 'Registering the PMU aux device, pci_msi_init_subdevice() makes the PCI-MSIX domain its MSI parent.'],
    [{ op: 'pci_msi_create_subdevice_irq_domain', subdev: 'cxl_pmu.0' }, 'ok', 'The PMU gets its own per-device domain (PCI-MSIX-PROXY-SUBDEV-cxl_pmu.0), stacked on the PCI function’s.'],
    [
      { op: 'pci_subdev_msix_alloc_at', subdev: 'cxl_pmu.0', index: 'any' },
      '-EEXIST',
      'MSI_ANY_INDEX picks the lowest free index of the PMU’s own store, 0 — but table entry 0 is the PCI function’s management interrupt: -EEXIST. The PMU must ask for the entry its capability names.',
    ],
    [{ op: 'pci_subdev_msix_alloc_at', subdev: 'cxl_pmu.0', index: 1 }, 26, 'Entry 1, the Interrupt Message Number of the PMU capability: irq 26, through the stacked domains (→ IR → VECTOR).'],
    [{ op: 'request_irq', virq: 26, name: 'cxl_pmu' }, 'ok', 'The PMU requests it like any interrupt; the MSI-X writes go to the PCI function’s table.'],
    [{ op: 'raise', dev: CXL, index: 1 }, 'ok', 'The device signals a counter overflow on entry 1: the PMU’s handler runs.'],
    [{ op: 'pci_subdev_msix_free', subdev: 'cxl_pmu.0', index: 1 }, '-EBUSY', 'Freeing the entry while its handler is installed is refused: free_irq() first.'],
  ],
);
cxlSubdev.end = { proc: ['^\\s*26:.*PCI-MSIX-PROXY-SUBDEV-cxl_pmu\\.0\\s+1-edge\\s+cxl_pmu$'] };

const storm = story(
  {
    name: 'msi-storm-probe',
    title: 'MSI without masking storms at probe',
    intro:
      'A device with plain MSI and no per-vector mask bits starts signalling as soon as its driver enables MSI — before the driver has installed its handler. ' +
      'The core cannot mask such an MSI at the device: every message still interrupts a CPU, is marked pending and dropped, and /proc/interrupts counts none of them. Only the handler makes the storm visible.',
    group: 'Drivers and devres',
    needs: 'driver',
  },
  x86(2, 'none', [{ bdf: NIC, name: 'nic', msi: { vectors: 1, maskable: false, addr64: true } }]),
  [
    [{ op: 'pci_alloc_irq_vectors', dev: NIC, min: 1, max: 1, flags: ['MSI'] }, 1, 'The probe enables MSI with one vector before it requests the interrupt.'],
    [
      { op: 'raise', dev: NIC, index: 0, count: 100000 },
      'ok',
      'The device, not reset yet, fires 100,000 times: each message reaches CPU1, finds no handler, is marked pending; the mask attempt does nothing — this MSI has no mask bit. /proc/interrupts stays at 0.',
    ],
    [{ op: 'request_irq', dev: NIC, index: 0, name: 'nic' }, 'ok', 'The handler arrives: starting the interrupt replays the one pending interrupt (counted: 1). The storm itself left no trace.'],
    [{ op: 'raise', dev: NIC, index: 0, count: 100000 }, 'ok', 'The device keeps storming: now every message runs the handler and is counted — 100,001 on CPU1.'],
  ],
);
storm.end = { proc: ['^\\s*24:\\s+0\\s+100001\\s+PCI-MSI-0000:01:00\\.0\\s+0-edge\\s+nic$'] };

const CXL1 = '0000:0d:00.0';
const devres = story(
  {
    name: 'devres-before-probe',
    title: 'devres: "Resources present before probing"',
    intro:
      'MSI device data is a devres resource of the device it is set up on. If interrupts are allocated on a device before its driver binds — here the CXL parent setting up its PMU’s interrupt itself — the driver core refuses to probe the PMU: "Resources present before probing", -EBUSY. ' +
      'The pattern that avoids it, on a second CXL device: the parent only enables MSI-X and makes its domain an MSI parent; the PMU driver allocates its entry dynamically in its own probe, and unbinding releases it.',
    group: 'CXL subdevices and devres',
    needs: 'driver',
  },
  x86(4, 'intel-ir', [
    { bdf: CXL, name: 'cxl0', msix: { tableSize: 16 }, subdevices: [{ name: 'cxl_pmu.0' }] },
    { bdf: CXL1, name: 'cxl1', msix: { tableSize: 16 }, subdevices: [{ name: 'cxl_pmu.1' }] },
  ]),
  [
    [{ op: 'driver_bind', dev: CXL, driver: 'cxl_pci' }, 'cxl_pci', 'cxl_pci binds to the first device: MSI-X with one vector (its mailbox), and its domain becomes the MSI parent of cxl_pmu.0.'],
    [{ op: 'pci_msi_create_subdevice_irq_domain', subdev: 'cxl_pmu.0' }, 'ok', 'The wrong way: the parent creates the PMU’s interrupt domain itself, on the PMU’s struct device, while no driver is bound to it — a devres entry lands there.'],
    [{ op: 'pci_subdev_msix_alloc_at', subdev: 'cxl_pmu.0', index: 1 }, 26, 'And allocates the PMU’s entry 1 (irq 26) for it.'],
    [{ op: 'driver_bind', dev: 'cxl_pmu.0', driver: 'cxl_pmu' }, '-EBUSY', 'Now the PMU driver cannot bind: really_probe() finds the devres list not empty — "Resources present before probing", -EBUSY.'],
    [{ op: 'driver_bind', dev: CXL1, driver: 'cxl_pci' }, 'cxl_pci', 'The right way on the second device: cxl_pci only enables MSI-X and the MSI parent for cxl_pmu.1.'],
    [{ op: 'driver_bind', dev: 'cxl_pmu.1', driver: 'cxl_pmu' }, 'cxl_pmu', 'The PMU driver’s own probe creates its domain and allocates entry 1 dynamically: the devres belongs to the bound driver.'],
    [{ op: 'raise', dev: CXL1, index: 1 }, 'ok', 'An overflow interrupt reaches cxl_pmu.1_overflow.'],
    [{ op: 'driver_unbind', dev: 'cxl_pmu.1' }, 'ok', 'Unbinding releases the devres: handler, entry 1 and the PMU’s domain.'],
    [{ op: 'driver_bind', dev: 'cxl_pmu.1', driver: 'cxl_pmu' }, 'cxl_pmu', 'So the driver can bind again on a clean device.'],
  ],
);
devres.end = {
  proc: ['^\\s*28:.*PCI-MSIX-PROXY-SUBDEV-cxl_pmu\\.1\\s+1-edge\\s+cxl_pmu\\.1_overflow$'],
  procAbsent: ['cxl_pmu\\.0'],
};

const MODEL_TEXT: Record<'v2' | 'v1' | 'nonhier' | 'legacy', [string, string]> = {
  v2: ['per-device MSI domains on an MSI parent (current mainline)', 'Each device gets its own PCI-MSIX domain stacked on the MSI parent (IR or VECTOR): dynamic MSI-X is supported.'],
  v1: ['one global PCI/MSI domain per IOMMU (v4.x–v6.1)', 'All devices share one global domain per remapping unit (INTEL-IR-MSI-0-3, chip IR-PCI-MSI); the hwirq is computed from the requester ID (0x3d00 << 11 = 31981568), and dynamic MSI-X is not supported.'],
  nonhier: ['a non-hierarchical MSI domain', 'A flat MSI domain with no parent; it cannot grow an MSI-X allocation.'],
  legacy: ['legacy arch_setup_msi_irqs() (no MSI domain)', 'The architecture hook sets up MSI without any irq domain: no per-device store slots, no dynamic allocation.'],
};

/** What /proc/interrupts shows for the drive's first interrupt under each model. */
const MODEL_PROC: Partial<Record<'v2' | 'v1' | 'nonhier' | 'legacy', string>> = {
  v2: '^\\s*25:.*IR-PCI-MSIX-0000:3d:00\\.0\\s+0-edge\\s+nvme0q0$',
  v1: '^\\s*25:.*IR-PCI-MSI\\s+31981568-edge\\s+nvme0q0$',
};

function modelStory(model: 'v2' | 'v1' | 'nonhier' | 'legacy'): Story {
  const [what, how] = MODEL_TEXT[model];
  const s = story(
    {
      name: `msi-model-${model}`,
      title: `MSI domain model ${model}: ${what}`,
      intro:
        `The same four calls on the same NVMe drive under each of the four MSI domain models irqscope knows (v2, v1, nonhier, legacy) — open the four stories side by side to compare the domain tree, debugfs and /proc/interrupts. ${how}`,
      group: 'Four MSI domain models',
      needs: 'models',
    },
    x86(4, 'intel-ir', [nvmeDev], model),
    [
      [{ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 2, flags: ['MSIX'] }, 2, 'Two MSI-X vectors: see where their descriptors and domain end up.'],
      [{ op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' }, 'ok', 'Start the first one and read its debugfs file: the domain chain differs per model.'],
      [
        { op: 'pci_msix_alloc_irq_at', dev: NVME, index: 'any' },
        model === 'v2' ? 'ok' : '-ENOTSUPP',
        model === 'v2' ? 'Dynamic MSI-X works: entry 2 is added.' : 'Dynamic MSI-X needs a per-device domain on an MSI parent: -ENOTSUPP.',
      ],
      [{ op: 'write_irq_affinity', dev: NVME, index: 0, cpus: [1] }, 'ok', 'Moving it to CPU1 works in every model; with remapping only the IRTE changes.'],
    ],
  );
  const proc = MODEL_PROC[model];
  if (proc) s.end = { proc: [proc] };
  return s;
}

/** Every story, in picker order. */
export const STORIES: readonly Story[] = [
  nvmeIr,
  nvmeNoIr,
  hotplug,
  exhaustion,
  multiMsiIr,
  multiMsiNoIr,
  dynMsix,
  portResize,
  arm64Its,
  imsStory('device'),
  imsStory('queue'),
  cxlSubdev,
  storm,
  devres,
  modelStory('v2'),
  modelStory('v1'),
  modelStory('nonhier'),
  modelStory('legacy'),
  ...ROAD_STORIES,
  ...KERNEL_STORIES,
];

const BY_NAME = new Map(STORIES.map((s) => [s.name, s]));

export function storyByName(name: string): Story | undefined {
  return BY_NAME.get(name);
}

/** The caption for the state after `step` actions (0: the intro's first sentence). */
export function storyCaption(story: Story, step: number): string {
  if (step <= 0) return `${story.scenario.machine.arch}, ${story.scenario.machine.cpus} CPUs booted. ${firstSentence(story.intro)}`;
  return story.captions[Math.min(step, story.captions.length) - 1] ?? '';
}

function firstSentence(text: string): string {
  const m = /^.*?[.:](\s|$)/.exec(text);
  return (m ? m[0] : text).trim();
}

/**
 * The engine features the stories wait for: stories whose `needs` is here are listed in the
 * picker but cannot be opened. stories.test.ts keeps this honest both ways (a feature listed
 * here must still be missing; one not listed must play every story that needs it as claimed).
 */
export const ENGINE_WAITS_FOR: ReadonlySet<StoryNeed> = new Set<StoryNeed>([]);

/** True when the story cannot be played yet. */
export function storyWaits(story: Story): boolean {
  return story.needs !== undefined && ENGINE_WAITS_FOR.has(story.needs);
}

/** What a story waits for, as a sentence for the picker. */
export const NEEDS_TEXT: Record<StoryNeed, string> = {
  arm64: 'waits for the arm64 (GICv3 ITS) model',
  ims: 'waits for the IMS model',
  subdev: 'waits for the CXL subdevice model',
  driver: 'waits for the driver binding and devres model',
  models: 'waits for the v1, non-hierarchical and legacy MSI domain models',
  roads: 'waits for the roads not taken (DEV_MSI, IMS per IOMMU, logical functions, CXL parents)',
};

/** A short label of the model part a story shows (the picker's tag). */
export const NEEDS_LABEL: Record<StoryNeed, string> = {
  arm64: 'arm64 GICv3 ITS',
  ims: 'IMS (v6.2–v6.9)',
  subdev: 'CXL subdevices (2024 proposal)',
  driver: 'drivers and devres',
  models: 'MSI domain models',
  roads: 'roads not taken',
};
