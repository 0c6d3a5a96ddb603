// The first screen's "Open your machine": import a real machine's capture, or get the collector.

import { btn, btnPrimary } from '../chrome/styles';
import { useNarrow } from '../chrome/narrow';
import { useStore } from '../store';
import { CollectorLink } from './ImportDialog';
import { openImportDialog, useImport } from './store';

export function OpenMachineEntry() {
  return (
    <section aria-label="Open your machine" className="mt-5 flex flex-wrap items-center gap-3 rounded-lg border border-sky-300 bg-sky-50 px-4 py-3 dark:border-sky-800 dark:bg-sky-950/40">
      <div className="min-w-0 flex-1">
        <h3 className="text-sm font-semibold">Open your machine</h3>
        <p className="mt-0.5 text-xs leading-snug text-slate-600 dark:text-slate-300">
          Paste its <span className="font-mono">/proc/interrupts</span> or drop the bundle of <span className="font-mono">irqscope-collect</span> (a read-only
          shell script: <span className="font-mono">sh irqscope-collect &gt; machine.txt</span>) to see its domain hierarchy, devices, vectors and
          per-CPU counts, then continue it as a simulation.
        </p>
      </div>
      <CollectorLink className="text-xs" />
      <button type="button" className={btnPrimary} onClick={openImportDialog}>
        Open your machine…
      </button>
    </section>
  );
}

/** The header's entry once a machine (or an import) is open: the open one is kept, to go back to. An icon beside the other header buttons; its words in the narrow menu. */
export function OpenMachineButton() {
  const shown = useStore((s) => s.snapshot !== null);
  const imported = useImport((s) => s.machine !== null);
  const narrow = useNarrow();
  if (!shown && !imported) return null;
  return (
    <button
      type="button"
      className={btn}
      aria-label="Open your machine…"
      title="Open your machine… — import a real machine's /proc/interrupts or collector bundle; what is open now stays, to go back to"
      onClick={openImportDialog}
    >
      <svg viewBox="0 0 14 14" className="h-3.5 w-3.5" aria-hidden="true">
        <rect x="1" y="1.5" width="12" height="8.5" rx="1.2" fill="none" stroke="currentColor" strokeWidth="1.3" />
        <path d="M4.5 12.5h5M7 10v2.5M7 3.5v4.5M5 5.5l2-2 2 2" fill="none" stroke="currentColor" strokeWidth="1.3" />
      </svg>
      {narrow && <span>Open your machine…</span>}
    </button>
  );
}
