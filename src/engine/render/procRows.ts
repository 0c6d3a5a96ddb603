// /proc/interrupts a window at a time (kernel/irq/proc.c is a seq_file: a reader gets the lines
// it reads). A machine with 1,024 CPUs and 16,384 interrupts prints ~186 MB of text; a panel
// shows forty lines of it. procLayout() decides once per state what the whole text would hold
// (the column widths, the online CPUs, which descriptors are listed); procLines() prints any
// range of its lines, byte for byte the lines of procInterrupts() (proc.ts prints them: the same
// formatters, the same decisions).
//
// Line numbering: line 0 is the CPU header, lines 1…rows the listed interrupts in number order,
// then the architecture's rows (x86 arch_show_interrupts(), arm64 IPIs and Err).

import type { Machine } from '../machine';
import type { IrqDesc } from '../core/irqdesc';
import type { ProcFacts } from '../profiles';
import { arm64ArchRows, formatHeader, formatIrqRow, listed, procChipWidth, procPrec, rowOf, x86ArchRows } from './proc';

/** What one state's /proc/interrupts holds, worked out once (procLines reads it). */
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
  /** The architecture's rows, already printed (a handful of lines). */
  archLines: readonly string[];
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
  const arch = arm64 ? arm64ArchRows(m, facts, prec, cpus) : x86ArchRows(m, facts, prec, cpus);
  const archLines = arch.replace(/\n$/, '').split('\n');
  return { facts, prec, chipWidth, cpus, arm64, listed: shown, archLines, lines: 1 + shown.length + archLines.length };
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
  return l.archLines[row - l.listed.length] ?? '';
}

/**
 * Lines [from, to) of /proc/interrupts, each without its newline (clamped to the text).
 * `procLines(l, 0, l.lines).join('\n') + '\n'` is procInterrupts(m).
 */
export function procLines(l: ProcLayout, from: number, to: number): string[] {
  const a = Math.max(0, Math.min(l.lines, Math.trunc(from) || 0));
  const b = Math.max(a, Math.min(l.lines, Math.trunc(to) || 0));
  const out: string[] = [];
  for (let i = a; i < b; i++) out.push(line(l, i));
  return out;
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
