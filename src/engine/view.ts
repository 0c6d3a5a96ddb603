// The plain, serializable picture of a machine that the panels draw (machine.view()).
// Everything here is data: no class instances, no functions, no Maps.

import type { TraceNode } from './core/trace';
import type { KernelLogLine } from './core/kernel';
import type { DomainEra } from './core/irqdomain';

export interface DomainView {
  /** Name as debugfs shows it, e.g. "IR-PCI-MSIX-0000:3d:00.0-12". */
  name: string;
  parent: string | null;
  /** "vector", "remap", "ioapic", "hpet", "dmar", "msi-device", "ims", "subdev", "its", "gic". */
  kind: string;
  flags: number;
  flagNames: string[];
  busToken: number;
  size: number;
  mapped: number;
  /** Owning device for per-device domains. */
  dev: string | null;
  /** mainline, 'removed in 2024' (IMS), 'proposal' (subdevice MSI parents) or a road not taken (RoadEra). */
  era: DomainEra;
}

export interface IrqLevelView {
  domain: string;
  hwirq: number;
  chip: string;
}

export interface IrqView {
  virq: number;
  /** Top level first, root last. */
  chain: IrqLevelView[];
  actions: string[];
  devName: string;
  depth: number;
  state: number;
  stateNames: readonly string[];
  affinity: readonly number[];
  effectiveAffinity: readonly number[];
  managed: boolean;
  started: boolean;
  activated: boolean;
  masked: boolean;
  disabled: boolean;
  /** x86: the vector and CPU (0 when only reserved), parked on 0xef when hwVector is 239. */
  vector: number;
  cpu: number;
  hwVector: number;
  prevVector: number;
  prevCpu: number;
  counts: number[];
  /** Device and MSI index this interrupt belongs to, when it is an MSI. */
  msi: { dev: string; domid: number; index: number } | null;
}

export interface MsiEntryView {
  index: number;
  virq: number;
  nvecUsed: number;
  addressHi: number;
  addressLo: number;
  data: number;
  masked: boolean;
  pending: boolean;
  managed: boolean;
}

export interface MsiStoreView {
  domid: number;
  domain: string | null;
  hwsize: number;
  entries: MsiEntryView[];
}

export interface DeviceView {
  /** dev_name: BDF for PCI functions. */
  name: string;
  label: string;
  kind: 'pci' | 'subdevice';
  parent: string | null;
  driver: string | null;
  msiCap: { vectors: number; maskable: boolean; addr64: boolean; enabled: boolean; mme: number } | null;
  msixCap: { tableSize: number; enabled: boolean; maskAll: boolean } | null;
  /** The MSI parent domain (dev->msi.domain). */
  msiParent: string | null;
  stores: MsiStoreView[];
  /** MSI-X table rows that are in use or pending (unused rows are omitted). */
  msixTable: {
    index: number; addressLo: number; addressHi: number; data: number; masked: boolean; pending: boolean;
    /** The subdevice whose interrupt uses this entry (subdevice MSI parent proposal). */
    owner?: string;
  }[];
  devres: string[];
  intxLost: number;
  /** The interrupt message store (PCI/IMS, v6.2–v6.9), when the device has one. */
  ims?: ImsView;
}

/** A device's IMS: the entries in use, pending, or with a change not yet made effective. */
export interface ImsView {
  storage: 'device' | 'queue';
  size: number;
  /** The IMS domain (MSI_SECONDARY_DOMAIN), once pci_create_ims_domain() made it. */
  domain: string | null;
  era: 'removed in 2024';
  /** Queue storage: an irq_bus_lock() window is open. */
  busLocked: boolean;
  rows: {
    index: number;
    /** 0 when no interrupt is allocated at this index. */
    virq: number;
    /** msi_desc::data.icookie (e.g. a PASID). */
    icookie: number | null;
    /** What the device uses now. */
    addressLo: number;
    addressHi: number;
    data: number;
    masked: boolean;
    /** The device signalled while masked; sent when an unmask takes effect. */
    pending: boolean;
    /** Queue storage: recorded by the chip, made effective only by irq_bus_sync_unlock(). */
    change: { addressLo?: number; addressHi?: number; data?: number; masked?: boolean } | null;
  }[];
}

export interface CpuView {
  cpu: number;
  online: boolean;
  /** matrix columns: avl, man, mac, act. */
  available: number;
  managed: number;
  managedAllocated: number;
  allocated: number;
  /** arm64: the ITS collection mapped to this CPU's redistributor (null before MAPC). */
  collection?: number | null;
  /** arm64: the LPIs the ITS routes to this CPU's collection. */
  lpis?: number[];
  /** arm64: LPIs pending in this CPU's redistributor (disabled, or the CPU offline). */
  pendingLpis?: number[];
}

export interface MachineView {
  arch: 'x86' | 'arm64';
  cpus: CpuView[];
  remap: 'intel-ir' | 'amd-ir' | 'none';
  domains: DomainView[];
  irqs: IrqView[];
  devices: DeviceView[];
  /** dmesg: kernel messages, oldest first. */
  log: (KernelLogLine & { step: number })[];
  /** Vector map summary for x86 (Global available/reserved, Total allocated). */
  matrix: { globalAvailable: number; globalReserved: number; totalAllocated: number; systemVectors: number[] } | null;
}

/**
 * One stage of an interrupt's trip from the device to its handler, for the "watch it travel"
 * animation: the device's write, the remapping or ITS translation, the CPU vector, the handler.
 */
export interface Hop {
  stage: 'device' | 'pending' | 'remap' | 'its' | 'apic' | 'cpu' | 'handler' | 'lost' | 'fault';
  /** The domain whose level this stage belongs to (null for the wire). */
  domain: string | null;
  label: string;
  cpu?: number;
  vector?: number;
  virq?: number;
}

/** What machine.apply() returns. */
export interface ActionResult {
  ok: boolean;
  /** Negative kernel errno when !ok. */
  errno?: number;
  /**
   * What the kernel function itself returns, as it returns it: an int (request_irq() 0,
   * pci_alloc_irq_vectors() the vector count, a /proc write the bytes written), a bool or a
   * struct in C's words ("true", "{ .index = 3, .virq = 30 }"), a string a pointer names
   * (free_irq()'s devname). The negative errno when !ok. Absent for a void function and for what
   * is no kernel function (a device's `raise`).
   */
  ret?: number | string;
  /** The engine's answer for scripts and stories (the vector count, the virq, the driver bound…). */
  value?: number | string;
  /** The interrupt the call requested or names, shown apart from `ret` (request_irq() returns 0, not it). */
  virq?: number;
  /** One sentence a person understands. */
  message: string;
  trace: TraceNode[];
  /** The stages an interrupt went through (raise and replays); empty for other calls. */
  hops: Hop[];
}
