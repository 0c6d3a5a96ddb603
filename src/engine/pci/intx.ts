// Models the INTx side of a PCI function (drivers/pci/pci.c pci_intx(), the Interrupt Status
// bit of the PCI Status register) and the wire its INTx pin is: routed by ACPI _PRT to an
// IO-APIC GSI (drivers/acpi/pci_irq.c), which the platform delivers.

import type { Kernel } from '../core/kernel';
import type { IrqDesc } from '../core/irqdesc';
import type { PciDev } from './pcidev';

/**
 * The platform's INTx wire: the line of irq `irq` is asserted. Returns false when the
 * interrupt controller does not pass it on (the pin is masked: nobody requested the line, or
 * the kernel masked it), true when it was delivered to a CPU.
 */
export type IntxWire = (irq: number) => boolean;

const wires = new WeakMap<Kernel, IntxWire>();

/** The platform registers how an asserted INTx line reaches a CPU (x86: IO-APIC pin → message). */
export function setPciIntxWire(k: Kernel, wire: IntxWire): void {
  wires.set(k, wire);
}

/**
 * The function signals an interrupt with MSI and MSI-X off: it sets PCI_STATUS_INTERRUPT and,
 * unless PCI_COMMAND_INTX_DISABLE is set, asserts its INTx pin (level, active low). A handler
 * of the device clears the status (pciIntxIsr); until then the level stays asserted.
 */
export function pciIntxRaise(k: Kernel, dev: PciDev): number {
  if (dev.intxDisabled) {
    if (k.t.on) k.t.effect('MSI, MSI-X and INTx are all off (PCI_COMMAND_INTX_DISABLE): the interrupt goes nowhere');
    return 0;
  }
  dev.intxStatus = true;
  const wire = wires.get(k);
  if (!dev.intxIrq || !wire) {
    dev.intxLost++;
    if (k.t.on) k.t.effect('MSI and MSI-X are off and the INTx pin is not routed anywhere: the interrupt is lost');
    return 0;
  }
  if (k.t.on) k.t.effect(`MSI and MSI-X are off: the device asserts INTx A, routed to GSI ${dev.intxIrq} (irq ${dev.intxIrq})`);
  if (!wire(dev.intxIrq)) {
    dev.intxLost++;
    if (k.t.on) k.t.effect(`the IO-APIC pin of irq ${dev.intxIrq} is masked (no handler was ever started on it, or the kernel masked it): the interrupt is lost`);
  }
  return 0;
}

/**
 * The interrupt handler of a driver on the device's INTx line (pci_request_irq with
 * IRQF_SHARED): it reads the Interrupt Status of its own device and claims the interrupt only
 * when its device raised it (IRQ_HANDLED), else IRQ_NONE — the line may be shared.
 */
export function pciIntxIsr(dev: PciDev): () => boolean {
  return () => {
    if (!dev.intxStatus) return false;
    dev.intxStatus = false;
    return true;
  };
}

/** The device's own INTx irq while neither MSI nor MSI-X is on: handlers there must check the status. */
export function isIntxOf(dev: PciDev, desc: IrqDesc): boolean {
  return dev.intxIrq > 0 && desc.irq === dev.intxIrq && !desc.irqData.common.msiDesc;
}
