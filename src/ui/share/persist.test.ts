// @vitest-environment happy-dom
// Saved work against hostile and broken storage: every stored value is validated on read, a
// damaged entry is never lost, a full quota is reported, replaced work goes to a history; and
// what the app exports, it imports.

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { damagedWork, HISTORY_MAX, loadHistory, loadWork, pushHistory, saveWork } from './persist';
import { exportText } from './open';
import { MAX_FILE_BYTES, MAX_SCENARIO_BYTES, parseScenario } from '../../scenario/validate';
import type { Work } from '../store';
import type { Scenario } from '../../worker/protocol';

const NVME = '0000:3d:00.0';
const scenario: Scenario = {
  version: 1,
  machine: { arch: 'x86', cpus: 2, remap: 'none', devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 8 } }] },
  actions: [
    { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 2, flags: ['MSIX'] },
    { op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' },
  ],
};
const work = (s: Scenario = scenario, step = 1): Work => ({ scenario: s, step, selection: null, story: null, presetId: null });

beforeEach(() => {
  localStorage.clear();
  saveWork(null);
});

describe('stored values are validated on read', () => {
  it.each(['null', '[]', '1', '"x"', '{"step":"2"}', '{"step":-1}', '{"step":99}', '{"step":1.5}', '{', '{"sel":42,"story":{},"presetId":[]}'])(
    'irqscope.pos = %s: the work comes back at its last step, nothing thrown',
    (pos) => {
      localStorage.setItem('irqscope.work', JSON.stringify(scenario));
      localStorage.setItem('irqscope.pos', pos);
      const r = loadWork();
      expect(r).toEqual({ ok: true, work: { scenario, step: 2, selection: null, story: null, presetId: null } });
    },
  );

  it('a valid position is kept', () => {
    saveWork({ ...work(), selection: { kind: 'irq', virq: 24 }, story: 'nvme-ir', presetId: 'p' });
    expect(loadWork()).toEqual({ ok: true, work: { scenario, step: 1, selection: { kind: 'irq', virq: 24 }, story: 'nvme-ir', presetId: 'p' } });
  });
});

describe('damaged saved work is reported and never lost', () => {
  it.each([
    ['not JSON', '{"version":1,"machine":', /not valid JSON/],
    ['a schema error', JSON.stringify({ ...scenario, machine: { ...scenario.machine, cpus: 0 } }), /machine\.cpus: must be ≥ 1/],
    ['a spoofed name', JSON.stringify({ ...scenario, actions: [{ op: 'request_irq', virq: 1, name: 'a\nLink: x' }] }), /must not contain control characters/],
  ])('%s: refused with the reason; its text is kept through the next save', (_what, text, why) => {
    localStorage.setItem('irqscope.work', text);
    const r = loadWork();
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(why);
    expect(damagedWork()).toBe(text);
    // The user picks a machine: the saved slot is overwritten, the damaged text is not.
    expect(saveWork(work())).toEqual({ ok: true });
    expect(damagedWork()).toBe(text);
    expect(loadWork()).toMatchObject({ ok: true, work: { scenario } });
  });
});

describe('a full storage says so', () => {
  it('saveWork reports the quota, and writes the scenario again once there is room', () => {
    const data = new Map<string, string>();
    let full = true;
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => {
        if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        data.set(k, v);
      },
      removeItem: (k: string) => data.delete(k),
    });
    try {
      const r = saveWork(work());
      expect(r).toEqual({ ok: false, error: "the browser's storage for this page is full" });
      full = false;
      expect(saveWork(work())).toEqual({ ok: true });
      expect(loadWork()).toMatchObject({ ok: true, work: { scenario, step: 1 } });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('replaced work goes to a history in storage', () => {
  it(`keeps the newest ${HISTORY_MAX}, newest first, without duplicates`, () => {
    const many = Array.from({ length: HISTORY_MAX + 2 }, (_, i) => ({ ...scenario, machine: { ...scenario.machine, cpus: i + 1 } }));
    for (const s of many) expect(pushHistory(work(s), 'replaced by a link')).toEqual({ ok: true });
    pushHistory(work(many[many.length - 1]), 'again');
    const h = loadHistory();
    expect(h.map((e) => e.work.scenario.machine.cpus)).toEqual([HISTORY_MAX + 2, HISTORY_MAX + 1, HISTORY_MAX, HISTORY_MAX - 1, HISTORY_MAX - 2]);
    expect(h[0].why).toBe('again');
    expect(h[0].work.step).toBe(1);
  });

  it('ignores a damaged history instead of failing', () => {
    localStorage.setItem('irqscope.history', '{"not":"a list"}');
    expect(loadHistory()).toEqual([]);
    localStorage.setItem('irqscope.history', JSON.stringify([{ at: 1, why: 'x', scenario: '{', pos: '' }, null, 3]));
    expect(loadHistory()).toEqual([]);
    expect(pushHistory(work(), 'x')).toEqual({ ok: true });
    expect(loadHistory()).toHaveLength(1);
  });
});

describe('what the app exports, it imports', () => {
  it('a scenario near the link limit exports compact, under the file limit, and reads back the same', () => {
    // ~920 kB of JSON: as much as a link may carry.
    const one: Scenario['actions'][number] = { op: 'irq_set_affinity', dev: NVME, index: 0, cpus: [0, 1] };
    const actions = Array.from({ length: Math.floor((MAX_SCENARIO_BYTES * 0.88) / (JSON.stringify(one).length + 1)) }, () => ({ ...one }));
    const big: Scenario = { ...scenario, machine: { ...scenario.machine, kernel: '7.2' }, actions };
    const text = exportText(work(big, 7));
    expect(text.length).toBeLessThan(JSON.stringify(big).length * 1.1);
    expect(text.length).toBeLessThan(MAX_FILE_BYTES);
    const back = parseScenario(text, { maxBytes: MAX_FILE_BYTES });
    expect(back).toEqual({ ok: true, scenario: { ...big, step: 7 } });
  });

  it('an empty scenario and a small one round-trip', () => {
    for (const s of [{ ...scenario, actions: [] }, scenario]) {
      expect(parseScenario(exportText(work(s, 0)))).toEqual({ ok: true, scenario: { ...s, step: 0 } });
    }
  });
});
