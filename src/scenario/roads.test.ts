// The stories of the roads not taken: each names the story of the design that won (compareWith),
// carries the label its domains carry, plays the rejected design before the winner in one
// machine, and shows at the step its caption names what the thread objected to.

import { describe, expect, it } from 'vitest';
import { errnoName } from '../engine/core/errno';
import { procInterrupts } from '../engine/render';
import { runScenario } from './run';
import { ROADS_GROUP, ROAD_STORIES } from './roads';
import { STORIES, storyByName, type Story } from './stories';

const at = (s: Story, k: number) => runScenario(s.scenario, { upTo: k }).machine;
const story = (name: string) => ROAD_STORIES.find((s) => s.name === name)!;
const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

describe('roads not taken: the stories', () => {
  it('are in the picker under "Roads not taken", each paired with a winning story that is not a road', () => {
    expect(ROAD_STORIES.map((s) => s.name)).toEqual(['dev-msi-2020', 'dev-msi-own-domain', 'ims-per-iommu', 'lfunc-2021', 'cxl-first-attempt', 'cxl-disjunct']);
    for (const s of ROAD_STORIES) {
      expect(STORIES).toContain(s);
      expect(s.group).toBe(ROADS_GROUP);
      expect(s.needs).toBe('roads');
      const winner = storyByName(s.compareWith!);
      expect(winner, `${s.name}.compareWith`).toBeDefined();
      expect(winner!.group).not.toBe(ROADS_GROUP);
      expect(s.title).toContain(s.era!.replace(', not merged', ''));
    }
    expect(story('dev-msi-2020').compareWith).toBe('ims-device');
  });

  it('each labels its domains and its calls with its status and date, and ends on the design that won', () => {
    for (const s of ROAD_STORIES) {
      const run = runScenario(s.scenario);
      const eras = new Set(run.machine.view().domains.map((d) => d.era).filter((e) => e !== 'mainline'));
      // A logical function is no domain: its label is in the trace of its calls (and the title).
      if (s.name !== 'lfunc-2021') expect(eras.has(s.era as never), `${s.name}: ${[...eras].join(', ')}`).toBe(true);
      expect(JSON.stringify(run.results.map((r) => r.trace))).toContain(`(${s.era})`);
      // The last step is the winning design delivering an interrupt.
      const last = runScenario(s.scenario).results.at(-1)!;
      expect(s.scenario.actions.at(-1)!.op).toBe('raise');
      expect(last.ok).toBe(true);
      expect(last.hops.map((h) => h.stage)).toContain('handler');
    }
  });

  it('every refusal in a story leaves the machine exactly as the step before', () => {
    for (const s of ROAD_STORIES) {
      s.outcomes.forEach((o, i) => {
        if (typeof o !== 'string' || !o.startsWith('-E')) return;
        expect(at(s, i + 1).snapshot(), `${s.name} step ${i + 1}`).toBe(at(s, i).snapshot());
      });
    }
  });

  it('DEV_MSI: at the objection step the NIC\'s message is recorded in its queue context but never effective, and nothing is counted', () => {
    const s = story('dev-msi-2020');
    const k = s.captions.findIndex((c) => c.includes('plain layering violation')) + 1;
    expect(s.scenario.actions[k - 1]).toEqual({ op: 'raise', dev: 'sf0', index: 0 });
    const m = at(s, k);
    const named = (machine: typeof m, name: string) => machine.view().irqs.find((i) => i.actions.includes(name))!;
    // "irq N stays at 0": N is sf0's interrupt.
    const sf0 = named(m, 'sf0-q0');
    expect([...s.captions[k - 1].matchAll(/\birq (\d+)/g)].map((x) => Number(x[1]))).toEqual([sf0.virq]);
    expect(sf0.chain[0]).toMatchObject({ domain: 'INTEL-IR-DEV-MSI-4', chip: 'IR-DEV-MSI' });
    expect(total(sf0.counts)).toBe(0);
    const row = m.view().devices.find((d) => d.name === '0000:6b:00.0')!.ims!.rows.find((r) => r.index === 0)!;
    expect(row).toMatchObject({ masked: true, pending: true, addressLo: 0 });
    expect(row.change?.masked).toBe(false);
    // Both devices' interrupts sit on one domain with one chip.
    expect(named(m, 'mdev0-wq0').chain[0].chip).toBe(sf0.chain[0].chip);
    // At the end the NIC's own IMS domain delivers.
    const end = runScenario(s.scenario).machine;
    expect(procInterrupts(end)).toMatch(new RegExp(`^\\s*${named(end, 'mlx5-q0').virq}:.*IR-IMS-0000:6b:00\\.0\\s+0-edge\\s+mlx5-q0$`, 'm'));
  });

  it('CXL first attempt: -EDEADLK, and the message says the kernel would hang', () => {
    const s = story('cxl-first-attempt');
    const k = s.outcomes.indexOf('-EDEADLK') + 1;
    const r = runScenario(s.scenario, { upTo: k }).results[k - 1];
    expect(errnoName(r.errno!)).toBe('-EDEADLK');
    expect(r.message).toMatch(/the kernel would hang here/);
  });

  it('CXL option 1: one interrupt is two rows of /proc/interrupts; the winner is one', () => {
    const m = runScenario(story('cxl-disjunct').scenario).machine;
    const rows = procInterrupts(m).split('\n').filter((l) => /cxl_pmu/.test(l));
    expect(rows).toHaveLength(3);
    expect(m.view().irqs.find((i) => i.actions.includes('cxl_pmu.1'))!.chain.map((c) => c.domain)).toEqual([
      'PCI-MSIX-PROXY-SUBDEV-cxl_pmu.1-12', 'IR-PCI-MSIX-0000:0c:00.0-12', 'INTEL-IR-0-13', 'VECTOR',
    ]);
  });
});
