// While a long load replays its steps: how far it has got, and Cancel (the worker is stopped and
// the work on screen stays). Shown on the first screen and over the workspace alike.

import { useEffect, useState } from 'react';
import { onLoadProgress } from '../../worker/client';
import type { LoadProgress as LoadProgressInfo } from '../../worker/protocol';
import { btn } from '../chrome/styles';
import { cancelRunningLoad } from '../store/cancelLoad';

export function LoadProgress() {
  const [p, setP] = useState<LoadProgressInfo | null>(null);
  useEffect(() => onLoadProgress(setP), []);
  if (!p) return null;
  const pct = p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : 0;
  return (
    <div data-testid="load-progress" role="status" className="flex shrink-0 items-center gap-3 border-b border-sky-200 bg-sky-50 px-3 py-1 text-xs text-sky-950 dark:border-sky-900 dark:bg-sky-950/60 dark:text-sky-100">
      <span className="shrink-0 font-semibold">Loading</span>
      <progress
        aria-label="Steps replayed"
        max={p.total}
        value={p.done}
        className="h-2 min-w-0 flex-1 overflow-hidden rounded [&::-webkit-progress-bar]:bg-sky-200 [&::-webkit-progress-value]:bg-sky-600 dark:[&::-webkit-progress-bar]:bg-sky-900 dark:[&::-webkit-progress-value]:bg-sky-400"
      />
      <span className="shrink-0 font-mono tabular-nums" data-testid="load-progress-text">
        step {p.done.toLocaleString('en-US')} / {p.total.toLocaleString('en-US')} ({pct}%)
      </span>
      <button type="button" className={btn} onClick={() => void cancelRunningLoad()} title="Stop the engine and keep the work on screen">
        Cancel
      </button>
    </div>
  );
}
