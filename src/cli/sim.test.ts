// The command line, run as a user runs it (npx tsx src/cli/sim.ts …) in a child process.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../scenario/presets';
import { STORIES } from '../scenario/stories';
import { ROADS_GROUP } from '../scenario/roads';
import { runScenario } from '../scenario/run';
import { procInterrupts } from '../engine/render';
import { runCli, TRACED_TAIL } from './sim';

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
    // A name that is both a preset and a story lists the story as story:NAME.
    const both = (n: string) => Object.hasOwn(PRESETS, n) && STORIES.some((s) => s.name === n);
    expect(lines).toEqual([
      ...Object.entries(PRESETS).map(([n, p]) => `${n}\t${p.title}${both(n) ? ` (also a story: story:${n})` : ''}`),
      ...STORIES.filter((s) => s.group !== ROADS_GROUP).map((s) => `${both(s.name) ? `story:${s.name}` : s.name}\t${s.title}`),
      '# roads not taken',
      ...STORIES.filter((s) => s.group === ROADS_GROUP).map((s) => `${both(s.name) ? `story:${s.name}` : s.name}\t${s.title}`),
    ]);
    expect(lines.slice(lines.indexOf('# roads not taken') + 1).map((l) => l.split('\t')[0])).toEqual(expect.arrayContaining(['dev-msi-2020', 'cxl-first-attempt']));
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
    expect(trace.stdout).toMatch(/^step 1: pci_alloc_irq_vectors dev=0000:3d:00\.0 min=1 max=5 flags=MSIX,AFFINITY pre_vectors=1\n {2}pci_alloc_irq_vectors\(\) = 5: /);
    expect(trace.stdout).toContain('step 9: raise dev=0000:3d:00.0 index=0');
    expect(trace.stdout).toMatch(/\n {4}pci_alloc_irq_vectors_affinity\(\) = 5\n/);
    expect(trace.stdout.match(/^step \d+:/gm)).toHaveLength(9);

    const proc = sim('nvme-x86-ir', '--format', 'proc', '--step', '6');
    expect(proc.code).toBe(0);
    expect(proc.stdout).toMatch(/^ +CPU0 +CPU1 +CPU2 +CPU3/);
    for (let q = 0; q <= 4; q++) expect(proc.stdout).toContain(`nvme0q${q}`);

    const dbg = sim('nvme-x86-noir', '--format=debugfs');
    expect(dbg.code).toBe(0);
    // Every domain file, then every irq file — the IO-APIC's and the NVMe's alike.
    expect(dbg.stdout).toMatch(/^==> \/sys\/kernel\/debug\/irq\/domains\/VECTOR <==\nname: +VECTOR/m);
    expect(dbg.stdout).toContain('Online bitmaps:');
    const irqFiles = (dbg.stdout.match(/^==> \/sys\/kernel\/debug\/irq\/irqs\/(\d+) <==$/gm) ?? []).map((l) => Number(/(\d+) <==/.exec(l)![1]));
    expect(irqFiles).toContain(0);
    const noirProc = sim('nvme-x86-noir', '--format', 'proc');
    const nvmeIrqs = [...noirProc.stdout.matchAll(/^ *(\d+):.*nvme0q\d+$/gm)].map((x) => Number(x[1]));
    expect(nvmeIrqs).toHaveLength(5);
    for (const irq of nvmeIrqs) expect(irqFiles).toContain(irq);
    const one = sim('nvme-x86-noir', '--format=debugfs', '--irq', String(nvmeIrqs[0]));
    expect(one.stdout.match(/^==> /gm)).toHaveLength(1);
  }, 60_000);

  it('replays a file up to --step; json prints machine.view()', () => {
    const p = file('s.json', JSON.stringify(scenario));
    const all = sim(p);
    expect(all.code).toBe(0);
    // request_irq() returns 0 (kernel/irq/manage.c: "return retval" of __setup_irq()); the virq apart.
    expect(all.stdout).toMatch(/step 2: request_irq dev=0000:3d:00\.0 index=0 name=nvme0q0\n {2}request_irq\(\) = 0, virq (\d+): irq \1 requested as "nvme0q0"\n/);
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

/** The command line in this process (no child): exit code and what it printed. */
function simHere(...args: string[]): Run {
  let stdout = '';
  let stderr = '';
  const code = runCli(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe('npm run sim: hostile and odd input', () => {
  it('says what a directory, a device or a FIFO is instead of "no such file", and never reads a FIFO', () => {
    const d = join(dir, 'adir.json');
    execFileSync('mkdir', ['-p', d]);
    expect(simHere(d)).toMatchObject({ code: 1, stderr: expect.stringMatching(/adir\.json: a directory, not a scenario file/) });
    expect(simHere('/dev/null')).toMatchObject({ code: 1, stderr: expect.stringMatching(/\/dev\/null: a character device/) });
    const fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    // Nobody writes to it: reading would block for ever.
    expect(simHere(fifo)).toMatchObject({ code: 1, stderr: expect.stringMatching(/pipe\.json: a FIFO/) });
    expect(simHere(join(dir, 'none.json'))).toMatchObject({ code: 1, stderr: expect.stringMatching(/none\.json: no such file/) });
  });

  it('one message for a number far out of range (cpus: 1e308), not two that contradict', () => {
    const p = file('huge.json', JSON.stringify({ ...scenario, machine: { ...scenario.machine, cpus: 1e308 } }));
    const r = simHere(p);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/machine\.cpus/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/machine\.cpus: must be ≤ \d+, got 1e\+308/);
  });

  it('honours the file\'s own "step" as the app does; --step overrides it; a step past the end is refused', () => {
    const p = file('step.json', JSON.stringify({ ...scenario, step: 2 }));
    const r = simHere(p);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^step \d+:/gm)).toEqual(['step 1:', 'step 2:']);
    expect(simHere(p, '--step', '4').stdout.match(/^step \d+:/gm)).toHaveLength(4);
    const past = simHere(file('past.json', JSON.stringify({ ...scenario, step: 9 })));
    expect(past).toMatchObject({ code: 1, stderr: expect.stringMatching(/"step": 9 is beyond the end: the scenario has 4 steps/) });
  });

  it('a name that is a preset and a story runs the preset and says so; story:NAME runs the story', () => {
    const name = Object.keys(PRESETS).find((n) => STORIES.some((s) => s.name === n))!;
    expect(name).toBeDefined();
    const preset = simHere(name, '--format', 'proc');
    expect(preset.code).toBe(0);
    expect(preset.stderr).toContain(`"${name}" is a preset and a guided story; this runs the preset (story:${name} runs the story)`);
    expect(preset.stdout).toBe(procInterrupts(runScenario(PRESETS[name].scenario).machine));
    const story = simHere(`story:${name}`, '--format', 'proc');
    expect(story).toMatchObject({ code: 0, stderr: '' });
    expect(story.stdout).toBe(procInterrupts(runScenario(STORIES.find((s) => s.name === name)!.scenario).machine));
    expect(simHere('preset:nosuch')).toMatchObject({ code: 1, stderr: expect.stringMatching(/no preset named "nosuch"/) });
  });

  it('refuses names with control characters or bidi overrides (a fake "step 9:" line, a second "Link:" line)', () => {
    for (const [name, bad] of [['CR/LF', 'q0\r\nstep 9: raise dev=x'], ['escape', 'q0\u001b[2K\u001b[1Gstep 9'], ['U+202E', 'q0\u202e9 pets']]) {
      const spoof = structuredClone(scenario) as { actions: Record<string, unknown>[] };
      spoof.actions[1].name = bad;
      const r = simHere(file(`spoof-${name.replace(/\W/g, '')}.json`, JSON.stringify(spoof)));
      expect(r.code, name).toBe(1);
      expect(r.stderr).toContain('actions[1].name: must not contain control characters, line breaks or bidirectional overrides');
      expect(r.stderr).not.toMatch(/[\r\u001b\u202e]/);
      expect(r.stdout).toBe('');
    }
  });

  it('keeps the default output of a long scenario bounded: call traces of the last steps only', () => {
    const idxd = '0000:6a:01.0';
    const pairs = 40;
    const big = {
      version: 1,
      machine: { arch: 'x86', cpus: 4, remap: 'intel-ir', devices: [{ bdf: idxd, name: 'idxd', msix: { tableSize: 256 } }] },
      actions: Array.from({ length: pairs }, () => [{ op: 'driver_bind', dev: idxd, driver: 'idxd' }, { op: 'driver_unbind', dev: idxd }]).flat(),
    };
    const p = file('big.json', JSON.stringify(big));
    const r = simHere(p);
    expect(r.code).toBe(0);
    const n = 2 * pairs;
    expect(r.stdout).toContain(`(call traces of steps 1–${n - TRACED_TAIL} left out: ${n} steps; --all-traces prints them)`);
    expect(r.stdout.match(/^step \d+:/gm)).toHaveLength(n);
    // Step 1 (a bind, untraced) is two lines; the last bind carries its trace.
    expect(r.stdout).toMatch(/^step 1: driver_bind dev=0000:6a:01\.0 driver=idxd\n {2}driver_bind\(\) = 0: [^\n]*\nstep 2:/m);
    const all = simHere(p, '--all-traces');
    expect(all.stdout.length).toBeGreaterThan(r.stdout.length * 1.5);
  }, 60_000);
});
