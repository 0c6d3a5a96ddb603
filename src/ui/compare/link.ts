// The panel layout and the side-by-side pairing in the page's query (the hash holds the scenario,
// as the TypeScript playground keeps settings in the query and code in the hash): written only
// when they differ from the defaults, read (and validated: a link is input) at start-up.
//
//   ?layout=t36.c31-26-43.r50-47-50.x0-3.m2     top %, column %, row %, collapsed panels, maximised panel
//   ?pair=remap:none  ?pair=kernel:6.1          the paired machine: the same scenario with these settings
//   ?pair=arch:arm64  ?pair=story:ims-device     … on the other architecture; another story's scenario
//   ?embed  ?embed&panel=Domain%20tree          no chrome (embed.tsx); `embed=mirror`: a split view's other side

import { COLUMNS, DEFAULT_LAYOUT, setLayout, useLayout, type LayoutState, type PanelId } from '../chrome/layout';
import { useCompare, type Pairing } from './store';
import { storyByName } from '../../scenario/stories';

/** Panels by their index in a link. */
const PANELS: readonly PanelId[] = ['Vector map', 'GICv3 ITS', ...COLUMNS.flat()];
const pc = (x: number) => Math.round(x * 100);

export function encodeLayout(l: LayoutState): string | null {
  const parts: string[] = [];
  if (l.top !== DEFAULT_LAYOUT.top) parts.push(`t${l.top === null ? 'n' : pc(l.top)}`);
  if (l.cols.some((c, i) => pc(c) !== pc(DEFAULT_LAYOUT.cols[i]))) parts.push(`c${l.cols.map(pc).join('-')}`);
  if (l.rows.some((r, i) => pc(r) !== pc(DEFAULT_LAYOUT.rows[i]))) parts.push(`r${l.rows.map(pc).join('-')}`);
  const collapsed = PANELS.map((p, i) => (l.collapsed[p] ? i : -1)).filter((i) => i >= 0);
  if (collapsed.length) parts.push(`x${collapsed.join('-')}`);
  if (l.maximised) parts.push(`m${PANELS.indexOf(l.maximised)}`);
  return parts.length ? parts.join('.') : null;
}

/** A layout from a link; null when the text is not one (then the stored layout stays). */
export function decodeLayout(text: string): Partial<LayoutState> | null {
  if (text.length > 200 || !/^[tcrxmn0-9.\-]+$/.test(text)) return null;
  const out: Partial<LayoutState> = { collapsed: {}, maximised: null };
  const nums = (s: string, n: number, lo: number, hi: number) => {
    const v = s.split('-').map(Number);
    return v.length === n && v.every((x) => Number.isInteger(x) && x >= lo && x <= hi) ? v.map((x) => x / 100) : null;
  };
  for (const part of text.split('.')) {
    const [k, rest] = [part[0], part.slice(1)];
    if (k === 't') {
      if (rest === 'n') out.top = null;
      else {
        const v = nums(rest, 1, 5, 90);
        if (!v) return null;
        out.top = v[0];
      }
    } else if (k === 'c') {
      const v = nums(rest, 3, 5, 90);
      if (!v) return null;
      const sum = v.reduce((a, b) => a + b, 0);
      out.cols = v.map((x) => x / sum) as LayoutState['cols'];
    } else if (k === 'r') {
      const v = nums(rest, 3, 5, 95);
      if (!v) return null;
      out.rows = v as LayoutState['rows'];
    } else if (k === 'x') {
      for (const i of rest.split('-').map(Number)) {
        if (!Number.isInteger(i) || !PANELS[i]) return null;
        out.collapsed![PANELS[i]] = true;
      }
    } else if (k === 'm') {
      const i = Number(rest);
      if (!Number.isInteger(i) || !PANELS[i]) return null;
      out.maximised = PANELS[i];
    } else return null;
  }
  return out;
}

const PAIR_KEYS: Record<Exclude<keyof Pairing, 'story'>, readonly string[]> = {
  remap: ['intel-ir', 'amd-ir', 'none'],
  kernel: ['6.1', '6.12', '7.2'],
  msiModel: ['v2', 'v1', 'nonhier', 'legacy'],
  arch: ['x86', 'arm64'],
};

export function encodePairing(p: Pairing): string {
  return Object.entries(p).map(([k, v]) => `${k}:${v}`).join(',');
}

export function decodePairing(text: string): Pairing | null {
  if (text.length > 100) return null;
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const m = /^(remap|kernel|msiModel|arch|story):([\w.-]+)$/.exec(part);
    if (!m) return null;
    const ok = m[1] === 'story' ? storyByName(m[2]) !== undefined : PAIR_KEYS[m[1] as keyof typeof PAIR_KEYS].includes(m[2]);
    if (!ok) return null;
    out[m[1]] = m[2];
  }
  // A story is a whole scenario of its own: it pairs alone.
  if (out.story && Object.keys(out).length > 1) return null;
  return Object.keys(out).length ? (out as Pairing) : null;
}

/** The page's query parameters (read through a parameter so tests can pass any). */
export function params(search = typeof location === 'undefined' ? '' : location.search): URLSearchParams {
  return new URLSearchParams(search);
}

/** The embed mode of this page: null (the full app), 'page' (?embed), 'mirror' (a split view's other side). */
export function embedMode(search?: string): { mode: 'page' | 'mirror'; panel: PanelId | null } | null {
  const p = params(search);
  if (!p.has('embed')) return null;
  const panel = p.get('panel');
  return { mode: p.get('embed') === 'mirror' ? 'mirror' : 'page', panel: panel && (PANELS as readonly string[]).includes(panel) ? (panel as PanelId) : null };
}

function writeParams(mut: (p: URLSearchParams) => void): void {
  const p = params();
  const before = p.toString();
  mut(p);
  const after = p.toString();
  if (after === before) return;
  // The keys are plain words; keep `?embed` without "=".
  const q = after.replace(/(^|&)embed=(?=&|$)/, '$1embed');
  history.replaceState(history.state, '', `${location.pathname}${q ? `?${q}` : ''}${location.hash}`);
}

/** Read ?layout and ?pair at start-up, then keep them following the layout and the pairing. */
export function installCompareLinks(): () => void {
  const p = params();
  const l = p.get('layout');
  const layout = l ? decodeLayout(l) : null;
  if (layout) setLayout({ ...DEFAULT_LAYOUT, ...layout });
  const pair = p.get('pair');
  const pairing = pair ? decodePairing(pair) : null;
  // A story pairing in a link is the story's own (it goes with the story when another is opened).
  if (pairing) useCompare.setState({ pairing, storyPaired: !!pairing.story });
  const embedded = embedMode() !== null;
  const unLayout = useLayout.subscribe((s) => {
    if (embedded) return;
    const text = encodeLayout(s);
    writeParams((q) => (text ? q.set('layout', text) : q.delete('layout')));
  });
  const unPair = useCompare.subscribe((s, prev) => {
    if (embedded || s.pairing === prev.pairing) return;
    writeParams((q) => (s.pairing ? q.set('pair', encodePairing(s.pairing)) : q.delete('pair')));
  });
  if (!embedded) {
    const text = encodeLayout(useLayout.getState());
    writeParams((q) => (text ? q.set('layout', text) : q.delete('layout')));
  }
  return () => {
    unLayout();
    unPair();
  };
}
