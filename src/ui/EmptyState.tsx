// The first screen: what irqscope is, and the machines to start from.

import { PRESETS } from './presets';
import { pickPreset } from './store/commands';

export function EmptyState() {
  return (
    <main className="flex flex-1 items-center justify-center overflow-auto p-6">
      <div className="max-w-3xl">
        <h2 className="text-2xl font-bold tracking-tight">Watch Linux route an interrupt.</h2>
        <p className="mt-3 text-sm leading-relaxed text-slate-700 dark:text-slate-300">
          irqscope runs a model of the Linux kernel's interrupt core in your browser: irq domains, MSI and MSI-X
          descriptors, interrupt remapping and the x86 vector matrix. You call the kernel's own functions
          (pci_alloc_irq_vectors, request_irq, irq_set_affinity, cpu_down…) and see every domain, descriptor, vector and
          debugfs file they change, with the call trace of each step.
        </p>
        <h3 className="mt-6 text-xs font-semibold uppercase tracking-wide text-slate-500">Pick a machine</h3>
        <ul className="mt-2 grid grid-cols-3 gap-3">
          {PRESETS.map((p) => (
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
        <p className="mt-4 text-xs text-slate-500">
          Press <span className="font-mono">?</span> at any time for the keyboard shortcuts.
        </p>
      </div>
    </main>
  );
}
