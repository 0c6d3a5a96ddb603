// Read-only lookups over the current view for what the user selected. They find things
// in the engine's view; they never derive kernel state of their own.

import type { DeviceView, IrqView } from '../worker/protocol';
import type { Store } from './store';

export function selectedIrq(s: Store): IrqView | null {
  const sel = s.selection;
  if (sel?.kind !== 'irq' || !s.snapshot) return null;
  return s.snapshot.view.irqs.find((i) => i.virq === sel.virq) ?? null;
}

/** The device the selection belongs to: the device itself, an interrupt's or a domain's owner. */
export function selectedDevice(s: Store): DeviceView | null {
  const sel = s.selection;
  const view = s.snapshot?.view;
  if (!sel || !view) return null;
  let name: string | null = null;
  if (sel.kind === 'device') name = sel.name;
  else if (sel.kind === 'irq') name = selectedIrq(s)?.msi?.dev ?? null;
  else name = view.domains.find((d) => d.name === sel.name)?.dev ?? null;
  return name ? (view.devices.find((d) => d.name === name) ?? null) : null;
}

export function selectedCpuOnline(s: Store): boolean | null {
  if (s.selectedCpu === null || !s.snapshot) return null;
  return s.snapshot.view.cpus.find((c) => c.cpu === s.selectedCpu)?.online ?? null;
}

/** A request_irq name suggestion in the style drivers use ("nvme0q3", "nic-2"). */
export function suggestIrqName(irq: IrqView, dev: DeviceView | null): string {
  const base = dev?.driver ?? dev?.label ?? 'irq';
  const index = irq.msi?.index ?? irq.virq;
  return base === 'nvme' ? `nvme0q${index}` : `${base}-${index}`;
}

/** A stable empty list for selectors (a fresh [] would re-render forever). */
export const NONE: readonly never[] = Object.freeze([]);
