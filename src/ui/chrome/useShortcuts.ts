// Global keyboard shortcuts, from the command catalog. Inactive while a dialog is open or
// while typing in a form field.

import { useEffect } from 'react';
import { COMMANDS } from '../actionsCatalog';
import { useStore } from '../store';
import { select } from '../store/commands';

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
      if (e.key === 'Escape') {
        if (s.toast) s.setToast(null);
        else if (s.selection || s.selectedCpu !== null) {
          s.selectCpu(null);
          void select(null);
        }
        return;
      }
      const cmd = COMMANDS.find((c) => c.key === e.key);
      if (!cmd) return;
      e.preventDefault();
      if (cmd.enabled(s)) cmd.run(s);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
