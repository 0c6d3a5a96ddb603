// Every user command in one table: the toolbar draws it, the keyboard runs it and the help
// dialog lists it, so the three never disagree.

import { gotoStep, runAction, select } from './store/commands';
import { useStore, type Store } from './store';
import { selectedCpuOnline, selectedDevice, selectedIrq } from './selectors';

export interface UiCommand {
  id: string;
  /** Button text. */
  label: string;
  /** What it does, with the kernel function it calls. */
  title: string;
  /** KeyboardEvent.key that runs it. */
  key: string;
  group: 'device' | 'irq' | 'cpu' | 'step' | 'select';
  /** Shown on the toolbar (step and selection commands live elsewhere). */
  toolbar: boolean;
  enabled: (s: Store) => boolean;
  run: (s: Store) => void;
}

const hasMachine = (s: Store) => s.snapshot !== null;
const irqTarget = (s: Store) => selectedIrq(s) !== null;
function irqOp(op: 'free_irq' | 'mask' | 'unmask' | 'disable_irq' | 'enable_irq') {
  return (s: Store) => {
    const irq = selectedIrq(s);
    if (irq) void runAction({ op, virq: irq.virq });
  };
}

function moveIrqSelection(s: Store, delta: number): void {
  const irqs = s.snapshot?.view.irqs ?? [];
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
    enabled: (s) => (s.snapshot?.view.devices.some((d) => d.msixCap) ?? false),
    run: (s) => s.openDialog({ kind: 'allocAt' }),
  },
  {
    id: 'freeVectors', label: 'Free vectors', key: 'F', group: 'device', toolbar: true,
    title: 'pci_free_irq_vectors(dev) (Shift+F)',
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
    id: 'request', label: 'request_irq…', key: 'r', group: 'irq', toolbar: true,
    title: 'request_irq(virq, handler, 0, name, dev)',
    enabled: irqTarget,
    run: (s) => {
      const irq = selectedIrq(s);
      if (irq) s.openDialog({ kind: 'request', virq: irq.virq });
    },
  },
  { id: 'free_irq', label: 'free_irq', key: 'f', group: 'irq', toolbar: true, title: 'free_irq(virq, dev)', enabled: irqTarget, run: irqOp('free_irq') },
  { id: 'mask', label: 'mask', key: 'm', group: 'irq', toolbar: true, title: 'irq_chip_mask: mask at the chip (MSI-X vector control / MSI mask bit)', enabled: irqTarget, run: irqOp('mask') },
  { id: 'unmask', label: 'unmask', key: 'u', group: 'irq', toolbar: true, title: 'irq_chip_unmask: unmask at the chip', enabled: irqTarget, run: irqOp('unmask') },
  { id: 'disable_irq', label: 'disable', key: 'd', group: 'irq', toolbar: true, title: 'disable_irq(virq): depth++ (lazy disable)', enabled: irqTarget, run: irqOp('disable_irq') },
  { id: 'enable_irq', label: 'enable', key: 'e', group: 'irq', toolbar: true, title: 'enable_irq(virq): depth--', enabled: irqTarget, run: irqOp('enable_irq') },
  {
    id: 'affinity', label: 'Affinity…', key: 's', group: 'irq', toolbar: true,
    title: 'irq_set_affinity(virq, cpumask)',
    enabled: irqTarget,
    run: (s) => {
      const irq = selectedIrq(s);
      if (irq) s.openDialog({ kind: 'affinity', virq: irq.virq });
    },
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
  {
    id: 'stepBack', label: 'Step back', key: '[', group: 'step', toolbar: false, title: 'Show the previous step',
    enabled: (s) => (s.snapshot?.step ?? 0) > 0,
    run: (s) => void gotoStep((s.snapshot?.step ?? 0) - 1),
  },
  {
    id: 'stepForward', label: 'Step forward', key: ']', group: 'step', toolbar: false, title: 'Show the next step',
    enabled: (s) => (s.snapshot?.step ?? 0) < s.records.length,
    run: (s) => void gotoStep((s.snapshot?.step ?? 0) + 1),
  },
  { id: 'stepFirst', label: 'First step', key: 'Home', group: 'step', toolbar: false, title: 'Show the freshly booted machine', enabled: hasMachine, run: () => void gotoStep(0) },
  { id: 'stepLast', label: 'Last step', key: 'End', group: 'step', toolbar: false, title: 'Show the last step', enabled: hasMachine, run: (s) => void gotoStep(s.records.length) },
  { id: 'nextIrq', label: 'Next interrupt', key: 'j', group: 'select', toolbar: false, title: 'Select the next interrupt', enabled: hasMachine, run: (s) => moveIrqSelection(s, 1) },
  { id: 'prevIrq', label: 'Previous interrupt', key: 'k', group: 'select', toolbar: false, title: 'Select the previous interrupt', enabled: hasMachine, run: (s) => moveIrqSelection(s, -1) },
];

export function runCommand(id: string): void {
  const s = useStore.getState();
  const c = COMMANDS.find((x) => x.id === id);
  if (c && c.enabled(s)) c.run(s);
}
