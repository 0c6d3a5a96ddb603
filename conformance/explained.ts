// Differences between a real kernel and the model that the model cannot reproduce, each with
// the kernel code that causes it and why. The report prints the reason beside the difference.

import type { Difference } from './compare';

export interface Explained {
  /** Does this explanation cover that difference? */
  match(fixture: string, step: number, d: Difference): boolean;
  why: string;
}

export const EXPLAINED: Explained[] = [
  {
    // The capture's kernel log says "..MP-BIOS bug: 8254 timer not connected to IO-APIC".
    match: (_f, _s, d) => d.column === 'proc' && /kernel ".* 0:.*local-APIC .*timer"/.test(d.text),
    why:
      'arch/x86/kernel/apic/io_apic.c check_timer(): at boot the kernel waits a few ticks for the timer through the ' +
      'IO-APIC (timer_irq_works()); under TCG on a loaded host the ticks did not come in time, so it fell back to the ' +
      'local APIC as a virtual wire (lapic_register_intr(0): chip "local-APIC"). A timing race inside the guest: the ' +
      'same machine booted on an idle host keeps IR-IO-APIC / IO-APIC, as the other captures show.',
  },
];
