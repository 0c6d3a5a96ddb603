// Benchmark of the kernel/irq/matrix.c model: a deterministic mixed call sequence on 64 CPUs.
// Run directly: npx tsx bench/matrix.bench.ts

import { pathToFileURL } from 'node:url';
import { IrqMatrix } from '../src/engine/arch/x86/matrix';
import { parseCpuList } from '../src/engine/core/cpumask';

export interface BenchRow {
  name: string;
  calls: number;
  ms: number;
  nsPerCall: number;
}

const NR_CPUS = 64;
const CALLS = 5000;
const X86_SYSTEM = parseCpuList('0-19,21,50,128,236-255');

const OP_ALLOC = 0;
const OP_FREE = 1;
const OP_RESERVE_MANAGED = 2;
const OP_ALLOC_MANAGED = 3;
const OP_FREE_MANAGED = 4;
const OP_REMOVE_MANAGED = 5;

/** A recorded call sequence: ops[3i..3i+2] = [op, a, b]; a/b are a mask index or cpu/vector. */
interface Plan {
  ops: Int32Array;
  masks: number[][];
  checksum: number;
}

function x86Matrix(): IrqMatrix {
  const m = new IrqMatrix({ matrixBits: 256, allocStart: 0x20, allocEnd: 0xec, nrCpus: NR_CPUS });
  for (const bit of X86_SYSTEM) m.assignSystem(bit, false);
  for (let cpu = 0; cpu < NR_CPUS; cpu++) m.online(cpu);
  return m;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

/**
 * Build the mixed sequence by running it once: ~40% alloc (all CPUs / one 16-CPU node / one
 * CPU), ~25% free, ~10% reserveManaged (1-4 CPUs), ~13% allocManaged, ~7% managed free,
 * ~5% removeManaged. Frees refer to what the plan run handed out, so replays are exact.
 */
function buildPlan(calls: number, seed: number): Plan {
  const rnd = lcg(seed);
  const m = x86Matrix();
  const all = [...Array(NR_CPUS).keys()];
  const masks: number[][] = [all];
  for (let node = 0; node < NR_CPUS; node += 16) masks.push(all.slice(node, node + 16));
  const single = masks.length;
  for (const cpu of all) masks.push([cpu]);
  const ops: number[] = [];
  const live: [number, number][] = [];
  const reservations: { mask: number; alloc: [number, number] | null }[] = [];
  let checksum = 0;
  const record = (op: number, a: number, b: number, result: number) => {
    ops.push(op, a, b);
    checksum = (Math.imul(checksum, 31) + result) | 0;
  };
  while (ops.length < calls * 3) {
    const r = rnd();
    if (r < 0.4 || (r < 0.65 && live.length === 0)) {
      const p = rnd();
      const mask = p < 0.5 ? 0 : p < 0.8 ? 1 + Math.floor(rnd() * 4) : single + Math.floor(rnd() * NR_CPUS);
      const res = m.alloc(masks[mask]!, false);
      if ('errno' in res) record(OP_ALLOC, mask, 0, res.errno);
      else {
        live.push([res.cpu, res.vector]);
        record(OP_ALLOC, mask, 0, res.vector * 256 + res.cpu);
      }
    } else if (r < 0.65) {
      const k = Math.floor(rnd() * live.length);
      const [cpu, vector] = live[k]!;
      live[k] = live[live.length - 1]!;
      live.pop();
      m.free(cpu, vector, false);
      record(OP_FREE, cpu, vector, 0);
    } else if (r < 0.75 || reservations.length === 0) {
      const first = Math.floor(rnd() * NR_CPUS);
      const n = 1 + Math.floor(rnd() * 4);
      const cpus = all.slice(first, Math.min(NR_CPUS, first + n));
      masks.push(cpus);
      const ret = m.reserveManaged(cpus);
      if (ret === 0) reservations.push({ mask: masks.length - 1, alloc: null });
      record(OP_RESERVE_MANAGED, masks.length - 1, 0, ret);
    } else {
      const rv = reservations[Math.floor(rnd() * reservations.length)]!;
      const q = rnd();
      if (rv.alloc === null && q < 0.7) {
        const res = m.allocManaged(masks[rv.mask]!);
        if ('errno' in res) record(OP_ALLOC_MANAGED, rv.mask, 0, res.errno);
        else {
          rv.alloc = [res.cpu, res.vector];
          record(OP_ALLOC_MANAGED, rv.mask, 0, res.vector * 256 + res.cpu);
        }
      } else if (rv.alloc !== null) {
        m.free(rv.alloc[0], rv.alloc[1], true);
        record(OP_FREE_MANAGED, rv.alloc[0], rv.alloc[1], 0);
        rv.alloc = null;
      } else {
        m.removeManaged(masks[rv.mask]!);
        reservations.splice(reservations.indexOf(rv), 1);
        record(OP_REMOVE_MANAGED, rv.mask, 0, 0);
      }
    }
  }
  if (m.warnings.length) throw new Error(`plan run warned: ${m.warnings[0]}`);
  return { ops: Int32Array.from(ops), masks, checksum };
}

/** Replay @plan on @m; returns the checksum of the results. */
function replay(m: IrqMatrix, plan: Plan): number {
  const { ops, masks } = plan;
  let checksum = 0;
  for (let i = 0; i < ops.length; i += 3) {
    const a = ops[i + 1]!;
    const b = ops[i + 2]!;
    let result = 0;
    switch (ops[i]) {
      case OP_ALLOC: {
        const r = m.alloc(masks[a]!, false);
        result = 'errno' in r ? r.errno : r.vector * 256 + r.cpu;
        break;
      }
      case OP_FREE:
        m.free(a, b, false);
        break;
      case OP_RESERVE_MANAGED:
        result = m.reserveManaged(masks[a]!);
        break;
      case OP_ALLOC_MANAGED: {
        const r = m.allocManaged(masks[a]!);
        result = 'errno' in r ? r.errno : r.vector * 256 + r.cpu;
        break;
      }
      case OP_FREE_MANAGED:
        m.free(a, b, true);
        break;
      case OP_REMOVE_MANAGED:
        m.removeManaged(masks[a]!);
        break;
    }
    checksum = (Math.imul(checksum, 31) + result) | 0;
  }
  return checksum;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/**
 * Time @run (which performs @calls calls on one of @prepare's fresh states) @perSample times
 * per sample, after a warm-up; returns the median ms of one run.
 */
function measure<S>(name: string, calls: number, prepare: () => S, run: (s: S) => void): BenchRow {
  const perSample = 20;
  const samples = 15;
  for (let i = 0; i < 30; i++) run(prepare());
  const times: number[] = [];
  for (let k = 0; k < samples; k++) {
    const states = Array.from({ length: perSample }, prepare);
    const t0 = performance.now();
    for (const s of states) run(s);
    times.push((performance.now() - t0) / perSample);
  }
  const ms = median(times);
  return { name, calls, ms, nsPerCall: (ms * 1e6) / calls };
}

export function benchMatrix(): BenchRow[] {
  const rows: BenchRow[] = [];

  const mixed = buildPlan(CALLS, 0x5eed);
  rows.push(
    measure('mixed alloc/free/managed, 64 CPUs', CALLS, x86Matrix, (m) => {
      if (replay(m, mixed) !== mixed.checksum) throw new Error('mixed replay diverged from its plan');
    }),
  );

  const all = [...Array(NR_CPUS).keys()];
  rows.push(
    measure('alloc (64-CPU mask) + free', CALLS, x86Matrix, (m) => {
      const got = new Int32Array(CALLS);
      for (let i = 0; i < CALLS / 2; i++) {
        const r = m.alloc(all, false);
        if ('errno' in r) throw new Error('alloc failed');
        got[i] = (r.cpu << 8) | r.vector;
      }
      for (let i = 0; i < CALLS / 2; i++) m.free(got[i]! >> 8, got[i]! & 255, false);
    }),
  );

  const quads = Array.from({ length: NR_CPUS / 4 }, (_, i) => all.slice(i * 4, i * 4 + 4));
  rows.push(
    measure('reserveManaged+allocManaged+free+removeManaged (4 CPUs)', CALLS, x86Matrix, (m) => {
      for (let i = 0; i < CALLS / 4; i++) {
        const mask = quads[i % quads.length]!;
        m.reserveManaged(mask);
        const r = m.allocManaged(mask);
        if ('errno' in r) throw new Error('allocManaged failed');
        m.free(r.cpu, r.vector, true);
        m.removeManaged(mask);
      }
    }),
  );

  const grid = new Uint8Array(NR_CPUS * 256);
  rows.push(
    measure('fillCellStates (64 CPUs x 256 vectors)', 100, () => {
      const m = x86Matrix();
      replay(m, mixed);
      return m;
    }, (m) => {
      for (let i = 0; i < 100; i++) m.fillCellStates(grid);
    }),
  );
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = benchMatrix();
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'benchmark'.padEnd(w)}  ${'calls'.padStart(6)}  ${'ms/run'.padStart(8)}  ${'ns/call'.padStart(8)}`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(w)}  ${String(r.calls).padStart(6)}  ${r.ms.toFixed(3).padStart(8)}  ${r.nsPerCall.toFixed(0).padStart(8)}`,
    );
  }
}
