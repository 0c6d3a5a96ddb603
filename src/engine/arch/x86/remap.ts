// Models drivers/iommu/intel/irq_remapping.c (INTEL-IR: one 64K-entry IRTE table per IOMMU,
// remappable-format MSI messages) and, smaller, the interrupt remapping half of
// drivers/iommu/amd/iommu.c (AMD-IR: one IRTE table per requester ID, data = IRTE index).

import { EINVAL, ENODEV, ENOMEM, ENOSPC } from '../../core/errno';
import type { Kernel } from '../../core/kernel';
import type { Device } from '../../core/device';
import { type IrqData } from '../../core/irqdesc';
import { IRQ_SET_MASK_OK_DONE, type IrqChip, type MsiMsg } from '../../core/chip';
import {
  type AllocArg, DOMAIN_BUS, IRQ_DOMAIN_FLAG, type IrqDomain, irqDomainAllocIrqsParent, irqDomainCreate,
  irqDomainFreeIrqsParent, irqDomainGetIrqData, irqDomainUpdateBusToken,
} from '../../core/irqdomain';
import { MSI_FLAG, type MsiDomainInfo, type MsiParentOps } from '../../msi/msi';
import { type IrqCfg, apicAckIrq, apicChipData, irqdCfg, vectorScheduleCleanup } from './vector';
import { X86_MSI_BASE_ADDRESS_HIGH, X86_MSI_BASE_ADDRESS_LOW, X86_VECTOR_MSI_FLAGS_REQUIRED, X86_VECTOR_MSI_FLAGS_SUPPORTED } from './msi';

const INTEL_FILE = 'drivers/iommu/intel/irq_remapping.c';
const AMD_FILE = 'drivers/iommu/amd/iommu.c';

/** INTR_REMAP_TABLE_ENTRIES: one Intel IRTE table (1 MiB, 16-byte entries). */
export const INTR_REMAP_TABLE_ENTRIES = 65536;
/** MAX_IRQS_PER_TABLE (512; 2048 when the IOMMU supports it): one AMD per-device table. */
export const AMD_IRQS_PER_TABLE = 512;
/** Source ID of the IO-APIC in a typical Intel DMAR scope (f0:1f.0). */
export const INTEL_IOAPIC_SOURCE_ID = 0xf0f8;
/** Device ID of the IO-APIC in a typical AMD IVRS table (00:14.0). */
export const AMD_IOAPIC_DEVID = 0x00a0;

/** Source validation type (SVT) and source-id qualifier (SQ) of an IRTE. */
export const SVT_NO_VERIFY = 0;
export const SVT_VERIFY_SID_SQ = 1;
export const SVT_VERIFY_BUS = 2;
export const SQ_ALL_16 = 0;
export const SQ_13_IGNORE_3 = 3;

/** struct irte (remapped format), the fields the model uses. `dest` is the APIC ID. */
export interface Irte {
  present: boolean;
  vector: number;
  dest: number;
  dstModeLogical: boolean;
  redirHint: boolean;
  /** Always edge: the IO-APIC keeps level semantics in its own RTE. */
  triggerMode: 0;
  svt: number;
  sq: number;
  sid: number;
}

function zeroIrte(): Irte {
  return { present: false, vector: 0, dest: 0, dstModeLogical: false, redirHint: false, triggerMode: 0, svt: 0, sq: 0, sid: 0 };
}

/** One entry as the remapping hardware sees it, plus the owning virq for views. */
interface HwIrte {
  irte: Irte;
  virq: number;
}

/** What a view lists of an IRTE table. */
export interface IrteView {
  index: number;
  vector: number;
  dest: number;
  present: boolean;
  /** Intel: the IRTE's SID; AMD: the requester ID whose table holds the entry. */
  sourceId: number;
  virq: number;
}

/** The result of a remapping-hardware lookup. */
export interface IrteLookup {
  index: number;
  vector: number;
  dest: number;
  present: boolean;
  sourceId: number;
  svt: number;
}

// ======================================================================================
// Intel VT-d
// ======================================================================================

/** struct intel_iommu, the interrupt remapping part: ir_table (entries + bitmap). */
export class IntelIommu {
  readonly kind = 'intel' as const;
  readonly name: string;
  /** ir_table->bitmap: allocated IRTE indexes. */
  readonly bitmap = new Uint32Array(INTR_REMAP_TABLE_ENTRIES >>> 5);
  /** ir_table->base: the written (non-zero) entries, by index. */
  readonly table = new Map<number, HwIrte>();
  /** ecap_max_handle_mask(): the largest multi-MSI block is 2^mask entries. */
  maxHandleMask = 0xf;
  /** eim_mode: x2APIC destination format in IRTE dest_id (the model runs xAPIC). */
  eim = false;
  /** Source ID of the IO-APIC under this unit (DMAR device scope). */
  ioapicSid = INTEL_IOAPIC_SOURCE_ID;
  constructor(readonly seqId: number) {
    this.name = `dmar${seqId}`;
  }
  isSet(i: number): boolean {
    return (this.bitmap[i >>> 5] & (1 << (i & 31))) !== 0;
  }
  setBits(i: number, n: number, on: boolean): void {
    for (let j = i; j < i + n; j++) {
      if (on) this.bitmap[j >>> 5] |= 1 << (j & 31);
      else this.bitmap[j >>> 5] &= ~(1 << (j & 31));
    }
  }
}

/** struct irq_2_iommu */
interface Irq2Iommu {
  iommu: IntelIommu;
  irteIndex: number;
  subHandle: number;
  irteMask: number;
}

/** struct intel_ir_data: chip_data of an INTEL-IR level. */
export interface IntelIrData {
  irq2iommu: Irq2Iommu;
  irteEntry: Irte;
  msiEntry: MsiMsg;
}

function intelIommu(d: IrqDomain): IntelIommu {
  return d.hostData as IntelIommu;
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** PCI_DEVID(bus, devfn) from a device name "0000:3d:00.0" / "3d:00.0"; -1 if it is no PCI name. */
export function pciDevidFromName(name: string | undefined): number {
  const m = name ? /^(?:[0-9a-f]{4}:)?([0-9a-f]{2}):([0-1][0-9a-f])\.([0-7])$/i.exec(name) : null;
  if (!m) return -1;
  return (parseInt(m[1], 16) << 8) | (parseInt(m[2], 16) << 3) | parseInt(m[3], 10);
}

/** "bb:dd.f" of a requester ID, as the DMAR fault printk shows it. */
export function formatDevid(rid: number): string {
  const bus = (rid >> 8) & 0xff;
  const slot = (rid >> 3) & 0x1f;
  return `${bus.toString(16).padStart(2, '0')}:${slot.toString(16).padStart(2, '0')}.${rid & 7}`;
}

/**
 * alloc_irte(): the lowest free block of 2^mask IRTEs aligned to 2^mask
 * (bitmap_find_free_region), for `count` interrupts. -1 when none is left.
 */
function allocIrte(k: Kernel, iommu: IntelIommu, count: number): { index: number; mask: number } {
  if (!count) return { index: -1, mask: 0 };
  let mask = 0;
  if (count > 1) {
    let c = 1;
    while (c < count) c <<= 1;
    mask = Math.log2(c);
  }
  if (mask > iommu.maxHandleMask) {
    k.log('err', `DMAR-IR: Requested mask ${mask.toString(16)} exceeds the max invalidation handle mask value ${iommu.maxHandleMask.toString(16)}`);
    return { index: -1, mask };
  }
  const size = 1 << mask;
  // bitmap_find_free_region(): first free size-aligned block; blocks of up to 32 sit in one word.
  const words = iommu.bitmap;
  const sizeMask = size >= 32 ? 0xffffffff : (1 << size) - 1;
  for (let pos = 0; pos + size <= INTR_REMAP_TABLE_ENTRIES; pos += size) {
    let free: boolean;
    if (size <= 32) {
      const w = words[pos >>> 5];
      if (w === 0xffffffff) {
        pos = (pos | 31) + 1 - size;
        continue;
      }
      free = ((w >>> (pos & 31)) & sizeMask) === 0;
    } else {
      free = true;
      for (let j = pos >>> 5; j < (pos + size) >>> 5; j++) if (words[j]) free = false;
    }
    if (free) {
      iommu.setBits(pos, size, true);
      if (k.t.on) {
        k.t.enter('alloc_irte', `INTEL-IR-${iommu.seqId}`, INTEL_FILE);
        k.t.effect(size === 1 ? `IRTE ${pos} allocated` : `IRTEs ${pos}-${pos + size - 1} allocated (${size}-aligned block for ${count} vectors)`);
        k.t.leaveWith(String(pos));
      }
      return { index: pos, mask };
    }
  }
  k.log('warn', `DMAR-IR: IR${iommu.seqId}: can't allocate an IRTE`);
  return { index: -1, mask };
}

/** modify_irte(): write the entry at irte_index + sub_handle and flush the interrupt entry cache. */
function modifyIrte(k: Kernel, irq2: Irq2Iommu, irte: Irte, virq: number): void {
  const index = irq2.irteIndex + irq2.subHandle;
  if (irte.present || irte.vector || irte.dest || irte.sid) irq2.iommu.table.set(index, { irte: { ...irte }, virq });
  else irq2.iommu.table.delete(index);
  if (k.t.on) {
    k.t.effect(irte.present
      ? `modify_irte: IRTE ${index} ← present, vector 0x${irte.vector.toString(16)}, dest APIC ID ${irte.dest}; qi_flush_iec(${index})`
      : `modify_irte: IRTE ${index} ← 0 (not present); qi_flush_iec(${index})`);
  }
}

/** clear_entries(): only the sub_handle 0 member clears and releases the whole block. */
function clearEntries(k: Kernel, irq2: Irq2Iommu): void {
  if (irq2.subHandle) return;
  const { iommu, irteIndex, irteMask } = irq2;
  const n = 1 << irteMask;
  for (let i = irteIndex; i < irteIndex + n; i++) iommu.table.delete(i);
  iommu.setBits(irteIndex, n, false);
  if (k.t.on) k.t.effect(n === 1 ? `clear_entries: IRTE ${irteIndex} cleared and released` : `clear_entries: IRTEs ${irteIndex}-${irteIndex + n - 1} cleared and released`);
}

/** fill_msi_msg(): the remappable-format message for IRTE handle `index` and `subhandle`. */
export function intelFillMsiMsg(msg: MsiMsg, index: number, subhandle: number): void {
  msg.addressLo = (X86_MSI_BASE_ADDRESS_LOW | ((index & 0x7fff) << 5) | (1 << 4) | (1 << 3) |
    (((index >> 15) & 1) << 2)) >>> 0;
  msg.addressHi = X86_MSI_BASE_ADDRESS_HIGH;
  msg.data = subhandle;
}

/** prepare_irte(): present, physical, edge, fixed, the cfg's vector and destination. */
function prepareIrte(irte: Irte, vector: number, dest: number): void {
  Object.assign(irte, zeroIrte());
  irte.present = true;
  irte.vector = vector;
  irte.dest = dest;
  irte.redirHint = true;
}

/** intel_irq_remapping_prepare_irte(): software IRTE + source-id checks + the message. */
function intelIrqRemappingPrepareIrte(
  k: Kernel, data: IntelIrData, cfg: IrqCfg, arg: AllocArg, index: number, subHandle: number,
): void {
  const irte = data.irteEntry;
  prepareIrte(irte, cfg.vector, cfg.destApicid);
  let msgSub = subHandle;
  switch (arg.type) {
    case 'ioapic': {
      // set_ioapic_sid(): the IO-APIC's requester ID from the DMAR device scope, all 16 bits.
      irte.svt = SVT_VERIFY_SID_SQ;
      irte.sq = SQ_ALL_16;
      irte.sid = data.irq2iommu.iommu.ioapicSid;
      msgSub = typeof arg.extra?.pin === 'number' ? arg.extra.pin : arg.hwirq;
      break;
    }
    case 'hpet':
      irte.svt = SVT_VERIFY_SID_SQ;
      irte.sq = SQ_13_IGNORE_3;
      irte.sid = typeof arg.extra?.sourceId === 'number' ? arg.extra.sourceId : 0x00f8;
      break;
    default: {
      // set_msi_sid(): the device's own requester ID (no DMA alias in the model).
      const rid = typeof arg.extra?.sourceId === 'number' ? arg.extra.sourceId : pciDevidFromName(arg.dev);
      if (rid >= 0) {
        irte.svt = SVT_VERIFY_SID_SQ;
        irte.sq = SQ_ALL_16;
        irte.sid = rid;
      }
    }
  }
  intelFillMsiMsg(data.msiEntry, index, msgSub);
  if (k.t.on) {
    k.t.effect(`IRTE ${index + subHandle} prepared (not yet written): vector 0x${cfg.vector.toString(16)} → APIC ID ${cfg.destApicid}` +
      `${irte.svt ? `, SID ${formatDevid(irte.sid)} verified` : ''}; message address_lo ${hex(data.msiEntry.addressLo)} data ${hex(msgSub)}`);
  }
}

/** intel_free_irq_resources() */
function intelFreeIrqResources(k: Kernel, domain: IrqDomain, virq: number, nr: number): void {
  for (let i = 0; i < nr; i++) {
    const d = irqDomainGetIrqData(k, domain, virq + i);
    if (d && d.chipData) {
      clearEntries(k, (d.chipData as IntelIrData).irq2iommu);
      d.hwirq = 0;
      d.chipData = null;
    }
  }
}

/** intel_irq_remapping_alloc(): parent (VECTOR) first, then one IRTE block with per-vector sub-handles. */
function intelIrqRemappingAlloc(k: Kernel, domain: IrqDomain, virq: number, nr: number, arg: AllocArg): number {
  const iommu = intelIommu(domain);
  k.t.enter('intel_irq_remapping_alloc', domain.name, INTEL_FILE);
  if (!iommu) return k.t.leave(-EINVAL);
  if (nr > 1 && arg.type !== 'msi') {
    if (k.t.on) k.t.effect(`${nr} interrupts in one go are only allowed for multi-MSI`);
    return k.t.leave(-EINVAL);
  }
  const ret = irqDomainAllocIrqsParent(k, domain, virq, nr, arg);
  if (ret < 0) return k.t.leave(ret);
  const { index, mask } = allocIrte(k, iommu, nr);
  if (index < 0) {
    k.log('warn', 'DMAR-IR: Failed to allocate IRTE');
    irqDomainFreeIrqsParent(k, domain, virq, nr);
    return k.t.leave(-ENOMEM);
  }
  const base: Irq2Iommu = { iommu, irteIndex: index, subHandle: 0, irteMask: mask };
  for (let i = 0; i < nr; i++) {
    const d = irqDomainGetIrqData(k, domain, virq + i);
    const cfg = d ? irqdCfg(d) : null;
    if (!d || !cfg) {
      intelFreeIrqResources(k, domain, virq, i);
      if (i === 0) iommu.setBits(index, 1 << mask, false);
      irqDomainFreeIrqsParent(k, domain, virq, nr);
      return k.t.leave(-EINVAL);
    }
    const ird: IntelIrData = {
      irq2iommu: { ...base, subHandle: i }, irteEntry: zeroIrte(), msiEntry: { addressLo: 0, addressHi: 0, data: 0 },
    };
    d.hwirq = index * 65536 + i;
    d.chipData = ird;
    d.chip = intelIrChip;
    if (k.t.on) k.t.effect(`irq ${virq + i}: hwirq ${hex(d.hwirq)} (IRTE ${index} << 16 + sub-handle ${i}), chip INTEL-IR`);
    intelIrqRemappingPrepareIrte(k, ird, cfg, arg, index, i);
  }
  return k.t.leave(0);
}

/** intel_irq_remapping_free() */
function intelIrqRemappingFree(k: Kernel, domain: IrqDomain, virq: number, nr: number): void {
  k.t.enter('intel_irq_remapping_free', domain.name, INTEL_FILE);
  intelFreeIrqResources(k, domain, virq, nr);
  irqDomainFreeIrqsParent(k, domain, virq, nr);
  k.t.leaveWith();
}

/** intel_ir_reconfigure_irte(): the software IRTE takes the current vector/destination, then is written. */
function intelIrReconfigureIrte(k: Kernel, d: IrqData, _force: boolean): void {
  const ird = d.chipData as IntelIrData;
  const cfg = irqdCfg(d);
  if (!cfg) return;
  ird.irteEntry.vector = cfg.vector;
  ird.irteEntry.dest = cfg.destApicid;
  // No posted interrupts in the model: the IRTE is always in remapped mode, so it is written.
  modifyIrte(k, ird.irq2iommu, ird.irteEntry, d.irq);
}

/** intel_irq_remapping_activate(): program the IRTE from the (already activated) parent's cfg. */
function intelIrqRemappingActivate(k: Kernel, _domain: IrqDomain, d: IrqData): number {
  k.t.enter('intel_irq_remapping_activate', d.domain.name, INTEL_FILE);
  intelIrReconfigureIrte(k, d, true);
  return k.t.leave(0);
}

/** intel_irq_remapping_deactivate(): write an all-zero IRTE; the index stays allocated. */
function intelIrqRemappingDeactivate(k: Kernel, _domain: IrqDomain, d: IrqData): void {
  k.t.enter('intel_irq_remapping_deactivate', d.domain.name, INTEL_FILE);
  modifyIrte(k, (d.chipData as IntelIrData).irq2iommu, zeroIrte(), d.irq);
  k.t.leaveWith();
}

/**
 * After the IRTE is rewritten (intel_ir_set_affinity(), amd_ir_set_affinity(), the same in 6.1,
 * 6.12 and 7.2): "After this point, all the interrupts will start arriving at the new
 * destination" — so the old vector's cleanup is scheduled now, not at the first interrupt.
 */
function irteRewritten(k: Kernel, d: IrqData): void {
  const a = apicChipData(d);
  if (!k.t.on || !a?.moveInProgress) return;
  k.t.effect(`the IRTE now sends every interrupt to vector ${a.vector} on CPU${a.cpu}: the old vector ${a.prevVector} on CPU${a.prevCpu} gets no more, its cleanup is scheduled now (no waiting for an interrupt)`);
}

/**
 * intel_ir_set_affinity(): VECTOR picks the new vector/CPU (apic_set_affinity()), the IRTE is
 * rewritten, then the old vector is queued for cleanup at once (vector_schedule_cleanup(); 6.1
 * send_cleanup_vector()), and IRQ_SET_MASK_OK_DONE keeps the MSI layer from touching the device's
 * message.
 */
function intelIrSetAffinity(d: IrqData, k: Kernel, mask: readonly number[], force: boolean): number {
  const parent = d.parentData!;
  k.t.enter('intel_ir_set_affinity', d.domain.name, INTEL_FILE);
  const ret = parent.chip.irqSetAffinity ? parent.chip.irqSetAffinity(parent, k, mask, force) : -EINVAL;
  if (ret < 0 || ret === IRQ_SET_MASK_OK_DONE) return k.t.leave(ret);
  intelIrReconfigureIrte(k, d, false);
  irteRewritten(k, d);
  vectorScheduleCleanup(k, d);
  return k.t.leave(IRQ_SET_MASK_OK_DONE);
}

/** intel_ir_compose_msi_msg(): the message built at allocation; it never changes afterwards. */
function intelIrComposeMsiMsg(d: IrqData, k: Kernel, msg: MsiMsg): void {
  const ird = d.chipData as IntelIrData;
  Object.assign(msg, ird.msiEntry);
  if (k.t.on) {
    k.t.enter('intel_ir_compose_msi_msg', d.domain.name, INTEL_FILE);
    k.t.effect(`remappable format: address_lo ${hex(msg.addressLo)} (handle ${ird.irq2iommu.irteIndex}, SHV), data ${hex(msg.data)}`);
    k.t.leaveWith();
  }
}

/** The "INTEL-IR" chip (intel_ir_chip): flags 0, no retrigger of its own. */
export const intelIrChip: IrqChip = {
  name: 'INTEL-IR',
  flags: 0,
  irqAck: apicAckIrq,
  irqSetAffinity: intelIrSetAffinity,
  irqComposeMsiMsg: intelIrComposeMsiMsg,
};

/**
 * msi_parent_init_dev_msi_info() (kernel/irq/msi.c): an intermediate MSI parent hands the
 * child's info to its own parent's init_dev_msi_info, naming itself the real parent.
 */
function msiParentInitDevMsiInfo(
  k: Kernel, dev: Device, domain: IrqDomain, msiParent: IrqDomain, info: MsiDomainInfo,
): boolean {
  const parent = domain.parent;
  const pops = parent?.msiParentOps as MsiParentOps | undefined;
  if (!parent || !pops) {
    k.log('warn', `WARNING: msi_parent_init_dev_msi_info: ${domain.name} has no MSI parent above it`);
    return false;
  }
  return pops.initDevMsiInfo(k, dev, parent, msiParent, info);
}

/** dmar_msi_parent_ops */
export const dmarMsiParentOps: MsiParentOps = {
  supportedFlags: X86_VECTOR_MSI_FLAGS_SUPPORTED | MSI_FLAG.MULTI_PCI_MSI,
  requiredFlags: X86_VECTOR_MSI_FLAGS_REQUIRED,
  busSelectToken: DOMAIN_BUS.DMAR,
  prefix: 'IR-',
  // v6.2–v6.9: MSI_FLAG_PCI_IMS, physical IOMMUs only (a virtual one had "vIR-" parent ops without it).
  pciIms: true,
  initDevMsiInfo: msiParentInitDevMsiInfo,
};

/**
 * intel_setup_irq_remapping(): the IRTE table and the INTEL-IR-<seq> domain under VECTOR, bus
 * token DMAR (→ "INTEL-IR-<seq>-13"), ISOLATED_MSI | MSI_PARENT, linear revmap of 65536.
 */
export function intelIrInit(k: Kernel, vectorDomain: IrqDomain, seqId: number): IrqDomain {
  k.t.enter('intel_setup_irq_remapping', `INTEL-IR-${seqId}`, INTEL_FILE);
  const iommu = new IntelIommu(seqId);
  const dom = irqDomainCreate(k, `INTEL-IR-${seqId}`, {
    alloc: intelIrqRemappingAlloc, free: intelIrqRemappingFree,
    activate: intelIrqRemappingActivate, deactivate: intelIrqRemappingDeactivate,
  }, vectorDomain, {
    flags: IRQ_DOMAIN_FLAG.ISOLATED_MSI | IRQ_DOMAIN_FLAG.MSI_PARENT, hostData: iommu, kind: 'remap',
    revmapSize: INTR_REMAP_TABLE_ENTRIES,
  });
  irqDomainUpdateBusToken(dom, DOMAIN_BUS.DMAR);
  dom.msiParentOps = dmarMsiParentOps;
  if (k.t.on) k.t.effect(`${dom.name}: 65536-entry IRTE table of ${iommu.name}, MSI parent with prefix "IR-"`);
  k.log('info', 'DMAR-IR: Enabled IRQ remapping in xapic mode');
  k.t.leaveWith('0');
  return dom;
}

// ======================================================================================
// AMD-Vi
// ======================================================================================

/** struct irq_remap_table: one requester ID's IRTE table. */
interface AmdIrqTable {
  devid: number;
  minIndex: number;
  /** is_allocated() per index (the hardware marks allocated entries with vector 0xff). */
  allocated: Uint8Array;
  /** The written entries, by index. */
  entries: Map<number, HwIrte>;
}

/** struct amd_iommu, the interrupt remapping part. */
export class AmdIommu {
  readonly kind = 'amd' as const;
  readonly tables = new Map<number, AmdIrqTable>();
  ioapicDevid = AMD_IOAPIC_DEVID;
  constructor(readonly index: number) {}
}

/** struct amd_ir_data: chip_data of an AMD-IR level. */
export interface AmdIrData {
  iommu: AmdIommu;
  devid: number;
  /** irq_2_irte.index: the entry in the devid's table (block base + i). */
  index: number;
  entry: Irte;
  msiEntry: MsiMsg;
}

/** alloc_irq_table(): the devid's table, created on first use. */
function allocIrqTable(iommu: AmdIommu, devid: number): AmdIrqTable {
  let t = iommu.tables.get(devid);
  if (!t) {
    t = { devid, minIndex: 0, allocated: new Uint8Array(AMD_IRQS_PER_TABLE), entries: new Map() };
    iommu.tables.set(devid, t);
  }
  return t;
}

/** alloc_irq_index(): first fit of `count` entries from min_index, aligned for multi-MSI. */
function allocIrqIndex(iommu: AmdIommu, devid: number, count: number, align: boolean): number {
  const table = allocIrqTable(iommu, devid);
  let alignment = 1;
  if (align) while (alignment < count) alignment <<= 1;
  const alignUp = (x: number): number => Math.ceil(x / alignment) * alignment;
  let c = 0;
  for (let index = alignUp(table.minIndex); index < AMD_IRQS_PER_TABLE;) {
    if (!table.allocated[index]) c++;
    else {
      c = 0;
      index = alignUp(index + 1);
      continue;
    }
    if (c === count) {
      const first = index - count + 1;
      table.allocated.fill(1, first, index + 1);
      return first;
    }
    index++;
  }
  return -ENOSPC;
}

/** get_devid(): the requester ID the IOMMU will see (IO-APIC from IVRS, PCI from the BDF). */
function amdGetDevid(iommu: AmdIommu, arg: AllocArg): number {
  if (typeof arg.extra?.devid === 'number') return arg.extra.devid;
  if (arg.type === 'ioapic') return iommu.ioapicDevid;
  if (arg.type === 'hpet') return 0x00a0;
  return pciDevidFromName(arg.dev);
}

/** modify_irte() (AMD): write the entry and invalidate the device's interrupt table cache. */
function amdModifyIrte(k: Kernel, data: AmdIrData, virq: number): void {
  const t = allocIrqTable(data.iommu, data.devid);
  t.entries.set(data.index, { irte: { ...data.entry }, virq });
  if (k.t.on) {
    k.t.effect(data.entry.present
      ? `modify_irte: devid ${formatDevid(data.devid)} IRTE ${data.index} ← RemapEn, vector 0x${data.entry.vector.toString(16)}, dest APIC ID ${data.entry.dest}; INVALIDATE_INTERRUPT_TABLE`
      : `modify_irte: devid ${formatDevid(data.devid)} IRTE ${data.index} ← RemapEn 0; INVALIDATE_INTERRUPT_TABLE`);
  }
}

/** free_irte() */
function amdFreeIrte(k: Kernel, data: AmdIrData): void {
  const t = data.iommu.tables.get(data.devid);
  if (!t) return;
  t.entries.delete(data.index);
  t.allocated[data.index] = 0;
  if (k.t.on) k.t.effect(`free_irte: devid ${formatDevid(data.devid)} IRTE ${data.index} released`);
}

/** irq_remapping_alloc() (AMD) */
function amdIrqRemappingAlloc(k: Kernel, domain: IrqDomain, virq: number, nr: number, arg: AllocArg): number {
  const iommu = domain.hostData as AmdIommu;
  k.t.enter('irq_remapping_alloc', domain.name, AMD_FILE);
  if (nr > 1 && arg.type !== 'msi') return k.t.leave(-EINVAL);
  const devid = amdGetDevid(iommu, arg);
  if (devid < 0) {
    if (k.t.on) k.t.effect(`no requester ID for ${arg.dev ?? arg.type}`);
    return k.t.leave(-EINVAL);
  }
  const ret = irqDomainAllocIrqsParent(k, domain, virq, nr, arg);
  if (ret < 0) return k.t.leave(ret);
  let index: number;
  if (arg.type === 'ioapic') {
    const table = allocIrqTable(iommu, devid);
    if (!table.minIndex) {
      table.minIndex = 32;
      table.allocated.fill(1, 0, 32);
      if (k.t.on) k.t.effect(`devid ${formatDevid(devid)}: indexes 0-31 kept for IO-APIC pins`);
    }
    index = typeof arg.extra?.pin === 'number' ? arg.extra.pin : arg.hwirq;
  } else {
    index = allocIrqIndex(iommu, devid, nr, arg.type === 'msi');
  }
  if (index < 0) {
    k.log('warn', 'AMD-Vi: Failed to allocate IRTE');
    irqDomainFreeIrqsParent(k, domain, virq, nr);
    return k.t.leave(index);
  }
  for (let i = 0; i < nr; i++) {
    const d = irqDomainGetIrqData(k, domain, virq + i)!;
    const cfg = irqdCfg(d)!;
    const data: AmdIrData = {
      iommu, devid, index: index + i,
      entry: { ...zeroIrte(), present: false, vector: cfg.vector, dest: cfg.destApicid },
      msiEntry: { addressLo: X86_MSI_BASE_ADDRESS_LOW, addressHi: X86_MSI_BASE_ADDRESS_HIGH, data: index + i },
    };
    d.hwirq = devid * 65536 + i;
    d.chipData = data;
    d.chip = amdIrChip;
    if (k.t.on) k.t.effect(`irq ${virq + i}: hwirq ${hex(d.hwirq)} (devid ${formatDevid(devid)} << 16 + ${i}), IRTE ${index + i} of that device's table, chip AMD-IR`);
  }
  return k.t.leave(0);
}

/** irq_remapping_free() (AMD) */
function amdIrqRemappingFree(k: Kernel, domain: IrqDomain, virq: number, nr: number): void {
  k.t.enter('irq_remapping_free', domain.name, AMD_FILE);
  for (let i = 0; i < nr; i++) {
    const d = irqDomainGetIrqData(k, domain, virq + i);
    if (d?.chipData) {
      amdFreeIrte(k, d.chipData as AmdIrData);
      d.chipData = null;
      d.hwirq = 0;
    }
  }
  irqDomainFreeIrqsParent(k, domain, virq, nr);
  k.t.leaveWith();
}

/** amd_ir_update_irte(): new vector/destination into the entry, written if it is valid. */
function amdIrUpdateIrte(k: Kernel, d: IrqData): void {
  const data = d.chipData as AmdIrData;
  const cfg = irqdCfg(d);
  if (!cfg) return;
  data.entry.vector = cfg.vector;
  data.entry.dest = cfg.destApicid;
  amdModifyIrte(k, data, d.irq);
}

/** irq_remapping_activate() (AMD): RemapEn, then the current vector/destination. */
function amdIrqRemappingActivate(k: Kernel, _domain: IrqDomain, d: IrqData): number {
  k.t.enter('irq_remapping_activate', d.domain.name, AMD_FILE);
  (d.chipData as AmdIrData).entry.present = true;
  amdIrUpdateIrte(k, d);
  return k.t.leave(0);
}

/** irq_remapping_deactivate() (AMD): RemapEn cleared. */
function amdIrqRemappingDeactivate(k: Kernel, _domain: IrqDomain, d: IrqData): void {
  const data = d.chipData as AmdIrData;
  k.t.enter('irq_remapping_deactivate', d.domain.name, AMD_FILE);
  data.entry.present = false;
  amdModifyIrte(k, data, d.irq);
  k.t.leaveWith();
}

/** amd_ir_set_affinity(): same pattern as Intel: parent, IRTE, cleanup, IRQ_SET_MASK_OK_DONE. */
function amdIrSetAffinity(d: IrqData, k: Kernel, mask: readonly number[], force: boolean): number {
  const parent = d.parentData!;
  k.t.enter('amd_ir_set_affinity', d.domain.name, AMD_FILE);
  if (!(d.chipData as AmdIrData | null)?.iommu) return k.t.leave(-ENODEV);
  const ret = parent.chip.irqSetAffinity ? parent.chip.irqSetAffinity(parent, k, mask, force) : -EINVAL;
  if (ret < 0 || ret === IRQ_SET_MASK_OK_DONE) return k.t.leave(ret);
  amdIrUpdateIrte(k, d);
  irteRewritten(k, d);
  vectorScheduleCleanup(k, d);
  return k.t.leave(IRQ_SET_MASK_OK_DONE);
}

/** ir_compose_msi_msg() (AMD): address 0xfee00000, data = IRTE index. */
function amdIrComposeMsiMsg(d: IrqData, k: Kernel, msg: MsiMsg): void {
  const data = d.chipData as AmdIrData;
  Object.assign(msg, data.msiEntry);
  if (k.t.on) {
    k.t.enter('ir_compose_msi_msg', d.domain.name, AMD_FILE);
    k.t.effect(`AMD remapped message: address_lo ${hex(msg.addressLo)}, data ${hex(msg.data)} (IRTE index in devid ${formatDevid(data.devid)}'s table)`);
    k.t.leaveWith();
  }
}

/** The "AMD-IR" chip (amd_ir_chip). */
export const amdIrChip: IrqChip = {
  name: 'AMD-IR',
  flags: 0,
  irqAck: apicAckIrq,
  irqSetAffinity: amdIrSetAffinity,
  irqComposeMsiMsg: amdIrComposeMsiMsg,
};

/** amdvi_msi_parent_ops */
export const amdviMsiParentOps: MsiParentOps = {
  supportedFlags: X86_VECTOR_MSI_FLAGS_SUPPORTED | MSI_FLAG.MULTI_PCI_MSI,
  requiredFlags: X86_VECTOR_MSI_FLAGS_REQUIRED,
  busSelectToken: DOMAIN_BUS.AMDVI,
  prefix: 'IR-',
  // v6.2–v6.9: MSI_FLAG_PCI_IMS, physical IOMMUs only (a virtual one had "vIR-" parent ops without it).
  pciIms: true,
  initDevMsiInfo: msiParentInitDevMsiInfo,
};

/** amd_iommu_create_irq_domain(): "AMD-IR-<index>" → bus token AMDVI → "AMD-IR-<index>-14", size 0. */
export function amdIrInit(k: Kernel, vectorDomain: IrqDomain, index: number): IrqDomain {
  k.t.enter('amd_iommu_create_irq_domain', `AMD-IR-${index}`, AMD_FILE);
  const iommu = new AmdIommu(index);
  const dom = irqDomainCreate(k, `AMD-IR-${index}`, {
    alloc: amdIrqRemappingAlloc, free: amdIrqRemappingFree,
    activate: amdIrqRemappingActivate, deactivate: amdIrqRemappingDeactivate,
  }, vectorDomain, { flags: IRQ_DOMAIN_FLAG.ISOLATED_MSI | IRQ_DOMAIN_FLAG.MSI_PARENT, hostData: iommu, kind: 'remap' });
  irqDomainUpdateBusToken(dom, DOMAIN_BUS.AMDVI);
  dom.msiParentOps = amdviMsiParentOps;
  k.log('info', 'AMD-Vi: Interrupt remapping enabled');
  k.t.leaveWith('0');
  return dom;
}

// ======================================================================================
// What the hardware and the views see
// ======================================================================================

/** The remapping unit behind an IR domain. */
export function irIommu(ir: IrqDomain): IntelIommu | AmdIommu | null {
  const h = ir.hostData;
  return h instanceof IntelIommu || h instanceof AmdIommu ? h : null;
}

/**
 * The remapping hardware's lookup of one interrupt request. Intel: handle from address bits
 * 19:5 and 2, plus data[15:0] when SHV is set; null for a compatibility-format request or an
 * index beyond the table. AMD: data[10:0] in the requester's own table; null when the
 * requester has no table or the index is beyond it.
 */
export function irteLookup(ir: IrqDomain, addressLo: number, data: number, requesterId = -1): IrteLookup | null {
  const iommu = irIommu(ir);
  if (!iommu) return null;
  if (iommu.kind === 'intel') {
    if (!(addressLo & 0x10)) return null;
    const handle = ((addressLo >>> 5) & 0x7fff) | (((addressLo >>> 2) & 1) << 15);
    const index = addressLo & 0x8 ? handle + (data & 0xffff) : handle;
    if (index >= INTR_REMAP_TABLE_ENTRIES) return null;
    const e = iommu.table.get(index)?.irte;
    if (!e) return { index, vector: 0, dest: 0, present: false, sourceId: 0, svt: 0 };
    return { index, vector: e.vector, dest: e.dest, present: e.present, sourceId: e.sid, svt: e.svt };
  }
  const t = iommu.tables.get(requesterId);
  const index = data & 0x7ff;
  if (!t || index >= AMD_IRQS_PER_TABLE) return null;
  const e = t.entries.get(index)?.irte;
  if (!e) return { index, vector: 0, dest: 0, present: false, sourceId: requesterId, svt: 0 };
  return { index, vector: e.vector, dest: e.dest, present: e.present, sourceId: requesterId, svt: 0 };
}

/**
 * The entries of an IR domain's table(s) for views: the present ones, or with `all` every
 * allocated index too (Intel). Sorted by (source,) index.
 */
export function irteEntries(ir: IrqDomain, opts: { all?: boolean } = {}): IrteView[] {
  const iommu = irIommu(ir);
  if (!iommu) return [];
  const out: IrteView[] = [];
  if (iommu.kind === 'intel') {
    const written = [...iommu.table.entries()];
    const idx = new Set(written.map(([i]) => i));
    for (const [index, { irte, virq }] of written) {
      if (irte.present || opts.all) out.push({ index, vector: irte.vector, dest: irte.dest, present: irte.present, sourceId: irte.sid, virq });
    }
    if (opts.all) {
      for (const d of ir.revmap.values()) {
        const ird = d.chipData as IntelIrData | null;
        if (!ird) continue;
        const index = ird.irq2iommu.irteIndex + ird.irq2iommu.subHandle;
        if (idx.has(index)) continue;
        out.push({ index, vector: 0, dest: 0, present: false, sourceId: ird.irteEntry.sid, virq: d.irq });
      }
    }
    return out.sort((a, b) => a.index - b.index);
  }
  for (const t of iommu.tables.values()) {
    for (const [index, { irte, virq }] of t.entries) {
      if (irte.present || opts.all) out.push({ index, vector: irte.vector, dest: irte.dest, present: irte.present, sourceId: t.devid, virq });
    }
  }
  return out.sort((a, b) => a.sourceId - b.sourceId || a.index - b.index);
}

/** The requester ID (as "bb:dd.f") the IO-APIC's interrupt requests carry under this IR unit. */
export function irIoapicRequester(ir: IrqDomain | null): string {
  const iommu = ir ? irIommu(ir) : null;
  if (!iommu) return '00:1f.0';
  return formatDevid(iommu.kind === 'intel' ? iommu.ioapicSid : iommu.ioapicDevid);
}

