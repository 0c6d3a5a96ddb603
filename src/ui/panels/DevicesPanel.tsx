// PCI functions with their capabilities, driver, and MSI descriptor stores (one xarray
// per device domain id), gaps included, plus the MSI-X table rows in use.

import { Panel } from '../chrome/Panel';
import { btnGhost } from '../chrome/styles';
import { gaps, hex } from '../format';
import { useStore } from '../store';
import { runAction, select } from '../store/commands';
import type { DeviceView, MsiEntryView, MsiStoreView } from '../../worker/protocol';

function Caps({ dev }: { dev: DeviceView }) {
  const caps: string[] = [];
  if (dev.msixCap) caps.push(`MSI-X ${dev.msixCap.tableSize} entries${dev.msixCap.enabled ? ' · enabled' : ''}${dev.msixCap.maskAll ? ' · maskall' : ''}`);
  if (dev.msiCap) {
    const c = dev.msiCap;
    caps.push(`MSI ${c.vectors} vec${c.maskable ? ' · maskable' : ''}${c.addr64 ? ' · 64-bit' : ' · 32-bit'}${c.enabled ? ` · enabled (MME ${c.mme})` : ''}`);
  }
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

function EntryRow({ dev, store, e, selected }: { dev: DeviceView; store: MsiStoreView; e: MsiEntryView; selected: boolean }) {
  const virqs = e.virq === 0 ? '—' : e.nvecUsed > 1 ? `${e.virq}–${e.virq + e.nvecUsed - 1}` : String(e.virq);
  return (
    <tr
      data-testid="msi-entry"
      data-index={e.index}
      aria-selected={selected}
      onClick={() => e.virq && void select({ kind: 'irq', virq: e.virq })}
      className={`cursor-pointer ${selected ? 'bg-amber-100 dark:bg-amber-900/40' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
    >
      <td className="pr-2 text-right">{e.index}</td>
      <td className="pr-2 text-right">
        <button type="button" className="font-semibold text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-300" disabled={!e.virq} onClick={(ev) => { ev.stopPropagation(); if (e.virq) void select({ kind: 'irq', virq: e.virq }); }}>
          {virqs}
        </button>
      </td>
      {store.entries.some((x) => x.addressHi !== 0) && <td className="pr-2">{hex(e.addressHi)}</td>}
      <td className="pr-2">{hex(e.addressLo)}</td>
      <td className="pr-2">{hex(e.data)}</td>
      <td className="pr-1 text-center"><Flag on={e.masked} label="M" title="masked" tone="bg-amber-200 text-amber-900 dark:bg-amber-800 dark:text-amber-100" /></td>
      <td className="pr-1 text-center"><Flag on={e.pending} label="P" title="pending" tone="bg-rose-200 text-rose-900 dark:bg-rose-800 dark:text-rose-100" /></td>
      <td className="pr-1 text-center"><Flag on={e.managed} label="A" title="managed (affinity spread)" tone="bg-violet-200 text-violet-900 dark:bg-violet-800 dark:text-violet-100" /></td>
      <td>
        <button
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
        </button>
      </td>
    </tr>
  );
}

function GapRow({ from, to, cols }: { from: number; to: number; cols: number }) {
  const n = to - from + 1;
  return (
    <tr data-testid="msi-gap" className="text-slate-400 dark:text-slate-500">
      <td className="pr-2 text-right">{from === to ? from : `${from}–${to}`}</td>
      <td colSpan={cols - 1} className="italic">
        {n === 1 ? 'free index' : `${n} free indices`}
      </td>
    </tr>
  );
}

function StoreTable({ dev, store, selectedVirq }: { dev: DeviceView; store: MsiStoreView; selectedVirq: number | null }) {
  const entries = [...store.entries].sort((a, b) => a.index - b.index);
  const holes = gaps(entries.map((e) => e.index), store.hwsize);
  const showHi = entries.some((x) => x.addressHi !== 0);
  const cols = showHi ? 9 : 8;
  type Row = { at: number; el: React.ReactNode };
  const rows: Row[] = [
    ...entries.map((e) => ({ at: e.index, el: <EntryRow key={`e${e.index}`} dev={dev} store={store} e={e} selected={selectedVirq !== null && e.virq <= selectedVirq && selectedVirq < e.virq + Math.max(1, e.nvecUsed)} /> })),
    ...holes.map(([a, b]) => ({ at: a, el: <GapRow key={`g${a}`} from={a} to={b} cols={cols} /> })),
  ].sort((x, y) => x.at - y.at);
  return (
    <div className="mt-1.5" data-testid="msi-store" data-domid={store.domid}>
      <p className="font-mono text-[10.5px] text-slate-600 dark:text-slate-400">
        domid {store.domid} · {store.domain ?? 'no domain'} · hwsize {store.hwsize} · {entries.length} desc
      </p>
      {rows.length > 0 && (
        <table className="mt-0.5 font-mono text-[11px] leading-[16px]">
          <thead className="text-left text-[10px] text-slate-500">
            <tr>
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
          <tbody>{rows.map((r) => r.el)}</tbody>
        </table>
      )}
    </div>
  );
}

function MsixTable({ dev }: { dev: DeviceView }) {
  if (!dev.msixCap) return null;
  return (
    <details className="mt-1.5">
      <summary className="cursor-pointer text-[11px] text-slate-600 dark:text-slate-400">
        MSI-X table: {dev.msixTable.length} of {dev.msixCap.tableSize} rows in use
      </summary>
      <table className="mt-0.5 font-mono text-[11px] leading-[15px]" data-testid="msix-table">
        <thead className="text-left text-[10px] text-slate-500">
          <tr>
            <th className="pr-2 text-right font-normal">row</th>
            <th className="pr-2 font-normal">msg addr</th>
            <th className="pr-2 font-normal">msg data</th>
            <th className="pr-2 font-normal">vector ctrl</th>
            <th className="font-normal">PBA</th>
          </tr>
        </thead>
        <tbody>
          {dev.msixTable.map((r) => (
            <tr key={r.index}>
              <td className="pr-2 text-right">{r.index}</td>
              <td className="pr-2">{r.addressHi ? `${hex(r.addressHi)}_${hex(r.addressLo).slice(2)}` : hex(r.addressLo)}</td>
              <td className="pr-2">{hex(r.data)}</td>
              <td className="pr-2">{r.masked ? 'masked' : '0'}</td>
              <td>{r.pending ? 'pending' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function DeviceCard({ dev, selected, selectedVirq }: { dev: DeviceView; selected: boolean; selectedVirq: number | null }) {
  return (
    <article data-testid="device" data-dev={dev.name} className={`border-b border-slate-200 px-2 py-1.5 dark:border-slate-800 ${selected ? 'bg-sky-50 dark:bg-sky-950/40' : ''}`}>
      <header className="flex items-baseline gap-2">
        <button
          type="button"
          className="font-mono text-xs font-bold text-slate-900 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-slate-100"
          aria-pressed={selected}
          onClick={() => void select({ kind: 'device', name: dev.name })}
        >
          {dev.name}
        </button>
        <span className="text-xs text-slate-600 dark:text-slate-300">{dev.label}</span>
        <span className="ml-auto text-[11px] text-slate-500">
          {dev.kind === 'subdevice' ? `subdevice of ${dev.parent} · ` : ''}driver: {dev.driver ?? 'none'}
        </span>
      </header>
      <Caps dev={dev} />
      <p className="mt-0.5 font-mono text-[10.5px] text-slate-500">MSI parent: {dev.msiParent ?? 'none'}</p>
      {dev.stores.map((s) => (
        <StoreTable key={s.domid} dev={dev} store={s} selectedVirq={selectedVirq} />
      ))}
      {dev.stores.length === 0 && <p className="mt-1 text-[11px] italic text-slate-500">No MSI descriptors: allocate vectors to create the device domain.</p>}
      <MsixTable dev={dev} />
      {(dev.devres.length > 0 || dev.intxLost > 0) && (
        <p className="mt-1 font-mono text-[10.5px] text-slate-500">
          {dev.devres.length > 0 && <>devres: {dev.devres.join(', ')}</>}
          {dev.intxLost > 0 && <> · INTx lost: {dev.intxLost}</>}
        </p>
      )}
    </article>
  );
}

export function DevicesPanel() {
  const devices = useStore((s) => s.snapshot?.view.devices);
  const selection = useStore((s) => s.selection);
  const selectedVirq = selection?.kind === 'irq' ? selection.virq : null;
  return (
    <Panel title="Devices" testId="devices" subtitle={`${devices?.length ?? 0} functions`}>
      {devices?.map((d) => (
        <DeviceCard key={d.name} dev={d} selected={selection?.kind === 'device' && selection.name === d.name} selectedVirq={selectedVirq} />
      ))}
    </Panel>
  );
}
