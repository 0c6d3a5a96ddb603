// The imported machine's long lists: the devices with their vectors by index, and every irq with its
// affinity. A capture of thousands of irqs on hundreds of CPUs draws only the rows in and near view
// (useWindowedRows, as the simulation's descriptor tables do); the rest are spacers of the same
// height, so the scroll bar, find-as-you-scroll and Tab (a focused row scrolls into view and the
// rows around it are drawn) behave as if every row were there. A row picked elsewhere (a cell of
// the heat map, a node of the tree) is scrolled into view.

import { useEffect, useMemo, useRef, type ReactNode, type RefObject } from 'react';
import { Panel } from '../chrome/Panel';
import { useWindowedRows } from '../panels/useWindowedRows';
import type { ImportedMachine } from '../../worker/protocol';
import { cpuList } from './adapters';
import { selectImported, useImport } from './store';

export const UNKNOWN = <span className="italic text-slate-500">unknown</span>;
const list = (l: number[] | null) => (l === null ? UNKNOWN : l.length ? cpuList(l) : <span className="text-slate-500">none</span>);
export const useMachine = () => useImport((s) => s.machine)!;

/** Past this many rows (or lines of device cards) a list draws only what is in view. */
export const WINDOW_FROM = 300;
/** Every line of a device card: its heading, its table's column heads, each vector, its note, the gap. */
const LINE_H = 18;

function IrqButton({ irq }: { irq: number }) {
  const selected = useImport((s) => s.selection.irq === irq);
  return (
    <button
      type="button"
      aria-pressed={selected}
      className="font-semibold text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-300"
      onClick={() => selectImported({ irq: selected ? null : irq, domain: null })}
    >
      {irq}
    </button>
  );
}

/** Scroll the panel body so that row `index` of a list (`rowH` high, from the top of `ref`) is in view, when it is not. */
function useRowInView(ref: RefObject<HTMLElement | null>, index: number, rowH: number, enabled: boolean) {
  useEffect(() => {
    const el = ref.current;
    const body = el?.closest<HTMLElement>('[data-panel-body]');
    if (!enabled || index < 0 || !el || !body) return;
    const b = body.getBoundingClientRect();
    const top = el.getBoundingClientRect().top + index * rowH;
    // The sticky column heads cover the top row or so.
    if (top < b.top + 2 * rowH || top + rowH > b.bottom) body.scrollTop += top - (b.top + b.height / 2);
    // Only a newly picked row is brought into view, not on every scroll.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [index, enabled]);
}

type Device = ImportedMachine['devices'][number];
type Irq = ImportedMachine['irqs'][number];

/** A device card as lines of LINE_H: where each of its parts starts in the whole list. */
interface Card {
  d: Device;
  /** Its first line (the heading) in the list. */
  at: number;
  /** Lines: heading, column heads, one per vector, the note (when some vectors have no handler), the gap. */
  n: number;
}

function cards(devices: readonly Device[]): { cards: Card[]; lines: number } {
  let at = 0;
  const out = devices.map((d) => {
    const c = { d, at, n: 2 + d.irqs.length + (d.withoutHandler.length ? 1 : 0) + 1 };
    at += c.n;
    return c;
  });
  return { cards: out, lines: at };
}

const line = { height: LINE_H };
const CELL = 'overflow-hidden text-ellipsis whitespace-nowrap pr-2';

/** One device card, drawing only its lines in [from, to) of the whole list. */
function DeviceCard({ c, from, to, first, byIrq, countedOn, selIrq, windowed }: {
  c: Card; from: number; to: number; first: boolean; byIrq: ReadonlyMap<number, Irq>; countedOn: (counts: readonly number[]) => string; selIrq: number | null; windowed: boolean;
}) {
  const { d, at } = c;
  const has = (k: number) => at + k >= from && at + k < to;
  const r0 = Math.max(0, from - at - 2);
  const r1 = Math.min(d.irqs.length, to - at - 2);
  const noteAt = 2 + d.irqs.length;
  return (
    <li aria-label={`Device ${d.bdf}`} data-testid="device" data-dev={d.bdf} className="px-2">
      {has(0) && (
        <header style={line} className={`flex items-center gap-2 overflow-hidden whitespace-nowrap ${first ? '' : 'border-t border-slate-200 dark:border-slate-800'}`}>
          <span className="font-mono text-xs font-semibold">{d.bdf}</span>
          <span className="text-xs text-slate-600 dark:text-slate-300">driver {d.driver ?? UNKNOWN}</span>
          {d.ids && <span className="font-mono text-[10.5px] text-slate-500">[{d.ids}]</span>}
          <span className="rounded bg-slate-100 px-1.5 font-mono text-[10.5px] leading-[15px] text-slate-700 dark:bg-slate-800 dark:text-slate-300">
            {d.kind === 'msix' ? 'MSI-X' : d.kind === 'msi' ? 'MSI' : 'MSI or MSI-X: unknown'} · {d.vectors} vector{d.vectors === 1 ? '' : 's'}
          </span>
        </header>
      )}
      {(has(1) || r1 > r0) && (
        <table className="w-full min-w-[26rem] table-fixed font-mono text-[11px] leading-[15px]" aria-rowcount={windowed ? d.irqs.length + 1 : undefined}>
          <colgroup>
            <col className="w-[3rem]" />
            <col className="w-[3.25rem]" />
            <col />
            <col className="w-[7rem]" />
            <col className="w-[5.5rem]" />
          </colgroup>
          {has(1) && (
            <thead className="text-left text-[10px] text-slate-500">
              <tr style={line} aria-rowindex={windowed ? 1 : undefined}>
                <th className="pr-2 text-right font-normal">index</th><th className="pr-2 text-right font-normal">irq</th><th className="pr-2 font-normal">action</th><th className="pr-2 font-normal">counts on</th><th className="font-normal">effective</th>
              </tr>
            </thead>
          )}
          <tbody>
            {d.irqs.slice(r0, r1).map((n, k) => {
              const i = byIrq.get(n)!;
              const on = i.counts ? countedOn(i.counts) : null;
              return (
                <tr key={n} style={line} data-testid="msi-entry" data-index={i.index ?? undefined} aria-rowindex={windowed ? r0 + k + 2 : undefined} aria-selected={selIrq === n} className={selIrq === n ? 'bg-amber-100 dark:bg-amber-900/40' : ''}>
                  <td className={CELL + ' text-right'}>{i.index ?? UNKNOWN}</td>
                  <td className={CELL + ' text-right'}><IrqButton irq={n} /></td>
                  <td className={CELL} title={i.actions.join(', ')}>{i.actions.join(', ') || <span className="text-slate-500">(none)</span>}</td>
                  <td className={CELL} title={on ?? undefined}>{on === null ? UNKNOWN : on || <span className="text-slate-500">–</span>}</td>
                  <td className={CELL}>{list(i.effective)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {d.withoutHandler.length > 0 && has(noteAt) && (
        <p style={line} className="overflow-hidden text-ellipsis whitespace-nowrap text-[10.5px] text-slate-600 dark:text-slate-400" title={`msi_irqs also lists ${d.withoutHandler.join(', ')}`}>
          msi_irqs also lists {d.withoutHandler.join(', ')} (no handler, so not in /proc/interrupts)
        </p>
      )}
      {has(c.n - 1) && <div aria-hidden="true" style={line} />}
    </li>
  );
}

/** The PCI functions with their vectors by index, like the Devices panel's descriptor tables. */
export function ImportedDevices() {
  const m = useMachine();
  const selIrq = useImport((s) => s.selection.irq);
  const byIrq = useMemo(() => new Map(m.irqs.map((i) => [i.irq, i])), [m]);
  const { cards: all, lines } = useMemo(() => cards(m.devices), [m]);
  const windowed = lines > WINDOW_FROM;
  const ref = useRef<HTMLUListElement>(null);
  const { from, to } = useWindowedRows(ref, lines, LINE_H, windowed, true);
  /** The CPUs (or, without a header, the columns) a row counted interrupts on, as a list. */
  const countedOn = (counts: readonly number[]) => {
    const ks = counts.flatMap((c, k) => (c > 0 ? [m.cpuIds ? m.cpuIds[k] : k + 1] : []));
    return ks.length ? `${m.cpuIds ? 'CPU' : 'col '}${cpuList(ks)}` : '';
  };
  const selLine = useMemo(() => {
    if (selIrq === null) return -1;
    const c = all.find((x) => x.d.irqs.includes(selIrq));
    return c ? c.at + 2 + c.d.irqs.indexOf(selIrq) : -1;
  }, [all, selIrq]);
  useRowInView(ref, selLine, LINE_H, windowed);
  const shown = all.filter((c) => c.at < to && c.at + c.n > from);
  const spacer = (n: number): ReactNode => (n > 0 ? <li aria-hidden="true" style={{ height: n * LINE_H }} /> : null);
  return (
    <Panel title="Devices" testId="devices" subtitle={`${m.devices.length} PCI function${m.devices.length === 1 ? '' : 's'} with MSI or MSI-X`}>
      {!m.devices.length && <p className="p-2 text-xs text-slate-500">No PCI function with MSI or MSI-X vectors in the input.</p>}
      <ul ref={ref} data-testid="import-devices" data-windowed={windowed || undefined} className="pt-1">
        {windowed && spacer(from)}
        {shown.map((c) => (
          <DeviceCard key={c.d.bdf} c={c} from={from} to={to} first={c.at === 0} byIrq={byIrq} countedOn={countedOn} selIrq={selIrq} windowed={windowed} />
        ))}
        {windowed && spacer(lines - to)}
      </ul>
    </Panel>
  );
}

/** Every irq: its chip, hwirq, trigger, actions, and its affinity and effective affinity. */
export function ImportedIrqs() {
  const m = useMachine();
  const selIrq = useImport((s) => s.selection.irq);
  const windowed = m.irqs.length > WINDOW_FROM;
  const body = useRef<HTMLTableSectionElement>(null);
  const { from, to, rowH } = useWindowedRows(body, m.irqs.length, 16, windowed);
  const selRow = useMemo(() => (selIrq === null ? -1 : m.irqs.findIndex((i) => i.irq === selIrq)), [m, selIrq]);
  useRowInView(body, selRow, rowH, windowed);
  const spacer = (n: number) => (n > 0 ? <tr aria-hidden="true" style={{ height: n * rowH }}><td colSpan={7} className="p-0" /></tr> : null);
  return (
    <Panel title="Interrupts and affinity" place="/proc/interrupts" subtitle={`${m.irqs.length} irq${m.irqs.length === 1 ? '' : 's'}`}>
      <table data-testid="import-irqs" data-windowed={windowed || undefined} aria-rowcount={windowed ? m.irqs.length + 1 : undefined} className={`w-full font-mono text-[11px] leading-[15px] [&_td]:pr-2 [&_th]:pr-2 ${windowed ? 'whitespace-nowrap' : ''}`}>
        <thead className="sticky top-0 z-[1] bg-white text-left text-[10px] text-slate-500 dark:bg-slate-900">
          <tr aria-rowindex={windowed ? 1 : undefined}><th className="font-normal">irq</th><th className="font-normal">chip</th><th className="font-normal">hwirq</th><th className="font-normal">trigger</th><th className="font-normal">actions</th><th className="font-normal">affinity</th><th className="font-normal">effective</th></tr>
        </thead>
        <tbody ref={body}>
          {windowed && spacer(from)}
          {m.irqs.slice(from, to).map((i, k) => (
            <tr key={i.irq} aria-rowindex={windowed ? from + k + 2 : undefined} style={windowed ? { height: rowH } : undefined} aria-selected={selIrq === i.irq} className={`border-t border-slate-100 dark:border-slate-800 ${selIrq === i.irq ? 'bg-amber-100 dark:bg-amber-900/40' : ''}`}>
              <td><IrqButton irq={i.irq} /></td>
              <td className="max-w-[8.5rem] truncate" title={i.chip ?? ''}>{i.chip ?? UNKNOWN}</td>
              <td>{i.hwirq ?? UNKNOWN}</td>
              <td>{i.trigger ?? UNKNOWN}</td>
              <td className="max-w-[7rem] truncate" title={i.actions.join(', ')}>{i.actions.join(', ') || (i.line === null ? <span className="text-slate-500">(not in /proc/interrupts)</span> : <span className="text-slate-500">(none)</span>)}</td>
              <td>{list(i.affinity)}</td>
              <td>{list(i.effective)}</td>
            </tr>
          ))}
          {windowed && spacer(m.irqs.length - to)}
        </tbody>
      </table>
    </Panel>
  );
}
