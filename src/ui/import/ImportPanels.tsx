// The imported machine in the app's own panels: the domain tree (DomainTreeView), the per-CPU counts
// on the vector map's grid (CellGrid), the devices with their vectors by index, each irq's affinity,
// what the import could not tell, what "Continue as a simulation" would reconstruct, and the input's
// files. Every value is the input's; a field it does not give reads "unknown". All text is text.
// The long lists (devices, interrupts and affinity) are windowed: ImportTables.tsx.

import { useCallback, useMemo, type ReactNode } from 'react';
import { Panel } from '../chrome/Panel';
import type { WorkspaceContent } from '../chrome/Workspace';
import { DomainTreeView } from '../panels/DomainTreePanel';
import { CellGrid, paletteWords, type GridRing, type RowText } from '../panels/VectorMapPanel';
import { cellColour } from '../panels/cells';
import { GUTTER, type Geometry } from '../panels/vectorMapGeometry';
import { useStore } from '../store';
import { domainOfIrq, heatColour, heatGrid, heatTicks, importTree, levelFloor, LEVELS } from './adapters';
import { ImportedDevices, ImportedIrqs, useMachine } from './ImportTables';
import { selectImported, useImport } from './store';


/** The domain tree: the same drawing as a simulated machine's, as far as the input proves it. */
function ImportedTree() {
  const m = useMachine();
  const sel = useImport((s) => s.selection);
  const domains = useMemo(() => importTree(m), [m]);
  const deduced = m.domains.filter((d) => d.source === 'deduced').length;
  const marked = sel.domain ?? (sel.irq !== null ? domainOfIrq(m, sel.irq) : null);
  return (
    <DomainTreeView
      domains={domains}
      irq={null}
      selectedDomain={marked}
      onPick={(name) => selectImported({ domain: name, irq: null })}
      subtitle={`${domains.length} domain${domains.length === 1 ? '' : 's'}${deduced ? ` · ${deduced} deduced` : ''}`}
    />
  );
}

const HEAT_ROW_TEXT = (rowLabels: readonly string[], totals: readonly number[]): RowText<{ online: boolean; k: number }> => ({
  label: (k) => rowLabels[k] ?? `col ${k + 1}`,
  counters: (r) => [totals[r.k].toLocaleString('en')],
  headings: ['total'],
});

/** The per-CPU counts on the vector map's grid: one CPU row per count column, one column per irq. */
function HeatMapPanel() {
  const m = useMachine();
  const sel = useImport((s) => s.selection);
  const dark = useStore((s) => s.theme === 'dark');
  const grid = useMemo(() => heatGrid(m), [m]);
  const colours = useMemo(() => paletteWords((c) => heatColour(c, dark, cellColour(0, dark))), [dark]);
  const rows = useMemo(() => Array.from({ length: grid?.cpus ?? 0 }, (_, k) => ({ online: true, k })), [grid]);
  const rowText = useMemo(() => HEAT_ROW_TEXT(grid?.rowLabels ?? [], grid?.totals ?? []), [grid]);
  const cells = useMemo(() => (grid ? { cpus: grid.cpus, vectors: grid.columns, states: grid.states } : null), [grid]);
  const ticks = useCallback((g: Geometry) => heatTicks(grid?.irqs ?? [], Math.ceil(30 / g.cw)), [grid]);
  const col = sel.irq !== null && grid ? grid.irqs.indexOf(sel.irq) : -1;
  const rings = useMemo<GridRing[]>(() => (col < 0 || !grid ? [] : Array.from({ length: grid.cpus }, (_, row) => ({ row, col, dashed: false }))), [col, grid]);
  const byIrq = useMemo(() => new Map(m.irqs.map((i) => [i.irq, i])), [m]);
  const stops = grid ? [1, Math.round(LEVELS / 2), LEVELS].map((l) => ({ l, n: levelFloor(l, grid.max) })) : [];
  return (
    <Panel
      title="Per-CPU counts"
      place="Vector map"
      testId="heat-map"
      subtitle={grid ? `${grid.columns} interrupts × ${grid.cpus} CPU columns · busiest ${grid.max.toLocaleString('en')}` : undefined}
      tools={
        grid && (
          <ul className="flex flex-wrap items-center gap-x-2.5 gap-y-0.5 text-[10.5px] text-slate-600 dark:text-slate-300" aria-label="legend">
            <li className="flex items-center gap-1">
              <span className="inline-block h-2.5 w-2.5 rounded-sm border border-slate-400/40" style={{ background: cellColour(0, dark) }} />0
            </li>
            {stops.map(({ l, n }) => (
              <li key={l} className="flex items-center gap-1">
                <span className="inline-block h-2.5 w-2.5 rounded-sm border border-slate-400/40" style={{ background: heatColour(l, dark, '') }} />
                {l === LEVELS ? grid.max.toLocaleString('en') : `≥${n.toLocaleString('en')}`}
              </li>
            ))}
            <li>log scale · a column per irq, in the input's order</li>
          </ul>
        )
      }
    >
      <CellGrid
        cells={cells}
        rows={rows}
        shape={{ columns: grid?.columns ?? 1, counters: 1, counterW: 84, maxCell: 28 }}
        colours={colours}
        ticks={ticks}
        rowText={rowText}
        selRow={sel.cpu}
        onSelectRow={(cpu) => selectImported({ cpu })}
        rings={rings}
        ariaLabel={grid ? `Per-CPU interrupt counts: ${grid.cpus} CPU columns by ${grid.columns} interrupts, busiest count ${grid.max.toLocaleString('en')}. Up and Down pick a CPU.` : 'No per-CPU counts'}
        tip={(k, j) => {
          if (!grid) return null;
          if (j === null) return <div>{grid.rowLabels[k]}: {grid.totals[k].toLocaleString('en')} interrupts in all</div>;
          const i = byIrq.get(grid.irqs[j]);
          return (
            <>
              <div>{grid.rowLabels[k]} · irq {grid.irqs[j]}: {grid.counts[k * grid.columns + j].toLocaleString('en')}</div>
              <div>{i?.actions.join(', ') || '(no action)'}{i?.chip ? ` · ${i.chip}` : ''}</div>
            </>
          );
        }}
        onCellClick={(_, j) => {
          if (grid && j !== null) selectImported({ irq: grid.irqs[j], domain: null });
        }}
        readout={(k) => (
          <p className="h-4 px-1 font-mono text-[10.5px] text-slate-600 dark:text-slate-300" data-testid="cpu-readout" style={{ paddingLeft: GUTTER }}>
            {grid && k !== null ? `${grid.rowLabels[k]}: ${grid.totals[k].toLocaleString('en')} interrupts in all` : 'hover a row for its total'}
          </p>
        )}
        empty={<p className="p-2 text-xs text-slate-500">The input has no per-CPU counts.</p>}
      />
    </Panel>
  );
}

function Notes({ items }: { items: readonly ReactNode[] }) {
  return <ul className="flex list-disc flex-col gap-1 py-1.5 pl-6 pr-2 text-[11px] leading-snug">{items.map((u, k) => <li key={k}>{u}</li>)}</ul>;
}

/** What the input does not give, one sentence each, and the lines the import skipped. */
function CouldNotTell() {
  const m = useMachine();
  return (
    <Panel title="What this import could not tell" place="Inspector" focusableBody testId="import-unknown" subtitle={`${m.unknown.length} gap${m.unknown.length === 1 ? '' : 's'}${m.skipped.length ? ` · ${m.skipped.length} skipped line${m.skipped.length === 1 ? '' : 's'}` : ''}`}>
      <Notes items={m.unknown} />
      {m.skipped.length > 0 && (
        <div className="px-2 pb-2">
          <p className="text-[11px] font-semibold">Skipped lines ({m.skipped.length})</p>
          <ul className="mt-1 flex flex-col gap-1 text-[10.5px]">
            {m.skipped.slice(0, 200).map((s) => (
              <li key={s.line}>
                <span className="font-mono">line {s.line}:</span> <span className="font-mono text-slate-600 dark:text-slate-400">{s.text.trim().slice(0, 80)}</span>
                <br />
                <span className="text-slate-600 dark:text-slate-400">{s.reason}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Panel>
  );
}

/** What "Continue as a simulation" would reconstruct (or why it cannot). */
function SimulationPlan() {
  const sim = useImport((s) => s.simulation);
  return (
    <Panel title="If continued as a simulation" place="Propagation" focusableBody testId="import-simulation" subtitle={sim?.ok ? 'what the scenario would reconstruct' : 'not possible'}>
      {sim?.ok ? <Notes items={sim.reconstructed} /> : <p className="p-2 text-[11px]">Not possible: {sim?.reason ?? 'no import'}.</p>}
    </Panel>
  );
}

/** The files the input held, its architecture rows and its interrupt-related kernel log lines. */
function InputPanel() {
  const m = useMachine();
  return (
    <Panel title="Input" place="Event log" focusableBody testId="import-input" subtitle={`${m.sources.length} file${m.sources.length === 1 ? '' : 's'}`}>
      <div className="flex flex-col gap-2 px-2 py-1.5 text-[11px]">
        <ul className="flex flex-wrap gap-1">{m.sources.map((s) => <li key={s} className="rounded bg-slate-100 px-1.5 font-mono text-[10.5px] dark:bg-slate-800">{s}</li>)}</ul>
        {m.archRows.length > 0 && (
          <table className="font-mono text-[10.5px]">
            <tbody>
              {m.archRows.map((r) => (
                <tr key={r.line}><td className="pr-2">{r.label}:</td><td className="pr-2 text-right">{r.counts.reduce((a, b) => a + b, 0).toLocaleString('en')}</td><td className="text-slate-600 dark:text-slate-400">{r.text}</td></tr>
              ))}
            </tbody>
          </table>
        )}
        {m.log.length > 0 && <pre className="whitespace-pre-wrap font-mono text-[10.5px]">{m.log.join('\n')}</pre>}
      </div>
    </Panel>
  );
}

/** The workspace's places, filled with the imported machine's panels. */
export const IMPORT_CONTENT: WorkspaceContent = {
  topId: 'Vector map',
  top: () => <HeatMapPanel />,
  panels: {
    'Domain tree': () => <ImportedTree />,
    Devices: () => <ImportedDevices />,
    Inspector: () => <CouldNotTell />,
    Propagation: () => <SimulationPlan />,
    '/proc/interrupts': () => <ImportedIrqs />,
    'Event log': () => <InputPanel />,
  },
  tabs: { 'Vector map': 'Counts', Inspector: 'Unknown', Propagation: 'Simulate', '/proc/interrupts': 'Affinity', 'Event log': 'Input' },
};
