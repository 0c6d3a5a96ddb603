// Global keyboard shortcuts, from the command catalog. Inactive while a dialog is open or
// while typing in a form field. While an imported machine is shown, the catalog's keys (which
// change or step the simulated machine hidden behind it) do nothing: `?` opens the help, and
// Escape clears the import's own selection.

import { useEffect } from 'react';
import { COMMANDS } from '../actionsCatalog';
import { useStore } from '../store';
import { select } from '../store/commands';
import { clearImportSelection, useImport } from '../import/store';

function typing(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName);
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useStore.getState();
      if (s.dialog || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (e.key === '?') {
        e.preventDefault();
        s.openDialog({ kind: 'help' });
        return;
      }
      const importing = useImport.getState().machine !== null;
      if (e.key === 'Escape') {
        if (importing) clearImportSelection();
        else if (s.toast) s.setToast(null);
        else if (s.selection || s.selectedCpu !== null) {
          s.selectCpu(null);
          void select(null);
        }
        return;
      }
      if (importing) return;
      const cmd = COMMANDS.find((c) => c.key === e.key);
      if (!cmd) return;
      e.preventDefault();
      if (cmd.enabled(s)) cmd.run(s);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
