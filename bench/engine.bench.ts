// Benchmarks of the engine (npm run bench): the matrix micro-benchmark, a mixed kernel API load
// on 8, 64 and 256 CPUs with traces off and on (and the same load on a 64-CPU arm64 machine,
// GICv3 + ITS), and the replay of a 10,000-action scenario.
// Prints one table. Targets (design.md): matrix mixed ≤ 550 ns/call (5× the native 110 ns),
// ≥ 200,000 actions/s on 64 CPUs with traces off, a 10,000-action replay in ≤ 100 ms.

import { pathToFileURL } from 'node:url';
import { benchMatrix } from './matrix.bench';
import { createMachine } from '../src/engine/machine';
import type { ActionResult } from '../src/engine/view';
import { runScenario } from '../src/scenario/run';
import type { Action, DeviceSpec, MachineSpec, Scenario } from '../src/scenario/types';

/** Mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}

const MAX_LIVE = 4096;
const NR_DEVICES = 24;

interface DevState {
  bdf: string;
  tableSize: number;
  /** Vectors allocated (0: none). */
  n: number;
  managed: boolean;
  requested: Set<number>;
}

interface LoadPlan {
  spec: MachineSpec;
  actions: Action[];
  /** Digest of the results of the plan run; every replay must reproduce it. */
  checksum: number;
}

function digest(h: number, r: ActionResult): number {
  const v = r.ok ? (typeof r.value === 'number' ? r.value : 1) : (r.errno ?? -1);
  return (Math.imul(h, 31) + v) | 0;
}

/**
 * Build a mixed load by running it once (traces off): MSI-X devices with tables of 64…2048
 * entries; pci_alloc_irq_vectors (sometimes managed) while fewer than 4,096 interrupts are live,
 * request_irq, irq_set_affinity, raise, free_irq and pci_free_irq_vectors chosen by a seeded
 * PRNG among what makes sense in the current state. Replays of the plan are exact.
 */
export function buildLoad(cpus: number, count: number, seed: number, arch: MachineSpec['arch'] = 'x86'): LoadPlan {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const devices: DeviceSpec[] = [];
  for (let i = 0; i < NR_DEVICES; i++) {
    const tableSize = 64 * (1 << Math.floor(rnd() * 6)); // 64 … 2048
    devices.push({ bdf: `0000:${(0x10 + i).toString(16).padStart(2, '0')}:00.0`, name: `dev${i}`, msix: { tableSize } });
  }
  const spec: MachineSpec = arch === 'x86'
    ? { arch: 'x86', cpus, remap: 'intel-ir', msiModel: 'v2', devices }
    : { arch, cpus, devices };
  const m = createMachine(spec, { trace: false });
  const st: DevState[] = devices.map((d) => ({ bdf: d.bdf, tableSize: d.msix!.tableSize, n: 0, managed: false, requested: new Set() }));
  const actions: Action[] = [];
  let live = 0;
  let checksum = 0;
  const run = (a: Action): ActionResult => {
    const r = m.apply(a);
    actions.push(a);
    checksum = digest(checksum, r);
    return r;
  };
  const cpuMask = (): number[] => {
    const first = Math.floor(rnd() * cpus);
    const len = 1 + Math.floor(rnd() * Math.max(1, cpus >> 2));
    const out: number[] = [];
    for (let c = first; c < Math.min(cpus, first + len); c++) out.push(c);
    return out;
  };
  while (actions.length < count) {
    const r = rnd();
    const idle = st.filter((d) => d.n === 0);
    const busy = st.filter((d) => d.n > 0);
    if ((r < 0.06 || busy.length === 0) && idle.length && live < MAX_LIVE) {
      const d = pick(idle);
      const room = Math.min(d.tableSize, MAX_LIVE - live);
      const max = 1 + Math.floor(rnd() ** 2 * (room - 1));
      const managed = rnd() < 0.3;
      const res = run({
        op: 'pci_alloc_irq_vectors', dev: d.bdf, min: 1, max,
        flags: managed ? ['MSIX', 'AFFINITY'] : ['MSIX'], ...(managed ? { pre_vectors: 1 } : {}),
      });
      if (res.ok) {
        d.n = res.value as number;
        d.managed = managed;
        live += d.n;
      }
      continue;
    }
    if (!busy.length) {
      run({ op: 'raise', dev: pick(st).bdf, index: 0 });
      continue;
    }
    const d = pick(busy);
    if (r < 0.36) {
      // request_irq on an index without a handler (or raise when all have one).
      if (d.requested.size === d.n) {
        run({ op: 'raise', dev: d.bdf, index: Math.floor(rnd() * d.n) });
        continue;
      }
      let i = Math.floor(rnd() * d.n);
      while (d.requested.has(i)) i = (i + 1) % d.n;
      const res = run({ op: 'request_irq', dev: d.bdf, index: i, name: `${d.bdf}-q${i}` });
      if (res.ok) d.requested.add(i);
    } else if (r < 0.5) {
      const index = d.managed && d.n > 1 && rnd() < 0.5 ? 1 + Math.floor(rnd() * (d.n - 1)) : 0;
      run({ op: 'irq_set_affinity', dev: d.bdf, index, cpus: cpuMask() });
    } else if (r < 0.8) {
      run({ op: 'raise', dev: d.bdf, index: Math.floor(rnd() * d.n) });
    } else if (r < 0.95 || d.requested.size > 0) {
      if (!d.requested.size) {
        run({ op: 'raise', dev: d.bdf, index: Math.floor(rnd() * d.n) });
        continue;
      }
      const i = pick([...d.requested]);
      const res = run({ op: 'free_irq', dev: d.bdf, index: i });
      if (res.ok) d.requested.delete(i);
    } else {
      const res = run({ op: 'pci_free_irq_vectors', dev: d.bdf });
      if (res.ok) {
        live -= d.n;
        d.n = 0;
      }
    }
  }
  return { spec, actions, checksum };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** One timed replay of the plan on a fresh machine (machine boot not timed); returns ms. */
function timeLoadOnce(plan: LoadPlan, trace: boolean): number {
  const m = createMachine(plan.spec, { trace });
  let h = 0;
  const t0 = performance.now();
  for (const a of plan.actions) h = digest(h, m.apply(a));
  const ms = performance.now() - t0;
  if (h !== plan.checksum) throw new Error('replay diverged from its plan: the engine is not deterministic');
  return ms;
}

/** One timed runScenario() from scratch (machine boot included); returns ms. */
function timeReplayOnce(scenario: Scenario, trace: boolean): number {
  const t0 = performance.now();
  const { results } = runScenario(scenario, { trace });
  const ms = performance.now() - t0;
  if (results.length !== scenario.actions.length) throw new Error('short replay');
  return ms;
}

/**
 * Run every case `warm` times untimed, then `rounds` rounds in which each case runs once, and
 * return each case's median. Interleaving the rounds spreads a burst of load from elsewhere
 * over all cases instead of spoiling one.
 */
function measureInterleaved(cases: (() => number)[], warm: number, rounds: number): number[] {
  for (let i = 0; i < warm; i++) for (const c of cases) c();
  const times = cases.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) cases.forEach((c, i) => times[i].push(c()));
  return times.map(median);
}

interface Row {
  name: string;
  value: string;
  target: string;
  ok: boolean | null;
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function main(): void {
  const rows: Row[] = [];

  for (const r of benchMatrix()) {
    const mixed = r.name.startsWith('mixed');
    rows.push({
      name: `matrix: ${r.name}`,
      value: `${r.nsPerCall.toFixed(0)} ns/call (${r.ms.toFixed(3)} ms / ${r.calls})`,
      target: mixed ? '≤ 550 ns/call' : '',
      ok: mixed ? r.nsPerCall <= 550 : null,
    });
  }

  const ACTIONS = 20_000;
  const CPUS = [8, 64, 256];
  const plans = CPUS.map((cpus) => buildLoad(cpus, ACTIONS, 0x1e57 + cpus));
  const replayPlan = buildLoad(64, 10_000, 0x5ce);
  const arm64Plan = buildLoad(64, ACTIONS, 0x1e57 + 64, 'arm64');
  const scenario: Scenario = { version: 1, machine: replayPlan.spec, actions: replayPlan.actions };
  const cases = [
    ...plans.map((p) => () => timeLoadOnce(p, false)),
    ...plans.map((p) => () => timeLoadOnce(p, true)),
    () => timeReplayOnce(scenario, true),
    () => timeReplayOnce(scenario, false),
    () => timeLoadOnce(arm64Plan, false),
    () => timeLoadOnce(arm64Plan, true),
  ];
  const ms = measureInterleaved(cases, 2, 7);
  const off = ms.slice(0, CPUS.length);
  const on = ms.slice(CPUS.length, 2 * CPUS.length);
  CPUS.forEach((cpus, i) => {
    const rate = (ACTIONS / off[i]) * 1000;
    rows.push({
      name: `engine mixed load, ${cpus} CPUs, traces off`,
      value: `${fmtInt(rate)} actions/s (${off[i].toFixed(1)} ms / ${fmtInt(ACTIONS)})`,
      target: cpus === 64 ? '≥ 200,000 actions/s' : '',
      ok: cpus === 64 ? rate >= 200_000 : null,
    });
  });
  CPUS.forEach((cpus, i) => {
    rows.push({
      name: `engine mixed load, ${cpus} CPUs, traces on`,
      value: `${fmtInt((ACTIONS / on[i]) * 1000)} actions/s (${(on[i] / off[i]).toFixed(2)}× the time with traces off)`,
      target: '',
      ok: null,
    });
  });
  const [replayOn, replayOff, arm64Off, arm64On] = ms.slice(2 * CPUS.length);
  const arm64Rate = (ACTIONS / arm64Off) * 1000;
  rows.push({
    name: 'engine mixed load, arm64: 64 CPUs (GICv3 + ITS), traces off',
    value: `${fmtInt(arm64Rate)} actions/s (${arm64Off.toFixed(1)} ms / ${fmtInt(ACTIONS)})`,
    target: '≥ 200,000 actions/s',
    ok: arm64Rate >= 200_000,
  });
  rows.push({
    name: 'engine mixed load, arm64: 64 CPUs (GICv3 + ITS), traces on',
    value: `${fmtInt((ACTIONS / arm64On) * 1000)} actions/s (${(arm64On / arm64Off).toFixed(2)}× the time with traces off)`,
    target: '',
    ok: null,
  });
  for (const [trace, t] of [[true, replayOn], [false, replayOff]] as const) {
    rows.push({
      name: `replay 10,000-action scenario from scratch (runScenario, 64 CPUs, traces ${trace ? 'on' : 'off'})`,
      value: `${t.toFixed(1)} ms`,
      // The app jumps by replaying with traces off (only the shown step is traced): that row has the target.
      target: trace ? '' : '≤ 100 ms',
      ok: trace ? null : t <= 100,
    });
  }

  const w = Math.max(...rows.map((r) => r.name.length), 9);
  const wv = Math.max(...rows.map((r) => r.value.length), 6);
  const wt = Math.max(...rows.map((r) => r.target.length), 6);
  const line = (a: string, b: string, c: string, d: string) => `${a.padEnd(w)} | ${b.padEnd(wv)} | ${c.padEnd(wt)} | ${d}`;
  console.log(line('benchmark', 'result', 'target', ''));
  console.log(`${'-'.repeat(w)}-+-${'-'.repeat(wv)}-+-${'-'.repeat(wt)}-+-----`);
  for (const r of rows) console.log(line(r.name, r.value, r.target, r.ok === null ? '' : r.ok ? 'ok' : 'MISS'));
  console.log(`\nnode ${process.version}, ${process.platform}/${process.arch}; medians of 7 interleaved rounds after 2 warm-up rounds; ${ACTIONS.toLocaleString('en-US')}-action loads with up to ${MAX_LIVE} live MSI-X interrupts on ${NR_DEVICES} devices`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
