// The imported machine: the domain hierarchy as far as the input proves it, the devices with their
// vectors by index, the per-CPU counts as a heat map, each irq's affinity, and what the import could
// not tell. Every value is the input's; a field it does not give reads "unknown". All text is text.

import type { ReactNode } from 'react';
import { btn, btnPrimary } from '../chrome/styles';
import type { ImportedMachine } from '../../worker/protocol';

type ImportedDomain = ImportedMachine['domains'][number];
import { HeatMap } from './HeatMap';
import { closeImport, continueAsSimulation, openImportDialog, useImport } from './store';

const UNKNOWN = <span className="italic text-slate-400">unknown</span>;
const list = (l: number[] | null) => (l === null ? UNKNOWN : l.length ? compress(l) : <span className="text-slate-400">none</span>);

function compress(l: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < l.length; i++) {
    let j = i;
    while (j + 1 < l.length && l[j + 1] === l[j] + 1) j++;
    out.push(j > i ? `${l[i]}-${l[j]}` : String(l[i]));
    i = j;
  }
  return out.join(',');
}

function Box({ title, children, className = '', testid }: { title: string; children: ReactNode; className?: string; testid?: string }) {
  return (
    <section aria-label={title} data-testid={testid} className={`flex min-h-0 flex-col rounded-md border border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900 ${className}`}>
      <h3 className="border-b border-slate-200 px-2 py-1 text-[11px] font-semibold uppercase tracking-wide text-slate-500 dark:border-slate-700">{title}</h3>
      <div className="min-h-0 flex-1 overflow-auto p-2">{children}</div>
    </section>
  );
}

const SOURCE: Record<ImportedDomain['source'], string> = { debugfs: 'debugfs', proc: 'chip column', deduced: 'deduced' };

function Tree({ domains }: { domains: ImportedDomain[] }) {
  const names = new Set(domains.map((d) => d.name));
  const kids = (p: string | null) => domains.filter((d) => (d.parent && names.has(d.parent) ? d.parent : null) === p);
  const node = (d: ImportedDomain, depth: number): ReactNode => (
    <li key={d.name}>
      <div className="flex items-baseline gap-1.5 py-0.5" style={{ paddingLeft: depth * 14 }} title={d.note ?? undefined}>
        <span className="text-slate-400">{depth ? '└' : '•'}</span>
        <span className="font-mono text-[11px] font-medium">{d.name}</span>
        <span className="rounded bg-slate-100 px-1 text-[10px] text-slate-600 dark:bg-slate-800 dark:text-slate-300">{d.kind}</span>
        <span className={`text-[10px] ${d.source === 'deduced' ? 'text-amber-700 dark:text-amber-400' : 'text-slate-500'}`}>{SOURCE[d.source]}</span>
        {d.irqs.length > 0 && <span className="text-[10px] text-slate-500">{d.irqs.length} irq{d.irqs.length === 1 ? '' : 's'}</span>}
      </div>
      {d.source === 'deduced' && d.note && <p className="text-[10px] leading-snug text-slate-500" style={{ paddingLeft: depth * 14 + 14 }}>{d.note}</p>}
      {depth < 12 && <ul>{kids(d.name).map((k) => node(k, depth + 1))}</ul>}
    </li>
  );
  return <ul data-testid="import-tree" aria-label="Domain hierarchy">{kids(null).map((d) => node(d, 0))}</ul>;
}

function Devices({ m }: { m: ImportedMachine }) {
  if (!m.devices.length) return <p className="text-xs text-slate-500">No PCI function with MSI or MSI-X vectors in the input.</p>;
  const cpu = (k: number) => (m.cpuIds ? `CPU${m.cpuIds[k]}` : `col ${k + 1}`);
  return (
    <ul data-testid="import-devices" className="flex flex-col gap-2">
      {m.devices.map((d) => (
        <li key={d.bdf} aria-label={`Device ${d.bdf}`} className="rounded border border-slate-200 dark:border-slate-700">
          <div className="flex flex-wrap items-baseline gap-2 border-b border-slate-200 px-2 py-1 dark:border-slate-700">
            <span className="font-mono text-xs font-semibold">{d.bdf}</span>
            <span className={`rounded px-1 text-[10px] font-medium ${d.kind === 'unknown' ? 'bg-slate-100 text-slate-500 dark:bg-slate-800' : 'bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-200'}`}>
              {d.kind === 'msix' ? 'MSI-X' : d.kind === 'msi' ? 'MSI' : 'MSI or MSI-X: unknown'}
            </span>
            <span className="text-[11px]">{d.vectors} vector{d.vectors === 1 ? '' : 's'}</span>
            <span className="text-[11px] text-slate-500">driver {d.driver ?? UNKNOWN}</span>
            {d.ids && <span className="font-mono text-[10px] text-slate-500">[{d.ids}]</span>}
          </div>
          <table className="w-full text-[11px] [&_td]:pr-2">
            <thead className="text-left text-[10px] text-slate-500">
              <tr><th className="px-2 font-normal">index</th><th className="font-normal">irq</th><th className="font-normal">action</th><th className="font-normal">counts on</th><th className="font-normal">effective</th></tr>
            </thead>
            <tbody className="font-mono">
              {d.irqs.map((n) => {
                const i = m.irqs.find((x) => x.irq === n)!;
                const on = i.counts ? i.counts.map((c, k) => (c > 0 ? cpu(k) : null)).filter(Boolean).join(' ') : null;
                return (
                  <tr key={n} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="px-2">{i.index ?? UNKNOWN}</td>
                    <td>{n}</td>
                    <td className="max-w-[12rem] truncate" title={i.actions.join(', ')}>{i.actions.join(', ') || <span className="text-slate-400">(none)</span>}</td>
                    <td>{on === null ? UNKNOWN : on || <span className="text-slate-400">–</span>}</td>
                    <td>{list(i.effective)}</td>
                  </tr>
                );
              })}
              {d.withoutHandler.length > 0 && (
                <tr><td colSpan={5} className="px-2 text-[10px] text-slate-500">msi_irqs also lists {d.withoutHandler.join(', ')} (no handler, so not in /proc/interrupts)</td></tr>
              )}
            </tbody>
          </table>
        </li>
      ))}
    </ul>
  );
}

function Irqs({ m }: { m: ImportedMachine }) {
  return (
    <table data-testid="import-irqs" className="w-full text-[11px] [&_td]:pr-2 [&_th]:pr-2">
      <thead className="sticky top-0 bg-white text-left text-[10px] text-slate-500 dark:bg-slate-900">
        <tr><th className="font-normal">irq</th><th className="font-normal">chip</th><th className="font-normal">hwirq</th><th className="font-normal">trigger</th><th className="font-normal">actions</th><th className="font-normal">affinity</th><th className="font-normal">effective</th></tr>
      </thead>
      <tbody className="font-mono">
        {m.irqs.map((i) => (
          <tr key={i.irq} className="border-t border-slate-100 dark:border-slate-800">
            <td>{i.irq}</td>
            <td className="max-w-[8.5rem] truncate" title={i.chip ?? ''}>{i.chip ?? UNKNOWN}</td>
            <td>{i.hwirq ?? UNKNOWN}</td>
            <td>{i.trigger ?? UNKNOWN}</td>
            <td className="max-w-[7rem] truncate" title={i.actions.join(', ')}>{i.actions.join(', ') || (i.line === null ? <span className="text-slate-400">(not in /proc/interrupts)</span> : <span className="text-slate-400">(none)</span>)}</td>
            <td>{list(i.affinity)}</td>
            <td>{list(i.effective)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ImportView({ m }: { m: ImportedMachine }) {
  const { source, simulation } = useImport();
  const cpus = m.cpus === null ? 'CPUs unknown' : `${m.cpus} CPU${m.cpus === 1 ? '' : 's'}${m.cpusFromColumns ? ' (counted from the columns: no header)' : ''}`;
  return (
    <div role="region" aria-label="Imported machine" className="flex min-h-0 flex-1 flex-col gap-2 p-2">
      <div className="flex flex-wrap items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900">
        <h2 className="text-sm font-semibold">Imported machine</h2>
        <span className="max-w-[14rem] truncate text-xs text-slate-500" title={source ?? ''}>{source}</span>
        <span data-testid="import-facts" className="font-mono text-xs">
          {m.arch ?? 'arch unknown'} · {cpus} · layout {m.layout} · kernel {m.kernelRelease ?? 'unknown'}
        </span>
        <div className="ml-auto flex items-center gap-2">
          <button type="button" className={btn} onClick={openImportDialog}>Import another…</button>
          <button type="button" className={btn} onClick={closeImport}>Close</button>
          <button
            type="button"
            className={btnPrimary}
            disabled={!simulation?.ok}
            title={simulation && !simulation.ok ? `Cannot continue: ${simulation.reason}` : 'Open this machine as a scenario: CPUs, devices and vectors reconstructed'}
            onClick={() => void continueAsSimulation()}
          >
            Continue as a simulation
          </button>
        </div>
      </div>
      {simulation && !simulation.ok && <p className="px-1 text-[11px] text-slate-500">Continue as a simulation is not possible: {simulation.reason}.</p>}
      <div className="grid min-h-0 flex-1 grid-cols-[minmax(0,0.9fr)_minmax(0,1.2fr)_minmax(0,1.3fr)] grid-rows-[minmax(0,1fr)_minmax(0,1fr)] gap-2">
        <Box title="Domain hierarchy (as far as the input proves it)"><Tree domains={m.domains} /></Box>
        <Box title={`Devices (${m.devices.length})`}><Devices m={m} /></Box>
        <Box title="What this import could not tell" testid="import-unknown">
          <ul className="flex list-disc flex-col gap-1 pl-4 text-[11px] leading-snug">
            {m.unknown.map((u) => <li key={u}>{u}</li>)}
          </ul>
          {m.skipped.length > 0 && (
            <div className="mt-2">
              <p className="text-[11px] font-semibold">Skipped lines ({m.skipped.length})</p>
              <ul className="mt-1 flex flex-col gap-1 text-[10px]">
                {m.skipped.slice(0, 200).map((s) => (
                  <li key={s.line}>
                    <span className="font-mono">line {s.line}:</span> <span className="font-mono text-slate-500">{s.text.trim().slice(0, 80)}</span>
                    <br />
                    <span className="text-slate-500">{s.reason}</span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </Box>
        <Box title="Per-CPU counts (heat map)" className="col-span-2"><HeatMap m={m} /></Box>
        <Box title={`Interrupts and affinity (${m.irqs.length})`}><Irqs m={m} /></Box>
      </div>
    </div>
  );
}
