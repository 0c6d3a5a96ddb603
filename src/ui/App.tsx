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
import { installBrowserHistory } from './share/browserHistory';
import { useStore } from './store';
import { ImportHost, ImportView, useImportedMachine } from './import/ImportHost';
import { Banner } from './share/Banner';
import { LoadProgress } from './share/LoadProgress';
import { FileDrop, useLinks } from './share/ScenarioChrome';
import { TimelineBar } from './timeline/TimelineBar';
import { CompareArea, CompareOverlays, useCompareInstall } from './compare/install';
import { EmbedView } from './compare/Embed';
import { embedMode } from './compare/link';

/** ?embed: no chrome (compare/Embed.tsx). Fixed for the page's life. */
const EMBED = embedMode() !== null;

export function App() {
  return EMBED ? <EmbedApp /> : <FullApp />;
}

/** One story step, one scenario or one panel without the chrome; or the split view's other side. */
function EmbedApp() {
  useThemeClass();
  useEffect(() => installTravel(), []);
  useEffect(() => installTestHook(), []);
  useCompareInstall();
  return (
    <>
      <EmbedView />
      <Dialogs />
      <ContextMenuHost />
      <CompareOverlays />
    </>
  );
}

function FullApp() {
  useThemeClass();
  useShortcuts();
  useEffect(() => installTravel(), []);
  useEffect(() => installStoryFocus(), []);
  useEffect(() => installBrowserHistory(), []);
  useEffect(() => installTestHook(), []);
  useLinks();
  useCompareInstall();
  const loaded = useStore((s) => s.snapshot !== null);
  const imported = useImportedMachine();
  return (
    <div className="flex h-screen flex-col bg-slate-100 max-[899.98px]:h-auto max-[899.98px]:min-h-screen text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <Header />
      <Banner />
      <LoadProgress />
      {imported ? (
        <ImportView m={imported} />
      ) : loaded ? (
        <>
          <Toolbar />
          <TimelineBar />
          <CompareArea>
            <Workspace />
          </CompareArea>
          <PerfProbe />
          <StatusLine />
        </>
      ) : (
        <>
          <EmptyState />
          {/* the busy indicator and the answers (a cancelled or failed load) on the first screen too */}
          <StatusLine />
        </>
      )}
      <Dialogs />
      <ContextMenuHost />
      <FileDrop />
      <ImportHost />
      <CompareOverlays />
    </div>
  );
}
