// The devices of the roads not taken, under the functions: mediated devices (DEV_MSI, RFC 2020)
// with the domain their driver pointed dev->msi_domain at and each interrupt's devid and IMS slot,
// and logical functions (2021 proposal) with their sysfs directory, holder and idx → slot → irq.

import type { DomainView } from '../../worker/protocol';
import { useStore } from '../store';
import { select } from '../store/commands';
import { useRoadDevices } from '../store/roadDevices';
import { EraBadge } from './EraBadge';

function Virq({ virq }: { virq: number }) {
  const selected = useStore((s) => s.selection?.kind === 'irq' && s.selection.virq === virq);
  if (!virq) return <span className="text-slate-500">–</span>;
  return (
    <button
      type="button"
      aria-pressed={selected}
      onClick={() => void select({ kind: 'irq', virq })}
      className={`rounded px-0.5 font-semibold text-sky-700 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-300 ${selected ? 'bg-amber-100 dark:bg-amber-900/40' : ''}`}
    >
      {virq}
    </button>
  );
}

const th = 'px-1 text-left font-normal text-slate-600 dark:text-slate-400';

export function RoadDevices({ domains }: { domains: readonly DomainView[] }) {
  const v = useRoadDevices();
  if (!v || (v.mdevs.length === 0 && v.lfuncs.length === 0)) return null;
  const era = (name: string | null) => domains.find((d) => d.name === name)?.era;
  return (
    <section aria-label="Mediated devices and logical functions" className="border-t border-slate-200 px-2 py-1.5 dark:border-slate-700">
      {v.mdevs.map((m) => (
        <div key={m.name} data-testid="mdev" data-dev={m.name} className="mb-1.5 rounded border border-slate-300 p-1.5 dark:border-slate-700">
          <p className="flex flex-wrap items-center gap-1.5 text-xs">
            <span className="font-mono font-semibold">{m.name}</span>
            <span className="text-slate-600 dark:text-slate-300">mediated device of {m.parent}</span>
            <EraBadge era={era(m.msiDomain) ?? 'RFC 2020, not merged'} />
          </p>
          <p className="font-mono text-[10.5px] text-slate-600 dark:text-slate-300">dev-&gt;msi_domain: {m.msiDomain ?? 'none (dev_set_msi_domain not called yet)'}</p>
          {m.irqs.length > 0 && (
            <table className="mt-0.5 font-mono text-[10.5px]">
              <thead>
                <tr><th className={th}>index</th><th className={th}>virq</th><th className={th}>devid</th><th className={th}>IMS slot</th></tr>
              </thead>
              <tbody>
                {m.irqs.map((r) => (
                  <tr key={r.index}>
                    <td className="px-1 text-right">{r.index}</td>
                    <td className="px-1 text-right"><Virq virq={r.virq} /></td>
                    <td className="px-1 text-right">{r.devid ?? '–'}</td>
                    <td className="px-1 text-right">{r.slot ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
      {v.lfuncs.map((l) => (
        <div key={l.name} data-testid="lfunc" data-dev={l.name} className="mb-1.5 rounded border border-slate-300 p-1.5 dark:border-slate-700">
          <p className="flex flex-wrap items-center gap-1.5 text-xs">
            <span className="font-mono font-semibold">{l.name}</span>
            <span className="text-slate-600 dark:text-slate-300">logical function of {l.parent} · held by {l.owner === 'vfio' ? 'VFIO' : 'a cdev'}</span>
            <EraBadge era="proposal 2021" />
          </p>
          <p className="font-mono text-[10.5px] text-slate-600 [overflow-wrap:anywhere] dark:text-slate-300">{l.sysfs}/</p>
          {l.irqs.length > 0 && (
            <table className="mt-0.5 font-mono text-[10.5px]">
              <thead>
                <tr><th className={th}>idx</th><th className={th}>IMS slot</th><th className={th}>virq</th></tr>
              </thead>
              <tbody>
                {l.irqs.map((r) => (
                  <tr key={r.idx}>
                    <td className="px-1 text-right">{r.idx}</td>
                    <td className="px-1 text-right">{r.slot}</td>
                    <td className="px-1 text-right"><Virq virq={r.virq} /></td>
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
