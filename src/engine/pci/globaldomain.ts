// Models drivers/pci/msi/irqdomain.c as it was for global PCI/MSI domains (x86 until v6.1,
// still mainline on some architectures): pci_msi_create_irq_domain(), the default ops
// (pci_msi_domain_set_desc / pci_msi_domain_calc_hwirq) and the chip callbacks that serve MSI
// and MSI-X interrupts of every device from one domain (pci_msi_mask_irq / pci_msi_unmask_irq).

import type { Kernel } from '../core/kernel';
import { IRQCHIP, type IrqChip } from '../core/chip';
import type { IrqData } from '../core/irqdesc';
import { DOMAIN_BUS, IRQ_DOMAIN_FLAG, type IrqDomain, irqDomainCreate, irqDomainUpdateBusToken } from '../core/irqdomain';
import { MSI_FLAG, type MsiDomainInfo, msiDomainOps, msiDomainSetAffinity } from '../msi/msi';
import type { MsiDesc } from '../msi/msidesc';
import { pciMsiTemplate, pciMsixTemplate } from './irqdomain';
import { pciDevId, type PciDev } from './pcidev';

const FILE = 'drivers/pci/msi/irqdomain.c';

function descOf(d: IrqData): MsiDesc {
  return d.common.msiDesc!;
}

/** pci_msi_mask_irq(): MSI-X entry mask bit or MSI per-vector mask bit, by the descriptor's kind. */
export function pciMsiMaskIrq(d: IrqData, k: Kernel): void {
  const tmpl = descOf(d).pci?.isMsix ? pciMsixTemplate : pciMsiTemplate;
  tmpl.chip.irqMask?.(d, k);
}

/** pci_msi_unmask_irq() */
export function pciMsiUnmaskIrq(d: IrqData, k: Kernel): void {
  const tmpl = descOf(d).pci?.isMsix ? pciMsixTemplate : pciMsiTemplate;
  tmpl.chip.irqUnmask?.(d, k);
}

/** pci_msi_domain_write_msg(): the MSI capability or the MSI-X table entry. */
export function pciMsiDomainWriteMsg(d: IrqData, k: Kernel, msg: Parameters<NonNullable<IrqChip['irqWriteMsiMsg']>>[2]): void {
  pciMsiTemplate.chip.irqWriteMsiMsg?.(d, k, msg);
}

/**
 * pci_msi_domain_calc_hwirq(): one number space for all devices of the global domain —
 * msi_index | pci_dev_id << 11 | pci_domain_nr << 27 (0000:01:00.0 index 0 → 524288).
 */
export function pciMsiDomainCalcHwirq(dev: PciDev, msiIndex: number): number {
  const domainNr = parseInt(dev.name.slice(0, 4), 16) || 0;
  return msiIndex + pciDevId(dev.name) * 2048 + domainNr * 0x8000000;
}

/**
 * The PCI-MSI irq_chip of a global domain (arch/x86/kernel/apic/msi.c pci_msi_controller /
 * pci_msi_ir_controller), completed as pci_msi_create_irq_domain() does: USE_DEF_CHIP_OPS
 * fills mask/unmask/write_msg, IRQCHIP_ONESHOT_SAFE is added. `setAffinity` is the chip's own
 * (x86 msi_set_affinity without remapping) or, when absent, msi_domain_set_affinity.
 */
export function pciMsiGlobalChip(name: string, base: Partial<IrqChip> & { flags: number }): IrqChip {
  return {
    irqSetAffinity: msiDomainSetAffinity,
    ...base,
    name,
    flags: base.flags | IRQCHIP.ONESHOT_SAFE,
    irqMask: pciMsiMaskIrq,
    irqUnmask: pciMsiUnmaskIrq,
    irqWriteMsiMsg: pciMsiDomainWriteMsg,
  };
}

/**
 * pci_msi_create_irq_domain() (≤v6.1 form): default ops (set_desc = pci_msi_domain_set_desc),
 * MSI_FLAG_ACTIVATE_EARLY | MSI_FLAG_DEV_SYSFS | MSI_FLAG_FREE_MSI_DESCS (| MSI_FLAG_MUST_REACTIVATE
 * with reservation mode) added, msi_create_irq_domain() under `parent`, then the bus token DOMAIN_BUS_PCI_MSI, which
 * renames the domain "<name>-3". `info.flags` stays the feature source pci_msi_domain_supports()
 * reads for this model.
 */
export function pciMsiCreateIrqDomain(
  k: Kernel, name: string, info: Omit<MsiDomainInfo, 'busToken' | 'hwsize' | 'allocType'>, parent: IrqDomain,
  // CONFIG_GENERIC_IRQ_RESERVATION_MODE (x86 only) adds MSI_FLAG_MUST_REACTIVATE.
  reservationMode = true,
): IrqDomain {
  k.t.enter('pci_msi_create_irq_domain', name, FILE);
  const full: MsiDomainInfo = {
    ...info,
    flags: info.flags | MSI_FLAG.ACTIVATE_EARLY | MSI_FLAG.DEV_SYSFS | MSI_FLAG.FREE_MSI_DESCS | (reservationMode ? MSI_FLAG.MUST_REACTIVATE : 0),
    busToken: DOMAIN_BUS.PCI_MSI,
    hwsize: 0,
    allocType: 'msi',
    ops: {
      ...info.ops,
      setDesc: (arg, desc) => {
        arg.hwirq = pciMsiDomainCalcHwirq(desc.dev as PciDev, desc.msiIndex);
      },
    },
  };
  const d = irqDomainCreate(k, name, msiDomainOps, parent, { flags: IRQ_DOMAIN_FLAG.MSI, hostData: full, kind: 'msi-global' });
  d.era = 'mainline';
  irqDomainUpdateBusToken(d, DOMAIN_BUS.PCI_MSI);
  if (k.t.on) k.t.effect(`global PCI/MSI domain ${d.name} (chip ${info.chip.name}), msi_domain_info flags 0x${(full.flags >>> 0).toString(16)}`);
  k.t.leaveWith(d.name);
  return d;
}
