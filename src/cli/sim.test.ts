// The command line, run as a user runs it (npx tsx src/cli/sim.ts …) in a child process.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../scenario/presets';
import { STORIES } from '../scenario/stories';
import { runScenario } from '../scenario/run';
import { procInterrupts } from '../engine/render';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sim(...args: string[]): Run {
  try {
    const stdout = execFileSync(process.execPath, [TSX, 'src/cli/sim.ts', ...args], {
      cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000,
    });
    return { code: 0, stdout, stderr: '' };
  } catch (e) {
    const err = e as { status: number | null; stdout: string; stderr: string };
    if (err.status === null) throw e;
    return { code: err.status, stdout: err.stdout, stderr: err.stderr };
  }
}

const NVME = '0000:3d:00.0';
let dir = '';
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const scenario = {
  version: 1,
  machine: { arch: 'x86', cpus: 2, remap: 'none', devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 8 } }] },
  actions: [
    { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 2, flags: ['MSIX'] },
    { op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' },
    { op: 'raise', dev: NVME, index: 0 },
    { op: 'free_irq', dev: NVME, index: 1 },
  ],
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'irqscope-sim-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run sim', () => {
  it('--list prints every preset and guided story: name, a tab, the title', () => {
    const r = sim('--list');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      ...Object.entries(PRESETS).map(([n, p]) => `${n}\t${p.title}`),
      ...STORIES.map((s) => `${s.name}\t${s.title}`),
    ]);
    expect(lines.map((l) => l.split('\t')[0])).toEqual(expect.arrayContaining(['nvme-x86-ir', 'vector-exhaustion']));
  }, 60_000);

  it('replays a guided story by name, with the /proc/interrupts the app shows for it', () => {
    const story = STORIES.find((s) => s.name === 'arm64-its')!;
    const r = sim('arm64-its', '--format', 'proc');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(procInterrupts(runScenario(story.scenario).machine));
    expect(r.stdout).toMatch(/ITS-PCI-MSIX-\S+ +1 Edge +nvme0q1/);
  }, 60_000);

  it('replays a preset: trace (default), proc and debugfs formats', () => {
    const trace = sim('nvme-x86-ir');
    expect(trace.code).toBe(0);
    expect(trace.stdout).toMatch(/^step 1: pci_alloc_irq_vectors dev=0000:3d:00\.0 min=1 max=5 flags=MSIX,AFFINITY pre_vectors=1\n {2}ok \(5\): /);
    expect(trace.stdout).toContain('step 9: raise dev=0000:3d:00.0 index=0');
    expect(trace.stdout).toMatch(/\n {4}pci_alloc_irq_vectors_affinity\(\) = 5\n/);
    expect(trace.stdout.match(/^step \d+:/gm)).toHaveLength(9);

    const proc = sim('nvme-x86-ir', '--format', 'proc', '--step', '6');
    expect(proc.code).toBe(0);
    expect(proc.stdout).toMatch(/^ +CPU0 +CPU1 +CPU2 +CPU3/);
    for (let q = 0; q <= 4; q++) expect(proc.stdout).toContain(`nvme0q${q}`);

    const dbg = sim('nvme-x86-noir', '--format=debugfs');
    expect(dbg.code).toBe(0);
    expect(dbg.stdout).toMatch(/^==> \/sys\/kernel\/debug\/irq\/domains\/VECTOR <==\nname: +VECTOR/);
    expect(dbg.stdout).toContain('Online bitmaps:');
    expect(dbg.stdout.match(/^==> \/sys\/kernel\/debug\/irq\/irqs\/\d+ <==$/gm)).toHaveLength(5);
  }, 60_000);

  it('replays a file up to --step; json prints machine.view()', () => {
    const p = file('s.json', JSON.stringify(scenario));
    const all = sim(p);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('step 2: request_irq dev=0000:3d:00.0 index=0 name=nvme0q0\n  ok (');
    // a failed kernel call is a result, not an error
    expect(all.stdout).toMatch(/step 4: free_irq dev=0000:3d:00\.0 index=1\n {2}-EINVAL: /);

    const json = sim(p, '--format', 'json', '--step', '2');
    expect(json.code).toBe(0);
    const view = JSON.parse(json.stdout);
    expect(view.cpus).toHaveLength(2);
    const irqs = view.irqs.filter((i: { msi: unknown }) => i.msi);
    expect(irqs).toHaveLength(2);
    expect(irqs[0].actions).toEqual(['nvme0q0']);
    expect(irqs[0].counts).toEqual([0, 0]);

    const zero = sim(p, '--format', 'json', '--step', '0');
    expect(JSON.parse(zero.stdout).irqs.filter((i: { msi: unknown }) => i.msi)).toEqual([]);
  }, 60_000);

  it('fails with exit code 1 and a clear message on a missing file, invalid JSON, schema errors', () => {
    const missing = sim(join(dir, 'nope.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.json: no such file/);

    const badJson = sim(file('bad.json', '{"version": 1, "machine": '));
    expect(badJson.code).toBe(1);
    expect(badJson.stderr).toMatch(/bad\.json: invalid scenario:\n {2}not valid JSON/);

    const wrong = structuredClone(scenario) as { actions: Record<string, unknown>[] };
    wrong.actions[3].index = 'one';
    const schema = sim(file('schema.json', JSON.stringify(wrong)));
    expect(schema.code).toBe(1);
    expect(schema.stderr).toContain('actions[3].index: expected a number, got the string "one"');

    const newer = sim(file('newer.json', JSON.stringify({ ...scenario, version: 2 })));
    expect(newer.code).toBe(1);
    expect(newer.stderr).toMatch(/made by a newer irqscope/);

  }, 60_000);

  it('fails with exit code 1 on an unknown preset, a bad --step or --format, no argument', () => {
    const preset = sim('nvme-x86-irr');
    expect(preset.code).toBe(1);
    expect(preset.stderr).toMatch(/unknown preset "nvme-x86-irr".*--list/);

    for (const step of ['-1', '1.5', '99']) {
      const r = sim('nvme-x86-ir', '--step', step);
      expect(r.code, `--step ${step}`).toBe(1);
      expect(r.stderr).toMatch(/bad --step/);
      expect(r.stdout).toBe('');
    }

    const format = sim('nvme-x86-ir', '--format', 'html');
    expect(format.code).toBe(1);
    expect(format.stderr).toMatch(/bad --format "html"/);

    const none = sim();
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/usage:/);
  }, 60_000);
});
