// Earlier work: what a link, a file, a story or a restore replaced, kept in this browser
// (persist.ts `loadHistory`, newest first). Restoring one opens it like a link would, and the
// work it replaces joins the list, so nothing is lost either way.

import { useState } from 'react';
import { Modal } from '../chrome/Modal';
import { btn } from '../chrome/styles';
import { describeWork, restoreEarlier } from './open';
import { HISTORY_MAX, loadHistory, type HistoryEntry } from './persist';

function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return new Date(at).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
}

function HistoryDialog({ onClose }: { onClose: () => void }) {
  const [entries] = useState<HistoryEntry[]>(() => loadHistory());
  const now = Date.now();
  return (
    <Modal title="Earlier work" onClose={onClose}>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        Work that opening a link, a file or a story replaced, kept in this browser (the last {HISTORY_MAX}). Restoring one keeps what is on
        screen here too.
      </p>
      {entries.length === 0 ? (
        <p className="mt-2 text-xs italic text-slate-600 dark:text-slate-300" data-testid="history-empty">Nothing was replaced yet.</p>
      ) : (
        <ul className="mt-2 flex flex-col gap-1.5" aria-label="Earlier work">
          {entries.map((e) => (
            <li key={`${e.at}-${e.why}`} data-testid="history-entry" className="flex items-start gap-2 rounded-md border border-slate-300 bg-white p-2 dark:border-slate-700 dark:bg-slate-900">
              <div className="min-w-0 flex-1">
                <p className="text-xs font-semibold text-slate-800 dark:text-slate-100">{describeWork(e.work)}</p>
                <p className="text-[11px] text-slate-600 dark:text-slate-300">
                  {e.why} · {ago(e.at, now)}
                </p>
              </div>
              <button
                type="button"
                className={btn}
                onClick={() => {
                  onClose();
                  void restoreEarlier(e);
                }}
              >
                Restore
              </button>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}

/** The header's button for the earlier work (a clock), and its dialog. */
export function HistoryMenu() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={btn} aria-label="Earlier work" title="Earlier work: what links, files and stories replaced" onClick={() => setOpen(true)}>
        <svg viewBox="0 0 14 14" className="h-3.5 w-3.5" aria-hidden="true">
          <circle cx="7" cy="7" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
          <path d="M7 3.8V7l2.2 1.4" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
        </svg>
      </button>
      {open && <HistoryDialog onClose={() => setOpen(false)} />}
    </>
  );
}
