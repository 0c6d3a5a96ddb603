// note_interrupt() as kernel/irq/spurious.c has it (v6.1, v6.12 and v7.2 alike): the 100,000-interrupt
// window is counted only while desc->irqs_unhandled is not 0 ("if (likely(!desc->irqs_unhandled))
// return;" comes before "desc->irq_count++").

import { describe, expect, it } from 'vitest';
import { createMachine } from '../machine';
import { IRQ_HANDLED, IRQ_NONE, noteInterrupt } from './spurious';
import { IRQS } from './irqdesc';
import { KERNEL_VERSIONS } from '../profiles';

function timerDesc(kernel: (typeof KERNEL_VERSIONS)[number]) {
  const m = createMachine({ arch: 'x86', kernel, cpus: 2, devices: [] }, { trace: false });
  const desc = m.k.descs.get(0)!;
  return { m, desc };
}

describe('note_interrupt(): the window starts at the first unhandled interrupt', () => {
  for (const kernel of KERNEL_VERSIONS) {
    it(`${kernel}: 60,000 handled, then 100,000 unhandled: the 100,000th unhandled one disables the line`, () => {
      const { m, desc } = timerDesc(kernel);
      for (let i = 0; i < 60_000; i++) noteInterrupt(m.k, desc, IRQ_HANDLED);
      // Handled interrupts with irqs_unhandled == 0 return before irq_count++.
      expect(desc.irqCount).toBe(0);
      for (let i = 0; i < 99_999; i++) noteInterrupt(m.k, desc, IRQ_NONE);
      expect(desc.istate & IRQS.SPURIOUS_DISABLED).toBe(0);
      expect(desc.irqCount).toBe(99_999);
      noteInterrupt(m.k, desc, IRQ_NONE);
      // irq_count reached 100000 with irqs_unhandled 100000 > 99900: __report_bad_irq(), "Disabling IRQ #0".
      expect(desc.istate & IRQS.SPURIOUS_DISABLED).toBe(IRQS.SPURIOUS_DISABLED);
      expect(m.log.map((l) => l.text)).toContain('Disabling IRQ #0');
      expect(desc.depth).toBe(1);
    });
  }

  it('a handled interrupt after the first unhandled one counts toward the window', () => {
    const { m, desc } = timerDesc('7.2');
    noteInterrupt(m.k, desc, IRQ_NONE);
    noteInterrupt(m.k, desc, IRQ_HANDLED);
    expect([desc.noteUnhandled, desc.irqCount]).toEqual([1, 2]);
  });
});
