// irqscope on the command line: replay a scenario headless and print what a user would see.
//
//   npm run sim -- <scenario.json | preset-name> [--step N] [--format trace|proc|debugfs|json] [--kernel 6.1|6.12|7.2] [--irq N | --domain NAME]
//   npm run sim -- --list
//
// Input problems (missing file, invalid JSON, schema errors, unknown preset, bad --step) print
// one clear message on stderr and exit 1. Failed kernel calls are results, not errors.

import { readFileSync, statSync, type Stats } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { formatTrace } from '../engine/core/trace';
import { errnoName } from '../engine/core/errno';
import { procInterrupts } from '../engine/render';
import { type DebugfsSelection, debugfsAll } from '../engine/render/debugfs';
import { KERNEL_VERSIONS } from '../engine/profiles';
import type { KernelVersion } from '../engine/types';
import { createMachine, type Machine } from '../engine/machine';
import type { ActionResult } from '../engine/view';
import { MAX_FILE_BYTES, UNSAFE_TEXT_RE, parseScenario } from '../scenario/validate';
import { PRESETS } from '../scenario/presets';
import { STORIES, storyByName } from '../scenario/stories';
import { ROADS_GROUP } from '../scenario/roads';

/** Every name `sim` accepts: the presets, then the app's guided stories. */
function presetNames(): string[] {
  return [...Object.keys(PRESETS), ...STORIES.map((s) => s.name)];
}
import { ReplayError, runScenario } from '../scenario/run';
import { runImport } from './import';
import { runDiff } from './diff';
import type { Action, Scenario } from '../scenario/types';

const FORMATS = ['trace', 'proc', 'debugfs', 'json'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `usage: npm run sim -- <scenario.json | preset-name | story:NAME> [--step N] [--format ${FORMATS.join('|')}] [--kernel ${KERNEL_VERSIONS.join('|')}] [--irq N | --domain NAME] [--all-traces]
       npm run sim -- --list
       npm run sim -- import <file> [--format json|proc|summary|scenario]
       npm run sim -- diff <a> [<b>] [--step N] [--from K --to L] [--kernel V1,V2] [--remap R] (see diff --help)`;

/** An input problem: printed as "sim: <message>", exit code 1. */
class UsageError extends Error {}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** What a path is when it is not a regular file ("a directory", "a FIFO"…), for the message. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function statOf(path: string): Stats | 'missing' | string {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    return `cannot be read (${code ?? String(e)})`;
  }
}

function loadScenario(arg: string, warn: (s: string) => void): { scenario: Scenario; source: string } {
  const looksLikePath = arg.endsWith('.json') || arg.includes('/') || arg.includes('\\');
  // `preset:NAME` and `story:NAME` say which one when a name is both.
  const prefixed = /^(preset|story):(.+)$/.exec(arg);
  const st = prefixed ? 'missing' : statOf(arg);
  if (typeof st === 'string' && st !== 'missing') throw new UsageError(`${arg}: ${st}`);
  if (typeof st !== 'string') {
    // A FIFO or a device would block or never end: only regular files are read.
    if (!st.isFile()) throw new UsageError(`${arg}: ${kindOf(st)}, not a scenario file`);
    if (st.size > MAX_FILE_BYTES) {
      throw new UsageError(`${arg}: scenario too large: ${st.size} bytes, the limit is ${MAX_FILE_BYTES} (${MAX_FILE_BYTES / 1024 / 1024} MiB)`);
    }
    let text: string;
    try {
      text = readFileSync(arg, 'utf8');
    } catch (e) {
      throw new UsageError(`${arg}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const r = parseScenario(text, { maxBytes: MAX_FILE_BYTES });
    if (!r.ok) throw new UsageError(`${arg}: invalid scenario:\n${indent(r.error, '  ')}`);
    return { scenario: r.scenario, source: arg };
  }
  const name = prefixed ? prefixed[2] : arg;
  const preset = prefixed?.[1] !== 'story' && Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  // The app's guided stories are presets too: `#story/<name>` in a link, the name here.
  const story = prefixed?.[1] !== 'preset' ? storyByName(name) : undefined;
  if (preset && story) warn(`sim: "${name}" is a preset and a guided story; this runs the preset (story:${name} runs the story)\n`);
  if (preset) return { scenario: preset.scenario, source: `preset ${name}` };
  if (story) return { scenario: story.scenario, source: `story ${name}` };
  if (prefixed) throw new UsageError(`no ${prefixed[1]} named "${name}" (see --list)`);
  if (looksLikePath) throw new UsageError(`${arg}: no such file`);
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

/**
 * A step's answer: `request_irq() = 0, virq 25: …` — what the kernel function returns (the
 * engine's `ret`; a void function shows none) and the interrupt apart; a refusal by its errno.
 */
export function formatResult(op: string, r: ActionResult): string {
  if (r.ok) return `${op}()${r.ret !== undefined ? ` = ${r.ret}` : ''}${r.virq !== undefined ? `, virq ${r.virq}` : ''}: ${r.message}`;
  const name = r.errno !== undefined ? errnoName(r.errno) : 'failed';
  return r.message.startsWith(name) ? r.message : `${name}: ${r.message}`;
}

/**
 * Past this many steps the trace format prints the call traces of the last TRACED_TAIL steps
 * only (one line each before), so a long scenario's default output stays bounded; --all-traces
 * prints every one.
 */
export const TRACED_TAIL = 50;

/** Replay and print step by step: a trace is printed and dropped, never all kept at once. */
function streamTrace(scenario: Scenario, upTo: number, all: boolean, out: (s: string) => void): void {
  const actions = scenario.actions;
  const firstTraced = all ? 0 : Math.max(0, upTo - TRACED_TAIL);
  if (firstTraced > 0) out(`(call traces of steps 1–${firstTraced} left out: ${upTo} steps; --all-traces prints them)\n`);
  const machine = createMachine(scenario.machine, { trace: true });
  for (let i = 0; i < upTo; i++) {
    let r: ActionResult;
    try {
      r = machine.apply(actions[i]);
    } catch (e) {
      throw new ReplayError(i, actions[i], e);
    }
    let text = `step ${i + 1}: ${formatAction(actions[i])}\n  ${formatResult(actions[i].op, r)}\n`;
    if (i >= firstTraced) text += formatTrace(r.trace, 2);
    out(text);
  }
}

/**
 * Text leaving for a terminal: control characters (but newline and tab) and bidirectional
 * overrides are shown escaped (\u001b), so no name can move the cursor, paint a fake line or
 * turn text around. The schema refuses them in names; this is the last line of defence.
 */
export function terminalSafe(s: string): string {
  if (!UNSAFE_TEXT_RE.test(s.replace(/[\n\t]/g, ''))) return s;
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** --format debugfs: every domain and irq file (or the one --irq / --domain names), as `tail -n +1` lists them. */
function renderDebugfs(m: Machine, sel: DebugfsSelection): string {
  const { text, missing } = debugfsAll(m, sel);
  if (missing.length) throw new UsageError(`no such debugfs file: ${missing.join(', ')}`);
  return text;
}

/** `--step -1` → `--step=-1`, so a negative number reaches the --step check instead of parseArgs. */
function joinValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '--step' || a === '--format' || a === '-f' || a === '--kernel' || a === '--irq' || a === '--domain') && i + 1 < argv.length) out.push(`${a === '-f' ? '--format' : a}=${argv[++i]}`);
    else out.push(a);
  }
  return out;
}

/** Run the command line; returns the exit code. Exported for tests; main() wires it to the process. */
export function runCli(argv: readonly string[], rawIo: Io): number {
  const io: Io = { out: (s) => rawIo.out(terminalSafe(s)), err: (s) => rawIo.err(terminalSafe(s)) };
  // `sim import <file>`: a real machine's capture (src/cli/import.ts).
  if (argv[0] === 'import') return runImport(argv.slice(1), io);
  // `sim diff a b`: what changed between two states (src/cli/diff.ts).
  if (argv[0] === 'diff') return runDiff(argv.slice(1), io, (arg) => loadScenario(arg, io.err).scenario);
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
          'all-traces': { type: 'boolean' },
          kernel: { type: 'string' },
          irq: { type: 'string' },
          domain: { type: 'string' },
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
      const storyNames = new Set(STORIES.map((s) => s.name));
      for (const [name, p] of Object.entries(PRESETS)) io.out(`${name}\t${p.title}${storyNames.has(name) ? ` (also a story: story:${name})` : ''}\n`);
      const line = (s: (typeof STORIES)[number]) => io.out(`${Object.hasOwn(PRESETS, s.name) ? `story:${s.name}` : s.name}\t${s.title}\n`);
      STORIES.filter((s) => s.group !== ROADS_GROUP).forEach(line);
      // The designs the threads argued about, each played before the one that won (src/scenario/roads.ts).
      io.out(`# ${ROADS_GROUP.toLowerCase()}\n`);
      STORIES.filter((s) => s.group === ROADS_GROUP).forEach(line);
      return 0;
    }
    if (positionals.length !== 1) {
      throw new UsageError(`${positionals.length ? 'one scenario at a time' : 'which scenario?'}\n${USAGE}`);
    }
    const format = (values.format ?? 'trace') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`bad --format "${values.format}": expected one of ${FORMATS.join(', ')}`);
    const loaded = loadScenario(positionals[0], io.err).scenario;
    // --kernel runs the same machine and calls on another kernel profile.
    if (values.kernel !== undefined && !KERNEL_VERSIONS.includes(values.kernel as KernelVersion)) {
      throw new UsageError(`bad --kernel "${values.kernel}": expected one of ${KERNEL_VERSIONS.join(', ')}`);
    }
    const scenario = values.kernel === undefined ? loaded : { ...loaded, machine: { ...loaded.machine, kernel: values.kernel as KernelVersion } };
    if ((values.irq !== undefined || values.domain !== undefined) && format !== 'debugfs') throw new UsageError('--irq and --domain pick a debugfs file: use them with --format debugfs');
    if (values.irq !== undefined && !/^\d+$/.test(values.irq)) throw new UsageError(`bad --irq "${values.irq}": expected an irq number`);
    const sel: DebugfsSelection = { ...(values.irq !== undefined ? { irq: Number(values.irq) } : {}), ...(values.domain !== undefined ? { domain: values.domain } : {}) };
    // A file's own "step" is where it opens (as in the app); --step overrides it.
    const n = scenario.actions.length;
    if (values.step === undefined && scenario.step !== undefined && scenario.step > n) {
      throw new UsageError(`${positionals[0]}: "step": ${scenario.step} is beyond the end: the scenario has ${n} step${n === 1 ? '' : 's'} (0…${n})`);
    }
    const step = values.step === undefined && scenario.step !== undefined ? scenario.step : parseStep(values.step, n);
    if (format === 'trace') {
      streamTrace(scenario, step, values['all-traces'] === true, io.out);
      return 0;
    }
    const { machine } = runScenario(scenario, { upTo: step, trace: false });
    switch (format) {
      case 'proc':
        io.out(procInterrupts(machine));
        break;
      case 'debugfs':
        io.out(renderDebugfs(machine, sel));
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
