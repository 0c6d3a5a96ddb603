// "Open your machine": its own small store, apart from the scenario's, so an import never touches
// what is open (closing the import shows the page as it was). Parsing runs in the worker.

import * as Comlink from 'comlink';
import { create } from 'zustand';
import { engine } from '../../worker/client';
import type { ImportedMachine, ImportReply, Scenario } from '../../worker/protocol';
import { loadScenario } from '../store/commands';

/** Larger inputs are refused before they are read (the worker refuses them too). */
export const MAX_IMPORT_BYTES = 50 * 1000 * 1000;

interface ImportState {
  dialog: boolean;
  busy: boolean;
  progress: number;
  /** The last refusal: what was wrong, and on which line. */
  error: string | null;
  machine: ImportedMachine | null;
  /** Where it came from: "pasted text" or the file name. */
  source: string | null;
  simulation: Extract<ImportReply, { ok: true }>['simulation'] | null;
  /** After "Continue as a simulation": what the scenario reconstructed (shown above the workspace). */
  reconstructed: { source: string; notes: string[] } | null;
}

export const useImport = create<ImportState>(() => ({
  dialog: false, busy: false, progress: 0, error: null, machine: null, source: null, simulation: null, reconstructed: null,
}));

export const openImportDialog = () => useImport.setState({ dialog: true, error: null });
export const closeImportDialog = () => useImport.setState({ dialog: false, error: null, busy: false });
export const closeImport = () => useImport.setState({ machine: null, simulation: null, source: null });
export const dismissReconstructed = () => useImport.setState({ reconstructed: null });

let seq = 0;

/** Import a text (pasted or read from a file) in the worker. */
export async function importFromText(text: string, source: string): Promise<void> {
  if (text.length > MAX_IMPORT_BYTES) {
    useImport.setState({ error: `${source} is ${(text.length / 1e6).toFixed(1)} MB; the limit is 50 MB` });
    return;
  }
  const mine = ++seq;
  useImport.setState({ busy: true, progress: 0, error: null });
  try {
    const reply = await engine().importMachine(
      text,
      Comlink.proxy((f: number) => {
        if (mine === seq) useImport.setState({ progress: f });
      }),
    );
    if (mine !== seq) return;
    if (!reply.ok) {
      useImport.setState({ busy: false, error: reply.error });
      return;
    }
    useImport.setState({ busy: false, dialog: false, machine: reply.machine, simulation: reply.simulation, source, error: null });
  } catch (e) {
    if (mine === seq) useImport.setState({ busy: false, error: `the import failed: ${e instanceof Error ? e.message : String(e)}` });
  }
}

/** Read a chosen or dropped file (size and type checked before it is read). */
export async function importFromFile(file: File): Promise<void> {
  if (file.size > MAX_IMPORT_BYTES) {
    useImport.setState({ error: `${file.name} is ${(file.size / 1e6).toFixed(1)} MB; the limit is 50 MB` });
    return;
  }
  let text: string;
  try {
    text = await file.text();
  } catch {
    useImport.setState({ error: `${file.name} could not be read` });
    return;
  }
  await importFromText(text, file.name);
}

/** Open the reconstructed scenario with the app's own loading; the import view closes. */
export async function continueAsSimulation(): Promise<void> {
  const { simulation, source } = useImport.getState();
  if (!simulation?.ok) return;
  const scenario: Scenario = simulation.scenario;
  await loadScenario(scenario, null);
  useImport.setState({ machine: null, simulation: null, reconstructed: { source: source ?? 'the import', notes: simulation.reconstructed } });
}
