// The frame every panel sits in: a titled region that scrolls its content.

import type { ReactNode } from 'react';

interface PanelProps {
  title: string;
  /** Short grey text after the title (a path, a count). */
  subtitle?: ReactNode;
  /** Buttons on the right of the title bar. */
  tools?: ReactNode;
  className?: string;
  bodyClassName?: string;
  testId?: string;
  children: ReactNode;
}

export function Panel({ title, subtitle, tools, className = '', bodyClassName = '', testId, children }: PanelProps) {
  return (
    <section
      aria-label={title}
      data-testid={testId}
      className={`flex min-h-0 min-w-0 flex-col overflow-hidden rounded-md border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900 ${className}`}
    >
      <header className="flex h-7 shrink-0 items-center gap-2 border-b border-slate-200 bg-slate-50 px-2 dark:border-slate-800 dark:bg-slate-900/60">
        <h2 className="text-xs font-semibold tracking-wide text-slate-700 dark:text-slate-200">{title}</h2>
        {subtitle !== undefined && (
          <span className="min-w-0 truncate font-mono text-[11px] text-slate-500 dark:text-slate-400">{subtitle}</span>
        )}
        {tools && <div className="ml-auto flex shrink-0 items-center gap-1">{tools}</div>}
      </header>
      <div className={`min-h-0 flex-1 overflow-auto ${bodyClassName}`}>{children}</div>
    </section>
  );
}
