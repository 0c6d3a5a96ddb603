// The frame every panel sits in: a titled region that scrolls its content. Panels the
// workspace arranges can be collapsed to their title bar (remembered with the layout).

import type { ReactNode } from 'react';
import { isPanelId, toggleCollapsed, toggleMaximised, useLayout, type PanelId } from './layout';

interface PanelProps {
  title: string;
  /** Short grey text after the title (a path, a count). */
  subtitle?: ReactNode;
  /** Buttons on the right of the title bar. */
  tools?: ReactNode;
  className?: string;
  bodyClassName?: string;
  testId?: string;
  /**
   * The workspace's place the panel fills, when its title is not the place's name (an imported
   * machine's "Per-CPU counts" in the vector map's place): its DOM id (the splitters' aria-controls),
   * collapsing and maximising follow the place.
   */
  place?: PanelId;
  /** Its body takes the keyboard focus (Tab), so that a body of text only can be scrolled with the keys. */
  focusableBody?: boolean;
  children: ReactNode;
}

/** The DOM id of a panel's region, for aria-controls. */
export function panelDomId(title: string): string {
  return `panel-${title.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase()}`;
}

/** ▾ open, ▸ collapsed (a glyph, not an SVG: the tree panel's drawing is its only svg). */
function Chevron({ open }: { open: boolean }) {
  return (
    <span aria-hidden="true" className={`inline-block w-2.5 text-center text-[10px] leading-none transition-transform motion-reduce:transition-none ${open ? '' : '-rotate-90'}`}>
      ▾
    </span>
  );
}

export function Panel({ title, subtitle, tools, className = '', bodyClassName = '', testId, place, focusableBody = false, children }: PanelProps) {
  const key = place ?? title;
  const collapsible = isPanelId(key);
  const collapsed = useLayout((s) => (collapsible ? !!s.collapsed[key] : false));
  const maximised = useLayout((s) => collapsible && s.maximised === key);
  const id = panelDomId(key);
  return (
    <section
      id={id}
      aria-label={title}
      data-testid={testId}
      data-collapsed={collapsed || undefined}
      data-maximised={maximised || undefined}
      className={`flex min-h-0 min-w-0 flex-col overflow-hidden rounded-md border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900 ${className}`}
    >
      <header
        className="flex h-7 shrink-0 items-center gap-2 border-b border-slate-200 bg-slate-50 px-2 dark:border-slate-800 dark:bg-slate-900/60"
        // Double-click the title bar: this panel alone over the workspace, and back.
        onDoubleClick={collapsible ? (e) => { if (!(e.target as Element).closest('a,input,select,textarea')) toggleMaximised(key); } : undefined}
        title={collapsible ? `Double-click to ${maximised ? 'restore the layout' : `show ${title} alone`}` : undefined}
      >
        {collapsible ? (
          <h2 className="-ml-1 shrink-0 whitespace-nowrap text-xs font-semibold tracking-wide text-slate-700 dark:text-slate-200">
            <button
              type="button"
              aria-expanded={!collapsed}
              aria-controls={`${id}-body`}
              title={`${collapsed ? 'Expand' : 'Collapse'} ${title}`}
              onClick={() => toggleCollapsed(key)}
              className="flex items-center gap-1.5 rounded px-1 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-sky-500 dark:hover:bg-slate-700"
            >
              <span className="text-slate-500 dark:text-slate-400"><Chevron open={!collapsed} /></span>
              {title}
            </button>
          </h2>
        ) : (
          <h2 className="shrink-0 whitespace-nowrap text-xs font-semibold tracking-wide text-slate-700 dark:text-slate-200">{title}</h2>
        )}
        {subtitle !== undefined && (
          <span className="min-w-0 truncate font-mono text-[11px] text-slate-500 dark:text-slate-400">{subtitle}</span>
        )}
        {tools && !collapsed && <div className="ml-auto flex shrink-0 items-center gap-1">{tools}</div>}
      </header>
      {/* contain: content keeps a change inside one panel (a moving token, a progress bar) from
          making the browser walk every other panel's DOM: with thousands of descriptor rows and
          log entries that walk alone cost 50 ms a frame. (Fixed-position popups inside a panel
          must therefore be portalled to <body>.) */}
      <div
        id={`${id}-body`}
        data-panel-body
        hidden={collapsed}
        tabIndex={focusableBody ? 0 : undefined}
        className={`min-h-0 flex-1 overflow-auto [contain:content] ${focusableBody ? 'focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-500' : ''} ${bodyClassName}`}
      >
        {children}
      </div>
    </section>
  );
}
