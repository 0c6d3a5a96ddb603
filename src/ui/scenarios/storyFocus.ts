// A story step selects what its caption talks about: the interrupt a call was made on (by virq,
// or by device and index), the device of a device-wide call, the CPU of a hotplug step. The
// subject is read from the step's action and found in the engine's view; nothing is computed.

import type { Action, MachineView } from '../../worker/protocol';
import { useStore, type Selection } from '../store';
import { onStepShown, select } from '../store/commands';
import { storyProgress } from './storyState';

/** What a step's action is about, as a selection (or a CPU), found in the view after it. */
export function stepSubject(action: Action, view: MachineView): { selection?: Selection; cpu?: number } | null {
  const a = action as { virq?: number; dev?: string; subdev?: string; index?: number | 'any'; domain?: string; cpu?: number };
  if (typeof a.virq === 'number') return { selection: { kind: 'irq', virq: a.virq } };
  if (typeof a.cpu === 'number' && (action.op === 'cpu_down' || action.op === 'cpu_up')) return { cpu: a.cpu };
  const dev = a.subdev ?? a.dev;
  if (!dev) return null;
  if (typeof a.index === 'number' && a.domain !== 'ims') {
    const index = a.index;
    const irq = view.irqs.find((i) => i.msi?.dev === dev && i.msi.index === index);
    if (irq) return { selection: { kind: 'irq', virq: irq.virq } };
  }
  return view.devices.some((d) => d.name === dev) ? { selection: { kind: 'device', name: dev } } : null;
}

/** While a story is followed, every step shown selects its subject. Returns the uninstall. */
export function installStoryFocus(): () => void {
  return onStepShown(({ step, action, how }) => {
    const s = useStore.getState();
    if (!action || !s.snapshot || !s.scenario) return;
    if (how === 'load' && s.selection !== null) return; // a link's own selection stays
    const p = storyProgress(s.story, s.scenario.actions, step);
    if (!p || p.caption === null) return;
    const subject = stepSubject(action, s.snapshot.view);
    if (!subject) return;
    if (subject.cpu !== undefined) s.selectCpu(subject.cpu);
    if (subject.selection) void select(subject.selection);
  });
}
