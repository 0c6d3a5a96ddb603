// The Changes panel: the engine's diff of the shown step against the previous one (or any step,
// or the paired machine at this step), grouped by kind of kernel object, before → after. Clicking
// a change selects it; hovering lights it in the panels. Below: the lines of this step's call trace
// that touched the selected object.

import { useMemo, useState } from 'react';
import type { Change, ChangeKind, ObjectRef } from '../../worker/protocol';
import { btnGhost, input } from '../chrome/styles';
import { useStore } from '../store';
import { pairingLabel, setCompareOpen, setCompareWith } from './commands';
import { pickRef } from './pick';
import { useCompare } from './store';
import { TouchedLines } from './TouchedLines';

/** The order and headings of the kinds (as the engine lists them). */
const KINDS: [ChangeKind, string][] = [
  ['domain', 'irq domains'], ['irq', 'irq descriptors'], ['device', 'devices'], ['msi', 'MSI descriptors'], ['msix', 'MSI-X table'],
  ['ims', 'IMS slots'], ['devres', 'devres'], ['irte', 'IRTEs'], ['vector', 'vectors per CPU'], ['cpu', 'CPUs'], ['matrix', 'vector matrix'],
  ['its-device', 'ITS device table'], ['itt', 'ITS ITT entries'], ['collection', 'ITS collections'], ['its-cmd', 'ITS commands'],
  ['proc', '/proc/interrupts'], ['debugfs', 'debugfs'], ['dmesg', 'kernel log'],
];
const SIGN: Record<Change['op'], string> = { added: '+', changed: '~', removed: '−' };
const TONE: Record<Change['op'], string> = {
  added: 'text-emerald-700 dark:text-emerald-400',
  changed: 'text-amber-700 dark:text-amber-400',
  removed: 'text-rose-700 dark:text-rose-400',
};

function refAttrs(r: ObjectRef): Record<string, string | number> {
  return r.kind === 'irte' ? { 'data-irte': r.index } : {};
}

function ChangeRow({ c }: { c: Change }) {
  const [open, setOpen] = useState(false);
  const many = c.fields.length > 3;
  const fields = open || !many ? c.fields : c.fields.slice(0, 3);
  return (
    <li
      data-testid="change"
      data-change-id={c.id}
      data-op={c.op}
      data-change-virq={c.virq}
      {...refAttrs(c.ref)}
      className="border-b border-slate-100 px-2 py-0.5 dark:border-slate-800"
      onMouseEnter={() => useCompare.setState({ lit: [c.ref] })}
      onMouseLeave={() => useCompare.setState({ lit: [] })}
    >
      <button
        type="button"
        className="flex w-full items-baseline gap-1.5 text-left font-mono text-[11px] focus-visible:outline-2 focus-visible:outline-sky-500"
        onClick={() => pickRef(c.ref, c.virq)}
        onFocus={() => useCompare.setState({ lit: [c.ref] })}
        onBlur={() => useCompare.setState({ lit: [] })}
        title="Select it"
      >
        <span className={`w-2 shrink-0 font-bold ${TONE[c.op]}`} aria-label={c.op}>{SIGN[c.op]}</span>
        <span className="font-semibold text-slate-800 dark:text-slate-100">{c.label}</span>
        {c.op !== 'changed' && <span className={`text-[10px] ${TONE[c.op]}`}>{c.op}</span>}
      </button>
      <ul className="pl-3.5 font-mono text-[10.5px] leading-[14px] text-slate-600 dark:text-slate-300">
        {fields.map((f, i) => (
          <li key={i} className="truncate" title={`${f.field}: ${f.before} → ${f.after}`}>
            <span className="text-slate-500">{f.field}: </span>
            {c.op === 'added' ? f.after : c.op === 'removed' ? f.before : (
              <>
                <span className="text-rose-700 line-through decoration-rose-400/60 dark:text-rose-300">{f.before || '∅'}</span>
                {' → '}
                <span className="text-emerald-800 dark:text-emerald-300">{f.after || '∅'}</span>
              </>
            )}
          </li>
        ))}
        {many && (
          <li>
            <button type="button" className="text-sky-700 hover:underline dark:text-sky-300" onClick={() => setOpen(!open)}>
              {open ? 'fewer' : `${c.fields.length - 3} more field${c.fields.length - 3 === 1 ? '' : 's'}…`}
            </button>
          </li>
        )}
      </ul>
    </li>
  );
}

/** Kinds folded by default: the texts repeat the objects above them. */
const FOLDED: ChangeKind[] = ['debugfs', 'proc'];

function Group({ kind, title, changes }: { kind: ChangeKind; title: string; changes: Change[] }) {
  const [open, setOpen] = useState(!FOLDED.includes(kind));
  const LIMIT = 200;
  const [all, setAll] = useState(false);
  const shown = all ? changes : changes.slice(0, LIMIT);
  return (
    <section data-testid="change-group" data-kind={kind}>
      <h3 className="sticky top-0 z-[1] flex items-center border-b border-slate-200 bg-slate-50 px-1 text-[11px] font-semibold text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-200">
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className="flex-1 rounded px-1 py-0.5 text-left hover:bg-slate-200 dark:hover:bg-slate-800">
          {open ? '▾' : '▸'} {title} <span className="font-normal text-slate-500">({changes.length})</span>
        </button>
      </h3>
      {open && (
        <ul>
          {shown.map((c) => <ChangeRow key={c.id} c={c} />)}
          {changes.length > shown.length && (
            <li className="px-2 py-1"><button type="button" className={btnGhost} onClick={() => setAll(true)}>show all {changes.length}</button></li>
          )}
        </ul>
      )}
    </section>
  );
}

function WithPicker() {
  const w = useCompare((s) => s.with);
  const pairing = useCompare((s) => s.pairing);
  const n = useStore((s) => s.scenario?.actions.length ?? 0);
  const step = useStore((s) => s.snapshot?.step ?? 0);
  const value = w.kind === 'step' ? 'step' : w.kind;
  return (
    <div className="flex flex-wrap items-center gap-1.5 border-b border-slate-200 px-2 py-1 text-[11px] dark:border-slate-800">
      <label className="flex items-center gap-1">
        step {step} against
        <select
          aria-label="Compare with"
          className={input + ' h-6 px-1 text-[11px]'}
          value={value}
          onChange={(e) => {
            const v = e.target.value;
            setCompareWith(v === 'pair' ? { kind: 'pair' } : v === 'step' ? { kind: 'step', step: Math.max(0, step - 1) } : { kind: 'previous' });
          }}
        >
          <option value="previous">the previous step</option>
          <option value="step">step…</option>
          {pairing && <option value="pair">the paired machine ({pairingLabel(pairing)})</option>}
        </select>
      </label>
      {w.kind === 'step' && (
        <input
          aria-label="Step to compare with"
          type="number"
          min={0}
          max={n}
          value={w.step}
          onChange={(e) => setCompareWith({ kind: 'step', step: Math.max(0, Math.min(n, Number(e.target.value) || 0)) })}
          className={input + ' h-6 w-16 px-1 text-[11px]'}
        />
      )}
    </div>
  );
}

export function ChangesPanel() {
  const diff = useCompare((s) => s.diff);
  const busy = useCompare((s) => s.busy);
  const error = useCompare((s) => s.error);
  const groups = useMemo(() => {
    if (!diff) return [];
    const by = new Map<ChangeKind, Change[]>();
    for (const c of diff.changes) {
      const l = by.get(c.kind);
      if (l) l.push(c);
      else by.set(c.kind, [c]);
    }
    return KINDS.filter(([k]) => by.has(k)).map(([k, title]) => ({ kind: k, title, changes: by.get(k)! }));
  }, [diff]);
  return (
    <aside
      aria-label="Changes"
      data-testid="changes-panel"
      data-busy={busy || undefined}
      className="flex min-h-0 w-[340px] shrink-0 flex-col overflow-hidden rounded-md border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <header className="flex h-7 shrink-0 items-center gap-2 border-b border-slate-200 bg-slate-50 px-2 dark:border-slate-800 dark:bg-slate-900/60">
        <h2 className="text-xs font-semibold tracking-wide text-slate-700 dark:text-slate-200">Changes</h2>
        {diff && (
          <span data-testid="changes-counts" className="truncate font-mono text-[11px] text-slate-500 dark:text-slate-400" title={`${diff.a.label} → ${diff.b.label}`}>
            <span className="text-emerald-700 dark:text-emerald-400">+{diff.counts.added}</span>{' '}
            <span className="text-amber-700 dark:text-amber-400">~{diff.counts.changed}</span>{' '}
            <span className="text-rose-700 dark:text-rose-400">−{diff.counts.removed}</span>
          </span>
        )}
        {busy && <span className="text-[10px] text-slate-400">…</span>}
        <button type="button" className={btnGhost + ' ml-auto'} aria-label="Close the Changes panel" onClick={() => setCompareOpen(false)}>✕</button>
      </header>
      <WithPicker />
      <div className="min-h-0 flex-1 overflow-auto" data-testid="changes-list">
        {error && <p className="p-2 text-[11px] text-rose-700">{error}</p>}
        {diff && diff.changes.length === 0 && <p className="p-2 text-[11px] italic text-slate-500">No change: {diff.a.label} and {diff.b.label} are the same state.</p>}
        {diff?.notes.map((n, i) => <p key={i} className="px-2 py-0.5 text-[10.5px] italic text-slate-500">{n}</p>)}
        {groups.map((g) => <Group key={g.kind} {...g} />)}
      </div>
      <TouchedLines />
    </aside>
  );
}
