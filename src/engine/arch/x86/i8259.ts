// Models what arch/x86/kernel/i8259.c leaves behind once the IO-APIC has taken the ISA
// interrupts over: irq 2, the cascade, keeps the legacy PIC's "XT-PIC" chip (init_ISA_irqs()),
// with no irq domain, no handler and no CPU — /proc/irq/2 shows the default affinity and an
// empty effective one.

import type { Kernel } from '../../core/kernel';
import { IRQD, type IrqDesc, zeroCounts } from '../../core/irqdesc';
import { IrqDomain } from '../../core/irqdomain';
import { PIC_CASCADE_IR } from './vectors';

/** The i8259A chip (its callbacks never run here: the cascade line carries no device). */
const i8259Chip = { name: 'XT-PIC', flags: 0 };

/** Stands for "no domain": not registered, so no domain list, tree or debugfs file shows it. */
const noDomain = new IrqDomain('(none)', {}, null, { kind: 'legacy-pic' });

/** init_ISA_irqs() for the cascade: descriptor 2 with the PIC chip, level, handle_level_irq. */
export function i8259CascadeDesc(k: Kernel): IrqDesc {
  const irq = PIC_CASCADE_IR;
  k.virqs.set(irq, 1);
  const desc: IrqDesc = {
    irq,
    irqData: {
      irq, hwirq: irq, domain: noDomain, chip: i8259Chip, chipData: null, parentData: null,
      common: { state: IRQD.IRQ_DISABLED | IRQD.IRQ_MASKED | 8 /* IRQ_TYPE_LEVEL_HIGH */, affinity: k.defaultAffinity(), effectiveAffinity: [], pendingMask: [], msiDesc: null, node: 0 },
    },
    depth: 1, wakeDepth: 0, istate: 0, status: 0, handleIrq: 'handle_level_irq', name: 'XT', action: [], devName: '',
    kstat: zeroCounts(k.nrCpus), irqsUnhandled: 0, irqCount: 0, noteUnhandled: 0,
  };
  k.descs.set(irq, desc);
  return desc;
}
