// The engine's own types: the machine description, the kernel API calls (actions) and the scenario
// that pairs them (design.md "Scenario"). src/scenario re-exports them and adds validation.

export type IrqFlag = 'MSIX' | 'MSI' | 'INTX' | 'AFFINITY';

/** request_irq() flags a scenario may pass (include/linux/interrupt.h IRQF_*). */
export const IRQF_NAMES = [
  'IRQF_SHARED', 'IRQF_PROBE_SHARED', 'IRQF_ONESHOT', 'IRQF_TRIGGER_RISING', 'IRQF_TRIGGER_FALLING',
  'IRQF_TRIGGER_HIGH', 'IRQF_TRIGGER_LOW', 'IRQF_NOBALANCING', 'IRQF_NO_THREAD',
] as const;
export type IrqfName = (typeof IRQF_NAMES)[number];

export interface DeviceSpec {
  bdf: string;
  name: string;
  /** The driver bound at boot (its real probe runs); none: the device waits for driver_bind. */
  driver?: DriverName;
  /** Queues the device offers: NVMe I/O queue pairs (QEMU's max_ioqpairs), virtio-net queue pairs. */
  queues?: number;
  msi?: { vectors: number; maskable: boolean; addr64: boolean };
  msix?: { tableSize: number };
  ims?: { storage: 'device' | 'queue'; size: number };
  subdevices?: { name: string }[];
}

/** The kernel versions the model reproduces (src/engine/profiles.ts); a spec without one means 7.2. */
export type KernelVersion = '6.1' | '6.12' | '7.2';
/** generic: a described machine; qemu-q35 / qemu-virt: the machines the conformance harness boots. */
export type PlatformName = 'generic' | 'qemu-q35' | 'qemu-virt';

export interface MachineSpec {
  arch: 'x86' | 'arm64';
  kernel?: KernelVersion;
  platform?: PlatformName;
  cpus: number;
  remap?: 'intel-ir' | 'amd-ir' | 'none';
  msiModel?: 'v2' | 'v1' | 'nonhier' | 'legacy';
  /**
   * x86: the IO-APIC's pins (GSIs), 24 to 256 (IO_APIC_reg_01.entries is 8 bits); the board's when
   * left out (q35 has 24, a real server's IO-APICs often 120 in all — the model has one IO-APIC).
   * Dynamic interrupts start above them.
   */
  ioapicPins?: number;
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
  | { op: 'pci_alloc_irq_vectors'; dev: string; min: number; max: number; flags: IrqFlag[]; pre_vectors?: number; post_vectors?: number; sets?: number[] }
  | { op: 'pci_free_irq_vectors'; dev: string }
  | { op: 'pci_irq_vector'; dev: string; nr: number }
  | { op: 'pci_msix_alloc_irq_at'; dev: string; index: number | 'any' }
  | { op: 'pci_msix_free_irq'; dev: string; index: number }
  | { op: 'request_irq'; virq?: number; dev?: string; index?: number; name: string; flags?: IrqfName[] }
  | { op: 'free_irq'; virq?: number; dev?: string; index?: number }
  | { op: 'disable_irq'; virq?: number; dev?: string; index?: number }
  | { op: 'enable_irq'; virq?: number; dev?: string; index?: number }
  | { op: 'mask'; virq?: number; dev?: string; index?: number }
  | { op: 'unmask'; virq?: number; dev?: string; index?: number }
  | { op: 'irq_set_affinity'; virq?: number; dev?: string; index?: number; cpus: number[] }
  // A user's write to /proc/irq/N/smp_affinity_list (kernel/irq/proc.c): managed interrupts refuse it
  | { op: 'write_irq_affinity'; virq?: number; dev?: string; index?: number; cpus: number[] }
  // Block reads on an NVMe namespace from one CPU: the queue mapped to that CPU completes them
  | { op: 'blk_read'; dev: string; cpu: number; count: number }
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
  // Roads not taken (src/engine/roads). DEV_MSI, RFC v2 2020 (drivers/base/dev-msi.c, platform-msi.c):
  | { op: 'create_dev_msi_irq_domain' }
  | { op: 'mdev_device_create'; dev: string; name: string }
  | { op: 'mdev_device_remove'; name: string }
  | { op: 'dev_set_msi_domain'; dev: string }
  | { op: 'dev_msi_domain_alloc_irqs'; dev: string; nvec: number }
  | { op: 'dev_msi_domain_free_irqs'; dev: string }
  | { op: 'platform_msi_assign_domain'; dev: string }
  | { op: 'platform_msi_domain_alloc_irqs'; dev: string; nvec: number }
  | { op: 'platform_msi_domain_free_irqs'; dev: string }
  // IMS per IOMMU (RFC 2020, rejected in review 2021): msi_domain_alloc_irqs(dev_get_ims_domain(dev), dev, nvec)
  | { op: 'arch_create_ims_irq_domain' }
  | { op: 'msi_domain_alloc_irqs'; dev: string; nvec: number }
  | { op: 'msi_domain_free_irqs'; dev: string }
  // Logical functions (proposal 2021; the model's names: the thread named only msi_get_virq(lfunc, idx))
  | { op: 'lfunc_create'; dev: string; owner: 'vfio' | 'cdev' }
  | { op: 'lfunc_alloc_irq'; lfunc: string; icookie?: number }
  | { op: 'lfunc_destroy'; lfunc: string }
  // CXL subdevices, the roads of 2024 not taken: parent "dev_get_msi_domain" (the first attempt) or null (disjunct)
  | { op: 'irq_domain_create_hierarchy'; dev: string; subdev: string; parent: 'dev_get_msi_domain' | null }
  | { op: 'cxl_aux_bus_create_irqdomain'; subdev: string }
  | { op: 'msi_domain_alloc_irqs_range'; dev: string; first: number; last: number }
  // Drivers (drivers/base/dd.c): bind runs the driver's probe, unbind its remove and the devres release
  | { op: 'driver_bind'; dev: string; driver: DriverName }
  | { op: 'driver_unbind'; dev: string }
  // Module unload / load (rmmod / insmod): the driver leaves every device it drives, or binds every
  // device it matches
  // Hot removal and rescan (sysfs remove / rescan): the function leaves its bus, and comes back
  | { op: 'pci_stop_and_remove_bus_device'; dev: string }
  | { op: 'pci_rescan_bus' }
  | { op: 'delete_module'; name: DriverName }
  | { op: 'init_module'; name: DriverName }
  | { op: 'msleep'; ms: number };

/** The drivers the model knows (src/engine/driver/drivers.ts): PCIe port, CXL memory device, CXL PMU, NVMe, idxd-like. */
export type DriverName = 'pcieport' | 'cxl_pci' | 'cxl_pmu' | 'nvme' | 'idxd' | 'virtio_net';
/** Names older scenario files used, normalised on load. */
export const DRIVER_ALIASES: Readonly<Record<string, DriverName>> = { portdrv: 'pcieport', cpmu: 'cxl_pmu' };

export type ActionOp = Action['op'];

export interface Scenario {
  version: 1;
  machine: MachineSpec;
  actions: Action[];
  step?: number;
}
