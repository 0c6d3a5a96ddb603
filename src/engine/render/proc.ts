// Models kernel/irq/proc.c (show_interrupts() to 7.1, irq_seq_show() in 7.2) with
// arch/x86/kernel/irq.c and arch/arm64/kernel/smp.c arch_show_interrupts(): the text of
// /proc/interrupts as each kernel of src/engine/profiles.ts prints it (ProcFacts). arm64 adds
// the Edge/Level column (CONFIG_GENERIC_IRQ_SHOW_LEVEL) and prints the IPI rows and Err.

import type { Machine } from '../machine';
import type { IrqDesc } from '../core/irqdesc';
import type { IrqChip } from '../core/chip';
import type { ProcFacts } from '../profiles';
import { IRQ_DOMAIN_FLAG } from '../core/irqdomain';
import {
  HYPERV_REENLIGHTENMENT_VECTOR, HYPERV_STIMER0_VECTOR, HYPERVISOR_CALLBACK_VECTOR, POSTED_INTR_NESTED_VECTOR,
  POSTED_INTR_VECTOR, POSTED_INTR_WAKEUP_VECTOR, type X86IdtOptions, x86SystemVectors,
} from '../arch/x86/vectors';

/** _IRQ_HIDDEN (include/linux/irq.h): never shown in /proc/interrupts. */
const IRQ_HIDDEN = 0x100000;
/** IRQD_LEVEL (include/linux/irq.h): irqd_is_level_type(). */
const IRQD_LEVEL = 1 << 13;

/** printf("%*s") / ("%*d"): right-align to `w`, longer text overflows. */
const right = (s: string | number, w: number): string => String(s).padStart(w);
/** printf("%-*s"): left-align to `w`. */
const left = (s: string, w: number): string => s.padEnd(w);

/**
 * nr_irqs as /proc/interrupts sees it: the boot value, grown when a descriptor is allocated
 * above it (irq_expand_nr_irqs; it never shrinks in the kernel — the model takes the highest
 * descriptor present).
 */
function nrIrqs(m: Machine): number {
  let n = m.nrIrqs;
  for (const irq of m.k.descs.keys()) if (irq + 1 > n) n = irq + 1;
  return n;
}

/**
 * The width of the irq column. show_interrupts(): `for (prec = 3, j = 1000; prec < 10 && j <=
 * nr_irqs; ++prec) j *= 10;` on every read. irq_proc_calc_prec() (7.2): the same from prec = 4,
 * n = 10000, kept as the largest seen.
 */
export function procPrec(m: Machine, facts: ProcFacts = m.k.profile.proc): number {
  // irq_proc_calc_prec() runs at every irq_set_nr_irqs() and keeps the widest; 6.x recomputes per read.
  const n = facts.show === 'irq_seq_show' ? Math.max(nrIrqs(m), m.nrIrqsPeak) : nrIrqs(m);
  let prec = facts.show === 'irq_seq_show' ? 4 : 3;
  for (let j = 10 ** prec; prec < 10 && j <= n; ++prec) j *= 10;
  return prec;
}

/**
 * irq_proc_update_chip() (7.2): the chip column is as wide as the longest chip name set with
 * irq_set_chip() or irq_domain_set_hwirq_and_chip() since boot, at least 8. The chips drivers
 * assign directly (APIC, INTEL-IR, AMD-IR, IR-IO-APIC, IO-APIC) do not count. When the kernel
 * model keeps that maximum (k.procChipWidth) it is used; otherwise the chips of the levels set
 * through irq_domain_set_hwirq_and_chip() today — MSI domains (msi_domain_ops_init) and the
 * arm64 GIC and ITS domains — stand in for it.
 */
export function procChipWidth(m: Machine): number {
  const kept = (m.k as { procChipWidth?: number }).procChipWidth;
  let w = 8;
  if (typeof kept === 'number') return Math.max(w, kept);
  for (const desc of m.k.descs.values()) {
    for (let d: typeof desc.irqData | null = desc.irqData; d; d = d.parentData) {
      const chip = d.chip as IrqChip | null | undefined;
      if (!chip || !d.domain) continue;
      const setByCore = (d.domain.flags & IRQ_DOMAIN_FLAG.MSI) !== 0 || m.platform.arch === 'arm64';
      if (setByCore && chip.name.length > w) w = chip.name.length;
    }
  }
  return w;
}

/** One /proc/interrupts irq row's fields, as the kernel reads them from the descriptor. */
export interface ProcIrqRow {
  irq: number;
  /** kstat_irqs of each online CPU, in CPU order. */
  counts: readonly number[];
  /** The chip column: the chip's name, "-" for a chip without one, "None" without chip. */
  chip: string;
  /** The hwirq, or null when the irq has no domain (the column is blank). */
  hwirq: number | null;
  /** CONFIG_GENERIC_IRQ_SHOW_LEVEL (arm64): irqd_is_level_type(); undefined on x86. */
  level?: boolean;
  /** desc->name, the flow ("edge", "fasteoi"); "" when unset. */
  flow: string;
  /** The actions' names, in list order. */
  actions: readonly string[];
}

/**
 * One irq row as the kernel prints it (without the decision whether to print it).
 * show_interrupts(): "%*d: " + "%10u " per CPU + " %8s" + (" %*lu" | " %*s") + tail.
 * irq_seq_show(): "%*u:" + " %10u" per CPU + "  " + "%-*s" + " " + ("%*lu" | " %*s") + tail.
 * The tail: " %-8s" of Level/Edge (arm64), "-%-8s" of the flow name, "  %s" then ", %s" per action.
 */
export function formatIrqRow(facts: ProcFacts, r: ProcIrqRow, prec: number, chipWidth = 8): string {
  let s: string;
  if (facts.show === 'irq_seq_show') {
    s = `${right(r.irq, prec)}:`;
    for (const c of r.counts) s += ` ${right(c, 10)}`;
    s += `  ${left(r.chip, chipWidth)} `;
    // seq_put_decimal_ull_width(p, "", hwirq, prec); without a domain " %*s" — one column wider.
    s += r.hwirq !== null ? right(r.hwirq, prec) : ` ${right('', prec)}`;
  } else {
    s = `${right(r.irq, prec)}: `;
    for (const c of r.counts) s += `${right(c, 10)} `;
    // No x86 or arm64 GICv3/ITS chip has irq_print_chip: " %8s".
    s += ` ${right(r.chip, 8)}`;
    s += r.hwirq !== null ? ` ${right(r.hwirq, prec)}` : ` ${right('', prec)}`;
  }
  if (r.level !== undefined) s += ` ${left(r.level ? 'Level' : 'Edge', 8)}`;
  if (r.flow) s += `-${left(r.flow, 8)}`;
  r.actions.forEach((a, i) => (s += `${i ? ', ' : '  '}${a}`));
  return `${s}\n`;
}

/** The header: prec + 8 blanks, then "CPU%-8d" per online CPU. */
export function formatHeader(prec: number, cpus: readonly number[]): string {
  return `${right('', prec + 8)}${cpus.map((c) => `CPU${left(String(c), 8)}`).join('')}\n`;
}

/**
 * Whether the kernel lists the descriptor. show_interrupts(): not hidden, not chained, with an
 * action — or, in 6.1, with counts that are not all zero. irq_seq_show(): irq_settings_proc_valid(),
 * i.e. not hidden, not chained, with an action.
 */
export function listed(desc: IrqDesc, facts: ProcFacts, counts: readonly number[]): boolean {
  if (desc.status & IRQ_HIDDEN) return false;
  if (desc.action.length > 0) return true;
  return facts.listsCountsWithoutAction && counts.some((c) => c !== 0);
}

/** The row fields of a descriptor (an arch-hook MSI's domain of kind "none" stands for no domain). */
export function rowOf(desc: IrqDesc, counts: readonly number[], showLevel: boolean): ProcIrqRow {
  const d = desc.irqData;
  const chip = d.chip as IrqChip | null | undefined;
  return {
    irq: desc.irq,
    counts,
    chip: chip ? chip.name || '-' : 'None',
    hwirq: d.domain && d.domain.kind !== 'none' ? d.hwirq : null,
    level: showLevel ? (d.common.state & IRQD_LEVEL) !== 0 : undefined,
    flow: desc.name,
    actions: desc.action.map((a) => a.name),
  };
}

/** What the x86 machine has that decides its IDT gates (see X86IdtOptions). */
export function x86IdtOptions(m: Machine): X86IdtOptions {
  const opts = (m.platform as { idtOptions?: X86IdtOptions }).idtOptions;
  return opts ?? {};
}

/**
 * boot_cpu_data.x86_vendor, which 7.2 reads for the DFR row: the platform's when it says; QEMU
 * q35 under TCG with -cpu max reports AuthenticAMD (the conformance machines); a described
 * machine is an AMD one when its remapping is AMD-Vi.
 */
export function x86CpuVendor(m: Machine): 'AMD' | 'Intel' {
  const v = (m.platform as { cpuVendor?: 'AMD' | 'Intel' }).cpuVendor;
  if (v) return v;
  if (m.spec.platform === 'qemu-q35') return 'AMD';
  return m.spec.remap === 'amd-ir' ? 'AMD' : 'Intel';
}

/** One x86 arch row: its label, text, per-CPU counts and whether the kernel prints it. */
export interface X86Row {
  sym: string;
  text: string;
  count: (cpu: number) => number;
  /** ERR and MIS in the printf layout: one total. */
  total?: number;
  shown: boolean;
}

/**
 * The x86 arch rows in kernel order. The model runs no timers, NMIs, IPIs, MCE or KVM: those
 * counters stay 0. SPU counts spurious_interrupt() per CPU; ERR the interrupts no handler took
 * (the model keeps one global count, printed on the first online CPU where the kernel has one
 * per CPU). No x86_platform_ipi_callback (PLT), no posted MSI (PMN), the CPU is not an AMD one.
 */
export function x86Rows(m: Machine, facts: ProcFacts): X86Row[] {
  const zero = () => 0;
  const sys = new Set(x86SystemVectors(m.k.profile, x86IdtOptions(m)));
  const table = facts.x86Arch === 'irq_stat_info';
  const spu = (c: number) => m.spurious[c] ?? 0;
  const first = m.k.onlineCpus()[0];
  const err = (c: number) => (c === first ? m.errCount : 0);
  const ever = (n: number) => n > 0;
  const amd = x86CpuVendor(m) === 'AMD';
  return [
    { sym: 'NMI', text: 'Non-maskable interrupts', count: zero, shown: true },
    { sym: 'LOC', text: 'Local timer interrupts', count: zero, shown: true },
    // IDS(): hidden in 7.2 until irq_stat_inc_and_enable() counts one.
    { sym: 'SPU', text: 'Spurious interrupts', count: spu, shown: !table || ever(m.spurious.reduce((a, b) => a + b, 0)) },
    { sym: 'PMI', text: 'Performance monitoring interrupts', count: zero, shown: true },
    { sym: 'IWI', text: 'IRQ work interrupts', count: zero, shown: true },
    { sym: 'RTR', text: 'APIC ICR read retries', count: zero, shown: !table },
    { sym: 'PLT', text: 'Platform interrupts', count: zero, shown: false },
    { sym: 'RES', text: 'Rescheduling interrupts', count: zero, shown: true },
    { sym: 'CAL', text: 'Function call interrupts', count: zero, shown: true },
    { sym: 'TLB', text: 'TLB shootdowns', count: zero, shown: true },
    { sym: 'TRM', text: 'Thermal event interrupts', count: zero, shown: true },
    { sym: 'THR', text: 'Threshold APIC interrupts', count: zero, shown: true },
    // 7.2 clears the DFR row on CPUs that are neither AMD nor Hygon.
    { sym: 'DFR', text: 'Deferred Error APIC interrupts', count: zero, shown: !table || amd },
    { sym: 'MCE', text: 'Machine check exceptions', count: zero, shown: true },
    { sym: 'MCP', text: 'Machine check polls', count: zero, shown: true },
    { sym: 'HYP', text: 'Hypervisor callback interrupts', count: zero, shown: sys.has(HYPERVISOR_CALLBACK_VECTOR) },
    { sym: 'HRE', text: 'Hyper-V reenlightenment interrupts', count: zero, shown: sys.has(HYPERV_REENLIGHTENMENT_VECTOR) },
    { sym: 'HVS', text: 'Hyper-V stimer0 interrupts', count: zero, shown: sys.has(HYPERV_STIMER0_VECTOR) },
    ...(table ? [] : [
      { sym: 'ERR', text: '', count: zero, total: m.errCount, shown: true },
      { sym: 'MIS', text: '', count: zero, total: 0, shown: true },
    ]),
    { sym: 'PIN', text: 'Posted-interrupt notification event', count: zero, shown: !table || sys.has(POSTED_INTR_VECTOR) },
    { sym: 'NPI', text: 'Nested posted-interrupt event', count: zero, shown: !table || sys.has(POSTED_INTR_NESTED_VECTOR) },
    { sym: 'PIW', text: 'Posted-interrupt wakeup event', count: zero, shown: !table || sys.has(POSTED_INTR_WAKEUP_VECTOR) },
    ...(table ? [
      // CONFIG_GUEST_PERF_EVENTS: ISS(), always shown.
      { sym: 'VPMI', text: 'Perf Guest Mediated PMI', count: zero, shown: true },
      { sym: 'PMN', text: 'Posted MSI notification event', count: zero, shown: false },
      { sym: 'ERR', text: 'PIC/APIC error interrupts', count: err, shown: ever(m.errCount) },
      { sym: 'MIS', text: 'Misrouted IO/APIC interrupts', count: zero, shown: false },
    ] : [
      // CONFIG_X86_POSTED_MSI (6.12, not in Debian's build).
      { sym: 'PMN', text: 'Posted MSI notification event', count: zero, shown: false },
    ]),
  ];
}

/** x86 arch_show_interrupts() */
export function x86ArchRows(m: Machine, facts: ProcFacts, prec: number, cpus: readonly number[]): string {
  let out = '';
  for (const r of x86Rows(m, facts)) {
    if (!r.shown) continue;
    if (facts.x86Arch === 'irq_stat_info') {
      // "%*s:" then irq_proc_emit_counts(): " %10u" per online CPU, then "  text".
      out += `${right(r.sym, prec)}:${cpus.map((c) => ` ${right(r.count(c), 10)}`).join('')}  ${r.text}\n`;
    } else if (r.total !== undefined) {
      out += `${right(r.sym, prec)}: ${right(r.total, 10)}\n`;
    } else {
      out += `${right(r.sym, prec)}: ${cpus.map((c) => `${right(r.count(c), 10)} `).join('')}  ${r.text}\n`;
    }
  }
  return out;
}

/**
 * arm64 arch_show_interrupts(): one row per ipi_types[] entry, then "%*s: %10lu" of Err
 * (irq_err_count). The model sends no IPIs: those counts stay 0.
 */
export function arm64ArchRows(m: Machine, facts: ProcFacts, prec: number, cpus: readonly number[]): string {
  let out = '';
  facts.arm64Ipis.forEach((name, i) => {
    const counts = cpus.map(() => `${right(0, 10)} `).join('');
    if (facts.arm64IpiRow === 'tight') out += `${right('IPI', prec - 1)}${i}: ${counts} ${name}\n`;
    else out += `${right('IPI', prec - 1)}${i}:${prec >= 4 ? ' ' : ''}${counts}      ${name}\n`;
  });
  return `${out}${right('Err', prec)}: ${right(m.errCount, 10)}\n`;
}

/** The text of /proc/interrupts. Offline CPUs have no column. */
export function procInterrupts(m: Machine): string {
  const facts = m.k.profile.proc;
  const prec = procPrec(m, facts);
  const cpus = m.k.onlineCpus();
  const arm64 = m.platform.arch === 'arm64';
  const width = facts.show === 'irq_seq_show' ? procChipWidth(m) : 8;
  let out = formatHeader(prec, cpus);
  for (const desc of m.sortedDescs()) {
    const counts = cpus.map((c) => desc.kstat[c] ?? 0);
    if (listed(desc, facts, counts)) out += formatIrqRow(facts, rowOf(desc, counts, arm64), prec, width);
  }
  return out + (arm64 ? arm64ArchRows(m, facts, prec, cpus) : x86ArchRows(m, facts, prec, cpus));
}

/** The IPI names the machine's kernel prints (arm64 ipi_types[]). */
export function arm64IpiTypes(m: Machine): readonly string[] {
  return m.k.profile.proc.arm64Ipis;
}
