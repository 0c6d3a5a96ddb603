// `sim diff`: the engine's diff on the command line, through sim's own argument handling.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './sim';
import { PRESETS } from '../scenario/presets';
import { runScenario } from '../scenario/run';
import { captureState } from '../engine/diff';

/** The NVMe admin queue (nvme0q0) of a preset after `k` steps, and its IRTE when it has one. */
function adminQueue(preset: string, k: number) {
  const m = runScenario(PRESETS[preset].scenario, { upTo: k, trace: false }).machine;
  const irq = m.view().irqs.find((i) => i.actions.includes('nvme0q0'))!;
  return { irq, irte: captureState(m).irtes.find((e) => e.virq === irq.virq) };
}

function sim(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('sim diff', () => {
  it('one scenario: the last step against the one before (the interrupt on CPU3 frees the old vector)', () => {
    const r = sim('diff', 'nvme-x86-ir', '--omit', 'debugfs');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^--- nvme-x86-ir step 8 \(kernel 7\.2\)\n\+\+\+ nvme-x86-ir step 9 \(kernel 7\.2\)\n/);
    // The admin queue's vector from before the affinity write, freed once it fired on CPU3.
    const { irq } = adminQueue('nvme-x86-ir', 7);
    expect(r.out).toContain(`  - CPU${irq.cpu} vector 0x${irq.vector.toString(16)} (removed)`);
    expect(r.out).toContain('      count CPU3: 0 → 1');
  });

  it('--from/--to: the affinity write rewrites one IRTE and leaves the MSI-X table alone', () => {
    const r = sim('diff', 'nvme-x86-ir', '--from', '7', '--to', '8', '--omit', 'debugfs');
    expect(r.code).toBe(0);
    const { irte } = adminQueue('nvme-x86-ir', 7);
    expect(r.out).toContain(`remapping table (IRTEs) (1)\n  ~ IRTE ${irte!.index} (dmar0)\n      destination APIC ID: ${irte!.dest} → 3\n`);
    expect(r.out).not.toContain('MSI-X table');
  });

  it('two files at --step; json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irqscope-diff-'));
    const a = join(dir, 'ir.json');
    const b = join(dir, 'noir.json');
    writeFileSync(a, JSON.stringify(PRESETS['nvme-x86-ir'].scenario));
    writeFileSync(b, JSON.stringify(PRESETS['nvme-x86-noir'].scenario));
    const r = sim('diff', a, b, '--step', '8', '--format', 'json');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out);
    expect(d.a.label).toBe('ir.json step 8');
    expect(d.changes.filter((c: { kind: string; op: string }) => c.kind === 'irte').every((c: { op: string }) => c.op === 'removed')).toBe(true);
    // Without remapping the write to the admin queue's irq is still pending at step 8.
    const irq = d.changes.find((c: { id: string }) => c.id === `irq:${adminQueue('nvme-x86-noir', 8).irq.virq}`);
    expect(irq.fields.find((f: { field: string }) => f.field === 'state bits').after).toContain('IRQD_SETAFFINITY_PENDING');
  });

  it('--kernel pairs one scenario on two kernel profiles', () => {
    const r = sim('diff', 'nvme-x86-ir', '--kernel', '6.1,7.2', '--step', '0', '--omit', 'debugfs,proc');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--- nvme-x86-ir step 0 on 6\.1 \(kernel 6\.1\)/);
  });

  it('bad input is one sentence and exit 1', () => {
    expect(sim('diff').err).toMatch(/sim diff: which scenarios\?/);
    expect(sim('diff', 'nvme-x86-ir', '--kernel', '6.2,7.2').err).toMatch(/bad --kernel "6\.2,7\.2"/);
    expect(sim('diff', 'nvme-x86-ir', '--to', '99').err).toMatch(/bad --to 99: the scenario has 9 actions/);
    expect(sim('diff', 'no-such-thing').err).toMatch(/sim diff: unknown preset "no-such-thing"/);
    expect(sim('diff', 'nvme-x86-ir', 'nvme-x86-noir', '--kernel', '6.1,7.2').code).toBe(1);
  });
});
