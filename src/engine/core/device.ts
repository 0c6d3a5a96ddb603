// Models the parts of include/linux/device.h the interrupt core uses: dev_name, dev->msi
// (the MSI parent domain and the per-device MSI data) and the devres list.

import type { IrqDomain } from './irqdomain';
import type { Kernel } from './kernel';
import type { MsiDeviceData } from '../msi/msidesc';

/** One managed resource (drivers/base/devres.c), released in reverse order at unbind. */
export interface DevresEntry {
  /** The release function's name, as the kernel would show it (e.g. "msi_device_data_release"). */
  release: string;
  /** What it frees, in words. */
  what: string;
  /** The release callback (devm_add_action's action); absent: src/engine/driver/devres.ts knows it by name. */
  fn?: (k: Kernel) => void;
}

/** struct device, as far as interrupts are concerned. */
export interface Device {
  /** dev_name(): "0000:3d:00.0", "cxl_pmu.0", … */
  name: string;
  msi: {
    /** dev->msi.domain: the MSI parent (v2), the global PCI/MSI domain (v1) or null (legacy). */
    domain: IrqDomain | null;
    /** dev->msi.data: devres-managed descriptor stores, created on first use. */
    data: MsiDeviceData | null;
  };
  devres: DevresEntry[];
  /** Bound driver name, or null. */
  driver: string | null;
}
