// Models drivers/pci/msi/legacy.c: the arch fallback taken when dev_get_msi_domain() is NULL or
// a non-hierarchical domain — arch_setup_msi_irqs() / arch_teardown_msi_irqs() and
// pci_msi_setup_check_result(). The architecture registers its arch_setup_msi_irq().

import { EINVAL, ENOSPC } from '../core/errno';
import type { Kernel } from '../core/kernel';
import { MSI_DEFAULT_DOMAIN, type MsiDesc, msiDescsSorted } from '../msi/msidesc';
import type { PciDev } from './pcidev';

const FILE = 'drivers/pci/msi/legacy.c';

/** The architecture's arch_setup_msi_irq() / arch_teardown_msi_irq(). */
export interface ArchMsiHooks {
  /** One interrupt for one descriptor (its irq, message written): 0 or -errno. */
  setupMsiIrq(k: Kernel, dev: PciDev, desc: MsiDesc): number;
  /** Deactivate and free one interrupt. */
  teardownMsiIrq(k: Kernel, irq: number): void;
}

const hooks = new WeakMap<Kernel, ArchMsiHooks>();

/** Boot: the architecture provides its MSI hooks (x86 with msiModel "legacy" or "nonhier"). */
export function setArchMsiHooks(k: Kernel, h: ArchMsiHooks): void {
  hooks.set(k, h);
}

/**
 * arch_setup_msi_irqs() (the weak default): no multi-message MSI — "if an architecture wants
 * to support multiple MSI, it needs to override arch_setup_msi_irqs()" — so nvec > 1 answers 1
 * (retry with one vector); then arch_setup_msi_irq() for each descriptor without an interrupt.
 */
function archSetupMsiIrqs(k: Kernel, dev: PciDev, nvec: number, isMsix: boolean): number {
  k.t.enter('arch_setup_msi_irqs', undefined, FILE);
  if (!isMsix && nvec > 1) {
    if (k.t.on) k.t.effect(`no multi-message MSI through the arch hooks: ${nvec} vectors refused, retry with 1`);
    return k.t.leave(1);
  }
  const h = hooks.get(k);
  if (!h) return k.t.leave(-EINVAL);
  const slot = dev.msi.data!.domains[MSI_DEFAULT_DOMAIN];
  for (const desc of msiDescsSorted(slot)) {
    if (desc.irq) continue;
    const ret = h.setupMsiIrq(k, dev, desc);
    if (ret) return k.t.leave(ret < 0 ? ret : -ENOSPC);
  }
  return k.t.leave(0);
}

/** arch_teardown_msi_irqs(): every interrupt of every associated descriptor. */
function archTeardownMsiIrqs(k: Kernel, dev: PciDev): void {
  const h = hooks.get(k);
  const slot = dev.msi.data?.domains[MSI_DEFAULT_DOMAIN];
  if (!h || !slot) return;
  k.t.enter('arch_teardown_msi_irqs', undefined, FILE);
  for (const desc of msiDescsSorted(slot)) {
    if (!desc.irq) continue;
    for (let i = 0; i < desc.nvecUsed; i++) h.teardownMsiIrq(k, desc.irq + i);
    desc.irq = 0;
  }
  k.t.leaveWith();
}

/**
 * pci_msi_legacy_setup_msi_irqs(): arch_setup_msi_irqs(), then pci_msi_setup_check_result():
 * a failed MSI-X set-up that got some vectors reports how many (the enable loop retries).
 */
export function pciMsiLegacySetupMsiIrqs(k: Kernel, dev: PciDev, nvec: number, isMsix: boolean): number {
  k.t.enter('pci_msi_legacy_setup_msi_irqs', undefined, FILE);
  let ret = archSetupMsiIrqs(k, dev, nvec, isMsix);
  if (isMsix && ret < 0) {
    const slot = dev.msi.data!.domains[MSI_DEFAULT_DOMAIN];
    const avail = msiDescsSorted(slot).filter((d) => d.irq).length;
    if (avail) {
      if (k.t.on) k.t.effect(`pci_msi_setup_check_result(): ${avail} MSI-X vectors were set up before the failure`);
      ret = avail;
    }
  }
  return k.t.leave(ret);
}

/** pci_msi_legacy_teardown_msi_irqs() */
export function pciMsiLegacyTeardownMsiIrqs(k: Kernel, dev: PciDev): void {
  k.t.enter('pci_msi_legacy_teardown_msi_irqs', undefined, FILE);
  archTeardownMsiIrqs(k, dev);
  k.t.leaveWith();
}
