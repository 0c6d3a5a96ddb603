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
  /** "# key value" comment lines of a capture's head ("# kernel 7.2.13+deb14-amd64", "# arch x86_64"). */
  comments: Map<string, string>;
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
  const comments = new Map<string, string>();
  for (const l of lines) {
    if (!cur && /^# \S/.test(l.text) && !sections.length) {
      const m = /^# (\S+)\s*(.*)$/.exec(l.text)!;
      comments.set(m[1], m[2]);
      continue;
    }
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
    return {
      sections: [{ path: '/proc/interrupts', kind: 'file', step: null, line: 0, lines: [...lines], note: null }],
      marked, stray: [], steps, banner, comments,
    };
  }
  // A "==> <==" or bundle section's trailing blank lines belong to no file.
  for (const s of sections) while (s.lines.length && !s.lines[s.lines.length - 1].text.trim() && s.kind !== 'command') s.lines.pop();
  // A section of "<path>:<value>" lines ("@@ file smp_affinity_list" in a capture) is one file per line.
  const out: Section[] = [];
  for (const s of sections) {
    const body = s.lines.filter((l) => l.text.trim());
    if (s.kind === 'file' && s.path !== '/proc/interrupts' && body.length && body.every((l) => GREP.test(l.text))) {
      for (const l of body) {
        const g = GREP.exec(l.text)!;
        out.push({ path: g[1], kind: 'file', step: s.step, line: l.line, lines: [{ line: l.line, text: g[2] }], note: null });
      }
    } else out.push(s);
  }
  return { sections: out, marked, stray, steps, banner, comments };
}
