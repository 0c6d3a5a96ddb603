// Models the PCI function state the MSI code touches (include/linux/pci.h struct pci_dev, the
// MSI and MSI-X capabilities of the PCI spec, the MSI-X table and Pending Bit Array).

import type { Device } from '../core/device';

/** MSI capability registers (Message Control, address, data, mask and pending bits). */
export interface MsiCapability {
  /** Multiple Message Capable, log2 (0..5). */
  mmc: number;
  maskable: boolean;
  addr64: boolean;
  enable: boolean;
  /** Multiple Message Enable, log2. */
  mme: number;
  addressLo: number;
  addressHi: number;
  data: number;
  maskBits: number;
  pendingBits: number;
}

/** One 16-byte MSI-X table entry. */
export interface MsixEntry {
  addressLo: number;
  addressHi: number;
  data: number;
  /** Vector Control; bit 0 = mask. */
  ctrl: number;
}

export interface MsixCapability {
  tableSize: number;
  enable: boolean;
  maskAll: boolean;
  table: MsixEntry[];
  /** Pending Bit Array, one entry per table entry. */
  pba: Uint8Array;
}

/** struct pci_dev, the interrupt-related part. */
export interface PciDev extends Device {
  kind: 'pci';
  /** Human label from the scenario (e.g. "nvme"). */
  label: string;
  msiCap: MsiCapability | null;
  msixCap: MsixCapability | null;
  /** dev->msi_enabled / dev->msix_enabled */
  msiEnabled: boolean;
  msixEnabled: boolean;
  /** PCI_COMMAND_INTX_DISABLE */
  intxDisabled: boolean;
  /** Interrupts the device sent while MSI was off and INTx had no handler: lost. */
  intxLost: number;
  /** dev->irq: INTx line, or the first MSI virq while MSI is enabled. */
  irq: number;
  /** The INTx line's irq (ACPI _PRT → IO-APIC GSI), what dev->irq returns to when MSI goes off; 0 = none. */
  intxIrq: number;
  /** PCI_STATUS_INTERRUPT: the function asserts INTx and no handler has serviced it yet. */
  intxStatus: boolean;
  /** pci_is_managed(): pcim_enable_device() was used (devres undoes enable and MSI). */
  isManaged?: boolean;
  /** dev->is_msi_managed: the pcim_msi_release devres action is registered. */
  isMsiManaged?: boolean;
  /** pci_enable_device() count (enable_cnt). */
  enableCnt?: number;
  /** Queues the device offers (NVMe I/O queue pairs, virtio-net queue pairs); unset: as many as asked. */
  queues?: number;
}

export const PCI_MSIX_ENTRY_CTRL_MASKBIT = 0x1;

export function newPciDev(bdf: string, label: string, spec: {
  msi?: { vectors: number; maskable: boolean; addr64: boolean };
  msix?: { tableSize: number };
  queues?: number;
}): PciDev {
  const msiCap: MsiCapability | null = spec.msi ? {
    mmc: Math.round(Math.log2(spec.msi.vectors)), maskable: spec.msi.maskable, addr64: spec.msi.addr64,
    enable: false, mme: 0, addressLo: 0, addressHi: 0, data: 0, maskBits: 0, pendingBits: 0,
  } : null;
  const msixCap: MsixCapability | null = spec.msix ? {
    tableSize: spec.msix.tableSize, enable: false, maskAll: false,
    table: Array.from({ length: spec.msix.tableSize }, () => ({ addressLo: 0, addressHi: 0, data: 0, ctrl: PCI_MSIX_ENTRY_CTRL_MASKBIT })),
    pba: new Uint8Array(spec.msix.tableSize),
  } : null;
  return {
    kind: 'pci', name: bdf, label, msi: { domain: null, data: null }, devres: [], driver: null,
    msiCap, msixCap, msiEnabled: false, msixEnabled: false, intxDisabled: false, intxLost: 0, irq: 0, intxIrq: 0, intxStatus: false,
    ...(spec.queues !== undefined ? { queues: spec.queues } : {}),
  };
}

/** "0000:3d:00.0" → requester ID (bus << 8 | dev << 3 | fn). */
export function pciDevId(bdf: string): number {
  const m = /^[0-9a-f]{4}:([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/i.exec(bdf);
  if (!m) return 0;
  return (parseInt(m[1], 16) << 8) | (parseInt(m[2], 16) << 3) | parseInt(m[3], 16);
}
