// Trace ↔ state: hovering or focusing a line of a call trace (any [data-trace-line] inside a
// [data-step] entry of the event log) lights what the engine says that line touched — for a call,
// its domain and what its own effects touched (walking a trace focuses its calls: TraceWalk.tsx).

import type { ObjectRef } from '../../worker/protocol';
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

/**
 * What a line lights: an effect line what it names; a call line its domain and what its own
 * effects name (the IRTE it rewrote, the vector it took), not its callees'.
 */
export function lineRefs(refs: Record<string, ObjectRef[]> | null, line: string): ObjectRef[] {
  if (!refs) return [];
  const own = refs[line] ?? [];
  if (line.includes(':e')) return own;
  const out = [...own];
  const seen = new Set(out.map((r) => JSON.stringify(r)));
  for (let j = 0; refs[`${line}:e${j}`]; j++) {
    for (const r of refs[`${line}:e${j}`]) {
      const k = JSON.stringify(r);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(r);
      }
    }
  }
  return out;
}

export function installTraceHover(): () => void {
  let current = '';
  const show = (e: Event) => {
    // The pointer leaving the trace (or a scroll moving it) goes back to the focused line, if any.
    const at = lineAt(e.target) ?? (e.type === 'mouseover' ? lineAt(document.activeElement) : null);
    const key = at ? `${at.step}/${at.line}` : '';
    if (key === current) return;
    current = key;
    if (!at) {
      if (useCompare.getState().litLine) useCompare.setState({ lit: [], litLine: null });
      return;
    }
    void traceRefsOf(at.step).then((refs) => {
      if (current !== key) return;
      useCompare.setState({ lit: lineRefs(refs, at.line), litLine: key });
    });
  };
  document.addEventListener('mouseover', show);
  document.addEventListener('focusin', show);
  return () => {
    document.removeEventListener('mouseover', show);
    document.removeEventListener('focusin', show);
  };
}
