// The guided stories against the engine: every story is a valid scenario, and every story the
// engine can play does what its captions claim — ok or the errno of each step, its /proc rows
// at the end, and a few facts of the state along the way.

import { describe, expect, it } from 'vitest';
import { errnoName } from '../engine/core/errno';
import { debugfsIrq, procInterrupts } from '../engine/render';
import type { ActionResult } from '../engine/view';
import { runScenario, type RunResult } from './run';
import {
  ENGINE_WAITS_FOR, EXHAUSTION_FREE_VECTORS, STORIES, storyByName, storyCaption, type Story, type StoryNeed,
} from './stories';
import { encodeLink } from './url';
import { validateScenario } from './validate';

/** What the engine answered, in the story's terms: 'ok', the value it claims, or the errno name. */
function outcome(r: ActionResult, claimed: Story['outcomes'][number]): Story['outcomes'][number] {
  if (!r.ok) return r.errno !== undefined ? errnoName(r.errno) : 'failed';
  return claimed !== 'ok' && r.value !== undefined ? r.value : 'ok';
}

/**
 * Can the engine play this story? Not when building its machine throws (an architecture not
 * modelled), when an op is unknown to it ("unknown operation"), or — for the MSI domain models
 * — when the model named in the spec makes no difference yet.
 */
function engineSupports(story: Story): { ok: true; run: RunResult } | { ok: false; why: string } {
  let run: RunResult;
  try {
    run = runScenario(story.scenario);
  } catch (e) {
    return { ok: false, why: e instanceof Error ? e.message : String(e) };
  }
  const unknown = run.results.find((r) => /unknown operation/.test(r.message));
  if (unknown) return { ok: false, why: unknown.message };
  const model = story.scenario.machine.msiModel;
  if (model && model !== 'v2') {
    const v2 = runScenario({ ...story.scenario, machine: { ...story.scenario.machine, msiModel: 'v2' } });
    if (procInterrupts(v2.machine) === procInterrupts(run.machine) && JSON.stringify(v2.machine.view().domains) === JSON.stringify(run.machine.view().domains)) {
      return { ok: false, why: `msiModel ${model} behaves exactly like v2` };
    }
  }
  return { ok: true, run };
}

const at = (story: Story, k: number) => runScenario(story.scenario, { upTo: k }).machine;
const irqFile = (story: Story, k: number, virq: number) => debugfsIrq(at(story, k), virq) ?? '';
const line = (text: string, key: string) => text.split('\n').find((l) => l.trimStart().startsWith(key))?.trim() ?? '';

/** Facts of the state along the way that the captions state, per story. */
const KEY_STATE: Record<string, (s: Story) => void> = {
  'nvme-ir': (s) => {
    const before = irqFile(s, 7, 24);
    const after = irqFile(s, 8, 24);
    expect(line(after, 'effectiv:')).toBe('effectiv: 3');
    expect(after).toMatch(/Target:\s+3/);
    // With remapping the device message does not change when the interrupt moves.
    expect(line(after, 'address_lo:')).toBe(line(before, 'address_lo:'));
    expect(line(after, 'msg_data:')).toBe(line(before, 'msg_data:'));
  },
  'nvme-noir': (s) => {
    const parked = irqFile(s, 8, 24);
    expect(line(parked, 'pending:')).toBe('pending:  3');
    expect(parked).toContain('IRQD_SETAFFINITY_PENDING');
    expect(line(parked, 'effectiv:')).toBe('effectiv: 1');
    const moved = irqFile(s, 9, 24);
    expect(line(moved, 'address_lo:')).toBe('address_lo: 0xfee03000');
    expect(line(moved, 'effectiv:')).toBe('effectiv: 3');
    expect(moved).not.toContain('IRQD_SETAFFINITY_PENDING');
    expect(irqFile(s, 10, 24)).toMatch(/cleanup_pending:\s+1/);
  },
  'cpu-hotplug-managed': (s) => {
    expect(irqFile(s, 7, 28)).toContain('IRQD_MANAGED_SHUTDOWN');
    const pending = at(s, 8).view().devices[0].msixTable.find((e) => e.index === 4);
    expect(pending?.pending).toBe(true);
    expect(irqFile(s, 9, 28)).not.toContain('IRQD_MANAGED_SHUTDOWN');
  },
  'vector-exhaustion': (s) => {
    const m = at(s, 7);
    expect(m.view().log.map((l) => l.text)).toContain('Interrupt reservation exceeds available resources');
    // The failed request changes nothing: the state before and after it is the same.
    const n = s.scenario.actions.length;
    expect(at(s, n).snapshot()).toBe(at(s, n - 1).snapshot());
  },
  'multi-msi-ir': (s) => {
    const m = at(s, 1);
    const irqs = m.view().irqs.filter((i) => i.msi?.dev === '0000:01:00.0');
    expect(irqs).toHaveLength(8);
    // One aligned block of 8 IRTEs: the IR-level hwirqs of the 8 interrupts are consecutive.
    const ir = irqs.map((i) => i.chain.find((c) => c.domain.startsWith('INTEL-IR'))!.hwirq);
    expect(ir.map((h) => h - ir[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  },
  'dynamic-msix': (s) => {
    const entries = at(s, 3).view().devices[0].stores[0].entries.map((e) => e.index);
    expect(entries).toEqual([0, 1, 7]);
  },
  'port-msi-resize': (s) => {
    const r = runScenario(s.scenario, { upTo: 3 }).results[2];
    expect(r.hops.map((h) => h.stage)).toContain('lost');
  },
};

describe('guided stories', () => {
  it('are well formed: unique URL names, a caption and an outcome per step', () => {
    const names = new Set<string>();
    for (const s of STORIES) {
      expect(s.name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(names.has(s.name)).toBe(false);
      names.add(s.name);
      expect(storyByName(s.name)).toBe(s);
      expect(s.title.length).toBeGreaterThan(10);
      expect(s.intro.length).toBeGreaterThan(80);
      expect(s.captions).toHaveLength(s.scenario.actions.length);
      expect(s.outcomes).toHaveLength(s.scenario.actions.length);
      for (const c of s.captions) expect(c.trim().length).toBeGreaterThan(10);
      expect(storyCaption(s, 0)).toMatch(/CPUs? booted\./);
      expect(storyCaption(s, 1)).toBe(s.captions[0]);
    }
  });

  it('covers what the issue asks for', () => {
    for (const name of ['nvme-ir', 'nvme-noir', 'vector-exhaustion', 'cpu-hotplug-managed', 'multi-msi-ir', 'multi-msi-noir', 'dynamic-msix']) {
      expect(storyByName(name)?.needs).toBeUndefined();
    }
    const needs = new Set(STORIES.map((s) => s.needs).filter(Boolean));
    expect([...needs].sort()).toEqual(['arm64', 'driver', 'ims', 'models', 'roads', 'subdev']);
    expect(STORIES.filter((s) => s.needs === 'models').map((s) => s.scenario.machine.msiModel ?? 'v2').sort()).toEqual(['legacy', 'nonhier', 'v1', 'v2']);
  });

  it('every story is a valid scenario', () => {
    for (const s of STORIES) {
      const r = validateScenario(JSON.parse(JSON.stringify(s.scenario)));
      expect(r.ok ? 'valid' : `${s.name}: ${r.error}`).toBe('valid');
    }
  });

  it(`the vector-exhaustion story requests exactly the ${EXHAUSTION_FREE_VECTORS} vectors the MSI blocks leave, and one more`, () => {
    const m = at(storyByName('vector-exhaustion')!, 6);
    expect(m.x86.vector.matrix.info().globalAvailable).toBe(EXHAUSTION_FREE_VECTORS);
  });

  for (const story of STORIES) {
    it(`${story.name}: plays as its captions say${story.needs ? ` (needs ${story.needs})` : ''}`, () => {
      const sup = engineSupports(story);
      if (!sup.ok) {
        // Only a story that waits for a listed feature may be unplayable.
        expect(story.needs && ENGINE_WAITS_FOR.has(story.needs) ? 'waits' : `${story.name} cannot play: ${sup.why}`).toBe('waits');
        console.log(`[stories] ${story.name} waits for ${story.needs}: ${sup.why}`);
        return;
      }
      const got = sup.run.results.map((r, i) => `${i + 1} ${story.scenario.actions[i].op}: ${String(outcome(r, story.outcomes[i]))}`);
      const want = story.outcomes.map((o, i) => `${i + 1} ${story.scenario.actions[i].op}: ${String(o)}`);
      expect(got).toEqual(want);
      const proc = procInterrupts(sup.run.machine);
      for (const re of story.end?.proc ?? []) expect(proc).toMatch(new RegExp(re, 'm'));
      for (const re of story.end?.procAbsent ?? []) expect(proc).not.toMatch(new RegExp(re, 'm'));
      const view = sup.run.machine.view();
      for (const [bdf, n] of Object.entries(story.end?.entries ?? {})) {
        const dev = view.devices.find((d) => d.name === bdf);
        expect(dev?.stores.find((st) => st.domid === 0)?.entries.length).toBe(n);
      }
      KEY_STATE[story.name]?.(story);
    });
  }

  it('ENGINE_WAITS_FOR lists only features the engine still lacks', () => {
    for (const need of ENGINE_WAITS_FOR) {
      const stories = STORIES.filter((s) => s.needs === need);
      expect(stories.length).toBeGreaterThan(0);
      expect(stories.some((s) => !engineSupports(s).ok) ? 'missing' : `the engine plays every story needing ${need}: take it off ENGINE_WAITS_FOR`).toBe('missing');
    }
    const needs: StoryNeed[] = ['arm64', 'ims', 'subdev', 'driver', 'models', 'roads'];
    console.log(`[stories] engine features the stories wait for: ${[...ENGINE_WAITS_FOR].join(', ') || 'none'} (of ${needs.join(', ')})`);
  });

  it('prints the length of every story link (#s1 and #story forms)', () => {
    const base = 'http://127.0.0.1:4317/';
    const rows = STORIES.map((s) => {
      const n = s.scenario.actions.length;
      const s1 = encodeLink({ scenario: s.scenario, step: Math.min(3, n) });
      const st = encodeLink({ scenario: s.scenario, step: Math.min(3, n), story: s.name });
      expect(st.length).toBeLessThan(60);
      return `${s.name.padEnd(22)} ${String(n).padStart(4)} steps  #s1 ${String(s1.length).padStart(5)} (url ${base.length + s1.length})  #story ${String(st.length).padStart(3)} (url ${base.length + st.length})`;
    });
    console.log(`[stories] link lengths at step 3 (hash characters; the full URL adds ${base.length} for ${base}):\n${rows.join('\n')}`);
  });
});
