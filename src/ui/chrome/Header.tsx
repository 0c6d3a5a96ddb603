// The top bar: name, what machine this is, the machine picker, theme and help.

import { useStore } from '../store';
import { PRESETS, presetOf } from '../presets';
import { pickPreset } from '../store/commands';
import { deviceCounts, machineTitle } from '../format';
import { storyByName } from '../../scenario/stories';
import { btn, input } from './styles';
import { toggleTheme } from './theme';
import { resetLayout } from './layout';
import { ScenarioButtons } from '../share/ScenarioChrome';
import { useEffect, useRef, useState } from 'react';
import { useNarrow } from './narrow';
import { CompareButtons } from '../compare/CompareButtons';
import { KernelSelect } from '../kernel/KernelSelect';
import { HistoryMenu } from '../share/HistoryMenu';
import { OpenMachineButton } from '../import/OpenMachineEntry';
import { useImport } from '../import/store';

/** An imported machine is shown (src/ui/import): the simulated one is hidden behind it. */
const useImporting = () => useImport((s) => s.machine !== null);

function MachineSummary() {
  const view = useStore((s) => s.snapshot?.view);
  if (!view) return null;
  const online = view.cpus.filter((c) => c.online).length;
  const remap = view.arch === 'x86' ? (view.remap === 'intel-ir' ? 'Intel IR' : view.remap === 'amd-ir' ? 'AMD IR' : 'no remapping') : null;
  return (
    <p data-testid="machine-summary" className="min-w-0 truncate text-xs text-slate-700 dark:text-slate-300">
      <span className="font-medium">{view.arch}</span>
      {' · '}
      {view.cpus.length} CPU{view.cpus.length === 1 ? '' : 's'}{online !== view.cpus.length && <span className="text-amber-600 dark:text-amber-400"> ({online} online)</span>}
      {remap && <> · {remap}</>}
      {' · '}
      {deviceCounts(view.devices.filter((d) => d.kind !== 'subdevice').length, view.devices.filter((d) => d.kind === 'subdevice').length)}
    </p>
  );
}

/** The picker's entry for what is loaded when it is not one of its machines. */
const LOADED = '__loaded';
/** The picker's entry while an imported machine is shown. */
const IMPORTED = '__imported';

function MachinePicker() {
  const presetId = useStore((s) => s.presetId);
  const machine = useStore((s) => s.scenario?.machine ?? null);
  const storyName = useStore((s) => s.story);
  const importing = useImporting();
  const story = storyName ? storyByName(storyName) : undefined;
  // A story, a link or a file is loaded: the picker says so (a disabled entry, selected), and
  // picking a machine from it still switches (asking first when there are steps to lose).
  const loaded = presetId === null && machine !== null;
  // A link or a file: the machine by its name (the picker's, when it is one of its machines).
  const preset = loaded && !story ? presetOf(machine) : undefined;
  const label = !loaded ? '' : story ? `${machineTitle(machine)} (story)` : `${preset?.title ?? machineTitle(machine)} (opened)`;
  const title = importing
    ? 'An imported machine is shown. Pick a machine here to leave the import and boot it.'
    : !loaded
    ? 'Boot one of these machines'
    : story
      ? `The machine of the story “${story.title}”: ${machineTitle(machine)}. Pick a machine to leave the story.`
      : `A scenario opened from a link or a file: ${machineTitle(machine)}. Pick a machine to start afresh.`;
  return (
    <label className="flex items-center gap-1.5 text-xs text-slate-600 dark:text-slate-300">
      Machine
      <select
        aria-label="Machine"
        title={title}
        className={input + ' h-7 text-xs'}
        value={importing ? IMPORTED : presetId ?? (loaded ? LOADED : '')}
        onChange={(e) => {
          if (e.target.value !== LOADED && e.target.value !== IMPORTED) void pickPreset(e.target.value);
        }}
      >
        {importing && (
          <option value={IMPORTED} disabled>
            Imported machine
          </option>
        )}
        {presetId === null && !loaded && !importing && <option value="">choose…</option>}
        {loaded && !importing && (
          <option value={LOADED} disabled>
            {label}
          </option>
        )}
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Below 900 px the header's actions live in a menu (a button that opens them as a column). */
function useHeaderMenu(narrow: boolean) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!narrow) setOpen(false);
  }, [narrow]);
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('pointerdown', away);
    document.addEventListener('keydown', key);
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('keydown', key);
    };
  }, [open]);
  return { open, setOpen, ref, button };
}

export function Header() {
  const theme = useStore((s) => s.theme);
  const openDialog = useStore((s) => s.openDialog);
  const narrow = useNarrow();
  const menu = useHeaderMenu(narrow);
  // While an import is shown, what would act on the hidden simulated machine (its summary, Search,
  // Changes, side by side, Share, the kernel) is not offered; picking a machine or a story still
  // works, and leaves the import.
  const importing = useImporting();
  return (
    <header className="relative flex h-10 shrink-0 items-center gap-3 border-b border-slate-200 bg-white px-3 dark:border-slate-800 dark:bg-slate-900">
      <h1 className="flex shrink-0 items-center gap-1.5 text-sm font-bold tracking-tight">
        <img src="/favicon.svg" alt="" className="h-5 w-5" />
        irqscope
      </h1>
      {!importing && <MachineSummary />}
      {narrow && (
        <button
          ref={menu.button}
          type="button"
          className={`${btn} ml-auto shrink-0`}
          aria-expanded={menu.open}
          aria-controls="header-actions"
          onClick={() => menu.setOpen(!menu.open)}
        >
          <span aria-hidden="true">☰</span> Menu
        </button>
      )}
      <div
        ref={menu.ref}
        id="header-actions"
        data-testid="header-actions"
        // A click on one of its buttons (or a choice in its pickers) closes the menu.
        onClick={(e) => narrow && (e.target as Element).closest('button') && menu.setOpen(false)}
        onChange={() => narrow && menu.setOpen(false)}
        className={
          !narrow
            ? 'ml-auto flex items-center gap-2'
            : menu.open
              ? 'absolute right-2 top-10 z-40 flex max-w-[calc(100vw-1rem)] flex-col items-stretch gap-2 rounded-md border border-slate-300 bg-white p-2 shadow-xl dark:border-slate-700 dark:bg-slate-900'
              : 'hidden'
        }
      >
        <OpenMachineButton />
        {!importing && <CompareButtons />}
        <ScenarioButtons share={!importing} />
        <MachinePicker />
        {!importing && <KernelSelect />}
        <HistoryMenu />
        <button
          type="button"
          className={btn}
          aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
          onClick={toggleTheme}
        >
          <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
          {narrow && <span>{theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}</span>}
        </button>
        <button type="button" className={`${btn} ${narrow ? 'hidden' : ''}`} aria-label="Reset panel layout" title="Reset the panel layout (sizes and collapsed panels)" onClick={resetLayout}>
          <svg viewBox="0 0 14 14" className="h-3.5 w-3.5" aria-hidden="true">
            <rect x="1.5" y="1.5" width="11" height="11" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
            <path d="M1.5 5h11M6 5v7.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
          </svg>
        </button>
        <button type="button" className={btn} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => openDialog({ kind: 'help' })}>
          <span aria-hidden="true">?</span>
          {narrow && <span>Keyboard shortcuts</span>}
        </button>
      </div>
    </header>
  );
}
