// `npm run sim -- diff`: what changed between two machine states, as the engine's structured diff
// (src/engine/diff) in text or JSON.
//
//   diff A.json B.json [--step N] [--step-b M]   two scenarios (files, presets, stories), each at its step
//   diff A.json --from K --to L                   one scenario at two steps (default: the last step against the one before)
//   diff A.json --kernel 6.1,7.2 [--step N]       the same scenario on two kernel profiles
//   diff A.json --remap none [--step N]           the same scenario with another remapping (intel-ir, amd-ir, none)
//   [--format text|json] [--omit proc,debugfs]
//
// Exit codes as `sim`: 0 (whether or not anything changed), 1 for bad input.

import { parseArgs } from 'node:util';
import { captureState, CHANGE_KINDS, diffStates, formatDiff, type ChangeKind } from '../engine/diff';
import { KERNEL_VERSIONS } from '../engine/profiles';
import type { KernelVersion } from '../engine/types';
import { runScenario } from '../scenario/run';
import { validateScenario } from '../scenario/validate';
import type { Scenario } from '../scenario/types';

export const DIFF_USAGE = `usage: npm run sim -- diff <a> [<b>] [--step N] [--step-b M] [--from K --to L] [--kernel V1,V2] [--remap intel-ir|amd-ir|none] [--format text|json] [--omit KIND,…]
  <a>, <b>: scenario files, preset names or story:NAME. One scenario: its last step against the one before
  (or --from K --to L), or the same steps on two kernels (--kernel 6.1,7.2) or with another remapping (--remap).`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

class DiffUsage extends Error {}

function stepOf(text: string | undefined, s: Scenario, what: string): number {
  const n = s.actions.length;
  if (text === undefined) return s.step !== undefined && s.step <= n ? s.step : n;
  if (!/^\d+$/.test(text)) throw new DiffUsage(`bad ${what} "${text}": expected a whole number 0…${n}`);
  const k = Number(text);
  if (k > n) throw new DiffUsage(`bad ${what} ${k}: the scenario has ${n} action${n === 1 ? '' : 's'} (0…${n})`);
  return k;
}

function withMachine(s: Scenario, patch: Partial<Scenario['machine']>, what: string): Scenario {
  const next = { ...s, machine: { ...s.machine, ...patch } };
  const v = validateScenario(next);
  if (!v.ok) throw new DiffUsage(`${what}: ${v.error}`);
  return next;
}

/**
 * Run the diff command. `load` turns an argument into a scenario (sim's own loader: files, presets,
 * stories, with its checks); its errors are input errors.
 */
export function runDiff(argv: readonly string[], io: Io, load: (arg: string) => Scenario): number {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv.map((a) => a),
        allowPositionals: true,
        strict: true,
        options: {
          step: { type: 'string' },
          'step-b': { type: 'string' },
          from: { type: 'string' },
          to: { type: 'string' },
          kernel: { type: 'string' },
          remap: { type: 'string' },
          format: { type: 'string', short: 'f' },
          omit: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (e) {
      throw new DiffUsage(`${e instanceof Error ? e.message : String(e)}\n${DIFF_USAGE}`);
    }
    const { values: o, positionals } = parsed;
    if (o.help) {
      io.out(`${DIFF_USAGE}\n`);
      return 0;
    }
    if (positionals.length < 1 || positionals.length > 2) throw new DiffUsage(`${positionals.length ? 'at most two scenarios' : 'which scenarios?'}\n${DIFF_USAGE}`);
    const format = o.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new DiffUsage(`bad --format "${format}": expected text or json`);
    const omit = (o.omit ?? '').split(',').filter(Boolean) as ChangeKind[];
    for (const k of omit) if (!CHANGE_KINDS.includes(k)) throw new DiffUsage(`bad --omit "${k}": kinds are ${CHANGE_KINDS.join(', ')}`);

    const loadArg = (arg: string): Scenario => {
      try {
        return load(arg);
      } catch (e) {
        throw new DiffUsage(e instanceof Error ? e.message : String(e));
      }
    };
    const a = loadArg(positionals[0]);
    let sides: { scenario: Scenario; step: number; label: string }[];
    const name = (arg: string) => arg.replace(/^.*[\\/]/, '');
    if (positionals.length === 2) {
      if (o.from !== undefined || o.to !== undefined || o.kernel !== undefined || o.remap !== undefined) {
        throw new DiffUsage('--from/--to, --kernel and --remap compare one scenario with itself: give one scenario');
      }
      const b = loadArg(positionals[1]);
      const sa = stepOf(o.step, a, '--step');
      const sb = o['step-b'] !== undefined ? stepOf(o['step-b'], b, '--step-b') : o.step !== undefined ? stepOf(o.step, b, '--step (for the second scenario)') : stepOf(undefined, b, '--step');
      sides = [
        { scenario: a, step: sa, label: `${name(positionals[0])} step ${sa}` },
        { scenario: b, step: sb, label: `${name(positionals[1])} step ${sb}` },
      ];
    } else if (o.kernel !== undefined) {
      const ks = o.kernel.split(',');
      if (ks.length !== 2 || !ks.every((k) => KERNEL_VERSIONS.includes(k as KernelVersion))) {
        throw new DiffUsage(`bad --kernel "${o.kernel}": expected two of ${KERNEL_VERSIONS.join(', ')}, like 6.1,7.2`);
      }
      const step = stepOf(o.step, a, '--step');
      sides = ks.map((k) => ({ scenario: withMachine(a, { kernel: k as KernelVersion }, `--kernel ${k}`), step, label: `${name(positionals[0])} step ${step} on ${k}` }));
    } else if (o.remap !== undefined) {
      if (!['intel-ir', 'amd-ir', 'none'].includes(o.remap)) throw new DiffUsage(`bad --remap "${o.remap}": expected intel-ir, amd-ir or none`);
      if (a.machine.arch !== 'x86') throw new DiffUsage('--remap: interrupt remapping is an x86 machine setting');
      const step = stepOf(o.step, a, '--step');
      const mine = a.machine.remap ?? 'intel-ir';
      sides = [
        { scenario: a, step, label: `${name(positionals[0])} step ${step} (${mine})` },
        { scenario: withMachine(a, { remap: o.remap as 'intel-ir' | 'amd-ir' | 'none' }, `--remap ${o.remap}`), step, label: `${name(positionals[0])} step ${step} (${o.remap})` },
      ];
    } else {
      const last = stepOf(o.step, a, '--step');
      const to = o.to !== undefined ? stepOf(o.to, a, '--to') : last;
      const from = o.from !== undefined ? stepOf(o.from, a, '--from') : Math.max(0, to - 1);
      sides = [from, to].map((step) => ({ scenario: a, step, label: `${name(positionals[0])} step ${step}` }));
    }

    const states = sides.map((s) => captureState(runScenario(s.scenario, { upTo: s.step, trace: false }).machine, { label: s.label }));
    const d = diffStates(states[0], states[1]);
    if (format === 'json') {
      io.out(`${JSON.stringify({ ...d, changes: d.changes.filter((c) => !omit.includes(c.kind)) }, null, 2)}\n`);
    } else {
      io.out(formatDiff(d, { omit }));
    }
    return 0;
  } catch (e) {
    if (e instanceof DiffUsage) {
      io.err(`sim diff: ${e.message}\n`);
      return 1;
    }
    if (e instanceof Error && e.name === 'ReplayError') {
      io.err(`sim diff: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
