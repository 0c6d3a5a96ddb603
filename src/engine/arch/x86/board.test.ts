// The x86 board: the IO-APIC's pins as the machine says, and the IOMMUs' own interrupts where
// each kernel requests them. Expected values come from the kernel sources named beside them.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMachine } from '../../machine';
import { validateScenario } from '../../../scenario/validate';
import { procInterrupts } from '../../render';
import { irqNamed, ok, pciIrqVector } from '../../testing';

const NIC = '0000:01:00.0';

describe('MachineSpec.ioapicPins', () => {
  // arch/x86/kernel/apic/io_apic.c: mp_irqdomain_create() makes a linear domain of
  // ioapic->nr_registers hwirqs; arch_dynirq_lower_bound() returns ioapic_dynirq_base = gsi_top, so
  // dynamic interrupts start above the last GSI.
  it('120 pins: the IO-APIC domain has 120 entries and the first dynamic irq is 120', () => {
    for (const remap of ['intel-ir', 'none'] as const) {
      const m = createMachine({ arch: 'x86', cpus: 2, remap, ioapicPins: 120, devices: [{ bdf: NIC, name: 'nic', msix: { tableSize: 2 } }] });
      const io = m.k.domains.find((d) => d.kind === 'ioapic')!;
      expect(io.revmapSize).toBe(120);
      ok(m, { op: 'pci_alloc_irq_vectors', dev: NIC, min: 1, max: 1, flags: ['MSIX'] });
      // With VT-d the IOMMU's fault interrupt took the first dynamic irq at boot; the NIC's MSI-X
      // vector takes the next free one (irq_alloc_descs_from(gsi_top)).
      const msix = pciIrqVector(m, NIC, 0);
      if (remap === 'intel-ir') expect([irqNamed(m, 'dmar0').virq, msix]).toEqual([120, 121]);
      else expect(msix).toBe(120);
      expect(m.log.map((l) => l.text)).toContain('IOAPIC[0]: apic_id 2, version 32, address 0xfec00000, GSI 0-119');
    }
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

/** The row a capture printed for irq `virq` in its first /proc/interrupts, blanks collapsed and counts as #. */
function capturedRow(path: string, virq: number): string {
  const text = readFileSync(new URL(`../../../../conformance/fixtures/${path}/capture.txt`, import.meta.url), 'utf8');
  const proc = text.split('@@ file /proc/interrupts\n')[1].split('\n@@')[0];
  return fields(proc.split('\n').find((l) => l.trimStart().startsWith(`${virq}:`))!);
}
const fields = (row: string) => row.trim().split(/\s+/).map((f, i) => (i > 0 && /^\d+$/.test(f) && i <= 4 ? '#' : f)).join(' ');
const procRow = (m: ReturnType<typeof createMachine>, virq: number) => fields(procInterrupts(m).split('\n').find((l) => l.trimStart().startsWith(`${virq}:`)) ?? '');

describe("the default PC has the IOMMU's own interrupts where q35 has them", () => {
  // drivers/iommu/intel/dmar.c dmar_set_interrupt(): dmar_alloc_hwirq(iommu->seq_id, …) on the
  // DMAR-MSI domain, then request_irq(irq, dmar_fault, IRQF_NO_THREAD, iommu->name). Nothing else
  // is allocated above gsi_top before it, so it is the first dynamic irq — the row every real
  // VT-d machine prints (the 4-CPU captures of conformance/fixtures, one per kernel).
  for (const kernel of ['6.1', '6.12', '7.2'] as const) it(`${kernel}, VT-d: irq 24 is dmar0 on DMAR-MSI, hwirq 0, edge — the row the real kernel printed`, () => {
    const m = createMachine({ arch: 'x86', kernel, cpus: 4, remap: 'intel-ir', devices: [] });
    const dmar = irqNamed(m, 'dmar0');
    expect(dmar.virq).toBe(24);
    expect(dmar.chain.map((l) => [l.domain, l.chip])).toEqual([['DMAR-MSI', 'DMAR-MSI'], ['VECTOR', 'APIC']]);
    expect(procRow(m, 24)).toBe(capturedRow(`${kernel}/x86/q35-ir-4cpu`, 24));
  });

  it('dmar0 is a VECTOR interrupt like any other: VECTOR maps one more irq than without the IOMMU', () => {
    const mapped = (remap: 'intel-ir' | 'none') => createMachine({ arch: 'x86', cpus: 4, remap, devices: [] }).view().domains.find((d) => d.name === 'VECTOR')!.mapped;
    expect(mapped('intel-ir')).toBe(mapped('none') + 1);
  });

  // 6.1 requests dmar0 in apic_bsp_setup() with the boot CPU alone online (the 6.1 captures: its
  // effective_affinity_list is 0 on every CPU count).
  it('6.1: dmar0 is requested before the secondary CPUs come up, so it lands on CPU0', () => {
    for (const cpus of [2, 4, 8]) expect(irqNamed(createMachine({ arch: 'x86', kernel: '6.1', cpus, remap: 'intel-ir', devices: [] }), 'dmar0').effectiveAffinity).toEqual([0]);
  });

  it('AMD in x2APIC mode: the same IOMMU-MSI rows as on q35 (6.1: "AMD-Vi"; since: AMD-Vi0-Evt, -PPR, -GA from irq 24)', () => {
    for (const [kernel, names] of [['6.1', ['AMD-Vi']], ['7.2', ['AMD-Vi0-Evt', 'AMD-Vi0-PPR', 'AMD-Vi0-GA']]] as const) {
      const rows = (platform: 'generic' | 'qemu-q35') => {
        const m = createMachine({ arch: 'x86', kernel, platform, cpus: 2, remap: 'amd-ir', devices: [] });
        return names.map((n) => { const i = irqNamed(m, n); return [i.virq, i.chain[0].chip, i.chain[0].hwirq]; });
      };
      expect(rows('generic')).toEqual(rows('qemu-q35'));
      expect(rows('generic').map((r) => r[0])).toEqual(names.map((_, i) => 24 + i));
    }
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
