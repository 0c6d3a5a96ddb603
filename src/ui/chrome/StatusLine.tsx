// The status line under the panels: the kernel's answer to the last action. A refusal is
// shown in red with its errno and stays until the next action; nothing covers the panels.
// Long answers wrap (up to a few lines, then the line scrolls) instead of being cut off, and
// its parts — the call and its return, what it did, the key hint — are set apart.

import { useStore } from '../store';
import { kbd } from './styles';

export function StatusLine() {
  const toast = useStore((s) => s.toast);
  const busy = useStore((s) => s.busy);
  const setToast = useStore((s) => s.setToast);
  const tone =
    toast?.tone === 'error'
      ? 'bg-rose-100 text-rose-950 border-rose-300 dark:bg-rose-950 dark:text-rose-50 dark:border-rose-800'
      : toast?.tone === 'ok'
        ? 'bg-emerald-50 text-emerald-950 border-emerald-200 dark:bg-emerald-950 dark:text-emerald-50 dark:border-emerald-900'
        : 'bg-white text-slate-700 border-slate-200 dark:bg-slate-900 dark:text-slate-200 dark:border-slate-800';
  return (
    <footer className={`flex min-h-7 shrink-0 items-start gap-2 border-t px-3 py-1 text-xs ${tone}`}>
      <div aria-live="polite" className="flex min-w-0 flex-1 items-start gap-2">
        {toast && (
          <p
            role={toast.tone === 'error' ? 'alert' : 'status'}
            data-testid="toast"
            data-tone={toast.tone}
            // Keyboard users can scroll a long refusal too.
            tabIndex={0}
            className="max-h-[3.9rem] min-w-0 overflow-y-auto rounded focus-visible:outline-2 focus-visible:outline-sky-500 leading-[1.3rem] [overflow-wrap:anywhere]"
          >
            <span aria-hidden="true" className="mr-1.5">{toast.tone === 'error' ? '✗' : toast.tone === 'ok' ? '✓' : '·'}</span>
            <span className="font-mono font-bold" data-testid="toast-title">{toast.title}</span>
            {toast.detail && (
              <>
                <span aria-hidden="true" className="mx-2 opacity-60">—</span>
                <span data-testid="toast-detail">{toast.detail}</span>
              </>
            )}
          </p>
        )}
      </div>
      {toast && (
        <button type="button" aria-label="Dismiss message" className="rounded px-1 leading-5 opacity-80 hover:opacity-100 focus-visible:outline-2 focus-visible:outline-sky-500" onClick={() => setToast(null)}>
          ×
        </button>
      )}
      <span className="shrink-0 border-l border-current/20 pl-2 text-[11px] leading-5 opacity-90">
        {busy ? 'engine working…' : <>press <kbd className={kbd}>?</kbd> for keys</>}
      </span>
    </footer>
  );
}
