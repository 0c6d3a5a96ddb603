// The x86 vector matrix: one row per CPU, 256 vector cells each, coloured by the engine's
// cell states; hover names the CPU, vector and interrupt; clicking selects them.

import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { Panel } from '../chrome/Panel';
import { hex2 } from '../format';
import { useStore } from '../store';
import { select } from '../store/commands';
import type { CpuView, IrqView, VectorCells } from '../../worker/protocol';
import { CELL_LEGEND, cellColour, cellName } from './cells';
import { AXIS_H, COUNTER_W, COUNTERS, geometry, hit, VECTORS, type Geometry } from './vectorMapGeometry';

interface Hover {
  cpu: number;
  vector: number | null;
  /** Pointer position in the viewport (the tooltip is fixed-positioned, so no panel clips it). */
  cx: number;
  cy: number;
}

function irqIndex(irqs: readonly IrqView[]): Map<number, { irq: IrqView; prev: boolean }> {
  const m = new Map<number, { irq: IrqView; prev: boolean }>();
  for (const irq of irqs) {
    if (irq.prevVector > 0) m.set(irq.prevCpu * VECTORS + irq.prevVector, { irq, prev: true });
    if (irq.vector > 0) m.set(irq.cpu * VECTORS + irq.vector, { irq, prev: false });
  }
  return m;
}

function draw(
  ctx: CanvasRenderingContext2D, g: Geometry, cells: VectorCells, cpus: readonly CpuView[],
  dark: boolean, selIrq: IrqView | null, selCpu: number | null, hover: Hover | null,
) {
  const text = dark ? '#cbd5e1' : '#334155';
  const dim = dark ? '#64748b' : '#94a3b8';
  ctx.clearRect(0, 0, g.width, g.height);
  ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
  ctx.textBaseline = 'middle';

  // Axis: hex labels every 0x20.
  ctx.fillStyle = dim;
  ctx.textAlign = 'left';
  for (let v = 0; v < VECTORS; v += 0x20) {
    const x = g.gridX + v * g.cw;
    ctx.fillRect(x, AXIS_H - 4, 1, 4);
    ctx.fillText(hex2(v), x + 2, AXIS_H / 2 - 1);
  }
  if (g.showCounters) {
    ctx.textAlign = 'right';
    COUNTERS.forEach((c, i) => ctx.fillText(c, g.countersX + (i + 1) * COUNTER_W - 4, AXIS_H / 2 - 1));
  }

  const cellH = g.rh - g.gap;
  for (let cpu = 0; cpu < cells.cpus; cpu++) {
    const y = AXIS_H + cpu * g.rh;
    const row = cells.states.subarray(cpu * cells.vectors, (cpu + 1) * cells.vectors);
    // Runs of equal state are drawn as one rectangle.
    for (let v = 0; v < VECTORS; ) {
      const code = row[v];
      let end = v + 1;
      while (end < VECTORS && row[end] === code) end++;
      ctx.fillStyle = cellColour(code, dark);
      ctx.fillRect(g.gridX + v * g.cw, y, (end - v) * g.cw, cellH);
      v = end;
    }
    // Cell separators when cells are wide enough to need them.
    if (g.cw >= 4 && cellH >= 6) {
      ctx.fillStyle = dark ? 'rgba(15,23,42,0.55)' : 'rgba(255,255,255,0.6)';
      for (let v = 1; v < VECTORS; v++) ctx.fillRect(g.gridX + v * g.cw - 0.5, y, 0.5, cellH);
    }
    const info = cpus[cpu];
    if (info && !info.online) {
      // Offline rows are washed out and tinted so they stand out even 2 px high.
      ctx.fillStyle = dark ? 'rgba(2,6,23,0.55)' : 'rgba(255,255,255,0.6)';
      ctx.fillRect(g.gridX, y, g.gridW, cellH);
      ctx.fillStyle = dark ? 'rgba(244,63,94,0.35)' : 'rgba(225,29,72,0.25)';
      ctx.fillRect(g.gridX, y, g.gridW, cellH);
    }
    const isSel = selCpu === cpu;
    if (g.showAllLabels) {
      ctx.textAlign = 'left';
      ctx.fillStyle = isSel ? (dark ? '#7dd3fc' : '#0369a1') : info?.online === false ? dim : text;
      ctx.font = `${isSel ? 'bold ' : ''}10px ui-monospace, SFMono-Regular, Menlo, monospace`;
      ctx.fillText(`CPU${cpu}${info?.online === false ? ' off' : ''}`, 2, y + cellH / 2);
      ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
    } else if (cpu % 8 === 0) {
      // Dense maps: a label and a tick every 8 CPUs.
      ctx.textAlign = 'left';
      ctx.fillStyle = text;
      ctx.fillText(`CPU${cpu}`, 2, y + 4);
      ctx.fillStyle = dim;
      ctx.fillRect(g.gridX - 6, y, 4, 1);
    }
    if (isSel) {
      ctx.strokeStyle = dark ? '#7dd3fc' : '#0369a1';
      ctx.lineWidth = 1;
      ctx.strokeRect(g.gridX - 0.5, y - 0.5, g.gridW + 1, cellH + 1);
      if (!g.showAllLabels) {
        ctx.fillStyle = dark ? '#7dd3fc' : '#0369a1';
        ctx.beginPath();
        ctx.moveTo(g.gridX - 8, y + cellH / 2 - 4);
        ctx.lineTo(g.gridX - 2, y + cellH / 2);
        ctx.lineTo(g.gridX - 8, y + cellH / 2 + 4);
        ctx.fill();
      }
    }
    if (g.showCounters && info) {
      ctx.textAlign = 'right';
      ctx.fillStyle = info.online ? text : dim;
      [info.available, info.managed, info.managedAllocated, info.allocated].forEach((n, i) =>
        ctx.fillText(String(n), g.countersX + (i + 1) * COUNTER_W - 4, y + cellH / 2),
      );
    }
  }

  const ring = (cpu: number, v: number, colour: string, dashed: boolean) => {
    const x = g.gridX + v * g.cw;
    const y = AXIS_H + cpu * g.rh;
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    if (dashed) ctx.setLineDash([2, 2]);
    ctx.strokeRect(x - 1.5, y - 1.5, g.cw + 3, cellH + 3);
    ctx.restore();
  };
  if (selIrq && selIrq.vector > 0) ring(selIrq.cpu, selIrq.vector, dark ? '#fb7185' : '#e11d48', false);
  if (selIrq && selIrq.prevVector > 0) ring(selIrq.prevCpu, selIrq.prevVector, dark ? '#fb7185' : '#e11d48', true);
  if (hover && hover.vector !== null) ring(hover.cpu, hover.vector, dark ? '#f8fafc' : '#0f172a', false);
}

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [w, setW] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setW(el.clientWidth);
    const ro = new ResizeObserver(() => setW(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

function Tooltip({ hover, cells, irqs }: { hover: Hover; cells: VectorCells; irqs: Map<number, { irq: IrqView; prev: boolean }> }) {
  const v = hover.vector;
  const state = v === null ? null : cells.states[hover.cpu * cells.vectors + v];
  const owner = v === null ? undefined : irqs.get(hover.cpu * VECTORS + v);
  return (
    <div
      role="tooltip"
      data-testid="vector-tooltip"
      className="pointer-events-none fixed z-30 max-w-80 rounded border border-slate-300 bg-white px-2 py-1 font-mono text-[11px] text-slate-800 shadow-lg dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
      style={{
        left: Math.max(4, Math.min(hover.cx + 14, window.innerWidth - 330)),
        top: hover.cy + 64 > window.innerHeight ? hover.cy - 56 : hover.cy + 16,
      }}
    >
      <div>
        CPU{hover.cpu}
        {v !== null && <> · vector {hex2(v)} ({v})</>}
        {state !== null && <> · {cellName(state)}</>}
      </div>
      {owner && (
        <div>
          irq {owner.irq.virq}
          {owner.irq.actions.length > 0 && ` ${owner.irq.actions.join(', ')}`}
          {owner.irq.msi && ` · ${owner.irq.msi.dev} #${owner.irq.msi.index}`}
          {owner.prev && ' · previous vector (move pending)'}
        </div>
      )}
      {v === null && <div className="text-slate-500">click to select CPU{hover.cpu} for cpu_down / cpu_up</div>}
    </div>
  );
}

/** Dense maps have no room for the counters: the hovered or selected CPU's are shown here. */
function CpuReadout({ cpu }: { cpu: CpuView | undefined }) {
  return (
    <p className="h-4 px-1 font-mono text-[10.5px] text-slate-600 dark:text-slate-300" data-testid="cpu-readout">
      {cpu ? (
        <>
          CPU{cpu.cpu}
          {cpu.online ? '' : ' (offline)'} · avl {cpu.available} · man {cpu.managed} · mac {cpu.managedAllocated} · act {cpu.allocated}
        </>
      ) : (
        'hover a row for its CPU counters (avl man mac act); click to select it'
      )}
    </p>
  );
}

export function VectorMapPanel() {
  const snapshot = useStore((s) => s.snapshot);
  const selection = useStore((s) => s.selection);
  const selectedCpu = useStore((s) => s.selectedCpu);
  const selectCpu = useStore((s) => s.selectCpu);
  const dark = useStore((s) => s.theme === 'dark');
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const width = useWidth(wrapRef);
  const [hover, setHover] = useState<Hover | null>(null);

  const view = snapshot?.view;
  const cells = snapshot?.cells ?? null;
  const irqs = useMemo(() => irqIndex(view?.irqs ?? []), [view]);
  const selIrq = selection?.kind === 'irq' ? (view?.irqs.find((i) => i.virq === selection.virq) ?? null) : null;
  const g = cells && width > 0 ? geometry(width, cells.cpus) : null;

  useEffect(() => {
    const c = canvasRef.current;
    if (!c || !g || !cells || !view) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(g.width * dpr);
    c.height = Math.round(g.height * dpr);
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    draw(ctx, g, cells, view.cpus, dark, selIrq, selectedCpu, hover);
  });

  const at = (e: MouseEvent<HTMLCanvasElement>) => {
    if (!g || !cells) return null;
    const r = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const h = hit(g, cells.cpus, x, y);
    return h ? { ...h, cx: e.clientX, cy: e.clientY } : null;
  };

  const m = view?.matrix;
  return (
    <Panel
      title="Vector map"
      testId="vector-map"
      subtitle={m ? `Global available ${m.globalAvailable} · reserved ${m.globalReserved} · Total allocated ${m.totalAllocated}` : undefined}
      tools={
        <ul className="flex flex-wrap items-center gap-x-2.5 gap-y-0.5 text-[10.5px] text-slate-600 dark:text-slate-300" aria-label="legend">
          {CELL_LEGEND.map((l) => (
            <li key={l.code} className="flex items-center gap-1" title={l.title}>
              <span className="inline-block h-2.5 w-2.5 rounded-sm border border-slate-400/40" style={{ background: cellColour(l.code, dark) }} />
              {l.label}
            </li>
          ))}
        </ul>
      }
    >
      <div ref={wrapRef} className="relative px-1 pt-1">
        {cells && g ? (
          <>
            <canvas
              ref={canvasRef}
              data-testid="vector-canvas"
              data-grid-x={g.gridX}
              data-axis-h={AXIS_H}
              data-cell-w={g.cw}
              data-row-h={g.rh}
              style={{ width: g.width, height: g.height }}
              className="block cursor-crosshair"
              aria-label={`Vector matrix: ${cells.cpus} CPUs by ${cells.vectors} vectors. Use the CPU selector in the toolbar to pick a CPU with the keyboard.`}
              role="img"
              onMouseMove={(e) => setHover(at(e))}
              onMouseLeave={() => setHover(null)}
              onClick={(e) => {
                const h = at(e);
                if (!h) return;
                selectCpu(h.cpu);
                const owner = h.vector !== null ? irqs.get(h.cpu * VECTORS + h.vector) : undefined;
                if (owner) void select({ kind: 'irq', virq: owner.irq.virq });
              }}
            />
            {hover && <Tooltip hover={hover} cells={cells} irqs={irqs} />}
            {!g.showCounters && <CpuReadout cpu={view?.cpus[hover?.cpu ?? selectedCpu ?? -1]} />}
          </>
        ) : (
          <p className="p-2 text-xs text-slate-500">
            {view && view.arch !== 'x86' ? 'No x86 vector matrix on this architecture.' : 'The engine did not report vector cells.'}
          </p>
        )}
      </div>
    </Panel>
  );
}
