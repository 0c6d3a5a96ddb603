// What every architecture provides to a machine: its boot, its MSI parent, how a device's
// message reaches a CPU, its CPU hotplug hooks and its per-CPU resource view.

import type { Kernel } from './core/kernel';
import type { MsiMsg } from './core/chip';
import type { IrqDomain } from './core/irqdomain';
import type { CpuHotplugArch } from './core/cpuhotplug';
import type { Device } from './core/device';
import type { PciDev } from './pci/pcidev';
import type { MachineSpec } from './types';
import type { IrqDesc } from './core/irqdesc';
import type { CpuView, IrqView, MachineView } from './view';

export interface Platform extends CpuHotplugArch {
  readonly arch: MachineSpec['arch'];
  /** The default host domain (debugfs "default"): VECTOR on x86, the GIC on arm64. */
  defaultDomain: IrqDomain;
  /** dev->msi.domain for a new device (the MSI parent in the v2 model). */
  msiParentFor(dev: Device): IrqDomain | null;
  /** The irq of a PCI function's INTx line (firmware routing to a GSI), 0 if it has none. */
  pciIntxRoute?(dev: PciDev): number;
  /** pci_assign_irq() at driver probe, where firmware maps INTx only then (device tree): the irq or 0. */
  pciAssignIrq?(dev: PciDev): number;
  /** A device's memory write of an MSI message arrives at the interrupt fabric. */
  deliverMsi(requester: string, msg: MsiMsg): void;
  /** Timers that fire "one jiffy later" run before the next action. */
  runTimers(): void;
  /** Canonical text of the architecture's private state. */
  snapshot(): string;
  cpuViews(): CpuView[];
  /** Where an interrupt is routed at the root level (x86: vector and CPU; arm64: LPI and collection). */
  irqRoute(desc: IrqDesc): Pick<IrqView, 'vector' | 'cpu' | 'hwVector' | 'prevVector' | 'prevCpu'>;
  matrixView(): MachineView['matrix'];
}

/** Counters the machine keeps and the platform moves. */
export interface PlatformCounters {
  spurious: number[];
  errCount: number;
  /** The CPU joins or leaves cpu_online_mask. */
  setCpuOnline(cpu: number, on: boolean): void;
}

/** How an architecture sizes the irq number space and boots. */
export interface ArchBoot {
  /** nr_irqs after arch_probe_nr_irqs(). */
  nrIrqs(spec: MachineSpec): number;
  /**
   * The largest nr_irqs boot set on the way (irq_set_nr_irqs() may lower it after raising the
   * /proc column width, which never shrinks in 7.2); nrIrqs when absent.
   */
  nrIrqsPeak?(spec: MachineSpec): number;
  /** arch_dynirq_lower_bound(): the first dynamic virq. */
  dynirqLowerBound: number;
  boot(k: Kernel, spec: MachineSpec, counters: PlatformCounters): Platform;
}
