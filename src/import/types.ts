// What an imported capture of a real machine holds: plain data, serializable, engine-free.
// Every field the input does not give is null (or absent from a list), never a default.

/**
 * Which kernel printed the /proc/interrupts rows, as far as the text shows:
 * - "2.6-3.x": chip and flow fused in one column ("IO-APIC-edge"), no hwirq column;
 * - "4.x-6.1": a hwirq column, PCI MSI on global domains with an encoded hwirq ("IR-PCI-MSI 31457280-edge");
 * - "6.2-6.12": per-device MSI domains ("IR-PCI-MSIX-0000:02:00.0    1-edge"), two blanks before the chip;
 * - "4.x-6.12": a hwirq column and two blanks before the chip, but no PCI MSI row says which of the two above;
 * - "6.13-6.x": one blank between the last count and the chip column (" %10u" per CPU, seq_put_decimal_ull_width);
 * - "7.x": the chip column left-aligned and padded to one width for all rows, two blanks before it;
 * - "unknown": too little text to tell (a header-less excerpt of unnumbered rows, sysfs files alone…).
 */
export type Layout = '2.6-3.x' | '4.x-6.1' | '6.2-6.12' | '4.x-6.12' | '6.13-6.x' | '7.x' | 'unknown';

export type Arch = 'x86' | 'arm64' | 'arm' | null;

export interface SourceLine {
  /** 1-based line number in the text the user gave. */
  line: number;
  text: string;
}

/** A line the import did not use, and why. */
export interface Skipped extends SourceLine {
  reason: string;
}

/** One level of an irq's domain chain, as debugfs (irq/irqs/N) prints it; top level first. */
export interface ChainLevel {
  domain: string | null;
  hwirq: number | null;
  chip: string | null;
}

export interface ImportedIrq {
  irq: number;
  /** The chip column (or sysfs chip_name); multi-word names kept whole. */
  chip: string | null;
  hwirq: number | null;
  /** "edge" / "level" when the row proves it (Edge/Level column, -edge flow, IO-APIC fasteoi), else null. */
  trigger: 'edge' | 'level' | null;
  /** The flow handler's name after the dash ("edge", "fasteoi", "event"), when printed. */
  flow: string | null;
  actions: string[];
  /** One count per CPU column of the input (see ImportedMachine.cpuIds); null when no counts were given. */
  counts: number[] | null;
  /** The PCI function this interrupt belongs to, from a per-device domain name or a decoded global hwirq. */
  bdf: string | null;
  /** The MSI / MSI-X index on that function. */
  index: number | null;
  /** MSI or MSI-X, when the chip name (PCI-MSIX-…) or msi_irqs/N says so. */
  msiKind: 'msi' | 'msix' | null;
  /** /proc/irq/N/smp_affinity_list */
  affinity: number[] | null;
  /** /proc/irq/N/effective_affinity_list */
  effective: number[] | null;
  /** /proc/irq/N/node */
  node: number | null;
  /** debugfs irq/irqs/N: the domain chain, top level first. */
  chain: ChainLevel[] | null;
  /** debugfs: the CPU vector and its target CPU (x86 VECTOR domain). */
  vector: { vector: number; cpu: number } | null;
  /** Where the row came from. */
  line: number | null;
}

/** An arch row of /proc/interrupts (NMI, LOC, IPI0, ERR…): label, counts, the text after them. */
export interface ArchRow {
  label: string;
  counts: number[];
  text: string;
  line: number;
}

export interface ImportedDevice {
  bdf: string;
  /** How many MSI/MSI-X vectors the input shows for it (msi_irqs when given, else its rows). */
  vectors: number;
  kind: 'msi' | 'msix' | 'unknown';
  /** The irqs, ordered by MSI index when known. */
  irqs: number[];
  driver: string | null;
  /** "8086:0953" */
  ids: string | null;
  /** PCI class code "0x010802" */
  pciClass: string | null;
  /** Vectors msi_irqs lists that /proc/interrupts does not show (no handler). */
  withoutHandler: number[];
}

/** A node of the domain hierarchy, as far as the input proves it. */
export interface ImportedDomain {
  name: string;
  parent: string | null;
  /** vector, remap, msi-device, msi-global, its, gic, ioapic, chip (a chip the model does not know). */
  kind: string;
  /** Where the fact comes from: "debugfs", the chip column ("proc"), or a deduction named in `note`. */
  source: 'debugfs' | 'proc' | 'deduced';
  note: string | null;
  irqs: number[];
}

export interface ImportedMachine {
  arch: Arch;
  layout: Layout;
  /** How many CPU columns the counts have (online CPUs when the input is /proc/interrupts). */
  cpus: number | null;
  /** The CPU number of each count column (the header's CPUn); null for a header-less excerpt. */
  cpuIds: number[] | null;
  /** The CPU count comes from the columns of a header-less excerpt. */
  cpusFromColumns: boolean;
  /** uname -r */
  kernelRelease: string | null;
  /** Online CPUs from /sys/devices/system/cpu/online, when given. */
  online: number[] | null;
  /** Possible CPUs from /sys/devices/system/cpu/possible, when given. */
  possible: number[] | null;
  irqs: ImportedIrq[];
  archRows: ArchRow[];
  devices: ImportedDevice[];
  domains: ImportedDomain[];
  /** Interrupt-related kernel log lines, as given. */
  log: string[];
  /** What the input does not tell, one sentence each. */
  unknown: string[];
  /** Lines of the input the import did not use. */
  skipped: Skipped[];
  /** Which files the input held (paths of the bundle's sections, or "/proc/interrupts" for a bare paste). */
  sources: string[];
  /** The numbered rows' layout details, so --format proc can print them as the kernel did. */
  procLayout: ProcLayout | null;
}

export interface ProcLayout {
  /** Width of the irq number column (the kernel's `prec`). */
  prec: number;
  /**
   * classic (up to 6.12): "%*d: " + "%10u " per CPU + " %8s" chip;
   * seq (6.13 to 6.x): "%*d:" + " %10u" per CPU + " %8s" chip;
   * padded (7.x): "%*d:" + " %10u" per CPU + "  " + the chip left-aligned to `chipWidth`.
   */
  style: 'classic' | 'seq' | 'padded';
  /** The padded layout's chip column width. */
  chipWidth: number | null;
  /** CONFIG_GENERIC_IRQ_SHOW_LEVEL: an Edge/Level column after the hwirq. */
  showLevel: boolean;
  /** The header line had trailing blanks ("CPU%-8d" per CPU). */
  header: string | null;
}

export type ImportResult =
  | { ok: true; machine: ImportedMachine }
  | { ok: false; error: string; line: number | null };
