// Models kernel/irq/proc.c show_interrupts() + arch/x86/kernel/irq.c and
// arch/arm64/kernel/smp.c arch_show_interrupts(): the text of /proc/interrupts, as v6.13+
// kernels print it (notes/formats.md §1 "Era B", §2). arm64 adds the Edge/Level column
// (CONFIG_GENERIC_IRQ_SHOW_LEVEL) and prints the IPI rows and Err.

import type { Machine } from '../machine';
import type { IrqDesc } from '../core/irqdesc';

/** _IRQ_HIDDEN (include/linux/irq.h): never shown in /proc/interrupts. */
const IRQ_HIDDEN = 0x100000;

/** printf("%*s") / ("%*d"): right-align to `w`, longer text overflows. */
const right = (s: string | number, w: number): string => String(s).padStart(w);
/** printf("%-*s"): left-align to `w`. */
const left = (s: string, w: number): string => s.padEnd(w);

/**
 * The column width of the irq numbers: `for (prec = 3, j = 1000; prec < 10 && j <= nr_irqs;
 * ++prec) j *= 10;`, recomputed on every read. nr_irqs grows past its boot value when a
 * descriptor is allocated above it (irq_expand_nr_irqs).
 */
export function procPrec(m: Machine): number {
  let nrIrqs = m.nrIrqs;
  for (const irq of m.k.descs.keys()) if (irq + 1 > nrIrqs) nrIrqs = irq + 1;
  let prec = 3;
  for (let j = 1000; prec < 10 && j <= nrIrqs; ++prec) j *= 10;
  return prec;
}

/** IRQD_LEVEL (include/linux/irq.h): irqd_is_level_type(). */
const IRQD_LEVEL = 1 << 13;

/** One descriptor row, or null when show_interrupts() skips it (hidden, no action). */
function descRow(desc: IrqDesc, prec: number, cpus: readonly number[], showLevel: boolean): string | null {
  if (desc.status & IRQ_HIDDEN) return null;
  if (desc.action.length === 0) return null;
  // "%*d:" then seq_put_decimal_ull_width(p, " ", cnt, 10) per online CPU, then ' '.
  let s = `${right(desc.irq, prec)}:`;
  for (const c of cpus) s += ` ${right(desc.kstat[c] ?? 0, 10)}`;
  s += ' ';
  // No x86 chip has irq_print_chip: "%8s" of the name, "-" when it has none, "None" without chip.
  const d = desc.irqData;
  const chip = d.chip as typeof d.chip | null | undefined;
  s += right(chip ? chip.name || '-' : 'None', 8);
  // hwirq: " %*lu" when the irq has a domain, else " %*s" of "".
  // (kind "none": an arch-hook MSI with no irq domain, the model's stand-in for a NULL domain.)
  s += d.domain && d.domain.kind !== 'none' ? ` ${right(d.hwirq, prec)}` : ` ${right('', prec)}`;
  // CONFIG_GENERIC_IRQ_SHOW_LEVEL (arm64, not x86): " %-8s" of "Level" / "Edge".
  if (showLevel) s += ` ${left(d.common.state & IRQD_LEVEL ? 'Level' : 'Edge', 8)}`;
  // The flow name (desc->name): "-%-8s".
  if (desc.name) s += `-${left(desc.name, 8)}`;
  s += `  ${desc.action[0].name}`;
  for (const a of desc.action.slice(1)) s += `, ${a.name}`;
  return `${s}\n`;
}

/** x86 arch_show_interrupts(): the per-CPU rows are "%*s: " + "%10u " per CPU + text. */
function archRows(m: Machine, prec: number, cpus: readonly number[]): string {
  const perCpu = (label: string, text: string, count: (cpu: number) => number): string => {
    let s = `${right(label, prec)}: `;
    for (const c of cpus) s += `${right(count(c), 10)} `;
    return `${s}  ${text}\n`;
  };
  const total = (label: string, n: number): string => `${right(label, prec)}: ${right(n, 10)}\n`;
  // The model runs no timers, IPIs, MCE or KVM: those counters stay 0.
  const zero = () => 0;
  return (
    perCpu('NMI', 'Non-maskable interrupts', zero) +
    perCpu('LOC', 'Local timer interrupts', zero) +
    perCpu('SPU', 'Spurious interrupts', (c) => m.spurious[c] ?? 0) +
    perCpu('PMI', 'Performance monitoring interrupts', zero) +
    perCpu('IWI', 'IRQ work interrupts', zero) +
    perCpu('RTR', 'APIC ICR read retries', zero) +
    // PLT only with an x86_platform_ipi_callback (Hyper-V, UV): none here.
    perCpu('RES', 'Rescheduling interrupts', zero) +
    perCpu('CAL', 'Function call interrupts', zero) +
    perCpu('TLB', 'TLB shootdowns', zero) +
    perCpu('TRM', 'Thermal event interrupts', zero) +
    perCpu('THR', 'Threshold APIC interrupts', zero) +
    perCpu('DFR', 'Deferred Error APIC interrupts', zero) +
    perCpu('MCE', 'Machine check exceptions', zero) +
    perCpu('MCP', 'Machine check polls', zero) +
    // HYP/HRE/HVS only on Hyper-V/Xen guests.
    total('ERR', m.errCount) +
    total('MIS', 0) +
    perCpu('PIN', 'Posted-interrupt notification event', zero) +
    perCpu('NPI', 'Nested posted-interrupt event', zero) +
    perCpu('PIW', 'Posted-interrupt wakeup event', zero)
    // PMN only with CONFIG_X86_POSTED_MSI and posted MSI enabled.
  );
}

/**
 * arm64 ipi_types[MAX_IPI] (arch/arm64/kernel/smp.c; since v6.10 every IPI has a row, the
 * backtrace and KGDB ones included).
 */
export const ARM64_IPI_TYPES = [
  'Rescheduling interrupts',
  'Function call interrupts',
  'CPU stop interrupts',
  'CPU stop NMIs',
  'Timer broadcast interrupts',
  'IRQ work interrupts',
  'CPU backtrace interrupts',
  'KGDB roundup interrupts',
] as const;

/**
 * arm64 arch_show_interrupts(): per IPI "%*s%u:%s" (prec - 1 wide "IPI", the number, a blank
 * when prec >= 4), "%10u " per online CPU, "      %s" of its name; then "%*s: %10lu" of Err
 * (irq_err_count). The model sends no IPIs: those counts stay 0.
 */
function arm64ArchRows(m: Machine, prec: number, cpus: readonly number[]): string {
  let out = '';
  ARM64_IPI_TYPES.forEach((name, i) => {
    let s = `${right('IPI', prec - 1)}${i}:${prec >= 4 ? ' ' : ''}`;
    for (let c = 0; c < cpus.length; c++) s += `${right(0, 10)} `;
    out += `${s}      ${name}\n`;
  });
  return `${out}${right('Err', prec)}: ${right(m.errCount, 10)}\n`;
}

/** The text of /proc/interrupts. Offline CPUs have no column. */
export function procInterrupts(m: Machine): string {
  const prec = procPrec(m);
  const cpus = m.k.onlineCpus();
  let out = right('', prec + 8);
  for (const c of cpus) out += `CPU${left(String(c), 8)}`;
  out += '\n';
  const arm64 = m.platform.arch === 'arm64';
  for (const desc of m.sortedDescs()) out += descRow(desc, prec, cpus, arm64) ?? '';
  return out + (arm64 ? arm64ArchRows(m, prec, cpus) : archRows(m, prec, cpus));
}
