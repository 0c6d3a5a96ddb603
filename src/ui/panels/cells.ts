// The vector map's cell codes (the engine's matrix Cell states) and how they are drawn.

import { Cell as CELL } from '../../engine/arch/x86/cells';

/** The engine's `Cell` codes (src/engine/arch/x86/cells.ts): what the worker sends. */
export { CELL };

export const CELL_LEGEND: { code: number; label: string; title: string }[] = [
  { code: CELL.SYSTEM, label: 'system', title: 'system_map: exceptions and system vectors, on every CPU' },
  { code: CELL.MANAGED, label: 'managed reserved', title: 'managed_map: reserved for a managed interrupt, not allocated' },
  { code: CELL.ALLOCATED, label: 'allocated', title: 'alloc_map: allocated to a (non-managed) interrupt' },
  { code: CELL.MANAGED_ALLOCATED, label: 'managed allocated', title: 'allocated from a managed reservation' },
  { code: CELL.FREE, label: 'free', title: 'free, inside the allocation window' },
  { code: CELL.OUTSIDE, label: 'outside window', title: 'outside [alloc_start, alloc_end): never handed out' },
];

const LIGHT = ['#eef2f7', '#cbd5e1', '#64748b', '#fbbf24', '#0ea5e9', '#7c3aed'];
const DARK = ['#1e293b', '#334155', '#94a3b8', '#d97706', '#38bdf8', '#a78bfa'];

export function cellColour(code: number, dark: boolean): string {
  return (dark ? DARK : LIGHT)[code] ?? '#ff00ff';
}

export function cellName(code: number): string {
  return CELL_LEGEND.find((l) => l.code === code)?.label ?? `state ${code}`;
}
