// Guided stories that compare kernels and architectures: the same calls on the machines the
// conformance harness boots (QEMU q35 with VT-d remapping, QEMU virt with GICv3 + ITS; the
// `qemu-q35-ir` and `qemu-virt` presets), each opening side by side with its partner
// (compareWith) so the difference is on screen, not in a sentence. Plain data like stories.ts,
// which appends them to STORIES; kernels.test.ts checks every caption's claim against the engine
// (and the engine's profiles against the real kernels' captures in conformance/).

import type { Action, DeviceSpec, MachineSpec } from './types';
import type { StepOutcome, Story } from './stories';

/** The picker's group for these stories. */
export const KERNELS_GROUP = 'Kernels and architectures side by side';

const Q35 = { nvme: '0000:00:02.0', net: '0000:00:03.0' };
const VIRT = { nvme: '0000:00:01.0', net: '0000:00:02.0' };

/** The harness's guests: NVMe (8 queue pairs, 9 MSI-X entries) and virtio-net at QEMU's first slots, drivers bound at boot. */
function qemuDevices(at: { nvme: string; net: string }): DeviceSpec[] {
  return [
    { bdf: at.nvme, name: 'nvme', driver: 'nvme', msix: { tableSize: 9 }, queues: 8 },
    { bdf: at.net, name: 'virtio-net', driver: 'virtio_net', msix: { tableSize: 10 }, queues: 1 },
  ];
}

const q35 = (kernel: MachineSpec['kernel']): MachineSpec => ({
  arch: 'x86', platform: 'qemu-q35', cpus: 4, remap: 'intel-ir', kernel, devices: qemuDevices(Q35),
});
const virt = (kernel: MachineSpec['kernel']): MachineSpec => ({ arch: 'arm64', platform: 'qemu-virt', cpus: 4, kernel, devices: qemuDevices(VIRT) });

/** The calls: CPU3 goes down, user space moves virtio-net's receive queue (MSI-X entry 1) to CPU2, CPU3 comes back. */
function calls(at: { nvme: string; net: string }): [Action, Action, Action] {
  return [
    { op: 'cpu_down', cpu: 3 },
    { op: 'write_irq_affinity', dev: at.net, index: 1, cpus: [2] },
    { op: 'cpu_up', cpu: 3 },
  ];
}

function kernelStory(meta: Omit<Story, 'scenario' | 'captions' | 'outcomes' | 'group'>, machine: MachineSpec, captions: [string, string, string]): Story {
  const at = machine.arch === 'x86' ? Q35 : VIRT;
  const outcomes: StepOutcome[] = ['ok', 'ok', 'ok'];
  return { ...meta, group: KERNELS_GROUP, scenario: { version: 1, machine, actions: calls(at) }, captions, outcomes };
}

const compareKernels = kernelStory(
  {
    name: 'compare-kernels',
    compareWith: 'compare-kernels-612',
    title: 'Compare kernels: the QEMU q35 machine on 7.2, beside the same calls on 6.12',
    intro:
      'Booted on 7.2, the NVMe drive’s four managed I/O queues nvme0q1–q4 sit on CPUs 1, 3, 2, 0 — on 6.12, beside it, on CPUs 0, 1, 2, 3. ' +
      'Same machine, same calls: the machine the conformance harness boots (QEMU q35, VT-d remapping, 4 CPUs, NVMe and virtio-net bound at boot), then CPU3 goes down, user space moves a virtio-net vector, CPU3 comes back. ' +
      'The spread differs because 7.2’s group_cpus_evenly() (lib/group_cpus.c) groups CPUs by cluster and orders the groups with lib/sort.c’s heapsort, which does not keep equal groups in their order. ' +
      'The text differs too: 7.2’s /proc/interrupts pads the chip column (IR-PCI-MSIX-0000:00:02.0, then four spaces) and prints the irq column one wider, so its architecture rows are indented (“ NMI:”). ' +
      'Choose “side by side… on kernel 6.1” to see the third kernel: one global IR-PCI-MSI domain for every device, with hwirq = devid << 11 | index (nvme0q0, devid 0x10, is 32768).',
  },
  q35('7.2'),
  [
    'cpu_down(3): nvme0q2 (irq 27), the managed queue whose only CPU is 3 on 7.2, is shut down until CPU3 returns — on 6.12 the one on CPU3 is nvme0q4 (irq 29). The admin queue nvme0q0 moves to CPU1 and the timer to CPU0 (their IRTEs rewritten); virtio_net’s CPU-dead callback spreads its queues over CPUs 0–2.',
    'Writing 2 to /proc/irq/31/smp_affinity_list moves virtio0-input.0 to CPU2: a new vector there and IRTE 23 rewritten at once; the old vector on CPU1 waits for the cleanup timer. Both kernels do the same here.',
    'cpu_up(3): nvme0q2 starts again on CPU3 with its managed vector (irq_startup_managed()), and the cleanup timer frees irq 31’s old vector. virtio_net’s CPU-online callback sets its queues’ affinity again — irq 31 is back to 0-3, overriding the write of step 2; it stays on CPU2.',
  ],
);

const compareKernels612 = kernelStory(
  {
    name: 'compare-kernels-612',
    compareWith: 'compare-kernels',
    title: 'Compare kernels: the QEMU q35 machine on 6.12, beside the same calls on 7.2',
    intro:
      'Booted on 6.12, the NVMe drive’s four managed I/O queues nvme0q1–q4 sit on CPUs 0, 1, 2, 3, one after the other — 7.2, beside it, puts them on CPUs 1, 3, 2, 0. ' +
      'The partner of the “compare kernels” story: the machine the conformance harness boots (QEMU q35, VT-d remapping, 4 CPUs, NVMe and virtio-net bound at boot), CPU3 down, a virtio-net vector moved from /proc, CPU3 back. ' +
      '6.12’s /proc/interrupts prints the chip column unpadded and a three-wide irq column (“NMI:” at the margin); 7.2 pads and indents.',
  },
  q35('6.12'),
  [
    'cpu_down(3): nvme0q4 (irq 29), the managed queue on CPU3 on 6.12, is shut down until CPU3 returns — on 7.2 it is nvme0q2 (irq 27). The admin queue moves to CPU1 and the timer to CPU0; virtio_net’s CPU-dead callback spreads its queues over CPUs 0–2.',
    'Writing 2 to /proc/irq/31/smp_affinity_list moves virtio0-input.0 to CPU2: a new vector there and IRTE 23 rewritten at once; the old vector on CPU1 waits for the cleanup timer, as on 7.2.',
    'cpu_up(3): nvme0q4 starts again on CPU3 with its managed vector, and the cleanup timer frees irq 31’s old vector. virtio_net’s CPU-online callback resets its queues’ affinity: irq 31 is back to 0-3 and stays on CPU2.',
  ],
);

const compareArch = kernelStory(
  {
    name: 'compare-arch',
    compareWith: 'compare-kernels',
    title: 'Compare architectures: the QEMU virt machine (arm64, GICv3 ITS) beside the q35 machine (x86, VT-d), both on 7.2',
    intro:
      'Booted on arm64, the NVMe drive’s interrupts are LPIs 8192–8196 of the ITS, its four managed I/O queues on CPUs 0, 1, 2, 3 — the x86 machine beside it, on the same 7.2, has vectors behind IRTEs and the queues on CPUs 1, 3, 2, 0. ' +
      'The same calls on the two machines the conformance harness boots: CPU3 goes down, user space moves virtio-net’s receive queue to CPU2, CPU3 comes back. ' +
      'On arm64 moving an interrupt is an ITS MOVI command to another CPU’s collection: no vector is allocated, so nothing waits for a cleanup, and a move to the CPU it is already on sends no command at all.',
  },
  virt('7.2'),
  [
    'cpu_down(3): nvme0q4 (irq 23), the managed queue on CPU3, is shut down until CPU3 returns — masked, and its event dropped with DISCARD. virtio0-output.0 moves from CPU3 to CPU0 with one MOVI (on x86 that is a new vector and an IRTE rewrite); virtio_net’s CPU-dead callback then narrows its queues to CPUs 0–2.',
    'Writing 2 to /proc/irq/25/smp_affinity_list: virtio0-input.0 is already on CPU2, so its_set_affinity() keeps it there and sends no command — only the mask changes. On x86 the same write allocated a vector on CPU2.',
    'cpu_up(3): collection 3 is mapped again (MAPC) and nvme0q4 restarts on CPU3 with a MAPTI of its event. virtio_net’s CPU-online callback resets its queues’ affinity to 0-3: irq 25 stays on CPU2, virtio0-output.0 goes back to CPU3 with a MOVI.',
  ],
);

/** The stories, in picker order (each opens beside its compareWith). */
export const KERNEL_STORIES: readonly Story[] = [compareKernels, compareKernels612, compareArch];
