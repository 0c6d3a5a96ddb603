// The mail report: what it lists, and what it says when the link is too long to send.

import { describe, expect, it } from 'vitest';
import { createHost } from '../../worker/host';
import { storyByName } from '../../scenario/stories';
import { buildReport } from './report';

describe('buildReport', () => {
  it('lists the machine, every step with its result, /proc/interrupts, the inspector file and the link', async () => {
    const story = storyByName('dynamic-msix')!;
    const h = createHost();
    const { records } = await h.load(story.scenario);
    await h.gotoStep(5);
    const snap = await h.snapshot();
    const text = buildReport({
      scenario: story.scenario, records, step: 5, story: story.name, link: 'http://x/#story/dynamic-msix@5',
      proc: snap.proc, inspector: { path: '/sys/kernel/debug/irq/irqs/26', text: await h.debugfsIrq(26) }, jsonName: 'irqscope-dynamic-msix.json',
    });
    expect(text).toMatch(/^irqscope: Dynamic MSI-X: pci_msix_alloc_irq_at\(\) \(guided story “dynamic-msix”\)\n/);
    expect(text).toContain('Link: http://x/#story/dynamic-msix@5');
    expect(text).toContain('Machine: x86, Linux 7.2, 4 CPUs, Intel VT-d interrupt remapping, MSI domain model v2');
    expect(text).toContain('  0000:3d:00.0 nvme: MSI-X table 65');
    expect(text).toContain('Steps (9; the state below is after step 5):');
    expect(text).toMatch(/^  4 {2}pci_msix_alloc_irq_at\(dev=0000:3d:00\.0, index=7\)\n {5}-EBUSY: /m);
    expect(text).toMatch(/^> 5 {2}pci_msix_alloc_irq_at\(dev=0000:3d:00\.0, index=65\)\n {5}-ERANGE: /m);
    expect(text).toContain(`# cat /proc/interrupts   (after step 5)\n${snap.proc.trimEnd()}\n`);
    expect(text).toContain('# cat /sys/kernel/debug/irq/irqs/26   (after step 5)\nhandler:');
  });

  it('says when the link is too long and points at the JSON file', () => {
    const story = storyByName('multi-msi-ir')!;
    const text = buildReport({
      scenario: story.scenario, records: [], step: 0, story: null, link: `http://x/#s1/${'A'.repeat(5000)}`,
      proc: '', inspector: null, jsonName: 'irqscope-x86-4cpu-5steps.json',
    });
    expect(text).toMatch(/Link: too long to send \(5,\d{3} characters; mail clients break links over ~4,000\)/);
    expect(text).toContain('irqscope-x86-4cpu-5steps.json');
    expect(text).toContain('npm run sim -- irqscope-x86-4cpu-5steps.json --step 0 --format proc');
    expect(text).not.toContain('AAAA');
  });

  it('names the kernel the machine runs', () => {
    const story = storyByName('multi-msi-ir')!;
    const scenario = { ...story.scenario, machine: { ...story.scenario.machine, kernel: '6.12' as const } };
    const text = buildReport({ scenario, records: [], step: 0, story: null, link: 'http://x/', proc: '', inspector: null, jsonName: 'x.json' });
    expect(text).toMatch(/^Machine: x86, Linux 6\.12, 4 CPUs, /m);
  });
});
