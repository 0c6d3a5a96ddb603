// Shared Tailwind class strings for the few primitives used everywhere.

export const btn =
  'inline-flex items-center gap-1 rounded border px-2 h-7 text-xs font-medium whitespace-nowrap ' +
  'border-slate-300 bg-white text-slate-800 hover:bg-slate-100 ' +
  'dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700 ' +
  'disabled:opacity-40 disabled:cursor-not-allowed disabled:hover:bg-white dark:disabled:hover:bg-slate-800 ' +
  'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-500';

export const btnPrimary =
  'inline-flex items-center gap-1 rounded border px-3 h-8 text-sm font-medium whitespace-nowrap ' +
  'border-sky-800 bg-sky-700 text-white hover:bg-sky-800 disabled:opacity-40 ' +
  'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-500';

export const btnGhost =
  'inline-flex items-center rounded px-1.5 h-6 text-xs text-slate-600 hover:bg-slate-200 ' +
  'dark:text-slate-300 dark:hover:bg-slate-700 disabled:opacity-40 ' +
  'focus-visible:outline-2 focus-visible:outline-sky-500';

export const input =
  'h-8 rounded border border-slate-300 bg-white px-2 text-sm text-slate-900 ' +
  'dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 ' +
  'focus-visible:outline-2 focus-visible:outline-sky-500';

export const kbd =
  'rounded border border-slate-300 bg-slate-100 px-1 font-mono text-[10px] text-slate-700 ' +
  'dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200';

export const mono = 'font-mono text-[11px] leading-[15px]';
