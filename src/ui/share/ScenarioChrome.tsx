// The page-level pieces of sharing: the header's Stories and Share buttons, the file drop
// target, and the start-up hook that opens the URL's link (or the saved work) and keeps the
// URL following the view.

import { useEffect, useState } from 'react';
import { btn } from '../chrome/styles';
import { useStore } from '../store';
import { openFile, startLinks } from './open';

/** Stories, and Share unless `share` is false (an imported machine is shown: nothing of it to share). */
export function ScenarioButtons({ share = true }: { share?: boolean }) {
  const openDialog = useStore((s) => s.openDialog);
  const loaded = useStore((s) => s.snapshot !== null);
  return (
    <>
      <button type="button" className={btn} title="Guided stories: scenarios with a sentence for every step" onClick={() => openDialog({ kind: 'stories' })}>
        Stories
      </button>
      {share && (
        <button type="button" className={btn} title="Link, JSON file and report of this view" disabled={!loaded} onClick={() => openDialog({ kind: 'share' })}>
          Share
        </button>
      )}
    </>
  );
}

function hasFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
}

/** Drop a scenario .json anywhere on the page to open it. */
export function FileDrop() {
  const [over, setOver] = useState(false);
  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setOver(true);
    };
    const overFn = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setOver(false);
      const f = e.dataTransfer?.files?.[0];
      if (f) void openFile(f);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overFn);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  if (!over) return null;
  return (
    <div aria-hidden="true" className="pointer-events-none fixed inset-2 z-50 flex items-center justify-center rounded-xl border-4 border-dashed border-sky-500 bg-sky-100/70 dark:bg-sky-950/70">
      <p className="rounded-lg bg-white px-4 py-2 text-sm font-semibold text-sky-900 shadow dark:bg-slate-900 dark:text-sky-200">
        Drop a scenario .json to open it
      </p>
    </div>
  );
}

/** Once, at start-up: open the URL's link or the saved work; then keep the URL in step. */
export function useLinks(): void {
  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    void startLinks().then((s) => {
      if (cancelled) s();
      else stop = s;
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, []);
}
