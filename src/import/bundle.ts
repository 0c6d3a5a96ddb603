// Splits an input into the files it holds. Accepted shapes:
// - the collector's bundle and the conformance captures: "@@ file <path>", "@@ command <cmd>",
//   "@@ step <k> …", "@@ missing <path> …" marker lines, each file's text below its marker;
// - "==> <path> <==" headers (head/tail of several files, common in bug reports);
// - "grep ." output, one "<path>:<value>" line per small file;
// - a bare /proc/interrupts (or any text without markers: treated as /proc/interrupts).

import type { SourceLine } from './types';

export interface Section {
  /** "/proc/interrupts", "/proc/irq/24/smp_affinity_list", "uname -r"… */
  path: string;
  kind: 'file' | 'command' | 'missing';
  /** The step of a capture this section belongs to ("@@ step K"), else null. */
  step: string | null;
  /** Line of the marker (0 for an unmarked bare text). */
  line: number;
  lines: SourceLine[];
  /** A note on the marker line ("@@ missing <path> <why>"). */
  note: string | null;
}

export interface Split {
  sections: Section[];
  /** The input had markers (a bundle, a capture, ==> <== headers or grep lines). */
  marked: boolean;
  /** Lines outside any section that are not blank. */
  stray: SourceLine[];
  /** The steps, in order, when the input is a capture with "@@ step" markers. */
  steps: string[];
  /** The first line of the input (its "@@ irqscope-collect" banner, when it is a bundle). */
  banner: string | null;
}

const AT = /^@@ (\S+)(?: (.*))?$/;
const ARROW = /^==> (.+) <==$/;
/**
 * "grep . /proc/irq/*\/smp_affinity_list" output: an absolute /proc or /sys path, a colon, the value.
 * Directories may hold colons (PCI addresses), the file name does not; the value may.
 */
const GREP = /^(\/(?:proc|sys)\/(?:[^/\s]+\/)*[^/:\s]+):(.*)$/;

export function toLines(text: string): SourceLine[] {
  const raw = text.split('\n');
  if (raw.length && raw[raw.length - 1] === '') raw.pop();
  return raw.map((t, i) => ({ line: i + 1, text: t.endsWith('\r') ? t.slice(0, -1) : t }));
}

export function splitSections(lines: readonly SourceLine[]): Split {
  const sections: Section[] = [];
  const stray: SourceLine[] = [];
  const steps: string[] = [];
  let step: string | null = null;
  let cur: Section | null = null;
  let marked = false;
  const banner = lines.length && /^@@ irqscope-collect\b/.test(lines[0].text) ? lines[0].text : null;
  for (const l of lines) {
    const at = AT.exec(l.text);
    if (at) {
      marked = true;
      const [, word, rest = ''] = at;
      if (word === 'step') {
        step = rest.split(/\s+/)[0] ?? rest;
        steps.push(step);
        cur = null;
      } else if (word === 'file' || word === 'command') {
        cur = { path: rest.trim(), kind: word, step, line: l.line, lines: [], note: null };
        sections.push(cur);
      } else if (word === 'missing') {
        const [path, ...why] = rest.split(' ');
        sections.push({ path, kind: 'missing', step, line: l.line, lines: [], note: why.join(' ') || null });
        cur = null;
      } else {
        // "@@ irqscope-collect 1", "@@ end" and other markers end the current section.
        cur = null;
      }
      continue;
    }
    const arrow = ARROW.exec(l.text);
    if (arrow) {
      marked = true;
      cur = { path: arrow[1].trim(), kind: 'file', step, line: l.line, lines: [], note: null };
      sections.push(cur);
      continue;
    }
    if (!cur) {
      const g = GREP.exec(l.text);
      if (g) {
        marked = true;
        sections.push({ path: g[1], kind: 'file', step, line: l.line, lines: [{ line: l.line, text: g[2] }], note: null });
        continue;
      }
      if (l.text.trim()) stray.push(l);
      continue;
    }
    cur.lines.push(l);
  }
  if (!marked) {
    return { sections: [{ path: '/proc/interrupts', kind: 'file', step: null, line: 0, lines: [...lines], note: null }], marked, stray: [], steps, banner };
  }
  // A "==> <==" or bundle section's trailing blank lines belong to no file.
  for (const s of sections) while (s.lines.length && !s.lines[s.lines.length - 1].text.trim() && s.kind !== 'command') s.lines.pop();
  return { sections, marked, stray, steps, banner };
}
