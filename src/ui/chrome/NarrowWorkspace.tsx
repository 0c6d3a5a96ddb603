// The workspace of a narrow window or a phone: one column, the panels as tabs (a tab list that
// scrolls sideways on its own; the page never does). The tab shown is remembered for the visit.

import { useState, type KeyboardEvent, type ReactNode } from 'react';
import { MapArea } from '../panels/MapArea';
import { useStore } from '../store';
import { PanelBoundary } from './PanelBoundary';
import type { PanelId, TopPanelId } from './layout';
import type { WorkspaceContent } from './Workspace';

type Lower = Exclude<PanelId, TopPanelId>;

const SHORT: Record<string, string> = {
  'Vector map': 'Vectors', 'GICv3 ITS': 'ITS', 'Domain tree': 'Tree', Devices: 'Devices', Inspector: 'Inspector',
  Propagation: 'Journey', '/proc/interrupts': '/proc', 'Event log': 'Log',
};
const ORDER: Lower[] = ['Devices', 'Domain tree', 'Propagation', 'Inspector', '/proc/interrupts', 'Event log'];
const KEY = 'irqscope.tab';

function storedTab(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function NarrowWorkspace({ panels, content }: { panels: Record<Lower, () => ReactNode>; content?: WorkspaceContent }) {
  const storeTop: TopPanelId = useStore((s) => (s.snapshot?.view.arch === 'arm64' ? 'GICv3 ITS' : 'Vector map'));
  const topId = content?.topId ?? storeTop;
  const Top = content?.top ?? MapArea;
  const name = (t: string) => content?.tabs?.[t as PanelId] ?? SHORT[t];
  const tabs: string[] = [...ORDER.slice(0, 3), topId, ...ORDER.slice(3)];
  const [tab, setTab] = useState<string>(() => {
    const t = storedTab();
    return t && (SHORT[t] !== undefined) ? t : 'Devices';
  });
  const shown = tabs.includes(tab) ? tab : tab === 'Vector map' || tab === 'GICv3 ITS' ? topId : 'Devices';
  const pick = (t: string) => {
    setTab(t);
    try {
      sessionStorage.setItem(KEY, t);
    } catch {
      /* private mode */
    }
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = tabs.indexOf(shown);
    const next = e.key === 'ArrowRight' ? (i + 1) % tabs.length : e.key === 'ArrowLeft' ? (i - 1 + tabs.length) % tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    e.stopPropagation();
    pick(tabs[next]);
    document.getElementById(`tab-${SHORT[tabs[next]]}`)?.focus();
  };
  return (
    <main tabIndex={-1} className="flex min-h-[78vh] min-w-0 flex-1 flex-col outline-none" data-testid="workspace" data-narrow>
      <div role="tablist" aria-label="Panels" data-own-keys onKeyDown={onKey} className="flex shrink-0 gap-1 overflow-x-auto border-b border-slate-200 bg-white px-1.5 pt-1 dark:border-slate-800 dark:bg-slate-900">
        {tabs.map((t) => (
          <button
            key={t}
            id={`tab-${SHORT[t]}`}
            type="button"
            role="tab"
            aria-selected={t === shown}
            aria-controls="narrow-panel"
            tabIndex={t === shown ? 0 : -1}
            title={t}
            onClick={() => pick(t)}
            className={`shrink-0 rounded-t border-x border-t px-2.5 py-1.5 text-xs font-medium focus-visible:outline-2 focus-visible:outline-sky-500 ${
              t === shown
                ? 'border-slate-300 bg-slate-100 text-slate-900 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-50'
                : 'border-transparent text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'
            }`}
          >
            {name(t)}
          </button>
        ))}
      </div>
      <div id="narrow-panel" role="tabpanel" aria-labelledby={`tab-${SHORT[shown]}`} className="flex min-h-0 min-w-0 flex-1 flex-col p-1 [&>section]:flex-1" data-cell={shown}>
        <PanelBoundary name={shown}>{shown === topId ? <Top /> : panels[shown as Lower]()}</PanelBoundary>
      </div>
    </main>
  );
}
