// The import's pieces that live beside the page: its dialog, and after "Continue as a simulation" the
// note of what the scenario reconstructed. App.tsx shows ImportView instead of the workspace while
// an import is open (useImportedMachine).

import { useEffect, useRef, useState } from 'react';
import { btnGhost } from '../chrome/styles';
import { useStore } from '../store';
import { ImportDialog } from './ImportDialog';
import { closeImport, dismissReconstructed, useImport } from './store';

export { ImportView } from './ImportView';
export const useImportedMachine = () => useImport((s) => s.machine);

export function ImportHost() {
  const dialog = useImport((s) => s.dialog);
  const rec = useImport((s) => s.reconstructed);
  const loaded = useStore((s) => s.snapshot !== null);
  const [open, setOpen] = useState(false);
  // Another machine opened meanwhile (the header's picker, a link, a story): it is shown, not the import.
  const scenario = useStore((s) => s.scenario);
  const seen = useRef(scenario);
  useEffect(() => {
    if (scenario !== seen.current && useImport.getState().machine) closeImport();
    seen.current = scenario;
  }, [scenario]);
  return (
    <>
      {dialog && <ImportDialog />}
      {rec && loaded && (
        <aside
          aria-label="Reconstructed from an import"
          className="fixed bottom-8 left-2 z-30 max-w-xl rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-[11px] text-amber-900 shadow-lg dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <div className="flex items-center gap-2">
            <span className="font-semibold">Simulation of {rec.source}: parts are reconstructed</span>
            <button type="button" className={btnGhost} aria-expanded={open} onClick={() => setOpen(!open)}>{open ? 'less' : 'which?'}</button>
            <button type="button" className={btnGhost + ' ml-auto'} aria-label="Dismiss" onClick={dismissReconstructed}>×</button>
          </div>
          {open && (
            <ul className="mt-1 flex list-disc flex-col gap-0.5 pl-4">
              {rec.notes.map((n) => <li key={n}>{n}</li>)}
            </ul>
          )}
        </aside>
      )}
    </>
  );
}
