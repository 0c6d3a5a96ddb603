// Per-CPU interrupt counts of an imported machine as a heat map: one row per CPU column of the input,
// one column per numbered irq, colour by count (log scale). Drawn on a canvas like the vector map.

import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '../store';
import type { ImportedMachine } from '../../worker/protocol';

/** Cell size: as large as 26 px when few irqs are shown, never under 9. */
const cellFor = (cols: number) => Math.max(9, Math.min(26, Math.floor(820 / Math.max(1, cols))));
const LABEL_W = 52;
const HEAD_H = 14;

function colour(v: number, max: number, dark: boolean): string {
  if (v === 0) return dark ? '#1e293b' : '#f1f5f9';
  const t = Math.log10(v + 1) / Math.log10(max + 1);
  // one hue, lighter to darker as the count grows (dark theme: darker to lighter)
  const stops = dark ? [[12, 74, 110], [14, 165, 233], [224, 242, 254]] : [[224, 242, 254], [14, 165, 233], [30, 58, 138]];
  const [a, b] = t < 0.6 ? [stops[0], stops[1]] : [stops[1], stops[2]];
  const u = t < 0.6 ? t / 0.6 : (t - 0.6) / 0.4;
  const c = a.map((x, i) => Math.round(x + (b[i] - x) * u));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

export function HeatMap({ m }: { m: ImportedMachine }) {
  const dark = useStore((s) => s.theme === 'dark');
  const ref = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<{ x: number; y: number; text: string } | null>(null);
  const rows = useMemo(() => m.irqs.filter((i) => i.counts), [m]);
  const ncpu = m.cpus ?? 0;
  const label = (k: number) => (m.cpuIds ? `CPU${m.cpuIds[k]}` : `col ${k + 1}`);
  const max = useMemo(() => Math.max(1, ...rows.flatMap((r) => r.counts!)), [rows]);
  const CELL = cellFor(rows.length);
  const every = Math.max(1, Math.ceil(28 / CELL));
  const width = LABEL_W + rows.length * CELL;
  const height = HEAD_H + ncpu * CELL;

  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = width * dpr;
    c.height = height * dpr;
    const g = c.getContext('2d');
    if (!g) return;
    g.scale(dpr, dpr);
    g.clearRect(0, 0, width, height);
    g.font = '9px ui-monospace, monospace';
    g.fillStyle = dark ? '#94a3b8' : '#475569';
    for (let k = 0; k < ncpu; k++) g.fillText(label(k), 2, HEAD_H + k * CELL + Math.min(CELL, 13) - 3);
    rows.forEach((r, j) => {
      if (j % every === 0) {
        g.fillStyle = dark ? '#94a3b8' : '#475569';
        g.fillText(String(r.irq), LABEL_W + j * CELL, 10);
      }
      r.counts!.forEach((v, k) => {
        g.fillStyle = colour(v, max, dark);
        g.fillRect(LABEL_W + j * CELL, HEAD_H + k * CELL, CELL - 1, CELL - 1);
      });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, ncpu, max, dark, width, height, CELL, every]);

  if (!rows.length || !ncpu) return <p className="p-2 text-xs text-slate-500">The input has no per-CPU counts.</p>;
  return (
    <div className="relative overflow-auto">
      <canvas
        ref={ref}
        role="img"
        aria-label={`Heat map: ${rows.length} interrupts × ${ncpu} CPUs, busiest count ${max}`}
        data-testid="import-heatmap"
        style={{ width, height }}
        onMouseMove={(e) => {
          const rect = e.currentTarget.getBoundingClientRect();
          const x = e.clientX - rect.left - LABEL_W;
          const y = e.clientY - rect.top - HEAD_H;
          const j = Math.floor(x / CELL);
          const k = Math.floor(y / CELL);
          const r = rows[j];
          if (x < 0 || y < 0 || !r || k >= ncpu) return setHover(null);
          setHover({ x: e.clientX - rect.left, y: e.clientY - rect.top, text: `irq ${r.irq} ${r.actions.join(', ') || '(no action)'} on ${label(k)}: ${r.counts![k].toLocaleString('en')}` });
        }}
        onMouseLeave={() => setHover(null)}
      />
      {hover && (
        <div className="pointer-events-none absolute z-10 whitespace-nowrap rounded bg-slate-900 px-1.5 py-0.5 font-mono text-[10px] text-white shadow" style={{ left: hover.x + 12, top: hover.y + 8 }}>
          {hover.text}
        </div>
      )}
      <div className="mt-1 flex items-center gap-2 text-[10px] text-slate-500">
        <span>0</span>
        <span className="inline-block h-2 w-24 rounded" style={{ background: `linear-gradient(to right, ${colour(1, max, dark)}, ${colour(Math.round(Math.sqrt(max)), max, dark)}, ${colour(max, max, dark)})` }} />
        <span>{max.toLocaleString('en')} (log scale; one column per irq in the input's order)</span>
      </div>
    </div>
  );
}
