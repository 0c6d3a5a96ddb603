// Every capture of the real-kernel harness (conformance/fixtures/<kernel>/<arch>/<name>/capture.txt)
// is import test data. The import of a step's /proc/interrupts, on its own, must agree with the same
// step's other files (msi_irqs, smp_affinity_list, effective_affinity_list), read here by plain
// string handling, and with the scenario.json that produced the capture.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../scenario/run';
import { importText, type ImportedMachine } from './index';
import { importedProc } from './render';
import { scenarioFromImport } from './scenario';

const ROOT = new URL('../../conformance/fixtures/', import.meta.url).pathname;

function captures(): string[] {
  if (!existsSync(ROOT)) return [];
  const out: string[] = [];
  for (const k of readdirSync(ROOT)) for (const a of safeDir(join(ROOT, k))) for (const n of safeDir(join(ROOT, k, a))) {
    const f = join(ROOT, k, a, n, 'capture.txt');
    if (existsSync(f)) out.push(f);
  }
  return out.sort();
}
function safeDir(p: string): string[] {
  try {
    return readdirSync(p);
  } catch {
    return [];
  }
}

interface Step {
  label: string;
  files: Map<string, string>;
}
/** The capture's steps and their files, by the "@@ step" / "@@ file" markers (no parser involved). */
function steps(text: string): Step[] {
  const out: Step[] = [];
  let cur: Step | null = null;
  let file: string | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('@@ step ')) {
      cur = { label: line.slice(8), files: new Map() };
      out.push(cur);
      file = null;
    } else if (line.startsWith('@@ file ') && cur) {
      file = line.slice(8);
      cur.files.set(file, '');
    } else if (line.startsWith('@@ ')) {
      file = null;
    } else if (cur && file !== null) {
      cur.files.set(file, cur.files.get(file)! + line + '\n');
    }
  }
  return out;
}
/** "<path>:<value>" lines → value by irq number. */
function perIrq(text: string | undefined, file: string): Map<number, string> {
  const m = new Map<number, string>();
  for (const l of (text ?? '').split('\n')) {
    const r = new RegExp(`^/proc/irq/(\\d+)/${file}:(.*)$`).exec(l);
    if (r) m.set(Number(r[1]), r[2]);
  }
  return m;
}
function cpuList(s: string): number[] {
  if (!s.trim()) return [];
  return s.split(',').flatMap((p) => {
    const [a, b] = p.split('-').map(Number);
    return Array.from({ length: (b ?? a) - a + 1 }, (_, i) => a + i);
  });
}
function bare(procText: string): ImportedMachine {
  const r = importText(procText);
  if (!r.ok) throw new Error(r.error);
  return r.machine;
}

const all = captures();

describe('conformance captures as import data', () => {
  it('the harness has committed captures', () => {
    expect(all.length).toBeGreaterThan(0);
  });

  for (const file of all) {
    const name = file.slice(ROOT.length).replace(/\/capture\.txt$/, '');
    const text = readFileSync(file, 'utf8');
    const kernel = /^# kernel (\S+)/m.exec(text)?.[1] ?? '';
    const scenario = JSON.parse(readFileSync(file.replace(/capture\.txt$/, 'scenario.json'), 'utf8'));
    const st = steps(text);

    describe(name, () => {
      st.forEach((s, k) => {
        const procText = s.files.get('/proc/interrupts');
        if (!procText) return;
        it(`step ${s.label}: CPUs, devices and MSI-X vectors agree with msi_irqs`, () => {
          const m = bare(procText);
          const header = procText.split('\n')[0].trim().split(/\s+/);
          expect(m.cpus).toBe(header.length);
          expect(m.cpuIds).toEqual(header.map((h) => Number(h.slice(3))));
          const rows = new Set(procText.split('\n').map((l) => /^\s*(\d+):/.exec(l)?.[1]).filter(Boolean).map(Number));
          const msi = [...(s.files.get('msi_irqs') ?? '').matchAll(/^\/sys\/bus\/pci\/devices\/([^/]+)\/msi_irqs\/(\d+):(\w+)$/gm)];
          const shown = msi.filter((x) => rows.has(Number(x[2])));
          // Up to 6.1 the global domain's hwirq names the function but not MSI vs MSI-X: null, never a guess.
          const kindShown = m.layout !== '4.x-6.1';
          for (const [, bdf, irq, mode] of shown) {
            expect(m.irqs.find((i) => i.irq === Number(irq)), `irq ${irq}`).toMatchObject({ bdf, msiKind: kindShown ? mode : null });
          }
          expect(m.devices.map((d) => d.bdf).sort()).toEqual([...new Set(shown.map((x) => x[1]))].sort());
          for (const d of m.devices) expect(d.vectors).toBe(shown.filter((x) => x[1] === d.bdf).length);
        });
        if (/^[67]\./.test(kernel)) {
          it(`step ${s.label}: --format proc prints the kernel's own text`, () => {
            expect(importedProc(bare(procText))).toBe(procText);
          });
        }
        it(`step ${s.label}: affinity files agree with the rows, and merge into them`, () => {
          const aff = perIrq(s.files.get('smp_affinity_list'), 'smp_affinity_list');
          const eff = perIrq(s.files.get('effective_affinity_list'), 'effective_affinity_list');
          const r = importText(text, { step: s.label.split(/\s+/)[0] });
          if (!r.ok) throw new Error(r.error);
          for (const i of r.machine.irqs.filter((x) => x.line !== null)) {
            // Every numbered row has its /proc/irq/N directory.
            expect(aff.has(i.irq), `irq ${i.irq} smp_affinity_list`).toBe(true);
            expect(i.affinity).toEqual(cpuList(aff.get(i.irq)!));
            if (eff.has(i.irq)) expect(i.effective).toEqual(cpuList(eff.get(i.irq)!));
          }
          if (k === 0) {
            // At boot nothing has moved yet: an interrupt counted only on CPUs of its affinity.
            const m = bare(procText);
            for (const i of m.irqs) {
              const allowed = cpuList(aff.get(i.irq) ?? '');
              i.counts!.forEach((c, col) => {
                if (c > 0) expect(allowed, `irq ${i.irq} counted on CPU${m.cpuIds![col]}`).toContain(m.cpuIds![col]);
              });
            }
          }
        });
      });

      it('agrees with scenario.json: CPUs, devices, MSI-X, table sizes', () => {
        const r = importText(text, { step: st[0].label.split(/\s+/)[0] });
        if (!r.ok) throw new Error(r.error);
        const boot = r.machine;
        expect(boot.cpus).toBe(scenario.machine.cpus);
        expect(boot.kernelRelease).toBe(kernel);
        const specs = scenario.machine.devices as { bdf: string; msix?: { tableSize: number }; msi?: { vectors: number } }[];
        for (const d of boot.devices) {
          const spec = specs.find((x) => x.bdf === d.bdf);
          expect(spec, d.bdf).toBeDefined();
          if (spec!.msix) {
            expect(d.kind).toBe('msix');
            expect(d.vectors).toBeLessThanOrEqual(spec!.msix.tableSize);
          } else if (spec!.msi) {
            expect(d.kind).toBe('msi');
            expect(d.vectors).toBeLessThanOrEqual(spec!.msi.vectors);
          }
        }
        expect(boot.arch).toBe(scenario.machine.arch);
      });

      it('continues as a simulation with the same CPUs, devices and action names', () => {
        const r = importText(text, { step: st[0].label.split(/\s+/)[0] });
        if (!r.ok) throw new Error(r.error);
        const s = scenarioFromImport(r.machine);
        if (!s.ok) throw new Error(s.reason);
        expect(s.scenario.machine.cpus).toBe(scenario.machine.cpus);
        expect(s.scenario.machine.kernel).toBe(scenario.machine.kernel);
        expect(s.scenario.machine.devices.map((d) => d.bdf).sort()).toEqual(r.machine.devices.map((d) => d.bdf).sort());
        const { machine, results } = runScenario(s.scenario, { trace: false });
        expect(results.filter((x) => !x.ok).map((x) => x.message)).toEqual([]);
        const names = machine.view().irqs.flatMap((i) => i.actions);
        for (const i of r.machine.irqs.filter((x) => x.bdf)) expect(names).toContain(i.actions[0]);
      });
    });
  }
});
