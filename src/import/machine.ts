// Assembles an ImportedMachine from the files of an input: /proc/interrupts rows, the /proc/irq and
// /sys/kernel/irq files, msi_irqs, debugfs, uname -r, the CPU masks and the kernel log. Each fact is
// taken from the input; what the input does not give stays null and is named in `unknown`.

import type { Section, Split } from './bundle';
import { isGlobalPciChip, isPerDeviceChip, pciRefOf } from './pci';
import { parseProc, type ProcParse } from './proc';
import { parseCpuList, parseCpuMask, parseDebugfsDomain, parseDebugfsIrq } from './sysfs';
import type {
  Arch, ImportedDevice, ImportedDomain, ImportedIrq, ImportedMachine, Layout, ProcLayout, Skipped,
} from './types';

const BDF = /^[0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$/;
const X86_ARCH_ROWS = new Set(['NMI', 'LOC', 'SPU', 'PMI', 'IWI', 'RTR', 'RES', 'CAL', 'TLB', 'TRM', 'THR', 'DFR', 'MCE', 'MCP', 'MIS', 'PIN', 'NPI', 'PIW', 'PMN', 'HYP', 'HRE', 'HVS', 'PLT']);
/** Kernel log lines worth showing beside an interrupt picture. */
const LOG_RE = /\birq\b|\bIRQ\b|interrupt|MSI|vector|DMAR|AMD-Vi|IOMMU|\bITS\b|GIC|apic|APIC|affinity|nobody cared|irqpoll|remapping/;

function emptyIrq(irq: number): ImportedIrq {
  return {
    irq, chip: null, hwirq: null, trigger: null, flow: null, actions: [], counts: null, bdf: null, index: null,
    msiKind: null, affinity: null, effective: null, node: null, chain: null, vector: null, line: null,
  };
}

function firstText(s: Section): string {
  return s.lines.map((l) => l.text).join('\n').trim();
}

function layoutOf(p: ProcParse | null, irqs: readonly ImportedIrq[]): Layout {
  if (!p || (!p.irqs.length && !p.archRows.length)) return 'unknown';
  if (p.fused && !p.hwirqColumn) return '2.6-3.x';
  if (!p.irqs.length) return 'unknown';
  const perDevice = irqs.some((i) => isPerDeviceChip(i.chip));
  const global = irqs.some((i) => isGlobalPciChip(i.chip));
  const style = procStyle(p);
  if (style?.style === 'padded') return '7.x';
  if (style?.style === 'seq') return '6.13-6.x';
  if (perDevice) return '6.2-6.12';
  if (global) return '4.x-6.1';
  return p.hwirqColumn ? '4.x-6.12' : 'unknown';
}

/**
 * How the rows were printed, from their geometry: a chip left-aligned and padded beyond " %8s"
 * (7.x), one blank before a chip of 8+ characters (6.13+), or the classic two.
 */
export function procStyle(p: ProcParse): { style: 'classic' | 'seq' | 'padded'; chipWidth: number | null } | null {
  const prec = p.prec;
  if (prec === null || !p.geometry.length) return null;
  // Padded: more blanks between a chip and its hwirq than " %*lu" gives.
  let width = 0;
  let padded = 0;
  for (const g of p.geometry) {
    if (g.afterChip === null || g.hwirqLen === null) continue;
    // " %*lu" puts 1 + (prec - digits) blanks before the hwirq; any more pad the chip column.
    const extra = g.afterChip - g.hwirqLen - (1 + Math.max(0, prec - g.hwirqLen));
    if (extra > 0 && g.gap === 2) padded++;
    width = Math.max(width, g.chipLen + Math.max(0, extra));
  }
  if (padded > 0) return { style: 'padded', chipWidth: width };
  const long = p.geometry.filter((g) => g.chipLen >= 8);
  const one = long.filter((g) => g.gap === 1).length;
  if (one > 0 && one >= long.length - one) return { style: 'seq', chipWidth: null };
  return { style: 'classic', chipWidth: null };
}

function archOf(p: ProcParse | null, irqs: readonly ImportedIrq[]): Arch {
  const labels = new Set((p?.archRows ?? []).map((r) => r.label));
  const chips = irqs.map((i) => i.chip ?? '');
  if ([...labels].some((l) => X86_ARCH_ROWS.has(l)) || chips.some((c) => /IO-APIC|XT-PIC|DMAR-MSI|IOMMU-MSI|HPET/.test(c))) return 'x86';
  if (chips.some((c) => /^GICv3$|^ITS-|^AIC|^AIC2$|^AIC-FIQ$/.test(c))) return 'arm64';
  if ([...labels].some((l) => /^IPI\d+$/.test(l)) || p?.showLevel) return 'arm';
  return null;
}

export interface AssembleOptions {
  /** For a capture with steps: which step's files to import (default: the last). */
  step?: string;
}

export function assemble(split: Split, opts: AssembleOptions = {}): ImportedMachine {
  const skipped: Skipped[] = split.stray.map((l) => ({ ...l, reason: 'outside any file of the bundle' }));
  const step = opts.step ?? (split.steps.length ? split.steps[split.steps.length - 1] : null);
  // Files of other steps are not this picture; files before any step marker belong to every step.
  const sections = split.sections.filter((s) => s.step === null || s.step === step);
  const byIrq = new Map<number, ImportedIrq>();
  const irq = (n: number): ImportedIrq => {
    let r = byIrq.get(n);
    if (!r) byIrq.set(n, (r = emptyIrq(n)));
    return r;
  };
  let proc: ProcParse | null = null;
  let procSection: Section | null = null;
  let kernelRelease: string | null = split.comments.get('kernel') ?? null;
  const archComment = split.comments.get('arch') ?? null;
  let online: number[] | null = null;
  let possible: number[] | null = null;
  const log: string[] = [];
  const msiMode = new Map<number, { bdf: string; mode: 'msi' | 'msix' | null }>();
  const devInfo = new Map<string, { driver: string | null; vendor: string | null; device: string | null; pciClass: string | null; msiIrqs: boolean }>();
  const dev = (bdf: string) => {
    let d = devInfo.get(bdf);
    if (!d) devInfo.set(bdf, (d = { driver: null, vendor: null, device: null, pciClass: null, msiIrqs: false }));
    return d;
  };
  const debugDomains = new Map<string, string | null>();
  const perCpuCount = new Map<number, number[]>();
  let sawAffinity = false;
  let sawEffective = false;
  let sawDebugfs = false;
  const missing: Section[] = [];
  const sources: string[] = [];

  for (const s of sections) {
    if (s.kind === 'missing') {
      missing.push(s);
      continue;
    }
    if (!sources.includes(s.path)) sources.push(s.path);
    const p = s.path;
    let m: RegExpExecArray | null;
    if (p === '/proc/interrupts' || p === 'cat /proc/interrupts') {
      if (proc) skipped.push({ line: s.line, text: `@@ file ${p}`, reason: 'a second /proc/interrupts: only the first one is used' });
      else {
        proc = parseProc(s.lines);
        procSection = s;
      }
    } else if ((m = /^\/proc\/irq\/(\d+)\/(smp_affinity_list|effective_affinity_list|smp_affinity|effective_affinity|node)$/.exec(p))) {
      const r = irq(Number(m[1]));
      const t = firstText(s);
      const list = m[2].endsWith('_list') ? parseCpuList(t) : m[2] === 'node' ? null : parseCpuMask(t);
      if (m[2] === 'node') {
        if (/^-?\d+$/.test(t)) r.node = Number(t);
      } else if (list === null) {
        skipped.push({ line: s.lines[0]?.line ?? s.line, text: t, reason: `expected a CPU ${m[2].endsWith('_list') ? 'list like "0-3,8"' : 'mask like "0000000f"'} in ${p}` });
      } else if (m[2].startsWith('smp_affinity')) {
        if (!m[2].endsWith('_list') && r.affinity) continue;
        r.affinity = list;
        sawAffinity = true;
      } else {
        if (!m[2].endsWith('_list') && r.effective) continue;
        r.effective = list;
        sawEffective = true;
      }
    } else if ((m = /^\/sys\/kernel\/irq\/(\d+)\/(chip_name|hwirq|name|type|actions|per_cpu_count|wakeup)$/.exec(p))) {
      const r = irq(Number(m[1]));
      const t = firstText(s);
      if (m[2] === 'chip_name' && t) r.chip ??= t;
      else if (m[2] === 'hwirq' && /^\d+$/.test(t)) r.hwirq ??= Number(t);
      else if (m[2] === 'type' && (t === 'edge' || t === 'level')) r.trigger ??= t;
      else if (m[2] === 'actions' && t && !r.actions.length) r.actions = t.split(',').map((a) => a.trim()).filter(Boolean);
      else if (m[2] === 'name' && t && t !== '(null)') r.flow ??= t;
      else if (m[2] === 'per_cpu_count' && /^\d+(,\d+)*$/.test(t)) perCpuCount.set(r.irq, t.split(',').map(Number));
    } else if ((m = /^\/sys\/bus\/pci\/devices\/([^/]+)\/msi_irqs\/(\d+)$/.exec(p)) && BDF.test(m[1])) {
      const t = firstText(s);
      msiMode.set(Number(m[2]), { bdf: m[1].toLowerCase(), mode: t === 'msix' ? 'msix' : t === 'msi' ? 'msi' : null });
      dev(m[1].toLowerCase()).msiIrqs = true;
    } else if ((m = /^\/sys\/bus\/pci\/devices\/([^/]+)\/(driver|vendor|device|class)$/.exec(p)) && BDF.test(m[1])) {
      const d = dev(m[1].toLowerCase());
      const t = firstText(s);
      if (m[2] === 'driver') d.driver = t ? t.split('/').pop() ?? null : null;
      else if (m[2] === 'vendor') d.vendor = t || null;
      else if (m[2] === 'device') d.device = t || null;
      else d.pciClass = t || null;
    } else if ((m = /^\/sys\/kernel\/debug\/irq\/irqs\/(\d+)$/.exec(p))) {
      const d = parseDebugfsIrq(s.lines.map((l) => l.text));
      if (!d) {
        skipped.push({ line: s.line, text: p, reason: 'expected a debugfs irq file ("handler:", "domain:" …)' });
        continue;
      }
      sawDebugfs = true;
      const r = irq(Number(m[1]));
      r.chain = d.chain;
      if (d.vector) r.vector = d.vector;
      if (d.affinity && !r.affinity) r.affinity = d.affinity;
      if (d.effective && !r.effective) r.effective = d.effective;
      if (d.chain.length) {
        r.chip ??= d.chain[0].chip;
        r.hwirq ??= d.chain[0].hwirq;
      }
    } else if ((m = /^\/sys\/kernel\/debug\/irq\/domains\/(.+)$/.exec(p))) {
      sawDebugfs = true;
      debugDomains.set(m[1], parseDebugfsDomain(s.lines.map((l) => l.text)).parent);
    } else if (p === 'uname -r' || p === '/proc/sys/kernel/osrelease') {
      kernelRelease = firstText(s).split('\n')[0] || null;
    } else if ((m = /^\/sys\/devices\/system\/cpu\/(online|possible)$/.exec(p))) {
      const list = parseCpuList(firstText(s));
      if (m[1] === 'online') online = list;
      else possible = list;
    } else if (p === 'pci') {
      // A capture's PCI list: "<bdf> <vendor> <device> <class> <driver or -> [<INTx irq>]".
      for (const l of s.lines) {
        const f = l.text.trim().split(/\s+/);
        if (f.length < 5 || !BDF.test(f[0])) continue;
        const d = dev(f[0].toLowerCase());
        d.vendor = f[1];
        d.device = f[2];
        d.pciClass = f[3];
        d.driver = f[4] === '-' ? null : f[4];
      }
    } else if (/^(dmesg|journalctl|\/dev\/kmsg|\/var\/log\/(kern\.log|messages|syslog))/.test(p)) {
      for (const l of s.lines) if (LOG_RE.test(l.text)) log.push(l.text);
    }
  }

  // /proc/interrupts rows first (their order), then irqs only the other files name.
  const irqs: ImportedIrq[] = [];
  if (proc) {
    skipped.push(...proc.skipped);
    for (const row of proc.irqs) {
      const other = byIrq.get(row.irq);
      if (other) {
        row.affinity = other.affinity;
        row.effective = other.effective;
        row.node = other.node;
        row.chain = other.chain;
        row.vector = other.vector;
        if (row.trigger === null) row.trigger = other.trigger;
        byIrq.delete(row.irq);
      }
      irqs.push(row);
    }
  }
  const rest = [...byIrq.values()].filter((r) => r.chip !== null || r.actions.length || r.chain || r.affinity || r.effective);
  rest.sort((a, b) => a.irq - b.irq);
  irqs.push(...rest);

  let cpuIds = proc?.cpuIds ?? null;
  let columns = proc?.columns ?? null;
  // Without /proc/interrupts, per_cpu_count gives one count per possible CPU.
  if (!proc && perCpuCount.size) {
    const n = Math.max(...[...perCpuCount.values()].map((c) => c.length));
    columns = n;
    cpuIds = Array.from({ length: n }, (_, i) => i);
    for (const r of irqs) {
      const c = perCpuCount.get(r.irq);
      if (c && c.length === n) r.counts = c;
    }
  }

  // PCI facts: per-device chip names and decoded global hwirqs, then msi_irqs.
  for (const r of irqs) {
    const ref = pciRefOf(r.chip, r.hwirq);
    if (ref) {
      r.bdf = ref.bdf;
      r.index = ref.index;
      r.msiKind = ref.kind;
    }
    const mode = msiMode.get(r.irq);
    if (mode) {
      r.bdf ??= mode.bdf;
      r.msiKind ??= mode.mode;
    }
  }

  const devices = devicesOf(irqs, msiMode, devInfo);
  const procIrqs = proc ? irqs.filter((i) => i.line !== null) : irqs;
  const layout = layoutOf(proc, procIrqs);
  const arch = archComment && /^(x86_64|i[3-6]86)$/.test(archComment) ? 'x86' : archComment && /^(aarch64|arm64)$/.test(archComment) ? 'arm64' : archOf(proc, irqs);
  const domains = domainsOf(irqs, arch, debugDomains);
  const cpusFromColumns = !!proc && !proc.cpuIds && proc.columns !== null;
  const st = proc ? procStyle(proc) : null;
  const procLayout: ProcLayout | null =
    proc && proc.prec !== null && st
      ? { prec: proc.prec, style: st.style, chipWidth: st.chipWidth, showLevel: proc.showLevel, header: proc.header }
      : null;

  const machine: ImportedMachine = {
    arch, layout, cpus: columns, cpuIds, cpusFromColumns, kernelRelease, online, possible, irqs,
    archRows: proc?.archRows ?? [], devices, domains, log, unknown: [], skipped, sources, procLayout,
  };
  machine.unknown = unknownsOf(machine, { proc, sawAffinity, sawEffective, sawDebugfs, msiIrqs: msiMode.size > 0, missing, procSection });
  return machine;
}

function devicesOf(
  irqs: readonly ImportedIrq[],
  msiMode: ReadonlyMap<number, { bdf: string; mode: 'msi' | 'msix' | null }>,
  devInfo: ReadonlyMap<string, { driver: string | null; vendor: string | null; device: string | null; pciClass: string | null; msiIrqs: boolean }>,
): ImportedDevice[] {
  const byBdf = new Map<string, ImportedIrq[]>();
  for (const r of irqs) {
    if (!r.bdf) continue;
    let l = byBdf.get(r.bdf);
    if (!l) byBdf.set(r.bdf, (l = []));
    l.push(r);
  }
  // msi_irqs names every vector, handler or not.
  const listed = new Map<string, number[]>();
  for (const [n, m] of msiMode) {
    let l = listed.get(m.bdf);
    if (!l) listed.set(m.bdf, (l = []));
    l.push(n);
  }
  for (const bdf of listed.keys()) if (!byBdf.has(bdf)) byBdf.set(bdf, []);
  const out: ImportedDevice[] = [];
  for (const [bdf, rows] of byBdf) {
    rows.sort((a, b) => (a.index ?? 1e9) - (b.index ?? 1e9) || a.irq - b.irq);
    const fromMsi = listed.get(bdf);
    const kinds = new Set<string>();
    for (const r of rows) if (r.msiKind) kinds.add(r.msiKind);
    if (fromMsi) for (const n of fromMsi) { const k = msiMode.get(n)?.mode; if (k) kinds.add(k); }
    const info = devInfo.get(bdf);
    const shown = new Set(rows.map((r) => r.irq));
    out.push({
      bdf,
      vectors: fromMsi ? fromMsi.length : rows.length,
      kind: kinds.size === 1 ? ([...kinds][0] as 'msi' | 'msix') : 'unknown',
      irqs: rows.map((r) => r.irq),
      driver: info?.driver ?? null,
      ids: info?.vendor && info?.device ? `${info.vendor.replace(/^0x/, '')}:${info.device.replace(/^0x/, '')}` : null,
      pciClass: info?.pciClass ?? null,
      withoutHandler: fromMsi ? fromMsi.filter((n) => !shown.has(n)).sort((a, b) => a - b) : [],
    });
  }
  out.sort((a, b) => (a.bdf < b.bdf ? -1 : a.bdf > b.bdf ? 1 : 0));
  return out;
}

/** The hierarchy as far as the input proves it: debugfs chains, else what the chip names say. */
function domainsOf(irqs: readonly ImportedIrq[], arch: Arch, debugDomains: ReadonlyMap<string, string | null>): ImportedDomain[] {
  const nodes = new Map<string, ImportedDomain>();
  const add = (name: string, parent: string | null, kind: string, source: ImportedDomain['source'], note: string | null = null): ImportedDomain => {
    let n = nodes.get(name);
    if (!n) nodes.set(name, (n = { name, parent, kind, source, note, irqs: [] }));
    else if (n.parent === null && parent !== null) n.parent = parent;
    return n;
  };
  const kindOfDomain = (name: string): string =>
    /^VECTOR$/.test(name) ? 'vector' : /-IR-|^INTEL-IR|^AMD-IR/.test(name) ? 'remap' : /PCI-MSIX?-[0-9a-f]{4}/i.test(name) ? 'msi-device'
      : /PCI-MSI|ITS-MSI/.test(name) ? 'msi-global' : /^ITS|irq-its|its@/i.test(name) ? 'its' : /GIC/i.test(name) ? 'gic' : /IO-APIC|IOAPIC/.test(name) ? 'ioapic' : 'chip';
  // 1. debugfs: each chain names its domains top down.
  for (const r of irqs) {
    if (!r.chain?.length) continue;
    r.chain.forEach((lvl, i) => {
      if (!lvl.domain) return;
      const parent = r.chain![i + 1]?.domain ?? null;
      const n = add(lvl.domain, parent, kindOfDomain(lvl.domain), 'debugfs');
      if (i === 0) n.irqs.push(r.irq);
    });
  }
  for (const [name, parent] of debugDomains) add(name, parent, kindOfDomain(name), 'debugfs');
  if (nodes.size) return [...nodes.values()];

  // 2. The chip column. x86 interrupts all end in the VECTOR domain; the "IR-" prefix proves remapping.
  const chips = new Set(irqs.map((r) => r.chip ?? ''));
  const intel = [...chips].some((c) => c === 'DMAR-MSI');
  const amd = [...chips].some((c) => c === 'IOMMU-MSI') || irqs.some((r) => r.actions.includes('AMD-Vi'));
  const remapName = intel ? 'INTEL-IR' : amd ? 'AMD-IR' : 'IR (remapping unit)';
  const remapNote = intel
    ? 'Intel VT-d interrupt remapping: the chips say "IR-" and DMAR-MSI rows exist; which unit (INTEL-IR-n) needs debugfs'
    : amd
      ? 'AMD-Vi interrupt remapping: the chips say "IR-" and the IOMMU has an MSI row; which unit needs debugfs'
      : 'the chips say "IR-" (interrupt remapping); Intel or AMD, and which unit, the input does not tell';
  const needRemap = [...chips].some((c) => c.startsWith('IR-'));
  if (arch === 'x86') add('VECTOR', null, 'vector', 'deduced', 'every x86 interrupt ends in the VECTOR domain (not in the input: deduced from the architecture)');
  const x86Root = arch === 'x86' ? 'VECTOR' : null;
  if (needRemap) add(remapName, x86Root, 'remap', 'deduced', remapNote);
  const itsUsed = [...chips].some((c) => c.startsWith('ITS-'));
  const gic = [...chips].find((c) => /^GICv[34]$/.test(c)) ?? null;
  if (itsUsed) add('ITS', gic, 'its', 'deduced', `the chips say "ITS-": the GICv3 ITS translates these MSIs${gic ? '' : ' (its GIC is not in the input)'}`);
  for (const r of irqs) {
    const chip = r.chip;
    if (!chip) continue;
    const ref = pciRefOf(chip, r.hwirq);
    let parent: string | null = null;
    let kind = 'chip';
    let note: string | null = null;
    if (ref) {
      kind = ref.perDevice ? 'msi-device' : 'msi-global';
      parent = ref.parentHint === 'IR' ? remapName : ref.parentHint === 'ITS' ? 'ITS' : ref.parentHint === '' ? x86Root : ref.parentHint;
      if (parent && !nodes.has(parent)) add(parent, null, kindOfDomain(parent), 'deduced', 'named by the chip prefix');
      note = ref.perDevice ? `per-device ${ref.kind === 'msix' ? 'MSI-X' : 'MSI'} domain of ${ref.bdf}` : 'global PCI/MSI domain (hwirq encodes domain, bus, devfn and index)';
    } else if (/^(IR-)?IO-APIC$/.test(chip)) {
      kind = 'ioapic';
      parent = chip.startsWith('IR-') ? remapName : x86Root;
    } else if (/^(IR-)?HPET(-MSI)?/.test(chip)) {
      kind = 'chip';
      parent = chip.startsWith('IR-') ? remapName : x86Root;
    } else if (chip === 'DMAR-MSI' || chip === 'IOMMU-MSI') {
      parent = x86Root;
      note = chip === 'DMAR-MSI' ? 'the VT-d units\' own fault interrupts' : 'the AMD IOMMU\'s own interrupt';
    } else if (/^GICv[34]$/.test(chip)) {
      kind = 'gic';
    } else if (chip.startsWith('ITS-')) {
      parent = 'ITS';
      kind = 'msi-global';
    } else if (chip === 'APIC' || chip === 'LAPIC') {
      parent = x86Root;
    }
    const n = add(chip, parent, kind, 'proc', note);
    n.irqs.push(r.irq);
  }
  return [...nodes.values()];
}

interface UnknownFacts {
  proc: ProcParse | null;
  sawAffinity: boolean;
  sawEffective: boolean;
  sawDebugfs: boolean;
  msiIrqs: boolean;
  missing: Section[];
  procSection: Section | null;
}

function unknownsOf(m: ImportedMachine, f: UnknownFacts): string[] {
  const u: string[] = [];
  const miss = (re: RegExp) => f.missing.find((s) => re.test(s.path));
  if (!f.proc) u.push('per-CPU counts: no /proc/interrupts in the input');
  if (m.cpusFromColumns) u.push(`CPUs: the excerpt has no CPU header; ${m.cpus} taken from its count columns (which CPU numbers they are is not shown)`);
  if (f.proc && !m.online) u.push('offline CPUs: /proc/interrupts has a column for online CPUs only, and the input has no /sys/devices/system/cpu/online');
  if (!f.sawDebugfs) {
    const why = miss(/debug/);
    u.push(`vectors: no debugfs in the input${why?.note ? ` (${why.note})` : ''}`);
    u.push('managed or not (IRQD_AFFINITY_MANAGED), masked, pending: need debugfs irq/irqs/N');
  }
  if (!f.sawAffinity) u.push('affinity: no /proc/irq/N/smp_affinity_list in the input');
  if (!f.sawEffective) u.push('effective affinity: no /proc/irq/N/effective_affinity_list in the input');
  if (m.layout === '2.6-3.x') u.push('hwirq: the 2.6 layout prints no hwirq column');
  const unknownKind = m.devices.filter((d) => d.kind === 'unknown');
  if (unknownKind.length) {
    u.push(`MSI vs MSI-X: the ${m.layout === '4.x-6.1' ? '4.x–6.1 layout (global PCI-MSI domain)' : 'input'} does not tell for ${unknownKind.map((d) => d.bdf).join(', ')}${f.msiIrqs ? '' : ', and there is no msi_irqs in the input'}`);
  }
  if (m.layout === '2.6-3.x' && !f.msiIrqs && m.irqs.some((i) => /MSI/.test(i.chip ?? ''))) u.push('PCI functions of the MSI rows: the 2.6 layout does not name them (no msi_irqs in the input)');
  if (!f.msiIrqs && m.devices.length) u.push('vectors without a handler: /proc/interrupts lists only requested interrupts (no msi_irqs in the input)');
  if (!m.kernelRelease) u.push(`kernel version: no uname -r in the input${m.layout !== 'unknown' ? `; the layout says ${m.layout}` : ''}`);
  if (m.arch === null) u.push('architecture: the rows do not say (no arch rows like LOC or IPI0, no known controller)');
  if (m.arch === 'arm') u.push('32- or 64-bit ARM: the rows do not say');
  if (m.domains.some((d) => d.name === 'IR (remapping unit)')) u.push('interrupt remapping: Intel VT-d or AMD-Vi, and which unit, is not in the input');
  if (m.domains.some((d) => d.kind === 'chip' && d.parent === null && !['DMAR-MSI', 'IOMMU-MSI'].includes(d.name)) && !f.sawDebugfs) {
    u.push('parents of the other controllers (chips the model does not know): not in /proc/interrupts; debugfs domains/ would tell');
  }
  void f.procSection;
  return u;
}
