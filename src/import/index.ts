// Import a real machine's interrupt state from text: the collector's bundle, a conformance capture,
// a bare /proc/interrupts, or the /proc and /sys files on their own. Pure and engine-free: the worker,
// the command line and the tests call it alike.

import { splitSections, toLines } from './bundle';
import { assemble, type AssembleOptions } from './machine';
import { looksLikeProc, PROC_EXPECTED } from './proc';
import type { ImportResult } from './types';

export type * from './types';
export { importedJson, importedProc, importedSummary } from './render';
export { scenarioFromImport } from './scenario';

/** Inputs larger than this are refused before they are read (50 MB). */
export const MAX_IMPORT_BYTES = 50 * 1000 * 1000;

/** Why a text cannot be imported at all, or null. Checked before any parsing. */
export function refusal(text: string): string | null {
  if (text.length > MAX_IMPORT_BYTES) {
    return `the input is ${(text.length / 1e6).toFixed(1)} MB; the limit is 50 MB (a /proc/interrupts of 4,096 CPUs is under 20 MB)`;
  }
  const head = text.slice(0, 65536);
  if (head.includes('\u0000')) return 'this is a binary file (it holds NUL bytes): expected the text of /proc/interrupts or a collector bundle';
  let ctrl = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) ctrl++;
  }
  if (head.length && ctrl / head.length > 0.01) return 'this looks like a binary file (control characters or undecodable bytes): expected plain text';
  return null;
}

export interface ImportOptions extends AssembleOptions {
  /** Called with the share of the lines read so far (0…1), for big inputs. */
  onProgress?: (fraction: number) => void;
}

/** Import a text. Fails (with the line and what was expected) only when nothing usable is in it. */
export function importText(text: string, opts: ImportOptions = {}): ImportResult {
  const refused = refusal(text);
  if (refused) return { ok: false, error: refused, line: null };
  const lines = toLines(text.startsWith('\ufeff') ? text.slice(1) : text);
  opts.onProgress?.(0.1);
  if (!lines.some((l) => l.text.trim())) return { ok: false, error: 'the input is empty: expected /proc/interrupts or a collector bundle', line: null };
  const split = splitSections(lines);
  opts.onProgress?.(0.4);
  if (!split.marked) {
    const first = lines.find((l) => l.text.trim())!;
    // One debugfs irq file on its own says nothing about which irq it is.
    if (/^handler:\s/.test(first.text)) {
      return {
        ok: false, line: first.line,
        error: `line ${first.line}: a debugfs irq file without its path: which irq is it? Expected a header "==> /sys/kernel/debug/irq/irqs/N <==" above it, or the collector's bundle`,
      };
    }
    if (!lines.some((l) => looksLikeProc(l.text))) {
      return { ok: false, line: first.line, error: `line ${first.line}: "${clip(first.text)}" — ${PROC_EXPECTED}` };
    }
  }
  const machine = assemble(split, opts);
  opts.onProgress?.(0.9);
  if (!machine.irqs.length && !machine.archRows.length) {
    const s = machine.skipped[0];
    return {
      ok: false, line: s?.line ?? null,
      error: s ? `line ${s.line}: "${clip(s.text)}" — ${s.reason}` : 'no interrupt found: expected /proc/interrupts rows or /proc/irq, /sys/kernel/irq files',
    };
  }
  opts.onProgress?.(1);
  return { ok: true, machine };
}

function clip(s: string): string {
  const t = s.trim();
  return t.length > 80 ? `${t.slice(0, 77)}…` : t;
}
