// The irq_domain hierarchy as a tree (VECTOR at the root). Clicking a domain selects it;
// a selected interrupt lights up its irq_data at every level of its chain. A travelling
// message or call runs along the links as a token (src/ui/travel), and right click or the
// context-menu key on a domain offers the kernel calls that apply to it.
//
// Text never shrinks below 11 px: a tree bigger than the panel scrolls (wheel, drag, a focused
// node pans into view) and zooms (Ctrl+wheel, + −), with a minimap to find the way; "fit"
// shows the whole tree when it fits at full size, "selection" brings the selected chain into
// view, and a subtree folds into its domain with the toggle on its right.
//
// `DomainTreeView` draws any tree from plain props (the domains, the selected chain, what is
// selected); `DomainTreePanel` feeds it the simulated machine, and an imported machine's hierarchy
// is drawn by it too (src/ui/import), its unknown chips as plain named nodes.

import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent as RPointerEvent, type ReactNode } from 'react';
import { contextMenuHandlers } from '../chrome/ContextMenu';
import { Panel } from '../chrome/Panel';
import { btnGhost } from '../chrome/styles';
import { hex } from '../format';
import { useStore } from '../store';
import { select } from '../store/commands';
import { selectedIrq } from '../selectors';
import type { IrqLevelView } from '../../worker/protocol';
import {
  FONT_LABEL, LABEL_LINE, layoutDomains, MONO, NODE_H, nodeLines, TOGGLE_R, wrapText,
  type Layout, type LaidNode, type NodeLabel, type TreeDomain,
} from './domainTreeLayout';
import { usePanZoom, type Box } from './usePanZoom';
import { TravelMarks, TravelToken, TravelTrail, travelLabelTexts } from '../travel/TreeTravel';
import { useTravel } from '../travel/store';

const KIND_COLOUR: Record<string, string> = {
  vector: 'fill-slate-100 stroke-slate-500 dark:fill-slate-800 dark:stroke-slate-400',
  remap: 'fill-teal-50 stroke-teal-600 dark:fill-teal-950 dark:stroke-teal-500',
  'msi-device': 'fill-sky-50 stroke-sky-600 dark:fill-sky-950 dark:stroke-sky-500',
  ims: 'fill-amber-50 stroke-amber-600 dark:fill-amber-950 dark:stroke-amber-500',
  subdev: 'fill-violet-50 stroke-violet-600 dark:fill-violet-950 dark:stroke-violet-500',
};
const OTHER_COLOUR = 'fill-stone-50 stroke-stone-500 dark:fill-stone-900 dark:stroke-stone-400';
const TEXT_STYLE = { fontFamily: MONO };

/** The irq_data of the selected interrupt at this level: hwirq, and the chip when it is short. */
function chainLabel(level: IrqLevelView): string {
  return `hwirq ${hex(level.hwirq, 1)} · ${level.chip}`;
}

/** The text a node shows, in reading order: its accessible name. */
function nodeText(d: TreeDomain): string {
  const [a, b] = nodeLines(d);
  return [d.name, a, d.era !== 'mainline' ? d.era : '', b].filter(Boolean).join(' ');
}

/** The DOM id of a label under a domain (the node's aria-describedby points at it). */
export function labelId(kind: 'chain' | 'travel', domain: string): string {
  return `tree-${kind}-${domain.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function DomainNode({ n, level, selected, onPick, onFocusNode, menus }: {
  n: LaidNode; level: IrqLevelView | null; selected: boolean; onPick: (d: TreeDomain) => void; onFocusNode: (n: LaidNode) => void; menus: boolean;
}) {
  const d = n.d;
  const menu = contextMenuHandlers(() => (menus ? { kind: 'domain', name: d.name } : null));
  const onKey = (e: KeyboardEvent) => {
    if (menus && menu.onKeyDown(e)) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onPick(d);
    }
  };
  const ring = selected
    ? 'stroke-sky-600 dark:stroke-sky-400 [stroke-width:2.5]'
    : level
      ? 'stroke-amber-600 dark:stroke-amber-400 [stroke-width:2.5]'
      : '';
  const [kind, size] = nodeLines(d);
  return (
    <g
      transform={`translate(${n.x},${n.y})`}
      role="button"
      tabIndex={0}
      // The name is the node's own text, word for word; the selected chain's badge (and the
      // travel's label) describe it, so what is read out is what is shown.
      aria-label={nodeText(d)}
      aria-describedby={[level ? labelId('chain', d.name) : '', n.slots.some((x) => x.kind === 'travel') ? labelId('travel', d.name) : ''].filter(Boolean).join(' ') || undefined}
      aria-pressed={selected}
      data-domain={d.name}
      className="cursor-pointer outline-none [&:focus-visible>rect]:stroke-sky-500 [&:focus-visible>rect]:[stroke-width:3]"
      onClick={() => onPick(d)}
      onKeyDown={onKey}
      onFocus={() => onFocusNode(n)}
      onContextMenu={menus ? menu.onContextMenu : undefined}
    >
      {/* No <title> here: its text would be part of the button's content but not of its name. The
          flags are in the inspector (debugfs domains/NAME) once the domain is picked. */}
      <rect width={n.w} height={NODE_H} rx={6} className={`${KIND_COLOUR[d.kind] ?? OTHER_COLOUR} ${ring}`} />
      <text x={10} y={18} style={TEXT_STYLE} className="fill-slate-900 text-[12px] font-semibold dark:fill-slate-50" data-tree-text>{`${d.name} `}</text>
      <text x={10} y={34} style={TEXT_STYLE} className="fill-slate-700 text-[11px] dark:fill-slate-200" data-tree-text>{`${kind} `}</text>
      {d.era !== 'mainline' && (
        <g transform={`translate(${n.w - 10},24)`}>
          <text textAnchor="end" y={10} style={TEXT_STYLE} className={`text-[11px] font-semibold ${d.era.startsWith('proposal') ? 'fill-violet-800 dark:fill-violet-200' : d.era.startsWith('removed') ? 'fill-amber-800 dark:fill-amber-200' : 'fill-stone-700 dark:fill-stone-300' /* eraTone.ts */}`} data-tree-text>{`${d.era} `}</text>
        </g>
      )}
      <text x={10} y={48} style={TEXT_STYLE} className="fill-slate-700 text-[11px] dark:fill-slate-200" data-tree-text>{size}</text>
    </g>
  );
}

/** A badge in a node's label slot (selected chain or travel), its lines wrapped to the slot. */
export function SlotBadge({ x, y, w, lines, tone, testId, title, id }: { x: number; y: number; w: number; lines: string[]; tone: string; testId: string; title?: string; id?: string }) {
  return (
    <g transform={`translate(${x},${y})`} data-testid={testId} data-tree-label id={id}>
      {title && <title>{title}</title>}
      <rect width={w} height={lines.length * LABEL_LINE + 5} rx={3} className={tone} strokeWidth={1.2} />
      {lines.map((l, k) => (
        <text key={k} x={5} y={13 + k * LABEL_LINE} style={TEXT_STYLE} className="fill-current text-[11px] font-semibold" data-tree-text>{l}</text>
      ))}
    </g>
  );
}

function Toggle({ n, onToggle, onFocusNode }: { n: LaidNode; onToggle: (name: string) => void; onFocusNode: (n: LaidNode) => void }) {
  const text = n.collapsed ? `+${n.descendants}` : '−';
  const name = n.collapsed ? `+${n.descendants} expand ${n.d.name} (${n.descendants} domains below)` : `Collapse the subtree of ${n.d.name}`;
  const w = n.collapsed ? Math.max(2 * TOGGLE_R, text.length * 7 + 6) : 2 * TOGGLE_R;
  return (
    <g
      transform={`translate(${n.x + n.w + 4},${n.y + NODE_H / 2 - TOGGLE_R})`}
      role="button"
      tabIndex={0}
      aria-label={name}
      aria-expanded={!n.collapsed}
      data-testid="tree-toggle"
      data-toggle={n.d.name}
      className="cursor-pointer outline-none [&:focus-visible>rect]:stroke-sky-500 [&:focus-visible>rect]:[stroke-width:2.5]"
      onFocus={() => onFocusNode(n)}
      onClick={(e) => {
        e.stopPropagation();
        onToggle(n.d.name);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onToggle(n.d.name);
        }
      }}
    >
      <title>{n.collapsed ? `Expand: ${n.descendants} domains below ${n.d.name}` : `Fold the ${n.descendants} domains below ${n.d.name}`}</title>
      <rect width={w} height={2 * TOGGLE_R} rx={TOGGLE_R} className="fill-white stroke-slate-500 dark:fill-slate-800 dark:stroke-slate-400" strokeWidth={1.2} />
      <text x={w / 2} y={TOGGLE_R + 4} textAnchor="middle" style={TEXT_STYLE} className="fill-slate-800 text-[11px] font-bold dark:fill-slate-100">{text}</text>
    </g>
  );
}

/** The whole tree small, with the part in view; a click or drag there pans the view. */
function Minimap({ layout, view, panel, onCentre }: { layout: Layout; view: Box; panel: { w: number; h: number }; onCentre: (x: number, y: number) => void }) {
  const b = layout.bounds;
  const W = Math.round(Math.max(72, Math.min(150, panel.w * 0.22)));
  const k = Math.min(W / Math.max(1, b.x1 - b.x0), (panel.h - 8) / Math.max(1, b.y1 - b.y0));
  const H = (b.y1 - b.y0) * k;
  const drag = useRef(false);
  const at = (e: RPointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    onCentre(b.x0 + (e.clientX - r.left) / k, b.y0 + (e.clientY - r.top) / k);
  };
  return (
    <svg
      data-testid="tree-minimap"
      aria-hidden="true"
      width={Math.ceil((b.x1 - b.x0) * k) + 2}
      height={Math.ceil(H) + 2}
      className="m-1 shrink-0 cursor-pointer self-start rounded border border-slate-400 bg-slate-50 dark:border-slate-500 dark:bg-slate-950"
      onPointerDown={(e) => {
        drag.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        at(e);
      }}
      onPointerMove={(e) => drag.current && at(e)}
      onPointerUp={() => (drag.current = false)}
    >
      {layout.nodes.map((n) => (
        <rect key={n.d.name} x={(n.x - b.x0) * k} y={(n.y - b.y0) * k} width={n.w * k} height={NODE_H * k} className={KIND_COLOUR[n.d.kind] ?? OTHER_COLOUR} strokeWidth={0.5} />
      ))}
      <rect
        data-testid="tree-minimap-view"
        x={(view.x0 - b.x0) * k}
        y={(view.y0 - b.y0) * k}
        width={(view.x1 - view.x0) * k}
        height={(view.y1 - view.y0) * k}
        fill="none"
        className="stroke-sky-600 dark:stroke-sky-400"
        strokeWidth={1.5}
      />
    </svg>
  );
}

/** Label slots of every domain: the selected chain's badge, then the travel's label. */
function useLabels(domains: readonly TreeDomain[] | undefined, chain: ReadonlyMap<string, IrqLevelView>, collapsed: ReadonlySet<string>, withTravel: boolean) {
  const shownTravel = useTravel((s) => s.travel);
  const travel = withTravel ? shownTravel : null;
  return useMemo(() => {
    const base = layoutDomains(domains ?? [], { collapsed });
    const width = new Map(base.nodes.map((n) => [n.d.name, n.labelW - 10]));
    const at = (name: string) => base.alias.get(name) ?? name;
    const texts = new Map<string, { chain?: string[]; travel?: number }>();
    for (const [name, l] of chain) {
      const w = width.get(name);
      if (w !== undefined) texts.set(name, { chain: wrapText(chainLabel(l), w, FONT_LABEL) });
    }
    // The travel's label of a domain changes as stops are reached: reserve its largest.
    if (travel) {
      const all = travelLabelTexts(travel, travel.stops.length - 1, at, true);
      for (const [name, versions] of all) {
        const w = width.get(name);
        if (w === undefined) continue;
        const lines = Math.max(...versions.map((t) => wrapText(t, w, FONT_LABEL).length));
        texts.set(name, { ...texts.get(name), travel: lines });
      }
    }
    const labels = new Map<string, NodeLabel[]>();
    for (const [name, t] of texts) {
      const l: NodeLabel[] = [];
      if (t.chain) l.push({ kind: 'chain', lines: t.chain.length });
      if (t.travel) l.push({ kind: 'travel', lines: t.travel });
      labels.set(name, l);
    }
    const layout = layoutDomains(domains ?? [], { collapsed, labels });
    const chainLines = new Map<string, string[]>();
    for (const [name, t] of texts) if (t.chain) chainLines.set(name, t.chain);
    return { layout, chainLines };
  }, [domains, chain, collapsed, travel]);
}

export interface DomainTreeViewProps {
  domains: readonly TreeDomain[] | undefined;
  /** The selected interrupt: its virq and its chain, top level first. */
  irq: { virq: number; chain: readonly IrqLevelView[] } | null;
  selectedDomain: string | null;
  onPick: (name: string) => void;
  /** The context menu's kernel calls on a domain (a simulated machine only). */
  menus?: boolean;
  /** The travelling message's token, trail and labels (a simulated machine only). */
  travel?: boolean;
  subtitle?: ReactNode;
}

export function DomainTreePanel() {
  const domains = useStore((s) => s.snapshot?.view.domains);
  const selection = useStore((s) => s.selection);
  const irq = useStore(selectedIrq);
  return (
    <DomainTreeView
      domains={domains}
      irq={irq ?? null}
      selectedDomain={selection?.kind === 'domain' ? selection.name : null}
      onPick={(name) => void select({ kind: 'domain', name })}
      menus
      travel
    />
  );
}

/** The tree drawn from plain props, in the panel frame (title "Domain tree"). */
export function DomainTreeView({ domains, irq, selectedDomain, onPick, menus = false, travel = false, subtitle }: DomainTreeViewProps) {
  const svgRef = useRef<SVGSVGElement>(null);
  const { t, fit, zoomBy, wasDrag, handlers, reveal, centreOn, view } = usePanZoom(svgRef);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());

  const chain = useMemo(() => {
    const m = new Map<string, IrqLevelView>();
    for (const l of irq?.chain ?? []) m.set(l.domain, l);
    return m;
  }, [irq]);
  // A selected chain that runs through a folded subtree opens it.
  useEffect(() => {
    if (!irq || !domains) return;
    const parent = new Map(domains.map((d) => [d.name, d.parent]));
    const open = new Set<string>();
    for (const l of irq.chain) for (let p = parent.get(l.domain); p; p = parent.get(p)) if (collapsed.has(p)) open.add(p);
    if (open.size) setCollapsed((c) => new Set([...c].filter((x) => !open.has(x))));
  }, [irq, domains, collapsed]);

  const { layout, chainLines } = useLabels(domains, chain, collapsed, travel);
  const shapeKey = useMemo(() => (domains ?? []).map((d) => `${d.name}<${d.parent}`).join('|') + `#${[...collapsed].join(',')}`, [domains, collapsed]);
  const bounds = useRef(layout.bounds);
  bounds.current = layout.bounds;
  // Where a tree too big for the panel opens: at its first root (VECTOR, at the left), scrolled so
  // that the root and as many whole nodes as fit are in view.
  const anchor = useRef<{ x: number; y: number } | undefined>(undefined);
  const most = useRef<{ keep: Box; nodes: Box[] } | undefined>(undefined);
  const root = layout.nodes.find((n) => !n.d.parent) ?? layout.nodes[0];
  anchor.current = root ? { x: root.x, y: root.y + NODE_H / 2 } : undefined;
  const nodeBox = (n: LaidNode): Box => ({ x0: n.x, y0: n.y, x1: n.x + n.w, y1: n.y + NODE_H });
  most.current = root ? { keep: nodeBox(root), nodes: layout.nodes.map(nodeBox) } : undefined;
  const fitTree = useCallback(() => fit(bounds.current, anchor.current, undefined, most.current), [fit]);

  // Re-fit when domains appear or go (or the panel resizes); keep the user's pan/zoom otherwise.
  useEffect(() => {
    fitTree();
    const svg = svgRef.current;
    if (!svg || typeof ResizeObserver === 'undefined') return;
    let first = true;
    const ro = new ResizeObserver(() => {
      if (first) first = false;
      else fitTree();
    });
    ro.observe(svg);
    return () => ro.disconnect();
  }, [shapeKey, fitTree]);

  /** The boxes of what is selected: the chain's nodes with their labels, or the selected domain. */
  const selectionBox = useCallback((): Box | null => {
    const names = irq ? irq.chain.map((l) => l.domain) : selectedDomain ? [selectedDomain] : [];
    const ns = layout.nodes.filter((n) => names.includes(n.d.name));
    if (!ns.length) return null;
    return {
      x0: Math.min(...ns.map((n) => n.x)) - 8,
      y0: Math.min(...ns.map((n) => n.y)) - 8,
      x1: Math.max(...ns.map((n) => n.x + Math.max(n.w, n.slots.length ? n.labelW : 0))) + 8,
      y1: Math.max(...ns.map((n) => (n.slots.at(-1) ? n.slots.at(-1)!.y + n.slots.at(-1)!.h : n.y + NODE_H))) + 8,
    };
  }, [irq, selectedDomain, layout]);
  /** The selection as large as fits; when it does not fit, its top level (where the message starts). */
  const fitSelection = () => {
    const sb = selectionBox();
    const top = layout.nodes.find((n) => n.d.name === (irq ? irq.chain[0]?.domain : selectedDomain));
    if (sb) fit(sb, top ? { x: top.x + top.w / 2, y: top.y + NODE_H / 2 } : undefined);
  };
  // A new selection out of view is brought into it.
  const selKey = irq ? `irq${irq.virq}` : selectedDomain ?? '';
  useEffect(() => {
    const b = selectionBox();
    if (b) reveal(b, undefined, most.current?.nodes);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selKey]);

  const pick = (d: TreeDomain) => {
    if (!wasDrag()) onPick(d.name);
  };
  const toggle = (name: string) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  const onFocusNode = (n: LaidNode) => reveal({ x0: n.x - 8, y0: n.y - 8, x1: n.x + n.w + 2 * TOGGLE_R + 12, y1: n.y + NODE_H + 8 });
  const hasChildren = useMemo(() => new Set((domains ?? []).map((d) => d.parent).filter((p): p is string => !!p)), [domains]);
  // The minimap shows once the tree at this zoom is bigger than the whole panel body.
  const [body, setBody] = useState({ w: 0, h: 0 });
  useEffect(() => {
    const el = svgRef.current?.parentElement;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setBody({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const b = layout.bounds;
  const bigger = view !== null && body.w > 0 && ((b.x1 - b.x0) * t.k > body.w - 20 || (b.y1 - b.y0) * t.k > body.h - 20);

  return (
    <Panel
      title="Domain tree"
      testId="domain-tree"
      subtitle={subtitle ?? (irq ? `chain of irq ${irq.virq}: ${irq.chain.length} level${irq.chain.length === 1 ? '' : 's'}` : `${domains?.length ?? 0} domain${domains?.length === 1 ? '' : 's'}`)}
      tools={
        <>
          <button type="button" className={btnGhost} aria-label="Zoom in" title="Zoom in (Ctrl+wheel)" onClick={() => zoomBy(1.25)}>+</button>
          <button type="button" className={btnGhost} aria-label="Zoom out" title="Zoom out (text stays 11 px or larger)" onClick={() => zoomBy(0.8)}>−</button>
          <button type="button" className={btnGhost} aria-label="Fit tree to panel" title="The whole tree, as large as fits (it scrolls when it does not fit at full size)" onClick={fitTree}>fit</button>
          <button type="button" className={btnGhost} aria-label="Fit selection" title="Fit the selection: bring the selected chain or domain into view" disabled={!irq && !selectedDomain} onClick={fitSelection}><span aria-hidden="true">◎</span></button>
        </>
      }
      bodyClassName="flex overflow-hidden"
    >
      <svg ref={svgRef} className="block h-full min-w-0 flex-1 touch-none select-none" {...handlers} role="group" aria-label="irq domain hierarchy" data-k={t.k}>
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
                className={lit ? 'stroke-amber-500 [stroke-width:2.5]' : 'stroke-slate-400 dark:stroke-slate-500 [stroke-width:1.5]'}
              />
            );
          })}
          {travel && <TravelTrail layout={layout} />}
          {layout.nodes.map((n) => (
            <DomainNode key={n.d.name} n={n} level={chain.get(n.d.name) ?? null} selected={selectedDomain === n.d.name} onPick={pick} onFocusNode={onFocusNode} menus={menus} />
          ))}
          {layout.nodes.filter((n) => hasChildren.has(n.d.name)).map((n) => <Toggle key={n.d.name} n={n} onToggle={toggle} onFocusNode={onFocusNode} />)}
          {layout.nodes.map((n) => {
            const lines = chainLines.get(n.d.name);
            const slot = n.slots.find((s) => s.kind === 'chain');
            if (!lines || !slot) return null;
            return (
              <g key={`c${n.d.name}`} className="text-amber-950 dark:text-amber-50">
                <SlotBadge x={n.x} y={slot.y} w={n.labelW} lines={lines} tone="fill-amber-100 stroke-amber-600 dark:fill-amber-900 dark:stroke-amber-400" testId="chain-level" id={labelId('chain', n.d.name)} />
              </g>
            );
          })}
          {travel && <TravelMarks layout={layout} />}
          {travel && <TravelToken layout={layout} />}
        </g>
      </svg>
      {/* Beside the drawing, never over it: the whole tree small, with the part in view. */}
      {bigger && view && <Minimap layout={layout} view={view} panel={{ w: (view.x1 - view.x0) * t.k, h: (view.y1 - view.y0) * t.k }} onCentre={centreOn} />}
    </Panel>
  );
}
