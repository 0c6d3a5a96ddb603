// `npm run sim -- import`: the JSON fields by their documented names, --format proc, bad input.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../scenario/validate';
import { runCli } from './sim';

const SAMPLE = new URL('../import/samples/x86-4.x-ir-pci-msi-nvme.txt', import.meta.url).pathname;
const AMD = new URL('../import/samples/x86-6.x-ir-pci-msix-amd.txt', import.meta.url).pathname;

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('sim import --format json', () => {
  it('names the fields as documented; irqs hold the numbered rows only', () => {
    const r = run(['import', SAMPLE, '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.cpus).toBe(4);
    expect(j.layout).toBe('4.x-6.1');
    // " 126:          0          0          0         24  IR-PCI-MSI 31457280-edge      nvme0q0"
    expect(j.irqs.find((i: { irq: number }) => i.irq === 126)).toMatchObject({
      irq: 126, chip: 'IR-PCI-MSI', hwirq: 31457280, trigger: 'edge', actions: ['nvme0q0'], counts: [0, 0, 0, 24], bdf: '0000:3c:00.0', index: 0,
    });
    expect(j.irqs.some((i: { irq: unknown }) => typeof i.irq !== 'number')).toBe(false);
    expect(j.devices.find((d: { bdf: string }) => d.bdf === '0000:3c:00.0')).toMatchObject({ vectors: 5, kind: 'unknown' });
    expect(j.unknown).toContain('vectors: no debugfs in the input');
    expect(j.archRows.map((a: { label: string }) => a.label)).toContain('LOC');
  });

  it('a per-device layout says MSI-X and the vector count (the issue\'s example shape)', () => {
    const j = JSON.parse(run(['import', AMD, '-f', 'json']).out);
    expect(j.layout).toBe('6.2-6.12');
    expect(j.devices.find((d: { bdf: string }) => d.bdf === '0000:02:00.0')).toMatchObject({ bdf: '0000:02:00.0', vectors: 17, kind: 'msix' });
    expect(j.irqs.find((i: { irq: number }) => i.irq === 51)).toMatchObject({ chip: 'IR-PCI-MSIX-0000:02:00.0', hwirq: 0, trigger: 'edge', actions: ['nvme0q0'], bdf: '0000:02:00.0', index: 0 });
  });
});

describe('sim import --format proc', () => {
  it('re-prints a 6.x/7.x capture\'s rows identical to the input', () => {
    const root = new URL('../../conformance/fixtures/', import.meta.url).pathname;
    const found: string[] = [];
    for (const k of existsSync(root) ? readdirSync(root) : []) {
      for (const a of readdirSync(join(root, k))) for (const n of readdirSync(join(root, k, a))) {
        const f = join(root, k, a, n, 'capture.txt');
        if (existsSync(f)) found.push(f);
      }
    }
    expect(found.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'irqscope-import-'));
    for (const f of found.slice(0, 6)) {
      const text = readFileSync(f, 'utf8');
      const proc = text.split('@@ file /proc/interrupts\n')[1].split(/\n@@ /)[0] + '\n';
      const p = join(dir, 'interrupts');
      writeFileSync(p, proc);
      const r = run(['import', p, '--format', 'proc']);
      expect(r.code, f).toBe(0);
      expect(r.out, f).toBe(proc);
    }
  });
});

describe('sim import --format scenario', () => {
  it('prints a valid scenario and says what it reconstructed', () => {
    const r = run(['import', AMD, '--format', 'scenario']);
    expect(r.code).toBe(0);
    const v = validateScenario(JSON.parse(r.out));
    expect(v.ok).toBe(true);
    expect(r.err).toMatch(/reconstructed: kernel profile 6\.12: from the 6\.2-6\.12 layout/);
  });
});

describe('sim import: bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'irqscope-import-bad-'));
  it('no such file', () => {
    const r = run(['import', join(dir, 'nope.txt')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no such file/);
  });
  it('a binary file is refused', () => {
    const p = join(dir, 'bin');
    writeFileSync(p, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3]));
    const r = run(['import', p]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/binary/);
  });
  it('text that is no /proc/interrupts names the line and what was expected', () => {
    const p = join(dir, 'junk.txt');
    writeFileSync(p, '\nhello world\n');
    const r = run(['import', p]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 2: "hello world" — expected the CPU header/);
  });
  it('a partial import lists the lines it skipped', () => {
    const p = join(dir, 'partial.txt');
    writeFileSync(p, '           CPU0       CPU1\n  0:         46          0   IO-APIC    2-edge      timer\n  9: garbage here\n');
    const r = run(['import', p, '--format', 'summary']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/partial\.txt:3: skipped: expected 2 counts/);
    expect(r.out).toMatch(/Skipped lines \(1\)/);
  });
  it('bad --format', () => {
    expect(run(['import', SAMPLE, '--format', 'xml']).err).toMatch(/bad --format "xml"/);
  });
});

describe('npm run sim -- import (the real command)', () => {
  it('runs through the npm script', () => {
    const out = execFileSync('npx', ['tsx', 'src/cli/sim.ts', 'import', SAMPLE, '--format', 'summary'], { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname });
    expect(out).toMatch(/^x86, 4 CPUs, layout 4\.x-6\.1/);
    const bad = spawnSync('npx', ['tsx', 'src/cli/sim.ts', 'import'], { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/which file\?/);
  });
});
