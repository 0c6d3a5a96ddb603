// Tests of the kernel-format text renderers on a 6.12 machine against the format rules of
// v6.12 kernel/irq/proc.c (show_interrupts), arch/x86/kernel/irq.c (arch_show_interrupts),
// kernel/irq/debugfs.c and kernel/irq/irqdomain.c. Expected rows are built from those printf
// formats, never pasted from model output. The other versions: render.versions.test.ts.

import { describe, expect, it } from 'vitest';
import { createMachine, type Machine } from '../machine';
import { debugfsDomain, debugfsIrq, procInterrupts } from './index';
import type { MachineSpec } from '../types';

const BDF = '0000:3d:00.0';
const CHIP = `IR-PCI-MSIX-${BDF}`;

function spec(remap: MachineSpec['remap'] = 'intel-ir'): MachineSpec {
  // 6.12: the queues spread over CPUs 0-3 in order (7.2 groups by cluster: 1, 3, 2, 0).
  return { arch: 'x86', kernel: '6.12', cpus: 4, remap, devices: [{ bdf: BDF, name: 'nvme', msix: { tableSize: 65 } }] };
}

/** An NVMe-like driver: 5 MSI-X vectors, the first one (admin queue) not managed. */
function nvme(remap: MachineSpec['remap'] = 'intel-ir', request = true): { m: Machine; virq: number[] } {
  const m = createMachine(spec(remap));
  const r = m.apply({ op: 'pci_alloc_irq_vectors', dev: BDF, min: 1, max: 5, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 });
  expect(r.ok, r.message).toBe(true);
  expect(r.value).toBe(5);
  const virq: number[] = [];
  for (let i = 0; i < 5; i++) {
    const v = m.apply({ op: 'pci_irq_vector', dev: BDF, nr: i });
    expect(v.ok).toBe(true);
    virq.push(v.value as number);
  }
  if (request) {
    for (let i = 0; i < 5; i++) {
      const q = m.apply({ op: 'request_irq', dev: BDF, index: i, name: `nvme0q${i}` });
      expect(q.ok, q.message).toBe(true);
    }
  }
  return { m, virq };
}

const lines = (s: string) => s.split('\n');

// ---- v6.12 printf building blocks (prec = 3: 4 CPUs, gsi_top 24 → nr_irqs 456 < 1000) ----
const PREC = 3;
/** "%*d: " + "%10u " per online CPU + " %8s" chip + " %*lu" hwirq + "-%-8s" flow + "  %s" action */
function row(irq: number, counts: number[], chip: string, hwirq: number, flow: string, action: string): string {
  return `${String(irq).padStart(PREC)}: ` + counts.map((c) => `${String(c).padStart(10)} `).join('') +
    ` ${chip.padStart(8)} ${String(hwirq).padStart(PREC)}-${flow.padEnd(8)}  ${action}`;
}
/** arch rows: "%*s: " + "%10u " per online CPU + "  text" */
function archRow(label: string, counts: number[], text: string): string {
  return `${label.padStart(PREC)}: ` + counts.map((c) => `${String(c).padStart(10)} `).join('') + `  ${text}`;
}

describe('/proc/interrupts', () => {
  it('prints the header: prec + 8 blanks, then "CPU%-8d" per online CPU', () => {
    const { m } = nvme();
    const head = lines(procInterrupts(m))[0];
    expect(head).toBe('           CPU0       CPU1       CPU2       CPU3       ');
    expect(head.indexOf('CPU0')).toBe(PREC + 8);
    // The count column under CPU0 ends where "CPU0" ends: "%*d: " + "%10u".
    expect(head.indexOf('CPU0') + 4).toBe(PREC + 2 + 10);
  });

  it('prints the legacy IO-APIC rows with chip IR-IO-APIC, the pin as hwirq and edge/fasteoi', () => {
    const { m } = nvme();
    const l = lines(procInterrupts(m));
    const z = [0, 0, 0, 0];
    expect(l).toContain(row(0, z, 'IR-IO-APIC', 2, 'edge', 'timer'));
    expect(l).toContain(row(1, z, 'IR-IO-APIC', 1, 'edge', 'i8042'));
    expect(l).toContain(row(8, z, 'IR-IO-APIC', 8, 'edge', 'rtc0'));
    expect(l).toContain(row(9, z, 'IR-IO-APIC', 9, 'fasteoi', 'acpi'));
    expect(l).toContain(row(12, z, 'IR-IO-APIC', 12, 'edge', 'i8042'));
    // Spelled out once, character by character: two blanks before the chip.
    expect(l).toContain('  9:          0          0          0          0  IR-IO-APIC   9-fasteoi   acpi');
  });

  it('pads a short chip name to 8: "%10u " then " %8s" puts three blanks before "IO-APIC"', () => {
    const { m } = nvme('none');
    const l = lines(procInterrupts(m));
    expect(l).toContain('  0:          0          0          0          0   IO-APIC   2-edge      timer');
    expect(l).toContain(row(9, [0, 0, 0, 0], 'IO-APIC', 9, 'fasteoi', 'acpi'));
  });

  it('prints one row per requested MSI-X vector, hwirq = MSI-X index', () => {
    const { m, virq } = nvme();
    const l = lines(procInterrupts(m));
    for (let i = 0; i < 5; i++) expect(l).toContain(row(virq[i], [0, 0, 0, 0], CHIP, i, 'edge', `nvme0q${i}`));
    const q1 = l.find((x) => x.endsWith('nvme0q1'))!;
    expect(q1).toBe(`${String(virq[1]).padStart(3)}:          0          0          0          0  ${CHIP}   1-edge      nvme0q1`);
  });

  it('skips allocated descriptors that have no action', () => {
    const { m, virq } = nvme('intel-ir', false);
    const text = procInterrupts(m);
    expect(text).not.toContain(CHIP);
    for (const v of virq) expect(lines(text).some((x) => x.startsWith(`${String(v).padStart(3)}:`))).toBe(false);
    m.apply({ op: 'request_irq', dev: BDF, index: 2, name: 'nvme0q2' });
    const l = lines(procInterrupts(m));
    expect(l.filter((x) => x.includes(CHIP))).toEqual([row(virq[2], [0, 0, 0, 0], CHIP, 2, 'edge', 'nvme0q2')]);
    m.apply({ op: 'free_irq', dev: BDF, index: 2 });
    expect(procInterrupts(m)).not.toContain(CHIP);
  });

  it('counts move on the CPU the interrupt is routed to', () => {
    const { m, virq } = nvme('none');
    const chip = `PCI-MSIX-${BDF}`;
    // Managed vectors 1..4 spread one per CPU: index 1 → CPU0, index 3 → CPU2.
    expect(m.apply({ op: 'raise', dev: BDF, index: 1 }).ok).toBe(true);
    expect(m.apply({ op: 'raise', dev: BDF, index: 1 }).ok).toBe(true);
    expect(m.apply({ op: 'raise', dev: BDF, index: 3 }).ok).toBe(true);
    let l = lines(procInterrupts(m));
    expect(l).toContain(row(virq[1], [2, 0, 0, 0], chip, 1, 'edge', 'nvme0q1'));
    expect(l).toContain(row(virq[3], [0, 0, 1, 0], chip, 3, 'edge', 'nvme0q3'));
    // The admin queue moves to CPU3 (deferred: the move happens with the next interrupt).
    expect(m.apply({ op: 'irq_set_affinity', dev: BDF, index: 0, cpus: [3] }).ok).toBe(true);
    m.apply({ op: 'raise', dev: BDF, index: 0 });
    m.apply({ op: 'msleep', ms: 10 });
    const before = m.k.descs.get(virq[0])!.kstat.slice();
    expect(m.apply({ op: 'raise', dev: BDF, index: 0 }).ok).toBe(true);
    l = lines(procInterrupts(m));
    expect(l).toContain(row(virq[0], [before[0], before[1], before[2], before[3] + 1], chip, 0, 'edge', 'nvme0q0'));
    expect(l).toContain('ERR:          0');
  });

  // irq_chip_compose_msi_msg() composes at the first level from the top that has
  // irq_compose_msi_msg: with remapping the INTEL-IR chip (remappable format), which the IOMMU
  // accepts. A model composing at VECTOR (compatibility format) would have the write rejected.
  it('with remapping, raised interrupts are counted (irq_chip_compose_msi_msg() at the IR level)', () => {
    const { m, virq } = nvme();
    expect(m.apply({ op: 'raise', dev: BDF, index: 1 }).ok).toBe(true);
    expect(m.apply({ op: 'raise', dev: BDF, index: 3 }).ok).toBe(true);
    const l = lines(procInterrupts(m));
    expect(l).toContain(row(virq[1], [1, 0, 0, 0], CHIP, 1, 'edge', 'nvme0q1'));
    expect(l).toContain(row(virq[3], [0, 0, 1, 0], CHIP, 3, 'edge', 'nvme0q3'));
    expect(l).toContain('ERR:          0');
  });

  it('prints the x86 arch rows in the kernel order, ERR/MIS as single totals', () => {
    const { m } = nvme();
    const l = lines(procInterrupts(m));
    const z = [0, 0, 0, 0];
    const first = l.findIndex((x) => x.startsWith('NMI:'));
    expect(first).toBeGreaterThan(0);
    const arch = l.slice(first, -1);
    expect(arch.map((x) => x.slice(0, 4))).toEqual([
      'NMI:', 'LOC:', 'SPU:', 'PMI:', 'IWI:', 'RTR:', 'RES:', 'CAL:', 'TLB:', 'TRM:', 'THR:', 'DFR:', 'MCE:',
      'MCP:', 'ERR:', 'MIS:', 'PIN:', 'NPI:', 'PIW:',
    ]);
    expect(arch[0]).toBe('NMI:          0          0          0          0   Non-maskable interrupts');
    expect(arch).toContain(archRow('LOC', z, 'Local timer interrupts'));
    expect(arch).toContain(archRow('SPU', z, 'Spurious interrupts'));
    expect(arch).toContain(archRow('RTR', z, 'APIC ICR read retries'));
    expect(arch).toContain(archRow('TLB', z, 'TLB shootdowns'));
    expect(arch).toContain(archRow('DFR', z, 'Deferred Error APIC interrupts'));
    expect(arch).toContain(archRow('MCP', z, 'Machine check polls'));
    expect(arch).toContain('ERR:          0');
    expect(arch).toContain('MIS:          0');
    expect(arch).toContain(archRow('PIN', z, 'Posted-interrupt notification event'));
    expect(arch).toContain(archRow('NPI', z, 'Nested posted-interrupt event'));
    expect(arch[arch.length - 1]).toBe(archRow('PIW', z, 'Posted-interrupt wakeup event'));
    // No platform/hypervisor/posted-MSI rows on bare metal without those features.
    for (const absent of ['PLT:', 'HYP:', 'HRE:', 'HVS:', 'PMN:']) expect(l.some((x) => x.trimStart().startsWith(absent))).toBe(false);
    // The text ends with the last arch row and a newline.
    expect(procInterrupts(m).endsWith('Posted-interrupt wakeup event\n')).toBe(true);
  });

  it('SPU shows the per-CPU spurious counts, ERR the global error count', () => {
    const { m } = nvme();
    m.spurious[1] = 3;
    m.errCount = 2;
    const l = lines(procInterrupts(m));
    expect(l).toContain(archRow('SPU', [0, 3, 0, 0], 'Spurious interrupts'));
    expect(l).toContain('ERR:          2');
  });

  it('drops the column of an offline CPU everywhere', () => {
    const { m, virq } = nvme('none');
    const chip = `PCI-MSIX-${BDF}`;
    m.apply({ op: 'raise', dev: BDF, index: 1 });
    expect(m.apply({ op: 'cpu_down', cpu: 2 }).ok).toBe(true);
    const l = lines(procInterrupts(m));
    expect(l[0]).toBe('           CPU0       CPU1       CPU3       ');
    expect(l).toContain(row(virq[1], [1, 0, 0], chip, 1, 'edge', 'nvme0q1'));
    // The managed vector of CPU2 is shut down but keeps its handler: still listed.
    expect(l).toContain(row(virq[3], [0, 0, 0], chip, 3, 'edge', 'nvme0q3'));
    expect(l).toContain(archRow('NMI', [0, 0, 0], 'Non-maskable interrupts'));
    expect(m.apply({ op: 'cpu_up', cpu: 2 }).ok).toBe(true);
    expect(lines(procInterrupts(m))[0]).toBe('           CPU0       CPU1       CPU2       CPU3       ');
  });
});

/** The VECTOR block's lines (x86_vector_debug_show) at indent `ind`. */
function vectorBlock(ind: number, vector: number, target: number, managed: boolean, canReserve: boolean, hasReserved: boolean): string[] {
  const p = ' '.repeat(ind);
  return [
    `${p}Vector: ${String(vector).padStart(5)}`,
    `${p}Target: ${String(target).padStart(5)}`,
    `${p}move_in_progress: 0`,
    `${p}is_managed:       ${managed ? 1 : 0}`,
    `${p}can_reserve:      ${canReserve ? 1 : 0}`,
    `${p}has_reserved:     ${hasReserved ? 1 : 0}`,
    `${p}cleanup_pending:  0`,
  ];
}

/** Intel remappable-format MSI address for an IRTE index (fill_msi_msg). */
const irAddressLo = (index: number) => (0xfee00000 | ((index & 0x7fff) << 5) | 0x10 | 0x8 | (((index >> 15) & 1) << 2)) >>> 0;
const hex8 = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

describe('debugfs irqs/N', () => {
  it('returns null for a virq without descriptor', () => {
    const { m } = nvme();
    expect(debugfsIrq(m, 400)).toBeNull();
    expect(debugfsIrq(m, -1)).toBeNull();
  });

  it('shows a managed, started MSI-X vector through INTEL-IR down to VECTOR', () => {
    const { m, virq } = nvme();
    const text = debugfsIrq(m, virq[1])!;
    expect(text.endsWith('\n')).toBe(true);
    const l = lines(text);
    expect(l.slice(0, 21)).toEqual([
      'handler:  handle_edge_irq',
      `device:   ${BDF}`,
      // v6.12 intel_irq_remapping_alloc(): irq_set_status_flags(virq, IRQ_MOVE_PCNTXT) (1 << 14),
      // mirrored by irq_modify_status() as IRQD_MOVE_PCNTXT (BIT(15)), named after SINGLE_TARGET.
      'status:   0x00004000',
      'istate:   0x00004000',
      'ddepth:   0',
      'wdepth:   0',
      'dstate:   0x19608200',
      '            IRQD_ACTIVATED',
      '            IRQD_IRQ_STARTED',
      '            IRQD_SINGLE_TARGET',
      '            IRQD_MOVE_PCNTXT',
      '            IRQD_AFFINITY_MANAGED',
      '            IRQD_AFFINITY_ON_ACTIVATE',
      '            IRQD_HANDLE_ENFORCE_IRQCTX',
      'node:     0',
      'affinity: 0',
      'effectiv: 0',
      'pending:  ',
      `domain:  ${CHIP}-12`,
      ' hwirq:   0x1',
      ` chip:    ${CHIP}`,
    ]);
    // v6.12 msi_domain_ops has no .debug_show: no message lines; the parent follows the chip flags.
    expect(l.slice(21, 25)).toEqual(['  flags:   0x430', '             IRQCHIP_SKIP_SET_WAKE', '             IRQCHIP_ONESHOT_SAFE', ' parent:']);
    expect(text).not.toContain('address_lo');
    expect(l[25]).toBe('    domain:  INTEL-IR-0-13');
    const irHwirq = /^ {5}hwirq: {3}0x([0-9a-f]+)$/.exec(l[26]);
    expect(irHwirq).not.toBeNull();
    // MSI-X: hwirq = IRTE index << 16 (sub_handle 0).
    expect(parseInt(irHwirq![1], 16) & 0xffff).toBe(0);
    expect(l.slice(27, 31)).toEqual(['     chip:    INTEL-IR', '      flags:   0x0', '     parent:', '        domain:  VECTOR']);
    expect(l[31]).toBe(`         hwirq:   0x${virq[1].toString(16)}`);
    expect(l.slice(32, 34)).toEqual(['         chip:    APIC', '          flags:   0x0']);
    const vec = /^ {9}Vector: +(\d+)$/.exec(l[34]);
    expect(vec).not.toBeNull();
    const v = Number(vec![1]);
    expect(v).toBeGreaterThanOrEqual(0x20);
    expect(v).toBeLessThan(0xeb);
    expect(l.slice(34, 41)).toEqual(vectorBlock(9, v, 0, true, false, false));
    expect(l.slice(41)).toEqual(['']);
  });

  it('with remapping, the device holds the remappable-format message (irq_chip_compose_msi_msg() at the IR level)', () => {
    // msi_domain_debug_show() prints the cached message: a 7.2 machine.
    const m = createMachine({ ...spec(), kernel: '7.2' });
    m.apply({ op: 'pci_alloc_irq_vectors', dev: BDF, min: 1, max: 5, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 });
    const virq = m.apply({ op: 'pci_irq_vector', dev: BDF, nr: 1 }).value as number;
    m.apply({ op: 'request_irq', virq, name: 'nvme0q1' });
    const l = lines(debugfsIrq(m, virq)!);
    const at = l.indexOf('  address_hi: 0x00000000');
    expect(at).toBeGreaterThan(0);
    const irteIndex = parseInt(/^ {5}hwirq: {3}0x([0-9a-f]+)$/.exec(l[at + 5])![1], 16) >>> 16;
    // fill_msi_msg(): remappable format, handle = IRTE index, data = sub_handle (0 for MSI-X).
    expect(l.slice(at, at + 3)).toEqual([
      '  address_hi: 0x00000000', `  address_lo: ${hex8(irAddressLo(irteIndex))}`, '  msg_data:   0x00000000',
    ]);
  });

  it('shows a reserved, not requested vector: no vector yet, has_reserved, IRQD_CAN_RESERVE', () => {
    const { m, virq } = nvme('intel-ir', false);
    const l = lines(debugfsIrq(m, virq[0])!);
    expect(l.slice(0, 15)).toEqual([
      'handler:  handle_edge_irq',
      `device:   ${BDF}`,
      'status:   0x00004000',
      'istate:   0x00004000',
      'ddepth:   1',
      'wdepth:   0',
      'dstate:   0x1d038000',
      '            IRQD_IRQ_DISABLED',
      '            IRQD_IRQ_MASKED',
      '            IRQD_SINGLE_TARGET',
      '            IRQD_MOVE_PCNTXT',
      '            IRQD_AFFINITY_ON_ACTIVATE',
      '            IRQD_CAN_RESERVE',
      '            IRQD_HANDLE_ENFORCE_IRQCTX',
      'node:     0',
    ]);
    expect(l[15]).toBe('affinity: 0-3');
    const vi = l.indexOf('        domain:  VECTOR');
    expect(vi).toBeGreaterThan(0);
    // vector_assign_managed_shutdown() only parks hw_irq_cfg; apicd->vector/cpu stay 0.
    expect(l.slice(vi + 4, vi + 11)).toEqual(vectorBlock(9, 0, 0, false, true, true));
    expect(l).toContain('         Vector:     0');
    expect(l).toContain('         has_reserved:     1');
  });

  it('prints "(null)" for descriptors without a device name (IO-APIC) and the IO-APIC chain', () => {
    const { m } = nvme();
    const l = lines(debugfsIrq(m, 9)!);
    expect(l[0]).toBe('handler:  handle_fasteoi_irq');
    expect(l[1]).toBe('device:   (null)');
    expect(l).toContain('            IRQD_LEVEL');
    const dom = l.findIndex((x) => x.startsWith('domain:  '));
    expect(l[dom]).toMatch(/^domain: {2}IO-APIC-\d+$/);
    expect(l[dom + 1]).toBe(' hwirq:   0x9');
    expect(l[dom + 2]).toBe(' chip:    IR-IO-APIC');
    // Not an MSI domain: no message lines; the next level is the remapping domain at indent 4.
    expect(l.slice(0, -1)).not.toContain('');
    expect(l.some((x) => x.includes('address_lo'))).toBe(false);
    expect(l).toContain('    domain:  INTEL-IR-0-13');
    expect(l).toContain('        domain:  VECTOR');
  });

  it('without remapping the chain has two levels and VECTOR prints at indent 5', () => {
    const { m, virq } = nvme('none');
    const text = debugfsIrq(m, virq[2])!;
    const l = lines(text);
    expect(l).toContain(`domain:  PCI-MSIX-${BDF}-12`);
    // v6.12 has no IRQCHIP_MOVE_DEFERRED (v6.13): the chip flags are 0x430, no IRQD_MOVE_PCNTXT either.
    expect(l).toContain(`  flags:   0x430`);
    expect(text).not.toContain('MOVE_DEFERRED');
    expect(text).not.toContain('IRQD_MOVE_PCNTXT');
    expect(l).toContain('status:   0x00000000');
    expect(l).toContain(' parent:');
    expect(l).toContain('    domain:  VECTOR');
    expect(l).toContain('     is_managed:       1');
    expect(l.some((x) => x.startsWith('     parent:'))).toBe(false);
    expect(l.some((x) => /^ {5}Vector: +\d+$/.test(x))).toBe(true);
    expect(text).not.toContain('msg_data');
  });

  it('shows the new target after an affinity write through the remapping domain', () => {
    const { m, virq } = nvme();
    expect(m.apply({ op: 'irq_set_affinity', dev: BDF, index: 0, cpus: [1] }).ok).toBe(true);
    const l = lines(debugfsIrq(m, virq[0])!);
    expect(l).toContain('affinity: 1');
    expect(l).toContain('effectiv: 1');
    expect(l).toContain('pending:  ');
    expect(l).toContain('            IRQD_AFFINITY_SET');
    expect(l).toContain('         Target:     1');
  });

  it('shows the pending mask of a deferred move (MOVE_DEFERRED chip, no remapping)', () => {
    const { m, virq } = nvme('none');
    expect(m.apply({ op: 'irq_set_affinity', dev: BDF, index: 0, cpus: [1] }).ok).toBe(true);
    let l = lines(debugfsIrq(m, virq[0])!);
    // irq_set_affinity_locked(): the chip cannot move in process context → irq_copy_pending().
    expect(l).toContain('pending:  1');
    expect(l).toContain('            IRQD_SETAFFINITY_PENDING');
    expect(l).toContain('            IRQD_AFFINITY_SET');
    // The next interrupt moves it (irq_move_irq from the ack): pending clears.
    expect(m.apply({ op: 'raise', dev: BDF, index: 0 }).ok).toBe(true);
    m.apply({ op: 'msleep', ms: 10 });
    l = lines(debugfsIrq(m, virq[0])!);
    expect(l).toContain('pending:  ');
    expect(l).not.toContain('            IRQD_SETAFFINITY_PENDING');
    expect(l).toContain('affinity: 1');
    expect(l).toContain('effectiv: 1');
    expect(l).toContain('     Target:     1');
  });
});

describe('debugfs domains/NAME', () => {
  it('returns null for an unknown domain', () => {
    const { m } = nvme();
    expect(debugfsDomain(m, 'NO-SUCH-DOMAIN')).toBeNull();
  });

  it('shows VECTOR with its flags and the matrix', () => {
    const { m } = nvme();
    const l = lines(debugfsDomain(m, 'VECTOR')!);
    expect(l.slice(0, 7)).toEqual([
      'name:   VECTOR',
      ' size:   0',
      l[2],
      ' flags:  0x00000103',
      '            IRQ_DOMAIN_FLAG_HIERARCHY',
      '            IRQ_DOMAIN_NAME_ALLOCATED',
      '            IRQ_DOMAIN_FLAG_MSI_PARENT',
    ]);
    expect(l[2]).toMatch(/^ mapped: \d+$/);
    expect(l[7]).toMatch(/^Online bitmaps: {3} {5}4$/);
    expect(l[8]).toMatch(/^Global available: +\d+$/);
    expect(l[9]).toMatch(/^Global reserved: {2} +\d+$/);
    expect(l[10]).toMatch(/^Total allocated: {2} +\d+$/);
    expect(l[11]).toMatch(/^System: \d+: /);
    expect(l[12]).toBe(' | CPU | avl | man | mac | act | vectors');
    for (let cpu = 0; cpu < 4; cpu++) expect(l[13 + cpu]).toMatch(new RegExp(`^ {2} {3}${cpu} {2} +\\d+ {2} +\\d+ {2} +\\d+ +\\d+ {2}[0-9,-]*$`));
    expect(l.slice(17)).toEqual(['']);
    // The root domain has no parent line; "default" is the default host domain.
    expect(l.some((x) => x.includes('parent:'))).toBe(false);
    expect(debugfsDomain(m, 'default')).toBe(debugfsDomain(m, 'VECTOR'));
  });

  it('prints the System line of v6.12 lapic_assign_system_vectors() (the matrix is built for the machine\'s kernel)', () => {
    const { m } = nvme();
    // system_vectors of Debian's 6.12 amd64 build: idt.c def_idts 0-19 with #VE 20 (INTEL_TDX_GUEST),
    // #CP 21 (X86_CET), #VC 29 (AMD_MEM_ENCRYPT), early #BP/#DB/#PF; ia32_idt 0x80; apic_idts 0xec,
    // 0xf0-0xf2 (KVM), 0xf4 (MCE_AMD), 0xf6-0xff — no 0xeb (X86_POSTED_MSI unset), no 0xef; + the
    // cascade 0x32 (nr_legacy_irqs() > 1).
    expect(lines(debugfsDomain(m, 'VECTOR')!)[11]).toBe('System: 40: 0-21,29,50,128,236,240-242,244,246-255');
  });

  it('lists only online CPUs in the matrix table', () => {
    const { m } = nvme();
    m.apply({ op: 'cpu_down', cpu: 1 });
    const l = lines(debugfsDomain(m, 'VECTOR')!);
    expect(l).toContain('Online bitmaps:        3');
    const rows = l.filter((x) => /^ {2} {3}\d {2}/.test(x)).map((x) => Number(x.trim().split(/\s+/)[0]));
    expect(rows).toEqual([0, 2, 3]);
  });

  it('shows the per-device MSI-X domain, then its parents 4 columns deeper each', () => {
    const { m } = nvme();
    const name = `${CHIP}-12`;
    const l = lines(debugfsDomain(m, name)!);
    expect(l.slice(0, 9)).toEqual([
      `name:   ${name}`,
      ' size:   0',
      ' mapped: 5',
      ' flags:  0x00000213',
      '            IRQ_DOMAIN_FLAG_HIERARCHY',
      '            IRQ_DOMAIN_NAME_ALLOCATED',
      '            IRQ_DOMAIN_FLAG_MSI',
      '            IRQ_DOMAIN_FLAG_MSI_DEVICE',
      ' parent: INTEL-IR-0-13',
    ]);
    expect(l[9]).toBe('    name:   INTEL-IR-0-13');
    expect(l[10]).toBe('     size:   65536');
    expect(l[11]).toMatch(/^ {5}mapped: \d+$/);
    expect(l.slice(12, 18)).toEqual([
      '     flags:  0x00000123',
      '                IRQ_DOMAIN_FLAG_HIERARCHY',
      '                IRQ_DOMAIN_NAME_ALLOCATED',
      '                IRQ_DOMAIN_FLAG_ISOLATED_MSI',
      '                IRQ_DOMAIN_FLAG_MSI_PARENT',
      '     parent: VECTOR',
    ]);
    expect(l.slice(18, 20)).toEqual(['        name:   VECTOR', '         size:   0']);
    expect(l[21]).toBe('         flags:  0x00000103');
    expect(l[25]).toMatch(/^Online bitmaps:/);
    // The matrix table is indented by the VECTOR level's ind (8 + 1).
    expect(l[29]).toMatch(/^System: \d+: /);
    expect(l[30]).toBe('         | CPU | avl | man | mac | act | vectors');
    expect(l[31]).toMatch(/^ {9} {4}0 {2}/);
  });
});

describe('debugfs irq text follows the state', () => {
  it('a shut down managed vector (CPU offline) shows IRQD_MANAGED_SHUTDOWN and no started bit', () => {
    const { m, virq } = nvme();
    m.apply({ op: 'cpu_down', cpu: 3 });
    const l = lines(debugfsIrq(m, virq[4])!);
    expect(l).toContain('            IRQD_MANAGED_SHUTDOWN');
    expect(l).not.toContain('            IRQD_IRQ_STARTED');
    expect(l).not.toContain('            IRQD_ACTIVATED');
    expect(l).toContain('affinity: 3');
  });
});
