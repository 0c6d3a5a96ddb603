// The travel animation's own small store, apart from the app store: it changes a few times a
// second while an animation plays (the stop index), and only the caption, the tree's badges
// and the /proc row subscribe to it. Per-frame motion never goes through React (see player.ts).

import { create } from 'zustand';
import type { Travel } from './stops';

export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;
export type Motion = 'system' | 'reduce' | 'full';

export interface TravelState {
  travel: Travel | null;
  /** Bumped for every new travel (keys effects that restart per travel). */
  seq: number;
  /** The last stop the token has arrived at (-1 before the first); stops.length - 1 once done. */
  index: number;
  playing: boolean;
  done: boolean;
  speed: number;
  /** User setting; 'system' follows prefers-reduced-motion. */
  motion: Motion;
  /** What the system asks for (prefers-reduced-motion: reduce). */
  systemReduce: boolean;
  /** The stop a walk through the step's call trace points at (compare/TraceWalk); null: none. */
  walked: number | null;
}

const KEY = 'irqscope.travel';

function stored(): { speed: number; motion: Motion } {
  const fallback = { speed: 1, motion: 'system' as Motion };
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
    if (!raw || raw.length > 200) return fallback;
    const v = JSON.parse(raw) as { speed?: unknown; motion?: unknown };
    const speed = typeof v.speed === 'number' && (SPEEDS as readonly number[]).includes(v.speed) ? v.speed : 1;
    const motion = v.motion === 'reduce' || v.motion === 'full' || v.motion === 'system' ? v.motion : 'system';
    return { speed, motion };
  } catch {
    return fallback;
  }
}

function systemReduce(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export const useTravel = create<TravelState>()(() => ({
  travel: null,
  seq: 0,
  index: -1,
  playing: false,
  done: true,
  ...stored(),
  systemReduce: systemReduce(),
  walked: null,
}));

export function saveSettings(): void {
  const { speed, motion } = useTravel.getState();
  try {
    localStorage.setItem(KEY, JSON.stringify({ speed, motion }));
  } catch {
    /* private mode: the setting lasts for this page only */
  }
}

/** Is motion reduced (the user's setting, or the system's when the setting follows it)? */
export function reduced(s: Pick<TravelState, 'motion' | 'systemReduce'>): boolean {
  return s.motion === 'reduce' || (s.motion === 'system' && s.systemReduce);
}

/** Has the message reached its handler yet (the /proc/interrupts row flashes then; the count itself is shown at once)? */
export function countMoved(s: Pick<TravelState, 'travel' | 'index' | 'done'>): boolean {
  const t = s.travel;
  return !t || t.countAt < 0 || s.done || s.index >= t.countAt;
}
