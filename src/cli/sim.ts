// irqscope on the command line: replay a scenario headless and print what a user would see.
//
//   npm run sim -- <scenario.json | preset-name> [--step N] [--format trace|proc|debugfs|json]
//   npm run sim -- --list
//
// Input problems (missing file, invalid JSON, schema errors, unknown preset, bad --step) print
// one clear message on stderr and exit 1. Failed kernel calls are results, not errors.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { formatTrace } from '../engine/core/trace';
import { errnoName } from '../engine/core/errno';
import { debugfsDomain, debugfsIrq, procInterrupts } from '../engine/render';
import type { Machine } from '../engine/machine';
import type { ActionResult } from '../engine/view';
import { MAX_SCENARIO_BYTES, parseScenario } from '../scenario/validate';
import { PRESETS } from '../scenario/presets';
import { STORIES, storyByName } from '../scenario/stories';

/** Every name `sim` accepts: the presets, then the app's guided stories. */
function presetNames(): string[] {
  return [...Object.keys(PRESETS), ...STORIES.map((s) => s.name)];
}
import { ReplayError, runScenario } from '../scenario/run';
import { runImport } from './import';
import type { Action, Scenario } from '../scenario/types';

const FORMATS = ['trace', 'proc', 'debugfs', 'json'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `usage: npm run sim -- <scenario.json | preset-name> [--step N] [--format ${FORMATS.join('|')}]
       npm run sim -- --list
       npm run sim -- import <file> [--format json|proc|summary|scenario]`;

/** An input problem: printed as "sim: <message>", exit code 1. */
class UsageError extends Error {}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

function loadScenario(arg: string): { scenario: Scenario; source: string } {
  const looksLikePath = arg.endsWith('.json') || arg.includes('/') || arg.includes('\\');
  if (existsSync(arg) && statSync(arg).isFile()) {
    const size = statSync(arg).size;
    if (size > MAX_SCENARIO_BYTES) {
      throw new UsageError(`${arg}: scenario too large: ${size} bytes, the limit is ${MAX_SCENARIO_BYTES} (1 MiB)`);
    }
    const r = parseScenario(readFileSync(arg, 'utf8'));
    if (!r.ok) throw new UsageError(`${arg}: invalid scenario:\n${indent(r.error, '  ')}`);
    return { scenario: r.scenario, source: arg };
  }
  const preset = Object.hasOwn(PRESETS, arg) ? PRESETS[arg] : undefined;
  if (preset) return { scenario: preset.scenario, source: `preset ${arg}` };
  // The app's guided stories are presets too: `#story/<name>` in a link, the name here.
  const story = storyByName(arg);
  if (story) return { scenario: story.scenario, source: `story ${arg}` };
  if (looksLikePath || existsSync(arg)) throw new UsageError(`${arg}: no such file`);
  throw new UsageError(`unknown preset "${arg}" (and no such file); presets: ${presetNames().join(', ')} (see --list)`);
}

function parseStep(text: string | undefined, max: number): number {
  if (text === undefined) return max;
  if (!/^\d+$/.test(text)) throw new UsageError(`bad --step "${text}": expected a whole number 0…${max}`);
  const n = Number(text);
  if (n > max) throw new UsageError(`bad --step ${n}: the scenario has ${max} action${max === 1 ? '' : 's'} (0…${max})`);
  return n;
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

/** `op key=value …` in the scenario's own argument names. */
export function formatAction(a: Action): string {
  const args = Object.entries(a)
    .filter(([k, v]) => k !== 'op' && v !== undefined)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`);
  return args.length ? `${a.op} ${args.join(' ')}` : a.op;
}

function formatResult(r: ActionResult): string {
  if (r.ok) return `ok${r.value !== undefined ? ` (${r.value})` : ''}: ${r.message}`;
  const name = r.errno !== undefined ? errnoName(r.errno) : 'failed';
  return r.message.startsWith(name) ? r.message : `${name}: ${r.message}`;
}

function renderTrace(actions: readonly Action[], results: readonly ActionResult[]): string {
  let out = '';
  results.forEach((r, i) => {
    out += `step ${i + 1}: ${formatAction(actions[i])}\n`;
    out += `  ${formatResult(r)}\n`;
    const t = formatTrace(r.trace, 2);
    if (t) out += t;
  });
  return out;
}

function renderDebugfs(m: Machine): string {
  const parts: string[] = [];
  const dom = debugfsDomain(m, 'VECTOR');
  parts.push(`==> /sys/kernel/debug/irq/domains/VECTOR <==\n${dom ?? '(no VECTOR domain)\n'}`);
  for (const irq of m.view().irqs) {
    if (!irq.msi) continue;
    const text = debugfsIrq(m, irq.virq);
    if (text !== null) parts.push(`==> /sys/kernel/debug/irq/irqs/${irq.virq} <==\n${text}`);
  }
  return parts.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('\n');
}

/** `--step -1` → `--step=-1`, so a negative number reaches the --step check instead of parseArgs. */
function joinValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '--step' || a === '--format' || a === '-f') && i + 1 < argv.length) out.push(`${a === '-f' ? '--format' : a}=${argv[++i]}`);
    else out.push(a);
  }
  return out;
}

/** Run the command line; returns the exit code. Exported for tests; main() wires it to the process. */
export function runCli(argv: readonly string[], io: Io): number {
  // `sim import <file>`: a real machine's capture (src/cli/import.ts).
  if (argv[0] === 'import') return runImport(argv.slice(1), io);
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: joinValues(argv),
        allowPositionals: true,
        strict: true,
        options: {
          step: { type: 'string' },
          format: { type: 'string', short: 'f' },
          list: { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (e) {
      throw new UsageError(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      io.out(`${USAGE}\n`);
      return 0;
    }
    if (values.list) {
      for (const [name, p] of Object.entries(PRESETS)) io.out(`${name}\t${p.title}\n`);
      for (const s of STORIES) io.out(`${s.name}\t${s.title}\n`);
      return 0;
    }
    if (positionals.length !== 1) {
      throw new UsageError(`${positionals.length ? 'one scenario at a time' : 'which scenario?'}\n${USAGE}`);
    }
    const format = (values.format ?? 'trace') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`bad --format "${values.format}": expected one of ${FORMATS.join(', ')}`);
    const { scenario } = loadScenario(positionals[0]);
    const step = parseStep(values.step, scenario.actions.length);
    const { machine, results } = runScenario(scenario, { upTo: step, trace: format === 'trace' });
    switch (format) {
      case 'trace':
        io.out(renderTrace(scenario.actions, results));
        break;
      case 'proc':
        io.out(procInterrupts(machine));
        break;
      case 'debugfs':
        io.out(renderDebugfs(machine));
        break;
      case 'json':
        io.out(`${JSON.stringify(machine.view(), null, 2)}\n`);
        break;
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`sim: ${e.message}\n`);
      return 1;
    }
    if (e instanceof ReplayError) {
      io.err(`sim: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

function main(): void {
  // `sim … | head`: a closed pipe ends the output quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const code = runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  });
  process.exitCode = code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
