// One search box over everything in the shown state and the call traces (`/` or Ctrl+K): irq 25,
// IRTE 18, LPI 8194, 0xfee00258, nvme0q3, a BDF, a domain, a kernel function. The engine finds
// (worker `search`); picking a hit selects its interrupt, domain or device (and CPU), or goes to
// the step whose trace has the call. Functions link to Elixir at the machine's kernel version.

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { engine } from '../../worker/client';
import type { SearchHit } from '../../worker/protocol';
import { btn, kbd } from '../chrome/styles';
import { useStore } from '../store';
import { gotoStep, select } from '../store/commands';
import { elixirIdentUrl, useElixirTag } from '../compare/elixir';
import { useCompare } from '../compare/store';
import { useImport } from '../import/store';
import { create } from 'zustand';

const useSearch = create<{ open: boolean }>()(() => ({ open: false }));

export function openSearch(): void {
  useSearch.setState({ open: true });
}

/** Pick a hit: what a click or Enter on it does. */
export async function pickHit(h: SearchHit): Promise<void> {
  const t = h.target;
  if (t.step !== undefined && t.step !== useStore.getState().snapshot?.step) await gotoStep(t.step);
  if (t.cpu !== undefined) useStore.getState().selectCpu(t.cpu);
  if (t.select) await select(t.select);
  useCompare.setState({ lit: t.ref ? [t.ref] : [], litLine: t.line && t.step ? `${t.step}/${t.line}` : null });
}

const KIND: Record<SearchHit['kind'], string> = {
  irq: 'irq', domain: 'domain', device: 'device', msi: 'MSI', msix: 'MSI-X', ims: 'IMS', irte: 'IRTE', lpi: 'LPI',
  vector: 'vector', cpu: 'CPU', 'its-device': 'ITS', function: 'function', trace: 'trace',
};

function Palette() {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const tag = useElixirTag();
  const inputRef = useRef<HTMLInputElement>(null);
  const step = useStore((s) => s.snapshot?.step);
  useEffect(() => inputRef.current?.focus(), []);
  useEffect(() => {
    let live = true;
    const q = query.trim();
    if (!q) {
      setHits([]);
      return;
    }
    setBusy(true);
    const t = setTimeout(() => {
      void engine().search(q, 40).then((h) => {
        if (!live) return;
        setHits(h);
        setActive(0);
        setBusy(false);
      }).catch(() => live && setBusy(false));
    }, 60);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [query, step]);
  const close = () => useSearch.setState({ open: false });
  const choose = (h: SearchHit | undefined) => {
    if (!h) return;
    close();
    void pickHit(h);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, Math.min(hits.length - 1, a + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(hits[active]);
    }
  };
  return (
    <div className="fixed inset-0 z-40 flex items-start justify-center bg-slate-900/30 pt-[10vh]" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div role="dialog" aria-modal="true" aria-label="Search" data-testid="search" className="w-[560px] max-w-[94vw] overflow-hidden rounded-lg border border-slate-300 bg-white shadow-2xl dark:border-slate-700 dark:bg-slate-900" onKeyDown={onKey}>
        <input
          ref={inputRef}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls="search-results"
          aria-activedescendant={hits.length ? `search-hit-${active}` : undefined}
          aria-label="Search the state and the call traces"
          placeholder="irq 25 · IRTE 18 · LPI 8194 · 0xfee00258 · nvme0q3 · 0000:3d:00.0 · intel_ir_set_affinity"
          className="h-10 w-full border-b border-slate-200 bg-transparent px-3 font-mono text-sm outline-none placeholder:text-slate-400 dark:border-slate-700"
        />
        <ul id="search-results" role="listbox" className="max-h-[60vh] overflow-auto py-1" data-testid="search-results">
          {hits.map((h, i) => {
            const fn = h.kind === 'function' ? h.title.replace(/\(\)$/, '') : null;
            const url = fn ? elixirIdentUrl(fn, tag) : null;
            return (
              <li
                key={i}
                id={`search-hit-${i}`}
                role="option"
                aria-selected={i === active}
                data-testid="search-hit"
                data-kind={h.kind}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(h)}
                className={`flex cursor-pointer items-baseline gap-2 px-3 py-1 text-[12px] ${i === active ? 'bg-sky-100 dark:bg-sky-900/50' : ''}`}
              >
                <span className="w-14 shrink-0 text-right text-[10px] font-semibold uppercase tracking-wide text-slate-500">{KIND[h.kind]}</span>
                <span className="min-w-0 flex-1 truncate font-mono text-slate-900 dark:text-slate-100">{h.title}</span>
                <span className="max-w-[45%] truncate text-[11px] text-slate-500">{h.detail}</span>
                {url && (
                  <a href={url} target="_blank" rel="noopener noreferrer" onClick={(e) => e.stopPropagation()} className="shrink-0 text-[11px] text-sky-700 hover:underline dark:text-sky-300" title={`${fn} in Elixir at ${tag}`}>
                    Elixir ↗
                  </a>
                )}
              </li>
            );
          })}
          {query.trim() && !busy && hits.length === 0 && <li className="px-3 py-2 text-[12px] italic text-slate-500">Nothing in this step’s state or the call traces kept matches “{query.trim()}”.</li>}
          {!query.trim() && (
            <li className="px-3 py-2 text-[11px] text-slate-500">
              Searches the shown step: interrupts, domains, devices, MSI/MSI-X entries, IRTEs, LPIs, vectors, CPUs, and the calls of the recent steps’ traces. <kbd className={kbd}>↑</kbd> <kbd className={kbd}>↓</kbd> choose, <kbd className={kbd}>Enter</kbd> go, <kbd className={kbd}>Esc</kbd> close.
            </li>
          )}
        </ul>
      </div>
    </div>
  );
}

/** The palette when open, and its keys: `/` (outside text fields) and Ctrl+K / ⌘K. */
export function SearchHost() {
  const open = useSearch((s) => s.open);
  const loaded = useStore((s) => s.snapshot !== null);
  const importing = useImport((s) => s.machine !== null);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName));
      if (((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') || (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey)) {
        // An imported machine is shown: there is no state of it to search (the simulated one is hidden).
        if (!useStore.getState().snapshot || useImport.getState().machine) return;
        e.preventDefault();
        e.stopPropagation();
        useSearch.setState({ open: true });
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return open && loaded && !importing ? createPortal(<Palette />, document.body) : null;
}

/** The header's search button. */
export function SearchButton() {
  const loaded = useStore((s) => s.snapshot !== null);
  if (!loaded) return null;
  return (
    <button type="button" className={btn + ' text-slate-500'} onClick={openSearch} aria-label="Search (/ or Ctrl+K)" title="Search the state and the traces (/ or Ctrl+K)" data-testid="search-button">
      <span aria-hidden="true">⌕</span> Search <kbd className={kbd}>/</kbd>
    </button>
  );
}
