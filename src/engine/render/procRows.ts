// /proc/interrupts a window at a time (kernel/irq/proc.c is a seq_file: a reader gets the lines
// it reads). A machine with 1,024 CPUs and 16,384 interrupts prints ~186 MB of text; a panel
// shows forty lines of it, and of each line the columns that fit on the screen. procLayout()
// decides once per state what the whole text would hold (the column widths, the online CPUs,
// which descriptors are listed); procLines() prints any range of its lines and procSlices() any
// range of columns of them — byte for byte the lines of procInterrupts() (proc.ts prints them:
// the same formatters, the same decisions; the tests hold every window to the whole text).
//
// Line numbering: line 0 is the CPU header, lines 1…rows the listed interrupts in number order,
// then the architecture's rows (x86 arch_show_interrupts(), arm64 IPIs and Err).

import type { Machine } from '../machine';
import type { IrqDesc } from '../core/irqdesc';
import type { ProcFacts } from '../profiles';
import {
  arm64ArchRows, formatHeader, formatIrqRow, listed, procChipWidth, procPrec, rowOf, x86ArchRows, x86Rows,
} from './proc';

/** What one state's /proc/interrupts holds, worked out once (procLines reads it while the machine stays in that state). */
export interface ProcLayout {
  facts: ProcFacts;
  prec: number;
  /** The chip column's width (irq_seq_show). */
  chipWidth: number;
  /** The online CPUs: one column each. */
  cpus: readonly number[];
  arm64: boolean;
  /** The descriptors the kernel lists, in irq number order: line 1 + i is listed[i]. */
  listed: readonly IrqDesc[];
  /** How many architecture rows follow them. */
  archCount: number;
  /** The architecture's rows, printed when first asked for (a handful of lines, each as wide as a CPU row). */
  archLines(): readonly string[];
  /** All lines: header + listed + arch rows. */
  lines: number;
}

/** The layout of the machine's /proc/interrupts in its current state. */
export function procLayout(m: Machine): ProcLayout {
  const facts = m.k.profile.proc;
  const prec = procPrec(m, facts);
  const cpus = m.k.onlineCpus().slice();
  const arm64 = m.platform.arch === 'arm64';
  const chipWidth = facts.show === 'irq_seq_show' ? procChipWidth(m) : 8;
  const shown: IrqDesc[] = [];
  // Counts decide a listing only where a kernel lists descriptors without an action (6.1).
  const needCounts = facts.listsCountsWithoutAction;
  for (const desc of m.sortedDescs()) {
    const counts = needCounts && desc.action.length === 0 ? cpus.map((c) => desc.kstat[c] ?? 0) : [];
    if (listed(desc, facts, counts)) shown.push(desc);
  }
  // The arch rows are counted now and printed when first asked for (with 1,024 CPUs each is
  // 11 KB wide). Like the counts of the irq rows, they are read then: a layout describes the
  // machine only until its next action (the worker makes a new one for every state).
  const archCount = arm64 ? facts.arm64Ipis.length + 1 : x86Rows(m, facts).filter((r) => r.shown).length;
  let arch: string[] | null = null;
  const archLines = () =>
    (arch ??= (arm64 ? arm64ArchRows(m, facts, prec, cpus) : x86ArchRows(m, facts, prec, cpus)).replace(/\n$/, '').split('\n'));
  return { facts, prec, chipWidth, cpus, arm64, listed: shown, archCount, archLines, lines: 1 + shown.length + archCount };
}

/**
 * The layout of the machine's state now when only counts may have moved since `prev` was made
 * (no descriptor added, removed or changed, no CPU on or offline — the caller knows, from the
 * view's changes): the listed descriptors and CPU columns are `prev`'s; the column widths and
 * the architecture's rows are worked out again (a spurious interrupt shows SPU). A kernel that lists descriptors by their counts
 * (6.1) gets a fresh layout.
 */
export function procLayoutAgain(m: Machine, prev: ProcLayout): ProcLayout {
  if (prev.facts.listsCountsWithoutAction || prev.arm64 !== (m.platform.arch === 'arm64')) return procLayout(m);
  const { facts, cpus, arm64 } = prev;
  // The column widths are read again: nr_irqs and the widest chip name set are kept by the
  // kernel as they grow, even by a call that was then refused.
  const prec = procPrec(m, facts);
  const chipWidth = facts.show === 'irq_seq_show' ? procChipWidth(m) : 8;
  const archCount = arm64 ? facts.arm64Ipis.length + 1 : x86Rows(m, facts).filter((r) => r.shown).length;
  let arch: string[] | null = null;
  const archLines = () =>
    (arch ??= (arm64 ? arm64ArchRows(m, facts, prec, cpus) : x86ArchRows(m, facts, prec, cpus)).replace(/\n$/, '').split('\n'));
  return { ...prev, prec, chipWidth, archCount, archLines, lines: 1 + prev.listed.length + archCount };
}

/** Line `i` of the text (0 = header), without its newline; '' past the end. */
function line(l: ProcLayout, i: number): string {
  if (i === 0) return formatHeader(l.prec, l.cpus).slice(0, -1);
  const row = i - 1;
  if (row < l.listed.length) {
    const desc = l.listed[row];
    const counts = l.cpus.map((c) => desc.kstat[c] ?? 0);
    return formatIrqRow(l.facts, rowOf(desc, counts, l.arm64), l.prec, l.chipWidth).slice(0, -1);
  }
  return l.archLines()[row - l.listed.length] ?? '';
}

function clampRange(l: ProcLayout, from: number, to: number): [number, number] {
  const a = Math.max(0, Math.min(l.lines, Math.trunc(from) || 0));
  const b = Math.max(a, Math.min(l.lines, Math.trunc(to) || 0));
  return [a, b];
}

/**
 * Lines [from, to) of /proc/interrupts, each without its newline (clamped to the text).
 * `procLines(l, 0, l.lines).join('\n') + '\n'` is procInterrupts(m).
 */
export function procLines(l: ProcLayout, from: number, to: number): string[] {
  const [a, b] = clampRange(l, from, to);
  const out: string[] = [];
  for (let i = a; i < b; i++) out.push(line(l, i));
  return out;
}

/** Columns [c0, c1) of lines [from, to): what a panel scrolled sideways draws. */
export interface ProcSlices {
  /** `line.slice(c0, c1)` of each line. */
  lines: string[];
  /** The irq each line lists (null: the header and the architecture's rows). */
  virqs: (number | null)[];
  /** The longest of these lines, whole. */
  width: number;
}

/** Every CPU column is 11 characters: "%10u " (show_interrupts) or " %10u" (irq_seq_show), "CPU%-8d" in the header. */
const COL = 11;

/**
 * Columns [c0, c1) of lines [from, to), each exactly `procLines(...)[k].slice(c0, c1)`, printing
 * only the CPU columns that fall in the range (a 1,024-CPU line is 11 KB; a screen shows ~200
 * characters of it).
 */
export function procSlices(l: ProcLayout, from: number, to: number, c0: number, c1: number): ProcSlices {
  const [a, b] = clampRange(l, from, to);
  const lo = Math.max(0, Math.trunc(c0) || 0);
  const hi = Math.max(lo, Math.trunc(c1) || 0);
  const n = l.cpus.length;
  const lines: string[] = [];
  const virqs: (number | null)[] = [];
  let width = 0;
  /** The slice of prefix + n fixed-width cells + tail, printing only the cells in range. */
  const cut = (prefix: string, cell: (k: number) => string, tail: string): string => {
    const p = prefix.length;
    const end = p + n * COL;
    width = Math.max(width, end + tail.length);
    let s = '';
    if (lo < p) s += prefix.slice(lo, Math.min(p, hi));
    const k0 = Math.max(0, Math.floor((lo - p) / COL));
    const k1 = Math.min(n, Math.ceil((hi - p) / COL));
    if (k1 > k0) {
      let cells = '';
      for (let k = k0; k < k1; k++) cells += cell(k);
      const start = p + k0 * COL;
      s += cells.slice(Math.max(0, lo - start), Math.max(0, Math.min(hi, end) - start));
    }
    if (hi > end) s += tail.slice(Math.max(0, lo - end), hi - end);
    return s;
  };
  const pad = (v: number | string, w: number) => String(v).padStart(w);
  const seq = l.facts.show === 'irq_seq_show';
  for (let i = a; i < b; i++) {
    if (i === 0) {
      virqs.push(null);
      lines.push(cut(pad('', l.prec + 8), (k) => `CPU${String(l.cpus[k]).padEnd(8)}`, ''));
      continue;
    }
    const row = i - 1;
    if (row >= l.listed.length) {
      const whole = l.archLines()[row - l.listed.length] ?? '';
      width = Math.max(width, whole.length);
      virqs.push(null);
      lines.push(whole.slice(lo, hi));
      continue;
    }
    const desc = l.listed[row];
    virqs.push(desc.irq);
    const kstat = desc.kstat;
    let wide = false;
    for (const c of l.cpus) if ((kstat[c] ?? 0) >= 1e10) wide = true;
    if (wide) {
      // A count past ten digits widens its column: print the whole line.
      const whole = line(l, i);
      width = Math.max(width, whole.length);
      lines.push(whole.slice(lo, hi));
      continue;
    }
    // The row without CPU columns gives the prefix ("%*d: " / "%*u:") and the tail (chip, hwirq, flow, actions).
    const bare = formatIrqRow(l.facts, rowOf(desc, [], l.arm64), l.prec, l.chipWidth).slice(0, -1);
    const p = `${pad(desc.irq, l.prec)}:`.length + (seq ? 0 : 1);
    const cell = seq ? (k: number) => ` ${pad(kstat[l.cpus[k]] ?? 0, 10)}` : (k: number) => `${pad(kstat[l.cpus[k]] ?? 0, 10)} `;
    lines.push(cut(bare.slice(0, p), cell, bare.slice(p)));
  }
  return { lines, virqs, width };
}

/** The line that lists irq `virq` (1…rows), or -1 when it is not listed. Binary search: listed is in irq order. */
export function procLineOf(l: ProcLayout, virq: number): number {
  let lo = 0;
  let hi = l.listed.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = l.listed[mid].irq;
    if (v === virq) return mid + 1;
    if (v < virq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
