// Every user command in one table: the toolbar draws it, the keyboard runs it and the help
// dialog lists it, so the three never disagree.

import { gotoStep, runAction, select, stepBy } from './store/commands';
import { useStore, type ImsOp, type Store, type SubdevOp } from './store';
import { selectedCpuOnline, selectedDevice, selectedIrq } from './selectors';

export interface UiCommand {
  id: string;
  /** Button text. */
  label: string;
  /** What it does, with the kernel function it calls. */
  title: string;
  /** KeyboardEvent.key that runs it. */
  key: string;
  group: 'device' | 'irq' | 'cpu' | 'step' | 'select' | 'ims' | 'subdev' | 'driver';
  /** Shown on the toolbar (step and selection commands live elsewhere). */
  toolbar: boolean;
  enabled: (s: Store) => boolean;
  /** Toolbar only: shown on machines where it applies (default: always). */
  visible?: (s: Store) => boolean;
  run: (s: Store) => void;
}

const hasMachine = (s: Store) => s.snapshot !== null;
const hasIms = (s: Store) => s.snapshot?.view.devices.some((d) => d.ims) ?? false;
const hasSubdevs = (s: Store) => s.snapshot?.view.devices.some((d) => d.kind === 'subdevice') ?? false;
const hasDevices = (s: Store) => (s.snapshot?.view.devices.length ?? 0) > 0;
const hasMsix = (s: Store) => s.snapshot?.view.devices.some((d) => d.msixCap) ?? false;
/** The device the dialogs start at: the selected one (or the selected interrupt's). */
const selDev = (s: Store) => selectedDevice(s)?.name;
function imsDialog(op?: ImsOp) {
  return (s: Store) => s.openDialog({ kind: 'ims', op, dev: selectedDevice(s)?.ims ? selDev(s) : undefined });
}
function subdevDialog(op?: SubdevOp) {
  return (s: Store) => s.openDialog({ kind: 'subdev', op, dev: selDev(s) });
}
const irqTarget = (s: Store) => selectedIrq(s) !== null;
/** Opens a dialog about the selected interrupt. */
function irqDialog(kind: 'request' | 'affinity') {
  return (s: Store) => {
    const irq = selectedIrq(s);
    if (irq) s.openDialog({ kind, virq: irq.virq });
  };
}
function irqOp(op: 'free_irq' | 'mask' | 'unmask' | 'disable_irq' | 'enable_irq') {
  return (s: Store) => {
    const irq = selectedIrq(s);
    if (irq) void runAction({ op, virq: irq.virq });
  };
}

/** What the entries of one kind below differ in. */
type Entry = Pick<UiCommand, 'id' | 'label' | 'key' | 'title'>;
/** A keyboard and help entry that opens the IMS dialog at one call. */
function imsCommand(entry: Entry, op: ImsOp): UiCommand {
  return { ...entry, group: 'ims', toolbar: false, enabled: hasIms, run: imsDialog(op) };
}
/** A keyboard and help entry that opens the subdevice dialog at one call. */
function subdevCommand(entry: Entry, op: SubdevOp, enabled: (s: Store) => boolean = hasSubdevs): UiCommand {
  return { ...entry, group: 'subdev', toolbar: false, enabled, run: subdevDialog(op) };
}

/**
 * j / k walk the interrupts the user sees: those with a handler (the /proc/interrupts rows) and
 * those of a device's descriptor store — not every IO-APIC pin nobody requested.
 */
function moveIrqSelection(s: Store, delta: number): void {
  const irqs = (s.snapshot?.view.irqs ?? []).filter((i) => i.actions.length > 0 || i.msi !== null);
  if (irqs.length === 0) return;
  const cur = s.selection?.kind === 'irq' ? irqs.findIndex((i) => i.virq === (s.selection as { virq: number }).virq) : -1;
  const next = cur < 0 ? (delta > 0 ? 0 : irqs.length - 1) : (cur + delta + irqs.length) % irqs.length;
  void select({ kind: 'irq', virq: irqs[next].virq });
}

export const COMMANDS: readonly UiCommand[] = [
  {
    id: 'alloc', label: 'Alloc vectors…', key: 'a', group: 'device', toolbar: true,
    title: 'pci_alloc_irq_vectors(dev, min, max, flags)',
    enabled: (s) => hasMachine(s) && (s.snapshot?.view.devices.length ?? 0) > 0,
    run: (s) => s.openDialog({ kind: 'alloc' }),
  },
  {
    id: 'allocAt', label: 'MSI-X at…', key: 'x', group: 'device', toolbar: true,
    title: 'pci_msix_alloc_irq_at(dev, index | MSI_ANY_INDEX): dynamic MSI-X allocation',
    enabled: hasMsix,
    run: (s) => s.openDialog({ kind: 'allocAt' }),
  },
  {
    id: 'freeVectors', label: 'Free vectors', key: 'F', group: 'device', toolbar: true,
    title: 'pci_free_irq_vectors(dev)',
    enabled: hasMachine,
    run: (s) => {
      const dev = selectedDevice(s);
      if (dev) void runAction({ op: 'pci_free_irq_vectors', dev: dev.name });
      else s.openDialog({ kind: 'freeVectors' });
    },
  },
  {
    id: 'raise', label: 'Raise…', key: 't', group: 'device', toolbar: true,
    title: 'The device writes its MSI message: raise(dev, index)',
    enabled: hasMachine,
    run: (s) => s.openDialog({ kind: 'raise' }),
  },
  {
    id: 'storm', label: 'Storm…', key: 'T', group: 'device', toolbar: false,
    title: 'raise(dev, index, count): an interrupt storm — the device writes its message count times',
    enabled: hasMachine,
    run: (s) => s.openDialog({ kind: 'raise', count: 1000 }),
  },
  {
    id: 'ims', label: 'IMS…', key: 'i', group: 'device', toolbar: true,
    title: 'PCI/IMS (v6.2–v6.9, removed in 2024): create the IMS domain, allocate or free IMS interrupts',
    enabled: hasIms, visible: hasIms,
    run: imsDialog(),
  },
  {
    id: 'subdev', label: 'Subdev…', key: 'v', group: 'device', toolbar: true,
    title: 'MSI parent domains for PCI subdevices (proposal, 2024): parent, init, domain, allocate, free',
    enabled: hasSubdevs, visible: hasSubdevs,
    run: subdevDialog(),
  },
  {
    id: 'request', label: 'request_irq…', key: 'r', group: 'irq', toolbar: true,
    title: 'request_irq(virq, handler, 0, name, dev)',
    enabled: irqTarget, run: irqDialog('request'),
  },
  { id: 'free_irq', label: 'free_irq', key: 'f', group: 'irq', toolbar: true, title: 'free_irq(virq, dev)', enabled: irqTarget, run: irqOp('free_irq') },
  { id: 'mask', label: 'mask', key: 'm', group: 'irq', toolbar: true, title: 'irq_chip_mask: mask at the chip (MSI-X vector control / MSI mask bit)', enabled: irqTarget, run: irqOp('mask') },
  { id: 'unmask', label: 'unmask', key: 'u', group: 'irq', toolbar: true, title: 'irq_chip_unmask: unmask at the chip', enabled: irqTarget, run: irqOp('unmask') },
  { id: 'disable_irq', label: 'disable', key: 'd', group: 'irq', toolbar: true, title: 'disable_irq(virq): depth++ (lazy disable)', enabled: irqTarget, run: irqOp('disable_irq') },
  { id: 'enable_irq', label: 'enable', key: 'e', group: 'irq', toolbar: true, title: 'enable_irq(virq): depth--', enabled: irqTarget, run: irqOp('enable_irq') },
  {
    id: 'affinity', label: 'Affinity…', key: 's', group: 'irq', toolbar: true,
    title: 'irq_set_affinity(virq, cpumask)',
    enabled: irqTarget, run: irqDialog('affinity'),
  },
  {
    id: 'cpuToggle', label: 'cpu_down / cpu_up', key: 'c', group: 'cpu', toolbar: false,
    title: 'Take the selected CPU offline or bring it back (click a CPU row in the vector map first)',
    enabled: (s) => selectedCpuOnline(s) !== null,
    run: (s) => {
      const online = selectedCpuOnline(s);
      if (online === null || s.selectedCpu === null) return;
      void runAction(online ? { op: 'cpu_down', cpu: s.selectedCpu } : { op: 'cpu_up', cpu: s.selectedCpu });
    },
  },
  imsCommand({
    id: 'imsCreate', label: 'IMS domain…', key: 'I',
    title: 'pci_create_ims_domain(pdev, template, hwsize): the IMS domain in MSI_SECONDARY_DOMAIN',
  }, 'pci_create_ims_domain'),
  imsCommand({
    id: 'imsAllocAt', label: 'IMS interrupt at…', key: 'o',
    title: 'msi_domain_alloc_irq_at(dev, MSI_SECONDARY_DOMAIN, index | MSI_ANY_INDEX, …)',
  }, 'msi_domain_alloc_irq_at'),
  imsCommand({
    id: 'imsAlloc', label: 'IMS interrupt…', key: 'n',
    title: 'pci_ims_alloc_irq(dev, icookie, affdesc): the next free IMS index',
  }, 'pci_ims_alloc_irq'),
  imsCommand({
    id: 'imsFree', label: 'Free IMS interrupt…', key: 'O',
    title: 'pci_ims_free_irq(dev, map): free one IMS index',
  }, 'pci_ims_free_irq'),
  subdevCommand({
    id: 'msiParent', label: 'MSI parent…', key: 'p',
    title: 'pci_enable_msi_parent_domain(pdev): the function’s PCI/MSI-X domain becomes an MSI parent',
  }, 'pci_enable_msi_parent_domain', hasMsix),
  subdevCommand({
    id: 'subdevInit', label: 'Init subdevice…', key: 'V',
    title: 'pci_msi_init_subdevice(subdev): its MSI parent is the function’s PCI/MSI-X domain',
  }, 'pci_msi_init_subdevice'),
  subdevCommand({
    id: 'subdevDomain', label: 'Subdevice domain…', key: 'g',
    title: 'pci_msi_create_subdevice_irq_domain(subdev, hwsize): the subdevice’s own domain',
  }, 'pci_msi_create_subdevice_irq_domain'),
  subdevCommand({
    id: 'subdevAlloc', label: 'Subdevice interrupt at…', key: 'l',
    title: 'pci_subdev_msix_alloc_at(subdev, index | MSI_ANY_INDEX): a row of the function’s MSI-X table',
  }, 'pci_subdev_msix_alloc_at'),
  subdevCommand({
    id: 'subdevFree', label: 'Free subdevice interrupt…', key: 'L',
    title: 'pci_subdev_msix_free(subdev, index)',
  }, 'pci_subdev_msix_free'),
  {
    // Not on the toolbar (no room at 1366 px): every device card has its bind… / unbind button.
    id: 'driverBind', label: 'Bind a driver…', key: 'b', group: 'driver', toolbar: false,
    title: 'driver_bind(dev, driver): really_probe() and the driver’s probe',
    enabled: hasDevices, run: (s) => s.openDialog({ kind: 'driver', op: 'driver_bind', dev: selDev(s) }),
  },
  {
    id: 'driverUnbind', label: 'Unbind the driver…', key: 'B', group: 'driver', toolbar: false,
    title: 'driver_unbind(dev): the driver’s remove, then devres released newest first',
    enabled: (s) => s.snapshot?.view.devices.some((d) => d.driver) ?? false,
    run: (s) => {
      const d = selectedDevice(s);
      s.openDialog({ kind: 'driver', op: 'driver_unbind', dev: d?.driver ? d.name : s.snapshot?.view.devices.find((x) => x.driver)?.name });
    },
  },
  {
    id: 'stepBack', label: 'Step back', key: '[', group: 'step', toolbar: false, title: 'Show the previous step',
    enabled: (s) => (s.snapshot?.step ?? 0) > 0,
    run: () => void stepBy(-1),
  },
  {
    id: 'stepForward', label: 'Step forward', key: ']', group: 'step', toolbar: false, title: 'Show the next step',
    enabled: (s) => (s.snapshot?.step ?? 0) < s.records.length,
    run: () => void stepBy(1),
  },
  { id: 'stepFirst', label: 'First step', key: 'Home', group: 'step', toolbar: false, title: 'Show the freshly booted machine', enabled: hasMachine, run: () => void gotoStep(0) },
  { id: 'stepLast', label: 'Last step', key: 'End', group: 'step', toolbar: false, title: 'Show the last step', enabled: hasMachine, run: (s) => void gotoStep(s.records.length) },
  { id: 'nextIrq', label: 'Next interrupt', key: 'j', group: 'select', toolbar: false, title: 'Select the next interrupt: requested ones and device descriptors', enabled: hasMachine, run: (s) => moveIrqSelection(s, 1) },
  { id: 'prevIrq', label: 'Previous interrupt', key: 'k', group: 'select', toolbar: false, title: 'Select the previous interrupt: requested ones and device descriptors', enabled: hasMachine, run: (s) => moveIrqSelection(s, -1) },
];

/** How a key is written: an upper-case letter is Shift + that letter. */
export function keyLabel(key: string): string {
  return /^[A-Z]$/.test(key) ? `Shift+${key}` : key;
}

export function runCommand(id: string): void {
  const s = useStore.getState();
  const c = COMMANDS.find((x) => x.id === id);
  if (c && c.enabled(s)) c.run(s);
}
