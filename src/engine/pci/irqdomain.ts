// Models drivers/pci/msi/irqdomain.c and the register writes of drivers/pci/msi/msi.c: the
// PCI-MSI / PCI-MSIX per-device domain templates, their chips (mask, unmask, write message).

import type { Kernel } from '../core/kernel';
import { IRQCHIP, type MsiMsg } from '../core/chip';
import type { IrqData } from '../core/irqdesc';
import { DOMAIN_BUS } from '../core/irqdomain';
import { MSI_FLAG, type MsiDomainTemplate, msiCreateDeviceIrqDomain, msiParentOps, msiRemoveDeviceIrqDomain } from '../msi/msi';
import { MSI_DEFAULT_DOMAIN, type MsiDesc } from '../msi/msidesc';
import { PCI_MSIX_ENTRY_CTRL_MASKBIT, type PciDev } from './pcidev';

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

function descOf(d: IrqData): MsiDesc {
  return d.common.msiDesc!;
}
function pdevOf(d: IrqData): PciDev {
  return descOf(d).dev as PciDev;
}

/** pci_msix_write_vector_ctrl(): the entry's Vector Control word. */
function pciMsixWriteVectorCtrl(k: Kernel, desc: MsiDesc, ctrl: number): void {
  const dev = desc.dev as PciDev;
  const entry = dev.msixCap!.table[desc.msiIndex];
  desc.pci!.msixCtrl = ctrl;
  entry.ctrl = ctrl;
  // An unmasked entry with its pending bit set sends the message now (PCI spec).
  if (!(ctrl & PCI_MSIX_ENTRY_CTRL_MASKBIT) && dev.msixCap!.pba[desc.msiIndex] && !dev.msixCap!.maskAll && dev.msixCap!.enable) {
    dev.msixCap!.pba[desc.msiIndex] = 0;
    if (k.t.on) k.t.effect(`MSI-X entry ${desc.msiIndex} unmasked with its pending bit set: the device sends the message now`);
    k.deliverMsi(dev.name, { ...entry });
  }
}

/** pci_msix_mask() / pci_msix_unmask() */
function pciIrqMaskMsix(d: IrqData, k: Kernel): void {
  const desc = descOf(d);
  if (!desc.pci!.canMask) return;
  pciMsixWriteVectorCtrl(k, desc, desc.pci!.msixCtrl | PCI_MSIX_ENTRY_CTRL_MASKBIT);
  if (k.t.on) k.t.effect(`MSI-X entry ${desc.msiIndex}: Vector Control mask bit set`);
}
function pciIrqUnmaskMsix(d: IrqData, k: Kernel): void {
  const desc = descOf(d);
  if (!desc.pci!.canMask) return;
  if (k.t.on) k.t.effect(`MSI-X entry ${desc.msiIndex}: Vector Control mask bit cleared`);
  pciMsixWriteVectorCtrl(k, desc, desc.pci!.msixCtrl & ~PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

/** pci_msi_mask() / pci_msi_unmask(): per-vector mask bits, only if the function has them. */
function pciIrqMaskMsi(d: IrqData, k: Kernel): void {
  const desc = descOf(d);
  const bit = 1 << (d.irq - desc.irq);
  if (!desc.pci!.canMask) {
    if (k.t.on) k.t.effect('MSI without per-vector masking: the device cannot be masked');
    return;
  }
  desc.pci!.msiMask |= bit;
  pdevOf(d).msiCap!.maskBits = desc.pci!.msiMask;
  if (k.t.on) k.t.effect(`MSI mask bit ${d.irq - desc.irq} set`);
}
function pciIrqUnmaskMsi(d: IrqData, k: Kernel): void {
  const desc = descOf(d);
  const n = d.irq - desc.irq;
  if (!desc.pci!.canMask) return;
  desc.pci!.msiMask &= ~(1 << n);
  const cap = pdevOf(d).msiCap!;
  cap.maskBits = desc.pci!.msiMask;
  if (k.t.on) k.t.effect(`MSI mask bit ${n} cleared`);
  if (cap.pendingBits & (1 << n) && cap.enable) {
    cap.pendingBits &= ~(1 << n);
    if (k.t.on) k.t.effect(`MSI vector ${n} was pending: the device sends it now`);
    k.deliverMsi(pdevOf(d).name, { addressLo: cap.addressLo, addressHi: cap.addressHi, data: cap.data | n });
  }
}

/**
 * pci_msi_domain_write_msg() → __pci_write_msi_msg(): MSI-X masks a live entry while its
 * address/data change; multi-MSI writes the shared registers from its first interrupt only.
 */
function pciMsiDomainWriteMsg(d: IrqData, k: Kernel, msg: MsiMsg): void {
  const desc = descOf(d);
  if (desc.irq !== d.irq) return;
  const dev = pdevOf(d);
  k.t.enter('__pci_write_msi_msg', d.domain.name, 'drivers/pci/msi/msi.c');
  if (desc.pci!.isMsix) {
    const entry = dev.msixCap!.table[desc.msiIndex];
    const unmasked = !(desc.pci!.msixCtrl & PCI_MSIX_ENTRY_CTRL_MASKBIT);
    if (unmasked) {
      entry.ctrl |= PCI_MSIX_ENTRY_CTRL_MASKBIT;
      if (k.t.on) k.t.effect(`MSI-X entry ${desc.msiIndex} masked while its message changes`);
    }
    entry.addressLo = msg.addressLo;
    entry.addressHi = msg.addressHi;
    entry.data = msg.data;
    if (unmasked) entry.ctrl = desc.pci!.msixCtrl;
    if (k.t.on) k.t.effect(`MSI-X table[${desc.msiIndex}] ← address ${hex(msg.addressHi)}:${hex(msg.addressLo)} data ${hex(msg.data)}`);
  } else {
    const cap = dev.msiCap!;
    cap.addressLo = msg.addressLo;
    cap.addressHi = cap.addr64 ? msg.addressHi : 0;
    cap.data = msg.data & 0xffff;
    if (k.t.on) k.t.effect(`MSI capability ← address ${hex(msg.addressHi)}:${hex(msg.addressLo)} data ${hex(msg.data & 0xffff)} (MME ${cap.mme})`);
  }
  desc.msg = { ...msg };
  k.t.leaveWith();
}

const pciCommonInfo = {
  handler: 'handle_edge_irq',
  handlerName: 'edge',
  ops: { setDesc: (arg: { hwirq: number }, desc: MsiDesc) => { arg.hwirq = desc.msiIndex; } },
};
const MSI_COMMON_FLAGS = MSI_FLAG.FREE_MSI_DESCS | MSI_FLAG.ACTIVATE_EARLY | MSI_FLAG.DEV_SYSFS | MSI_FLAG.MUST_REACTIVATE;

/** pci_msi_template */
export const pciMsiTemplate: MsiDomainTemplate = {
  name: 'PCI-MSI',
  chip: { flags: IRQCHIP.ONESHOT_SAFE, irqMask: pciIrqMaskMsi, irqUnmask: pciIrqUnmaskMsi, irqWriteMsiMsg: pciMsiDomainWriteMsg },
  info: {
    ...pciCommonInfo,
    flags: MSI_COMMON_FLAGS | MSI_FLAG.MULTI_PCI_MSI | MSI_FLAG.USE_DEF_DOM_OPS | MSI_FLAG.USE_DEF_CHIP_OPS,
    busToken: DOMAIN_BUS.PCI_DEVICE_MSI, allocType: 'msi',
  },
};

/** pci_msix_template */
export const pciMsixTemplate: MsiDomainTemplate = {
  name: 'PCI-MSIX',
  chip: { flags: IRQCHIP.ONESHOT_SAFE, irqMask: pciIrqMaskMsix, irqUnmask: pciIrqUnmaskMsix, irqWriteMsiMsg: pciMsiDomainWriteMsg },
  info: {
    ...pciCommonInfo,
    flags: MSI_COMMON_FLAGS | MSI_FLAG.PCI_MSIX | MSI_FLAG.PCI_MSIX_ALLOC_DYN | MSI_FLAG.USE_DEF_DOM_OPS | MSI_FLAG.USE_DEF_CHIP_OPS,
    busToken: DOMAIN_BUS.PCI_DEVICE_MSIX, allocType: 'msix',
  },
};

function pciSetupDeviceDomain(k: Kernel, dev: PciDev, tmpl: MsiDomainTemplate, hwsize: number, fn: string): boolean {
  k.t.enter(fn, dev.msi.domain?.name, 'drivers/pci/msi/irqdomain.c');
  if (!msiParentOps(dev.msi.domain)) {
    // pci_create_device_domain(): no MSI parent — a global PCI/MSI domain (v1), a
    // non-hierarchical one, or none (arch hooks). Nothing to create; the legacy path serves.
    if (k.t.on) k.t.effect(dev.msi.domain ? `${dev.msi.domain.name} is no MSI parent: no per-device domain, the device uses it directly` : 'no MSI domain: the arch hooks serve the device');
    k.t.leaveWith('true');
    return true;
  }
  const slot = dev.msi.data?.domains[MSI_DEFAULT_DOMAIN];
  const token = tmpl.info.busToken;
  if (slot?.domain && slot.domain.busToken === token) {
    k.t.leaveWith('true');
    return true;
  }
  if (slot?.domain && k.domains.some((d) => d.parent === slot.domain)) {
    // Proposal only (CXL subdevices): a PCI/MSI-X domain made an MSI parent still has
    // subdevice domains stacked on it. The PoC had no such check (removing it would leave
    // them on a freed parent); the model refuses.
    k.log('warn', `WARNING: ${fn}: ${slot.domain.name} is the MSI parent of subdevice domains; not removed`);
    k.t.leaveWith('false');
    return false;
  }
  if (slot?.domain) {
    if (k.t.on) k.t.effect(`the ${slot.domain.name} domain of the other kind is removed first`);
    msiRemoveDeviceIrqDomain(k, dev, MSI_DEFAULT_DOMAIN);
  }
  const ok = msiCreateDeviceIrqDomain(k, dev, MSI_DEFAULT_DOMAIN, tmpl, hwsize);
  k.t.leaveWith(String(ok));
  return ok;
}

/**
 * pci_setup_msi_device_domain(): "PCI-MSI" template; hwsize 1, or (v6.16) the device's MSI vector
 * count, which the caller passes.
 */
export function pciSetupMsiDeviceDomain(k: Kernel, dev: PciDev, hwsize = 1): boolean {
  return pciSetupDeviceDomain(k, dev, pciMsiTemplate, hwsize, 'pci_setup_msi_device_domain');
}

/** pci_setup_msix_device_domain(): "PCI-MSIX" template, hwsize = table size. */
export function pciSetupMsixDeviceDomain(k: Kernel, dev: PciDev, hwsize: number): boolean {
  return pciSetupDeviceDomain(k, dev, pciMsixTemplate, hwsize, 'pci_setup_msix_device_domain');
}
