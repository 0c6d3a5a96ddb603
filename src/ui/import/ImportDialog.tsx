// Paste, drop or choose a capture; the collector is offered for download. Parsing runs in the worker.

import { useRef, useState, type DragEvent } from 'react';
import { Modal } from '../chrome/Modal';
import { btn } from '../chrome/styles';
import { cancelImport, closeImportDialog, importFromFile, importFromText, useImport, type ImportPhase } from './store';

export const COLLECTOR_URL = `${import.meta.env.BASE_URL}irqscope-collect`;

export function CollectorLink({ className = '' }: { className?: string }) {
  return (
    <a href={COLLECTOR_URL} download="irqscope-collect" className={`text-sky-700 underline hover:text-sky-900 dark:text-sky-400 dark:hover:text-sky-300 ${className}`}>
      Download irqscope-collect
    </a>
  );
}

const mb = (n: number) => (n / 1e6).toFixed(n < 1e7 ? 1 : 0);

/** Reading: bytes read of the file's size; parsing: the worker's share of the lines. */
function Progress({ phase }: { phase: ImportPhase }) {
  const f = phase.kind === 'reading' ? (phase.total ? phase.read / phase.total : 1) : phase.fraction;
  const text = phase.kind === 'reading' ? `Reading ${phase.name}: ${mb(phase.read)} of ${mb(phase.total)} MB` : `Parsing: ${Math.round(phase.fraction * 100)}%`;
  return (
    <div className="flex items-center gap-2" data-testid="import-progress" data-phase={phase.kind}>
      <div
        role="progressbar"
        aria-label={phase.kind === 'reading' ? 'Reading the file' : 'Parsing the capture'}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(f * 100)}
        aria-valuetext={text}
        className="h-1.5 flex-1 overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
      >
        <div className="h-full bg-sky-600" style={{ width: `${Math.max(3, f * 100)}%` }} />
      </div>
      <span className="shrink-0 font-mono text-[11px] text-slate-600 dark:text-slate-300" aria-live="polite">{text}</span>
      <button type="button" className={btn} onClick={cancelImport} title="Stop reading or parsing this input; the dialog stays open">Stop</button>
    </div>
  );
}

export function ImportDialog() {
  const { phase, error } = useImport();
  const busy = phase !== null;
  const [text, setText] = useState('');
  const [over, setOver] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  const onDrop = (e: DragEvent) => {
    // Stop here: the page's own drop handler opens scenario files.
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) void importFromFile(f);
    else {
      const t = e.dataTransfer.getData('text/plain');
      if (t) void importFromText(t, 'dropped text');
    }
  };

  return (
    <Modal title="Open your machine" wide onClose={closeImportDialog} onSubmit={() => void importFromText(text, 'pasted text')} submitLabel={busy ? 'Importing…' : 'Import'} submitDisabled={busy || !text.trim()}>
      <p className="text-xs leading-relaxed text-slate-600 dark:text-slate-300">
        Paste <span className="font-mono">/proc/interrupts</span> (any kernel, any excerpt), drop or choose a file: the bundle of{' '}
        <span className="font-mono">irqscope-collect</span>, a bare <span className="font-mono">/proc/interrupts</span>, or the
        <span className="font-mono"> /proc/irq</span> and <span className="font-mono">/sys</span> files. Nothing leaves your browser.
      </p>
      <label className="flex flex-col gap-1 text-xs font-medium">
        Paste here
        <textarea
          data-autofocus
          aria-label="Paste /proc/interrupts or a collector bundle"
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          rows={9}
          placeholder={'           CPU0       CPU1\n  25:       0      16  IR-PCI-MSIX-0000:00:02.0    0-edge      nvme0q0\n…'}
          className="resize-y rounded border border-slate-300 bg-white p-2 font-mono text-[11px] leading-[15px] text-slate-900 dark:border-slate-600 dark:bg-slate-950 dark:text-slate-100 focus-visible:outline-2 focus-visible:outline-sky-500"
        />
      </label>
      <div
        data-testid="import-drop"
        onDragOver={(e) => {
          e.preventDefault();
          e.stopPropagation();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        className={`flex items-center gap-3 rounded border border-dashed px-3 py-3 text-xs ${over ? 'border-sky-500 bg-sky-50 dark:bg-sky-950' : 'border-slate-300 dark:border-slate-600'}`}
      >
        <span className="text-slate-600 dark:text-slate-300">Drop a file here, or</span>
        <button type="button" className={btn} onClick={() => fileRef.current?.click()}>
          Choose a file…
        </button>
        <input
          ref={fileRef}
          type="file"
          aria-label="Choose a capture file"
          className="hidden"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void importFromFile(f);
            e.target.value = '';
          }}
        />
        <span className="ml-auto text-slate-500">
          No capture yet? <CollectorLink /> and run <span className="font-mono">sh irqscope-collect &gt; machine.txt</span>
        </span>
      </div>
      {phase && <Progress phase={phase} />}
      {error && (
        <p role="alert" className="rounded border border-rose-300 bg-rose-50 px-2 py-1.5 text-xs text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200">
          Not imported: {error}
        </p>
      )}
    </Modal>
  );
}
