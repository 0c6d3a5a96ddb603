// Edge cases of the import, each on a small text written here: line endings, tabs, partial input,
// refusals, the decoding of global hwirqs, bundles with debugfs, offline CPUs.

import { describe, expect, it } from 'vitest';
import { importText, MAX_IMPORT_BYTES, type ImportedMachine } from './index';
import { decodeGlobalHwirq } from './pci';
import { scenarioFromImport } from './scenario';

function ok(text: string): ImportedMachine {
  const r = importText(text);
  if (!r.ok) throw new Error(r.error);
  return r.machine;
}

const V612 = [
  '            CPU0       CPU1       CPU2       CPU3       ',
  ' 124:          0          0         31          0  IR-PCI-MSIX-0000:3d:00.0    0-edge      nvme0q0',
  ' 125:       1203          0          0          0  IR-PCI-MSIX-0000:3d:00.0    1-edge      nvme0q1',
  ' NMI:          0          0          0          0   Non-maskable interrupts',
  ' ERR:          0',
].join('\n');

describe('line endings, tabs, blanks', () => {
  it('CRLF and LF give the same machine', () => {
    expect(ok(V612.replace(/\n/g, '\r\n'))).toEqual(ok(V612));
  });
  it('tabs between columns and trailing blanks are whitespace', () => {
    const m = ok('\tCPU0\tCPU1\n 30:\t5\t0\tIR-PCI-MSI-0000:00:1c.0\t0-edge\tPCIe PME, aerdrv   \n');
    expect(m.irqs[0]).toMatchObject({ counts: [5, 0], chip: 'IR-PCI-MSI-0000:00:1c.0', hwirq: 0, actions: ['PCIe PME', 'aerdrv'], bdf: '0000:00:1c.0', msiKind: 'msi' });
  });
  it('a byte-order mark is not part of the header', () => {
    expect(ok(`\ufeff${V612}`).cpus).toBe(4);
  });
});

describe('bad and partial input', () => {
  it('text with no row names its first line and what was expected', () => {
    const r = importText('\n\nDear list,\nmy NVMe is slow\n');
    expect(r).toMatchObject({ ok: false, line: 3 });
    expect(!r.ok && r.error).toMatch(/^line 3: "Dear list," — expected the CPU header/);
  });
  it('a partial import keeps what it got and lists each skipped line with its reason', () => {
    const m = ok(`${V612}\n 126:  0  0 IR-PCI\n-- \ncut here\n`);
    expect(m.irqs.map((i) => i.irq)).toEqual([124, 125]);
    expect(m.skipped.map((s) => [s.line, s.reason.slice(0, 24)])).toEqual([
      [6, 'expected 4 counts (one p'],
      [7, 'expected the CPU header '],
      [8, 'expected the CPU header '],
    ]);
  });
  it('binary input and input over 50 MB are refused before parsing', () => {
    expect(importText('\u007fELF\u0002\u0001\u0001\u0000\u0000')).toMatchObject({ ok: false, error: expect.stringMatching(/binary/) });
    const big = 'x'.repeat(MAX_IMPORT_BYTES + 1);
    expect(importText(big)).toMatchObject({ ok: false, error: expect.stringMatching(/limit is 50 MB/) });
  });
  it('a debugfs irq file without its path asks which irq it is', () => {
    expect(importText('handler:  handle_edge_irq\ndevice:   0000:3d:00.0\n')).toMatchObject({ ok: false, error: expect.stringMatching(/which irq is it/) });
  });
  it('hostile names stay data', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const m = ok(`           CPU0\n 30:          1  IR-PCI-MSIX-0000:01:00.0    0-edge      ${evil}, "; rm -rf /\n`);
    expect(m.irqs[0].actions).toEqual([evil, '"; rm -rf /']);
  });
});

describe('global PCI/MSI hwirq decoding (pci_msi_domain_calc_hwirq)', () => {
  it('domain, bus, devfn and index', () => {
    // 0x3c << 19 = bus 0x3c; 2 << 11 = devfn 2 (slot 0 fn 2); index 5
    expect(decodeGlobalHwirq((0x3c << 19) + (2 << 11) + 5)).toEqual({ domain: 0, bus: 0x3c, devfn: 2, index: 5, bdf: '0000:3c:00.2' });
    // PCI domain 0x10000 (VMD) fits: hwirq above 2^32
    const h = 0x10000 * 2 ** 27 + (0x01 << 19) + (0x08 << 11);
    expect(decodeGlobalHwirq(h).bdf).toBe('10000:01:01.0');
  });
});

describe('bundles', () => {
  const bundle = [
    '@@ irqscope-collect 1',
    '@@ command uname -r',
    '6.1.0-18-amd64',
    '@@ cpus',
    '/sys/devices/system/cpu/online:0-1,3',
    '/sys/devices/system/cpu/possible:0-3',
    '@@ file /proc/interrupts',
    '            CPU0       CPU1       CPU3       ',
    ' 124:          0          7          0  IR-PCI-MSI 31457280-edge      nvme0q0',
    ' 125:          0          0          9  IR-PCI-MSI 31457281-edge      nvme0q1',
    ' NMI:          0          0          0   Non-maskable interrupts',
    '@@ affinity',
    '/proc/irq/124/smp_affinity_list:0-1,3',
    '/proc/irq/124/effective_affinity_list:1',
    '/proc/irq/125/smp_affinity_list:3',
    '/proc/irq/125/effective_affinity_list:3',
    '@@ msi_irqs /sys/bus/pci/devices',
    '/sys/bus/pci/devices/0000:3c:00.0/msi_irqs/124:msix',
    '/sys/bus/pci/devices/0000:3c:00.0/msi_irqs/125:msix',
    '/sys/bus/pci/devices/0000:3c:00.0/msi_irqs/126:msix',
    '/sys/bus/pci/devices/0000:3c:00.0/driver:nvme',
    '@@ file /sys/kernel/debug/irq/irqs/125',
    'handler:  handle_edge_irq',
    'device:   0000:3c:00.0',
    'affinity: 3',
    'effectiv: 3',
    'domain:  IR-PCI-MSI-3',
    ' hwirq:   0x1e00001',
    ' chip:    IR-PCI-MSI',
    ' parent:',
    '    domain:  INTEL-IR-0',
    '     hwirq:   0x2',
    '     chip:    INTEL-IR',
    '     parent:',
    '        domain:  VECTOR',
    '         hwirq:   0x7d',
    '         chip:    APIC',
    '         Vector:    35',
    '         Target:     3',
    '@@ end',
  ].join('\n');
  const m = ok(bundle);
  it('CPU columns skip the offline CPU; online and possible come from the files', () => {
    expect(m.cpuIds).toEqual([0, 1, 3]);
    expect(m.online).toEqual([0, 1, 3]);
    expect(m.kernelRelease).toBe('6.1.0-18-amd64');
  });
  it('msi_irqs makes MSI-X known, counts the vector without handler, names the driver', () => {
    expect(m.devices).toEqual([
      expect.objectContaining({ bdf: '0000:3c:00.0', vectors: 3, kind: 'msix', driver: 'nvme', withoutHandler: [126], irqs: [124, 125] }),
    ]);
  });
  it('debugfs gives the chain and the vector; the hierarchy comes from it', () => {
    const r = m.irqs.find((i) => i.irq === 125)!;
    expect(r.vector).toEqual({ vector: 35, cpu: 3 });
    expect(r.chain!.map((c) => c.domain)).toEqual(['IR-PCI-MSI-3', 'INTEL-IR-0', 'VECTOR']);
    expect(m.domains.find((d) => d.name === 'IR-PCI-MSI-3')).toMatchObject({ parent: 'INTEL-IR-0', source: 'debugfs' });
    expect(m.unknown.join('\n')).not.toMatch(/vectors: no debugfs/);
  });
  it('continues as a 6.1 simulation with CPU2 taken offline at the end', () => {
    const s = scenarioFromImport(m);
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.scenario.machine).toMatchObject({ arch: 'x86', kernel: '6.1', cpus: 4, remap: 'intel-ir', devices: [{ bdf: '0000:3c:00.0', msix: { tableSize: 3 } }] });
    expect(s.scenario.actions.at(-1)).toEqual({ op: 'cpu_down', cpu: 2 });
    expect(s.scenario.actions).toContainEqual({ op: 'request_irq', dev: '0000:3c:00.0', index: 1, name: 'nvme0q1' });
    expect(s.reconstructed.join('\n')).toMatch(/offline CPUs 2/);
  });
  it('"==> path <==" sections work like the bundle\'s markers', () => {
    const m2 = ok(`==> /proc/interrupts <==\n${V612}\n\n==> /proc/irq/125/smp_affinity_list <==\n0\n`);
    expect(m2.irqs.find((i) => i.irq === 125)!.affinity).toEqual([0]);
  });
  it('grep output alone (no /proc/interrupts) still imports the irqs it names', () => {
    const m3 = ok('/sys/kernel/irq/40/chip_name:PCI-MSIX-0000:00:04.0\n/sys/kernel/irq/40/hwirq:2\n/sys/kernel/irq/40/actions:virtio3-tx\n/sys/kernel/irq/40/per_cpu_count:0,7376\n');
    expect(m3.irqs[0]).toMatchObject({ irq: 40, bdf: '0000:00:04.0', index: 2, actions: ['virtio3-tx'], counts: [0, 7376] });
    expect(m3.unknown.join('\n')).toMatch(/per-CPU counts: no \/proc\/interrupts/);
  });
});
