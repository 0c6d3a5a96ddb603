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

/**
 * A driver's IMS msi_domain_template, as far as a scenario may bend it: each field is one of the
 * mistakes pci_create_ims_domain() checks for, named as in the kernel. Omitted: the correct value.
 */
export interface ImsTemplate {
  /** template.chip.name (default "IMS"). */
  name?: string;
  /** template.info.bus_token (default DOMAIN_BUS_PCI_DEVICE_IMS). */
  busToken?: 'DOMAIN_BUS_PCI_DEVICE_IMS' | 'DOMAIN_BUS_PCI_DEVICE_MSIX' | 'DOMAIN_BUS_PCI_DEVICE_MSI' | 'DOMAIN_BUS_DEVICE_MSI';
  /** template.info.flags (default MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS + MSI_FLAG_FREE_MSI_DESCS). */
  flags?: ('MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS' | 'MSI_FLAG_FREE_MSI_DESCS' | 'MSI_FLAG_USE_DEF_DOM_OPS' |
    'MSI_FLAG_USE_DEF_CHIP_OPS' | 'MSI_FLAG_ACTIVATE_EARLY' | 'MSI_FLAG_DEV_SYSFS')[];
  /** Chip callbacks left out. */
  omit?: ('irq_mask' | 'irq_unmask' | 'irq_write_msi_msg' | 'irq_bus_lock' | 'irq_bus_sync_unlock')[];
  /** The chip has an irq_set_affinity of its own. */
  setAffinity?: boolean;
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
  | { op: 'raise'; dev: string; index?: number; domain?: string; count?: number }
  // PCI/IMS (v6.2–v6.9, removed in 2024)
  | { op: 'pci_create_ims_domain'; dev: string; template?: ImsTemplate }
  | { op: 'msi_domain_alloc_irq_at'; dev: string; domain: 'ims'; index: number | 'any'; icookie?: number }
  | { op: 'pci_ims_alloc_irq'; dev: string; icookie?: number }
  | { op: 'pci_ims_free_irq'; dev: string; index: number }
  // MSI parent domains for PCI subdevices (proposal, 2024)
  | { op: 'pci_enable_msi_parent_domain'; dev: string }
  | { op: 'pci_msi_init_subdevice'; subdev: string }
  | { op: 'pci_msi_create_subdevice_irq_domain'; subdev: string; hwsize?: number }
  | { op: 'pci_subdev_msix_alloc_at'; subdev: string; index: number | 'any' }
  | { op: 'pci_subdev_msix_free'; subdev: string; index: number }
  // Drivers (drivers/base/dd.c): bind runs the driver's probe, unbind its remove and the devres release
  | { op: 'driver_bind'; dev: string; driver: DriverName }
  | { op: 'driver_unbind'; dev: string }
  | { op: 'msleep'; ms: number };

/** The drivers the model knows (src/engine/driver/drivers.ts): PCIe port, CXL memory device, CXL PMU, NVMe, idxd-like. */
export type DriverName = 'portdrv' | 'cxl_pci' | 'cpmu' | 'nvme' | 'idxd';

export type ActionOp = Action['op'];

export interface Scenario {
  version: 1;
  machine: MachineSpec;
  actions: Action[];
  step?: number;
}
