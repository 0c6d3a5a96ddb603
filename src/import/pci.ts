// PCI facts an interrupt's chip name and hwirq prove: the function (BDF), the MSI index, MSI vs MSI-X.
//
// 6.2+ per-device MSI domains name their chip after the device:
//   "PCI-MSIX-0000:02:00.0", "IR-PCI-MSI-0000:00:1c.4", "ITS-PCI-MSIX-0002:01:00.0"
// and the hwirq is the MSI index (kernel/irq/msi.c, drivers/pci/msi/irqdomain.c).
// Up to 6.1 the PCI/MSI domain is global ("PCI-MSI", "IR-PCI-MSI", arm64 "ITS-MSI") and the hwirq
// encodes the function (pci_msi_domain_calc_hwirq() in drivers/pci/msi/irqdomain.c):
//   hwirq = msi_index | pci_dev_id(dev) << 11 | pci_domain_nr(bus) << 27,  pci_dev_id = bus << 8 | devfn.

export interface PciRef {
  bdf: string;
  index: number;
  kind: 'msi' | 'msix' | null;
  /** The part of the chip name before "PCI-MSI…": "IR", "ITS", "" (no parent named), "GICv2m"… */
  parentHint: string;
  perDevice: boolean;
}

const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');

/** "0000:3c:00.0" from a PCI domain, bus and devfn. */
export function formatBdf(domain: number, bus: number, devfn: number): string {
  return `${hex(domain, 4)}:${hex(bus, 2)}:${hex(devfn >> 3, 2)}.${devfn & 7}`;
}

/** Decode a global PCI/MSI domain's hwirq (valid up to 2^53, i.e. every PCI domain number Linux uses). */
export function decodeGlobalHwirq(hwirq: number): { domain: number; bus: number; devfn: number; index: number; bdf: string } {
  const index = hwirq % 2048;
  const rid = Math.floor(hwirq / 2048) % 65536;
  const domain = Math.floor(hwirq / 2 ** 27);
  const bus = rid >> 8;
  const devfn = rid & 0xff;
  return { domain, bus, devfn, index, bdf: formatBdf(domain, bus, devfn) };
}

const PER_DEVICE = /^(?:(.*)-)?PCI-(MSIX|MSI)-([0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])$/;
/** The global PCI/MSI chips of 4.x–6.1: x86 "PCI-MSI" / "IR-PCI-MSI", arm64 "ITS-MSI". */
const GLOBAL = /^(?:(IR|ITS|GICv2m|AMD-IR|INTEL-IR)-)?PCI-MSI$|^ITS-MSI$/;

/** What a chip column and hwirq say about the PCI function, or null when they say nothing. */
export function pciRefOf(chip: string | null, hwirq: number | null): PciRef | null {
  if (!chip) return null;
  const m = PER_DEVICE.exec(chip);
  if (m) {
    if (hwirq === null) return null;
    return { bdf: m[3].toLowerCase(), index: hwirq, kind: m[2] === 'MSIX' ? 'msix' : 'msi', parentHint: m[1] ?? '', perDevice: true };
  }
  if (GLOBAL.test(chip) && hwirq !== null) {
    const d = decodeGlobalHwirq(hwirq);
    const hint = chip === 'ITS-MSI' ? 'ITS' : chip.replace(/-?PCI-MSI$/, '');
    return { bdf: d.bdf, index: d.index, kind: null, parentHint: hint, perDevice: false };
  }
  return null;
}

/** True when the chip column names a per-device PCI MSI domain (6.2+ layout). */
export function isPerDeviceChip(chip: string | null): boolean {
  return !!chip && PER_DEVICE.test(chip);
}

/** True when the chip column names a 4.x–6.1 global PCI MSI domain. */
export function isGlobalPciChip(chip: string | null): boolean {
  return !!chip && GLOBAL.test(chip);
}
