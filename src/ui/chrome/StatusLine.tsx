// The status line under the panels: the kernel's answer to the last action. A refusal is
// shown in red with its errno and stays until the next action; nothing covers the panels.

import { useStore } from '../store';
import { kbd } from './styles';

export function StatusLine() {
  const toast = useStore((s) => s.toast);
  const busy = useStore((s) => s.busy);
  const setToast = useStore((s) => s.setToast);
  const tone =
    toast?.tone === 'error'
      ? 'bg-rose-100 text-rose-900 border-rose-300 dark:bg-rose-950 dark:text-rose-100 dark:border-rose-800'
      : toast?.tone === 'ok'
        ? 'bg-emerald-50 text-emerald-900 border-emerald-200 dark:bg-emerald-950/60 dark:text-emerald-100 dark:border-emerald-900'
        : 'bg-white text-slate-600 border-slate-200 dark:bg-slate-900 dark:text-slate-300 dark:border-slate-800';
  return (
    <footer className={`flex h-7 shrink-0 items-center gap-2 border-t px-3 text-xs ${tone}`}>
      <div aria-live="polite" className="flex min-w-0 flex-1 items-center gap-2">
        {toast && (
          <p
            role={toast.tone === 'error' ? 'alert' : 'status'}
            data-testid="toast"
            data-tone={toast.tone}
            className="min-w-0 truncate"
            title={toast.detail ? `${toast.title}: ${toast.detail}` : toast.title}
          >
            <span aria-hidden="true" className="mr-1.5">{toast.tone === 'error' ? '✗' : toast.tone === 'ok' ? '✓' : '·'}</span>
            <span className="font-mono font-bold">{toast.title}</span>
            {toast.detail && <span className="ml-2">{toast.detail}</span>}
          </p>
        )}
      </div>
      {toast && (
        <button type="button" aria-label="Dismiss message" className="rounded px-1 leading-none opacity-70 hover:opacity-100 focus-visible:outline-2 focus-visible:outline-sky-500" onClick={() => setToast(null)}>
          ×
        </button>
      )}
      <span className="shrink-0 text-[11px] text-slate-500 dark:text-slate-400">
        {busy ? 'engine working…' : <>press <kbd className={kbd}>?</kbd> for keys</>}
      </span>
    </footer>
  );
}
