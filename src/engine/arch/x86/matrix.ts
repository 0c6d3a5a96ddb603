// Models kernel/irq/matrix.c: the per-CPU vector bitmap allocator.
//
// State mirrors struct irq_matrix / struct cpumap. Bitmaps are Uint32 words (bit b of a map is
// word b >>> 5, bit b & 31); per-CPU maps are packed row-major, `wordsPerCpu` words per CPU, so
// a UI can read a whole 256-CPU x 256-vector grid straight out of three typed arrays.
// Counters are C `unsigned int`: per-CPU ones live in Uint32Arrays, global ones are kept with
// `>>> 0`, so underflow wraps exactly as in the kernel.
// The kernel runs several calls on `this_cpu`; here that CPU is an explicit argument.
// BUG_ON() throws MatrixBug; WARN_ON_ONCE() and pr_warn() append to `warnings`.

import { EINVAL, ENOSPC } from '../../core/errno';
import { formatCpuList } from '../../core/cpumask';
import { Cell, type CellState } from './cells';

const UINT_MAX = 0xffffffff;
const F_INITIALIZED = 1;
const F_ONLINE = 2;

export { Cell, type CellState } from './cells';

/** struct cpumap counters of one CPU. */
export interface CpuMapInfo {
  available: number;
  allocated: number;
  managed: number;
  managedAllocated: number;
  initialized: boolean;
  online: boolean;
}

/** struct irq_matrix counters. */
export interface MatrixInfo {
  matrixBits: number;
  allocStart: number;
  allocEnd: number;
  allocSize: number;
  globalAvailable: number;
  globalReserved: number;
  systembitsInalloc: number;
  totalAllocated: number;
  onlineMaps: number;
}

/** Indexable read-only view of a typed array. */
export interface ReadonlyWords {
  readonly length: number;
  readonly [index: number]: number;
}

export type MatrixAlloc = { vector: number; cpu: number } | { errno: number };

/** A kernel BUG_ON() fired: the real kernel would have crashed here. */
export class MatrixBug extends Error {
  constructor(fn: string, cond: string) {
    super(`kernel BUG at kernel/irq/matrix.c: ${fn}(): BUG_ON(${cond})`);
    this.name = 'MatrixBug';
  }
}

export interface MatrixOptions {
  matrixBits: number;
  allocStart: number;
  allocEnd: number;
  nrCpus: number;
}

export class IrqMatrix {
  readonly matrixBits: number;
  readonly allocStart: number;
  readonly allocEnd: number;
  readonly allocSize: number;
  readonly nrCpus: number;
  readonly wordsPerCpu: number;
  /** pr_warn() and WARN_ON_ONCE() messages, oldest first (see takeWarnings). */
  readonly warnings: string[] = [];
  /** Bumped by every call that changes state; a UI can skip redraws while it is unchanged. */
  version = 0;

  private globalAvailable = 0;
  private globalReserved = 0;
  private systembitsInalloc = 0;
  private totalAllocated = 0;
  private onlineMaps = 0;
  private readonly systemMap: Uint32Array;
  private readonly allocMap: Uint32Array;
  private readonly managedMap: Uint32Array;
  private readonly avl: Uint32Array;
  private readonly act: Uint32Array;
  private readonly man: Uint32Array;
  private readonly mac: Uint32Array;
  private readonly flags: Uint8Array;
  private readonly warnedOnce = new Set<string>();
  // Word range and edge masks of [alloc_start, alloc_end) and [0, alloc_end).
  private readonly startWord: number;
  private readonly endWord: number;
  private readonly startMask: number;
  private readonly endMask: number;

  /** irq_alloc_matrix - allocate the matrix; all CPUs start offline and uninitialized. */
  constructor(opts: MatrixOptions) {
    const { matrixBits, allocStart, allocEnd, nrCpus } = opts;
    if (!(matrixBits > 0 && allocStart >= 0 && allocStart <= allocEnd && allocEnd <= matrixBits)) {
      throw new RangeError('IrqMatrix: need 0 <= allocStart <= allocEnd <= matrixBits');
    }
    if (!(nrCpus > 0)) throw new RangeError('IrqMatrix: nrCpus must be positive');
    this.matrixBits = matrixBits;
    this.allocStart = allocStart;
    this.allocEnd = allocEnd;
    this.allocSize = allocEnd - allocStart;
    this.nrCpus = nrCpus;
    const w = (this.wordsPerCpu = (matrixBits + 31) >>> 5);
    this.systemMap = new Uint32Array(w);
    this.allocMap = new Uint32Array(nrCpus * w);
    this.managedMap = new Uint32Array(nrCpus * w);
    this.avl = new Uint32Array(nrCpus);
    this.act = new Uint32Array(nrCpus);
    this.man = new Uint32Array(nrCpus);
    this.mac = new Uint32Array(nrCpus);
    this.flags = new Uint8Array(nrCpus);
    this.startWord = allocStart >>> 5;
    this.endWord = (allocEnd - 1) >>> 5;
    this.startMask = -1 << (allocStart & 31);
    this.endMask = allocEnd & 31 ? (1 << (allocEnd & 31)) - 1 : -1;
  }

  // ---- kernel API ----------------------------------------------------------------------

  /** irq_matrix_assign_system - mark @bit as a system vector on all CPUs; @replace takes it back from @cpu's alloc_map. */
  assignSystem(bit: number, replace: boolean, cpu = 0): void {
    this.checkCpu(cpu);
    if (!(bit >= 0 && Number.isInteger(bit))) throw new RangeError(`assignSystem: bad bit ${bit}`);
    if (bit > this.matrixBits) throw new MatrixBug('irq_matrix_assign_system', 'bit > m->matrix_bits');
    // The kernel would write one bit past the bitmap for bit == matrix_bits; the model refuses.
    if (bit === this.matrixBits) throw new RangeError(`assignSystem: bit ${bit} is outside the matrix`);
    if (this.onlineMaps > 1 || (this.onlineMaps !== 0 && !replace)) {
      throw new MatrixBug('irq_matrix_assign_system', 'm->online_maps > 1 || (m->online_maps && !replace)');
    }
    const i = cpu * this.wordsPerCpu + (bit >>> 5);
    const b = 1 << (bit & 31);
    if (replace && !(this.allocMap[i] & b)) {
      throw new MatrixBug('irq_matrix_assign_system', '!test_and_clear_bit(bit, cm->alloc_map)');
    }
    this.version++;
    this.systemMap[bit >>> 5] |= b;
    if (replace) {
      this.allocMap[i] &= ~b;
      this.act[cpu]--;
      this.totalAllocated = (this.totalAllocated - 1) >>> 0;
    }
    if (bit >= this.allocStart && bit < this.allocEnd) this.systembitsInalloc++;
  }

  /** irq_matrix_online - bring @cpu's map online; only the first online computes its available count. */
  online(cpu: number): void {
    this.checkCpu(cpu);
    const f = this.flags[cpu];
    if (f & F_ONLINE) throw new MatrixBug('irq_matrix_online', 'cm->online');
    this.version++;
    if (!(f & F_INITIALIZED)) {
      this.avl[cpu] = this.allocSize - (this.man[cpu] + this.systembitsInalloc);
    }
    this.globalAvailable = (this.globalAvailable + this.avl[cpu]) >>> 0;
    this.flags[cpu] = f | F_INITIALIZED | F_ONLINE;
    this.onlineMaps = (this.onlineMaps + 1) >>> 0;
  }

  /** irq_matrix_offline - take @cpu's map offline; its bitmaps and counters are kept (no check that it was online). */
  offline(cpu: number): void {
    this.checkCpu(cpu);
    this.version++;
    this.globalAvailable = (this.globalAvailable - this.avl[cpu]) >>> 0;
    this.flags[cpu] &= ~F_ONLINE;
    this.onlineMaps = (this.onlineMaps - 1) >>> 0;
  }

  /** irq_matrix_assign - mark a preallocated vector @bit as allocated on @cpu (the kernel's local CPU). */
  assign(cpu: number, bit: number): void {
    this.checkCpu(cpu);
    if (bit < this.allocStart || bit >= this.allocEnd) {
      this.warnOnce('irq_matrix_assign', 'bit < m->alloc_start || bit >= m->alloc_end');
      return;
    }
    const i = cpu * this.wordsPerCpu + (bit >>> 5);
    const b = 1 << (bit & 31);
    if (this.allocMap[i] & b) {
      this.warnOnce('irq_matrix_assign', 'test_and_set_bit(bit, cm->alloc_map)');
      return;
    }
    this.version++;
    this.allocMap[i] |= b;
    this.act[cpu]++;
    this.totalAllocated = (this.totalAllocated + 1) >>> 0;
    this.avl[cpu]--;
    this.globalAvailable = (this.globalAvailable - 1) >>> 0;
  }

  /** irq_matrix_reserve - book-keep one global reservation; warns when it exceeds global_available. */
  reserve(): void {
    this.version++;
    if (this.globalReserved === this.globalAvailable) {
      this.warnings.push('Interrupt reservation exceeds available resources');
    }
    this.globalReserved = (this.globalReserved + 1) >>> 0;
  }

  /** irq_matrix_remove_reserved - undo one irq_matrix_reserve (no underflow check). */
  removeReserved(): void {
    this.version++;
    this.globalReserved = (this.globalReserved - 1) >>> 0;
  }

  /** irq_matrix_reserve_managed - reserve one managed bit on every CPU of @mask (offline ones too); 0 or -ENOSPC. */
  reserveManaged(mask: readonly number[]): number {
    this.checkMask(mask);
    this.version++;
    for (let k = 0; k < mask.length; k++) {
      const cpu = mask[k];
      if (this.allocArea(cpu, true) >= this.allocEnd) {
        // Cleanup: irq_matrix_remove_managed() on each CPU before the failed one. It drops the
        // lowest unallocated managed bit, which need not be the bit just reserved.
        for (let j = 0; j < k; j++) this.removeManagedOne(mask[j]);
        return -ENOSPC;
      }
      this.man[cpu]++;
      if (this.flags[cpu] & F_ONLINE) {
        this.avl[cpu]--;
        this.globalAvailable = (this.globalAvailable - 1) >>> 0;
      }
    }
    return 0;
  }

  /** irq_matrix_remove_managed - drop the lowest unallocated managed bit on every CPU of @mask. */
  removeManaged(mask: readonly number[]): void {
    this.checkMask(mask);
    this.version++;
    for (let k = 0; k < mask.length; k++) this.removeManagedOne(mask[k]);
  }

  /** irq_matrix_alloc_managed - allocate the lowest reserved managed bit on the online CPU of @mask with fewest managed_allocated. */
  allocManaged(mask: readonly number[]): MatrixAlloc {
    this.checkMask(mask);
    if (mask.length === 0) return { errno: -EINVAL };
    const cpu = this.findBestCpuManaged(mask);
    if (cpu === UINT_MAX) return { errno: -ENOSPC };
    const bit = this.firstManagedFree(cpu);
    if (bit >= this.allocEnd) return { errno: -ENOSPC };
    this.version++;
    this.allocMap[cpu * this.wordsPerCpu + (bit >>> 5)] |= 1 << (bit & 31);
    this.act[cpu]++;
    this.mac[cpu]++;
    this.totalAllocated = (this.totalAllocated + 1) >>> 0;
    return { vector: bit, cpu };
  }

  /** irq_matrix_alloc - allocate the lowest free vector on the online CPU of @mask with most available. */
  alloc(mask: readonly number[], reserved: boolean): MatrixAlloc {
    this.checkMask(mask);
    if (mask.length === 0) return { errno: -EINVAL };
    const cpu = this.findBestCpu(mask);
    if (cpu === UINT_MAX) return { errno: -ENOSPC };
    const bit = this.allocArea(cpu, false);
    if (bit >= this.allocEnd) return { errno: -ENOSPC };
    this.version++;
    this.act[cpu]++;
    this.avl[cpu]--;
    this.totalAllocated = (this.totalAllocated + 1) >>> 0;
    this.globalAvailable = (this.globalAvailable - 1) >>> 0;
    if (reserved) this.globalReserved = (this.globalReserved - 1) >>> 0;
    return { vector: bit, cpu };
  }

  /** irq_matrix_free - free @bit on @cpu; a managed bit stays reserved and is not counted available. */
  free(cpu: number, bit: number, managed: boolean): void {
    this.checkCpu(cpu);
    if (bit < this.allocStart || bit >= this.allocEnd) {
      this.warnOnce('irq_matrix_free', 'bit < m->alloc_start || bit >= m->alloc_end');
      return;
    }
    const i = cpu * this.wordsPerCpu + (bit >>> 5);
    const b = 1 << (bit & 31);
    if (!(this.allocMap[i] & b)) {
      this.warnOnce('irq_matrix_free', '!test_and_clear_bit(bit, cm->alloc_map)');
      return;
    }
    this.version++;
    this.allocMap[i] &= ~b;
    this.act[cpu]--;
    if (managed) this.mac[cpu]--;
    const online = (this.flags[cpu] & F_ONLINE) !== 0;
    // Only an online map's free lowers total_allocated (the kernel's accounting, kept as is).
    if (online) this.totalAllocated = (this.totalAllocated - 1) >>> 0;
    if (!managed) {
      this.avl[cpu]++;
      if (online) this.globalAvailable = (this.globalAvailable + 1) >>> 0;
    }
  }

  /** irq_matrix_available - global_available, less @cpu's available when @cpudown (@cpu is the kernel's local CPU). */
  available(cpudown: boolean, cpu = 0): number {
    this.checkCpu(cpu);
    if (!cpudown) return this.globalAvailable;
    return (this.globalAvailable - this.avl[cpu]) >>> 0;
  }

  /** irq_matrix_reserved - global_reserved. */
  reserved(): number {
    return this.globalReserved;
  }

  /** irq_matrix_allocated - non-managed vectors allocated on @cpu (allocated - managed_allocated, since v6.7). */
  allocated(cpu = 0): number {
    this.checkCpu(cpu);
    return (this.act[cpu] - this.mac[cpu]) >>> 0;
  }

  /**
   * irq_matrix_debug_show - the debugfs text. Rows are printed for the CPUs in @onlineCpus
   * (the kernel's cpu_online_mask), by default the CPUs whose matrix map is online.
   */
  debugShow(indent: number, onlineCpus?: readonly number[]): string {
    const pad = ' '.repeat(Math.max(Math.abs(indent), 1)); // "%*s" of " "
    const u6 = (n: number) => String(n).padStart(6);
    const u4 = (n: number) => String(n).padStart(4);
    const sys = this.bitList(this.systemMap, 0);
    let s =
      `Online bitmaps:   ${u6(this.onlineMaps)}\n` +
      `Global available: ${u6(this.globalAvailable)}\n` +
      `Global reserved:  ${u6(this.globalReserved)}\n` +
      `Total allocated:  ${u6(this.totalAllocated)}\n` +
      `System: ${sys.length}: ${formatCpuList(sys)}\n` +
      `${pad}| CPU | avl | man | mac | act | vectors\n`;
    const cpus = onlineCpus ?? this.onlineCpus();
    for (const cpu of cpus) {
      this.checkCpu(cpu);
      const vectors = formatCpuList(this.bitList(this.allocMap, cpu * this.wordsPerCpu));
      s +=
        `${pad} ${u4(cpu)}  ${u4(this.avl[cpu])}  ${u4(this.man[cpu])}  ` +
        `${u4(this.mac[cpu])} ${u4(this.act[cpu])}  ${vectors}\n`;
    }
    return s;
  }

  // ---- model-only helpers --------------------------------------------------------------

  /** Canonical text of the complete state (not the warnings), for equality checks. */
  snapshot(): string {
    const all = this.wordsPerCpu * 32; // padding bits too: they must stay clear
    let s =
      `bits=${this.matrixBits} start=${this.allocStart} end=${this.allocEnd}` +
      ` online_maps=${this.onlineMaps} global_available=${this.globalAvailable}` +
      ` global_reserved=${this.globalReserved} systembits_inalloc=${this.systembitsInalloc}` +
      ` total_allocated=${this.totalAllocated} system=${formatCpuList(this.bitList(this.systemMap, 0, all))}\n`;
    const w = this.wordsPerCpu;
    for (let cpu = 0; cpu < this.nrCpus; cpu++) {
      s +=
        `${cpu}: flags=${this.flags[cpu]} avl=${this.avl[cpu]} act=${this.act[cpu]}` +
        ` man=${this.man[cpu]} mac=${this.mac[cpu]}` +
        ` alloc=${formatCpuList(this.bitList(this.allocMap, cpu * w, all))}` +
        ` managed=${formatCpuList(this.bitList(this.managedMap, cpu * w, all))}\n`;
    }
    return s;
  }

  /** Return and clear the collected warnings. */
  takeWarnings(): string[] {
    return this.warnings.splice(0, this.warnings.length);
  }

  /** struct irq_matrix counters. */
  info(): MatrixInfo {
    return {
      matrixBits: this.matrixBits,
      allocStart: this.allocStart,
      allocEnd: this.allocEnd,
      allocSize: this.allocSize,
      globalAvailable: this.globalAvailable,
      globalReserved: this.globalReserved,
      systembitsInalloc: this.systembitsInalloc,
      totalAllocated: this.totalAllocated,
      onlineMaps: this.onlineMaps,
    };
  }

  /** struct cpumap counters of @cpu. */
  cpuInfo(cpu: number): CpuMapInfo {
    this.checkCpu(cpu);
    const f = this.flags[cpu];
    return {
      available: this.avl[cpu],
      allocated: this.act[cpu],
      managed: this.man[cpu],
      managedAllocated: this.mac[cpu],
      initialized: (f & F_INITIALIZED) !== 0,
      online: (f & F_ONLINE) !== 0,
    };
  }

  isOnline(cpu: number): boolean {
    return (this.flags[cpu] & F_ONLINE) !== 0;
  }

  /** CPUs whose map is online, ascending. */
  onlineCpus(): number[] {
    const out: number[] = [];
    for (let cpu = 0; cpu < this.nrCpus; cpu++) if (this.flags[cpu] & F_ONLINE) out.push(cpu);
    return out;
  }

  isAllocated(cpu: number, bit: number): boolean {
    return this.testBit(this.allocMap, cpu, bit);
  }
  isManaged(cpu: number, bit: number): boolean {
    return this.testBit(this.managedMap, cpu, bit);
  }
  isSystem(bit: number): boolean {
    return bit >= 0 && bit < this.matrixBits && (this.systemMap[bit >>> 5] & (1 << (bit & 31))) !== 0;
  }

  /** The state of one (cpu, vector) cell. */
  cellState(cpu: number, bit: number): CellState {
    const a = this.isAllocated(cpu, bit);
    const m = this.isManaged(cpu, bit);
    if (a) return m ? Cell.MANAGED_ALLOCATED : Cell.ALLOCATED;
    if (m) return Cell.MANAGED;
    if (this.isSystem(bit)) return Cell.SYSTEM;
    return bit >= this.allocStart && bit < this.allocEnd ? Cell.FREE : Cell.OUTSIDE;
  }

  /**
   * Fill @out (length >= nrCpus * matrixBits, row-major: out[cpu * matrixBits + bit]) with the
   * Cell state of every cell; one pass over the words, suitable for drawing a full grid.
   */
  fillCellStates(out: Uint8Array): Uint8Array {
    const nb = this.matrixBits;
    const w = this.wordsPerCpu;
    if (out.length < this.nrCpus * nb) throw new RangeError('fillCellStates: buffer too small');
    // The CPU-independent background row (system / window / outside), copied then overlaid.
    const base = new Uint8Array(nb);
    for (let bit = 0; bit < nb; bit++) {
      base[bit] = this.isSystem(bit)
        ? Cell.SYSTEM
        : bit >= this.allocStart && bit < this.allocEnd
          ? Cell.FREE
          : Cell.OUTSIDE;
    }
    for (let cpu = 0; cpu < this.nrCpus; cpu++) {
      const row = cpu * nb;
      out.set(base, row);
      for (let k = 0; k < w; k++) {
        const a = this.allocMap[cpu * w + k];
        const m = this.managedMap[cpu * w + k];
        let any = a | m;
        while (any !== 0) {
          const low = any & -any;
          const bit = (k << 5) + 31 - Math.clz32(low);
          out[row + bit] = a & low ? (m & low ? Cell.MANAGED_ALLOCATED : Cell.ALLOCATED) : Cell.MANAGED;
          any ^= low;
        }
      }
    }
    return out;
  }

  /**
   * The raw bitmaps, read-only: `alloc`/`managed` hold `wordsPerCpu` words per CPU
   * (CPU c's word k at c * wordsPerCpu + k), `system` holds one row. Do not write to them.
   */
  bitmaps(): { alloc: ReadonlyWords; managed: ReadonlyWords; system: ReadonlyWords; wordsPerCpu: number } {
    return { alloc: this.allocMap, managed: this.managedMap, system: this.systemMap, wordsPerCpu: this.wordsPerCpu };
  }

  // ---- internals (static helpers of matrix.c) -------------------------------------------

  /** matrix_find_best_cpu - online CPU of @mask with the largest available (> 0); first wins ties. */
  private findBestCpu(mask: readonly number[]): number {
    let best = UINT_MAX;
    let maxavl = 0;
    const avl = this.avl;
    const flags = this.flags;
    for (let k = 0; k < mask.length; k++) {
      const cpu = mask[k];
      if (!(flags[cpu] & F_ONLINE) || avl[cpu] <= maxavl) continue;
      best = cpu;
      maxavl = avl[cpu];
    }
    return best;
  }

  /** matrix_find_best_cpu_managed - online CPU of @mask with the fewest managed_allocated; LAST wins ties. */
  private findBestCpuManaged(mask: readonly number[]): number {
    let best = UINT_MAX;
    let allocated = UINT_MAX;
    const mac = this.mac;
    const flags = this.flags;
    for (let k = 0; k < mask.length; k++) {
      const cpu = mask[k];
      if (!(flags[cpu] & F_ONLINE) || mac[cpu] > allocated) continue;
      best = cpu;
      allocated = mac[cpu];
    }
    return best;
  }

  /** matrix_alloc_area - set the lowest bit >= alloc_start free in managed|system|alloc; alloc_end if none. */
  private allocArea(cpu: number, managed: boolean): number {
    const end = this.allocEnd;
    if (this.allocStart >= end) return end;
    const base = cpu * this.wordsPerCpu;
    const am = this.allocMap;
    const mm = this.managedMap;
    const sm = this.systemMap;
    for (let k = this.startWord; k <= this.endWord; k++) {
      let free = ~(am[base + k] | mm[base + k] | sm[k]);
      if (k === this.startWord) free &= this.startMask;
      if (k === this.endWord) free &= this.endMask;
      if (free !== 0) {
        const low = free & -free;
        (managed ? mm : am)[base + k] |= low;
        return (k << 5) + 31 - Math.clz32(low);
      }
    }
    return end;
  }

  /** find_first_bit(managed_map & ~alloc_map, alloc_end): lowest reserved, unallocated managed bit. */
  private firstManagedFree(cpu: number): number {
    if (this.allocEnd === 0) return 0;
    const base = cpu * this.wordsPerCpu;
    for (let k = 0; k <= this.endWord; k++) {
      let bits = this.managedMap[base + k] & ~this.allocMap[base + k];
      if (k === this.endWord) bits &= this.endMask;
      if (bits !== 0) return (k << 5) + 31 - Math.clz32(bits & -bits);
    }
    return this.allocEnd;
  }

  /** Body of irq_matrix_remove_managed's loop for one CPU. */
  private removeManagedOne(cpu: number): void {
    if (this.man[cpu] === 0) {
      this.warnOnce('irq_matrix_remove_managed', '!cm->managed');
      return;
    }
    const bit = this.firstManagedFree(cpu);
    if (bit >= this.allocEnd) {
      this.warnOnce('irq_matrix_remove_managed', 'bit >= end');
      return;
    }
    this.managedMap[cpu * this.wordsPerCpu + (bit >>> 5)] &= ~(1 << (bit & 31));
    this.man[cpu]--;
    if (this.flags[cpu] & F_ONLINE) {
      this.avl[cpu]++;
      this.globalAvailable = (this.globalAvailable + 1) >>> 0;
    }
  }

  /** WARN_ON_ONCE(): reported the first time each call site fires, silent afterwards. */
  private warnOnce(fn: string, cond: string): void {
    const key = `${fn}: ${cond}`;
    if (this.warnedOnce.has(key)) return;
    this.warnedOnce.add(key);
    this.warnings.push(`WARNING: kernel/irq/matrix.c ${fn}(): WARN_ON_ONCE(${cond})`);
  }

  private testBit(map: Uint32Array, cpu: number, bit: number): boolean {
    if (bit < 0 || bit >= this.matrixBits) return false;
    return (map[cpu * this.wordsPerCpu + (bit >>> 5)] & (1 << (bit & 31))) !== 0;
  }

  /** Set bits (below @limit) of the wordsPerCpu words at @base, ascending. */
  private bitList(map: Uint32Array, base: number, limit = this.matrixBits): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.wordsPerCpu; k++) {
      let x = map[base + k];
      while (x !== 0) {
        const low = x & -x;
        const bit = (k << 5) + 31 - Math.clz32(low);
        if (bit < limit) out.push(bit);
        x ^= low;
      }
    }
    return out;
  }

  private checkCpu(cpu: number): void {
    if (!(cpu >= 0 && cpu < this.nrCpus && Number.isInteger(cpu))) {
      throw new RangeError(`IrqMatrix: cpu ${cpu} out of range 0..${this.nrCpus - 1}`);
    }
  }

  /** Masks are for_each_cpu() order: strictly ascending CPU numbers. */
  private checkMask(mask: readonly number[]): void {
    let prev = -1;
    for (let k = 0; k < mask.length; k++) {
      const cpu = mask[k];
      if (!(cpu > prev && cpu < this.nrCpus && Number.isInteger(cpu))) {
        throw new RangeError(`IrqMatrix: mask must be ascending CPUs < ${this.nrCpus}: [${mask.join(',')}]`);
      }
      prev = cpu;
    }
  }
}
