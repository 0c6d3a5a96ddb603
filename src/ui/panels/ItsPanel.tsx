// arm64: the GICv3 ITS in place of the x86 vector map. Three columns: the collections (one per
// CPU's redistributor) with the LPIs routed to each, the device table with every device's ITT
// (EventID → LPI → collection), and the recent ITS command queue (MAPD, MAPC, MAPTI, MOVI, INV,
// SYNC, DISCARD…), the commands written by the step shown highlighted.

import { useEffect, useMemo, useRef } from 'react';
import { useLayout } from '../chrome/layout';
import { Panel } from '../chrome/Panel';
import { hex } from '../format';

/** Hex of an address that may be wider than 32 bits (an ITT in high memory). */
const hex64 = (n: number): string => `0x${n.toString(16)}`;
import { useStore } from '../store';
import { select } from '../store/commands';
import type { IrqView, ItsView, TraceNode } from '../../worker/protocol';

type Cmd = ItsView['commands'][number];

const CMD_TONE: Record<string, string> = {
  MAPD: 'text-sky-700 dark:text-sky-300',
  MAPC: 'text-slate-700 dark:text-slate-300',
  MAPTI: 'text-emerald-700 dark:text-emerald-400',
  MOVI: 'text-violet-700 dark:text-violet-300',
  DISCARD: 'text-rose-700 dark:text-rose-400',
  INV: 'text-amber-700 dark:text-amber-400',
  INVALL: 'text-amber-700 dark:text-amber-400',
  INT: 'text-orange-700 dark:text-orange-400',
  CLEAR: 'text-orange-700 dark:text-orange-400',
  SYNC: 'text-slate-400 dark:text-slate-500',
};
const CMD_RE = /^(MAPD|MAPC|MAPTI|MOVI|DISCARD|INV|INVALL|INT|CLEAR|SYNC) /;

/** How many ITS commands a step's call trace queued (each is traced as its command line). */
function commandsIn(trace: readonly TraceNode[] | undefined): number {
  let n = 0;
  const walk = (nodes: readonly TraceNode[]) => {
    for (const x of nodes) {
      for (const e of x.effects) if (CMD_RE.test(e)) n++;
      walk(x.children);
    }
  };
  if (trace) walk(trace);
  return n;
}

interface LpiInfo {
  deviceId: number;
  owner: string;
  eventId: number;
  virq: number | null;
  enabled: boolean;
}

const H3 = 'sticky top-0 z-[1] border-b border-slate-200 bg-white px-1.5 py-0.5 text-[10.5px] font-semibold uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400';

function Collections({ its, lpiInfo, irqs }: { its: ItsView; lpiInfo: Map<number, LpiInfo>; irqs: Map<number, IrqView> }) {
  const cpus = useStore((s) => s.snapshot?.view.cpus);
  const selectedCpu = useStore((s) => s.selectedCpu);
  const selectCpu = useStore((s) => s.selectCpu);
  const selVirq = useStore((s) => (s.selection?.kind === 'irq' ? s.selection.virq : null));
  return (
    <section aria-label="ITS collections" className="min-h-0 overflow-auto border-r border-slate-200 dark:border-slate-800">
      <h3 className={H3}>Collections · LPIs per CPU</h3>
      <ul>
        {cpus?.map((c) => {
          const col = its.collections.find((x) => x.cpu === c.cpu);
          const pending = new Set(c.pendingLpis ?? []);
          const lpis = c.lpis ?? [];
          return (
            <li key={c.cpu} data-testid="its-collection" data-cpu={c.cpu} className={`border-b border-slate-100 px-1.5 py-1 dark:border-slate-800 ${selectedCpu === c.cpu ? 'bg-sky-50 dark:bg-sky-950/40' : ''}`}>
              <div className="flex items-baseline gap-1.5 font-mono text-[11px]">
                <button type="button" className="font-semibold text-slate-800 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-slate-100" aria-pressed={selectedCpu === c.cpu} title="Select this CPU (cpu_down / cpu_up in the toolbar)" onClick={() => selectCpu(c.cpu)}>
                  CPU{c.cpu}
                </button>
                {!c.online && <span className="rounded bg-slate-300 px-1 text-[10px] text-slate-800 dark:bg-slate-700 dark:text-slate-200">offline</span>}
                <span className="text-slate-500">{col ? `ICID ${col.icid} → RDbase ${col.rdbase}` : 'no collection (MAPC)'}</span>
                <span className="ml-auto text-slate-500">{lpis.length} LPI{lpis.length === 1 ? '' : 's'}</span>
              </div>
              {lpis.length > 0 && (
                <ul className="mt-0.5 flex flex-wrap gap-1" aria-label={`LPIs on CPU${c.cpu}`}>
                  {lpis.map((lpi) => {
                    const info = lpiInfo.get(lpi);
                    const irq = info?.virq ? irqs.get(info.virq) : undefined;
                    const name = irq?.actions.join(', ');
                    const isPending = pending.has(lpi);
                    const sel = info?.virq != null && info.virq === selVirq;
                    return (
                      <li key={lpi}>
                        <button
                          type="button"
                          data-testid="its-lpi"
                          data-lpi={lpi}
                          data-virq={info?.virq ?? undefined}
                          disabled={!info?.virq}
                          onClick={() => info?.virq && void select({ kind: 'irq', virq: info.virq })}
                          title={`LPI ${lpi}${info ? ` · DeviceID ${hex64(info.deviceId)} (${info.owner}) EventID ${info.eventId}` : ''}${info?.virq ? ` · irq ${info.virq}` : ''}${name ? ` (${name})` : ''}${info && !info.enabled ? ' · disabled in the LPI config table' : ''}${isPending ? ' · pending in the redistributor' : ''}`}
                          className={`rounded border px-1 font-mono text-[10.5px] leading-[15px] focus-visible:outline-2 focus-visible:outline-sky-500 ${
                            sel ? 'border-amber-500 bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-100'
                              : isPending ? 'border-rose-400 bg-rose-50 text-rose-800 dark:border-rose-600 dark:bg-rose-950/60 dark:text-rose-200'
                                : info?.enabled ? 'border-emerald-400 bg-emerald-50 text-emerald-900 dark:border-emerald-700 dark:bg-emerald-950/50 dark:text-emerald-200'
                                  : 'border-slate-300 bg-slate-50 text-slate-600 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-300'
                          }`}
                        >
                          {lpi}
                          {info?.virq ? <span className="text-slate-500 dark:text-slate-400"> · {name || `irq ${info.virq}`}</span> : null}
                          {isPending && <span className="font-semibold"> · P</span>}
                        </button>
                      </li>
                    );
                  })}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function DeviceTable({ its }: { its: ItsView }) {
  const selVirq = useStore((s) => (s.selection?.kind === 'irq' ? s.selection.virq : null));
  return (
    <section aria-label="ITS device table" className="min-h-0 overflow-auto border-r border-slate-200 dark:border-slate-800">
      <h3 className={H3}>Device table · ITT: EventID → LPI → collection</h3>
      {its.devices.length === 0 && <p className="p-1.5 text-[11px] italic text-slate-500">No DeviceID mapped yet: allocating MSI/MSI-X vectors sends MAPD.</p>}
      {its.devices.map((d) => (
        <div key={d.deviceId} data-testid="its-device" data-devid={hex64(d.deviceId)} className="border-b border-slate-100 px-1.5 py-1 dark:border-slate-800">
          <p className="flex flex-wrap items-baseline gap-x-1.5 font-mono text-[10.5px]">
            <span className="font-semibold text-sky-700 dark:text-sky-300">DeviceID {hex64(d.deviceId)}</span>
            <span className="text-slate-700 dark:text-slate-300">{d.owner}</span>
            <span className={d.mapped ? 'text-emerald-700 dark:text-emerald-400' : 'text-rose-600'}>{d.mapped ? 'V=1' : 'unmapped'}</span>
            <span className="text-slate-500">ITT {d.nrItes} entries @ {hex64(d.ittAddr)} · LPIs {d.lpiBase}–{d.lpiBase + d.nrLpis - 1}{d.shared ? ' · shared' : ''}</span>
          </p>
          {d.events.length > 0 && (
            <table className="mt-0.5 font-mono text-[10.5px] leading-[15px]">
              <thead className="text-left text-[10px] text-slate-500">
                <tr>
                  <th className="pr-2 text-right font-normal">EventID</th>
                  <th className="pr-2 text-right font-normal">LPI</th>
                  <th className="pr-2 font-normal">ICID (CPU)</th>
                  <th className="pr-2 text-right font-normal">irq</th>
                  <th className="font-normal">state</th>
                </tr>
              </thead>
              <tbody>
                {d.events.map((e) => (
                  <tr
                    key={e.eventId}
                    data-testid="itt-entry"
                    data-event={e.eventId}
                    data-lpi={e.lpi}
                    data-icid={e.icid}
                    onClick={() => e.virq && void select({ kind: 'irq', virq: e.virq })}
                    className={`cursor-pointer ${e.virq !== null && e.virq === selVirq ? 'bg-amber-100 dark:bg-amber-900/40' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
                  >
                    <td className="pr-2 text-right">{e.eventId}</td>
                    <td className="pr-2 text-right">{e.lpi}</td>
                    <td className="pr-2">{e.icid} (CPU{its.collections.find((c) => c.icid === e.icid)?.cpu ?? '?'})</td>
                    <td className="pr-2 text-right">
                      {e.virq !== null ? (
                        <button type="button" className="font-semibold text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-300" onClick={(ev) => { ev.stopPropagation(); void select({ kind: 'irq', virq: e.virq as number }); }}>
                          {e.virq}
                        </button>
                      ) : '—'}
                    </td>
                    <td className={e.pending ? 'font-semibold text-rose-600 dark:text-rose-400' : e.enabled ? 'text-emerald-700 dark:text-emerald-400' : 'text-slate-500'}>
                      {e.enabled ? 'enabled' : 'disabled'}{e.pending ? ' · pending' : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </section>
  );
}

function CommandQueue({ its, fresh }: { its: ItsView; fresh: number }) {
  const ref = useRef<HTMLOListElement>(null);
  // Keep the newest commands in view.
  useEffect(() => {
    const el = ref.current?.parentElement;
    if (el) el.scrollTop = el.scrollHeight;
  }, [its.commandsTotal, its.commands.length]);
  const firstNew = its.commandsTotal - fresh;
  const dropped = its.commandsTotal - its.commands.length;
  return (
    // Focusable: keyboard users scroll the queue too.
    <section aria-label="ITS command queue" tabIndex={0} className="min-h-0 overflow-auto focus-visible:outline-2 focus-visible:outline-sky-500">
      <h3 className={H3}>
        Command queue · {its.commandsTotal} written{fresh > 0 ? ` · ${fresh} by this step` : ''}
      </h3>
      {dropped > 0 && <p className="px-1.5 text-[10px] italic text-slate-400">{dropped} older command{dropped === 1 ? '' : 's'} not shown</p>}
      <ol ref={ref} className="font-mono text-[10.5px] leading-[15px]" data-testid="its-queue">
        {its.commands.map((c: Cmd) => {
          const isNew = c.seq >= firstNew && fresh > 0;
          return (
            <li
              key={c.seq}
              data-testid="its-cmd"
              data-cmd={c.cmd}
              data-new={isNew || undefined}
              title={`#${c.seq} at GITS_CWRITER ${hex64(c.offset)}, queued by ${c.by}()`}
              className={`flex gap-1.5 px-1.5 ${isNew ? 'bg-sky-50 dark:bg-sky-950/50' : ''}`}
            >
              <span className="w-6 shrink-0 text-right text-slate-400">{c.seq}</span>
              <span className={`whitespace-nowrap ${CMD_TONE[c.cmd] ?? ''} ${c.cmd === 'SYNC' ? '' : 'font-semibold'}`}>{c.text}</span>
              <span className="truncate text-slate-400">{c.by}</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

export function ItsPanel() {
  const its = useStore((s) => s.snapshot?.its ?? null);
  const irqList = useStore((s) => s.snapshot?.view.irqs);
  const fresh = useStore((s) => {
    const step = s.snapshot?.step ?? 0;
    return step > 0 ? commandsIn(s.records[step - 1]?.result.trace) : 0;
  });
  const top = useLayout((s) => s.top);
  const lpiInfo = useMemo(() => {
    const m = new Map<number, LpiInfo>();
    for (const d of its?.devices ?? []) for (const e of d.events) m.set(e.lpi, { deviceId: d.deviceId, owner: d.owner, eventId: e.eventId, virq: e.virq, enabled: e.enabled });
    return m;
  }, [its]);
  const irqs = useMemo(() => new Map((irqList ?? []).map((i) => [i.virq, i])), [irqList]);
  return (
    <Panel
      title="GICv3 ITS"
      testId="its"
      subtitle={its ? `${its.domain} · GITS_TRANSLATER ${hex(its.translater)} · ${its.freeLpis} LPIs free` : undefined}
    >
      {its ? (
        <div
          className="grid grid-cols-[minmax(0,0.8fr)_minmax(0,1.2fr)_minmax(0,1.35fr)]"
          // As tall as the map area allows (36% of the window until the splitter sets it).
          style={{ height: top === null ? 'calc(36vh - 2.25rem)' : '100%' }}
        >
          <Collections its={its} lpiInfo={lpiInfo} irqs={irqs} />
          <DeviceTable its={its} />
          <CommandQueue its={its} fresh={fresh} />
        </div>
      ) : (
        <p className="p-2 text-xs text-slate-500">This machine has no ITS.</p>
      )}
    </Panel>
  );
}
