// Builds the plain MachineView the panels draw from a Machine. Reads state only.

import { IRQD, type IrqDesc, irqd } from './core/irqdesc';
import { irqDataChain } from './core/irqdomain';
import { MSI_SECONDARY_DOMAIN, msiDescsSorted, msiDomainHwsize } from './msi/msidesc';
import { PCI_MSIX_ENTRY_CTRL_MASKBIT, type PciDev } from './pci/pcidev';
import { imsHwOf } from './msi/ims-chip';
import { imsView } from './pci/ims';
import { type SubDevice, subdevTableOwners } from './pci/subdev';
import { IRQDOMAIN_FLAGS, bitNames, irqdataStates, stateBitNames } from './render/names';
import type { Machine } from './machine';
import type { DeviceView, IrqView, MachineView } from './view';

export function describeDevice(dev: PciDev, subs: Iterable<SubDevice> = []): DeviceView {
  const ims = imsHwOf(dev);
  const stores = (dev.msi.data?.domains ?? []).map((slot, domid) => ({
    domid,
    domain: slot.domain?.name ?? null,
    hwsize: slot.domain ? msiDomainHwsize(slot) : 0,
    entries: msiDescsSorted(slot).map((desc) => {
      const imsEntry = domid === MSI_SECONDARY_DOMAIN ? ims?.entries.get(desc.msiIndex) : undefined;
      if (imsEntry) {
        return {
          index: desc.msiIndex, virq: desc.irq, nvecUsed: desc.nvecUsed, addressHi: desc.msg.addressHi,
          addressLo: desc.msg.addressLo, data: desc.msg.data, masked: imsEntry.masked, pending: imsEntry.pending,
          managed: desc.affinity?.some((a) => a.isManaged) ?? false,
        };
      }
      const isMsix = desc.pci?.isMsix ?? false;
      const masked = isMsix
        ? ((dev.msixCap?.table[desc.msiIndex].ctrl ?? 0) & PCI_MSIX_ENTRY_CTRL_MASKBIT) !== 0
        : desc.pci?.canMask ? (desc.pci.msiMask & 1) !== 0 : false;
      const pending = isMsix ? dev.msixCap?.pba[desc.msiIndex] === 1 : ((dev.msiCap?.pendingBits ?? 0) & 1) !== 0;
      return {
        index: desc.msiIndex, virq: desc.irq, nvecUsed: desc.nvecUsed, addressHi: desc.msg.addressHi,
        addressLo: desc.msg.addressLo, data: desc.msg.data, masked, pending,
        managed: desc.affinity?.some((a) => a.isManaged) ?? false,
      };
    }),
  })).filter((s) => s.domain || s.entries.length);
  const msixTable: DeviceView['msixTable'] = [];
  if (dev.msixCap) {
    const used = new Set(stores.flatMap((s) => (s.domid === 0 ? s.entries.map((e) => e.index) : [])));
    const owners = subdevTableOwners(subs, dev);
    dev.msixCap.table.forEach((e, index) => {
      const pending = dev.msixCap!.pba[index] === 1;
      const owner = owners.get(index);
      if (!used.has(index) && !pending && !owner) return;
      msixTable.push({
        index, addressLo: e.addressLo, addressHi: e.addressHi, data: e.data, masked: (e.ctrl & 1) === 1, pending,
        ...(owner ? { owner } : {}),
      });
    });
  }
  const imsRows = imsView(dev);
  return {
    name: dev.name, label: dev.label, kind: 'pci', parent: null, driver: dev.driver,
    msiCap: dev.msiCap ? { vectors: 1 << dev.msiCap.mmc, maskable: dev.msiCap.maskable, addr64: dev.msiCap.addr64, enabled: dev.msiCap.enable, mme: dev.msiCap.mme } : null,
    msixCap: dev.msixCap ? { tableSize: dev.msixCap.tableSize, enabled: dev.msixCap.enable, maskAll: dev.msixCap.maskAll } : null,
    msiParent: dev.msi.domain?.name ?? null,
    stores,
    msixTable,
    devres: dev.devres.map((r) => r.release),
    intxLost: dev.intxLost,
    ...(imsRows ? { ims: imsRows } : {}),
  };
}

/** A PCI subdevice (proposal): its own descriptor store; its entries live in the parent's MSI-X table. */
export function describeSubdevice(sub: SubDevice): DeviceView {
  const table = sub.parent.msixCap;
  const stores = (sub.msi.data?.domains ?? []).map((slot, domid) => ({
    domid,
    domain: slot.domain?.name ?? null,
    hwsize: slot.domain ? msiDomainHwsize(slot) : 0,
    entries: msiDescsSorted(slot).map((desc) => ({
      index: desc.msiIndex, virq: desc.irq, nvecUsed: desc.nvecUsed, addressHi: desc.msg.addressHi,
      addressLo: desc.msg.addressLo, data: desc.msg.data,
      masked: ((table?.table[desc.msiIndex]?.ctrl ?? 1) & PCI_MSIX_ENTRY_CTRL_MASKBIT) !== 0,
      pending: table?.pba[desc.msiIndex] === 1,
      managed: desc.affinity?.some((a) => a.isManaged) ?? false,
    })),
  })).filter((s) => s.domain || s.entries.length);
  return {
    name: sub.name, label: sub.name, kind: 'subdevice', parent: sub.parent.name, driver: sub.driver,
    msiCap: null, msixCap: null, msiParent: sub.msi.domain?.name ?? null, stores, msixTable: [],
    devres: sub.devres.map((r) => r.release), intxLost: 0,
  };
}

/** An interrupt as the panels see it, without its per-CPU counts (describeIrq adds them). */
export function describeIrqLite(m: Machine, desc: IrqDesc): Omit<IrqView, 'counts'> {
  const top = desc.irqData;
  const msiDesc = top.common.msiDesc;
  return {
    virq: desc.irq,
    chain: irqDataChain(desc).map((d) => ({ domain: d.domain.name, hwirq: d.hwirq, chip: d.chip.name })),
    actions: desc.action.map((x) => x.name),
    devName: desc.devName,
    depth: desc.depth,
    state: top.common.state >>> 0,
    stateNames: stateBitNames(top.common.state, irqdataStates(m.k.profile.debugfs)),
    // Masks are replaced, never mutated, in the model: sharing them is safe.
    affinity: top.common.affinity,
    effectiveAffinity: top.common.effectiveAffinity,
    managed: irqd(top, IRQD.AFFINITY_MANAGED),
    started: irqd(top, IRQD.IRQ_STARTED),
    activated: irqd(top, IRQD.ACTIVATED),
    masked: irqd(top, IRQD.IRQ_MASKED),
    disabled: irqd(top, IRQD.IRQ_DISABLED),
    ...m.platform.irqRoute(desc),
    // A subdevice's descriptor names the PCI device (the PoC rewrote desc->dev); its store is the subdevice's.
    msi: msiDesc ? {
      dev: top.domain.kind === 'subdev' && top.domain.dev ? top.domain.dev : msiDesc.dev.name,
      domid: top.domain.kind === 'subdev' ? 0 : domidOf(msiDesc.dev, top.domain.name), index: msiDesc.msiIndex,
    } : null,
  };
}

/** An interrupt as the panels see it (fields in the order machine.view() has always had them). */
export function describeIrq(m: Machine, desc: IrqDesc): IrqView {
  const { msi, ...rest } = describeIrqLite(m, desc);
  return { ...rest, counts: [...desc.kstat], msi };
}

export function describeMachine(m: Machine): MachineView {
  const k = m.k;
  const irqs: IrqView[] = m.sortedDescs().map((desc) => describeIrq(m, desc));
  return {
    arch: m.platform.arch,
    remap: m.spec.remap ?? (m.platform.arch === 'x86' ? 'intel-ir' : 'none'),
    cpus: m.platform.cpuViews(),
    domains: k.domains.map((d) => ({
      name: d.name, parent: d.parent?.name ?? null, kind: d.kind, flags: d.flags, flagNames: bitNames(d.flags, IRQDOMAIN_FLAGS),
      busToken: d.busToken, size: d.revmapSize, mapped: d.mapcount, dev: d.dev ?? null, era: d.era,
    })),
    irqs,
    devices: [
      ...[...m.devices.values()].map((d) => describeDevice(d, m.subdevices.values())),
      ...[...m.subdevices.values()].map(describeSubdevice),
    ],
    log: m.log.map((l) => ({ ...l })),
    matrix: m.platform.matrixView(),
  };
}

function domidOf(dev: { msi: { data: { domains: { domain: { name: string } | null }[] } | null } }, domainName: string): number {
  const i = dev.msi.data?.domains.findIndex((s) => s.domain?.name === domainName) ?? -1;
  return i < 0 ? 0 : i;
}
