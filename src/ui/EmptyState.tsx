// The first screen: what irqscope is, and the machines to start from.

import { PRESETS, type Preset } from './presets';
import { StoryButtons } from './scenarios/StoriesDialog';
import { useStore } from './store';
import { pickPreset } from './store/commands';
import { OpenMachineEntry } from './import/OpenMachineEntry';

const GROUPS: { id: Preset['group']; title: string; note?: string }[] = [
  { id: 'machines', title: 'Pick a machine' },
  { id: 'qemu', title: 'QEMU machines, held to real kernels', note: 'The guests the conformance harness boots under Debian’s 6.1, 6.12 and 7.2 kernels: their /proc/interrupts is checked line for line against real captures. Pick the kernel in the header once one is open.' },
  { id: 'designs', title: 'Designs beyond mainline', note: 'PCI/IMS (merged v6.2, removed in 2024) and MSI parent domains for PCI subdevices (proposal, 2024), with drivers and devres.' },
  { id: 'models', title: 'Older MSI domain models', note: 'The machines above use v2, current mainline: per-device MSI domains on an MSI parent.' },
];

export function EmptyState() {
  const openDialog = useStore((s) => s.openDialog);
  return (
    <main className="flex min-w-0 flex-1 overflow-auto p-3 sm:p-6">
      {/* m-auto, not items-center: a first screen taller than the window scrolls from its top */}
      <div className="m-auto max-w-5xl">
        <h2 className="text-2xl font-bold tracking-tight">Watch Linux route an interrupt.</h2>
        <p className="mt-3 max-w-3xl text-sm leading-relaxed text-slate-700 dark:text-slate-300">
          irqscope runs a model of the Linux kernel's interrupt core in your browser: irq domains, MSI and MSI-X
          descriptors, interrupt remapping, the x86 vector matrix and the arm64 GICv3 ITS. You call the kernel's own functions
          (pci_alloc_irq_vectors, request_irq, irq_set_affinity, cpu_down…) and see every domain, descriptor, vector and
          debugfs file they change, with the call trace of each step.
        </p>
        <OpenMachineEntry />
        {GROUPS.map((g) => (
          <section key={g.id} aria-label={g.title}>
            <h3 className="mt-5 text-xs font-semibold uppercase tracking-wide text-slate-500">{g.title}</h3>
            {g.note && <p className="mt-0.5 text-[11px] text-slate-500">{g.note}</p>}
            <ul className={`mt-2 grid grid-cols-1 gap-3 min-[560px]:grid-cols-2 ${g.id === 'machines' ? 'lg:grid-cols-4' : 'lg:grid-cols-3'}`}>
              {PRESETS.filter((p) => p.group === g.id).map((p) => (
                <li key={p.id}>
                  <button
                    type="button"
                    onClick={() => void pickPreset(p.id)}
                    className="flex h-full w-full flex-col gap-1.5 rounded-lg border border-slate-300 bg-white p-3 text-left shadow-sm hover:border-sky-500 hover:shadow focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500 dark:border-slate-700 dark:bg-slate-900 dark:hover:border-sky-500"
                  >
                    <span className="text-sm font-semibold">{p.title}</span>
                    <span className="text-xs leading-snug text-slate-600 dark:text-slate-400">{p.blurb}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
        <h3 className="mt-6 text-xs font-semibold uppercase tracking-wide text-slate-500">Or follow a guided story</h3>
        <div className="mt-2">
          <StoryButtons onMore={() => openDialog({ kind: 'stories' })} />
        </div>
        <p className="mt-4 text-xs text-slate-500">
          Press <span className="font-mono">?</span> at any time for the keyboard shortcuts.
        </p>
      </div>
    </main>
  );
}
