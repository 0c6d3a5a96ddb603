// PCI functions with their capabilities, bound driver, devres list and MSI descriptor stores (one
// xarray per device domain id), gaps included, the MSI-X table rows in use (with the subdevice
// that owns a row), the IMS table, and each function's subdevices nested under it with their own
// MSI parent, store and driver.

import { useMemo, useRef, useState } from 'react';
import { contextMenuHandlers } from '../chrome/ContextMenu';
import { Panel } from '../chrome/Panel';
import { btnGhost } from '../chrome/styles';
import { deviceCounts, gaps, hex } from '../format';
import { useStore } from '../store';
import { runAction, select } from '../store/commands';
import { runCommand } from '../actionsCatalog';
import type { DeviceView, DomainView, MsiEntryView, MsiStoreView, TraceNode } from '../../worker/protocol';
import { EraBadge } from './EraBadge';
import { RoadDevices } from './RoadDevices';
import { ImsSection } from './ImsPanel';
import { useWindowedRows } from './useWindowedRows';

const tool = btnGhost + ' h-5 border border-slate-300 dark:border-slate-600';

function Caps({ dev }: { dev: DeviceView }) {
  const caps: string[] = [];
  if (dev.msixCap) caps.push(`MSI-X ${dev.msixCap.tableSize} entries${dev.msixCap.enabled ? ' · enabled' : ''}${dev.msixCap.maskAll ? ' · maskall' : ''}`);
  if (dev.msiCap) {
    const c = dev.msiCap;
    caps.push(`MSI ${c.vectors} vec${c.maskable ? ' · maskable' : ''}${c.addr64 ? ' · 64-bit' : ' · 32-bit'}${c.enabled ? ` · enabled (MME ${c.mme})` : ''}`);
  }
  if (dev.ims) caps.push(`IMS ${dev.ims.size} entries · ${dev.ims.storage === 'queue' ? 'queue memory' : 'device memory'}`);
  if (caps.length === 0 && dev.kind === 'subdevice') return null;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="capabilities">
      {caps.map((c) => (
        <li key={c} className="rounded bg-slate-100 px-1.5 font-mono text-[10.5px] text-slate-700 dark:bg-slate-800 dark:text-slate-300">{c}</li>
      ))}
      {caps.length === 0 && <li className="text-[11px] text-slate-500">no MSI capabilities</li>}
    </ul>
  );
}

function Flag({ on, label, title, tone }: { on: boolean; label: string; title: string; tone: string }) {
  return on ? (
    <span title={title} className={`rounded px-1 text-[10px] font-semibold ${tone}`}>{label}</span>
  ) : (
    <span className="text-slate-300 dark:text-slate-600" aria-hidden="true">·</span>
  );
}

/** Past this many rows a descriptor or MSI-X table draws only the rows in view (useWindowedRows). */
const WINDOW_FROM = 300;
/** The height of a row of a windowed table (a row with its ⚡ button; measured, this is the first guess). */
const ROW_H = 24;
/** The same for the MSI-X table's rows (text only). */
const MSIX_ROW_H = 15;

interface RowProps {
  dev: DeviceView;
  e: MsiEntryView;
  selected: boolean;
  raisable: boolean;
  showHi: boolean;
  /** Windowed tables: the row's 1-based number (the header is row 1) and its height. */
  fixed?: Fixed;
}

type Fixed = { index: number; h: number };

function EntryRow({ dev, e, selected, raisable, showHi, fixed }: RowProps) {
  const virqs = e.virq === 0 ? '—' : e.nvecUsed > 1 ? `${e.virq}–${e.virq + e.nvecUsed - 1}` : String(e.virq);
  // Right click, or the context-menu key on the row's buttons: the interrupt's commands.
  const menu = contextMenuHandlers(() => (e.virq ? { kind: 'irq', virq: e.virq } : null));
  return (
    <tr
      data-testid="msi-entry"
      data-index={e.index}
      aria-selected={selected}
      aria-rowindex={fixed?.index}
      style={fixed ? { height: fixed.h } : undefined}
      onContextMenu={menu.onContextMenu}
      onKeyDown={(ev) => void menu.onKeyDown(ev)}
      onClick={() => e.virq && void select({ kind: 'irq', virq: e.virq })}
      className={`cursor-pointer ${selected ? 'bg-amber-100 dark:bg-amber-900/40' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
    >
      <td className="pr-2 text-right">{e.index}</td>
      <td className="pr-2 text-right">
        <button type="button" className="font-semibold text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-300" disabled={!e.virq} onClick={(ev) => { ev.stopPropagation(); if (e.virq) void select({ kind: 'irq', virq: e.virq }); }}>
          {virqs}
        </button>
      </td>
      {showHi && <td className="pr-2">{hex(e.addressHi)}</td>}
      <td className="pr-2">{hex(e.addressLo)}</td>
      <td className="pr-2">{hex(e.data)}</td>
      <td className="pr-1 text-center"><Flag on={e.masked} label="M" title="masked" tone="bg-amber-200 text-amber-900 dark:bg-amber-800 dark:text-amber-100" /></td>
      <td className="pr-1 text-center"><Flag on={e.pending} label="P" title="pending" tone="bg-rose-200 text-rose-900 dark:bg-rose-800 dark:text-rose-100" /></td>
      <td className="pr-1 text-center"><Flag on={e.managed} label="A" title="managed (affinity spread)" tone="bg-violet-200 text-violet-900 dark:bg-violet-800 dark:text-violet-100" /></td>
      <td>
        {raisable && <button
          type="button"
          className={btnGhost + ' h-5'}
          aria-label={`raise ${dev.name} index ${e.index}`}
          title={`raise: ${dev.name} writes message ${e.index}`}
          onClick={(ev) => {
            ev.stopPropagation();
            void runAction({ op: 'raise', dev: dev.name, index: e.index });
          }}
        >
          ⚡
        </button>}
      </td>
    </tr>
  );
}

function GapRow({ from, to, cols, fixed }: { from: number; to: number; cols: number; fixed?: Fixed }) {
  const n = to - from + 1;
  return (
    <tr data-testid="msi-gap" aria-rowindex={fixed?.index} style={fixed ? { height: fixed.h } : undefined} className="text-slate-400 dark:text-slate-500">
      <td className="pr-2 text-right">{from === to ? from : `${from}–${to}`}</td>
      <td colSpan={cols - 1} className="italic">
        {n === 1 ? 'free index' : `${n} free indices`}
      </td>
    </tr>
  );
}

/** Stands in for the rows of a windowed table that are out of view. */
function Spacer({ rows, rowH, cols }: { rows: number; rowH: number; cols: number }) {
  if (rows <= 0) return null;
  return (
    <tr aria-hidden="true" style={{ height: rows * rowH }}>
      <td colSpan={cols} className="p-0" />
    </tr>
  );
}

type StoreRow = { at: number; entry: MsiEntryView } | { at: number; gap: [number, number] };

function StoreTable({ dev, store, era, selectedVirq }: { dev: DeviceView; store: MsiStoreView; era: DomainView['era'] | undefined; selectedVirq: number | null }) {
  const { entries, rows, showHi } = useMemo(() => {
    const entries = [...store.entries].sort((a, b) => a.index - b.index);
    // A subdevice's index space is its parent's MSI-X table: list only the rows it uses.
    const holes = dev.kind === 'subdevice' ? [] : gaps(entries.map((e) => e.index), store.hwsize);
    const rows: StoreRow[] = [
      ...entries.map((entry) => ({ at: entry.index, entry })),
      ...holes.map((gap) => ({ at: gap[0], gap })),
    ].sort((x, y) => x.at - y.at);
    return { entries, rows, showHi: entries.some((x) => x.addressHi !== 0) };
  }, [store, dev.kind]);
  const cols = showHi ? 9 : 8;
  // The IMS descriptors' messages are raised from the IMS table (raise … domain "ims").
  const raisable = !(dev.ims && store.domain !== null && store.domain === dev.ims.domain);
  const windowed = rows.length > WINDOW_FROM;
  const body = useRef<HTMLTableSectionElement>(null);
  const { from, to, rowH } = useWindowedRows(body, rows.length, ROW_H, windowed);
  return (
    <div className="mt-1.5" data-testid="msi-store" data-domid={store.domid}>
      <p className="flex flex-wrap items-center gap-x-1.5 font-mono text-[10.5px] text-slate-600 dark:text-slate-400">
        <span>domid {store.domid} · {store.domain ?? 'no domain'} · hwsize {store.hwsize} · {entries.length} desc</span>
        <EraBadge era={era} />
      </p>
      {rows.length > 0 && (
        <table className={`mt-0.5 font-mono text-[11px] leading-[16px] ${windowed ? 'whitespace-nowrap' : ''}`} aria-rowcount={windowed ? rows.length + 1 : undefined}>
          <thead className="text-left text-[10px] text-slate-500">
            <tr aria-rowindex={windowed ? 1 : undefined}>
              <th className="pr-2 text-right font-normal">idx</th>
              <th className="pr-2 text-right font-normal">virq</th>
              {showHi && <th className="pr-2 font-normal">addr_hi</th>}
              <th className="pr-2 font-normal">addr_lo</th>
              <th className="pr-2 font-normal">data</th>
              <th className="pr-1 font-normal" title="masked">M</th>
              <th className="pr-1 font-normal" title="pending">P</th>
              <th className="pr-1 font-normal" title="managed">A</th>
              <th className="font-normal"><span className="sr-only">raise</span></th>
            </tr>
          </thead>
          <tbody ref={body}>
            {windowed && <Spacer rows={from} rowH={rowH} cols={cols} />}
            {rows.slice(from, to).map((r, k) => {
              const fixed = windowed ? { index: from + k + 2, h: rowH } : undefined;
              if ('gap' in r) return <GapRow key={`g${r.at}`} from={r.gap[0]} to={r.gap[1]} cols={cols} fixed={fixed} />;
              const e = r.entry;
              const selected = selectedVirq !== null && e.virq <= selectedVirq && selectedVirq < e.virq + Math.max(1, e.nvecUsed);
              return <EntryRow key={`e${e.index}`} dev={dev} e={e} raisable={raisable} showHi={showHi} selected={selected} fixed={fixed} />;
            })}
            {windowed && <Spacer rows={rows.length - to} rowH={rowH} cols={cols} />}
          </tbody>
        </table>
      )}
    </div>
  );
}

function MsixRow({ dev, r, fixed }: { dev: DeviceView; r: DeviceView['msixTable'][number]; fixed?: Fixed }) {
  return (
    <tr data-testid="msix-row" data-row={r.index} data-owner={r.owner ?? dev.name} aria-rowindex={fixed?.index} style={fixed ? { height: fixed.h } : undefined} className={r.owner ? 'bg-violet-50 dark:bg-violet-950/40' : ''}>
      <td className="pr-2 text-right">{r.index}</td>
      <td className="pr-2">{r.addressHi ? `${hex(r.addressHi)}_${hex(r.addressLo).slice(2)}` : hex(r.addressLo)}</td>
      <td className="pr-2">{hex(r.data)}</td>
      <td className="pr-2">{r.masked ? 'masked' : '0'}</td>
      <td className="pr-2">{r.pending ? 'pending' : ''}</td>
      <td className={r.owner ? 'font-semibold text-violet-700 dark:text-violet-300' : 'text-slate-400'}>{r.owner ?? 'itself'}</td>
    </tr>
  );
}

function MsixTable({ dev }: { dev: DeviceView }) {
  const owned = dev.msixTable.filter((r) => r.owner);
  const owners = [...new Set(owned.map((r) => r.owner as string))];
  const rows = dev.msixTable;
  const windowed = rows.length > WINDOW_FROM;
  // A long table is drawn only while it is open (a closed <details> shows none of its rows).
  const [open, setOpen] = useState(owned.length > 0);
  const body = useRef<HTMLTableSectionElement>(null);
  const { from, to, rowH } = useWindowedRows(body, rows.length, MSIX_ROW_H, windowed && open);
  if (!dev.msixCap) return null;
  const shown = !windowed ? rows : open ? rows.slice(from, to) : [];
  return (
    <details className="mt-1.5" open={owned.length > 0 || undefined} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer text-[11px] text-slate-600 dark:text-slate-400">
        MSI-X table: {dev.msixTable.length} of {dev.msixCap.tableSize} rows in use
        {owners.length > 0 && <> · {owned.length} used by {owners.join(', ')}</>}
      </summary>
      <table className={`mt-0.5 font-mono text-[11px] leading-[15px] ${windowed ? 'whitespace-nowrap' : ''}`} data-testid="msix-table" aria-rowcount={windowed ? rows.length + 1 : undefined}>
        <thead className="text-left text-[10px] text-slate-500">
          <tr aria-rowindex={windowed ? 1 : undefined}>
            <th className="pr-2 text-right font-normal">row</th>
            <th className="pr-2 font-normal">msg addr</th>
            <th className="pr-2 font-normal">msg data</th>
            <th className="pr-2 font-normal">vector ctrl</th>
            <th className="pr-2 font-normal">PBA</th>
            <th className="font-normal" title="The device whose interrupt uses this row">owner</th>
          </tr>
        </thead>
        <tbody ref={body}>
          {windowed && open && <Spacer rows={from} rowH={rowH} cols={6} />}
          {shown.map((r, k) => <MsixRow key={r.index} dev={dev} r={r} fixed={windowed ? { index: from + k + 2, h: rowH } : undefined} />)}
          {windowed && open && <Spacer rows={rows.length - to} rowH={rowH} cols={6} />}
        </tbody>
      </table>
    </details>
  );
}

/** The devres_release_all() of this device in a step's call trace: what it released, newest first. */
function released(trace: readonly TraceNode[], dev: string): string[] | null {
  for (const n of trace) {
    if (n.fn === 'devres_release_all' && n.domain === dev) return n.children.map((c) => c.fn);
    const inner = released(n.children, dev);
    if (inner) return inner;
  }
  return null;
}

/** The device's devres list (oldest first, newest last) and what the shown step released. */
function Devres({ dev }: { dev: DeviceView }) {
  const trace = useStore((s) => {
    const step = s.snapshot?.step ?? 0;
    return step > 0 ? s.records[step - 1]?.result.trace : undefined;
  });
  const step = useStore((s) => s.snapshot?.step ?? 0);
  const gone = trace ? released(trace, dev.name) : null;
  if (dev.devres.length === 0 && !gone && dev.intxLost === 0) return null;
  return (
    <div className="mt-1 text-[10.5px]" data-testid="devres">
      {dev.devres.length > 0 && (
        <div className="flex flex-wrap items-baseline gap-x-1 gap-y-0.5">
          <span className="text-slate-500" title="devres: released in reverse order when the driver unbinds (or its probe fails)">devres (newest last):</span>
          <ol className="contents">
            {dev.devres.map((r, i) => (
              <li key={`${i}-${r}`} data-testid="devres-item" className="whitespace-nowrap rounded bg-slate-100 px-1 font-mono text-slate-700 dark:bg-slate-800 dark:text-slate-300">
                <span className="text-slate-400">{i + 1}.</span> {r}
              </li>
            ))}
          </ol>
        </div>
      )}
      {gone && gone.length > 0 && (
        <p data-testid="devres-released" className="mt-0.5 font-mono text-emerald-700 dark:text-emerald-400">
          step {step} released {gone.length} devres, newest first: {gone.join(' → ')}
        </p>
      )}
      {dev.intxLost > 0 && <p className="mt-0.5 font-mono text-slate-500">INTx lost: {dev.intxLost}</p>}
    </div>
  );
}

function DriverBadge({ dev }: { dev: DeviceView }) {
  const openDialog = useStore((s) => s.openDialog);
  return (
    <span className="ml-auto flex shrink-0 items-center gap-1 text-[11px]">
      <span
        data-testid="driver"
        className={dev.driver ? 'rounded bg-emerald-100 px-1 font-mono font-semibold text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300' : 'text-slate-500'}
        title={dev.driver ? `bound to ${dev.driver}` : 'no driver bound'}
      >
        {dev.driver ?? 'no driver'}
      </span>
      {dev.driver ? (
        <button type="button" className={tool} aria-label={`unbind ${dev.name}`} title={`driver_unbind(${dev.name})`} onClick={() => void runAction({ op: 'driver_unbind', dev: dev.name })}>
          unbind
        </button>
      ) : (
        <button type="button" className={tool} aria-label={`bind a driver to ${dev.name}`} title={`driver_bind(${dev.name}, …)`} onClick={() => openDialog({ kind: 'driver', op: 'driver_bind', dev: dev.name })}>
          bind…
        </button>
      )}
    </span>
  );
}

/** The subdevice's next step in the proposal, as one button (the dialog has them all). */
function SubdevTools({ dev, parentIsMsiParent }: { dev: DeviceView; parentIsMsiParent: boolean }) {
  const openDialog = useStore((s) => s.openDialog);
  const hasDomain = dev.stores.some((s) => s.domain);
  let next: React.ReactNode = null;
  if (!dev.msiParent && parentIsMsiParent) {
    next = <button type="button" className={tool} onClick={() => void runAction({ op: 'pci_msi_init_subdevice', subdev: dev.name })} title={`pci_msi_init_subdevice(${dev.name})`}>init</button>;
  } else if (dev.msiParent && !hasDomain) {
    next = <button type="button" className={tool} onClick={() => void runAction({ op: 'pci_msi_create_subdevice_irq_domain', subdev: dev.name })} title={`pci_msi_create_subdevice_irq_domain(${dev.name})`}>create domain</button>;
  } else if (hasDomain) {
    next = <button type="button" className={tool} onClick={() => openDialog({ kind: 'subdev', op: 'pci_subdev_msix_alloc_at', dev: dev.name })} title={`pci_subdev_msix_alloc_at(${dev.name}, …)`}>+ interrupt…</button>;
  }
  return (
    <span className="flex gap-0.5">
      {next}
      <button type="button" className={btnGhost + ' h-5'} onClick={() => openDialog({ kind: 'subdev', dev: dev.name })} title="All subdevice calls, with their arguments">calls…</button>
    </span>
  );
}

interface CardProps {
  dev: DeviceView;
  selected: (name: string) => boolean;
  selectedVirq: number | null;
  domains: readonly DomainView[];
  subs: readonly DeviceView[];
  parentIsMsiParent?: boolean;
}

function eraOf(domains: readonly DomainView[], name: string | null): DomainView['era'] | undefined {
  return name ? domains.find((d) => d.name === name)?.era : undefined;
}

/** The device's name in its card's header: selects the device. */
function DeviceNameButton({ name, selected }: { name: string; selected: boolean }) {
  return (
    <button
      type="button"
      className="font-mono text-xs font-bold text-slate-900 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-slate-100"
      aria-pressed={selected}
      onClick={() => void select({ kind: 'device', name })}
    >
      {name}
    </button>
  );
}

function SubdeviceCard({ dev, selected, selectedVirq, domains, parentIsMsiParent = false }: Omit<CardProps, 'subs'>) {
  const sel = selected(dev.name);
  return (
    <article
      data-testid="subdevice"
      data-dev={dev.name}
      aria-label={`subdevice ${dev.name}`}
      className={`ml-2 mt-1.5 border-l-2 border-violet-400 py-1 pl-2 dark:border-violet-600 ${sel ? 'bg-sky-50 dark:bg-sky-950/40' : ''}`}
    >
      <header className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
        <span aria-hidden="true" className="text-violet-500">↳</span>
        <DeviceNameButton name={dev.name} selected={sel} />
        <span className="text-[11px] text-slate-500">subdevice</span>
        <DriverBadge dev={dev} />
      </header>
      <p className="mt-0.5 flex flex-wrap items-center gap-x-1.5 font-mono text-[10.5px] text-slate-500">
        <span>MSI parent: {dev.msiParent ?? 'none'}</span>
        <SubdevTools dev={dev} parentIsMsiParent={parentIsMsiParent} />
      </p>
      {dev.stores.map((s) => (
        <StoreTable key={s.domid} dev={dev} store={s} era={eraOf(domains, s.domain)} selectedVirq={selectedVirq} />
      ))}
      <Devres dev={dev} />
    </article>
  );
}

function DeviceCard({ dev, selected, selectedVirq, domains, subs }: CardProps) {
  const sel = selected(dev.name);
  const own = dev.stores.find((s) => s.domain)?.domain ?? null;
  const isMsiParent = !!own && !!domains.find((d) => d.name === own)?.flagNames.includes('IRQ_DOMAIN_FLAG_MSI_PARENT');
  return (
    <article data-testid="device" data-dev={dev.name} className={`border-b border-slate-200 px-2 py-1.5 dark:border-slate-800 ${sel ? 'bg-sky-50 dark:bg-sky-950/40' : ''}`}>
      <header className="flex items-center gap-2">
        <DeviceNameButton name={dev.name} selected={sel} />
        <span className="truncate text-xs text-slate-600 dark:text-slate-300">{dev.label}</span>
        <DriverBadge dev={dev} />
      </header>
      <Caps dev={dev} />
      <p className="mt-0.5 flex flex-wrap items-center gap-x-1.5 font-mono text-[10.5px] text-slate-500">
        <span>MSI parent: {dev.msiParent ?? 'none'}</span>
        {isMsiParent && (
          <span data-testid="msi-parent-of-subdevices" className="rounded bg-violet-100 px-1 font-semibold text-violet-800 dark:bg-violet-950 dark:text-violet-200" title="pci_enable_msi_parent_domain(): this function's PCI/MSI-X domain is the MSI parent of its subdevices">
            its PCI/MSI-X domain is an MSI parent
          </span>
        )}
      </p>
      {dev.stores.map((s) => (
        <StoreTable key={s.domid} dev={dev} store={s} era={eraOf(domains, s.domain)} selectedVirq={selectedVirq} />
      ))}
      {dev.stores.length === 0 && <p className="mt-1 text-[11px] italic text-slate-500">No MSI descriptors: allocate vectors to create the device domain.</p>}
      <ImsSection dev={dev} selectedVirq={selectedVirq} />
      <MsixTable dev={dev} />
      <Devres dev={dev} />
      {subs.length > 0 && (
        <div aria-label={`subdevices of ${dev.name}`} role="group" className="mt-1">
          {subs.map((s) => (
            <SubdeviceCard key={s.name} dev={s} selected={selected} selectedVirq={selectedVirq} domains={domains} parentIsMsiParent={isMsiParent} />
          ))}
        </div>
      )}
    </article>
  );
}

const NO_DOMAINS: readonly DomainView[] = [];

export function DevicesPanel() {
  const devices = useStore((s) => s.snapshot?.view.devices);
  const domains = useStore((s) => s.snapshot?.view.domains ?? NO_DOMAINS);
  const selection = useStore((s) => s.selection);
  const selectedVirq = selection?.kind === 'irq' ? selection.virq : null;
  const selected = (name: string) => selection?.kind === 'device' && selection.name === name;
  const functions = devices?.filter((d) => d.kind !== 'subdevice') ?? [];
  const nSubs = (devices?.length ?? 0) - functions.length;
  // A subdevice whose parent is not listed still gets a card of its own.
  const orphans = devices?.filter((d) => d.kind === 'subdevice' && !functions.some((f) => f.name === d.parent)) ?? [];
  return (
    <Panel
      title="Devices"
      testId="devices"
      subtitle={deviceCounts(functions.length, nSubs)}
      tools={functions.length > 0 && (
        <button type="button" className={btnGhost} onClick={() => runCommand('driverBind')} title="driver_bind: bind a driver  [b]; driver_unbind  [Shift+B]">Driver…</button>
      )}
    >
      {functions.map((d) => (
        <DeviceCard
          key={d.name}
          dev={d}
          selected={selected}
          selectedVirq={selectedVirq}
          domains={domains}
          subs={devices?.filter((s) => s.kind === 'subdevice' && s.parent === d.name) ?? []}
        />
      ))}
      {orphans.map((s) => (
        <div key={s.name} className="px-2">
          <SubdeviceCard dev={s} selected={selected} selectedVirq={selectedVirq} domains={domains} />
        </div>
      ))}
      <RoadDevices domains={domains} />
    </Panel>
  );
}
