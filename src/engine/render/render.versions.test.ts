// What each kernel version prints, held against that version's source (Debian's linux-source
// 6.1.192, 6.12.118, 7.2.13: kernel/irq/proc.c, kernel/irq/debugfs.c, kernel/irq/irqdomain.c,
// arch/x86/kernel/irq.c, arch/x86/kernel/idt.c, arch/arm64/kernel/smp.c) and against the real
// captures of conformance/fixtures: every irq row a kernel printed is rebuilt from its fields
// by the renderer's row formatter, byte for byte. Expected texts come from the sources and the
// captures, never from the model's output.

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMachine, type Machine } from '../machine';
import { KERNEL_FACTS, KERNEL_PROFILES, elixirUrl, kernelFactsDiffering } from '../profiles';
import type { KernelVersion, MachineSpec } from '../types';
import { formatCpuList } from '../core/cpumask';
import { x86MatrixSystemVectors, x86SystemVectors } from '../arch/x86/vectors';
import { debugfsAll, debugfsDomain, debugfsIrq, procInterrupts } from './index';
import { type ProcIrqRow, formatIrqRow } from './proc';

const BDF = '0000:3d:00.0';
const CHIP = `IR-PCI-MSIX-${BDF}`;
const lines = (s: string) => s.split('\n');

function x86(kernel: KernelVersion, remap: MachineSpec['remap'] = 'intel-ir', extra: Partial<MachineSpec> = {}): Machine {
  return createMachine({ arch: 'x86', kernel, cpus: 4, remap, devices: [{ bdf: BDF, name: 'nvme', msix: { tableSize: 65 } }], ...extra });
}

/** admin queue + 4 managed queues, all requested. */
function nvme(m: Machine, n = 5): number[] {
  const r = m.apply({ op: 'pci_alloc_irq_vectors', dev: BDF, min: 1, max: n, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 });
  expect(r.ok, r.message).toBe(true);
  const virq: number[] = [];
  for (let i = 0; i < n; i++) {
    virq.push(m.apply({ op: 'pci_irq_vector', dev: BDF, nr: i }).value as number);
    const q = m.apply({ op: 'request_irq', dev: BDF, index: i, name: `nvme0q${i}` });
    expect(q.ok, q.message).toBe(true);
  }
  return virq;
}

describe('kernel profiles pin the facts of each version', () => {
  it('6.1: show_interrupts() with any_count, printf arch rows, 7 arm64 IPIs, 0xec, IRQ_MOVE_CLEANUP_VECTOR', () => {
    const p = KERNEL_PROFILES['6.1'];
    expect(p.proc).toMatchObject({ show: 'show_interrupts', listsCountsWithoutAction: true, x86Arch: 'printf', arm64IpiRow: 'pad' });
    // v6.1 arch/arm64/kernel/smp.c ipi_types[NR_IPI]
    expect(p.proc.arm64Ipis).toEqual([
      'Rescheduling interrupts', 'Function call interrupts', 'CPU stop interrupts', 'CPU stop (for crash dump) interrupts',
      'Timer broadcast interrupts', 'IRQ work interrupts', 'CPU wake-up interrupts',
    ]);
    expect(p.firstSystemVector).toBe(0xec);
    expect(p.x86Idt.moveCleanupVector).toBe(true);
    expect(p.debugfs).toMatchObject({ movePcntxt: true, resendWhenInProgress: false, domainFlagNames: false, domainFlagBits: 'msi-remap', msiMessage: false });
  });

  it('6.12: show_interrupts() without any_count, 8 arm64 IPIs (MAX_IPI), 0xeb, IRQD_MOVE_PCNTXT still', () => {
    const p = KERNEL_PROFILES['6.12'];
    expect(p.proc).toMatchObject({ show: 'show_interrupts', listsCountsWithoutAction: false, x86Arch: 'printf', arm64IpiRow: 'pad' });
    // v6.12 arch/arm64/kernel/smp.c ipi_types[MAX_IPI]
    expect(p.proc.arm64Ipis).toEqual([
      'Rescheduling interrupts', 'Function call interrupts', 'CPU stop interrupts', 'CPU stop NMIs',
      'Timer broadcast interrupts', 'IRQ work interrupts', 'CPU backtrace interrupts', 'KGDB roundup interrupts',
    ]);
    expect(p.firstSystemVector).toBe(0xeb);
    expect(p.debugfs).toMatchObject({ movePcntxt: true, resendWhenInProgress: true, domainFlagNames: true, msiMessage: false, procValidStatus: false });
  });

  it('7.2: irq_seq_show() with the padded chip column, the irq_stat_info table, tight IPI rows, 0xf5', () => {
    const p = KERNEL_PROFILES['7.2'];
    expect(p.proc).toMatchObject({ show: 'irq_seq_show', listsCountsWithoutAction: false, x86Arch: 'irq_stat_info', arm64IpiRow: 'tight' });
    expect(p.proc.arm64Ipis).toHaveLength(8);
    expect(p.firstSystemVector).toBe(0xeb);
    expect(p.x86Idt).toMatchObject({ moveCleanupVector: false, perfGuestMediatedPmi: true });
    expect(p.debugfs).toMatchObject({ movePcntxt: false, msiMessage: true, procValidStatus: true, domainFlagBits: 'fwnode-parent' });
  });

  it('every fact the UI shows names the version it changed in, one line, a source file and an Elixir link per version', () => {
    expect(KERNEL_FACTS.length).toBeGreaterThan(10);
    for (const f of KERNEL_FACTS) {
      expect(f.text).not.toContain('\n');
      expect(f.file).toMatch(/^(arch|kernel|include|drivers|lib)\//);
      expect(f.since).toMatch(/^\d+\.\d+$/);
      for (const v of ['6.1', '6.12', '7.2'] as const) expect(typeof f.value(KERNEL_PROFILES[v])).toBe('string');
    }
    expect(elixirUrl(KERNEL_PROFILES['6.12'], 'kernel/irq/proc.c')).toBe('https://elixir.bootlin.com/linux/v6.12/source/kernel/irq/proc.c');
    // 7.2 differs from 6.12 in the /proc/interrupts layout and from 6.1 in FIRST_SYSTEM_VECTOR.
    expect(kernelFactsDiffering(KERNEL_PROFILES['7.2']).map((d) => d.fact.id)).toContain('proc.show');
    expect(kernelFactsDiffering(KERNEL_PROFILES['6.1']).map((d) => d.fact.id)).toContain('firstSystemVector');
  });
});

describe('/proc/interrupts of 7.2 (irq_seq_show, irq_stat_info)', () => {
  it('prints the irq column 4 wide, the chip padded to the longest MSI chip name, one blank, the hwirq', () => {
    const m = x86('7.2');
    const virq = nvme(m);
    const l = lines(procInterrupts(m));
    // irq_proc_constraints.num_prec starts at 4: 12 blanks before CPU0.
    expect(l[0]).toBe('            CPU0       CPU1       CPU2       CPU3       ');
    // "%*u:" + " %10u" x4 + "  " + "%-*s" (width 24 = strlen("IR-PCI-MSIX-0000:3d:00.0")) + " " + "%*lu"
    expect(l).toContain('   9:          0          0          0          0  IR-IO-APIC                  9-fasteoi   acpi');
    const q2 = l.find((x) => x.endsWith('nvme0q2'))!;
    expect(q2).toBe(`${String(virq[2]).padStart(4)}:          0          0          0          0  ${CHIP}    2-edge      nvme0q2`);
  });

  it('keeps the chip column at 8 when no longer chip name was set through the core (IR-IO-APIC is assigned directly)', () => {
    const m = x86('7.2');
    // v7.2 io_apic.c mp_irqdomain_alloc(): irq_data->chip = ... (no irq_proc_update_chip), so 10 > 8 overflows.
    expect(lines(procInterrupts(m))).toContain('   9:          0          0          0          0  IR-IO-APIC    9-fasteoi   acpi');
  });

  it('prints the arch rows of irq_stat_info[]: " NMI:" at prec 4, " %10u" counts, SPU/RTR/ERR/MIS hidden while zero, VPMI', () => {
    const m = x86('7.2');
    nvme(m);
    const text = procInterrupts(m);
    const l = lines(text);
    const first = l.findIndex((x) => x.startsWith(' NMI:'));
    const arch = l.slice(first, -1);
    // A generic Intel-IR machine: no AMD CPU (DFR cleared), no hypervisor callback, no platform IPI, no posted MSI.
    expect(arch.map((x) => x.slice(0, 5))).toEqual([
      ' NMI:', ' LOC:', ' PMI:', ' IWI:', ' RES:', ' CAL:', ' TLB:', ' TRM:', ' THR:', ' MCE:', ' MCP:', ' PIN:', ' NPI:', ' PIW:', 'VPMI:',
    ]);
    expect(arch[0]).toBe(' NMI:          0          0          0          0  Non-maskable interrupts');
    expect(arch[arch.length - 1]).toBe('VPMI:          0          0          0          0  Perf Guest Mediated PMI');
    expect(text.endsWith('Perf Guest Mediated PMI\n')).toBe(true);
  });

  it('shows SPU once a spurious interrupt was counted, and ERR per CPU as "PIC/APIC error interrupts" after MIS-less tail', () => {
    const m = x86('7.2');
    m.spurious[2] = 1;
    m.errCount = 3;
    const l = lines(procInterrupts(m));
    expect(l).toContain(' SPU:          0          0          1          0  Spurious interrupts');
    // irq_stat_info[]: ERR comes after VPMI (and PMN), per CPU; the model's one count sits on CPU0.
    expect(l.slice(-3, -1)).toEqual([
      'VPMI:          0          0          0          0  Perf Guest Mediated PMI',
      ' ERR:          3          0          0          0  PIC/APIC error interrupts',
    ]);
  });

  it('prints DFR on an AMD machine (irq_init_stats() clears it on other vendors)', () => {
    const m = x86('7.2', 'amd-ir');
    expect(lines(procInterrupts(m))).toContain(' DFR:          0          0          0          0  Deferred Error APIC interrupts');
  });

  it('without an irq domain the hwirq column is " %*s": one blank wider than with one', () => {
    const row: ProcIrqRow = { irq: 30, counts: [0, 0], chip: 'PCI-MSI', hwirq: null, flow: 'edge', actions: ['nic'] };
    const f = KERNEL_PROFILES['7.2'].proc;
    expect(formatIrqRow(f, row, 4, 8)).toBe('  30:          0          0  PCI-MSI       -edge      nic\n');
    expect(formatIrqRow(f, { ...row, hwirq: 7 }, 4, 8)).toBe('  30:          0          0  PCI-MSI     7-edge      nic\n');
  });
});

describe('/proc/interrupts of 6.1 (show_interrupts with any_count)', () => {
  it('lists a descriptor without action whose counts are not all zero, with no action names', () => {
    const m = x86('6.1', 'none');
    const virq = nvme(m, 2);
    m.apply({ op: 'raise', dev: BDF, index: 0 });
    const q0 = m.k.descs.get(virq[0])!;
    const before = q0.kstat.reduce((a, b) => a + b, 0);
    expect(before).toBeGreaterThan(0);
    expect(m.apply({ op: 'free_irq', dev: BDF, index: 0 }).ok).toBe(true);
    const row = lines(procInterrupts(m)).find((x) => x.startsWith(`${String(virq[0]).padStart(3)}: `));
    expect(row).toBeDefined();
    // "-%-8s" of "edge" and nothing after it.
    expect(row!.endsWith('-edge    ')).toBe(true);
    // 6.12 drops it (no action).
    const m12 = x86('6.12', 'none');
    const v12 = nvme(m12, 2);
    m12.apply({ op: 'raise', dev: BDF, index: 0 });
    m12.apply({ op: 'free_irq', dev: BDF, index: 0 });
    expect(lines(procInterrupts(m12)).some((x) => x.startsWith(`${String(v12[0]).padStart(3)}: `))).toBe(false);
  });

  it('prints every arch row of v6.1 arch_show_interrupts(), ERR and MIS as totals, no VPMI', () => {
    const l = lines(procInterrupts(x86('6.1')));
    const first = l.findIndex((x) => x.startsWith('NMI:'));
    expect(l.slice(first, -1).map((x) => x.slice(0, 4))).toEqual([
      'NMI:', 'LOC:', 'SPU:', 'PMI:', 'IWI:', 'RTR:', 'RES:', 'CAL:', 'TLB:', 'TRM:', 'THR:', 'DFR:', 'MCE:', 'MCP:', 'ERR:', 'MIS:', 'PIN:', 'NPI:', 'PIW:',
    ]);
  });
});

describe('/proc/interrupts on arm64 per version', () => {
  const arm = (kernel: KernelVersion) => createMachine({ arch: 'arm64', kernel, cpus: 2, devices: [{ bdf: '0000:00:01.0', name: 'nvme', msix: { tableSize: 9 } }] });
  it('6.1 prints IPI0-IPI6, 6.12 IPI0-IPI7 ("%*s%u:%s" + "%10u " + "      %s"), 7.2 "IPI%u: " + " %s" and " Err:"', () => {
    const t61 = lines(procInterrupts(arm('6.1')));
    const t612 = lines(procInterrupts(arm('6.12')));
    const t72 = lines(procInterrupts(arm('7.2')));
    const z2 = '         0          0 ';
    expect(t61.filter((x) => x.startsWith('IPI'))).toHaveLength(7);
    expect(t61).toContain(`IPI6:${z2}      CPU wake-up interrupts`);
    expect(t612.filter((x) => x.startsWith('IPI'))).toHaveLength(8);
    expect(t612).toContain(`IPI7:${z2}      KGDB roundup interrupts`);
    expect(t612).toContain('Err:          0');
    // v7.2: prec 4 → "IPI" in 3 columns, then "7: ".
    expect(t72).toContain(`IPI7: ${z2} KGDB roundup interrupts`);
    expect(t72).toContain(' Err:          0');
  });
});

// ---- the real captures ----

const FIXTURES = new URL('../../../conformance/fixtures', import.meta.url).pathname;

interface ProcSection {
  kernel: KernelVersion;
  arch: string;
  fixture: string;
  step: number;
  text: string;
}

/** Every /proc/interrupts a kernel printed in the committed captures. */
function procSections(): ProcSection[] {
  const out: ProcSection[] = [];
  if (!existsSync(FIXTURES)) return out;
  for (const kernel of readdirSync(FIXTURES) as KernelVersion[]) {
    if (!(kernel in KERNEL_PROFILES)) continue;
    for (const arch of readdirSync(join(FIXTURES, kernel))) {
      for (const name of readdirSync(join(FIXTURES, kernel, arch))) {
        const file = join(FIXTURES, kernel, arch, name, 'capture.txt');
        if (!existsSync(file)) continue;
        let step = -1;
        let body: string[] | null = null;
        const flush = () => {
          if (body) out.push({ kernel, arch, fixture: `${kernel}/${arch}/${name}`, step, text: `${body.join('\n')}\n` });
          body = null;
        };
        for (const line of readFileSync(file, 'utf8').split('\n')) {
          if (line.startsWith('@@ ')) {
            flush();
            const s = /^@@ step (\d+)/.exec(line);
            if (s) step = Number(s[1]);
            if (line === '@@ file /proc/interrupts') body = [];
          } else if (body) body.push(line);
        }
        flush();
      }
    }
  }
  return out;
}

/** One irq row's fields, read from the kernel's line without assuming its column layout. */
function parseIrqRow(line: string, ncpus: number, arm64: boolean): ProcIrqRow {
  const colon = line.indexOf(':');
  const irq = Number(line.slice(0, colon));
  let rest = line.slice(colon + 1);
  const counts: number[] = [];
  for (let c = 0; c < ncpus; c++) {
    const m = /^\s+(\d+)/.exec(rest)!;
    counts.push(Number(m[1]));
    rest = rest.slice(m[0].length);
  }
  const m = /^\s+(\S+)\s+(\d+)?\s*(?:(Level|Edge)\s*)?(?:-(\S+))?(?:\s+(\S.*))?$/.exec(rest);
  if (!m) throw new Error(`cannot read ${JSON.stringify(line)}`);
  return {
    irq, counts, chip: m[1], hwirq: m[2] !== undefined ? Number(m[2]) : null,
    level: arm64 ? m[3] === 'Level' : undefined, flow: m[4] ?? '', actions: m[5] ? m[5].split(', ') : [],
  };
}

/** Chips the kernel assigns without irq_proc_update_chip() (x86 io_apic.c, vector.c, irq_remapping.c). */
const DIRECT_CHIPS = new Set(['IR-IO-APIC', 'IO-APIC', 'APIC', 'INTEL-IR', 'AMD-IR']);

const arch = (text: string) => text.split('\n').filter((l) => l && !/^\s*\d+:/.test(l)).slice(1);
/** Each count keeps its width, its digits become '#'. */
const mask = (l: string) => l.replace(/( +)(\d+)/g, (_, sp: string, d: string) => `${sp}${' '.repeat(d.length - 1)}#`);

describe('the layout of every irq row the real kernels printed (conformance/fixtures)', () => {
  const sections = procSections();
  it.skipIf(sections.length === 0)('rebuilds each row from its fields, byte for byte, with the version\'s rules', () => {
    const widths = new Map<string, number>();
    let rows = 0;
    for (const s of sections) {
      const facts = KERNEL_PROFILES[s.kernel].proc;
      const all = s.text.replace(/\n$/, '').split('\n');
      const header = all[0];
      const prec = header.indexOf('CPU') - 8;
      // show_interrupts() starts at 3, irq_seq_show() at 4; more with nr_irqs >= 1000 / 10000.
      expect(prec, `${s.fixture} step ${s.step}: prec`).toBeGreaterThanOrEqual(facts.show === 'irq_seq_show' ? 4 : 3);
      const ncpus = (header.match(/CPU\d+/g) ?? []).length;
      const parsed = all.slice(1).filter((l) => /^\s*\d+:/.test(l)).map((l) => ({ l, r: parseIrqRow(l, ncpus, s.arch === 'arm64') }));
      // irq_proc_update_chip(): the longest chip name set through the core so far in this boot (never shrinks).
      let width = Math.max(8, widths.get(s.fixture) ?? 8);
      for (const { r } of parsed) if (!DIRECT_CHIPS.has(r.chip)) width = Math.max(width, r.chip.length);
      widths.set(s.fixture, width);
      for (const { l, r } of parsed) {
        expect(formatIrqRow(facts, r, prec, width), `${s.fixture} step ${s.step}`).toBe(`${l}\n`);
        rows++;
      }
    }
    expect(rows).toBeGreaterThan(0);
  });

  it.skipIf(sections.length === 0)('prints the arch rows each kernel printed after boot (counts aside)', () => {
    let compared = 0;
    for (const s of sections.filter((x) => x.step === 0)) {
      const scenario = JSON.parse(readFileSync(join(FIXTURES, s.fixture, 'scenario.json'), 'utf8')) as { machine: MachineSpec };
      let m: Machine;
      try {
        m = createMachine(scenario.machine);
      } catch {
        continue; // a machine the engine cannot boot yet: its rows are checked above
      }
      expect(arch(procInterrupts(m)).map(mask), s.fixture).toEqual(arch(s.text).map(mask));
      expect(lines(procInterrupts(m))[0], s.fixture).toBe(lines(s.text)[0]);
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });
});

describe('x86 system vectors (idt.c system_vectors + lapic_assign_system_vectors())', () => {
  const list = (v: number[]) => `${v.length}: ${formatCpuList(v)}`;
  it('6.1: exceptions 0-19 and #VC 29, IRQ_MOVE_CLEANUP_VECTOR 32, cascade 50, int 0x80, the apic_idts', () => {
    expect(list(x86MatrixSystemVectors(KERNEL_PROFILES['6.1']))).toBe('39: 0-19,29,32,50,128,236,240-242,244,246-255');
  });
  it('6.12: #VE 20 and #CP 21 too (Debian: INTEL_TDX_GUEST, X86_CET), no cleanup vector, no 0xeb without X86_POSTED_MSI', () => {
    expect(list(x86MatrixSystemVectors(KERNEL_PROFILES['6.12']))).toBe('40: 0-21,29,50,128,236,240-242,244,246-255');
  });
  it('7.2: PERF_GUEST_MEDIATED_PMI_VECTOR 0xf5 joins; 0xef (MANAGED_IRQ_SHUTDOWN) is never a system vector', () => {
    const v = x86MatrixSystemVectors(KERNEL_PROFILES['7.2']);
    expect(list(v)).toBe('41: 0-21,29,50,128,236,240-242,244-255');
    expect(v).not.toContain(0xef);
    expect(v).not.toContain(0xeb);
  });
  it('0x80 only with IA32 emulation, the cascade only with a legacy PIC, 0xf3 for a KVM guest with async PF interrupts', () => {
    const p = KERNEL_PROFILES['7.2'];
    expect(x86SystemVectors(p, { ia32: false })).not.toContain(0x80);
    expect(x86MatrixSystemVectors(p, { legacyPic: false })).not.toContain(0x32);
    expect(x86SystemVectors(p)).not.toContain(0x32);
    expect(x86SystemVectors(p, { kvmAsyncPfInt: true })).toContain(0xf3);
  });
});

describe('debugfs per version', () => {
  it('6.1: a domain file has no flag names and the enum of its time (no MSI_PARENT on VECTOR)', () => {
    const l = lines(debugfsDomain(x86('6.1'), 'VECTOR')!);
    // v6.1 irq_domain_debug_show_one(): name, size, mapped, flags — no irq_debug_show_bits().
    expect(l.slice(0, 4)).toEqual(['name:   VECTOR', ' size:   0', l[2], ' flags:  0x00000003']);
    expect(l[4]).toMatch(/^Online bitmaps:/);
    // v6.1 intel_setup_irq_remapping(): irq_domain_create_hierarchy(..., 0, ...) on a named fwnode —
    // HIERARCHY | NAME_ALLOCATED; IRQ_DOMAIN_FLAG_MSI_REMAP was the ITS's only.
    const ir = x86('6.1').k.domains.find((d) => d.kind === 'remap')!;
    expect(lines(debugfsDomain(x86('6.1'), ir.name)!)[3]).toBe(' flags:  0x00000003');
  });

  it('6.1: no msi message block, IRQD_MOVE_PCNTXT named on a remapped interrupt, no RESEND name', () => {
    const m = x86('6.1');
    const virq = nvme(m, 2);
    const text = debugfsIrq(m, virq[1])!;
    expect(text).toContain('\nstatus:   0x00004000\n');
    expect(text).toContain('\n            IRQD_MOVE_PCNTXT\n');
    expect(text).not.toContain('address_lo');
    expect(text).not.toContain('IRQD_RESEND_WHEN_IN_PROGRESS');
  });

  it('7.2: status carries _IRQ_PROC_VALID on a listed irq, the MSI level prints its message, MOVE_DEFERRED is named', () => {
    const m = x86('7.2', 'none');
    const virq = nvme(m, 2);
    const text = debugfsIrq(m, virq[1])!;
    expect(lines(text)[2]).toBe('status:   0x00400000');
    expect(text).toContain('\n  flags:   0x1430\n');
    expect(text).toContain('\n             IRQCHIP_MOVE_DEFERRED\n');
    expect(text).toMatch(/\n\n {2}address_hi: 0x00000000\n {2}address_lo: 0x[0-9a-f]{8}\n {2}msg_data: {3}0x[0-9a-f]{8}\n/);
    expect(text).not.toContain('IRQD_MOVE_PCNTXT');
  });

  it('--format debugfs: every irq (IO-APIC and legacy too) and every domain file, `default` included', () => {
    const m = x86('7.2');
    nvme(m, 2);
    const { text, missing } = debugfsAll(m);
    expect(missing).toEqual([]);
    expect(text).toContain('==> /sys/kernel/debug/irq/domains/default <==\nname:   VECTOR\n');
    expect(text).toContain('==> /sys/kernel/debug/irq/domains/VECTOR <==\n');
    expect(text).toContain('==> /sys/kernel/debug/irq/irqs/9 <==\nhandler:  handle_fasteoi_irq\n');
    expect(text).toContain(`==> /sys/kernel/debug/irq/domains/${CHIP}-12 <==\n`);
    for (const v of m.k.descs.keys()) expect(text).toContain(`==> /sys/kernel/debug/irq/irqs/${v} <==\n`);
    // One file at a time.
    expect(debugfsAll(m, { irq: 9 }).text).toBe(`==> /sys/kernel/debug/irq/irqs/9 <==\n${debugfsIrq(m, 9)}`);
    expect(debugfsAll(m, { domain: 'VECTOR' }).text).toBe(`==> /sys/kernel/debug/irq/domains/VECTOR <==\n${debugfsDomain(m, 'VECTOR')}`);
    expect(debugfsAll(m, { irq: 4000 }).missing).toEqual(['/sys/kernel/debug/irq/irqs/4000']);
  });

  it('arm64: the GIC and ITS irqs and domains are there; `default` is empty (no irqchip sets a default domain)', () => {
    const m = createMachine({ arch: 'arm64', kernel: '7.2', cpus: 2, devices: [] });
    const { text } = debugfsAll(m);
    expect(text).toContain('==> /sys/kernel/debug/irq/domains/default <==\n\n');
    expect(debugfsDomain(m, 'default')).toBe('');
    const gicIrq = [...m.k.descs.values()].find((d) => d.irqData.chip?.name === 'GICv3');
    expect(gicIrq).toBeDefined();
    expect(text).toContain(`==> /sys/kernel/debug/irq/irqs/${gicIrq!.irq} <==\n`);
    // No pending: line: arm64 has no CONFIG_GENERIC_PENDING_IRQ.
    expect(debugfsIrq(m, gicIrq!.irq)).not.toContain('pending:');
  });
});
