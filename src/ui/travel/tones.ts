// Colours of the travel's stops, one family per kind, for the caption's chips (Tailwind
// classes), the tree's marks (SVG classes) and the canvas pulse (plain colours).

import type { StopKind } from './stops';

type Tone = 'sky' | 'teal' | 'indigo' | 'emerald' | 'amber' | 'rose' | 'violet' | 'slate';

const TONE: Record<StopKind, Tone> = {
  device: 'sky', pending: 'amber', remap: 'teal', its: 'teal', apic: 'slate', cpu: 'indigo', handler: 'emerald',
  lost: 'rose', fault: 'rose',
  alloc: 'sky', activate: 'emerald', compose: 'emerald', write: 'emerald', affinity: 'violet', mask: 'amber',
  deactivate: 'rose', free: 'rose', move: 'violet',
};

// Written out in full so Tailwind finds every class.
const CHIP: Record<Tone, string> = {
  sky: 'bg-sky-100 text-sky-800 dark:bg-sky-900/70 dark:text-sky-200',
  teal: 'bg-teal-100 text-teal-800 dark:bg-teal-900/70 dark:text-teal-200',
  indigo: 'bg-indigo-100 text-indigo-800 dark:bg-indigo-900/70 dark:text-indigo-200',
  emerald: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/70 dark:text-emerald-200',
  amber: 'bg-amber-100 text-amber-900 dark:bg-amber-900/70 dark:text-amber-100',
  rose: 'bg-rose-100 text-rose-800 dark:bg-rose-900/70 dark:text-rose-200',
  violet: 'bg-violet-100 text-violet-800 dark:bg-violet-900/70 dark:text-violet-200',
  slate: 'bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100',
};

const SVG_FILL: Record<Tone, string> = {
  sky: 'fill-sky-600 dark:fill-sky-400',
  teal: 'fill-teal-600 dark:fill-teal-400',
  indigo: 'fill-indigo-600 dark:fill-indigo-400',
  emerald: 'fill-emerald-600 dark:fill-emerald-400',
  amber: 'fill-amber-500 dark:fill-amber-400',
  rose: 'fill-rose-600 dark:fill-rose-400',
  violet: 'fill-violet-600 dark:fill-violet-400',
  slate: 'fill-slate-600 dark:fill-slate-300',
};

const SVG_STROKE: Record<Tone, string> = {
  sky: 'stroke-sky-600 dark:stroke-sky-400',
  teal: 'stroke-teal-600 dark:stroke-teal-400',
  indigo: 'stroke-indigo-600 dark:stroke-indigo-400',
  emerald: 'stroke-emerald-600 dark:stroke-emerald-400',
  amber: 'stroke-amber-500 dark:stroke-amber-400',
  rose: 'stroke-rose-600 dark:stroke-rose-400',
  violet: 'stroke-violet-600 dark:stroke-violet-400',
  slate: 'stroke-slate-600 dark:stroke-slate-300',
};

const RGB: Record<Tone, [string, string]> = {
  sky: ['#0284c7', '#38bdf8'],
  teal: ['#0d9488', '#2dd4bf'],
  indigo: ['#4f46e5', '#818cf8'],
  emerald: ['#059669', '#34d399'],
  amber: ['#f59e0b', '#fbbf24'],
  rose: ['#e11d48', '#fb7185'],
  violet: ['#7c3aed', '#a78bfa'],
  slate: ['#475569', '#cbd5e1'],
};

export const chipClass = (k: StopKind) => CHIP[TONE[k]];
export const svgFill = (k: StopKind) => SVG_FILL[TONE[k]];
export const svgStroke = (k: StopKind) => SVG_STROKE[TONE[k]];
export const toneColour = (k: StopKind, dark: boolean) => RGB[TONE[k]][dark ? 1 : 0];
