// The side-by-side pairings: what is put beside the loaded scenario, at which step, and what a
// link may say (a link is input: anything else is refused).

import { describe, expect, it } from 'vitest';
import { STORIES, storyByName } from '../../scenario/stories';
import { validateScenario } from '../../scenario/validate';
import type { Scenario } from '../../worker/protocol';
import { decodePairing, encodePairing } from './link';
import { onArch, pairedScenario, pairedStep, pairingOptions, storyPairing } from './pairing';

const q35 = storyByName('compare-kernels')!.scenario;

describe('pairings', () => {
  it('every story with a partner opens beside it; others open alone', () => {
    const paired = STORIES.filter((s) => s.compareWith);
    expect(paired.length).toBeGreaterThanOrEqual(9); // the six roads and the three kernel comparisons
    for (const s of paired) {
      const p = storyPairing(s.name)!;
      expect(p).toEqual({ story: s.compareWith });
      expect(pairedScenario(s.scenario, p)).toBe(storyByName(s.compareWith!)!.scenario);
    }
    expect(storyPairing('nvme-ir')).toBeNull();
    expect(storyPairing(null)).toBeNull();
  });

  it('a partner with fewer steps stays at its last one (lockstep)', () => {
    const ims = storyByName('ims-device')!.scenario;
    expect(pairedStep(ims, 3)).toBe(3);
    expect(pairedStep(ims, 999)).toBe(ims.actions.length);
    expect(pairedStep(ims, -1)).toBe(0);
  });

  it('settings pairings keep the calls and change the machine; the other architecture drops what only x86 has', () => {
    expect(pairedScenario(q35, { kernel: '6.12' })).toEqual({ ...q35, machine: { ...q35.machine, kernel: '6.12' } });
    const arm = pairedScenario(q35, { arch: 'arm64' });
    expect(arm.actions).toBe(q35.actions);
    expect(arm.machine).toMatchObject({ arch: 'arm64', platform: 'qemu-virt', cpus: 4, kernel: '7.2' });
    expect(arm.machine).not.toHaveProperty('remap');
    expect(validateScenario(JSON.parse(JSON.stringify(arm))).ok).toBe(true);
    const back = onArch(arm.machine, 'x86');
    expect(back).toMatchObject({ arch: 'x86', platform: 'qemu-q35' });
    // A remapping setting means nothing on arm64.
    expect(pairedScenario(q35, { arch: 'arm64', remap: 'none' }).machine).not.toHaveProperty('remap');
  });

  it('the header offers the partner first, the other settings, the other architecture and every other story', () => {
    const opts = pairingOptions(q35.machine, 'compare-kernels');
    expect(opts[0]).toMatchObject({ p: { story: 'compare-kernels-612' }, group: 'machine' });
    expect(opts.filter((o) => o.group === 'machine').map((o) => o.p)).toEqual([
      { story: 'compare-kernels-612' }, { remap: 'amd-ir' }, { remap: 'none' }, { kernel: '6.1' }, { kernel: '6.12' }, { arch: 'arm64' },
    ]);
    const stories = opts.filter((o) => o.group === 'story').map((o) => o.p.story);
    expect(stories).toHaveLength(STORIES.length - 2);
    expect(stories).not.toContain('compare-kernels');
    const arm: Scenario['machine'] = { arch: 'arm64', cpus: 4, devices: [] };
    expect(pairingOptions(arm, null).filter((o) => o.group === 'machine').map((o) => o.p)).toEqual([{ kernel: '6.1' }, { kernel: '6.12' }, { arch: 'x86' }]);
  });

  it('links: ?pair= round-trips, and refuses unknown keys, values and stories, and a story mixed with settings', () => {
    for (const p of [{ remap: 'none' as const }, { kernel: '6.1' as const, remap: 'none' as const }, { arch: 'arm64' as const }, { story: 'compare-kernels-612' }]) {
      expect(decodePairing(encodePairing(p))).toEqual(p);
    }
    for (const bad of ['story:nope', 'arch:riscv', 'kernel:5.4', 'colour:red', 'story:ims-device,kernel:6.1', 'story:<b>', '']) {
      expect(decodePairing(bad)).toBeNull();
    }
  });
});
