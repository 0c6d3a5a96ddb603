// Models drivers/irqchip/irq-gic-v3-its-msi-parent.c (gic_v3_its_msi_parent_ops,
// its_init_dev_msi_info, its_pci_msi_prepare) and drivers/irqchip/irq-msi-lib.c
// (msi_lib_init_dev_msi_info): how a per-device PCI/MSI(-X) domain is set up on the ITS.

import type { Kernel } from '../../core/kernel';
import { EINVAL } from '../../core/errno';
import type { IrqData } from '../../core/irqdesc';
import { irqChipAckParent, irqChipMaskParent, irqChipRetriggerHierarchy, irqChipUnmaskParent } from '../../core/chip';
import { type AllocArg, DOMAIN_BUS, type IrqDomain } from '../../core/irqdomain';
import type { Device } from '../../core/device';
import {
  MSI_FLAG, MSI_GENERIC_FLAGS_MASK, type MsiDomainInfo, type MsiParentOps, msiDomainSetAffinity,
} from '../../msi/msi';
import { pciDevId } from '../../pci/pcidev';
import type { PciDev } from '../../pci/pcidev';
import { itsMsiPrepare, itsMsiTeardown } from './its';
import { pciMsiCreateIrqDomain, pciMsiGlobalChip } from '../../pci/globaldomain';
import { GicV3 } from './gicv3';

const FILE = 'drivers/irqchip/irq-gic-v3-its-msi-parent.c';
const LIB_FILE = 'drivers/irqchip/irq-msi-lib.c';

/** MSI_CHIP_FLAG_* (include/linux/msi.h): chip callbacks msi-lib fills from the parent. */
export const MSI_CHIP_FLAG = { SET_EOI: 1 << 0, SET_ACK: 1 << 1 } as const;

/** msi_parent_ops as msi-lib parents fill them (chip_flags, bus_select_mask beside the rest). */
export interface LibMsiParentOps extends MsiParentOps {
  chipFlags: number;
  busSelectMask: number;
}

/** ITS_MSI_FLAGS_REQUIRED */
export const ITS_MSI_FLAGS_REQUIRED = MSI_FLAG.USE_DEF_DOM_OPS | MSI_FLAG.USE_DEF_CHIP_OPS | MSI_FLAG.PCI_MSI_MASK_PARENT;
/** ITS_MSI_FLAGS_SUPPORTED: no MSI_FLAG_PCI_MSIX_ALLOC_DYN, so no dynamic MSI-X on the ITS. */
export const ITS_MSI_FLAGS_SUPPORTED = MSI_GENERIC_FLAGS_MASK | MSI_FLAG.PCI_MSIX | MSI_FLAG.MULTI_PCI_MSI;
/** MATCH_PCI_MSI | MATCH_PLATFORM_MSI (bus_select_mask). */
const MATCH_PCI_MSI = 1 << DOMAIN_BUS.PCI_MSI;
const MATCH_PLATFORM_MSI = 1 << DOMAIN_BUS.PLATFORM_MSI;

const hex = (n: number): string => `0x${n.toString(16)}`;

/** irq_chip_eoi_parent() */
function irqChipEoiParent(d: IrqData, k: Kernel): void {
  const p = d.parentData;
  p?.chip.irqEoi?.(p, k);
}

/**
 * msi_lib_init_dev_msi_info(): check the parent and the child's bus token, mask the child's
 * flags with the parent's supported_flags and force its required_flags, fill EOI/ACK from the
 * parent, always set irq_set_affinity = msi_domain_set_affinity, and with
 * MSI_FLAG_PCI_MSI_MASK_PARENT make mask/unmask the parent's (the PCI entry is then unmasked
 * only at startup and masked at shutdown).
 */
export function msiLibInitDevMsiInfo(
  k: Kernel, _dev: Device, domain: IrqDomain, realParent: IrqDomain, info: MsiDomainInfo,
): boolean {
  k.t.enter('msi_lib_init_dev_msi_info', realParent.name, LIB_FILE);
  const pops = realParent.msiParentOps as LibMsiParentOps | undefined;
  const chip = info.chip;
  const refuse = (why: string): boolean => {
    k.log('warn', `WARNING: msi_lib_init_dev_msi_info: ${why}`);
    k.t.leaveWith('false');
    return false;
  };
  if (!pops) return refuse(`${realParent.name} has no msi_parent_ops`);
  if (domain.busToken !== pops.busSelectToken || domain !== realParent) return refuse(`${domain.name} is not the real parent ${realParent.name}`);
  if (!chip.irqWriteMsiMsg) return refuse('the child chip has no irq_write_msi_msg');
  let required = pops.requiredFlags;
  switch (info.busToken) {
    case DOMAIN_BUS.PCI_DEVICE_MSI:
    case DOMAIN_BUS.PCI_DEVICE_MSIX:
      break;
    case DOMAIN_BUS.DEVICE_MSI:
    case DOMAIN_BUS.WIRED_TO_MSI:
      if (info.busToken === DOMAIN_BUS.DEVICE_MSI) {
        if (info.flags) return refuse('a per-device MSI domain must start without MSI feature flags');
        info.flags = MSI_FLAG.ALLOC_SIMPLE_MSI_DESCS | MSI_FLAG.FREE_MSI_DESCS;
      }
      required &= ~MSI_FLAG.PCI_MSI_MASK_PARENT;
      break;
    default:
      return refuse(`child bus token ${info.busToken} is not served by ${realParent.name}`);
  }
  // MSI_COMMON_FLAGS has MSI_FLAG_MUST_REACTIVATE only with CONFIG_GENERIC_IRQ_RESERVATION_MODE
  // (x86); the engine's templates are x86's. PCI/MSI on arm64 activates early, no reservation mode.
  info.flags &= ~MSI_FLAG.MUST_REACTIVATE;
  const before = info.flags;
  info.flags &= pops.supportedFlags;
  info.flags |= required;
  if (k.t.on) {
    const lost = before & ~info.flags;
    if (lost & MSI_FLAG.PCI_MSIX_ALLOC_DYN) k.t.effect('MSI_FLAG_PCI_MSIX_ALLOC_DYN masked out: the ITS supports no dynamic MSI-X allocation');
    k.t.effect(`info flags 0x${(info.flags >>> 0).toString(16)} (supported 0x${(pops.supportedFlags >>> 0).toString(16)}, required 0x${required.toString(16)})`);
  }
  // 7.2: only the callbacks msi_parent_ops.chip_flags names; 6.12: irq_eoi and irq_ack always.
  const chipFlags = k.profile.msiLibChipFlags ? pops.chipFlags : MSI_CHIP_FLAG.SET_EOI | MSI_CHIP_FLAG.SET_ACK;
  if (!chip.irqEoi && chipFlags & MSI_CHIP_FLAG.SET_EOI) chip.irqEoi = irqChipEoiParent;
  if (!chip.irqAck && chipFlags & MSI_CHIP_FLAG.SET_ACK) chip.irqAck = irqChipAckParent;
  if (!chip.irqSetAffinity && !(info.flags & MSI_FLAG.NO_AFFINITY)) chip.irqSetAffinity = msiDomainSetAffinity;
  if (info.flags & MSI_FLAG.PCI_MSI_MASK_PARENT) {
    if (info.busToken === DOMAIN_BUS.PCI_DEVICE_MSI || info.busToken === DOMAIN_BUS.PCI_DEVICE_MSIX) {
      pciInstallStartupShutdown(info);
    }
    chip.irqMask = irqChipMaskParent;
    chip.irqUnmask = irqChipUnmaskParent;
    if (k.t.on) k.t.effect('MSI_FLAG_PCI_MSI_MASK_PARENT: mask/unmask = irq_chip_mask_parent/irq_chip_unmask_parent (the ITS masks the LPI); the PCI entry is unmasked at startup, masked at shutdown');
  }
  // try_retrigger() (kernel/irq/resend.c) falls back to irq_chip_retrigger_hierarchy() for a
  // chip without irq_retrigger; the model's check_irq_resend() asks the top chip only.
  chip.irqRetrigger ??= irqChipRetriggerHierarchy;
  // The GIC installed handle_fasteoi_irq with no flow name; msi_domain_ops_init() keeps it
  // because the PCI templates have no handler outside x86 (x86_init_dev_msi_info sets one).
  info.handler = 'handle_fasteoi_irq';
  info.handlerName = '';
  k.t.leaveWith('true');
  return true;
}

/**
 * The PCI templates' irq_startup / irq_shutdown (drivers/pci/msi/irqdomain.c, v6.17:
 * pci_irq_startup_msi[x] / pci_irq_shutdown_msi[x] with cond_startup_parent() /
 * cond_shutdown_parent()): the parent unmasked, then the PCI vector; the PCI vector masked,
 * then the parent. The engine's templates (x86) have no such callbacks: without
 * MSI_FLAG_PCI_MSI_MASK_PARENT they amount to the plain unmask/mask the core calls instead.
 * With it (here) they are what unmasks the PCI entry at all, so they are installed with the
 * template's PCI-level mask/unmask before msi-lib hands those over to the parent.
 */
function pciInstallStartupShutdown(info: MsiDomainInfo): void {
  const chip = info.chip;
  const pciMask = chip.irqMask;
  const pciUnmask = chip.irqUnmask;
  chip.irqStartup = (d, k) => {
    const gic = gicOf(d);
    gic?.starting.add(d.irq);
    try {
      irqChipUnmaskParent(d, k);
      pciUnmask?.(d, k);
    } finally {
      gic?.starting.delete(d.irq);
    }
    return 0;
  };
  chip.irqShutdown = (d, k) => {
    pciMask?.(d, k);
    irqChipMaskParent(d, k);
  };
}

/** The GICv3 at the root of an interrupt's chain. */
function gicOf(d: IrqData): GicV3 | null {
  let p = d;
  while (p.parentData) p = p.parentData;
  return p.domain.hostData instanceof GicV3 ? p.domain.hostData : null;
}

/**
 * The IORT ID mapping of the root complex: the model gives PCI segment s the DeviceID range
 * (s << 16) + RID, as multi-segment servers describe it (one ID mapping per root complex).
 * -1 for a name that is no PCI BDF.
 */
export function iortMsiMapId(bdf: string): number {
  const m = /^([0-9a-f]{4}):[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i.exec(bdf);
  if (!m) return -1;
  return parseInt(m[1], 16) * 0x10000 + pciDevId(bdf);
}

/**
 * its_pci_msi_prepare(): the DeviceID (pci_msi_domain_get_msi_rid: the requester ID through
 * the IORT mapping), an ITT for max(nvec, hwsize) events rounded up to a power of two (at
 * least 32 for DeviceID 0), then the ITS's own its_msi_prepare().
 */
function itsPciMsiPrepare(k: Kernel, domain: IrqDomain, dev: Device, nvec: number, arg: AllocArg): number {
  k.t.enter('its_pci_msi_prepare', domain.name, FILE);
  const pdev = dev as PciDev;
  if (pdev.kind !== 'pci') return k.t.leave(-EINVAL);
  const parent = domain.parent!;
  const deviceId = iortMsiMapId(pdev.name);
  if (deviceId < 0) return k.t.leave(-EINVAL);
  // The engine passes the number of descriptors; the kernel passes the number of vectors
  // (one multi-MSI descriptor stands for nvec_used of them).
  let vectors = 0;
  for (const slot of pdev.msi.data?.domains ?? []) {
    if (slot.domain !== domain) continue;
    for (const d of slot.store.values()) if (!d.irq) vectors += d.nvecUsed;
  }
  let n = Math.max(nvec, vectors);
  const info = domain.hostData as MsiDomainInfo;
  if (info.hwsize > n) n = info.hwsize;
  const minnvec = deviceId === 0 ? 32 : 1;
  let pow = 1;
  while (pow < n) pow <<= 1;
  const events = Math.max(minnvec, pow);
  if (k.t.on) {
    k.t.effect(`DeviceID ${hex(deviceId)} (RID ${hex(pciDevId(pdev.name))} through the IORT ID mapping of segment ${pdev.name.slice(0, 4)})`);
    k.t.effect(`${events} events: max(${Math.max(nvec, vectors)} vectors, hwsize ${info.hwsize}) rounded up to a power of two`);
  }
  arg.extra = { ...arg.extra, deviceId };
  const parentInfo = parent.hostData as { ops: { msiPrepare: typeof itsMsiPrepare } };
  return k.t.leave(parentInfo.ops.msiPrepare(k, parent, dev, events, arg));
}

/** its_msi_teardown() on the ITS below a per-device PCI domain. */
function itsPciMsiTeardown(k: Kernel, domain: IrqDomain, arg: AllocArg): void {
  itsMsiTeardown(k, domain.parent!, arg);
}

/** its_pmsi_prepare(): platform devices take their DeviceID from firmware; none are modelled. */
function itsPmsiPrepare(k: Kernel, domain: IrqDomain): number {
  k.t.enter('its_pmsi_prepare', domain.name, FILE);
  if (k.t.on) k.t.effect('no msi-parent / IORT DeviceID for this device in the model');
  return k.t.leave(-EINVAL);
}

/**
 * its_init_dev_msi_info(): msi-lib's checks, then the prepare callback for the bus: PCI
 * devices get its_pci_msi_prepare, platform (DEVICE_MSI / WIRED_TO_MSI) its_pmsi_prepare.
 */
function itsInitDevMsiInfo(k: Kernel, dev: Device, domain: IrqDomain, realParent: IrqDomain, info: MsiDomainInfo): boolean {
  if (info.busToken === DOMAIN_BUS.PCI_DEVICE_IMS) {
    // IMS (v6.2–v6.9) only ever had x86 remapping parents; the ITS became an msi-lib parent
    // in v6.11, after IMS was removed: the two never met.
    k.t.enter('its_init_dev_msi_info', realParent.name, FILE);
    if (k.t.on) k.t.effect('the ITS is no parent for IMS domains (IMS was x86-only and gone before the ITS used msi-lib)');
    k.t.leaveWith('false');
    return false;
  }
  if (!msiLibInitDevMsiInfo(k, dev, domain, realParent, info)) return false;
  switch (info.busToken) {
    case DOMAIN_BUS.PCI_DEVICE_MSI:
    case DOMAIN_BUS.PCI_DEVICE_MSIX:
      info.ops.msiPrepare = itsPciMsiPrepare;
      // v6.16: .msi_teardown = its_msi_teardown (the domain's prepared ITS device goes with it).
      if (k.profile.msiPrepareOnDomainCreate) info.ops.msiTeardown = itsPciMsiTeardown;
      return true;
    case DOMAIN_BUS.DEVICE_MSI:
    case DOMAIN_BUS.WIRED_TO_MSI:
      info.ops.msiPrepare = (kk, d) => itsPmsiPrepare(kk, d);
      return true;
    default:
      k.log('warn', 'WARNING: its_init_dev_msi_info: unexpected bus token');
      return false;
  }
}

/** gic_v3_its_msi_parent_ops (7.2 drivers/irqchip/irq-gic-its-msi-parent.c: .chip_flags = MSI_CHIP_FLAG_SET_EOI) */
export const gicV3ItsMsiParentOps: LibMsiParentOps = {
  supportedFlags: ITS_MSI_FLAGS_SUPPORTED,
  requiredFlags: ITS_MSI_FLAGS_REQUIRED,
  chipFlags: MSI_CHIP_FLAG.SET_EOI,
  busSelectToken: DOMAIN_BUS.NEXUS,
  busSelectMask: MATCH_PCI_MSI | MATCH_PLATFORM_MSI,
  prefix: 'ITS-',
  initDevMsiInfo: itsInitDevMsiInfo,
};

/**
 * 6.1: drivers/irqchip/irq-gic-v3-its-pci-msi.c its_pci_msi_init_one() — one global
 * "ITS-PCI-MSI" domain on the ITS for every PCI device, chip "ITS-MSI" (mask and unmask the
 * PCI entry and the LPI both), hwirq = pci_msi_domain_calc_hwirq(). Per-device domains on the
 * ITS came with msi-lib (v6.11).
 */
export function itsPciMsiGlobalDomain(k: Kernel, itsDomain: IrqDomain): IrqDomain {
  const chip = pciMsiGlobalChip('ITS-MSI', {
    flags: 0,
    irqAck: irqChipAckParent,
    irqEoi: irqChipEoiParent,
    irqRetrigger: irqChipRetriggerHierarchy,
  });
  const unmaskPci = chip.irqUnmask!;
  const maskPci = chip.irqMask!;
  chip.irqMask = (d, kk) => {
    maskPci(d, kk);
    irqChipMaskParent(d, kk);
  };
  chip.irqUnmask = (d, kk) => {
    unmaskPci(d, kk);
    irqChipUnmaskParent(d, kk);
  };
  return pciMsiCreateIrqDomain(k, 'ITS-PCI-MSI', {
    flags: MSI_FLAG.USE_DEF_DOM_OPS | MSI_FLAG.USE_DEF_CHIP_OPS | MSI_FLAG.MULTI_PCI_MSI | MSI_FLAG.PCI_MSIX,
    ops: { msiPrepare: itsPciMsiPrepare },
    chip,
    // No handler of its own: the GIC's handle_fasteoi_irq, with no flow name, stays.
    handler: 'handle_fasteoi_irq',
    handlerName: '',
  }, itsDomain, false);
}
