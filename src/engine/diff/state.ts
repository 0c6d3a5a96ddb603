// What a diff compares: one machine state as plain data, captured from the engine's own views
// (machine.view(), the render texts, the remapping table, the vector_irq table, the ITS view).
// Reads the machine, changes nothing. A capture may reuse texts the caller already rendered
// (the worker renders the view and /proc/interrupts for every step anyway).

import type { Machine } from '../machine';
import type { MachineView } from '../view';
import { debugfsDomain, debugfsDomainNames, debugfsIrq, debugfsIrqNumbers, procInterrupts } from '../render';
import { arm64ArchRows, formatHeader, procPrec, x86ArchRows } from '../render/proc';
import { irIommu, irteEntries } from '../arch/x86/remap';
import { NR_VECTORS } from '../arch/x86/vectors';
import { itsView, type ItsView } from '../arch/arm64/platform';
import { kernelProfile } from '../profiles';

/** One remapping table entry, with the remapping unit that holds it (dmar0, AMD-Vi0). */
export interface IrteState {
  unit: string;
  index: number;
  vector: number;
  dest: number;
  present: boolean;
  /** Intel: the entry's SID; AMD: the requester ID whose table holds it. */
  sourceId: number;
  virq: number;
}

/**
 * A machine state as plain data. `cells` are the matrix cell codes (arch/x86/cells.ts) and
 * `vectorIrq` per_cpu(vector_irq) — both `cpu * vectors + vector`, x86 only.
 */
export interface MachineState {
  label: string;
  kernel: string;
  /** The Elixir tag of the kernel (source links at this version). */
  elixirTag: string;
  step: number;
  view: MachineView;
  cells: { cpus: number; vectors: number; states: Uint8Array } | null;
  vectorIrq: Int32Array | null;
  irtes: IrteState[];
  its: ItsView | null;
  /**
   * The whole /proc/interrupts text, or null on a machine where it is too big to print for a diff
   * (more than PROC_TEXT_LIMIT counts, with procText 'auto'): then `procHead` holds its header and the architecture's
   * rows, and the rows of interrupts are compared through the descriptors (their counts).
   */
  proc: string | null;
  procHead: { header: string; arch: string[] } | null;
  /**
   * debugfs files by path ("irqs/25", "domains/VECTOR"). Every irq file on machines with at most
   * DEBUGFS_IRQ_LIMIT interrupts; past that only the domain files (their irq fields are compared
   * through the descriptors), and `debugfsIrqs` is false.
   */
  debugfs: Record<string, string>;
  debugfsIrqs: boolean;
}

/** Past this many interrupts a capture leaves out the per-irq debugfs files (each takes ~20 µs). */
export const DEBUGFS_IRQ_LIMIT = 512;

/**
 * Past this many counts (interrupt descriptors × online CPUs) a capture with `procText: 'auto'`
 * leaves out the whole /proc/interrupts text: 4,113 rows on 256 CPUs are 12 MB to print and compare.
 */
export const PROC_TEXT_LIMIT = 65_536;

export interface CaptureOptions {
  label?: string;
  /** Texts and views already rendered for this state (they are not rendered again). */
  view?: MachineView;
  proc?: string;
  cells?: MachineState['cells'];
  its?: ItsView | null;
  /** Render the per-irq debugfs files: 'auto' (default) up to DEBUGFS_IRQ_LIMIT interrupts. */
  debugfsIrqs?: boolean | 'auto';
  /** Print the whole /proc/interrupts: true (default), or 'auto': up to PROC_TEXT_LIMIT counts. */
  procText?: boolean | 'auto';
}

/** The remapping unit's name (debugfs and dmesg call Intel units dmar<N>). */
function irUnitName(m: Machine): string {
  const ir = m.platform.arch === 'x86' ? m.x86.ir : null;
  const iommu = ir ? irIommu(ir) : null;
  if (!iommu) return '';
  return iommu.kind === 'intel' ? iommu.name : `AMD-Vi${iommu.index}`;
}

/** The header and the architecture's rows of /proc/interrupts (what procLayout() prints around the interrupts). */
function procHeadOf(m: Machine): NonNullable<MachineState['procHead']> {
  const facts = m.k.profile.proc;
  const prec = procPrec(m, facts);
  const cpus = m.k.onlineCpus();
  const arch = m.platform.arch === 'arm64' ? arm64ArchRows(m, facts, prec, cpus) : x86ArchRows(m, facts, prec, cpus);
  return { header: formatHeader(prec, cpus).slice(0, -1), arch: arch.replace(/\n$/, '').split('\n') };
}

/** Capture the state of a machine as plain data (copies: later actions do not change it). */
export function captureState(m: Machine, opts: CaptureOptions = {}): MachineState {
  const view = opts.view ?? m.view();
  const profile = kernelProfile(m.spec.kernel);
  let cells: MachineState['cells'] = opts.cells ?? null;
  let vectorIrq: Int32Array | null = null;
  let irtes: IrteState[] = [];
  if (m.platform.arch === 'x86') {
    const vs = m.x86.vector;
    if (vs) {
      vectorIrq = vs.vectorIrq.slice();
      if (!cells) {
        const vectors = vs.matrix.info().matrixBits;
        cells = { cpus: m.spec.cpus, vectors, states: vs.matrix.fillCellStates(new Uint8Array(m.spec.cpus * vectors)) };
      } else cells = { ...cells, states: cells.states.slice() };
      if (vectorIrq.length !== cells.cpus * NR_VECTORS) vectorIrq = null;
    }
    const ir = m.x86.ir;
    if (ir) {
      const unit = irUnitName(m);
      irtes = irteEntries(ir, { all: true }).map((e) => ({ unit, ...e }));
    }
  }
  const its = opts.its !== undefined ? opts.its : itsView(m.platform);
  let proc: string | null = opts.proc ?? null;
  let procHead: MachineState['procHead'] = null;
  if (proc === null) {
    const want = opts.procText ?? true;
    const cpus = m.k.onlineCpus();
    // Counted on the descriptors (the listed rows are at most those): no layout worked out for it.
    if (want === true || (want === 'auto' && m.k.descs.size * cpus.length <= PROC_TEXT_LIMIT)) proc = procInterrupts(m);
    else procHead = procHeadOf(m);
  }
  const debugfs: Record<string, string> = {};
  for (const n of debugfsDomainNames(m)) {
    const t = debugfsDomain(m, n);
    if (t !== null) debugfs[`domains/${n}`] = t;
  }
  const irqs = debugfsIrqNumbers(m);
  const withIrqs = opts.debugfsIrqs === true || ((opts.debugfsIrqs ?? 'auto') === 'auto' && irqs.length <= DEBUGFS_IRQ_LIMIT);
  if (withIrqs) {
    for (const v of irqs) {
      const t = debugfsIrq(m, v);
      if (t !== null) debugfs[`irqs/${v}`] = t;
    }
  }
  return {
    label: opts.label ?? `step ${m.step}`,
    kernel: profile.version,
    elixirTag: profile.elixirTag,
    step: m.step,
    view,
    cells,
    vectorIrq,
    irtes,
    its,
    proc,
    procHead,
    debugfs,
    debugfsIrqs: withIrqs,
  };
}
