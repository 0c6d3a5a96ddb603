// request_irq() sharing as __setup_irq() in kernel/irq/manage.c has it (v6.1, v6.12, v7.2): "Can't
// share interrupts unless both agree to and are the same type (level, edge, polarity). So both flag
// fields must have IRQF_SHARED set and the bits which set the trigger type must match. Also all must
// agree on ONESHOT." The mismatch message is pr_err("Flags mismatch irq %d. %08x (%s) vs. %08x (%s)\n")
// with pr_fmt "genirq: ", left out under IRQF_PROBE_SHARED; the errno is -EBUSY.

import { describe, expect, it } from 'vitest';
import { createMachine, type Machine } from '../machine';
import { IRQF, irqfFromNames, requestIrq } from './manage';
import { IRQD, irqd } from './irqdesc';
import { validateScenario } from '../../scenario/validate';

const NIC = '0000:01:00.0';

function line(kernel: '6.1' | '6.12' | '7.2' = '7.2'): { m: Machine; irq: number } {
  const m = createMachine({ arch: 'x86', kernel, cpus: 2, devices: [{ bdf: NIC, name: 'nic', msix: { tableSize: 2 } }] });
  return { m, irq: m.devices.get(NIC)!.intxIrq };
}
const logs = (m: Machine) => m.log.map((l) => l.text);

describe('request_irq() on a line that already has a handler', () => {
  for (const kernel of ['6.1', '6.12', '7.2'] as const) it(`${kernel}: without IRQF_SHARED on both: -EBUSY and "genirq: Flags mismatch"`, () => {
    const { m, irq } = line(kernel);
    const desc = m.k.descs.get(irq)!;
    expect(requestIrq(m.k, desc, 'a', { flags: IRQF.SHARED })).toBe(0);
    expect(requestIrq(m.k, desc, 'b', { flags: 0 })).toBe(-16);
    expect(logs(m)).toContain(`genirq: Flags mismatch irq ${irq}. 00000000 (b) vs. 00000080 (a)`);
    expect(desc.action.map((a) => a.name)).toEqual(['a']);
  });

  it('IRQF_PROBE_SHARED: the same -EBUSY, no message', () => {
    const { m, irq } = line();
    const desc = m.k.descs.get(irq)!;
    requestIrq(m.k, desc, 'a', { flags: IRQF.SHARED });
    const before = m.log.length;
    expect(requestIrq(m.k, desc, 'b', { flags: IRQF.PROBE_SHARED })).toBe(-16);
    expect(m.log.length).toBe(before);
  });

  // "if (irqd_trigger_type_was_set(...)) oldtype = irqd_get_trigger_type(...); else { oldtype =
  // new->flags & IRQF_TRIGGER_MASK; irqd_set_trigger_type(&desc->irq_data, oldtype); }": an IO-APIC
  // line's trigger type was never set (mp_register_handler() sets IRQ_LEVEL only), so the second
  // handler's type is taken; a third that differs from it is refused.
  it('the trigger type: the second sharer sets it, a third that differs is refused', () => {
    const { m, irq } = line();
    const desc = m.k.descs.get(irq)!;
    expect(requestIrq(m.k, desc, 'a', { flags: IRQF.SHARED })).toBe(0);
    expect(irqd(desc.irqData, IRQD.DEFAULT_TRIGGER_SET)).toBe(false);
    expect(requestIrq(m.k, desc, 'b', { flags: IRQF.SHARED | IRQF.TRIGGER_LOW })).toBe(0);
    expect(irqd(desc.irqData, IRQD.DEFAULT_TRIGGER_SET)).toBe(true);
    expect(desc.irqData.common.state & IRQD.TRIGGER_MASK).toBe(IRQF.TRIGGER_LOW);
    expect(requestIrq(m.k, desc, 'c', { flags: IRQF.SHARED })).toBe(-16);
    expect(logs(m)).toContain(`genirq: Flags mismatch irq ${irq}. 00000080 (c) vs. 00000080 (a)`);
    expect(requestIrq(m.k, desc, 'd', { flags: IRQF.SHARED | IRQF.TRIGGER_LOW })).toBe(0);
    expect(desc.action.map((a) => a.name)).toEqual(['a', 'b', 'd']);
  });

  it('IRQF_ONESHOT must agree, unless the chip is IRQCHIP_ONESHOT_SAFE (then it is dropped)', () => {
    const { m, irq } = line();
    const desc = m.k.descs.get(irq)!;
    // IO-APIC: not oneshot-safe.
    requestIrq(m.k, desc, 'a', { flags: IRQF.SHARED });
    expect(requestIrq(m.k, desc, 'b', { flags: IRQF.SHARED | IRQF.ONESHOT })).toBe(-16);
    expect(logs(m)).toContain(`genirq: Flags mismatch irq ${irq}. 00002080 (b) vs. 00000080 (a)`);
    // PCI/MSI-X chips are IRQCHIP_ONESHOT_SAFE ("new->flags &= ~IRQF_ONESHOT").
    m.apply({ op: 'pci_alloc_irq_vectors', dev: NIC, min: 1, max: 1, flags: ['MSIX'] });
    const msix = m.k.descs.get(m.apply({ op: 'pci_irq_vector', dev: NIC, nr: 0 }).value as number)!;
    expect(requestIrq(m.k, msix, 'q0', { flags: IRQF.SHARED })).toBe(0);
    expect(requestIrq(m.k, msix, 'q0b', { flags: IRQF.SHARED | IRQF.ONESHOT })).toBe(0);
    expect(msix.action[1].flags).toBe(IRQF.SHARED);
  });

  it('the scenario names the flags as the kernel does', () => {
    expect(irqfFromNames(['IRQF_SHARED', 'IRQF_TRIGGER_LOW'])).toBe(0x88);
    const spec = { arch: 'x86', cpus: 2, devices: [] };
    expect(validateScenario({ version: 1, machine: spec, actions: [{ op: 'request_irq', virq: 9, name: 'x', flags: ['IRQF_SHARED'] }] }).ok).toBe(true);
    expect(validateScenario({ version: 1, machine: spec, actions: [{ op: 'request_irq', virq: 9, name: 'x', flags: ['IRQF_BOGUS'] }] }).ok).toBe(false);
  });
});
