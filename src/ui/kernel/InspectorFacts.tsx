// Under the inspector's file: where the machine's kernel prints or behaves differently for the
// selected interrupt or domain (a managed irq: the disable depth across CPU hotplug; the ITS
// domain: its flags), one line each with the source at every version.

import { useStore } from '../store';
import { KernelFactLines } from './FactLines';
import { kernelOf } from './facts';
import { factsForDomain, factsForIrq } from './relevance';

export function InspectorFacts() {
  const machine = useStore((s) => s.scenario?.machine);
  const selection = useStore((s) => s.selection);
  const irq = useStore((s) => (selection?.kind === 'irq' ? s.snapshot?.view.irqs.find((i) => i.virq === selection.virq) : undefined));
  const domain = useStore((s) => {
    if (!selection || selection.kind === 'irq') return undefined;
    const view = s.snapshot?.view;
    const name = selection.kind === 'domain' ? selection.name : view?.devices.find((d) => d.name === selection.name)?.stores.find((st) => st.domain)?.domain;
    return name ? view?.domains.find((d) => d.name === name) : undefined;
  });
  if (!machine) return null;
  const f = irq ? factsForIrq(irq, machine.arch) : domain ? factsForDomain(domain) : null;
  if (!f) return null;
  return <KernelFactLines kernel={kernelOf(machine)} ids={f.shown} folded={f.folded} className="border-b border-slate-100 px-2 py-1 dark:border-slate-800" />;
}
