// The scenario format (design.md "Scenario"): a machine and a list of kernel API calls.

export type IrqFlag = 'MSIX' | 'MSI' | 'INTX' | 'AFFINITY';

export interface DeviceSpec {
  bdf: string;
  name: string;
  msi?: { vectors: number; maskable: boolean; addr64: boolean };
  msix?: { tableSize: number };
  ims?: { storage: 'device' | 'queue'; size: number };
  subdevices?: { name: string }[];
}

export interface MachineSpec {
  arch: 'x86' | 'arm64';
  cpus: number;
  remap?: 'intel-ir' | 'amd-ir' | 'none';
  msiModel?: 'v2' | 'v1' | 'nonhier' | 'legacy';
  devices: DeviceSpec[];
}

/** One kernel API call. `op` is the kernel function name; the other keys are its arguments. */
export type Action =
  | { op: 'pci_alloc_irq_vectors'; dev: string; min: number; max: number; flags: IrqFlag[]; pre_vectors?: number; post_vectors?: number }
  | { op: 'pci_free_irq_vectors'; dev: string }
  | { op: 'pci_irq_vector'; dev: string; nr: number }
  | { op: 'pci_msix_alloc_irq_at'; dev: string; index: number | 'any' }
  | { op: 'pci_msix_free_irq'; dev: string; index: number }
  | { op: 'request_irq'; virq?: number; dev?: string; index?: number; name: string }
  | { op: 'free_irq'; virq?: number; dev?: string; index?: number }
  | { op: 'disable_irq'; virq?: number; dev?: string; index?: number }
  | { op: 'enable_irq'; virq?: number; dev?: string; index?: number }
  | { op: 'mask'; virq?: number; dev?: string; index?: number }
  | { op: 'unmask'; virq?: number; dev?: string; index?: number }
  | { op: 'irq_set_affinity'; virq?: number; dev?: string; index?: number; cpus: number[] }
  | { op: 'cpu_down'; cpu: number }
  | { op: 'cpu_up'; cpu: number }
  | { op: 'raise'; dev: string; index?: number; domain?: string }
  | { op: 'msleep'; ms: number };

export type ActionOp = Action['op'];

export interface Scenario {
  version: 1;
  machine: MachineSpec;
  actions: Action[];
  step?: number;
}
