// The x86 board: the IO-APIC's pins as the machine says, and the IOMMUs' own interrupts where
// each kernel requests them. Expected values come from the kernel sources named beside them.

import { describe, expect, it } from 'vitest';
import { createMachine } from '../../machine';
import { validateScenario } from '../../../scenario/validate';
import { procInterrupts } from '../../render';
import { ok } from '../../testing';

const NIC = '0000:01:00.0';

describe('MachineSpec.ioapicPins', () => {
  // arch/x86/kernel/apic/io_apic.c: mp_irqdomain_create() makes a linear domain of
  // ioapic->nr_registers hwirqs; arch_dynirq_lower_bound() returns ioapic_dynirq_base = gsi_top, so
  // dynamic interrupts start above the last GSI.
  it('120 pins: the IO-APIC domain has 120 entries and the first MSI is irq 120', () => {
    const m = createMachine({ arch: 'x86', cpus: 2, ioapicPins: 120, devices: [{ bdf: NIC, name: 'nic', msix: { tableSize: 2 } }] });
    const io = m.k.domains.find((d) => d.kind === 'ioapic')!;
    expect(io.revmapSize).toBe(120);
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NIC, min: 1, max: 1, flags: ['MSIX'] });
    expect(ok(m, { op: 'pci_irq_vector', dev: NIC, nr: 0 }).value).toBe(120);
    expect(m.log.map((l) => l.text)).toContain('IOAPIC[0]: apic_id 2, version 32, address 0xfec00000, GSI 0-119');
  });

  it('q35 has 24 pins, and the default machine too', () => {
    for (const platform of ['qemu-q35', 'generic'] as const) {
      const m = createMachine({ arch: 'x86', platform, cpus: 1, devices: [] });
      expect(m.k.domains.find((d) => d.kind === 'ioapic')!.revmapSize).toBe(24);
      expect(m.k.dynirqLowerBound).toBe(24);
    }
  });

  it('the scenario schema takes 24..256 pins, on x86 only', () => {
    const sc = (machine: object) => validateScenario({ version: 1, machine: { cpus: 1, devices: [], ...machine }, actions: [] });
    expect(sc({ arch: 'x86', ioapicPins: 120 }).ok).toBe(true);
    expect(sc({ arch: 'x86', ioapicPins: 16 }).ok).toBe(false);
    expect(sc({ arch: 'x86', ioapicPins: 257 }).ok).toBe(false);
    expect(sc({ arch: 'arm64', ioapicPins: 24 }).ok).toBe(false);
  });
});

describe("an AMD IOMMU's own interrupts in x2APIC mode (drivers/iommu/amd/init.c iommu_setup_intcapxt)", () => {
  // v6.1: one irq_domain_alloc_irqs() on "AMD-Vi-MSI" (hwirq never set: 0) requested as "AMD-Vi".
  it('6.1: one IOMMU-MSI interrupt "AMD-Vi", hwirq 0, on the AMD-Vi-MSI domain under VECTOR', () => {
    const m = createMachine({ arch: 'x86', kernel: '6.1', platform: 'qemu-q35', remap: 'amd-ir', cpus: 2, devices: [] });
    const dom = m.k.domains.find((d) => d.name === 'AMD-Vi-MSI')!;
    expect(dom.parent!.name).toBe('VECTOR');
    const irqs = [...m.k.descs.values()].filter((d) => d.irqData.domain === dom);
    expect(irqs.map((d) => [d.action[0]?.name, d.irqData.hwirq, d.irqData.chip.name])).toEqual([['AMD-Vi', 0, 'IOMMU-MSI']]);
    expect(procInterrupts(m)).toMatch(/ IOMMU-MSI\s+0-edge\s+AMD-Vi$/m);
  });

  // v6.12 / v7.2: "AMD-Vi%d-Evt" at MMIO_INTCAPXT_EVT_OFFSET (0x170), "-PPR" at 0x178, "-GA" at
  // 0x180 (CONFIG_IRQ_REMAP), irqd->hwirq = info->hwirq.
  for (const kernel of ['6.12', '7.2'] as const) it(`${kernel}: one interrupt per log, hwirq = its INTCAPXT register`, () => {
    const m = createMachine({ arch: 'x86', kernel, platform: 'qemu-q35', remap: 'amd-ir', cpus: 2, devices: [] });
    const dom = m.k.domains.find((d) => d.name === 'AMD-Vi-MSI')!;
    const irqs = [...m.k.descs.values()].filter((d) => d.irqData.domain === dom).sort((a, b) => a.irq - b.irq);
    expect(irqs.map((d) => [d.action[0]?.name, d.irqData.hwirq])).toEqual([['AMD-Vi0-Evt', 0x170], ['AMD-Vi0-PPR', 0x178], ['AMD-Vi0-GA', 0x180]]);
    // Each has a vector: VECTOR maps them like any other interrupt.
    expect(irqs.every((d) => d.irqData.parentData!.domain.name === 'VECTOR')).toBe(true);
  });
});
