// The stories that compare kernels and architectures (kernels.ts): each opens beside a partner
// that runs the same calls, and every difference a caption names is what the engine's kernel
// profiles do (the profiles themselves are held to the real kernels' captures by conformance/).

import { describe, expect, it } from 'vitest';
import { procInterrupts } from '../engine/render';
import type { TraceNode } from '../engine/core/trace';
import type { MachineView } from '../engine/view';
import { runScenario } from './run';
import { KERNELS_GROUP, KERNEL_STORIES } from './kernels';
import { STORIES, storyByName, storyCaption, type Story } from './stories';

const story = (name: string) => KERNEL_STORIES.find((s) => s.name === name)!;
const at = (s: Story, k: number) => runScenario(s.scenario, { upTo: k }).machine;
const viewAt = (s: Story, k: number) => at(s, k).view();
const byName = (v: MachineView, name: string) => v.irqs.find((i) => i.actions.includes(name))!;
const queues = (v: MachineView) => [1, 2, 3, 4].map((q) => byName(v, `nvme0q${q}`).effectiveAffinity);
/** Every effect line of a trace, in order. */
const effects = (t: readonly TraceNode[]): string[] => t.flatMap((n) => [...n.effects, ...effects(n.children)]);
const traceOf = (s: Story, k: number) => effects(runScenario(s.scenario, { upTo: k }).results[k - 1].trace);

const k72 = story('compare-kernels');
const k612 = story('compare-kernels-612');
const arm = story('compare-arch');

describe('compare kernels and architectures: the stories', () => {
  it('are in the picker under their group, each with a partner running the same calls', () => {
    expect(KERNEL_STORIES.map((s) => s.name)).toEqual(['compare-kernels', 'compare-kernels-612', 'compare-arch']);
    for (const s of KERNEL_STORIES) {
      expect(STORIES).toContain(s);
      expect(s.group).toBe(KERNELS_GROUP);
      const partner = storyByName(s.compareWith!);
      expect(partner, `${s.name}.compareWith`).toBeDefined();
      expect(partner!.scenario.actions.map((a) => a.op)).toEqual(s.scenario.actions.map((a) => a.op));
      expect(s.outcomes.every((o) => o === 'ok')).toBe(true);
    }
    // The kernel pair differs in the kernel only; the architecture pair runs on the same kernel.
    const { kernel: ka, ...ma } = k72.scenario.machine;
    const { kernel: kb, ...mb } = k612.scenario.machine;
    expect([ka, kb]).toEqual(['7.2', '6.12']);
    expect(ma).toEqual(mb);
    expect(k72.scenario.actions).toEqual(k612.scenario.actions);
    expect(k612.compareWith).toBe('compare-kernels');
    expect([arm.scenario.machine.arch, arm.scenario.machine.kernel, storyByName(arm.compareWith!)!.scenario.machine.arch]).toEqual(['arm64', '7.2', 'x86']);
  });

  it('boot: 7.2 puts the managed NVMe queues on CPUs 1, 3, 2, 0; 6.12 and the arm64 machine on 0, 1, 2, 3', () => {
    expect(queues(viewAt(k72, 0))).toEqual([[1], [3], [2], [0]]);
    expect(queues(viewAt(k612, 0))).toEqual([[0], [1], [2], [3]]);
    expect(queues(viewAt(arm, 0))).toEqual([[0], [1], [2], [3]]);
    expect(storyCaption(k72, 0)).toMatch(/CPUs 1, 3, 2, 0 — on 6\.12, beside it, on CPUs 0, 1, 2, 3\.$/);
    // arm64: the NVMe's interrupts are LPIs 8192-8196 of the ITS.
    const lpis = [0, 1, 2, 3, 4].map((q) => byName(viewAt(arm, 0), `nvme0q${q}`).chain.at(-1)!.hwirq);
    expect(lpis).toEqual([8192, 8193, 8194, 8195, 8196]);
  });

  it('/proc/interrupts: 7.2 pads the chip column and indents the architecture rows; 6.12 does not', () => {
    const p72 = procInterrupts(at(k72, 0));
    const p612 = procInterrupts(at(k612, 0));
    expect(p72).toMatch(/^ {2}25:( +0){4} {2}IR-PCI-MSIX-0000:00:02\.0 {4}0-edge {6}nvme0q0$/m);
    expect(p612).toMatch(/^ 25:( +0){4} {2}IR-PCI-MSIX-0000:00:02\.0 {3}0-edge {6}nvme0q0$/m);
    expect(p72).toMatch(/^ NMI:/m);
    expect(p612).toMatch(/^NMI:/m);
  });

  it('6.1 (the third kernel of the side-by-side menu): one global IR-PCI-MSI domain, hwirq = devid << 11 | index', () => {
    const m = runScenario({ ...k72.scenario, machine: { ...k72.scenario.machine, kernel: '6.1' } }, { upTo: 0 }).machine;
    const v = m.view();
    const top = (name: string) => byName(v, name).chain[0];
    expect(new Set(['nvme0q0', 'virtio0-config'].map((n) => top(n).domain)).size).toBe(1);
    expect(top('nvme0q0').hwirq).toBe((0x10 << 11) | 0); // 0000:00:02.0: devid 0x10
    expect(top('virtio0-input.0').hwirq).toBe((0x18 << 11) | 1); // 0000:00:03.0: devid 0x18
    expect(procInterrupts(m)).toMatch(/IR-PCI-MSI 32768-edge {6}nvme0q0$/m);
  });

  it('cpu_down(3) shuts down the managed queue on CPU3 — nvme0q2 on 7.2, nvme0q4 on 6.12 and on arm64', () => {
    const shut = (s: Story) => viewAt(s, 1).irqs.filter((i) => i.managed && !i.started).map((i) => [i.virq, i.actions[0], i.depth]);
    expect(shut(k72)).toEqual([[27, 'nvme0q2', 1]]);
    expect(shut(k612)).toEqual([[29, 'nvme0q4', 1]]);
    expect(shut(arm)).toEqual([[23, 'nvme0q4', 1]]);
    for (const s of [k72, k612]) {
      const v = viewAt(s, 1);
      // "The admin queue nvme0q0 moves to CPU1 and the timer to CPU0 (their IRTEs rewritten)"
      expect([byName(viewAt(s, 0), 'nvme0q0').cpu, byName(v, 'nvme0q0').cpu, byName(v, 'timer').cpu]).toEqual([3, 1, 0]);
      expect(byName(v, 'virtio0-input.0').affinity).toEqual([0, 1, 2]);
    }
    // arm64: DISCARD of the queue's event, one MOVI (virtio0-output.0 from CPU3 to CPU0).
    const t = traceOf(arm, 1);
    expect(t.filter((e) => e.startsWith('DISCARD'))).toEqual(['DISCARD DeviceID 0x8 EventID 4']);
    expect(t.filter((e) => e.startsWith('MOVI'))).toEqual(['MOVI DeviceID 0x10 EventID 2 ICID 0']);
    expect([byName(viewAt(arm, 0), 'virtio0-output.0').cpu, byName(viewAt(arm, 1), 'virtio0-output.0').cpu]).toEqual([3, 0]);
  });

  it('the /proc affinity write: x86 moves irq 31 to a new vector on CPU2 (IRTE 23), the old one waits; arm64 sends no command', () => {
    for (const s of [k72, k612]) {
      const v = viewAt(s, 2);
      expect(byName(v, 'virtio0-input.0')).toMatchObject({ virq: 31, cpu: 2, affinity: [2], effectiveAffinity: [2], prevCpu: 1 });
      expect(traceOf(s, 2).some((e) => e.startsWith('modify_irte: IRTE 23 ← present') && e.includes('dest APIC ID 2'))).toBe(true);
    }
    const t = traceOf(arm, 2);
    expect(t).toContain('CPU2 stays the target: no command');
    expect(t.some((e) => /^(MOVI|MAPTI|DISCARD)/.test(e))).toBe(false);
    expect(byName(viewAt(arm, 2), 'virtio0-input.0')).toMatchObject({ virq: 25, cpu: 2, affinity: [2] });
  });

  it('cpu_up(3): the queue starts again on CPU3, the old vector is freed, virtio_net resets its affinity to 0-3 (on CPU2)', () => {
    for (const [s, q] of [[k72, 'nvme0q2'], [k612, 'nvme0q4'], [arm, 'nvme0q4']] as const) {
      const v = viewAt(s, 3);
      expect(byName(v, q)).toMatchObject({ started: true, cpu: 3, depth: 0 });
      expect(byName(v, 'virtio0-input.0')).toMatchObject({ affinity: [0, 1, 2, 3], effectiveAffinity: [2] });
    }
    for (const s of [k72, k612]) expect(byName(viewAt(s, 3), 'virtio0-input.0').prevVector).toBe(0);
    const t = traceOf(arm, 3);
    expect(t).toContain('MAPC ICID 3 RDbase 3 (CPU3) V 1');
    expect(t).toContain('MAPTI DeviceID 0x8 EventID 4 pINTID 8196 ICID 3');
    expect(byName(viewAt(arm, 3), 'virtio0-output.0').cpu).toBe(3);
  });
});
