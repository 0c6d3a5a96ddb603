// The page: header, actions bar, and the panels on one laptop screen (chrome/Workspace.tsx).

import { useEffect } from 'react';
import { Dialogs } from './dialogs/Dialogs';
import { EmptyState } from './EmptyState';
import { ContextMenuHost } from './chrome/ContextMenu';
import { Header } from './chrome/Header';
import { PerfProbe } from './chrome/PerfProbe';
import { StatusLine } from './chrome/StatusLine';
import { installTestHook } from './chrome/testHook';
import { Toolbar } from './chrome/Toolbar';
import { useShortcuts } from './chrome/useShortcuts';
import { useThemeClass } from './chrome/theme';
import { Workspace } from './chrome/Workspace';
import { installTravel } from './travel/player';
import { installStoryFocus } from './scenarios/storyFocus';
import { useStore } from './store';
import { ImportHost, ImportView, useImportedMachine } from './import/ImportHost';
import { Banner } from './share/Banner';
import { FileDrop, useLinks } from './share/ScenarioChrome';
import { TimelineBar } from './timeline/TimelineBar';

export function App() {
  useThemeClass();
  useShortcuts();
  useEffect(() => installTravel(), []);
  useEffect(() => installStoryFocus(), []);
  useEffect(() => installTestHook(), []);
  useLinks();
  const loaded = useStore((s) => s.snapshot !== null);
  const imported = useImportedMachine();
  return (
    <div className="flex h-screen flex-col bg-slate-100 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <Header />
      <Banner />
      {imported ? (
        <ImportView m={imported} />
      ) : loaded ? (
        <>
          <Toolbar />
          <TimelineBar />
          <Workspace />
          <PerfProbe />
          <StatusLine />
        </>
      ) : (
        <EmptyState />
      )}
      <Dialogs />
      <ContextMenuHost />
      <FileDrop />
      <ImportHost />
    </div>
  );
}
