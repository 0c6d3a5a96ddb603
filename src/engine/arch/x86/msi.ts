// Models arch/x86/kernel/apic/msi.c: the compatibility-format MSI message, msi_set_affinity()
// for device MSI domains sitting directly on VECTOR, and the VECTOR domain's msi_parent_ops
// (x86_init_dev_msi_info) that every per-device PCI/MSI domain on x86 is set up with.

import { EINVAL } from '../../core/errno';
import type { Kernel } from '../../core/kernel';
import type { Device } from '../../core/device';
import { IRQD, type IrqData, irqd } from '../../core/irqdesc';
import {
  IRQCHIP, IRQ_SET_MASK_OK_DONE, type MsiMsg, irqChipAckParent, irqChipRetriggerHierarchy,
} from '../../core/chip';
import { type AllocArg, DOMAIN_BUS, IRQ_DOMAIN_FLAG, type IrqDomain } from '../../core/irqdomain';
import {
  MSI_FLAG, MSI_GENERIC_FLAGS_MASK, type MsiDomainInfo, type MsiParentOps, msiDomainSetAffinity,
} from '../../msi/msi';
import { type IrqCfg, VECTOR_RETRIGGERED, apicChipData, irqdCfg, vectorState } from './vector';
import { MANAGED_IRQ_SHUTDOWN_VECTOR } from './vectors';

const FILE = 'arch/x86/kernel/apic/msi.c';

/** X86_MSI_BASE_ADDRESS_LOW / _HIGH (arch/x86/include/asm/msi.h). */
export const X86_MSI_BASE_ADDRESS_LOW = 0xfee00000;
export const X86_MSI_BASE_ADDRESS_HIGH = 0;

/** X86_VECTOR_MSI_FLAGS_SUPPORTED (arch/x86/include/asm/msi.h): no MULTI_PCI_MSI without remapping. */
export const X86_VECTOR_MSI_FLAGS_SUPPORTED =
  MSI_GENERIC_FLAGS_MASK | MSI_FLAG.PCI_MSIX | MSI_FLAG.PCI_MSIX_ALLOC_DYN;
/** X86_VECTOR_MSI_FLAGS_REQUIRED */
export const X86_VECTOR_MSI_FLAGS_REQUIRED = MSI_FLAG.USE_DEF_DOM_OPS | MSI_FLAG.USE_DEF_CHIP_OPS;

const hex8 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/**
 * __irq_msi_compose_msg(): the compatibility-format message for a vector/APIC ID pair.
 * Physical destination mode (physflat / x2apic_phys), fixed delivery, edge. With `dmar`
 * (the IOMMU's own DMAR-MSI) APIC ID bits 8-31 go to address_hi.
 */
export function irqMsiComposeMsg(cfg: IrqCfg, msg: MsiMsg, dmar: boolean): void {
  msg.addressHi = X86_MSI_BASE_ADDRESS_HIGH;
  msg.addressLo = (X86_MSI_BASE_ADDRESS_LOW | ((cfg.destApicid & 0xff) << 12)) >>> 0;
  msg.data = cfg.vector & 0xff;
  if (dmar) msg.addressHi = ((cfg.destApicid >>> 8) << 8) >>> 0;
}

/** x86_vector_msi_compose_msg(): the APIC chip's irq_compose_msi_msg (no remapping below). */
export function x86VectorMsiCompose(d: IrqData, k: Kernel, msg: MsiMsg): void {
  const cfg = irqdCfg(d);
  if (!cfg) return;
  k.t.enter('x86_vector_msi_compose_msg', d.domain.name, FILE);
  irqMsiComposeMsg(cfg, msg, false);
  if (k.t.on) {
    k.t.effect(`compatibility format: address_lo ${hex8(msg.addressLo)} (APIC ID ${cfg.destApicid}), data ${hex8(msg.data)} (vector 0x${cfg.vector.toString(16)})`);
    if (cfg.destApicid > 0xff) k.t.effect('WARN_ON_ONCE: APIC ID above 255 does not fit the compatibility format');
  }
  k.t.leaveWith();
}

/** irq_msi_update_msg(): compose for `cfg` and write it through the device chip. */
function irqMsiUpdateMsg(d: IrqData, k: Kernel, cfg: IrqCfg): MsiMsg {
  const msg: MsiMsg = { addressLo: 0, addressHi: 0, data: 0 };
  irqMsiComposeMsg(cfg, msg, false);
  if (k.t.on) k.t.effect(`irq_msi_update_msg: vector 0x${cfg.vector.toString(16)} → APIC ID ${cfg.destApicid}: address_lo ${hex8(msg.addressLo)} data ${hex8(msg.data)}`);
  d.chip.irqWriteMsiMsg?.(d, k, msg);
  return msg;
}

/**
 * msi_set_affinity(): device MSI chips directly on VECTOR. The parent picks the new
 * vector/CPU; the message is then rewritten in place — or, when the MSI cannot be masked
 * and both vector and CPU change on a started interrupt, in two steps (new vector on the
 * current CPU first, then the new CPU) so a write racing the update is never lost.
 */
export function msiSetAffinity(d: IrqData, k: Kernel, mask: readonly number[], force: boolean): number {
  const parent = d.parentData!;
  const cfg = irqdCfg(d);
  k.t.enter('msi_set_affinity', d.domain.name, FILE);
  if (!cfg || !parent.chip.irqSetAffinity) return k.t.leave(-EINVAL);
  const cpu = d.common.effectiveAffinity[0] ?? 0;
  const old: IrqCfg = { ...cfg };
  const ret = parent.chip.irqSetAffinity(parent, k, mask, force);
  if (ret < 0 || ret === IRQ_SET_MASK_OK_DONE) return k.t.leave(ret);

  if (!irqd(d, IRQD.CAN_RESERVE) || cfg.vector === old.vector || old.vector === MANAGED_IRQ_SHUTDOWN_VECTOR ||
      !irqd(d, IRQD.IRQ_STARTED) || cfg.destApicid === old.destApicid) {
    if (k.t.on) k.t.effect('direct update of the device message');
    irqMsiUpdateMsg(d, k, cfg);
    oldVectorWaits(k, d);
    return k.t.leave(ret);
  }
  // Outside an interrupt the model runs the caller on the interrupt's current CPU (as
  // fixup_irqs() does on the outgoing CPU); from the ack path it is the CPU handling it.
  const thisCpu = k.irqContext?.cpu ?? cpu;
  if (cpu !== thisCpu) {
    k.log('warn', `WARNING: msi_set_affinity: interrupt ${d.irq} targets CPU${cpu} but runs on CPU${thisCpu}`);
    irqMsiUpdateMsg(d, k, cfg);
    oldVectorWaits(k, d);
    return k.t.leave(ret);
  }
  if (k.t.on) k.t.effect(`vector and CPU both change on a started, non-remapped MSI: two-step update via vector 0x${cfg.vector.toString(16)} on CPU${cpu}`);
  const vs = vectorState(d.domain);
  if (vs.irqAt(thisCpu, cfg.vector) < 0) {
    vs.setIrqAt(thisCpu, cfg.vector, VECTOR_RETRIGGERED);
    if (k.t.on) k.t.effect(`vector_irq[0x${cfg.vector.toString(16)}] on CPU${thisCpu} marked VECTOR_RETRIGGERED (a stray interrupt there is not reported)`);
  }
  irqMsiUpdateMsg(d, k, { vector: cfg.vector, destApicid: old.destApicid });
  irqMsiUpdateMsg(d, k, cfg);
  if (k.t.on) k.t.effect(`lapic_vector_set_in_irr(0x${cfg.vector.toString(16)}): not pending, no retrigger`);
  oldVectorWaits(k, d);
  return k.t.leave(ret);
}

/**
 * Without remapping nothing schedules the old vector's cleanup here: msi_set_affinity() returns
 * with move_in_progress set, and the first interrupt that arrives on the new CPU does it
 * (apic_ack_edge() → irq_complete_move() → vector_schedule_cleanup(); 6.1 __send_cleanup_vector()).
 */
function oldVectorWaits(k: Kernel, d: IrqData): void {
  const a = apicChipData(d);
  if (!k.t.on || !a?.moveInProgress) return;
  k.t.effect(`old vector ${a.prevVector} on CPU${a.prevCpu} stays until the first interrupt arrives on vector ${a.vector} of CPU${a.cpu}: irq_complete_move() schedules its cleanup then`);
}

/** irq_chip_retrigger_hierarchy() as a chip callback: the first parent level that can retrigger. */
function retriggerParents(d: IrqData, k: Kernel): number {
  return irqChipRetriggerHierarchy(d, k);
}

/** x86_msi_prepare(): the x86 allocation type from the per-device domain's bus token. */
function x86MsiPrepare(k: Kernel, domain: IrqDomain, _dev: Device, _nvec: number, arg: AllocArg): number {
  const info = domain.hostData as MsiDomainInfo;
  k.t.enter('x86_msi_prepare', domain.name, FILE);
  delete arg.mask;
  delete arg.contiguous;
  if (info.busToken === DOMAIN_BUS.PCI_DEVICE_MSI) arg.type = 'msi';
  // v6.2–v6.9: an IMS domain allocates like PCI/MSI-X (one vector per entry).
  else if (info.busToken === DOMAIN_BUS.PCI_DEVICE_MSIX || info.busToken === DOMAIN_BUS.PCI_DEVICE_IMS) arg.type = 'msix';
  else return k.t.leave(-EINVAL);
  if (k.t.on) k.t.effect(`alloc type X86_IRQ_ALLOC_TYPE_PCI_${arg.type === 'msi' ? 'MSI' : 'MSIX'}`);
  return k.t.leave(0);
}

/**
 * x86_init_dev_msi_info(): set a per-device MSI domain up for its real parent (VECTOR itself,
 * or an INTEL-IR / AMD-IR domain forwarding here). Refuses (false, WARN) anything else.
 */
export function x86InitDevMsiInfo(
  k: Kernel, _dev: Device, domain: IrqDomain, realParent: IrqDomain, info: MsiDomainInfo,
): boolean {
  k.t.enter('x86_init_dev_msi_info', realParent.name, FILE);
  const pops = realParent.msiParentOps as MsiParentOps | undefined;
  const chip = info.chip;
  switch (realParent.busToken) {
    case DOMAIN_BUS.ANY:
      if (domain !== realParent) {
        k.log('warn', `WARNING: x86_init_dev_msi_info: ${realParent.name} has bus token ANY but is not the vector domain`);
        k.t.leaveWith('false');
        return false;
      }
      chip.irqSetAffinity = msiSetAffinity;
      chip.flags |= IRQCHIP.MOVE_DEFERRED;
      if (k.t.on) k.t.effect('real parent is VECTOR: irq_set_affinity = msi_set_affinity, IRQCHIP_MOVE_DEFERRED');
      break;
    case DOMAIN_BUS.DMAR:
    case DOMAIN_BUS.AMDVI:
      if (k.t.on) k.t.effect(`real parent is the remapping domain ${realParent.name}: affinity changes only rewrite the IRTE`);
      break;
    case DOMAIN_BUS.PCI_DEVICE_MSIX:
      // Proposal (CXL subdevices, 2024 PoC): a PCI/MSI-X device domain made an MSI parent.
      if (!(realParent.flags & IRQ_DOMAIN_FLAG.MSI_PARENT)) {
        k.log('warn', `WARNING: x86_init_dev_msi_info: ${realParent.name} is no MSI parent`);
        k.t.leaveWith('false');
        return false;
      }
      if (k.t.on) k.t.effect(`(proposal) real parent is the PCI/MSI-X device domain ${realParent.name}: its chip does affinity and the message`);
      break;
    default:
      k.log('warn', `WARNING: x86_init_dev_msi_info: unsupported real parent ${realParent.name} (bus token ${realParent.busToken})`);
      k.t.leaveWith('false');
      return false;
  }
  if (info.busToken === DOMAIN_BUS.PCI_DEVICE_IMS) {
    // v6.2–v6.9: only parents with MSI_FLAG_PCI_IMS (remapping on a physical IOMMU) take IMS.
    if (!pops?.pciIms) {
      if (k.t.on) k.t.effect(`${realParent.name} does not list MSI_FLAG_PCI_IMS in its supported_flags: no IMS domain below it`);
      k.t.leaveWith('false');
      return false;
    }
  } else if (info.busToken !== DOMAIN_BUS.PCI_DEVICE_MSI && info.busToken !== DOMAIN_BUS.PCI_DEVICE_MSIX) {
    k.log('warn', `WARNING: x86_init_dev_msi_info: child bus token ${info.busToken} is not PCI_DEVICE_MSI/MSIX`);
    k.t.leaveWith('false');
    return false;
  }
  const before = info.flags;
  info.flags &= pops ? pops.supportedFlags : X86_VECTOR_MSI_FLAGS_SUPPORTED;
  info.flags |= X86_VECTOR_MSI_FLAGS_REQUIRED;
  if (k.t.on && (before & MSI_FLAG.MULTI_PCI_MSI) && !(info.flags & MSI_FLAG.MULTI_PCI_MSI)) {
    k.t.effect('MSI_FLAG_MULTI_PCI_MSI masked out: the parent cannot give one device several MSI vectors');
  }
  info.ops.msiPrepare = x86MsiPrepare;
  chip.irqAck = irqChipAckParent;
  chip.irqRetrigger = retriggerParents;
  chip.flags |= IRQCHIP.SKIP_SET_WAKE | IRQCHIP.AFFINITY_PRE_STARTUP;
  info.handler = 'handle_edge_irq';
  info.handlerName = 'edge';
  // msi_domain_update_chip_ops() (MSI_FLAG_USE_DEF_CHIP_OPS, forced above): default affinity op.
  if (!chip.irqSetAffinity && !(info.flags & MSI_FLAG.NO_AFFINITY)) chip.irqSetAffinity = msiDomainSetAffinity;
  if (k.t.on) k.t.effect(`info flags 0x${(info.flags >>> 0).toString(16)}, chip flags 0x${chip.flags.toString(16)}, handle_edge_irq`);
  k.t.leaveWith('true');
  return true;
}

/** x86_vector_msi_parent_ops: VECTOR as the MSI parent when there is no interrupt remapping. */
export const x86VectorMsiParentOps: MsiParentOps = {
  supportedFlags: X86_VECTOR_MSI_FLAGS_SUPPORTED,
  requiredFlags: X86_VECTOR_MSI_FLAGS_REQUIRED,
  busSelectToken: DOMAIN_BUS.ANY,
  prefix: '',
  pciIms: false,
  initDevMsiInfo: x86InitDevMsiInfo,
};

/** native_create_pci_msi_domain(): make VECTOR an MSI parent with x86_vector_msi_parent_ops. */
export function x86MsiParentInit(vectorDomain: IrqDomain): void {
  vectorDomain.flags |= IRQ_DOMAIN_FLAG.MSI_PARENT;
  vectorDomain.msiParentOps = x86VectorMsiParentOps;
}
