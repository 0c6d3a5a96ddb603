// The worker's kernelFacts(): the profile's differing facts, as lines with links at every version.

import { describe, expect, it } from 'vitest';
import { createHost } from './host';
import { PRESETS } from '../scenario/presets';

const q35 = PRESETS['qemu-q35-ir'].scenario;

describe('kernelFacts through the host', () => {
  it("the loaded machine's kernel by default, any kernel when asked", async () => {
    const h = createHost();
    await h.load({ ...q35, machine: { ...q35.machine, kernel: '6.12' } });
    const mine = await h.kernelFacts();
    expect(mine.every((f) => f.kernel === '6.12')).toBe(true);
    const managed = mine.find((f) => f.id === 'managedShutdownKeepsDepth');
    expect(managed?.line).toMatch(/^before 6\.16: /);
    expect(managed?.urls).toEqual({
      '6.1': 'https://elixir.bootlin.com/linux/v6.1/source/kernel/irq/chip.c',
      '6.12': 'https://elixir.bootlin.com/linux/v6.12/source/kernel/irq/chip.c',
      '7.2': 'https://elixir.bootlin.com/linux/v7.2/source/kernel/irq/chip.c',
    });
    const seven = await h.kernelFacts('7.2');
    expect(seven.find((f) => f.id === 'managedShutdownKeepsDepth')?.line).toMatch(/^since 6\.16: /);
    expect(seven.find((f) => f.id === 'groupCpusByCluster')?.line).toMatch(/^since a change between 6\.12 and 7\.2: /);
  });
});
