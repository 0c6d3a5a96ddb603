// The irq_domain hierarchy as a tree (VECTOR at the root). Clicking a domain selects it;
// a selected interrupt lights up its irq_data at every level of its chain. A travelling
// message or call runs along the links as a token (src/ui/travel), and right click or the
// context-menu key on a domain offers the kernel calls that apply to it.

import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { contextMenuHandlers } from '../chrome/ContextMenu';
import { Panel } from '../chrome/Panel';
import { btnGhost } from '../chrome/styles';
import { hex } from '../format';
import { useStore } from '../store';
import { select } from '../store/commands';
import { selectedIrq } from '../selectors';
import type { DomainView, IrqLevelView } from '../../worker/protocol';
import { CHAR_W, layoutDomains, NODE_H, nodeLines, type LaidNode } from './domainTreeLayout';
import { usePanZoom } from './usePanZoom';
import { TravelMarks, TravelToken, TravelTrail } from '../travel/TreeTravel';

const KIND_COLOUR: Record<string, string> = {
  vector: 'fill-slate-100 stroke-slate-400 dark:fill-slate-800 dark:stroke-slate-500',
  remap: 'fill-teal-50 stroke-teal-500 dark:fill-teal-950 dark:stroke-teal-600',
  'msi-device': 'fill-sky-50 stroke-sky-500 dark:fill-sky-950 dark:stroke-sky-600',
  ims: 'fill-amber-50 stroke-amber-500 dark:fill-amber-950 dark:stroke-amber-600',
  subdev: 'fill-violet-50 stroke-violet-500 dark:fill-violet-950 dark:stroke-violet-600',
};
const OTHER_COLOUR = 'fill-stone-50 stroke-stone-400 dark:fill-stone-900 dark:stroke-stone-500';

/** The irq_data of the selected interrupt at this level: hwirq, and the chip when it is short. */
function chainLabel(level: IrqLevelView): string {
  const hw = `hwirq ${hex(level.hwirq, 1)}`;
  return level.chip.length <= 12 ? `${hw} · ${level.chip}` : hw;
}

function DomainNode({ n, level, selected, onPick }: { n: LaidNode; level: IrqLevelView | null; selected: boolean; onPick: (d: DomainView) => void }) {
  const d = n.d;
  const menu = contextMenuHandlers(() => ({ kind: 'domain', name: d.name }));
  const onKey = (e: KeyboardEvent) => {
    if (menu.onKeyDown(e)) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onPick(d);
    }
  };
  const ring = selected
    ? 'stroke-sky-600 dark:stroke-sky-400 [stroke-width:2.5]'
    : level
      ? 'stroke-amber-500 dark:stroke-amber-400 [stroke-width:2.5]'
      : '';
  return (
    <g
      transform={`translate(${n.x},${n.y})`}
      role="button"
      tabIndex={0}
      aria-label={`domain ${d.name}, ${d.kind}, mapped ${d.mapped}${level ? `, hwirq ${hex(level.hwirq, 1)}, chip ${level.chip}` : ''}`}
      aria-pressed={selected}
      data-domain={d.name}
      className="cursor-pointer outline-none [&:focus-visible>rect]:stroke-sky-500 [&:focus-visible>rect]:[stroke-width:3]"
      onClick={() => onPick(d)}
      onKeyDown={onKey}
      onContextMenu={menu.onContextMenu}
    >
      <title>{[d.name, `flags 0x${d.flags.toString(16).padStart(8, '0')}`, ...d.flagNames, d.dev ? `device ${d.dev}` : ''].filter(Boolean).join('\n')}</title>
      <rect width={n.w} height={NODE_H} rx={6} className={`${KIND_COLOUR[d.kind] ?? OTHER_COLOUR} ${ring}`} />
      <text x={8} y={15} className="fill-slate-900 font-mono text-[11px] font-semibold dark:fill-slate-100">{d.name}</text>
      <text x={8} y={29} className="fill-slate-600 font-mono text-[10px] dark:fill-slate-300">{nodeLines(d)[0]}</text>
      <text x={8} y={42} className="fill-slate-600 font-mono text-[10px] dark:fill-slate-300">{nodeLines(d)[1]}</text>
      {level && (
        <g transform={`translate(6,${NODE_H + 2})`} data-testid="chain-level">
          <rect width={chainLabel(level).length * 5.8 + 10} height={14} rx={3} className="fill-amber-100 stroke-amber-500 dark:fill-amber-900 dark:stroke-amber-400" />
          <text x={5} y={10.5} className="fill-amber-900 font-mono text-[9.5px] font-semibold dark:fill-amber-100">
            {chainLabel(level)}
          </text>
        </g>
      )}
      {d.era !== 'mainline' && (
        <g transform={`translate(${n.w - d.era.length * CHAR_W * 0.85 - 14},-8)`}>
          <rect width={d.era.length * CHAR_W * 0.85 + 10} height={14} rx={7} className={d.era === 'proposal' ? 'fill-violet-600' : 'fill-amber-600'} />
          <text x={5} y={10} className="fill-white font-mono text-[9.5px] font-semibold">{d.era}</text>
        </g>
      )}
    </g>
  );
}

export function DomainTreePanel() {
  const domains = useStore((s) => s.snapshot?.view.domains);
  const selection = useStore((s) => s.selection);
  const irq = useStore(selectedIrq);
  const svgRef = useRef<SVGSVGElement>(null);
  const { t, fit, zoomBy, wasDrag, handlers } = usePanZoom(svgRef);

  const layout = useMemo(() => layoutDomains(domains ?? []), [domains]);
  const shapeKey = useMemo(() => (domains ?? []).map((d) => `${d.name}<${d.parent}`).join('|'), [domains]);

  const bounds = useRef(layout.bounds);
  bounds.current = layout.bounds;

  // Re-fit when domains appear or go (or the panel resizes); keep the user's pan/zoom otherwise.
  useEffect(() => {
    fit(bounds.current);
    const svg = svgRef.current;
    if (!svg || typeof ResizeObserver === 'undefined') return;
    let first = true;
    const ro = new ResizeObserver(() => {
      if (first) first = false;
      else fit(bounds.current);
    });
    ro.observe(svg);
    return () => ro.disconnect();
  }, [shapeKey, fit]);

  const chain = new Map<string, IrqLevelView>();
  for (const l of irq?.chain ?? []) chain.set(l.domain, l);
  const selectedDomain = selection?.kind === 'domain' ? selection.name : null;
  const pick = (d: DomainView) => {
    if (!wasDrag()) void select({ kind: 'domain', name: d.name });
  };

  return (
    <Panel
      title="Domain tree"
      testId="domain-tree"
      subtitle={irq ? `chain of irq ${irq.virq}: ${irq.chain.length} levels` : `${domains?.length ?? 0} domains`}
      tools={
        <>
          <button type="button" className={btnGhost} aria-label="Zoom in" onClick={() => zoomBy(1.25)}>+</button>
          <button type="button" className={btnGhost} aria-label="Zoom out" onClick={() => zoomBy(0.8)}>−</button>
          <button type="button" className={btnGhost} aria-label="Fit tree to panel" onClick={() => fit(layout.bounds)}>fit</button>
        </>
      }
      bodyClassName="overflow-hidden"
    >
      <svg ref={svgRef} className="block h-full w-full touch-none select-none" {...handlers} role="group" aria-label="irq domain hierarchy">
        <g transform={`translate(${t.x},${t.y}) scale(${t.k})`}>
          {layout.links.map(({ from, to }) => {
            const lit = chain.has(from.d.name) && chain.has(to.d.name);
            const x0 = from.x + from.w;
            const y0 = from.y + NODE_H / 2;
            const x1 = to.x;
            const y1 = to.y + NODE_H / 2;
            const mx = (x0 + x1) / 2;
            return (
              <path
                key={`${from.d.name}>${to.d.name}`}
                d={`M${x0},${y0} C${mx},${y0} ${mx},${y1} ${x1},${y1}`}
                fill="none"
                className={lit ? 'stroke-amber-500 [stroke-width:2.5]' : 'stroke-slate-300 dark:stroke-slate-600 [stroke-width:1.5]'}
              />
            );
          })}
          <TravelTrail layout={layout} />
          {layout.nodes.map((n) => (
            <DomainNode
              key={n.d.name}
              n={n}
              level={chain.get(n.d.name) ?? null}
              selected={selectedDomain === n.d.name}
              onPick={pick}
            />
          ))}
          {/* The selection's chain badges stay: the travel's labels go below them. */}
          <TravelMarks layout={layout} below={chain} />
          <TravelToken layout={layout} />
        </g>
      </svg>
    </Panel>
  );
}
