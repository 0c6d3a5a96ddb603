// Playback and the time line's keys. Playing moves one step at a time at the chosen speed and
// stops at the end, on an edit or on a load. Keys: ← → step, Home End (in the command
// catalog), Space plays or pauses, Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y) undo and redo edits.

import { useEffect } from 'react';
import { useStore } from '../store';
import { gotoStep, intendedStep, stepBy } from '../store/commands';
import { redoEdit, undoEdit } from './history';

export const SPEEDS = [0.5, 1, 2, 4, 8] as const;

/** The keys this module handles, for the help dialog. */
export const TIMELINE_KEYS: { key: string; label: string }[] = [
  { key: '← →', label: 'Step back / forward' },
  { key: 'Space', label: 'Play or pause' },
  { key: 'Ctrl+Z', label: 'Undo the last edit (an added action, or a cut)' },
  { key: 'Ctrl+Y', label: 'Redo (also Ctrl+Shift+Z)' },
];

export function togglePlay(): void {
  const s = useStore.getState();
  if (!s.snapshot) return;
  if (s.playing) {
    s.setPlaying(false);
    return;
  }
  // At the end, play starts over from the beginning.
  if (intendedStep() >= s.records.length) void gotoStep(0).then(() => useStore.getState().setPlaying(true));
  else s.setPlaying(true);
}

/** While playing: the next step after 1/speed seconds, until the end. */
export function usePlayback(): void {
  const playing = useStore((s) => s.playing);
  const speed = useStore((s) => s.speed);
  const step = useStore((s) => s.snapshot?.step ?? 0);
  const n = useStore((s) => s.records.length);
  useEffect(() => {
    if (!playing) return;
    if (step >= n) {
      useStore.getState().setPlaying(false);
      return;
    }
    const t = setTimeout(() => {
      if (useStore.getState().playing) void stepBy(1);
    }, 1000 / speed);
    return () => clearTimeout(t);
  }, [playing, speed, step, n]);
}

function ownsKeys(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName)) return true;
  return t.closest('[data-own-keys]') !== null;
}

function isActivatable(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.tagName === 'BUTTON' || t.tagName === 'A' || t.getAttribute('role') === 'button' || t.tagName === 'SUMMARY');
}

export function useTimelineKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useStore.getState();
      if (e.defaultPrevented || s.dialog || !s.snapshot || ownsKeys(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.altKey && (e.key === 'z' || e.key === 'Z' || e.key === 'y')) {
        e.preventDefault();
        if (e.key === 'y' || e.shiftKey) void redoEdit();
        else void undoEdit();
        return;
      }
      if (mod || e.altKey) return;
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        void stepBy(e.key === 'ArrowLeft' ? -1 : 1);
      } else if (e.key === ' ' && !isActivatable(e.target)) {
        e.preventDefault();
        togglePlay();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
