// Holds the model against real kernels: replays a fixture's scenario in the engine with that
// kernel's profile and compares, after boot and after every step, what the kernel printed
// (the fixture's capture.txt) with what the model prints. Expected values come only from the
// captures.

import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseScenario } from '../src/scenario/validate';
import { createMachine, type Machine } from '../src/engine/machine';
import { procInterrupts } from '../src/engine/render';
import { procIrqAffinity } from '../src/engine/render/procirq';
import type { Scenario } from '../src/engine/types';
import type { ActionResult } from '../src/engine/view';

export const FIXTURES_DIR = new URL('./fixtures', import.meta.url).pathname;

/** What the comparison checks, one column each in the report and the baseline. */
export const COLUMNS = ['proc', 'affinity', 'effective', 'msi_irqs', 'counts', 'result'] as const;
export type Column = (typeof COLUMNS)[number];

/** One step of a capture: the step line, its result, and the files as the kernel printed them. */
export interface CapturedStep {
  step: number;
  what: string;
  result: string | null;
  files: Map<string, string>;
}

export interface Capture {
  header: Map<string, string>;
  steps: CapturedStep[];
}

/** Parse capture.txt (format in conformance/CONTEXT.md): `@@ step`, `@@ result`, `@@ file` sections. */
export function parseCapture(text: string): Capture {
  const header = new Map<string, string>();
  const steps: CapturedStep[] = [];
  let step: CapturedStep | null = null;
  let file: string | null = null;
  let body: string[] = [];
  const flush = () => {
    if (step && file !== null) step.files.set(file, body.length ? body.join('\n') + '\n' : '');
    file = null;
    body = [];
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('@@ ')) {
      flush();
      const m = /^@@ (step|result|file|end)\s*(.*)$/.exec(line);
      if (!m) throw new Error(`capture: unknown marker line ${JSON.stringify(line)}`);
      if (m[1] === 'step') {
        const s = /^(\d+)\s*(.*)$/.exec(m[2]);
        if (!s) throw new Error(`capture: bad step line ${JSON.stringify(line)}`);
        step = { step: Number(s[1]), what: s[2], result: null, files: new Map() };
        steps.push(step);
      } else if (m[1] === 'result') {
        if (step) step.result = m[2];
      } else if (m[1] === 'file') file = m[2];
      else step = null;
      continue;
    }
    if (file !== null) body.push(line);
    else if (!steps.length && line.startsWith('# ')) {
      const h = /^# (\S+)\s*(.*)$/.exec(line);
      if (h) header.set(h[1], h[2]);
    }
  }
  flush();
  return { header, steps };
}

/**
 * /proc/interrupts with the per-CPU counts masked: each count keeps its printed width, its
 * digits become one '#', so layouts compare byte for byte whatever the counts were.
 */
export function maskCounts(proc: string): string[] {
  const lines = proc.replace(/\n$/, '').split('\n');
  const ncpus = (lines[0].match(/CPU\d+/g) ?? []).length;
  return lines.map((line, i) => (i === 0 ? line : maskLine(line, ncpus)));
}

function maskLine(line: string, ncpus: number): string {
  const colon = line.indexOf(':');
  if (colon < 0) return line;
  let rest = line.slice(colon + 1);
  let out = line.slice(0, colon + 1);
  for (let c = 0; c < ncpus; c++) {
    const m = /^(\s+)(\d+)/.exec(rest);
    if (!m) break;
    out += ' '.repeat(m[0].length - 1) + '#';
    rest = rest.slice(m[0].length);
  }
  return out + rest;
}

/** Per-CPU counts of each row, keyed by the row's label ("25", "NMI"). */
export function rowCounts(proc: string): Map<string, number[]> {
  const lines = proc.replace(/\n$/, '').split('\n');
  const cpus = (lines[0].match(/CPU\d+/g) ?? []).map((c) => Number(c.slice(3)));
  const out = new Map<string, number[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const label = line.slice(0, colon).trim();
    let rest = line.slice(colon + 1);
    const counts: number[] = [];
    for (let c = 0; c < cpus.length; c++) {
      const m = /^\s+(\d+)/.exec(rest);
      if (!m) break;
      counts[cpus[c]] = Number(m[1]);
      rest = rest.slice(m[0].length);
    }
    out.set(label, counts);
  }
  return out;
}

/** `grep -H '' /proc/irq/*​/X` lines → irq → value. */
export function grepFiles(text: string | undefined, re: RegExp): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const m = re.exec(line);
    if (m) out.set(m[1], m[2]);
  }
  return out;
}

const AFFINITY_RE = /^\/proc\/irq\/(\d+)\/\w+:(.*)$/;
const MSI_RE = /^\/sys\/bus\/pci\/devices\/([^/]+\/msi_irqs\/\d+):(.*)$/;

/** The model's side of the same files. */
export function modelFiles(m: Machine): { proc: string; affinity: Map<string, string>; effective: Map<string, string>; msi: Map<string, string> } {
  const v = m.view();
  const affinity = new Map<string, string>();
  const effective = new Map<string, string>();
  for (const [irq, f] of procIrqAffinity(m)) {
    affinity.set(String(irq), f.affinity);
    effective.set(String(irq), f.effective);
  }
  const msi = new Map<string, string>();
  for (const irq of v.irqs) {
    if (!irq.msi || irq.msi.domid !== 0) continue;
    const dev = m.pciDev(irq.msi.dev);
    if (!dev) continue;
    msi.set(`${dev.name}/msi_irqs/${irq.virq}`, dev.msixEnabled ? 'msix' : 'msi');
  }
  return { proc: procInterrupts(m), affinity, effective, msi };
}

export interface Difference {
  column: Column;
  text: string;
}

export interface StepComparison {
  step: number;
  what: string;
  /** Per column: [equal, total]; total 0 = not compared at this step. */
  score: Record<Column, [number, number]>;
  differences: Difference[];
}

export interface FixtureComparison {
  name: string;
  kernel: string;
  arch: string;
  /** Set when the scenario could not be replayed at all (refused by validation, or the engine threw). */
  error: string | null;
  steps: StepComparison[];
}

function compareMaps(column: Column, want: Map<string, string>, got: Map<string, string>, label: (k: string) => string): { score: [number, number]; diffs: Difference[] } {
  const diffs: Difference[] = [];
  let equal = 0;
  const keys = new Set([...want.keys(), ...got.keys()]);
  for (const k of [...keys].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
    const w = want.get(k);
    const g = got.get(k);
    if (w === g) equal++;
    else diffs.push({ column, text: `${label(k)}: kernel ${w === undefined ? '(none)' : JSON.stringify(w)}, model ${g === undefined ? '(none)' : JSON.stringify(g)}` });
  }
  return { score: [equal, keys.size], diffs };
}

/** Line-by-line /proc/interrupts comparison, counts masked; differing lines listed as a diff. */
function compareProc(want: string, got: string): { score: [number, number]; diffs: Difference[] } {
  const w = maskCounts(want);
  const g = maskCounts(got);
  const diffs: Difference[] = [];
  let equal = 0;
  const n = Math.max(w.length, g.length);
  for (let i = 0; i < n; i++) {
    if (w[i] === g[i]) equal++;
    else diffs.push({ column: 'proc', text: `line ${i + 1}:\n    kernel ${w[i] === undefined ? '(none)' : JSON.stringify(w[i])}\n    model  ${g[i] === undefined ? '(none)' : JSON.stringify(g[i])}` });
  }
  return { score: [equal, w.length], diffs };
}

/** Count deltas of the rows a blk_read step raised: per row, per CPU, kernel vs model. */
function compareCountDeltas(prevWant: string, want: string, prevGot: string, got: string, rows: Set<string>): { score: [number, number]; diffs: Difference[] } {
  const d = (a: Map<string, number[]>, b: Map<string, number[]>, row: string) => {
    const after = b.get(row) ?? [];
    const before = a.get(row) ?? [];
    return after.map((n, cpu) => (n ?? 0) - (before[cpu] ?? 0)).join(',');
  };
  const pw = rowCounts(prevWant), w = rowCounts(want), pg = rowCounts(prevGot), g = rowCounts(got);
  const diffs: Difference[] = [];
  let equal = 0;
  for (const row of rows) {
    const kw = d(pw, w, row);
    const kg = d(pg, g, row);
    if (kw === kg) equal++;
    else diffs.push({ column: 'counts', text: `irq ${row} count change per CPU: kernel ${kw}, model ${kg}` });
  }
  return { score: [equal, rows.size], diffs };
}

const empty = (): Record<Column, [number, number]> => ({ proc: [0, 0], affinity: [0, 0], effective: [0, 0], msi_irqs: [0, 0], counts: [0, 0], result: [0, 0] });

/** Rows whose counts a blk_read step changed in the kernel (the queue that completed the reads). */
function raisedRows(prevWant: string, want: string, of: Set<string>): Set<string> {
  const a = rowCounts(prevWant);
  const b = rowCounts(want);
  const out = new Set<string>();
  for (const [row, counts] of b) {
    if (!of.has(row)) continue;
    const before = a.get(row) ?? [];
    if (counts.some((n, cpu) => n !== (before[cpu] ?? 0))) out.add(row);
  }
  return out;
}

/** The irqs the capture lists under a device's msi_irqs. */
function deviceIrqs(cap: CapturedStep, bdf: string): Set<string> {
  const out = new Set<string>();
  for (const key of grepFiles(cap.files.get('msi_irqs'), MSI_RE).keys()) {
    const [dev, , irq] = key.split('/');
    if (dev === bdf) out.add(irq);
  }
  return out;
}

/** What the shell printed for a failed write, by errno (strerror). */
const STRERROR: Record<number, string> = { 1: 'Operation not permitted', 2: 'No such file or directory', 5: 'Input/output error', 16: 'Device or resource busy', 19: 'No such device', 22: 'Invalid argument', 28: 'No space left on device' };

/** The step's outcome as the guest's shell reports it: "0", or "1 sh: write error: <strerror>". */
function modelResult(r: ActionResult): string {
  if (r.ok) return '0';
  const text = STRERROR[-(r.errno ?? 0)];
  return text ? `1 sh: write error: ${text}` : `1 errno ${r.errno}`;
}

function compareStep(cap: CapturedStep, m: Machine, prev: { want: string; got: string } | null, raises: string | null, result?: ActionResult): StepComparison {
  const got = modelFiles(m);
  const want = cap.files.get('/proc/interrupts') ?? '';
  const score = empty();
  const differences: Difference[] = [];
  const add = (c: Column, r: { score: [number, number]; diffs: Difference[] }) => {
    score[c] = r.score;
    differences.push(...r.diffs);
  };
  add('proc', compareProc(want, got.proc));
  add('affinity', compareMaps('affinity', grepFiles(cap.files.get('smp_affinity_list'), AFFINITY_RE), got.affinity, (k) => `irq ${k} smp_affinity_list`));
  add('effective', compareMaps('effective', grepFiles(cap.files.get('effective_affinity_list'), AFFINITY_RE), got.effective, (k) => `irq ${k} effective_affinity_list`));
  const msiWant = new Map([...grepFiles(cap.files.get('msi_irqs'), MSI_RE)].map(([k, v]) => [k, v]));
  add('msi_irqs', compareMaps('msi_irqs', msiWant, got.msi, (k) => k));
  if (result && cap.result !== null) {
    const got = modelResult(result);
    // A successful step may print nothing or a harmless note on stderr; its status is what counts.
    const want = cap.result.startsWith('0') ? '0' : cap.result;
    add('result', { score: [want === got ? 1 : 0, 1], diffs: want === got ? [] : [{ column: 'result', text: `step result: kernel ${JSON.stringify(cap.result)}, model ${JSON.stringify(got)}${result.message ? ` (${result.message})` : ''}` }] });
  }
  if (raises && prev) add('counts', compareCountDeltas(prev.want, want, prev.got, got.proc, raisedRows(prev.want, want, deviceIrqs(cap, raises))));
  return { step: cap.step, what: cap.what, score, differences };
}

/** Replay one fixture and compare every captured step. Never throws: errors are reported. */
export function compareFixture(dir: string): FixtureComparison {
  const name = relative(FIXTURES_DIR, dir);
  const [kernel, arch] = name.split('/');
  const out: FixtureComparison = { name, kernel, arch, error: null, steps: [] };
  let scenario: Scenario;
  let capture: Capture;
  try {
    const parsed = parseScenario(readFileSync(join(dir, 'scenario.json'), 'utf8'));
    if (!parsed.ok) throw new Error(`scenario.json refused: ${parsed.error}`);
    scenario = parsed.scenario;
    capture = parseCapture(readFileSync(join(dir, 'capture.txt'), 'utf8'));
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e);
    return out;
  }
  let m: Machine;
  try {
    m = createMachine(scenario.machine, { trace: false });
  } catch (e) {
    out.error = `the engine cannot boot this machine: ${e instanceof Error ? e.message : String(e)}`;
    return out;
  }
  let prev: { want: string; got: string } | null = null;
  for (const cap of capture.steps) {
    let result: ActionResult | undefined;
    if (cap.step > 0) {
      const action = scenario.actions[cap.step - 1];
      if (!action) {
        out.error = `capture step ${cap.step} has no action in scenario.json`;
        return out;
      }
      try {
        result = m.apply(action);
      } catch (e) {
        out.error = `step ${cap.step} (${action.op}) threw in the engine: ${e instanceof Error ? e.message : String(e)}`;
        return out;
      }
    }
    const act = cap.step > 0 ? scenario.actions[cap.step - 1] : undefined;
    const raises = act?.op === 'blk_read' ? act.dev : null;
    const r = compareStep(cap, m, prev, raises, result);
    out.steps.push(r);
    prev = { want: cap.files.get('/proc/interrupts') ?? '', got: procInterrupts(m) };
  }
  return out;
}

/** Every fixture directory (one holding scenario.json and capture.txt), sorted. */
export function fixtureDirs(root = FIXTURES_DIR): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    const names = readdirSync(d).sort();
    if (names.includes('scenario.json') && names.includes('capture.txt')) {
      out.push(d);
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

// ---- the ratchet ----------------------------------------------------------------------

/** baseline.json: "<fixture>@<step>" → the columns that matched fully there. */
export type Baseline = Record<string, Column[]>;
export const BASELINE_PATH = new URL('./baseline.json', import.meta.url).pathname;

export function readBaseline(): Baseline {
  return existsSync(BASELINE_PATH) ? (JSON.parse(readFileSync(BASELINE_PATH, 'utf8')) as Baseline) : {};
}

/** Which columns matched fully at each step of the run (nothing to compare counts as matched). */
export function matchedColumns(results: FixtureComparison[]): Baseline {
  const out: Baseline = {};
  for (const f of results) {
    for (const s of f.steps) {
      const cols = COLUMNS.filter((c) => s.score[c][0] === s.score[c][1]);
      out[`${f.name}@${s.step}`] = cols;
    }
  }
  return out;
}

/** Baseline claims the run does not see: each a regression (or a baseline that lies). */
export function regressions(baseline: Baseline, run: Baseline): string[] {
  const out: string[] = [];
  for (const [key, cols] of Object.entries(baseline)) {
    const seen = new Set(run[key] ?? []);
    for (const c of cols) if (!seen.has(c)) out.push(`${key} ${c}`);
  }
  return out;
}

/** The run's matches the baseline does not have yet: progress to record. */
export function improvements(baseline: Baseline, run: Baseline): string[] {
  const out: string[] = [];
  for (const [key, cols] of Object.entries(run)) {
    const had = new Set(baseline[key] ?? []);
    for (const c of cols) if (!had.has(c)) out.push(`${key} ${c}`);
  }
  return out;
}
