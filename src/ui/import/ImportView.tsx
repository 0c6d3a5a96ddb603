// The imported machine: a bar that says what it is (source, architecture, CPUs, layout, kernel) with
// the way back to what was open, and the app's own workspace with the import's panels in its places
// (ImportPanels.tsx). The machine open before the import is not touched: "Back to" shows it again.

import { btn, btnPrimary } from '../chrome/styles';
import { Workspace } from '../chrome/Workspace';
import { machineTitle } from '../format';
import { useStore } from '../store';
import type { ImportedMachine } from '../../worker/protocol';
import { IMPORT_CONTENT } from './ImportPanels';
import { closeImport, continueAsSimulation, openImportDialog, useImport } from './store';

export function ImportView({ m }: { m: ImportedMachine }) {
  const source = useImport((s) => s.source);
  const simulation = useImport((s) => s.simulation);
  const open = useStore((s) => s.scenario?.machine ?? null);
  const steps = useStore((s) => s.scenario?.actions.length ?? 0);
  const cpus = m.cpus === null ? 'CPUs unknown' : `${m.cpus} CPU${m.cpus === 1 ? '' : 's'}${m.cpusFromColumns ? ' (counted from the columns: no header)' : ''}`;
  const back = open ? `Back to ${machineTitle(open)}${steps ? ` (${steps} step${steps === 1 ? '' : 's'})` : ''}` : null;
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      {/* The bar is the region (the workspace below is the page's main landmark, never inside another). */}
      <section aria-label="Imported machine" className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-200 bg-white px-3 py-1.5 dark:border-slate-800 dark:bg-slate-900">
        <h2 className="text-sm font-semibold">Imported machine</h2>
        <span className="max-w-[14rem] truncate text-xs text-slate-600 dark:text-slate-300" title={source ?? ''}>{source}</span>
        <span data-testid="import-facts" className="font-mono text-xs">
          {m.arch ?? 'arch unknown'} · {cpus} · layout {m.layout} · kernel {m.kernelRelease ?? 'unknown'}
        </span>
        <div className="ml-auto flex flex-wrap items-center gap-2">
          <button type="button" className={btn} onClick={openImportDialog}>Import another…</button>
          <button type="button" className={btn} onClick={closeImport} title={back ? 'The machine open before the import, as it was (steps and undo history)' : 'Back to the first screen'}>
            {back ?? 'Close'}
          </button>
          <button
            type="button"
            className={btnPrimary}
            disabled={!simulation?.ok}
            title={simulation && !simulation.ok ? `Cannot continue: ${simulation.reason}` : 'Open this machine as a scenario: CPUs, devices and vectors reconstructed (the open machine can be had back with Undo)'}
            onClick={() => void continueAsSimulation()}
          >
            Continue as a simulation
          </button>
        </div>
      </section>
      <Workspace content={IMPORT_CONTENT} />
    </div>
  );
}
