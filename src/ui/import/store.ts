// "Open your machine": its own small store, apart from the scenario's, so an import never touches
// what is open (closing the import shows the page as it was, undo history and all). A file is read
// in chunks with its progress shown (and can be cancelled); parsing runs in the worker.

import * as Comlink from 'comlink';
import { create } from 'zustand';
import { engine } from '../../worker/client';
import type { ImportedMachine, ImportReply, Scenario } from '../../worker/protocol';
import { loadScenario } from '../store/commands';

/** Larger inputs are refused before they are read (the worker refuses them too). */
export const MAX_IMPORT_BYTES = 50 * 1000 * 1000;

/** What the dialog shows while it works: reading a file (bytes), then parsing in the worker (share of lines). */
export type ImportPhase =
  | { kind: 'reading'; name: string; read: number; total: number }
  | { kind: 'parsing'; fraction: number };

/** What is picked in the imported machine's panels: a domain, an irq, a CPU row. */
export interface ImportSelection {
  domain: string | null;
  irq: number | null;
  cpu: number | null;
}

interface ImportState {
  dialog: boolean;
  phase: ImportPhase | null;
  /** The last refusal: what was wrong, and on which line. */
  error: string | null;
  machine: ImportedMachine | null;
  /** Where it came from: "pasted text" or the file name. */
  source: string | null;
  simulation: Extract<ImportReply, { ok: true }>['simulation'] | null;
  /** After "Continue as a simulation": what the scenario reconstructed (shown above the workspace). */
  reconstructed: { source: string; notes: string[] } | null;
  selection: ImportSelection;
}

const NOTHING: ImportSelection = { domain: null, irq: null, cpu: null };

export const useImport = create<ImportState>(() => ({
  dialog: false, phase: null, error: null, machine: null, source: null, simulation: null, reconstructed: null, selection: NOTHING,
}));

/** Each import (and each cancel) takes a new number: a late reply of an older one is dropped. */
let seq = 0;

export const openImportDialog = () => useImport.setState({ dialog: true, error: null });
export const closeImportDialog = () => {
  seq++;
  useImport.setState({ dialog: false, error: null, phase: null });
};
/** Stop reading or parsing: nothing changes, the dialog stays open. */
export const cancelImport = () => {
  seq++;
  useImport.setState({ phase: null, error: null });
};
/** Back to what was open before (a machine, or the first screen): it was never touched. */
export const closeImport = () => useImport.setState({ machine: null, simulation: null, source: null, selection: NOTHING });
export const dismissReconstructed = () => useImport.setState({ reconstructed: null });
/** Nothing picked in the import's panels (Escape). */
export const clearImportSelection = () => useImport.setState((st) => (st.selection === NOTHING ? st : { selection: NOTHING }));
export const selectImported = (s: Partial<ImportSelection>) => useImport.setState((st) => ({ selection: { ...st.selection, ...s } }));

/** Import a text (pasted or read from a file) in the worker. */
export async function importFromText(text: string, source: string, mine = ++seq): Promise<void> {
  if (text.length > MAX_IMPORT_BYTES) {
    useImport.setState({ phase: null, error: `${source} is ${(text.length / 1e6).toFixed(1)} MB; the limit is 50 MB` });
    return;
  }
  useImport.setState({ phase: { kind: 'parsing', fraction: 0 }, error: null });
  // Progress comes on a port of its own: its last message may arrive after the reply, and must
  // not then bring back a finished import's progress bar (and its disabled Import button).
  let answered = false;
  try {
    const reply = await engine().importMachine(
      text,
      Comlink.proxy((f: number) => {
        if (mine === seq && !answered) useImport.setState({ phase: { kind: 'parsing', fraction: f } });
      }),
    );
    answered = true;
    if (mine !== seq) return;
    if (!reply.ok) {
      useImport.setState({ phase: null, error: reply.error });
      return;
    }
    useImport.setState({ phase: null, dialog: false, machine: reply.machine, simulation: reply.simulation, source, error: null, selection: NOTHING });
  } catch (e) {
    answered = true;
    if (mine === seq) useImport.setState({ phase: null, error: `the import failed: ${e instanceof Error ? e.message : String(e)}` });
  }
}

/** Read a chosen or dropped file in chunks, showing bytes read of its size (size checked before reading). */
export async function importFromFile(file: File): Promise<void> {
  if (file.size > MAX_IMPORT_BYTES) {
    useImport.setState({ error: `${file.name} is ${(file.size / 1e6).toFixed(1)} MB; the limit is 50 MB` });
    return;
  }
  const mine = ++seq;
  useImport.setState({ phase: { kind: 'reading', name: file.name, read: 0, total: file.size }, error: null });
  let text: string;
  try {
    text = await readText(file, mine);
  } catch {
    if (mine === seq) useImport.setState({ phase: null, error: `${file.name} could not be read` });
    return;
  }
  if (mine !== seq) return;
  await importFromText(text, file.name, mine);
}

/** The file's text, chunk by chunk; stops (and resolves '') once the import it belongs to is cancelled. */
async function readText(file: File, mine: number): Promise<string> {
  if (typeof file.stream !== 'function') return file.text();
  const reader = file.stream().getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let read = 0;
  let shown = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (mine !== seq) {
      await reader.cancel().catch(() => undefined);
      return '';
    }
    if (done) break;
    read += value.byteLength;
    parts.push(decoder.decode(value, { stream: true }));
    // A re-render per 1% is plenty (a chunk is 64 KiB or so).
    if (read - shown >= file.size / 100 || read === file.size) {
      shown = read;
      useImport.setState({ phase: { kind: 'reading', name: file.name, read, total: file.size } });
    }
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/**
 * Open the reconstructed scenario with the app's own loading (which keeps an undo entry for any
 * machine it replaces); the import view closes.
 */
export async function continueAsSimulation(): Promise<void> {
  const { simulation, source } = useImport.getState();
  if (!simulation?.ok) return;
  const scenario: Scenario = simulation.scenario;
  await loadScenario(scenario, null);
  useImport.setState({ machine: null, simulation: null, selection: NOTHING, reconstructed: { source: source ?? 'the import', notes: simulation.reconstructed } });
}
