// The conformance comparison (vitest, offline): every committed fixture's scenario replayed in
// the engine with its kernel profile, compared with what that kernel printed. The ratchet in
// baseline.json may only grow: a match it records must still be seen.

import { describe, expect, it } from 'vitest';
import {
  BASELINE_PATH, compareFixture, fixtureDirs, improvements, maskCounts, matchedColumns, parseCapture, readBaseline, regressions,
} from './compare';

describe('capture format and count masking', () => {
  it('masks counts whatever their value, keeping the layout: 6.12 and 7.2 rows as the kernels print them', () => {
    // Rows of the same width with different counts mask to the same text.
    const a = maskCounts('           CPU0       CPU1\n  25:        123          0  IR-PCI-MSIX-0000:00:02.0    0-edge      nvme0q0\n');
    const b = maskCounts('           CPU0       CPU1\n  25:          7       4096  IR-PCI-MSIX-0000:00:02.0    0-edge      nvme0q0\n');
    expect(a).toEqual(b);
    // A different chip spacing does not.
    const c = maskCounts('           CPU0       CPU1\n  25:          7       4096 IR-PCI-MSIX-0000:00:02.0    0-edge      nvme0q0\n');
    expect(c[1]).not.toBe(b[1]);
  });

  it('reads steps, results and files', () => {
    const cap = parseCapture('# irqscope capture 1\n# kernel 7.2.13-amd64\n@@ step 0 boot\n@@ file /proc/interrupts\n  CPU0\n@@ step 1 cpu_down cpu=1\n@@ result 1 sh: write error: Input/output error\n@@ file msi_irqs\n@@ end\n');
    expect(cap.header.get('kernel')).toBe('7.2.13-amd64');
    expect(cap.steps.map((s) => [s.step, s.what, s.result])).toEqual([[0, 'boot', null], [1, 'cpu_down cpu=1', '1 sh: write error: Input/output error']]);
    expect(cap.steps[0].files.get('/proc/interrupts')).toBe('  CPU0\n');
    expect(cap.steps[1].files.get('msi_irqs')).toBe('');
  });
});

describe('real kernels as the oracle (conformance/fixtures)', () => {
  const dirs = fixtureDirs();
  const results = dirs.map(compareFixture);
  const run = matchedColumns(results);
  const baseline = readBaseline();

  it('has fixtures to compare against', () => {
    expect(dirs.length).toBeGreaterThan(0);
  });

  it(`keeps every match recorded in ${BASELINE_PATH.split('/').slice(-2).join('/')} (the ratchet only grows)`, () => {
    const lost = regressions(baseline, run);
    const gained = improvements(baseline, run);
    if (gained.length) console.log(`conformance: ${gained.length} new matches; record them with npm run conformance:report -- --update-baseline`);
    expect(lost, 'matches the baseline records but this run does not see').toEqual([]);
  });

  it('every fixture replays in the engine (its scenario validates and no step throws)', () => {
    const broken = results.filter((r) => r.error).map((r) => `${r.name}: ${r.error}`);
    const known = new Set(Object.keys(baseline).map((k) => k.split('@')[0]));
    // A fixture the baseline already covers must keep replaying.
    expect(broken.filter((b) => known.has(b.split(':')[0]))).toEqual([]);
  });
});

describe('npm run sim prints what the kernel printed', () => {
  it('--kernel picks the profile: the 6.12 fixture replayed with --kernel 6.12 gives its boot /proc/interrupts, with --kernel 7.2 another layout', async () => {
    const { runCli } = await import('../src/cli/sim');
    const dir = fixtureDirs().find((d) => d.endsWith('6.12/x86/q35-ir-4cpu'));
    if (!dir) throw new Error('fixture 6.12/x86/q35-ir-4cpu is missing');
    const sim = (kernel: string) => {
      let out = '';
      const rc = runCli([`${dir}/scenario.json`, '--step', '0', '--format', 'proc', '--kernel', kernel], { out: (s) => (out += s), err: () => {} });
      expect(rc).toBe(0);
      return out;
    };
    const { readFileSync } = await import('node:fs');
    const kernelText = parseCapture(readFileSync(`${dir}/capture.txt`, 'utf8')).steps[0].files.get('/proc/interrupts')!;
    expect(maskCounts(sim('6.12'))).toEqual(maskCounts(kernelText));
    expect(maskCounts(sim('7.2'))).not.toEqual(maskCounts(kernelText));
  });
});
