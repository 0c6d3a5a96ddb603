// `npm run sim -- import <file> [--format json|proc|summary|scenario] [--step K]`: import a real
// machine's capture (a bare /proc/interrupts, the collector's bundle, a conformance capture) and
// print what it holds. `proc` re-prints the rows in the layout of the kernel that wrote them;
// `scenario` prints the scenario "Continue as a simulation" would open. Input problems exit 1.

import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importText, MAX_IMPORT_BYTES } from '../import/index';
import { importedJson, importedProc, importedSummary } from '../import/render';
import { scenarioFromImport } from '../import/scenario';

const FORMATS = ['json', 'proc', 'summary', 'scenario'] as const;
type Format = (typeof FORMATS)[number];
export const IMPORT_USAGE = `usage: npm run sim -- import <file | -> [--format ${FORMATS.join('|')}] [--step K]`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Standard input, for "-". */
  stdin?: () => string;
}

/** Runs `import …` (argv without the word "import"); returns the exit code. */
export function runImport(argv: readonly string[], io: Io): number {
  const fail = (msg: string): number => {
    io.err(`sim import: ${msg}\n`);
    return 1;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { format: { type: 'string', short: 'f' }, step: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    return fail(`${e instanceof Error ? e.message : String(e)}\n${IMPORT_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${IMPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) return fail(`${positionals.length ? 'one file at a time' : 'which file?'}\n${IMPORT_USAGE}`);
  const format = (values.format ?? 'summary') as Format;
  if (!FORMATS.includes(format)) return fail(`bad --format "${values.format}": expected one of ${FORMATS.join(', ')}`);
  const path = positionals[0];
  let text: string;
  try {
    if (path === '-') text = (io.stdin ?? (() => readFileSync(0, 'utf8')))();
    else {
      const size = statSync(path).size;
      if (size > MAX_IMPORT_BYTES) return fail(`${path}: ${size} bytes; the limit is 50 MB`);
      text = readFileSync(path, 'utf8');
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : e instanceof Error ? e.message : String(e)}`);
  }
  const r = importText(text, values.step !== undefined ? { step: values.step } : {});
  if (!r.ok) return fail(`${path}: ${r.error}`);
  const m = r.machine;
  for (const s of m.skipped.slice(0, 20)) io.err(`sim import: ${path}:${s.line}: skipped: ${s.reason}\n`);
  if (m.skipped.length > 20) io.err(`sim import: … ${m.skipped.length - 20} more lines skipped\n`);
  switch (format) {
    case 'json':
      io.out(`${JSON.stringify(importedJson(m), null, 2)}\n`);
      break;
    case 'summary':
      io.out(importedSummary(m));
      break;
    case 'proc': {
      const p = importedProc(m);
      if (p === null) return fail(`${path}: the input does not show its layout (no CPU header, or the 2.6 fused layout): nothing to re-print`);
      io.out(p);
      break;
    }
    case 'scenario': {
      const s = scenarioFromImport(m);
      if (!s.ok) return fail(`${path}: cannot continue as a simulation: ${s.reason}`);
      for (const n of s.reconstructed) io.err(`sim import: reconstructed: ${n}\n`);
      io.out(`${JSON.stringify(s.scenario, null, 2)}\n`);
      break;
    }
  }
  return 0;
}
