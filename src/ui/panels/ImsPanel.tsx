// A device's interrupt message store (PCI/IMS, v6.2–v6.9, removed in 2024), drawn inside its
// Devices card: every entry in use with the message the device uses now and its mask and
// pending bits. With the store in queue memory, a change the chip recorded but irq_bus_sync_unlock()
// has not pushed to the device yet is shown next to the value the device still uses.

import { btnGhost } from '../chrome/styles';
import { hex } from '../format';
import { useStore } from '../store';
import { runAction, select } from '../store/commands';
import type { DeviceView, ImsView } from '../../worker/protocol';
import { EraBadge } from './EraBadge';

type Row = ImsView['rows'][number];

function address(hi: number, lo: number): string {
  return hi ? `${hex(hi)}_${hex(lo).slice(2)}` : hex(lo);
}

/** The recorded change of a queue entry, field by field ("→ masked", "→ data 0x…"). */
function changeText(r: Row): string[] {
  const c = r.change;
  if (!c) return [];
  const out: string[] = [];
  if (c.masked !== undefined) out.push(c.masked ? 'mask' : 'unmask');
  if (c.addressLo !== undefined || c.addressHi !== undefined) out.push(`addr ${address(c.addressHi ?? r.addressHi, c.addressLo ?? r.addressLo)}`);
  if (c.data !== undefined) out.push(`data ${hex(c.data)}`);
  return out;
}

function Bit({ on, label, title, tone }: { on: boolean; label: string; title: string; tone: string }) {
  return on ? <span title={title} className={`rounded px-1 text-[10px] font-semibold ${tone}`}>{label}</span> : <span className="text-slate-300 dark:text-slate-600" aria-hidden="true">·</span>;
}

function ImsRow({ dev, r, cookies, selected }: { dev: DeviceView; r: Row; cookies: boolean; selected: boolean }) {
  const change = changeText(r);
  const cols = cookies ? 8 : 7;
  return (
    <>
    <tr
      data-testid="ims-entry"
      data-index={r.index}
      data-change={change.length ? change.join(', ') : undefined}
      aria-selected={selected}
      onClick={() => r.virq && void select({ kind: 'irq', virq: r.virq })}
      className={`cursor-pointer ${selected ? 'bg-amber-100 dark:bg-amber-900/40' : change.length ? 'bg-orange-50 hover:bg-orange-100 dark:bg-orange-950/40 dark:hover:bg-orange-950/70' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
    >
      <td className="pr-2 text-right">{r.index}</td>
      <td className="pr-2 text-right">
        {r.virq ? (
          <button type="button" className="font-semibold text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-300" onClick={(ev) => { ev.stopPropagation(); void select({ kind: 'irq', virq: r.virq }); }}>
            {r.virq}
          </button>
        ) : '—'}
      </td>
      <td className="pr-2">{address(r.addressHi, r.addressLo)}</td>
      <td className="pr-2">{hex(r.data)}</td>
      <td className="pr-1 text-center"><Bit on={r.masked} label="M" title="masked: the device does not send" tone="bg-amber-200 text-amber-900 dark:bg-amber-800 dark:text-amber-100" /></td>
      <td className="pr-1 text-center"><Bit on={r.pending} label="P" title="pending: signalled while masked, sent when the unmask takes effect" tone="bg-rose-200 text-rose-900 dark:bg-rose-800 dark:text-rose-100" /></td>
      {cookies && <td className="pr-2 text-right text-slate-500">{r.icookie !== null && r.icookie !== undefined ? `0x${r.icookie.toString(16)}` : ''}</td>}
      <td className="whitespace-nowrap">
        <button
          type="button"
          className={btnGhost + ' h-5 px-1'}
          aria-label={`raise ${dev.name} IMS index ${r.index}`}
          title={`raise: ${dev.name} sends IMS entry ${r.index}`}
          onClick={(ev) => { ev.stopPropagation(); void runAction({ op: 'raise', dev: dev.name, domain: 'ims', index: r.index }); }}
        >
          ⚡
        </button>
        {r.virq > 0 && (
          <button
            type="button"
            className={btnGhost + ' h-5 px-1'}
            aria-label={`free ${dev.name} IMS index ${r.index}`}
            title={`pci_ims_free_irq(${dev.name}, ${r.index})`}
            onClick={(ev) => { ev.stopPropagation(); void runAction({ op: 'pci_ims_free_irq', dev: dev.name, index: r.index }); }}
          >
            ✕
          </button>
        )}
      </td>
    </tr>
    {change.length > 0 && (
      <tr data-testid="ims-change" data-index={r.index} className="bg-orange-50 dark:bg-orange-950/40">
        <td />
        <td colSpan={cols - 1} className="pb-0.5">
          <span
            title="Recorded by the chip; the device does not see it until irq_bus_sync_unlock() pushes it with a queue command"
            className="rounded border border-dashed border-orange-500 px-1 text-[10px] font-semibold text-orange-800 dark:border-orange-400 dark:text-orange-200"
          >
            ↳ not pushed: {change.join(', ')}
          </span>
        </td>
      </tr>
    )}
    </>
  );
}

/** The IMS store section of a device card. */
export function ImsSection({ dev, selectedVirq }: { dev: DeviceView; selectedVirq: number | null }) {
  const ims = dev.ims;
  const openDialog = useStore((s) => s.openDialog);
  if (!ims) return null;
  const queue = ims.storage === 'queue';
  const rows = [...ims.rows].sort((a, b) => a.index - b.index);
  const changes = rows.filter((r) => r.change).length;
  const cookies = rows.some((r) => r.icookie !== null);
  return (
    <section className="mt-2 rounded border border-amber-300/70 bg-amber-50/40 px-1.5 py-1 dark:border-amber-800/70 dark:bg-amber-950/20" data-testid="ims-store" data-storage={ims.storage} aria-label={`IMS store of ${dev.name}`}>
      <header className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
        <h3 className="text-[11px] font-semibold text-slate-800 dark:text-slate-100">IMS table</h3>
        <EraBadge era={ims.era} />
        <span className="font-mono text-[10.5px] text-slate-600 dark:text-slate-400">
          {queue ? 'queue memory' : 'device memory'} · {ims.size} entries · {ims.domain ?? 'no IMS domain yet'}
        </span>
        {queue && (
          <span className={`font-mono text-[10px] ${ims.busLocked ? 'text-orange-700 dark:text-orange-300' : 'text-slate-500'}`} title="irq_bus_lock() … irq_bus_sync_unlock(): the window in which queue changes are collected">
            bus lock {ims.busLocked ? 'held' : 'free'}
          </span>
        )}
        <span className="ml-auto flex gap-0.5">
          {!ims.domain ? (
            <button type="button" className={btnGhost + ' h-5 border border-slate-300 dark:border-slate-600'} onClick={() => void runAction({ op: 'pci_create_ims_domain', dev: dev.name })} title="pci_create_ims_domain() with the driver’s correct template (the IMS dialog has the template’s mistakes)">
              create IMS domain
            </button>
          ) : (
            <button type="button" className={btnGhost + ' h-5 border border-slate-300 dark:border-slate-600'} onClick={() => void runAction({ op: 'msi_domain_alloc_irq_at', dev: dev.name, domain: 'ims', index: 'any' })} title="msi_domain_alloc_irq_at(dev, MSI_SECONDARY_DOMAIN, MSI_ANY_INDEX)">
              + at any
            </button>
          )}
          <button type="button" className={btnGhost + ' h-5'} onClick={() => openDialog({ kind: 'ims', dev: dev.name })} title="All IMS calls, with their arguments">
            IMS…
          </button>
        </span>
      </header>
      {rows.length > 0 ? (
        <table className="mt-0.5 font-mono text-[11px] leading-[16px]">
          <thead className="text-left text-[10px] text-slate-500">
            <tr>
              <th className="pr-2 text-right font-normal">idx</th>
              <th className="pr-2 text-right font-normal">virq</th>
              <th className="pr-2 font-normal">address</th>
              <th className="pr-2 font-normal">data</th>
              <th className="pr-1 font-normal" title="masked">M</th>
              <th className="pr-1 font-normal" title="pending">P</th>
              {cookies && <th className="pr-2 font-normal" title="msi_desc::data.icookie">cookie</th>}
              <th className="font-normal"><span className="sr-only">actions</span></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => <ImsRow key={r.index} dev={dev} r={r} cookies={cookies} selected={selectedVirq !== null && r.virq === selectedVirq} />)}
          </tbody>
        </table>
      ) : (
        <p className="mt-0.5 text-[11px] italic text-slate-500">{ims.domain ? 'No IMS entry in use: allocate one (+ at any).' : 'pci_create_ims_domain() first: it adds the IMS domain next to MSI-X.'}</p>
      )}
      {queue && (
        <p className="mt-0.5 text-[10.5px] leading-snug text-slate-600 dark:text-slate-400">
          {changes > 0
            ? <><span className="font-semibold text-orange-700 dark:text-orange-300">{changes} change{changes === 1 ? '' : 's'} not pushed</span>: the device still uses the old values until the next irq_bus_sync_unlock() (request_irq, free_irq, disable_irq, enable_irq…).</>
            : 'Queue memory: mask, unmask and message writes are recorded by the chip and pushed to the device at irq_bus_sync_unlock().'}
        </p>
      )}
    </section>
  );
}
