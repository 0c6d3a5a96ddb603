// The keyboard shortcuts, listed from the command catalog.

import { COMMANDS, keyLabel } from '../actionsCatalog';
import { Modal } from '../chrome/Modal';
import { kbd } from '../chrome/styles';
import { TIMELINE_KEYS } from '../timeline/playback';
import { useImport } from '../import/store';

const EXTRA = [
  { key: '?', label: 'This help' },
  { key: 'Escape', label: 'Close a dialog, dismiss the message, clear the selection (an imported machine’s too)' },
  { key: 'Tab', label: 'Move between controls; Enter or Space on a domain, a /proc row or a step selects it' },
  { key: 'Shift+F10', label: 'Context menu on a domain, an irq row or the focused vector map' },
  { key: '← → ↑ ↓', label: 'Resize panels from a focused splitter (Shift: faster)' },
];

const GROUP_TITLE: Record<string, string> = {
  device: 'Device', irq: 'Selected interrupt', cpu: 'CPU', step: 'Time line', select: 'Selection',
  ims: 'PCI/IMS (v6.2–v6.9, removed in 2024)', subdev: 'Subdevice MSI parents (proposal, 2024)', driver: 'Drivers',
};


/** Keys that are not catalog commands: the key as written, and what it does. */
function KeyRows({ entries }: { entries: readonly { key: string; label: string }[] }) {
  return entries.map((e) => (
    <div key={e.key} className="contents">
      <dt><kbd className={kbd}>{e.key}</kbd></dt>
      <dd>{e.label}</dd>
    </div>
  ));
}

export function HelpDialog({ onClose }: { onClose: () => void }) {
  const groups = [...new Set(COMMANDS.map((c) => c.group))];
  const importing = useImport((s) => s.machine !== null);
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} wide>
      <p data-testid="help-import-note" className={`mb-3 rounded border px-2 py-1.5 text-xs ${importing ? 'border-amber-400 bg-amber-50 text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-50' : 'border-slate-300 text-slate-700 dark:border-slate-700 dark:text-slate-300'}`}>
        {importing ? 'An imported machine is shown: ' : 'While an imported machine is shown, '}
        the keys of every group below but General (they call the kernel, step the time line or pick an interrupt) and{' '}
        <kbd className={kbd}>/</kbd> (search) do nothing: they would act on the simulated machine hidden behind it. <kbd className={kbd}>Escape</kbd> clears
        the import’s selection.{importing ? ' Go back to the machine, or continue the import as a simulation, to use them.' : ''}
      </p>
      <div className="grid grid-cols-1 gap-x-6 gap-y-3 min-[640px]:grid-cols-2">
        {groups.map((g) => (
          <section key={g}>
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{GROUP_TITLE[g]}</h3>
            <dl className="grid grid-cols-[4.5rem_1fr] gap-y-1 text-xs">
              {COMMANDS.filter((c) => c.group === g).map((c) => (
                <div key={c.id} className="contents">
                  <dt><kbd className={kbd}>{keyLabel(c.key)}</kbd></dt>
                  <dd title={c.title} className="[overflow-wrap:anywhere]">{c.label} <span className="text-slate-500">· {c.title.split(':')[0]}</span></dd>
                </div>
              ))}
              {g === 'step' && <KeyRows entries={TIMELINE_KEYS} />}
            </dl>
          </section>
        ))}
        <section>
          <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">General</h3>
          <dl className="grid grid-cols-[4.5rem_1fr] gap-y-1 text-xs">
            <KeyRows entries={EXTRA} />
          </dl>
        </section>
      </div>
    </Modal>
  );
}
