// Parses the text of /proc/interrupts as every generation prints it (kernel/irq/proc.c
// show_interrupts() + the arch's arch_show_interrupts()):
//   2.6:       "  0:   6166   0   IO-APIC-edge      timer"             chip and flow fused, no hwirq
//   4.x–6.1:   " 126:  0  24  IR-PCI-MSI 31457280-edge      nvme0q0"    " %8s" chip, " %*lu" hwirq, "-%-8s" flow
//   6.2–6.12:  "  51:  0  37  IR-PCI-MSIX-0000:02:00.0    0-edge      nvme0q0"
//   6.13+:     the same, one blank less before the chip (" %10u" per CPU instead of "%10u ")
//   arm/arm64: " 11:  262  109  GICv3  27 Level     arch_timer"         " %-8s" Edge/Level (GENERIC_IRQ_SHOW_LEVEL)
//   arch rows: " NMI:  0  0  Non-maskable interrupts", "IPI0:  15  13  Rescheduling interrupts", " ERR:  0"
// Chip names may hold blanks ("PCIe MSI"), the hwirq may be blank (no domain), the flow may be absent,
// and a row may have no action. Tabs, CRLF and trailing blanks are whitespace.

import type { ArchRow, ImportedIrq, Skipped, SourceLine } from './types';

export interface ProcParse {
  cpuIds: number[] | null;
  /** Count columns per row (header's CPUs, or the columns of a header-less excerpt). */
  columns: number | null;
  irqs: ImportedIrq[];
  archRows: ArchRow[];
  skipped: Skipped[];
  /** Layout evidence. */
  prec: number | null;
  header: string | null;
  /** Per row with a chip: blanks before it, its length, and (with a hwirq) the blanks between it and the hwirq's end. */
  geometry: { gap: number; chipLen: number; afterChip: number | null; hwirqLen: number | null }[];
  showLevel: boolean;
  fused: boolean;
  hwirqColumn: boolean;
}

const TRIGGER_WORDS = new Set(['Edge', 'Level']);
/** Flow names (desc->name) that 2.6 kernels fused to the chip name: "IO-APIC-edge", "PCI-MSI-edge". */
const FUSED_FLOW = /^(.+)-(edge|level|fasteoi|simple|percpu|percpu_devid|virq|ipi|event|pirq|msi|nmi|eoi)$/i;
const NUMBER = /^\d+$/;

interface Token {
  text: string;
  start: number;
  end: number;
}

function tokens(s: string): Token[] {
  const out: Token[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

const ROW = /^\s*(\d+):(.*)$/;
const ARCH = /^\s*([A-Za-z][A-Za-z0-9_]*):(.*)$/;

/** A header line: "CPU0 CPU1 …" and nothing else. */
export function headerCpus(text: string): number[] | null {
  const t = text.trim().split(/\s+/);
  if (!t.length || !t.every((w) => /^CPU\d+$/.test(w))) return null;
  return t.map((w) => Number(w.slice(3)));
}

/** True when a line looks like a /proc/interrupts row or header (used to tell a bare paste apart). */
export function looksLikeProc(text: string): boolean {
  return headerCpus(text) !== null || /^\s*\d+:\s+\d+(\s+\d+)*\s+\S/.test(text);
}

function leadingNumbers(rest: string): number {
  let n = 0;
  for (const t of tokens(rest)) {
    if (!NUMBER.test(t.text)) break;
    n++;
  }
  return n;
}

function triggerOf(level: string | null, flow: string | null, chip: string | null): 'edge' | 'level' | null {
  if (level === 'Edge') return 'edge';
  if (level === 'Level') return 'level';
  if (flow === 'edge') return 'edge';
  if (flow === 'level') return 'level';
  // x86 IO-APIC pins use handle_fasteoi_irq for level-triggered pins only (ioapic_register_intr).
  if (flow === 'fasteoi' && chip && /IO-APIC/.test(chip)) return 'level';
  return null;
}

interface Tail {
  chip: string | null;
  hwirq: number | null;
  level: string | null;
  flow: string | null;
  actions: string[];
  fused: boolean;
}

/** Split what follows the counts into chip, hwirq, Edge/Level, flow and actions. */
export function parseTail(tail: string): Tail {
  const tk = tokens(tail);
  const actionsAfter = (i: number): string[] => {
    if (i >= tk.length) return [];
    const text = tail.slice(tk[i].start).trim();
    return text ? text.split(/,\s+/).map((a) => a.trim()).filter(Boolean) : [];
  };
  const chipUpTo = (i: number): string => tail.slice(tk[0].start, tk[i - 1].end);
  if (!tk.length) return { chip: null, hwirq: null, level: null, flow: null, actions: [], fused: false };
  const isFlow = (t: Token | undefined) => !!t && t.text.length > 1 && t.text[0] === '-' && !/^-\d/.test(t.text);
  for (let i = 1; i < Math.min(tk.length, 6); i++) {
    const t = tk[i].text;
    const next = tk[i + 1];
    const glued = /^(\d+)-(\S+)$/.exec(t);
    if (glued) {
      return { chip: chipUpTo(i), hwirq: Number(glued[1]), level: null, flow: glued[2], actions: actionsAfter(i + 1), fused: false };
    }
    if (NUMBER.test(t) && next && TRIGGER_WORDS.has(next.text)) {
      const flowTok = isFlow(tk[i + 2]) ? tk[i + 2] : undefined;
      return {
        chip: chipUpTo(i), hwirq: Number(t), level: next.text, flow: flowTok ? flowTok.text.slice(1) : null,
        actions: actionsAfter(i + (flowTok ? 3 : 2)), fused: false,
      };
    }
    if (NUMBER.test(t) && isFlow(next)) {
      return { chip: chipUpTo(i), hwirq: Number(t), level: null, flow: next!.text.slice(1), actions: actionsAfter(i + 2), fused: false };
    }
    if (TRIGGER_WORDS.has(t)) {
      const flowTok = isFlow(next) ? next : undefined;
      return {
        chip: chipUpTo(i), hwirq: null, level: t, flow: flowTok ? flowTok.text.slice(1) : null,
        actions: actionsAfter(i + (flowTok ? 2 : 1)), fused: false,
      };
    }
    if (isFlow(tk[i])) {
      return { chip: chipUpTo(i), hwirq: null, level: null, flow: t.slice(1), actions: actionsAfter(i + 1), fused: false };
    }
    if (NUMBER.test(t) && i <= 2) {
      // A hwirq with neither trigger word nor flow: "rmi4    0  rmi4-00.fn34".
      return { chip: chipUpTo(i), hwirq: Number(t), level: null, flow: null, actions: actionsAfter(i + 1), fused: false };
    }
  }
  const fused = FUSED_FLOW.exec(tk[0].text);
  if (fused) return { chip: fused[1], hwirq: null, level: null, flow: fused[2], actions: actionsAfter(1), fused: true };
  // No hwirq, no trigger, no flow ("XT-PIC  timer", "spmi-pmic-arb  pmic_pwrkey"): the first word is the chip.
  return { chip: tk[0].text, hwirq: null, level: null, flow: null, actions: actionsAfter(1), fused: false };
}

function emptyIrq(irq: number, line: number): ImportedIrq {
  return {
    irq, chip: null, hwirq: null, trigger: null, flow: null, actions: [], counts: null, bdf: null, index: null,
    msiKind: null, affinity: null, effective: null, node: null, chain: null, vector: null, line,
  };
}

export const PROC_EXPECTED =
  'expected the CPU header ("CPU0 CPU1 …"), a row "N: <one count per CPU> <chip> <hwirq-flow> <actions>" or an arch row "NMI: <counts> <text>"';

/** Parse the lines of one /proc/interrupts text. */
export function parseProc(lines: readonly SourceLine[]): ProcParse {
  const out: ProcParse = {
    cpuIds: null, columns: null, irqs: [], archRows: [], skipped: [], prec: null, header: null,
    showLevel: false, fused: false, hwirqColumn: false, geometry: [],
  };
  // First pass: the header, or (header-less) the most common number of leading counts.
  for (const l of lines) {
    const cpus = headerCpus(l.text);
    if (cpus) {
      out.cpuIds = cpus;
      out.columns = cpus.length;
      out.header = l.text;
      const lead = /^ */.exec(l.text)![0].length;
      if (!/\t/.test(l.text) && lead >= 9) out.prec = lead - 8;
      break;
    }
  }
  if (out.columns === null) {
    const freq = new Map<number, number>();
    for (const l of lines) {
      const m = ROW.exec(l.text);
      if (!m) continue;
      const n = leadingNumbers(m[2]);
      if (n > 0) freq.set(n, (freq.get(n) ?? 0) + 1);
    }
    let best = 0;
    let bestN = 0;
    for (const [n, c] of freq) if (c > bestN || (c === bestN && n < best)) [best, bestN] = [n, c];
    if (best > 0) out.columns = best;
  }
  const cols = out.columns;
  let sawHeader = false;
  for (const l of lines) {
    const text = l.text;
    if (!text.trim()) continue;
    if (headerCpus(text)) {
      if (sawHeader) out.skipped.push({ ...l, reason: 'a second CPU header: only the first one is used' });
      sawHeader = true;
      continue;
    }
    const row = ROW.exec(text);
    if (row) {
      const irq = Number(row[1]);
      const rest = row[2];
      const tk = tokens(rest);
      const n = cols ?? 0;
      let k = 0;
      while (k < tk.length && k < n && NUMBER.test(tk[k].text)) k++;
      if (n === 0 || k < n) {
        out.skipped.push({ ...l, reason: `expected ${n} count${n === 1 ? '' : 's'} (one per CPU column) after "${irq}:", found ${k}` });
        continue;
      }
      const countsEnd = tk[n - 1].end;
      const tailRaw = rest.slice(countsEnd);
      const t = parseTail(tailRaw);
      if (!t.chip) {
        out.skipped.push({ ...l, reason: `expected a chip name after the ${n} count${n === 1 ? '' : 's'}` });
        continue;
      }
      const irqRow = emptyIrq(irq, l.line);
      irqRow.counts = tk.slice(0, n).map((x) => Number(x.text));
      irqRow.chip = t.chip;
      irqRow.hwirq = t.hwirq;
      irqRow.flow = t.flow;
      irqRow.trigger = triggerOf(t.level, t.flow, t.chip);
      irqRow.actions = t.actions;
      out.irqs.push(irqRow);
      if (t.level) out.showLevel = true;
      if (t.fused) out.fused = true;
      if (t.hwirq !== null) out.hwirqColumn = true;
      if (out.prec === null && /^ *\d+:/.test(text)) out.prec = text.indexOf(':');
      if (!/\t/.test(tailRaw)) {
        const gap = /^ */.exec(tailRaw)![0].length;
        const afterChipText = tailRaw.slice(gap + t.chip.length);
        const hw = t.hwirq !== null ? /^( *)(\d+)/.exec(afterChipText) : null;
        out.geometry.push({ gap, chipLen: t.chip.length, afterChip: hw ? hw[1].length + hw[2].length : null, hwirqLen: hw ? hw[2].length : null });
      }
      continue;
    }
    const arch = ARCH.exec(text);
    if (arch && !/^CPU\d+$/.test(arch[1])) {
      const tk = tokens(arch[2]);
      let k = 0;
      while (k < tk.length && NUMBER.test(tk[k].text)) k++;
      if (k === 0) {
        out.skipped.push({ ...l, reason: `expected counts after "${arch[1]}:"` });
        continue;
      }
      const counts = tk.slice(0, cols !== null && k > cols ? cols : k).map((x) => Number(x.text));
      const used = counts.length;
      const rest = used < tk.length ? arch[2].slice(tk[used].start).trim() : '';
      out.archRows.push({ label: arch[1], counts, text: rest, line: l.line });
      continue;
    }
    out.skipped.push({ ...l, reason: PROC_EXPECTED });
  }
  return out;
}
