// Models kernel/irq/irqdomain.c and include/linux/irqdomain.h: irq domains, their hierarchy,
// and the two-phase alloc (resources, no hardware) / activate (program hardware) protocol.

import { EEXIST, ENOMEM, ENOSYS, EINVAL } from './errno';
import type { Kernel } from './kernel';
import { type IrqChip, noIrqChip } from './chip';
import { IRQD, IRQ_TYPE, type IrqCommonData, type IrqData, type IrqDesc, irqd, irqdClear, irqdSet, zeroCounts } from './irqdesc';

/** enum irq_domain_bus_token (include/linux/irqdomain_defs.h). */
export const DOMAIN_BUS = {
  ANY: 0,
  WIRED: 1,
  GENERIC_MSI: 2,
  PCI_MSI: 3,
  PLATFORM_MSI: 4,
  NEXUS: 5,
  IPI: 6,
  FSL_MC_MSI: 7,
  TI_SCI_INTA_MSI: 8,
  WAKEUP: 9,
  VMD_MSI: 10,
  PCI_DEVICE_MSI: 11,
  PCI_DEVICE_MSIX: 12,
  DMAR: 13,
  AMDVI: 14,
  /** v6.2–v6.9 only: sat after AMDVI before IMS was removed in 2024. */
  PCI_DEVICE_IMS: 15,
  DEVICE_MSI: 16,
  WIRED_TO_MSI: 17,
} as const;

/** IRQ_DOMAIN_FLAG_* (include/linux/irqdomain.h). */
export const IRQ_DOMAIN_FLAG = {
  HIERARCHY: 0x1,
  NAME_ALLOCATED: 0x2,
  IPI_PER_CPU: 0x4,
  IPI_SINGLE: 0x8,
  MSI: 0x10,
  ISOLATED_MSI: 0x20,
  NO_MAP: 0x40,
  MSI_PARENT: 0x100,
  MSI_DEVICE: 0x200,
  DESTROY_GC: 0x400,
  MSI_IMMUTABLE: 0x800,
  FWNODE_PARENT: 0x1000,
  NONCORE: 0x10000,
} as const;

/** Per-interrupt-range allocation argument (msi_alloc_info_t / irq_alloc_info). */
export interface AllocArg {
  /** Which kind of requester this is: tells the parents how to allocate. */
  type: 'msi' | 'msix' | 'ioapic' | 'hpet' | 'dmar' | 'amdvi' | 'ims' | 'subdev';
  /** Requester device (PCI BDF or platform name). */
  dev?: string;
  /** Explicit target mask from the caller (irq_alloc_info::mask), e.g. IO-APIC pins. */
  mask?: number[];
  /** Multi-MSI asks for contiguous vectors (X86_IRQ_ALLOC_CONTIGUOUS_VECTORS). */
  contiguous?: boolean;
  /** hwirq of the first interrupt in the top domain (MSI index, IO-APIC pin, …). */
  hwirq: number;
  /** Arch-specific extras (IO-APIC pin data, IR device id, …). */
  extra?: Record<string, unknown>;
}

/** struct irq_affinity_desc: per-vector mask and whether the kernel manages it. */
export interface IrqAffinityDesc {
  mask: number[];
  isManaged: boolean;
}

/** struct irq_domain_ops. Every callback gets the kernel state first. */
export interface IrqDomainOps {
  alloc?(k: Kernel, d: IrqDomain, virq: number, nr: number, arg: AllocArg): number;
  free?(k: Kernel, d: IrqDomain, virq: number, nr: number): void;
  activate?(k: Kernel, d: IrqDomain, irqd: IrqData, reserve: boolean): number;
  deactivate?(k: Kernel, d: IrqDomain, irqd: IrqData): void;
  /** debug_show: extra debugfs lines for the domain (irqd null) or one interrupt's level. */
  debugShow?(k: Kernel, d: IrqDomain, irqd: IrqData | null, indent: number): string;
}

/**
 * A design the threads argued about and mainline never took (src/engine/roads), labelled with its
 * status and year as the views show it: "RFC 2020, not merged", "proposal 2021", "rejected in
 * review 2024".
 */
export type RoadEra = `RFC ${number}, not merged` | `proposal ${number}` | `rejected in review ${number}`;

/** Which interrupt design a domain belongs to, so views never pass a proposal off as mainline. */
export type DomainEra = 'mainline' | 'removed in 2024' | 'proposal' | RoadEra;

/** struct irq_domain. */
export class IrqDomain {
  /** Name as debugfs shows it (with the "-<bus token>" suffix once a token is set). */
  name: string;
  flags: number;
  busToken: number = DOMAIN_BUS.ANY;
  readonly parent: IrqDomain | null;
  readonly root: IrqDomain;
  /** hwirq → irq_data of this level (revmap tree). */
  readonly revmap = new Map<number, IrqData>();
  /** Linear revmap size (debugfs "size"); tree-only domains report 0. */
  revmapSize = 0;
  mapcount = 0;
  /** Owning device for per-device domains (dev_name). */
  dev?: string;
  /** struct msi_domain_info / arch data: whatever the domain's owner keeps here. */
  hostData: unknown;
  /** msi_parent_ops, for domains that may parent per-device MSI domains. */
  msiParentOps?: unknown;
  /** For the views: what sort of domain this is (vector, remap, ioapic, msi-device, …). */
  kind: string;
  era: DomainEra = 'mainline';

  constructor(
    name: string,
    readonly ops: IrqDomainOps,
    parent: IrqDomain | null,
    opts: { flags?: number; hostData?: unknown; kind: string; revmapSize?: number; dev?: string },
  ) {
    this.name = name;
    this.parent = parent;
    this.root = parent ? parent.root : this;
    this.flags = (opts.flags ?? 0) | (ops.alloc ? IRQ_DOMAIN_FLAG.HIERARCHY : 0);
    this.hostData = opts.hostData;
    this.kind = opts.kind;
    this.revmapSize = opts.revmapSize ?? 0;
    if (opts.dev !== undefined) this.dev = opts.dev;
  }
}

/** irq_domain_create_hierarchy() / irq_domain_create_tree(): create and register a domain. */
export function irqDomainCreate(
  k: Kernel,
  name: string,
  ops: IrqDomainOps,
  parent: IrqDomain | null,
  opts: { flags?: number; hostData?: unknown; kind: string; revmapSize?: number; dev?: string },
): IrqDomain {
  const d = new IrqDomain(name, ops, parent, { ...opts, flags: (opts.flags ?? 0) | IRQ_DOMAIN_FLAG.NAME_ALLOCATED });
  k.domains.push(d);
  if (k.t.on) {
    k.t.enter('irq_domain_create_hierarchy', name, 'kernel/irq/irqdomain.c');
    k.t.effect(`domain ${name} created${parent ? ` under ${parent.name}` : ' (root)'}`);
    k.t.leaveWith();
  }
  return d;
}

/** irq_domain_update_bus_token(): set the token and append "-<token>" to the name. */
export function irqDomainUpdateBusToken(d: IrqDomain, token: number): void {
  if (d.busToken === token) return;
  d.busToken = token;
  d.name = `${d.name}-${token}`;
}

/** irq_domain_remove(): unregister a domain that has no mappings left. */
export function irqDomainRemove(k: Kernel, d: IrqDomain): void {
  const i = k.domains.indexOf(d);
  if (i >= 0) k.domains.splice(i, 1);
  if (k.t.on) {
    k.t.enter('irq_domain_remove', d.name, 'kernel/irq/irqdomain.c');
    k.t.effect(`domain ${d.name} removed`);
    k.t.leaveWith();
  }
}

/** irq_domain_get_irq_data(): the irq_data of `virq` at `domain`'s level. */
export function irqDomainGetIrqData(k: Kernel, domain: IrqDomain, virq: number): IrqData | null {
  const desc = k.descs.get(virq);
  for (let d: IrqData | null = desc ? desc.irqData : null; d; d = d.parentData) if (d.domain === domain) return d;
  return null;
}

/** irq_domain_set_hwirq_and_chip() */
export function irqDomainSetHwirqAndChip(
  k: Kernel, domain: IrqDomain, virq: number, hwirq: number, chip: IrqChip | null, chipData: unknown,
): number {
  const d = irqDomainGetIrqData(k, domain, virq);
  if (!d) return -ENOMEM;
  d.hwirq = hwirq;
  d.chip = chip ?? noIrqChip;
  d.chipData = chipData;
  // irq_proc_update_chip() (7.2): /proc/interrupts' chip column grows to the widest name set here, never shrinks.
  if (chip && chip.name.length > (k.procChipWidth ?? 0)) k.procChipWidth = chip.name.length;
  return 0;
}

/** irq_domain_reset_irq_data(): back to no chip, no hwirq. */
function irqDomainResetIrqData(d: IrqData): void {
  d.hwirq = 0;
  d.chip = noIrqChip;
  d.chipData = null;
}

/** irq_domain_alloc_irqs_parent(): recurse one level towards the root. */
export function irqDomainAllocIrqsParent(k: Kernel, domain: IrqDomain, virq: number, nr: number, arg: AllocArg): number {
  const parent = domain.parent;
  if (!parent) return -EINVAL;
  return irqDomainAllocIrqsHierarchy(k, parent, virq, nr, arg);
}

/** irq_domain_free_irqs_parent() */
export function irqDomainFreeIrqsParent(k: Kernel, domain: IrqDomain, virq: number, nr: number): void {
  if (domain.parent) irqDomainFreeIrqsHierarchy(k, domain.parent, virq, nr);
}

function irqDomainAllocIrqsHierarchy(k: Kernel, domain: IrqDomain, virq: number, nr: number, arg: AllocArg): number {
  if (!domain.ops.alloc) return -ENOSYS;
  return domain.ops.alloc(k, domain, virq, nr, arg);
}

function irqDomainFreeIrqsHierarchy(k: Kernel, domain: IrqDomain, virq: number, nr: number): void {
  if (domain.ops.free) domain.ops.free(k, domain, virq, nr);
}

function newCommon(aff: IrqAffinityDesc | null, k: Kernel): IrqCommonData {
  let state = IRQD.IRQ_DISABLED | IRQD.IRQ_MASKED | IRQ_TYPE.NONE;
  let affinity = k.defaultAffinity();
  if (aff) {
    affinity = [...aff.mask];
    if (aff.isManaged) state |= IRQD.AFFINITY_MANAGED | IRQD.MANAGED_SHUTDOWN;
  }
  return { state, affinity, effectiveAffinity: [], pendingMask: [], msiDesc: null, node: 0 };
}

/**
 * irq_domain_alloc_descs(): first-fit `cnt` consecutive virqs at or above the dynamic lower
 * bound, with per-vector affinity (managed descriptors start in managed shutdown).
 */
export function irqDomainAllocDescs(
  k: Kernel, cnt: number, domain: IrqDomain, affinity: readonly IrqAffinityDesc[] | null, irqBase = -1,
): number {
  let virq: number;
  if (irqBase >= 0) {
    for (let i = 0; i < cnt; i++) if (k.virqs.isSet(irqBase + i)) return -EEXIST;
    virq = irqBase;
  } else {
    virq = k.virqs.findArea(Math.max(1, k.dynirqLowerBound), cnt);
    if (virq < 0) return -ENOMEM;
  }
  k.virqs.set(virq, cnt);
  for (let i = 0; i < cnt; i++) {
    const irq = virq + i;
    const top: IrqData = {
      irq, hwirq: 0, domain, chip: noIrqChip, chipData: null, parentData: null,
      common: newCommon(affinity ? affinity[i] ?? null : null, k),
    };
    const desc: IrqDesc = {
      irq, irqData: top, depth: 1, wakeDepth: 0, istate: 0x4000, status: 0,
      handleIrq: 'handle_bad_irq', name: '', action: [], devName: '', // IRQS_SYSFS: every sysfs-registered descriptor
      kstat: zeroCounts(k.nrCpus), irqsUnhandled: 0, irqCount: 0, noteUnhandled: 0,
    };
    k.descs.set(irq, desc);
  }
  if (k.t.on) {
    k.t.enter('irq_domain_alloc_descs', domain.name, 'kernel/irq/irqdomain.c');
    k.t.effect(cnt === 1 ? `irq_desc ${virq} allocated` : `irq_descs ${virq}-${virq + cnt - 1} allocated`);
    k.t.leaveWith(String(virq));
  }
  return virq;
}

/** irq_free_descs() */
export function irqFreeDescs(k: Kernel, virq: number, cnt: number): void {
  for (let i = 0; i < cnt; i++) k.descs.delete(virq + i);
  k.virqs.clear(virq, cnt);
}

/** irq_domain_alloc_irq_data(): one irq_data per ancestor, linked by parent_data. */
function irqDomainAllocIrqData(k: Kernel, domain: IrqDomain, virq: number, nr: number): void {
  for (let i = 0; i < nr; i++) {
    let d = k.descs.get(virq + i)!.irqData;
    d.domain = domain;
    for (let p = domain.parent; p; p = p.parent) {
      const child: IrqData = {
        irq: virq + i, hwirq: 0, domain: p, chip: noIrqChip, chipData: null, parentData: null, common: d.common,
      };
      d.parentData = child;
      d = child;
    }
  }
}

/** irq_domain_insert_irq(): enter every level into its domain's revmap (mapcount++). */
function irqDomainInsertIrq(k: Kernel, virq: number): void {
  for (let d: IrqData | null = k.descs.get(virq)!.irqData; d; d = d.parentData) {
    d.domain.revmap.set(d.hwirq, d);
    d.domain.mapcount++;
  }
}

/** irq_domain_remove_irq() */
function irqDomainRemoveIrq(k: Kernel, virq: number): void {
  for (let d: IrqData | null = k.descs.get(virq)!.irqData; d; d = d.parentData) {
    if (d.domain.revmap.get(d.hwirq) === d) d.domain.revmap.delete(d.hwirq);
    d.domain.mapcount--;
  }
}

/**
 * __irq_domain_alloc_irqs(): descriptors, irq_data chain, the domains' alloc from the root
 * outwards, then the revmaps. Any failure frees what was made and returns the errno.
 * `irqBase` >= 0 asks for exactly that virq (legacy IO-APIC irqs); -1 takes the first free one.
 */
export function irqDomainAllocIrqs(
  k: Kernel, domain: IrqDomain, nr: number, arg: AllocArg, affinity: readonly IrqAffinityDesc[] | null,
  irqBase = -1,
): number {
  k.t.enter('__irq_domain_alloc_irqs', domain.name, 'kernel/irq/irqdomain.c');
  const virq = irqDomainAllocDescs(k, nr, domain, affinity, irqBase);
  if (virq < 0) return k.t.leave(virq);
  irqDomainAllocIrqData(k, domain, virq, nr);
  const ret = irqDomainAllocIrqsHierarchy(k, domain, virq, nr, arg);
  if (ret < 0) {
    if (k.t.on) k.t.effect(`unwind: irq_data and descriptors ${virq}${nr > 1 ? `-${virq + nr - 1}` : ''} freed`);
    irqFreeDescs(k, virq, nr);
    return k.t.leave(ret);
  }
  for (let i = 0; i < nr; i++) irqDomainInsertIrq(k, virq + i);
  k.t.leaveWith(String(virq));
  return virq;
}

/** irq_domain_free_irqs(): revmaps out, each level's free from the top, descriptors freed. */
export function irqDomainFreeIrqs(k: Kernel, virq: number, nr: number): void {
  const desc = k.descs.get(virq);
  if (!desc) return;
  const domain = desc.irqData.domain;
  k.t.enter('irq_domain_free_irqs', domain.name, 'kernel/irq/irqdomain.c');
  for (let i = 0; i < nr; i++) irqDomainRemoveIrq(k, virq + i);
  irqDomainFreeIrqsHierarchy(k, domain, virq, nr);
  for (let i = 0; i < nr; i++) {
    for (let d: IrqData | null = k.descs.get(virq + i)!.irqData; d; d = d.parentData) irqDomainResetIrqData(d);
  }
  irqFreeDescs(k, virq, nr);
  if (k.t.on) k.t.effect(nr === 1 ? `irq ${virq} freed` : `irqs ${virq}-${virq + nr - 1} freed`);
  k.t.leaveWith();
}

function activateLevel(k: Kernel, d: IrqData, reserve: boolean): number {
  let ret = 0;
  if (d.parentData) ret = activateLevel(k, d.parentData, reserve);
  if (ret === 0 && d.domain.ops.activate) {
    ret = d.domain.ops.activate(k, d.domain, d, reserve);
    if (ret && d.parentData) deactivateLevel(k, d.parentData);
  }
  return ret;
}

function deactivateLevel(k: Kernel, d: IrqData): void {
  if (d.domain.ops.deactivate) d.domain.ops.deactivate(k, d.domain, d);
  if (d.parentData) deactivateLevel(k, d.parentData);
}

/** irq_domain_activate_irq(): parents first; a failing level deactivates the parents again. */
export function irqDomainActivateIrq(k: Kernel, d: IrqData, reserve: boolean): number {
  if (irqd(d, IRQD.ACTIVATED)) return 0;
  k.t.enter('irq_domain_activate_irq', d.domain.name, 'kernel/irq/irqdomain.c');
  const ret = activateLevel(k, d, reserve);
  if (ret === 0) irqdSet(d, IRQD.ACTIVATED);
  return k.t.leave(ret);
}

/** irq_domain_deactivate_irq(): this level first, then the parents. */
export function irqDomainDeactivateIrq(k: Kernel, d: IrqData): void {
  if (!irqd(d, IRQD.ACTIVATED)) return;
  k.t.enter('irq_domain_deactivate_irq', d.domain.name, 'kernel/irq/irqdomain.c');
  deactivateLevel(k, d);
  irqdClear(d, IRQD.ACTIVATED);
  k.t.leaveWith();
}

/** The chain of an interrupt from its top level to the root. */
export function irqDataChain(desc: IrqDesc): IrqData[] {
  const out: IrqData[] = [];
  for (let d: IrqData | null = desc.irqData; d; d = d.parentData) out.push(d);
  return out;
}
