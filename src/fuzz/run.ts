// The hostile-input fuzz suite: random validated scenarios through the engine, mutated links
// through the link decoder, mutated saved work through the store reader, mutated files through
// the command line. Every finding is a reproducer (a seed and the input), never a vague count.
//
// What counts:
//  - crash: an exception anywhere (engine, decoder, validator, command line)
//  - hang: one action, load or decode taking more than HANG_MS
//  - refusal that changed state: a failed action whose machine snapshot differs afterwards,
//    or a refusal without a negative errno
//  - lost work: saved work that a reader refused and that is no longer kept anywhere

import { createMachine } from '../engine/machine';
import { errnoName } from '../engine/core/errno';
import { decodeLink, encodeLink } from '../scenario/url';
import { parseScenario, validateScenario } from '../scenario/validate';
import type { Scenario } from '../scenario/types';
import { Rng, mutateText, scenario as randomScenario } from './gen';

export const HANG_MS = 5000;

export interface Finding {
  kind: 'crash' | 'hang' | 'refusal-changed-state' | 'refusal-without-errno' | 'lost-work';
  seed: number;
  what: string;
  input?: unknown;
}

export interface FuzzStats {
  scenarios: number;
  actions: number;
  refusals: number;
  links: number;
  saved: number;
  cli: number;
  maxMs: number;
  maxWhat: string;
  findings: Finding[];
}

export function emptyStats(): FuzzStats {
  return { scenarios: 0, actions: 0, refusals: 0, links: 0, saved: 0, cli: 0, maxMs: 0, maxWhat: '', findings: [] };
}

function timed<T>(st: FuzzStats, what: string, seed: number, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  if (ms > st.maxMs) {
    st.maxMs = ms;
    st.maxWhat = what;
  }
  if (ms > HANG_MS) st.findings.push({ kind: 'hang', seed, what: `${what} took ${Math.round(ms)} ms` });
  return out;
}

/** `n` random scenarios from `seed`: every action applied, every refusal checked for changes. */
export function fuzzScenarios(st: FuzzStats, seed: number, n: number, opts: { maxActions?: number; maxCpus?: number } = {}): void {
  for (let i = 0; i < n; i++) {
    const s = seed + i;
    const r = new Rng(s);
    const sc = randomScenario(r, opts);
    // Only what the schema lets in reaches the engine (the app, the links and the CLI check first).
    const v = validateScenario(sc);
    if (!v.ok) continue;
    st.scenarios++;
    let m;
    try {
      m = timed(st, `boot of scenario seed ${s}`, s, () => createMachine(v.scenario.machine, { trace: r.chance(0.5) }));
    } catch (e) {
      st.findings.push({ kind: 'crash', seed: s, what: `createMachine: ${String(e)}`, input: v.scenario.machine });
      continue;
    }
    for (let j = 0; j < v.scenario.actions.length; j++) {
      const a = v.scenario.actions[j];
      st.actions++;
      const before = m.snapshot();
      let res;
      try {
        res = timed(st, `${a.op} (scenario seed ${s}, step ${j + 1})`, s, () => m.apply(a));
      } catch (e) {
        st.findings.push({ kind: 'crash', seed: s, what: `step ${j + 1} ${a.op}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`, input: { ...v.scenario, actions: v.scenario.actions.slice(0, j + 1) } });
        break;
      }
      if (res.ok) continue;
      st.refusals++;
      if (res.errno === undefined || res.errno >= 0 || !/^-E[A-Z]+$/.test(errnoName(res.errno))) {
        st.findings.push({ kind: 'refusal-without-errno', seed: s, what: `step ${j + 1} ${a.op}: errno ${res.errno}`, input: a });
      }
      if (m.snapshot() !== before) {
        st.findings.push({
          kind: 'refusal-changed-state', seed: s, what: `step ${j + 1} ${a.op} refused (${res.message}) but changed the state`,
          input: { ...v.scenario, actions: v.scenario.actions.slice(0, j + 1) },
        });
      }
    }
  }
}

/** Mutated `#s1/…` and `#story/…` links: the decoder never throws; what it accepts is valid. */
export function fuzzLinks(st: FuzzStats, seed: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const s = seed + i;
    const r = new Rng(s);
    const base = r.chance(0.85)
      ? encodeLink({ scenario: randomScenario(r, { maxActions: 10 }), step: r.int(0, 12) })
      : r.pick(['#story/msix-basics', '#story/vector-exhaustion@3', '#s1/', '#s0/N4Ig', '#s99/abc']);
    const link = mutateText(r, base);
    st.links++;
    try {
      const d = timed(st, `decodeLink (seed ${s})`, s, () => decodeLink(link));
      if (d.ok && d.state) {
        const again = validateScenario({ ...d.state.scenario });
        if (!again.ok) st.findings.push({ kind: 'crash', seed: s, what: `decodeLink accepted a scenario the schema refuses: ${again.error}`, input: link });
        if (d.state.step < 0 || d.state.step > d.state.scenario.actions.length) st.findings.push({ kind: 'crash', seed: s, what: `decodeLink gave step ${d.state.step}`, input: link });
      } else if (!d.ok && (typeof d.error !== 'string' || !d.error)) {
        st.findings.push({ kind: 'crash', seed: s, what: 'decodeLink refused without saying why', input: link });
      }
    } catch (e) {
      st.findings.push({ kind: 'crash', seed: s, what: `decodeLink threw: ${String(e)}`, input: link });
    }
  }
}

/** Mutated scenario files through the parser: never throws, refusals say what. */
export function fuzzFiles(st: FuzzStats, seed: number, n: number): Scenario[] {
  const accepted: Scenario[] = [];
  for (let i = 0; i < n; i++) {
    const s = seed + i;
    const r = new Rng(s);
    const text = mutateText(r, JSON.stringify(randomScenario(r, { maxActions: 8 }), null, r.chance(0.5) ? 2 : 0));
    st.cli++;
    try {
      const p = parseScenario(text);
      if (p.ok) accepted.push(p.scenario);
      else if (!p.error) st.findings.push({ kind: 'crash', seed: s, what: 'parseScenario refused without saying why', input: text });
    } catch (e) {
      st.findings.push({ kind: 'crash', seed: s, what: `parseScenario threw: ${String(e)}`, input: text });
    }
  }
  return accepted;
}

/** A Map-backed localStorage for Node. */
export function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    key: (i: number) => [...data.keys()][i] ?? null,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, String(v)),
    removeItem: (k: string) => void data.delete(k),
    clear: () => data.clear(),
  };
}

/**
 * Mutated saved work (scenario and position) through the reader: it never throws; what it
 * restores is valid; what it refuses is set aside (never lost), also after the next save.
 */
export async function fuzzSaved(st: FuzzStats, seed: number, n: number): Promise<void> {
  const g = globalThis as { localStorage?: Storage };
  const had = g.localStorage;
  g.localStorage = memoryStorage();
  const persist = await import('../ui/share/persist');
  try {
    for (let i = 0; i < n; i++) {
      const s = seed + i;
      const r = new Rng(s);
      g.localStorage.clear();
      persist.saveWork(null);
      const sc = randomScenario(r, { maxActions: 6 });
      const work = r.chance(0.2) ? r.pick(['', 'null', '[]', '{}', '"x"', '1e308']) : mutateText(r, JSON.stringify(sc));
      const pos = r.chance(0.3) ? r.pick(['null', '[]', '1', '{"step":"1"}', '{"step":-3}', '{"sel":"irq:x"}']) : mutateText(r, JSON.stringify({ v: 1, step: r.int(0, 8), sel: 'irq:24', story: null, presetId: null }));
      g.localStorage.setItem('irqscope.work', work);
      g.localStorage.setItem('irqscope.pos', pos);
      st.saved++;
      try {
        const got = persist.loadWork();
        if (got.ok && got.work) {
          const v = validateScenario(got.work.scenario);
          if (!v.ok) st.findings.push({ kind: 'crash', seed: s, what: `restored a scenario the schema refuses: ${v.error}`, input: work });
          if (got.work.step < 0 || got.work.step > got.work.scenario.actions.length) st.findings.push({ kind: 'crash', seed: s, what: `restored step ${got.work.step}`, input: pos });
        } else if (!got.ok) {
          // Refused: the text must survive the next save (the user picks a machine).
          persist.saveWork({ scenario: sc, step: 0, selection: null, story: null, presetId: null } as never);
          if (persist.damagedWork() !== work) st.findings.push({ kind: 'lost-work', seed: s, what: `refused saved work (${got.error.split('\n')[0]}) is lost after the next save`, input: work });
        }
      } catch (e) {
        st.findings.push({ kind: 'crash', seed: s, what: `loadWork threw: ${String(e)}`, input: { work, pos } });
      }
    }
  } finally {
    if (had) g.localStorage = had;
    else delete g.localStorage;
  }
}

export function summary(st: FuzzStats): string {
  const by = (k: Finding['kind']) => st.findings.filter((f) => f.kind === k).length;
  return [
    `${st.scenarios} scenarios, ${st.actions} actions (${st.refusals} refusals), ${st.links} links, ${st.saved} saved states, ${st.cli} files`,
    `crashes ${by('crash')}, hangs ${by('hang')}, refusals that changed state ${by('refusal-changed-state')}, refusals without errno ${by('refusal-without-errno')}, lost work ${by('lost-work')}`,
    `slowest: ${Math.round(st.maxMs)} ms (${st.maxWhat})`,
  ].join('\n');
}
