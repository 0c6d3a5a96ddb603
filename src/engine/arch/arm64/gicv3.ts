// Models drivers/irqchip/irq-gic-v3.c: the GICv3 root domain (hwirq = INTID: SGIs 0-15, PPIs
// 16-31, SPIs 32-1019, LPIs from 8192), its "GICv3" chip, one redistributor per CPU with the
// LPI pending table, the LPI configuration table (PROPBASE, one byte per LPI: enable bit and
// priority), the CPU interface's gic_handle_irq(), and the SGIs the arm64 SMP code uses as IPIs.

import type { Kernel } from '../../core/kernel';
import { EINVAL, EPERM } from '../../core/errno';
import { IRQCHIP, IRQ_SET_MASK_OK_DONE, type IrqChip } from '../../core/chip';
import { IRQD, IRQ_TYPE, type IrqData, type IrqDesc, irqdClear, irqdSet } from '../../core/irqdesc';
import {
  type AllocArg, DOMAIN_BUS, type IrqDomain, irqDomainAllocIrqs, irqDomainCreate, irqDomainGetIrqData,
  irqDomainSetHwirqAndChip, irqDomainUpdateBusToken,
} from '../../core/irqdomain';
import { requestIrq } from '../../core/manage';

const FILE = 'drivers/irqchip/irq-gic-v3.c';
/** IRQS_PENDING (kernel/irq/internals.h) */
const IRQS_PENDING = 0x200;

/** INTID ranges (enum gic_intid_range; the extended PPI/SPI ranges are not modelled). */
export const SGI_NR = 16;
export const PPI_BASE = 16;
export const SPI_BASE = 32;
/** The last SPI INTID; 1020-1023 are special. */
export const SPI_LAST = 1019;
export const LPI_BASE = 8192;
/** ITS_MAX_LPI_NRBITS: Linux caps the LPI INTID space at 16 bits (LPIs 8192-65535). */
export const LPI_ID_BITS = 16;
export const LPI_NR = (1 << LPI_ID_BITS) - LPI_BASE;

/** LPI configuration byte (include/linux/irqchip/arm-gic-v3.h). */
export const LPI_PROP_ENABLED = 1 << 0;
export const LPI_PROP_GROUP1 = 1 << 1;
/** GICD_INT_DEF_PRI */
export const GICD_INT_DEF_PRI = 0xa0;
/** gic_reset_prop_table(): priority 0xa0, Group-1, disabled. */
export const LPI_PROP_DEFAULT = GICD_INT_DEF_PRI | LPI_PROP_GROUP1;

/** The number of SGIs gic_smp_init() allocates for the arm64 IPIs. */
export const GIC_NR_SGI_IPIS = 8;

/** _IRQ_* settings (include/linux/irq.h) the per-CPU interrupts carry. */
export const IRQ_STATUS = {
  LEVEL: 0x100,
  PER_CPU: 0x200,
  NOPROBE: 0x400,
  NOAUTOEN: 0x1000,
  NOTHREAD: 0x10000,
  PER_CPU_DEVID: 0x20000,
  HIDDEN: 0x100000,
} as const;

export type IntidRange = 'SGI' | 'PPI' | 'SPI' | 'LPI' | 'invalid';

/** __get_intid_range() */
export function intidRange(intid: number): IntidRange {
  if (intid < SGI_NR) return 'SGI';
  if (intid < SPI_BASE) return 'PPI';
  if (intid <= SPI_LAST) return 'SPI';
  if (intid >= LPI_BASE && intid < 1 << 24) return 'LPI';
  return 'invalid';
}

/** What the GIC level of one interrupt keeps (the distributor/redistributor register state). */
export interface GicIrq {
  intid: number;
  range: IntidRange;
  /** SPI: GICD_ISENABLER bit. */
  enabled: boolean;
  /** SPI: the CPU GICD_IROUTER<n> names (-1: not routed yet). */
  route: number;
  /** SGI/PPI: the banked enable bit in each CPU's redistributor (enable_percpu_irq). */
  percpuEnabled: boolean[] | null;
}

/** One CPU's redistributor (GICR_*): its frame address and the LPI pending table (PENDBASER). */
export interface Redistributor {
  cpu: number;
  /** Physical address of the RD_base frame. */
  rdBase: number;
  /** GICR_WAKER.ProcessorSleep clear: the redistributor forwards interrupts to its CPU. */
  awake: boolean;
  /** GICR_CTLR.EnableLPIs */
  lpisEnabled: boolean;
  /** The pending table: LPIs latched here and not yet taken by the CPU. */
  pending: Set<number>;
}

/** Physical layout of the GIC (QEMU's virt board, described by ACPI MADT). */
export interface GicLayout {
  distBase: number;
  redistBase: number;
  /** Two 64K frames (RD_base, SGI_base) per GICv3 redistributor. */
  redistStride: number;
  /** GICD_TYPER: SPIs implemented. */
  spis: number;
}

/** The distributor, the redistributors and the LPI property table (struct gic_chip_data + rdists). */
export class GicV3 {
  domain!: IrqDomain;
  readonly redists: Redistributor[];
  /** PROPBASER table: one configuration byte per LPI, indexed by INTID - 8192. */
  readonly prop = new Uint8Array(LPI_NR).fill(LPI_PROP_DEFAULT);
  /** LPIs whose configuration byte is not the reset value (kept for cheap snapshots). */
  readonly propChanged = new Set<number>();
  /** gic_rdists->has_direct_lpi: false, so LPI invalidation goes through the ITS INV command. */
  readonly hasDirectLpi = false;
  /**
   * Interrupts whose chip is being started under the descriptor lock, with interrupts off on
   * the CPU doing it: an LPI for one of them is not taken there and then (see gicHandleIrq).
   */
  readonly starting = new Set<number>();
  constructor(readonly layout: GicLayout, nrCpus: number) {
    this.redists = Array.from({ length: nrCpus }, (_, cpu) => ({
      cpu, rdBase: layout.redistBase + cpu * layout.redistStride, awake: true, lpisEnabled: true, pending: new Set<number>(),
    }));
  }
  lpiConfig(lpi: number): number {
    return this.prop[lpi - LPI_BASE];
  }
  lpiEnabled(lpi: number): boolean {
    return (this.prop[lpi - LPI_BASE] & LPI_PROP_ENABLED) !== 0;
  }
  /** lpi_write_config(): clear then set bits of one configuration byte (Group-1 always set). */
  lpiWriteConfig(lpi: number, clr: number, set: number): number {
    const i = lpi - LPI_BASE;
    const v = (this.prop[i] & ~clr) | set | LPI_PROP_GROUP1;
    this.prop[i] = v;
    if (v === LPI_PROP_DEFAULT) this.propChanged.delete(lpi);
    else this.propChanged.add(lpi);
    return v;
  }
  /** The redistributor where an LPI is pending, or -1. */
  pendingAt(lpi: number): number {
    for (const r of this.redists) if (r.pending.has(lpi)) return r.cpu;
    return -1;
  }
}

const hex = (n: number): string => `0x${n.toString(16)}`;

export function gicState(domain: IrqDomain): GicV3 {
  return domain.hostData as GicV3;
}

function gicIrqOf(d: IrqData): GicIrq | null {
  return (d.chipData as GicIrq | null) ?? null;
}

// ---- the chip (gic_eoimode1_chip: the kernel boots at EL2, so EOImode 1 is used) ----

/** gic_mask_irq(): GICD_ICENABLER for an SPI; the banked enable of this CPU for an SGI/PPI. */
function gicMaskIrq(d: IrqData, k: Kernel): void {
  const g = gicIrqOf(d);
  if (!g || g.range === 'LPI') return;
  if (g.range === 'SPI') g.enabled = false;
  if (k.t.on) k.t.effect(`${g.range === 'SPI' ? 'GICD_ICENABLER' : 'GICR_ICENABLER0'}: INTID ${g.intid} disabled`);
}

/** gic_unmask_irq(): GICD_ISENABLER */
function gicUnmaskIrq(d: IrqData, k: Kernel): void {
  const g = gicIrqOf(d);
  if (!g || g.range === 'LPI') return;
  if (g.range === 'SPI') g.enabled = true;
  if (k.t.on) k.t.effect(`${g.range === 'SPI' ? 'GICD_ISENABLER' : 'GICR_ISENABLER0'}: INTID ${g.intid} enabled`);
}

/**
 * gic_eoimode1_eoi_irq(): with split EOI/deactivate the priority drop happened in
 * gic_handle_irq(); this deactivates (ICC_DIR_EL1). LPIs have no active state: nothing.
 */
function gicEoiIrq(d: IrqData, k: Kernel): void {
  if (d.hwirq >= LPI_BASE) return;
  if (k.t.on) k.t.effect(`ICC_DIR_EL1 ← ${d.hwirq} (deactivate)`);
}

/**
 * gic_set_affinity(): SPIs only. One target CPU (any online CPU of the mask, the first one
 * when forced) written to GICD_IROUTER; the redistributor-local SGIs/PPIs refuse.
 */
function gicSetAffinity(d: IrqData, k: Kernel, mask: readonly number[], force: boolean): number {
  const g = gicIrqOf(d);
  k.t.enter('gic_set_affinity', d.domain.name, FILE);
  let cpu = -1;
  for (const c of mask) {
    if (force || k.cpuOnline(c)) {
      cpu = c;
      break;
    }
  }
  if (cpu < 0 || !g) return k.t.leave(-EINVAL);
  if (g.range !== 'SPI') {
    if (k.t.on) k.t.effect(`INTID ${g.intid} is a ${g.range}: routed by its redistributor, no affinity`);
    return k.t.leave(-EINVAL);
  }
  g.route = cpu;
  d.common.effectiveAffinity = [cpu];
  if (k.t.on) k.t.effect(`GICD_IROUTER${g.intid} ← CPU${cpu}`);
  return k.t.leave(IRQ_SET_MASK_OK_DONE);
}

/** gic_retrigger(): set the SPI pending in the distributor; it is taken by its target at once. */
function gicRetrigger(d: IrqData, k: Kernel): number {
  const g = gicIrqOf(d);
  if (!g || g.range !== 'SPI') return 0;
  if (k.t.on) k.t.effect(`GICD_ISPENDR: INTID ${g.intid} set pending`);
  const desc = k.descs.get(d.irq);
  const cpu = g.route >= 0 ? g.route : 0;
  if (desc && g.enabled && k.cpuOnline(cpu)) gicHandleIrq(k, gicState(d.domain), cpu, g.intid);
  return 1;
}

/** The "GICv3" chip: IRQCHIP_SET_TYPE_MASKED | IRQCHIP_SKIP_SET_WAKE | IRQCHIP_MASK_ON_SUSPEND. */
export const gicChip: IrqChip = {
  name: 'GICv3',
  flags: IRQCHIP.SET_TYPE_MASKED | IRQCHIP.SKIP_SET_WAKE | IRQCHIP.MASK_ON_SUSPEND,
  irqMask: gicMaskIrq,
  irqUnmask: gicUnmaskIrq,
  irqEoi: gicEoiIrq,
  irqSetAffinity: gicSetAffinity,
  irqRetrigger: gicRetrigger,
};

// ---- the domain ----

/** The firmware description of one interrupt (struct irq_fwspec, ACPI form: INTID and trigger). */
export interface GicFwspec {
  intid: number;
  type: number;
}

/** irq_fwspec allocations carry no x86 alloc type; AllocArg wants one, the GIC never reads it. */
const FWSPEC_ALLOC = 'fwspec' as unknown as AllocArg['type'];

export function gicFwspecArg(intid: number, type: number, base?: AllocArg): AllocArg {
  const fwspec: GicFwspec = { intid, type };
  return { type: base?.type ?? FWSPEC_ALLOC, hwirq: intid, extra: { fwspec }, ...(base?.dev !== undefined ? { dev: base.dev } : {}) };
}

/** The flow handler gic_irq_domain_map() installs for each range. */
function handlerFor(range: IntidRange): string {
  switch (range) {
    case 'SGI': return 'handle_percpu_devid_fasteoi_ipi';
    case 'PPI': return 'handle_percpu_devid_irq';
    default: return 'handle_fasteoi_irq';
  }
}

/**
 * gic_irq_domain_alloc() → gic_irq_domain_translate() + gic_irq_domain_map(): hwirq = INTID,
 * chip GICv3, the range's flow handler (no flow name: /proc/interrupts prints none), per-CPU
 * settings for SGIs/PPIs, single target for SPIs, IRQD_HANDLE_ENFORCE_IRQCTX for all.
 */
function gicIrqDomainAlloc(k: Kernel, domain: IrqDomain, virq: number, nr: number, arg: AllocArg): number {
  const fw = arg.extra?.fwspec as GicFwspec | undefined;
  if (!fw) return -EINVAL;
  k.t.enter('gic_irq_domain_alloc', domain.name, FILE);
  for (let i = 0; i < nr; i++) {
    const intid = fw.intid + i;
    const range = intidRange(intid);
    if (range === 'invalid') return k.t.leave(-EPERM);
    const g: GicIrq = {
      intid, range, enabled: false, route: -1,
      percpuEnabled: range === 'SGI' || range === 'PPI' ? new Array<boolean>(k.nrCpus).fill(false) : null,
    };
    irqDomainSetHwirqAndChip(k, domain, virq + i, intid, gicChip, g);
    const desc = k.descs.get(virq + i)!;
    desc.handleIrq = handlerFor(range);
    desc.name = '';
    const d = desc.irqData;
    if (range === 'SGI' || range === 'PPI') {
      // irq_set_percpu_devid()
      desc.status |= IRQ_STATUS.NOAUTOEN | IRQ_STATUS.PER_CPU | IRQ_STATUS.NOTHREAD | IRQ_STATUS.NOPROBE | IRQ_STATUS.PER_CPU_DEVID;
      irqdSet(d, IRQD.PER_CPU);
    } else if (range === 'SPI') {
      // irqd_set_single_target() (irq_set_probe() clears a NOPROBE the descriptor never had)
      irqdSet(d, IRQD.SINGLE_TARGET);
    }
    irqdSet(d, IRQD.HANDLE_ENFORCE_IRQCTX);
    if (k.t.on) k.t.effect(`irq ${virq + i}: INTID ${intid} (${range}), chip GICv3, ${desc.handleIrq}`);
  }
  return k.t.leave(0);
}

/** gic_irq_domain_free(): reset each level (the core clears the rest). */
function gicIrqDomainFree(k: Kernel, domain: IrqDomain, virq: number, nr: number): void {
  for (let i = 0; i < nr; i++) {
    const d = irqDomainGetIrqData(k, domain, virq + i);
    if (d) d.chipData = null;
  }
}

/**
 * irq_set_irq_type() → __irq_set_trigger() → gic_set_type(): the trigger bits and IRQD_LEVEL
 * in the irq_data state, the same trigger bits and IRQ_LEVEL in the descriptor's settings.
 */
export function gicSetType(desc: IrqDesc, type: number): void {
  const d = desc.irqData;
  const level = (type & (IRQ_TYPE.LEVEL_HIGH | IRQ_TYPE.LEVEL_LOW)) !== 0;
  irqdClear(d, IRQD.TRIGGER_MASK | IRQD.LEVEL);
  irqdSet(d, type & IRQD.TRIGGER_MASK);
  if (level) irqdSet(d, IRQD.LEVEL);
  desc.status = (desc.status & ~(IRQD.TRIGGER_MASK | IRQ_STATUS.LEVEL)) | (type & IRQD.TRIGGER_MASK) | (level ? IRQ_STATUS.LEVEL : 0);
}

/**
 * gic_init_bases(): the root domain on the distributor's fwnode. With ACPI the fwnode is a
 * named irqchip fwnode "irqchip@<GICD base as %pa>"; irq_domain_update_bus_token(WIRED)
 * makes the domain "irqchip@0x0000000008000000-1". Then gic_smp_init() allocates the 8 SGIs
 * the arm64 SMP code turns into IPIs.
 */
export function gicV3Init(k: Kernel, layout: GicLayout): GicV3 {
  k.t.enter('gic_init_bases', undefined, FILE);
  const gic = new GicV3(layout, k.nrCpus);
  k.log('info', `GICv3: ${layout.spis} SPIs implemented`);
  k.log('info', 'GICv3: 0 Extended SPIs implemented');
  const name = `irqchip@0x${layout.distBase.toString(16).padStart(16, '0')}`;
  gic.domain = irqDomainCreate(k, name, { alloc: gicIrqDomainAlloc, free: gicIrqDomainFree }, null, { hostData: gic, kind: 'gic' });
  irqDomainUpdateBusToken(gic.domain, DOMAIN_BUS.WIRED);
  k.log('info', 'GICv3: GIC: Using split EOI/Deactivate mode');
  k.t.leaveWith('0');
  return gic;
}

/** enable_percpu_irq() / disable_percpu_irq() on one CPU: the banked enable in its redistributor. */
export function gicPercpuEnable(k: Kernel, gic: GicV3, virq: number, cpu: number, on: boolean): void {
  const d = irqDomainGetIrqData(k, gic.domain, virq);
  const g = d ? gicIrqOf(d) : null;
  if (g?.percpuEnabled) g.percpuEnabled[cpu] = on;
}

/**
 * gic_smp_init() + set_smp_ipi_range() + ipi_setup(): 8 SGIs as IPI0-7, hidden from
 * /proc/interrupts (IRQ_HIDDEN: arch_show_interrupts prints them as the IPI rows), each
 * requested as a per-CPU interrupt "IPI" and enabled on every CPU.
 */
export function gicSmpInit(k: Kernel, gic: GicV3, nrIpi = GIC_NR_SGI_IPIS): number {
  k.t.enter('gic_smp_init', gic.domain.name, FILE);
  const base = irqDomainAllocIrqs(k, gic.domain, GIC_NR_SGI_IPIS, gicFwspecArg(0, IRQ_TYPE.EDGE_RISING), null);
  if (base <= 0) return k.t.leave(base);
  for (let i = 0; i < GIC_NR_SGI_IPIS; i++) {
    const desc = k.descs.get(base + i)!;
    desc.status |= IRQ_STATUS.HIDDEN;
    gicSetType(desc, IRQ_TYPE.EDGE_RISING);
    // set_smp_ipi_range(): the SGIs the kernel has IPIs for get a handler (nr_ipi).
    if (i >= nrIpi) continue;
    requestIrq(k, desc, 'IPI');
    for (let cpu = 0; cpu < k.nrCpus; cpu++) gicPercpuEnable(k, gic, base + i, cpu, true);
  }
  return k.t.leave(base);
}

/**
 * acpi_register_gsi() → irq_create_fwspec_mapping(): a wired interrupt (PPI or SPI) with its
 * trigger, as firmware describes it. Returns the virq.
 */
export function gicMapWired(k: Kernel, gic: GicV3, intid: number, type: number): number {
  const virq = irqDomainAllocIrqs(k, gic.domain, 1, gicFwspecArg(intid, type), null);
  if (virq > 0) {
    const desc = k.descs.get(virq)!;
    gicSetType(desc, type);
    // irq_create_fwspec_mapping() → irqd_set_trigger_type(): the firmware's trigger is the default.
    irqdSet(desc.irqData, IRQD.DEFAULT_TRIGGER_SET);
  }
  return virq;
}

// ---- the CPU interface: an interrupt arrives ----

/**
 * gic_handle_irq() on `cpu`: ICC_IAR1_EL1 gives the INTID, ICC_EOIR1_EL1 drops the priority
 * (EOImode 1), generic_handle_domain_irq() finds the descriptor through the domain's revmap.
 * An INTID nothing is mapped to: WARN "Unexpected interrupt" and deactivate.
 */
export function gicHandleIrq(k: Kernel, gic: GicV3, cpu: number, intid: number): void {
  const on = k.t.on;
  const starting = gic.domain.revmap.get(intid);
  if (starting && gic.starting.has(starting.irq)) {
    // The kernel takes it once irq_startup() has finished and the descriptor lock is dropped;
    // the model has no such later moment inside the call, so the pending edge is left to
    // check_irq_resend() at the end of irq_startup() (its INT finds the LPI pending here).
    const desc = k.descs.get(starting.irq)!;
    gic.redists[cpu].pending.add(intid);
    desc.istate |= IRQS_PENDING;
    if (on) {
      k.t.effect(`CPU${cpu} has interrupts off while irq ${desc.irq} is started under its descriptor lock: INTID ${intid} stays pending in its redistributor, replayed by check_irq_resend()`);
      k.hop({ stage: 'pending', domain: gic.domain.name, label: `LPI ${intid} pending at CPU${cpu} until irq ${desc.irq} is started`, cpu, vector: intid });
    }
    return;
  }
  if (on) {
    k.t.enter('gic_handle_irq', gic.domain.name, FILE);
    k.t.effect(`CPU${cpu}: ICC_IAR1_EL1 reads INTID ${intid}; ICC_EOIR1_EL1 ← ${intid} (priority drop)`);
  }
  const d = gic.domain.revmap.get(intid);
  const desc = d ? k.descs.get(d.irq) : undefined;
  if (!desc) {
    k.log('warn', `WARNING: gic_handle_irq: Unexpected interrupt (irqnr ${intid})`);
    if (on) {
      k.hop({ stage: 'lost', domain: gic.domain.name, label: `CPU${cpu}: INTID ${intid} has no descriptor`, cpu, vector: intid });
      k.t.leaveWith();
    }
    return;
  }
  if (on) {
    k.t.effect(`generic_handle_domain_irq(): INTID ${intid} → irq ${desc.irq}`);
    k.hop({ stage: 'cpu', domain: gic.domain.name, label: `CPU${cpu} INTID ${intid} → irq ${desc.irq}`, cpu, vector: intid, virq: desc.irq });
  }
  const prev = k.irqContext ?? null;
  k.irqContext = { cpu, vector: intid };
  try {
    k.genericHandleIrq(desc, cpu);
  } finally {
    k.irqContext = prev;
  }
  if (on) k.t.leaveWith();
}

/**
 * A redistributor latches an LPI: pending, and forwarded to its CPU at once when the LPI is
 * enabled in the configuration table and the CPU takes interrupts; otherwise the pending bit
 * stays set until the LPI is enabled (and INV'd) or the CPU returns.
 */
export function rdistSetPending(k: Kernel, gic: GicV3, cpu: number, lpi: number, domainName: string): void {
  const rd = gic.redists[cpu];
  if (gic.lpiEnabled(lpi) && rd.awake && k.cpuOnline(cpu)) {
    rd.pending.delete(lpi);
    gicHandleIrq(k, gic, cpu, lpi);
    return;
  }
  rd.pending.add(lpi);
  if (k.t.on) {
    const why = !gic.lpiEnabled(lpi) ? `LPI ${lpi} is disabled in the configuration table (${hex(gic.lpiConfig(lpi))})` : `CPU${cpu} is offline`;
    k.t.effect(`${why}: pending bit set in CPU${cpu}'s redistributor, taken when it is enabled`);
    k.hop({ stage: 'pending', domain: domainName, label: `LPI ${lpi} pending at CPU${cpu}'s redistributor`, cpu, vector: lpi });
  }
}

/**
 * The redistributor re-reads an LPI's configuration (after INV): a pending LPI that is now
 * enabled is forwarded to its CPU.
 */
export function rdistReevaluate(k: Kernel, gic: GicV3, lpi: number): void {
  const cpu = gic.pendingAt(lpi);
  if (cpu < 0) return;
  const rd = gic.redists[cpu];
  if (!gic.lpiEnabled(lpi) || !rd.awake || !k.cpuOnline(cpu)) return;
  rd.pending.delete(lpi);
  if (k.t.on) k.t.effect(`LPI ${lpi} is enabled and pending at CPU${cpu}'s redistributor: forwarded now`);
  gicHandleIrq(k, gic, cpu, lpi);
}

/** A CPU's redistributor takes every enabled LPI still pending there (CPU back online). */
export function rdistFlush(k: Kernel, gic: GicV3, cpu: number): void {
  const rd = gic.redists[cpu];
  if (!rd.awake || !k.cpuOnline(cpu)) return;
  for (const lpi of [...rd.pending].sort((a, b) => a - b)) {
    if (!gic.lpiEnabled(lpi)) continue;
    rd.pending.delete(lpi);
    if (k.t.on) k.t.effect(`LPI ${lpi} was pending at CPU${cpu}'s redistributor: taken now`);
    gicHandleIrq(k, gic, cpu, lpi);
  }
}

export function gicIrqOfData(d: IrqData): GicIrq | null {
  return gicIrqOf(d);
}
