// What picking an object (a change, a search hit) does: select its interrupt, domain or device,
// and its CPU on the vector map. Lookups in the shown view only.

import type { ObjectRef } from '../../worker/protocol';
import { useStore } from '../store';
import { select } from '../store/commands';

export function pickRef(r: ObjectRef, virq?: number): void {
  const st = useStore.getState();
  if (r.kind === 'vector' || r.kind === 'cpu') st.selectCpu(r.cpu);
  if (r.kind === 'domain') void select({ kind: 'domain', name: r.name });
  else if (r.kind === 'irq') void select({ kind: 'irq', virq: r.virq });
  else if (virq !== undefined && st.snapshot?.view.irqs.some((i) => i.virq === virq)) void select({ kind: 'irq', virq });
  else if (r.kind === 'device' || r.kind === 'devres' || r.kind === 'msi' || r.kind === 'msix' || r.kind === 'ims') void select({ kind: 'device', name: r.dev });
  else if (r.kind === 'proc' && /^\d+$/.test(r.row)) void select({ kind: 'irq', virq: Number(r.row) });
}
