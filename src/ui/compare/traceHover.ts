// Trace ↔ state: hovering or focusing a line of a call trace (any [data-trace-line] inside a
// [data-step] entry of the event log) lights what the engine says that line touched.

import { useCompare } from './store';
import { traceRefsOf } from './commands';

function lineAt(target: EventTarget | null): { step: number; line: string } | null {
  const el = target instanceof Element ? target.closest<HTMLElement>('[data-trace-line]') : null;
  if (!el) return null;
  const entry = el.closest<HTMLElement>('[data-step]');
  const step = Number(entry?.dataset.step);
  if (!entry || !Number.isInteger(step) || step < 1) return null;
  return { step, line: el.dataset.traceLine! };
}

export function installTraceHover(): () => void {
  let current = '';
  const show = (e: Event) => {
    const at = lineAt(e.target);
    const key = at ? `${at.step}/${at.line}` : '';
    if (key === current) return;
    current = key;
    if (!at) {
      if (useCompare.getState().litLine) useCompare.setState({ lit: [], litLine: null });
      return;
    }
    void traceRefsOf(at.step).then((refs) => {
      if (current !== key) return;
      useCompare.setState({ lit: refs?.[at.line] ?? [], litLine: key });
    });
  };
  document.addEventListener('mouseover', show);
  document.addEventListener('focusin', show);
  return () => {
    document.removeEventListener('mouseover', show);
    document.removeEventListener('focusin', show);
  };
}
