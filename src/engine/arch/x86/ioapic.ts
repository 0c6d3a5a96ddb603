// Models arch/x86/kernel/apic/io_apic.c, as far as a real machine's legacy rows need it: one
// IO-APIC domain "IO-APIC-<apic id>" (24 pins on q35, as many as the machine says elsewhere)
// under VECTOR or an IR domain, its redirection table, the "IO-APIC" / "IR-IO-APIC" chips (edge
// for ISA, fasteoi for level pins).

import { EEXIST, EINVAL } from '../../core/errno';
import type { Kernel } from '../../core/kernel';
import { IRQD, type IrqData, irqd, irqdClear, irqdSet } from '../../core/irqdesc';
import {
  IRQCHIP, IRQ_SET_MASK_OK_DONE, type IrqChip, type MsiMsg, irqChipAckParent, irqChipComposeMsiMsg,
  irqChipRetriggerHierarchy,
} from '../../core/chip';
import {
  type AllocArg, type IrqDomain, irqDomainAllocIrqs, irqDomainAllocIrqsParent, irqDomainCreate,
  irqDomainFreeIrqsParent, irqDomainGetIrqData,
} from '../../core/irqdomain';
import { irqMoveIrq } from '../../core/migration';
import { apicAckIrq, irqCompleteMove, setIoapicIrq } from './vector';
import { NR_LEGACY_IRQS, PIC_CASCADE_IR } from './vectors';
import { irIoapicRequester } from './remap';

const FILE = 'arch/x86/kernel/apic/io_apic.c';

/** Pins of an IO-APIC when nobody says otherwise (GSI 0-23, as on q35). */
export const IOAPIC_PINS = 24;
/** IO_APIC_reg_01.entries is 8 bits wide: at most 256 redirection entries per IO-APIC. */
export const IOAPIC_MAX_PINS = 256;
/** IRQ_LEVEL in irq_desc status (include/linux/irq.h). */
const IRQ_LEVEL = 1 << 8;

/** struct IO_APIC_route_entry: one redirection table entry. */
export interface IoapicRte {
  vector: number;
  deliveryMode: number;
  /** Bit 11: destination mode — or, in remapped format, IRTE index bit 15. */
  destModeLogical: boolean;
  deliveryStatus: boolean;
  activeLow: boolean;
  /** Remote IRR: a level interrupt was accepted and awaits EOI. */
  irr: boolean;
  isLevel: boolean;
  masked: boolean;
  /** Bit 48: remapped format (ir_format). */
  irFormat: boolean;
  /** Bits 63:49: ir_index_0_14 — or virt_destid_8_14 (low 7) and destid_0_7 (high 8). */
  index0to14: number;
}

function zeroRte(): IoapicRte {
  return {
    vector: 0, deliveryMode: 0, destModeLogical: false, deliveryStatus: false, activeLow: false, irr: false,
    isLevel: false, masked: false, irFormat: false, index0to14: 0,
  };
}

/** The two 32-bit words the IO-APIC registers 0x10+2*pin / 0x11+2*pin hold. */
export function rteWords(e: IoapicRte): [number, number] {
  const w1 = (e.vector & 0xff) | ((e.deliveryMode & 7) << 8) | (Number(e.destModeLogical) << 11) |
    (Number(e.deliveryStatus) << 12) | (Number(e.activeLow) << 13) | (Number(e.irr) << 14) |
    (Number(e.isLevel) << 15) | (Number(e.masked) << 16);
  const w2 = ((Number(e.irFormat) << 16) | ((e.index0to14 & 0x7fff) << 17)) >>> 0;
  return [w1 >>> 0, w2];
}

/** One IO-APIC: its ID and redirection table (the hardware registers). */
export class IoapicState {
  readonly rte: IoapicRte[];
  /** irq of each pin, -1 when unmapped. */
  readonly virqOf: Int32Array;
  /** `pins`: io_apic_get_redir_entries() (reg_01.entries + 1). */
  constructor(readonly apicId: number, readonly index: number, readonly pins = IOAPIC_PINS) {
    this.rte = Array.from({ length: pins }, () => ({ ...zeroRte(), masked: true }));
    this.virqOf = new Int32Array(pins).fill(-1);
  }
}

/** struct mp_chip_data: the software copy of the entry and the irq's pin list. */
export interface MpChipData {
  entry: IoapicRte;
  pins: number[];
  isLevel: boolean;
  activeLow: boolean;
  isaIrq: boolean;
}

/** What a view shows of one pin. */
export interface IoapicPinView {
  pin: number;
  virq: number;
  vector: number;
  /** APIC ID (compatibility format) or -1 in remapped format. */
  dest: number;
  /** IRTE index in remapped format, else -1. */
  irteIndex: number;
  masked: boolean;
  level: boolean;
  activeLow: boolean;
  irFormat: boolean;
  raw: [number, number];
}

function ioapicOf(d: IrqDomain): IoapicState {
  return d.hostData as IoapicState;
}

/** __ioapic_write_entry() for every pin of the irq. */
function writeEntryAllPins(k: Kernel, st: IoapicState, mpd: MpChipData): void {
  for (const pin of mpd.pins) {
    st.rte[pin] = { ...mpd.entry };
    if (k.t.on) {
      const [w1, w2] = rteWords(mpd.entry);
      k.t.effect(`RTE ${pin} ← 0x${w2.toString(16).padStart(8, '0')}${w1.toString(16).padStart(8, '0')}: ${describeRte(mpd.entry)}`);
    }
  }
}

function describeRte(e: IoapicRte): string {
  const trig = `${e.isLevel ? 'level' : 'edge'}, active ${e.activeLow ? 'low' : 'high'}${e.masked ? ', masked' : ''}`;
  if (e.irFormat) {
    const idx = e.index0to14 | (Number(e.destModeLogical) << 15);
    return `remapped format, IRTE ${idx}, vector field ${e.vector} (= pin, for the EOI), ${trig}`;
  }
  return `vector 0x${e.vector.toString(16)} → APIC ID ${e.index0to14 >> 7}, ${trig}`;
}

/** ioapic_setup_msg_from_msi(): let the parent compose the MSI message, swizzle it into the RTE. */
function ioapicSetupMsgFromMsi(k: Kernel, d: IrqData, e: IoapicRte): void {
  const msg: MsiMsg = { addressLo: 0, addressHi: 0, data: 0 };
  irqChipComposeMsiMsg(d, k, msg);
  e.vector = msg.data & 0xff;
  e.deliveryMode = (msg.data >>> 8) & 7;
  e.destModeLogical = ((msg.addressLo >>> 2) & 1) === 1;
  e.irFormat = ((msg.addressLo >>> 4) & 1) === 1;
  e.index0to14 = (msg.addressLo >>> 5) & 0x7fff;
}

/** ioapic_configure_entry() */
function ioapicConfigureEntry(k: Kernel, d: IrqData): void {
  const mpd = d.chipData as MpChipData;
  ioapicSetupMsgFromMsi(k, d, mpd.entry);
  writeEntryAllPins(k, ioapicOf(d.domain), mpd);
}

/** io_apic_modify_irq(): set or clear the mask bit of every pin of the irq. */
function ioapicModifyMask(k: Kernel, d: IrqData, masked: boolean): void {
  const mpd = d.chipData as MpChipData;
  mpd.entry.masked = masked;
  const st = ioapicOf(d.domain);
  for (const pin of mpd.pins) st.rte[pin].masked = masked;
  if (k.t.on) k.t.effect(`RTE ${mpd.pins.join(',')}: mask bit ${masked ? 'set' : 'cleared'}`);
}

/** mask_ioapic_irq() */
function maskIoapicIrq(d: IrqData, k: Kernel): void {
  k.t.enter('mask_ioapic_irq', d.domain.name, FILE);
  ioapicModifyMask(k, d, true);
  k.t.leaveWith();
}

/** unmask_ioapic_irq() */
function unmaskIoapicIrq(d: IrqData, k: Kernel): void {
  k.t.enter('unmask_ioapic_irq', d.domain.name, FILE);
  ioapicModifyMask(k, d, false);
  k.t.leaveWith();
}

/** startup_ioapic_irq(): unmask (the legacy PIC line has no pending edge in the model). */
function startupIoapicIrq(d: IrqData, k: Kernel): number {
  k.t.enter('startup_ioapic_irq', d.domain.name, FILE);
  ioapicModifyMask(k, d, false);
  k.t.leaveWith('0');
  return 0;
}

/** ioapic_set_affinity(): parent first; rewrite the RTEs unless the parent (IR) says it is done. */
function ioapicSetAffinity(d: IrqData, k: Kernel, mask: readonly number[], force: boolean): number {
  const parent = d.parentData!;
  k.t.enter('ioapic_set_affinity', d.domain.name, FILE);
  const ret = parent.chip.irqSetAffinity ? parent.chip.irqSetAffinity(parent, k, mask, force) : -EINVAL;
  if (ret >= 0 && ret !== IRQ_SET_MASK_OK_DONE) ioapicConfigureEntry(k, d);
  else if (ret === IRQ_SET_MASK_OK_DONE && k.t.on) k.t.effect('remapped: only the IRTE changed, the RTE stays');
  return k.t.leave(ret);
}

/**
 * ioapic_ack_level(): the level EOI of a non-remapped pin: finish a vector move, EOI the local
 * APIC (the vector is latched as level in the TMR, so the IO-APIC's remote IRR clears with
 * it), then apply a deferred affinity change with the pin masked.
 */
function ioapicAckLevel(d: IrqData, k: Kernel): void {
  k.t.enter('ioapic_ack_level', d.domain.name, FILE);
  const ctx = k.irqContext;
  if (ctx) irqCompleteMove(k, d, ctx.cpu);
  if (k.t.on) k.t.effect('apic_eoi(); remote IRR cleared by the broadcast EOI');
  for (const pin of (d.chipData as MpChipData).pins) ioapicOf(d.domain).rte[pin].irr = false;
  if (irqd(d, IRQD.SETAFFINITY_PENDING)) irqMoveIrq(d, k);
  k.t.leaveWith();
}

/** ioapic_ir_ack_level(): apic_ack_irq(), then EOI the IO-APIC pin with the RTE vector (= pin). */
function ioapicIrAckLevel(d: IrqData, k: Kernel): void {
  k.t.enter('ioapic_ir_ack_level', d.domain.name, FILE);
  apicAckIrq(d, k);
  const mpd = d.chipData as MpChipData;
  const st = ioapicOf(d.domain);
  for (const pin of mpd.pins) st.rte[pin].irr = false;
  if (k.t.on) k.t.effect(`eoi_ioapic_pin(vector ${mpd.entry.vector}): the RTE vector is the pin number under remapping`);
  k.t.leaveWith();
}

/** irq_chip_retrigger_hierarchy() as a chip callback: the first parent level that can retrigger. */
function retriggerParents(d: IrqData, k: Kernel): number {
  return irqChipRetriggerHierarchy(d, k);
}

const ioapicChipOps = {
  irqStartup: startupIoapicIrq,
  irqMask: maskIoapicIrq,
  irqUnmask: unmaskIoapicIrq,
  irqAck: irqChipAckParent,
  irqSetAffinity: ioapicSetAffinity,
  irqRetrigger: retriggerParents,
};

/** ioapic_chip: parent is VECTOR; moves are deferred to the interrupt (IRQCHIP_MOVE_DEFERRED, v6.14+). */
export const ioapicChip: IrqChip = {
  name: 'IO-APIC',
  flags: IRQCHIP.SKIP_SET_WAKE | IRQCHIP.MOVE_DEFERRED | IRQCHIP.AFFINITY_PRE_STARTUP,
  ...ioapicChipOps,
  irqEoi: ioapicAckLevel,
};

/** ioapic_ir_chip: parent is an interrupt remapping domain. */
export const ioapicIrChip: IrqChip = {
  name: 'IR-IO-APIC',
  flags: IRQCHIP.SKIP_SET_WAKE | IRQCHIP.AFFINITY_PRE_STARTUP,
  ...ioapicChipOps,
  irqEoi: ioapicIrAckLevel,
};

/** mp_register_handler(): level pins get handle_fasteoi_irq "fasteoi", edge pins handle_edge_irq "edge". */
function mpRegisterHandler(k: Kernel, virq: number, level: boolean): void {
  const desc = k.descs.get(virq)!;
  if (level) {
    desc.status |= IRQ_LEVEL;
    irqdSet(desc.irqData, IRQD.LEVEL);
  } else {
    desc.status &= ~IRQ_LEVEL;
    irqdClear(desc.irqData, IRQD.LEVEL);
  }
  desc.handleIrq = level ? 'handle_fasteoi_irq' : 'handle_edge_irq';
  desc.name = level ? 'fasteoi' : 'edge';
}

/** mp_irqdomain_alloc(): parent first, then hwirq = pin, the chip, the preconfigured (masked-if-level) RTE. */
function mpIrqdomainAlloc(k: Kernel, domain: IrqDomain, virq: number, nr: number, arg: AllocArg): number {
  k.t.enter('mp_irqdomain_alloc', domain.name, FILE);
  const d = irqDomainGetIrqData(k, domain, virq);
  if (nr > 1 || !d) return k.t.leave(-EINVAL);
  const st = ioapicOf(domain);
  const pin = typeof arg.extra?.pin === 'number' ? arg.extra.pin : arg.hwirq;
  if (pin < 0 || pin >= st.pins) return k.t.leave(-EINVAL);
  // irq_find_mapping(domain, pin) > 0: a pin mapped to irq 0 is (as in the kernel) not caught here.
  const mapped = domain.revmap.get(pin);
  if (mapped && mapped.irq > 0) {
    if (k.t.on) k.t.effect(`pin ${pin} is already mapped to irq ${mapped.irq}`);
    return k.t.leave(-EEXIST);
  }
  const ret = irqDomainAllocIrqsParent(k, domain, virq, nr, arg);
  if (ret < 0) return k.t.leave(ret);
  const isLevel = arg.extra?.level === true;
  const activeLow = typeof arg.extra?.activeLow === 'boolean' ? arg.extra.activeLow : isLevel && !arg.extra?.legacy;
  const mpd: MpChipData = {
    entry: { ...zeroRte(), isLevel, activeLow, masked: isLevel }, pins: [pin], isLevel, activeLow,
    isaIrq: arg.extra?.legacy === true,
  };
  d.hwirq = pin;
  d.chip = domain.parent && !domain.parent.parent ? ioapicChip : ioapicIrChip;
  d.chipData = mpd;
  st.virqOf[pin] = virq;
  mpRegisterHandler(k, virq, isLevel);
  if (k.t.on) {
    k.t.effect(`IOAPIC[${st.index}]: Preconfigured routing entry (${st.apicId}-${pin} -> IRQ ${virq} Level:${isLevel ? 1 : 0} ActiveLow:${activeLow ? 1 : 0})`);
    k.t.effect(`irq ${virq}: hwirq ${pin}, chip ${d.chip.name}, ${isLevel ? 'handle_fasteoi_irq' : 'handle_edge_irq'}`);
  }
  return k.t.leave(0);
}

/** mp_irqdomain_free(): drop the pin from the irq, then the parents. */
function mpIrqdomainFree(k: Kernel, domain: IrqDomain, virq: number, nr: number): void {
  k.t.enter('mp_irqdomain_free', domain.name, FILE);
  const d = irqDomainGetIrqData(k, domain, virq);
  if (d?.chipData) {
    const st = ioapicOf(domain);
    for (const pin of (d.chipData as MpChipData).pins) if (st.virqOf[pin] === virq) st.virqOf[pin] = -1;
    d.chipData = null;
    d.hwirq = 0;
  }
  irqDomainFreeIrqsParent(k, domain, virq, nr);
  k.t.leaveWith();
}

/** mp_irqdomain_activate(): program the RTE from the parent's message. */
function mpIrqdomainActivate(k: Kernel, _domain: IrqDomain, d: IrqData): number {
  k.t.enter('mp_irqdomain_activate', d.domain.name, FILE);
  ioapicConfigureEntry(k, d);
  return k.t.leave(0);
}

/** mp_irqdomain_deactivate() → ioapic_mask_entry(): the pin's RTE becomes an empty, masked entry. */
function mpIrqdomainDeactivate(k: Kernel, _domain: IrqDomain, d: IrqData): void {
  k.t.enter('mp_irqdomain_deactivate', d.domain.name, FILE);
  ioapicOf(d.domain).rte[d.hwirq] = { ...zeroRte(), masked: true };
  if (k.t.on) k.t.effect(`ioapic_mask_entry: RTE ${d.hwirq} ← masked, empty`);
  k.t.leaveWith();
}

/**
 * mp_irqdomain_create() for the one IO-APIC (from setup_IO_APIC()): domain "IO-APIC-<apic id>"
 * under `parent` (an IR domain when remapping, else VECTOR), linear revmap of its `pins`. The
 * ISA irqs except the cascade now belong to the IO-APIC (io_apic_irqs = ~PIC_IRQS).
 */
export function ioapicInit(k: Kernel, parent: IrqDomain, remap: boolean, apicId = 2, pins = IOAPIC_PINS): IrqDomain {
  if (remap !== (parent.parent !== null)) {
    throw new Error(`ioapicInit: remap=${remap} but the parent ${parent.name} is ${parent.parent ? 'a remapping domain' : 'VECTOR'}`);
  }
  k.log('info', `IOAPIC[0]: apic_id ${apicId}, version 32, address 0xfec00000, GSI 0-${pins - 1}`);
  k.t.enter('mp_irqdomain_create', `IO-APIC-${apicId}`, FILE);
  const st = new IoapicState(apicId, 0, pins);
  const dom = irqDomainCreate(k, `IO-APIC-${apicId}`, {
    alloc: mpIrqdomainAlloc, free: mpIrqdomainFree, activate: mpIrqdomainActivate, deactivate: mpIrqdomainDeactivate,
  }, parent, { hostData: st, kind: 'ioapic', revmapSize: pins });
  for (let irq = 0; irq < NR_LEGACY_IRQS; irq++) if (irq !== PIC_CASCADE_IR) setIoapicIrq(parent, irq);
  if (k.t.on) k.t.effect(`${dom.name}: ${pins} pins under ${parent.name}; ISA irqs 0-15 but 2 taken over from the PIC`);
  k.t.leaveWith('0');
  return dom;
}

/** What a pin carries: the irq it becomes and its wiring. */
export interface IoapicPinSpec {
  /** The irq number (ISA number for legacy pins, GSI for PCI INTx). */
  irq: number;
  pin: number;
  /** Level triggered (fasteoi): the SCI and PCI INTx; ISA pins are edge. */
  level: boolean;
  /** Active low; defaults to level && !legacy (PCI INTx are active-low level, the SCI is active-high level). */
  activeLow?: boolean;
  /** An ISA irq: VECTOR runs vector_configure_legacy(). */
  legacy: boolean;
  /** The ISA irq is already active (the timer, irq 0): it keeps ISA_IRQ_VECTOR(irq) on CPU0. */
  legacyKeep?: boolean;
}

/**
 * mp_map_pin_to_irq() → alloc_isa_irq_from_domain() / alloc_irq_from_domain(): the irq at
 * exactly `spec.irq`, mapped to `spec.pin`. Returns the irq or a negative errno.
 */
export function ioapicAllocPin(k: Kernel, ioapicDomain: IrqDomain, spec: IoapicPinSpec): number {
  k.t.enter(spec.legacy ? 'alloc_isa_irq_from_domain' : 'alloc_irq_from_domain', ioapicDomain.name, FILE);
  const arg: AllocArg = {
    type: 'ioapic', hwirq: spec.pin,
    extra: { pin: spec.pin, level: spec.level, legacy: spec.legacy, legacyKeep: spec.legacyKeep === true,
      ...(spec.activeLow !== undefined ? { activeLow: spec.activeLow } : {}) },
  };
  const virq = irqDomainAllocIrqs(k, ioapicDomain, 1, arg, null, spec.irq);
  if (virq >= 0 && spec.legacy) {
    const mpd = irqDomainGetIrqData(k, ioapicDomain, virq)?.chipData as MpChipData | undefined;
    if (mpd) mpd.isaIrq = true;
  }
  return k.t.leave(virq);
}

/** The redirection table for views. */
export function ioapicRtes(ioapicDomain: IrqDomain): IoapicPinView[] {
  const st = ioapicOf(ioapicDomain);
  return st.rte.map((e, pin) => ({
    pin, virq: st.virqOf[pin], vector: e.vector,
    dest: e.irFormat ? -1 : e.index0to14 >> 7,
    irteIndex: e.irFormat ? e.index0to14 | (Number(e.destModeLogical) << 15) : -1,
    masked: e.masked, level: e.isLevel, activeLow: e.activeLow, irFormat: e.irFormat, raw: rteWords(e),
  }));
}

/**
 * The interrupt message an asserted pin sends (the IO-APIC is an MSI generator): rebuilt from
 * the RTE. Remapped-format RTEs carry no SHV bit, so the IOMMU uses the handle alone.
 * null when the pin is masked or unmapped; `requester` is the IO-APIC's own requester ID.
 */
export function ioapicPinMessage(ioapicDomain: IrqDomain, pin: number): { msg: MsiMsg; requester: string; level: boolean } | null {
  const st = ioapicOf(ioapicDomain);
  const e = st.rte[pin];
  if (!e || e.masked || st.virqOf[pin] < 0) return null;
  const addressLo = (0xfee00000 | ((e.index0to14 & 0x7fff) << 5) | (Number(e.irFormat) << 4) |
    (Number(e.destModeLogical) << 2)) >>> 0;
  const data = (e.vector & 0xff) | ((e.deliveryMode & 7) << 8) | (Number(e.isLevel) << 15);
  const ir = ioapicDomain.parent && ioapicDomain.parent.parent ? ioapicDomain.parent : null;
  return { msg: { addressLo, addressHi: 0, data }, requester: irIoapicRequester(ir), level: e.isLevel };
}
