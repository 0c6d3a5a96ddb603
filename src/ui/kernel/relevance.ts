// Where a kernel fact is worth a line: which of the engine's version facts (by profile field)
// bear on a step's call or on the inspected interrupt or domain. Only a choice of what to show;
// the facts themselves, and whether the kernels differ in them, come from the engine.

import type { Action, DomainView, IrqView, ResultView, TraceNode } from '../../worker/protocol';

type Arch = 'x86' | 'arm64';

function traceHas(nodes: readonly TraceNode[], test: (n: TraceNode) => boolean): boolean {
  for (const n of nodes) if (test(n) || traceHas(n.children, test)) return true;
  return false;
}

const touchesManaged = (trace: readonly TraceNode[]) =>
  traceHas(trace, (n) => /managed/.test(n.fn ?? '') || n.effects.some((e) => /\bmanaged\b/.test(e)));

/** The fact ids that bear on one step: its call, on this architecture, with the trace it made. */
export function factsForStep(action: Action, result: ResultView, arch: Arch): string[] {
  const out: string[] = [];
  const flags = action.op === 'pci_alloc_irq_vectors' ? action.flags : [];
  if (action.op === 'pci_alloc_irq_vectors') {
    if (flags.includes('AFFINITY')) out.push('groupCpusByCluster');
    if (flags.includes('MSI')) out.push('pciMsiDomainVecCount');
    if (arch === 'arm64') out.push('msiPrepareOnDomainCreate');
    else out.push('pciMsiModel');
  }
  if (action.op === 'pci_msix_alloc_irq_at' && arch === 'arm64') out.push('msiPrepareOnDomainCreate');
  if (action.op === 'pci_free_irq_vectors' && arch === 'arm64') out.push('msiPrepareOnDomainCreate');
  if (action.op === 'cpu_down' || action.op === 'cpu_up') {
    if (touchesManaged(result.trace)) out.push('managedShutdownKeepsDepth');
    if (arch === 'x86') out.push('x86Idt.moveCleanupVector');
  }
  if ((action.op === 'disable_irq' || action.op === 'enable_irq') && touchesManaged(result.trace)) out.push('managedShutdownKeepsDepth');
  if ((action.op === 'irq_set_affinity' || action.op === 'write_irq_affinity') && arch === 'x86') out.push('x86Idt.moveCleanupVector');
  if (action.op === 'request_irq' && arch === 'x86') out.push('firstSystemVector');
  return out;
}

/** Facts of one place: how it behaves (`shown`), and how its file prints (`folded`, opened on demand). */
export interface PlaceFacts {
  shown: string[];
  folded: string[];
}

/** The fact ids that bear on the inspected interrupt. */
export function factsForIrq(irq: IrqView, arch: Arch): PlaceFacts {
  const shown: string[] = [];
  if (irq.managed) shown.push('managedShutdownKeepsDepth');
  if (irq.msi && arch === 'arm64') shown.push('msiLibChipFlags');
  const folded = ['debugfs.resendWhenInProgress', 'debugfs.procValidStatus'];
  if (arch === 'x86') folded.unshift('debugfs.movePcntxt');
  if (irq.msi) folded.push('debugfs.msiMessage');
  return { shown, folded };
}

/** The fact ids that bear on the inspected domain. */
export function factsForDomain(d: DomainView): PlaceFacts {
  const shown: string[] = [];
  if (d.kind === 'its') shown.push('itsMsiImmutable');
  if (d.kind === 'msi' || d.kind === 'msix' || d.kind === 'msi-global' || /PCI-MSI/.test(d.name)) shown.push('pciMsiModel', 'pciMsiDomainVecCount');
  if (d.kind === 'vector') shown.push('firstSystemVector', 'x86Idt.moveCleanupVector');
  return { shown, folded: ['debugfs.domainFlagNames', 'debugfs.domainFlagBits'] };
}
