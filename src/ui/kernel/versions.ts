// The kernels a machine can run, as the scenario format names them (`machine.kernel`). Plain data,
// no React or worker: the report and the share code use it too.

import type { KernelVersion, MachineSpec } from '../../worker/protocol';

/** The kernels a machine can run (the scenario schema's `machine.kernel`), oldest first. */
export const KERNELS: readonly { version: KernelVersion; label: string; note: string }[] = [
  { version: '6.1', label: '6.1', note: 'LTS: one global PCI/MSI domain per remapping unit' },
  { version: '6.12', label: '6.12', note: 'LTS: per-device MSI domains on MSI parents' },
  { version: '7.2', label: '7.2', note: 'current mainline' },
];

/** A machine without `kernel` runs current mainline (the scenario format's default). */
export const DEFAULT_KERNEL: KernelVersion = '7.2';

export function kernelOf(m: MachineSpec | null | undefined): KernelVersion {
  return m?.kernel ?? DEFAULT_KERNEL;
}

/** "Linux 6.12" */
export function kernelName(v: KernelVersion): string {
  return `Linux ${v}`;
}
