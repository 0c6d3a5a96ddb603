// Models the x86 delivery path of arch/x86/kernel/irq.c (common_interrupt, reevaluate_vector)
// and arch/x86/kernel/apic/apic.c (spurious_interrupt), with the remapping hardware in front
// (VT-d / AMD-Vi IRTE lookup and their fault reports, drivers/iommu/{intel/dmar.c,amd/iommu.c}).

import type { Kernel } from '../../core/kernel';
import type { MsiMsg } from '../../core/chip';
import type { IrqDomain } from '../../core/irqdomain';
import { VECTOR_SHUTDOWN, VECTOR_UNUSED, type X86VectorState } from './vector';
import {
  FIRST_EXTERNAL_VECTOR, IA32_SYSCALL_VECTOR, SPURIOUS_APIC_VECTOR, SYSTEM_VECTOR_NAMES, x86SystemVectors,
} from './vectors';
import { SVT_VERIFY_SID_SQ, formatDevid, irIommu, irteLookup, pciDevidFromName } from './remap';

export type X86Delivery = { cpu: number; vector: number } | { fault: string };

/** What common_interrupt()/the IDT did with a vector: see commonInterrupt(). */
export type X86IrqOutcome = 'handled' | 'unused' | 'spurious' | 'system';

/** VT-d interrupt-remapping fault reasons 0x20.. (dmar.c irq_remap_fault_reasons[]). */
const IRQ_REMAP_FAULT_REASONS = [
  'Detected reserved fields in the decoded interrupt-remapped request',
  'Interrupt index exceeded the interrupt-remapping table size',
  'Present field in the IRTE entry is clear',
  'Error accessing interrupt-remapping table pointed by IRTA_REG',
  'Detected reserved fields in the IRTE entry',
  'Blocked a compatibility format interrupt request',
  'Blocked an interrupt request due to source-id verification failure',
];

/**
 * The system vectors with an IDT gate of their own, per kernel profile (lapic_assign_system_vectors());
 * SPURIOUS_APIC_VECTOR's gate is the spurious handler the model runs below.
 */
const installedCache = new WeakMap<Kernel['profile'], Set<number>>();
function installedSystemVectors(k: Kernel): Set<number> {
  let set = installedCache.get(k.profile);
  if (!set) installedCache.set(k.profile, (set = new Set(x86SystemVectors(k.profile).filter((v) => v !== SPURIOUS_APIC_VECTOR))));
  return set;
}

const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/** dmar_fault() → dmar_fault_do_one(): the VT-d fault record of an interrupt request, printed. */
function dmarFault(k: Kernel, ir: IrqDomain, rid: number, index: number, reason: number): string {
  k.t.enter('dmar_fault', ir.name, 'drivers/iommu/intel/dmar.c');
  k.log('err', 'DMAR: DRHD: handling fault status reg 2');
  const text = `DMAR: [INTR-REMAP] Request device [${formatDevid(rid)}] fault index ${`0x${index.toString(16)}`} ` +
    `[fault reason ${hex2(reason)}] ${IRQ_REMAP_FAULT_REASONS[reason - 0x20] ?? 'Unknown'}`;
  k.log('err', text);
  k.t.leaveWith();
  return text;
}

/** amd_iommu_report_page_fault(): an interrupt request through an invalid AMD IRTE. */
function amdIrFault(k: Kernel, ir: IrqDomain, rid: number, msg: MsiMsg): string {
  k.t.enter('amd_iommu_report_page_fault', ir.name, 'drivers/iommu/amd/iommu.c');
  // Flags 0x0008 = I (interrupt request). Approximated: the exact event for a non-valid IRTE
  // depends on the DTE's IntCtl/IV settings.
  const text = `AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:${formatDevid(rid)} domain=0x0000 ` +
    `address=0x${(msg.addressLo >>> 0).toString(16)} flags=0x0008]`;
  k.log('err', text);
  k.t.leaveWith();
  return text;
}

/**
 * A device's MSI write, as the platform receives it: without remapping the local APIC decodes
 * the compatibility format (APIC ID == CPU number in the model); with VT-d the IOMMU blocks
 * compatibility-format requests (CFI cleared) and looks the remappable ones up in its IRTE
 * table, checking present bit and source ID; AMD-Vi looks data[10:0] up in the requester's
 * own table. Faults are logged with the kernel's text and returned.
 */
export function x86DeliverMsi(
  k: Kernel, state: { vector: X86VectorState; ir: IrqDomain | null }, msg: MsiMsg, requester: string,
): X86Delivery {
  const ir = state.ir;
  k.t.enter('msi_write', ir?.name ?? 'VECTOR', 'hardware: interrupt remapping unit, local APIC');
  const lo = msg.addressLo >>> 0;
  const ret = (r: X86Delivery): X86Delivery => {
    if ('fault' in r && k.t.on) k.hop({ stage: 'fault', domain: ir?.name ?? 'VECTOR', label: r.fault });
    k.t.leaveWith('fault' in r ? 'fault' : `CPU${r.cpu} vector 0x${r.vector.toString(16)}`);
    return r;
  };
  if (k.t.on) k.t.effect(`${requester} writes data 0x${(msg.data >>> 0).toString(16)} to 0x${(msg.addressHi >>> 0).toString(16)}:${lo.toString(16).padStart(8, '0')}`);
  if (lo >>> 20 !== 0xfee) {
    const f = `write to 0x${lo.toString(16)} is outside the interrupt window 0xfee00000-0xfeefffff: a memory write, no interrupt`;
    if (k.t.on) k.t.effect(f);
    return ret({ fault: f });
  }
  const rid = pciDevidFromName(requester);
  let vector: number;
  let dest: number;
  const iommu = ir ? irIommu(ir) : null;
  if (ir && iommu?.kind === 'intel') {
    const handle = ((lo >>> 5) & 0x7fff) | (((lo >>> 2) & 1) << 15);
    if (!(lo & 0x10)) {
      if (k.t.on) k.t.effect('compatibility-format request while remapping is on (GCMD.CFI clear): blocked');
      return ret({ fault: dmarFault(k, ir, Math.max(rid, 0), handle, 0x25) });
    }
    const e = irteLookup(ir, lo, msg.data);
    if (!e) {
      const index = lo & 0x8 ? handle + (msg.data & 0xffff) : handle;
      return ret({ fault: dmarFault(k, ir, Math.max(rid, 0), index, 0x21) });
    }
    if (k.t.on) k.t.effect(`remappable: handle ${handle}${lo & 0x8 ? ` + sub-handle ${msg.data & 0xffff} (SHV)` : ''} → IRTE ${e.index}`);
    if (!e.present) return ret({ fault: dmarFault(k, ir, Math.max(rid, 0), e.index, 0x22) });
    if (e.svt === SVT_VERIFY_SID_SQ && rid >= 0 && rid !== e.sourceId) {
      if (k.t.on) k.t.effect(`requester ${formatDevid(rid)} is not the IRTE's source ${formatDevid(e.sourceId)}`);
      return ret({ fault: dmarFault(k, ir, rid, e.index, 0x26) });
    }
    vector = e.vector;
    dest = e.dest;
    if (k.t.on) k.t.effect(`IRTE ${e.index}: vector 0x${vector.toString(16)} → APIC ID ${dest}`);
    if (k.t.on) k.hop({ stage: 'remap', domain: ir.name, label: `IRTE ${e.index}: vector 0x${vector.toString(16)} → APIC ID ${dest}`, cpu: dest, vector });
  } else if (ir && iommu?.kind === 'amd') {
    const e = irteLookup(ir, lo, msg.data, rid);
    if (!e || !e.present) return ret({ fault: amdIrFault(k, ir, Math.max(rid, 0), msg) });
    vector = e.vector;
    dest = e.dest;
    if (k.t.on) k.t.effect(`devid ${formatDevid(rid)} IRTE ${e.index}: vector 0x${vector.toString(16)} → APIC ID ${dest}`);
    if (k.t.on) k.hop({ stage: 'remap', domain: ir.name, label: `devid ${formatDevid(rid)} IRTE ${e.index}: vector 0x${vector.toString(16)} → APIC ID ${dest}`, cpu: dest, vector });
  } else {
    dest = ((lo >>> 12) & 0xff) | (((msg.addressHi >>> 8) & 0xffffff) << 8);
    vector = msg.data & 0xff;
    if (k.t.on) k.t.effect(`compatibility format: APIC ID ${dest}, vector 0x${vector.toString(16)}, fixed, physical`);
    if (k.t.on) k.hop({ stage: 'apic', domain: 'VECTOR', label: `compatibility message: APIC ID ${dest}, vector 0x${vector.toString(16)}`, cpu: dest, vector });
  }
  if (dest >= k.nrCpus || !k.cpuOnline(dest)) {
    const f = `no online CPU has APIC ID ${dest}: the interrupt is not delivered`;
    if (k.t.on) k.t.effect(f);
    return ret({ fault: f });
  }
  return ret({ cpu: dest, vector });
}

/** handle_spurious_interrupt(): an unused vector of the system range (the caller counts SPU). */
function spuriousInterrupt(k: Kernel, cpu: number, vector: number): void {
  k.t.enter('spurious_interrupt', 'VECTOR', 'arch/x86/kernel/apic/apic.c');
  if (vector === SPURIOUS_APIC_VECTOR) {
    k.log('info', `Spurious APIC interrupt (vector 0xFF) on CPU#${cpu}, should never happen.`);
  } else {
    // The vector was delivered, so its ISR bit is set: acknowledged.
    k.log('info', `Spurious interrupt (vector ${hex2(vector)}) on CPU#${cpu}. Acked`);
  }
  k.t.leaveWith();
}

/**
 * common_interrupt() on `cpu` for `vector`: look vector_irq up and run the flow handler in
 * hard-interrupt context (k.irqContext). A vector with no descriptor is reevaluated under
 * vector_lock (reevaluate_vector): VECTOR_UNUSED logs "No irq handler for CPU.VECTOR",
 * VECTOR_SHUTDOWN/RETRIGGERED are reset to unused silently; both EOI and return 'unused'.
 * Vectors the IDT does not route to common_interrupt: unused system-range vectors go to
 * spurious_interrupt ('spurious', the caller counts SPU); exceptions, the int 0x80 gate and
 * installed system vectors run their own handler ('system').
 */
export function commonInterrupt(k: Kernel, vs: X86VectorState, cpu: number, vector: number): X86IrqOutcome {
  const firstSystem = k.profile.firstSystemVector;
  if (vector < FIRST_EXTERNAL_VECTOR || vector === IA32_SYSCALL_VECTOR || (vector >= firstSystem && installedSystemVectors(k).has(vector))) {
    if (k.t.on) {
      const what = vector < FIRST_EXTERNAL_VECTOR ? `exception vector ${vector}` : SYSTEM_VECTOR_NAMES[vector] ?? `system vector 0x${vector.toString(16)}`;
      k.t.effect(`vector 0x${vector.toString(16)} on CPU${cpu} is ${what}: its own IDT handler runs, not common_interrupt`);
    }
    return 'system';
  }
  if (vector >= firstSystem) {
    if (k.t.on) k.hop({ stage: 'lost', domain: 'VECTOR', label: `spurious: vector 0x${vector.toString(16)} on CPU${cpu}`, cpu, vector });
    spuriousInterrupt(k, cpu, vector);
    return 'spurious';
  }
  k.t.enter('common_interrupt', 'VECTOR', 'arch/x86/kernel/irq.c');
  const v = vs.irqAt(cpu, vector);
  const desc = v >= 0 ? k.descs.get(v) : undefined;
  if (desc) {
    if (k.t.on) k.t.effect(`vector_irq[0x${vector.toString(16)}] on CPU${cpu} → irq ${v}`);
    if (k.t.on) k.hop({ stage: 'cpu', domain: 'VECTOR', label: `CPU${cpu} vector 0x${vector.toString(16)} → irq ${v}`, cpu, vector, virq: v });
    const prev = k.irqContext ?? null;
    k.irqContext = { cpu, vector };
    try {
      k.genericHandleIrq(desc, cpu);
    } finally {
      k.irqContext = prev;
    }
    k.t.leaveWith('handled');
    return 'handled';
  }
  // reevaluate_vector() under vector_lock
  if (v === VECTOR_UNUSED || v >= 0) {
    k.log('emerg', `No irq handler for ${cpu}.${vector}`);
    if (k.t.on) k.hop({ stage: 'lost', domain: 'VECTOR', label: `No irq handler for ${cpu}.${vector}`, cpu, vector });
  } else {
    vs.setIrqAt(cpu, vector, VECTOR_UNUSED);
    if (k.t.on) k.t.effect(`vector_irq[0x${vector.toString(16)}] on CPU${cpu} was ${v === VECTOR_SHUTDOWN ? 'VECTOR_SHUTDOWN' : 'VECTOR_RETRIGGERED'}: reset to VECTOR_UNUSED, nothing reported`);
  }
  if (k.t.on) k.t.effect(`apic_eoi() on CPU${cpu}`);
  k.t.leaveWith('unused');
  return 'unused';
}
