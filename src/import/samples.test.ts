// Public /proc/interrupts pastes (samples/SOURCES.md): each expectation is a fact a person reads off
// the paste itself — its CPU header, the chip column, the action names, where the counts are.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importText, type ImportedMachine } from './index';
import { importedProc } from './render';

const sample = (name: string): string => readFileSync(new URL(`./samples/${name}`, import.meta.url), 'utf8');
function load(name: string): ImportedMachine {
  const r = importText(sample(name));
  if (!r.ok) throw new Error(r.error);
  return r.machine;
}
const row = (m: ImportedMachine, irq: number) => m.irqs.find((i) => i.irq === irq)!;

describe('2.4/2.6-era fused columns (RHEL deployment guide)', () => {
  const m = load('x86-2.4-xt-pic-rhel-doc.txt');
  it('two CPUs from a header that starts with a tab, rows with trailing blanks', () => {
    expect(m.cpus).toBe(2);
    expect(m.cpuIds).toEqual([0, 1]);
    expect(m.layout).toBe('2.6-3.x');
    expect(m.skipped).toEqual([]);
  });
  it('chip and trigger from "IO-APIC-edge" / "IO-APIC-level", no hwirq, multi-word actions', () => {
    expect(row(m, 1)).toMatchObject({ chip: 'IO-APIC', flow: 'edge', trigger: 'edge', hwirq: null, actions: ['keyboard'], counts: [128, 340] });
    expect(row(m, 16)).toMatchObject({ chip: 'IO-APIC', trigger: 'level', actions: ['Intel EtherExpress Pro 10/100 Ethernet'] });
    expect(row(m, 12).actions).toEqual(['PS/2 Mouse']);
    expect(row(m, 0)).toMatchObject({ chip: 'XT-PIC', flow: null, trigger: null, actions: ['timer'] });
  });
  it('one-value rows NMI: and ERR:', () => {
    expect(m.archRows.map((r) => [r.label, r.counts])).toEqual([['NMI', [0]], ['ERR', [0]]]);
  });
  it('says the hwirq is not printed in this layout', () => {
    expect(m.unknown.join('\n')).toMatch(/hwirq: the 2\.6 layout/);
  });
});

describe('2.6.x IO-APIC / PCI-MSI-edge (Atom, two CPUs)', () => {
  const m = load('x86-2.6-atom-io-apic.txt');
  it('shared irqs keep every action, fasteoi IO-APIC pins are level', () => {
    expect(row(m, 23)).toMatchObject({ chip: 'IO-APIC', flow: 'fasteoi', trigger: 'level', actions: ['ehci_hcd:usb1', 'uhci_hcd:usb2'] });
    expect(row(m, 43)).toMatchObject({ chip: 'PCI-MSI', flow: 'edge', actions: ['eth0'], counts: [371923, 0], bdf: null });
    expect(m.archRows.find((r) => r.label === 'MIS')!.counts).toEqual([0]);
    expect(m.archRows.find((r) => r.label === 'LOC')).toMatchObject({ counts: [34519755, 26698078], text: 'Local timer interrupts' });
  });
  it('the PCI function of an MSI row is unknown in this layout', () => {
    expect(m.devices).toEqual([]);
    expect(m.unknown.join('\n')).toMatch(/PCI functions of the MSI rows/);
  });
});

describe('4.x–6.1 global IR-PCI-MSI domain, encoded hwirq (debug-tools test data)', () => {
  const m = load('x86-4.x-ir-pci-msi-nvme.txt');
  it('4 CPUs, the 4.x–6.1 layout, Intel remapping (DMAR-MSI rows)', () => {
    expect(m.cpus).toBe(4);
    expect(m.layout).toBe('4.x-6.1');
    expect(m.arch).toBe('x86');
    expect(m.domains.find((d) => d.name === 'IR-PCI-MSI')?.parent).toBe('INTEL-IR');
  });
  it('31457280 decodes to 0000:3c:00.0 index 0; nvme0q0…q4 are its 5 vectors, MSI vs MSI-X unknown', () => {
    expect(row(m, 126)).toMatchObject({ chip: 'IR-PCI-MSI', hwirq: 31457280, bdf: '0000:3c:00.0', index: 0, trigger: 'edge', actions: ['nvme0q0'] });
    expect(m.devices.find((d) => d.bdf === '0000:3c:00.0')).toMatchObject({ vectors: 5, kind: 'unknown' });
    expect(m.unknown.join('\n')).toMatch(/MSI vs MSI-X: the 4\.x–6\.1 layout/);
  });
  it('which CPU each NVMe queue counts on', () => {
    const on = (irq: number) => row(m, irq).counts!.map((c, k) => (c > 0 ? k : -1)).filter((k) => k >= 0);
    expect([126, 127, 128, 129, 130].map(on)).toEqual([[3], [0], [1], [2], [3]]);
  });
  it('unknown chips without a trigger word (dummy, rmi4) are plain named nodes', () => {
    expect(row(m, 136)).toMatchObject({ chip: 'dummy', hwirq: 44, flow: null, actions: ['rmi4_smbus'] });
    expect(row(m, 139)).toMatchObject({ chip: 'rmi4', hwirq: 2, actions: ['rmi4-00.fn03'], counts: [0, 21, 0, 0] });
    expect(m.domains.find((d) => d.name === 'rmi4')).toMatchObject({ parent: null, kind: 'chip' });
  });
  it('re-prints the rows in their layout', () => {
    expect(importedProc(m)).toBe(sample('x86-4.x-ir-pci-msi-nvme.txt'));
  });
});

describe('4.x PCI-MSI without remapping, PCI domain 0001 (nemu PR)', () => {
  const m = load('x86-4.x-pci-msi-domain0001.txt');
  it('134463488 decodes to 0001:00:0f.0 — the BDF the i40e action names', () => {
    expect(row(m, 9)).toMatchObject({ bdf: '0001:00:0f.0', index: 0, actions: ['i40e-0001:00:0f.0:misc'] });
    expect(row(m, 12)).toMatchObject({ bdf: '0001:00:0f.0', index: 3 });
    expect(row(m, 5)).toMatchObject({ bdf: '0001:00:00.0', index: 0 });
    expect(row(m, 7)).toMatchObject({ bdf: '0000:00:01.0', index: 0 });
  });
  it('three functions, PCI-MSI straight on the vector domain', () => {
    expect(m.devices.map((d) => [d.bdf, d.vectors])).toEqual([['0000:00:01.0', 2], ['0001:00:00.0', 2], ['0001:00:0f.0', 4]]);
    expect(m.domains.find((d) => d.name === 'PCI-MSI')?.parent).toBe('VECTOR');
  });
});

describe('6.2+ per-device domains (AMD laptop, 16 CPUs)', () => {
  const text = sample('x86-6.x-ir-pci-msix-amd.txt');
  const m = load('x86-6.x-ir-pci-msix-amd.txt');
  it('16 CPUs, 6.2–6.12, AMD remapping (IOMMU-MSI row)', () => {
    expect(m.cpus).toBe(16);
    expect(m.layout).toBe('6.2-6.12');
    expect(m.domains.find((d) => d.name === 'IR-PCI-MSIX-0000:02:00.0')?.parent).toBe('AMD-IR');
  });
  it('nvme0 at 0000:02:00.0 has 17 MSI-X vectors; the sound function is MSI', () => {
    expect(m.devices.find((d) => d.bdf === '0000:02:00.0')).toMatchObject({ vectors: 17, kind: 'msix' });
    expect(m.devices.find((d) => d.bdf === '0000:03:00.6')).toMatchObject({ vectors: 1, kind: 'msi' });
    expect(row(m, 89)).toMatchObject({ index: 16, actions: ['nvme0q16'], bdf: '0000:02:00.0' });
  });
  it('nvme0qN counts on CPU N-1 for N = 1…16, and q16 on CPU15', () => {
    for (let q = 1; q <= 15; q++) {
      const r = m.irqs.find((i) => i.actions[0] === `nvme0q${q}`)!;
      expect(r.counts!.map((c, k) => (c > 0 ? k : -1)).filter((k) => k >= 0)).toEqual([q - 1]);
    }
  });
  it('re-prints the rows exactly (the paste trimmed only its header)', () => {
    const lines = (s: string) => s.split('\n').slice(1);
    expect(lines(importedProc(m)!)).toEqual(lines(text));
  });
});

describe('arm64 Apple M-series (AIC2, AIC-FIQ, IPI rows)', () => {
  const m = load('arm64-apple-aic2.txt');
  it('8 CPUs, Level/Edge column, chips kept whole ("PCIe MSI")', () => {
    expect(m.cpus).toBe(8);
    expect(m.arch).toBe('arm64');
    expect(row(m, 35)).toMatchObject({ chip: 'AIC-FIQ', hwirq: 0, trigger: 'level', actions: ['arch_timer'] });
    expect(row(m, 105)).toMatchObject({ chip: 'PCIe MSI', hwirq: 524288, trigger: 'edge', actions: ['brcmf_pcie_intr'] });
    expect(row(m, 93).actions).toEqual(['1-0038', '1-003f']);
    expect(row(m, 52).actions).toEqual(['apple-dart fault handler', 'apple-dart fault handler']);
  });
  it('IPI rows sit one column left and keep their counts; Err: is one value', () => {
    expect(m.archRows.find((r) => r.label === 'IPI1')).toMatchObject({ counts: [6531937, 5465585, 4908987, 4327894, 3303307, 3866256, 3334291, 2757015], text: 'Function call interrupts' });
    expect(m.archRows.find((r) => r.label === 'Err')!.counts).toEqual([0]);
  });
  it('unknown controllers are plain named nodes, no PCI function is invented', () => {
    expect(m.domains.map((d) => d.name)).toEqual(expect.arrayContaining(['AIC2', 'AIC-FIQ', 'Apple-GPIO', 'PCIe MSI']));
    expect(m.domains.every((d) => d.parent === null)).toBe(true);
    expect(m.devices).toEqual([]);
  });
});

describe('header-less excerpts', () => {
  it('arm64 ITS per-device rows: 4 CPUs from the columns, said so', () => {
    const m = load('arm64-its-pci-msix-excerpt.txt');
    expect(m.cpus).toBe(4);
    expect(m.cpuIds).toBeNull();
    expect(m.cpusFromColumns).toBe(true);
    expect(m.unknown.join('\n')).toMatch(/no CPU header; 4 taken from its count columns/);
    expect(m.devices.find((d) => d.bdf === '0000:00:01.0')).toMatchObject({ vectors: 7, kind: 'msix' });
    expect(m.domains.find((d) => d.name === 'ITS-PCI-MSIX-0000:00:02.0')?.parent).toBe('ITS');
    expect(row(m, 77)).toMatchObject({ index: 1, trigger: 'edge', counts: [1588, 0, 865924, 0], actions: ['virtio3-input.0'] });
  });
  it('Xen xen-dyn rows: no hwirq, the "-event" flow, 4 CPU columns', () => {
    const m = load('xen-dyn-event-excerpt.txt');
    expect(m.cpus).toBe(4);
    expect(row(m, 72)).toMatchObject({ chip: 'xen-dyn', hwirq: null, flow: 'event', actions: ['vif0-q1-tx'], counts: [586350, 0, 0, 0] });
    expect(m.domains.find((d) => d.name === 'xen-dyn')).toMatchObject({ kind: 'chip', parent: null });
  });
});
