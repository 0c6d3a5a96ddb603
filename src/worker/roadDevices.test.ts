// The worker's roadDevices(): the mediated devices and logical functions the roads' stories make.

import { describe, expect, it } from 'vitest';
import { createHost } from './host';
import { storyByName } from '../scenario/stories';

describe('roadDevices through the host', () => {
  it('DEV_MSI: mdev0 on the idxd, its dev-msi domain, devid 0 and the IMS slots of its interrupts', async () => {
    const h = createHost();
    const { records } = await h.load({ ...storyByName('dev-msi-2020')!.scenario, step: 6 });
    // dev_msi_domain_alloc_irqs(mdev0, 2) returned its first irq.
    const first = Number(records[3].result.value);
    expect(records[3].action.op).toBe('dev_msi_domain_alloc_irqs');
    const r = await h.roadDevices();
    expect(r.lfuncs).toEqual([]);
    expect(r.mdevs).toEqual([
      { name: 'mdev0', parent: '0000:6a:01.0', msiDomain: 'INTEL-IR-DEV-MSI-4', irqs: [
        { index: 0, virq: first, devid: 0, slot: 0 }, { index: 1, virq: first + 1, devid: 0, slot: 1 },
      ] },
    ]);
  });

  it('logical functions: sysfs path, owner and idx → IMS slot → irq', async () => {
    const story = storyByName('lfunc-2021')!;
    const h = createHost();
    await h.load(story.scenario);
    const r = await h.roadDevices();
    expect(r.lfuncs.length).toBeGreaterThan(0);
    expect(r.lfuncs[0]).toMatchObject({ parent: '0000:6a:01.0', sysfs: expect.stringContaining('lfunc/0') });
  });
});
