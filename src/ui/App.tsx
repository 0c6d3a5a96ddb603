// The page: header, actions bar, and the six panels on one laptop screen.

import { Dialogs } from './dialogs/Dialogs';
import { EmptyState } from './EmptyState';
import { Header } from './chrome/Header';
import { PanelBoundary } from './chrome/PanelBoundary';
import { StatusLine } from './chrome/StatusLine';
import { Toolbar } from './chrome/Toolbar';
import { useShortcuts } from './chrome/useShortcuts';
import { useThemeClass } from './chrome/theme';
import { DevicesPanel } from './panels/DevicesPanel';
import { DomainTreePanel } from './panels/DomainTreePanel';
import { EventLogPanel } from './panels/EventLogPanel';
import { InspectorPanel } from './panels/InspectorPanel';
import { ProcInterruptsPanel } from './panels/ProcInterruptsPanel';
import { VectorMapPanel } from './panels/VectorMapPanel';
import { useStore } from './store';

function Workspace() {
  return (
    <main className="flex min-h-0 flex-1 flex-col gap-1.5 p-1.5">
      <div className="max-h-[36vh] shrink-0 overflow-hidden [&>section]:max-h-[36vh]">
        <PanelBoundary name="Vector map">
          <VectorMapPanel />
        </PanelBoundary>
      </div>
      <div className="grid min-h-0 flex-1 grid-cols-[minmax(0,1fr)_minmax(0,0.78fr)_minmax(0,1.4fr)] grid-rows-[minmax(0,1fr)_minmax(0,1fr)] gap-1.5">
        <PanelBoundary name="Domain tree">
          <DomainTreePanel />
        </PanelBoundary>
        <div className="row-span-2 flex min-h-0 flex-col">
          <PanelBoundary name="Inspector">
            <InspectorPanel />
          </PanelBoundary>
        </div>
        <PanelBoundary name="/proc/interrupts">
          <ProcInterruptsPanel />
        </PanelBoundary>
        <PanelBoundary name="Devices">
          <DevicesPanel />
        </PanelBoundary>
        <PanelBoundary name="Event log">
          <EventLogPanel />
        </PanelBoundary>
      </div>
    </main>
  );
}

export function App() {
  useThemeClass();
  useShortcuts();
  const loaded = useStore((s) => s.snapshot !== null);
  return (
    <div className="flex h-screen flex-col bg-slate-100 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <Header />
      {loaded ? (
        <>
          <Toolbar />
          <Workspace />
          <StatusLine />
        </>
      ) : (
        <EmptyState />
      )}
      <Dialogs />
    </div>
  );
}
