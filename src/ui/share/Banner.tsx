// The banner above the panels: a link or file that could not be opened (what was wrong, field
// by field), or the note that opening something replaced the previous work, with "Undo open".
// It stays until dismissed; it never covers the panels.

import { useEffect } from 'react';
import { btn } from '../chrome/styles';
import { useStore } from '../store';
import { downloadDamagedWork, exportJson, undoOpen } from './open';

/**
 * "Undo open" belongs to the work it was made for: once that work changes (an action, another
 * machine, a story, an undo), the banner and the work it would bring back go. Nothing is lost:
 * the switch itself is an entry of the edit history (Ctrl+Z).
 */
function useUndoOpenFollowsWork(): void {
  useEffect(() => {
    let madeFor: unknown = null;
    return useStore.subscribe((s, prev) => {
      const undoBanner = !!s.banner?.actions?.includes('undoOpen');
      if (undoBanner && s.banner !== prev.banner) madeFor = s.scenario;
      else if (undoBanner && s.scenario !== madeFor) {
        madeFor = null;
        useStore.setState({ previousWork: null, banner: null });
      }
    });
  }, []);
}

export function Banner() {
  useUndoOpenFollowsWork();
  const banner = useStore((s) => s.banner);
  const setBanner = useStore((s) => s.setBanner);
  const hasPrevious = useStore((s) => s.previousWork !== null);
  if (!banner) return null;
  const error = banner.tone === 'error';
  return (
    <div
      role={error ? 'alert' : 'status'}
      data-testid="banner"
      data-tone={banner.tone}
      className={`flex shrink-0 items-start gap-3 border-b px-3 py-1.5 text-xs ${
        error
          ? 'border-rose-300 bg-rose-50 text-rose-950 dark:border-rose-900 dark:bg-rose-950/60 dark:text-rose-100'
          : 'border-sky-200 bg-sky-50 text-sky-950 dark:border-sky-900 dark:bg-sky-950/60 dark:text-sky-100'
      }`}
    >
      <span aria-hidden="true" className="mt-px font-bold">{error ? '⚠' : 'ℹ'}</span>
      <div className="min-w-0 flex-1">
        <p className="font-semibold" data-testid="banner-title">{banner.title}</p>
        {banner.detail && (
          <pre data-testid="banner-detail" className="mt-0.5 max-h-24 overflow-auto whitespace-pre-wrap font-mono text-[11px] leading-snug [overflow-wrap:anywhere]">
            {banner.detail}
          </pre>
        )}
      </div>
      <div className="flex shrink-0 items-center gap-1.5">
        {banner.actions?.includes('undoOpen') && hasPrevious && (
          <button type="button" className={btn} onClick={() => void undoOpen()}>
            Undo open
          </button>
        )}
        {banner.actions?.includes('downloadDamaged') && (
          <button
            type="button"
            className={btn}
            title="Save the damaged entry as a file (then it is no longer kept in the browser)"
            onClick={() => {
              downloadDamagedWork();
              setBanner({ tone: 'info', title: 'The damaged saved work was downloaded', detail: 'irqscope-damaged-saved-work.json: fix it and open it with Import, or drop it on the page.' });
            }}
          >
            Download
          </button>
        )}
        {banner.actions?.includes('exportJson') && (
          <button type="button" className={btn} onClick={exportJson}>
            Export JSON
          </button>
        )}
        <button type="button" className={btn} aria-label="Dismiss banner" title="Dismiss" onClick={() => setBanner(null)}>
          ✕
        </button>
      </div>
    </div>
  );
}
