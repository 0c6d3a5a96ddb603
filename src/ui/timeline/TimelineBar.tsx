// The time line under the actions bar: step back and forth, jump anywhere with the scrubber,
// play at a speed, undo and redo edits; and, while following a guided story, the sentence of
// the step shown.

import { useEffect, useMemo, useState } from 'react';
import { btn, input, kbd } from '../chrome/styles';
import { useStore } from '../store';
import { gotoStep, stepBy } from '../store/commands';
import { StoryTitle } from '../scenarios/StoriesDialog';
import { storyProgress } from '../scenarios/storyState';
import { redoEdit, undoEdit } from './history';
import { SPEEDS, togglePlay, usePlayback, useTimelineKeys } from './playback';

function Icon({ d, title }: { d: string; title?: string }) {
  return (
    <svg viewBox="0 0 16 16" className="h-3.5 w-3.5" aria-hidden="true">
      {title && <title>{title}</title>}
      <path d={d} className="fill-current" />
    </svg>
  );
}

const ICON = {
  first: 'M3 3h2v10H3zM13 3v10L6 8z',
  back: 'M12 3v10L5 8zM4 3h1v10H4z',
  play: 'M4 2.5v11L13 8z',
  pause: 'M4 3h3v10H4zM9 3h3v10H9z',
  forward: 'M4 3v10l7-5zM11 3h1v10h-1z',
  last: 'M3 3v10l7-5zM11 3h2v10h-2z',
  undo: 'M6 3 2 7l4 4V8.2c3.2 0 5.4.8 7 3.3-.5-3.6-2.8-5.9-7-6.3z',
  redo: 'M10 3l4 4-4 4V8.2c-3.2 0-5.4.8-7 3.3.5-3.6 2.8-5.9 7-6.3z',
};

/** Red marks on the scrubber where a step failed (its errno is part of the scenario). */
function FailureTicks({ n }: { n: number }) {
  const records = useStore((s) => s.records);
  const marks = useMemo(() => {
    const out: number[] = [];
    records.forEach((r, i) => {
      if (!r.result.ok) out.push(i + 1);
    });
    return out;
  }, [records]);
  if (!marks.length || n === 0) return null;
  return (
    <div aria-hidden="true" className="pointer-events-none absolute inset-x-[7px] bottom-0 h-1">
      {marks.slice(0, 400).map((k) => (
        <span key={k} className="absolute bottom-0 h-1 w-0.5 -translate-x-1/2 bg-rose-500" style={{ left: `${(k / n) * 100}%` }} />
      ))}
    </div>
  );
}

function Scrubber() {
  const step = useStore((s) => s.snapshot?.step ?? 0);
  const n = useStore((s) => s.records.length);
  // While dragging, the thumb follows the pointer at once; the view follows when the engine answers.
  const [drag, setDrag] = useState<number | null>(null);
  useEffect(() => {
    if (drag !== null && drag === step) setDrag(null);
  }, [drag, step]);
  const value = drag ?? step;
  return (
    <div className="relative flex min-w-24 flex-1 items-center" data-own-keys>
      <input
        type="range"
        aria-label="Step"
        aria-valuetext={`step ${value} of ${n}`}
        data-testid="scrubber"
        min={0}
        max={n}
        step={1}
        value={value}
        disabled={n === 0}
        onChange={(e) => {
          const k = Number(e.target.value);
          setDrag(k);
          void gotoStep(k);
        }}
        className="h-5 w-full cursor-pointer accent-sky-600 disabled:cursor-default"
      />
      <FailureTicks n={n} />
    </div>
  );
}

function StoryCaption() {
  const name = useStore((s) => s.story);
  const actions = useStore((s) => s.scenario?.actions);
  const step = useStore((s) => s.snapshot?.step ?? 0);
  const openDialog = useStore((s) => s.openDialog);
  const p = storyProgress(name, actions, step);
  if (!p) return null;
  const n = p.story.scenario.actions.length;
  const failed = step > 0 && step <= p.following && p.story.outcomes[step - 1] !== 'ok' && typeof p.story.outcomes[step - 1] === 'string';
  return (
    <div
      data-testid="story-caption"
      className="flex min-h-8 items-start gap-2 border-t max-[899.98px]:flex-wrap border-sky-100 bg-sky-50/80 px-3 py-1 text-xs leading-snug text-slate-800 dark:border-sky-950 dark:bg-sky-950/40 dark:text-slate-100"
    >
      <button
        type="button"
        className="shrink-0 rounded font-semibold text-sky-800 hover:underline focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-300"
        title="Choose another story"
        onClick={() => openDialog({ kind: 'stories' })}
      >
        <StoryTitle text={p.story.title} />
      </button>
      <span className="shrink-0 font-mono text-[11px] text-slate-500 dark:text-slate-400">
        {step === 0 ? 'intro' : p.caption === null ? 'off script' : `${step}/${n}`}
      </span>
      {p.caption !== null ? (
        <p className={`min-w-0 flex-1 max-[899.98px]:basis-full ${failed ? 'text-rose-800 dark:text-rose-200' : ''}`} data-testid="story-caption-text">
          {p.caption}
        </p>
      ) : (
        <p className="min-w-0 flex-1 italic text-slate-500 dark:text-slate-400" data-testid="story-caption-text">
          Your own steps from step {p.following + 1} on: the story’s script ended there. Undo (Ctrl+Z) returns to it.
        </p>
      )}
    </div>
  );
}

export function TimelineBar() {
  usePlayback();
  useTimelineKeys();
  const step = useStore((s) => s.snapshot?.step ?? 0);
  const n = useStore((s) => s.records.length);
  const playing = useStore((s) => s.playing);
  const speed = useStore((s) => s.speed);
  const setSpeed = useStore((s) => s.setSpeed);
  const past = useStore((s) => s.past);
  const future = useStore((s) => s.future);
  const undoTitle = past.length ? `Undo ${past.at(-1)!.label}  [Ctrl+Z]` : 'Nothing to undo  [Ctrl+Z]';
  const redoTitle = future.length ? `Redo ${future.at(-1)!.label}  [Ctrl+Shift+Z]` : 'Nothing to redo  [Ctrl+Shift+Z]';
  const iconBtn = btn + ' w-7 justify-center px-0';
  return (
    <div role="region" aria-label="Time line" data-testid="timeline" className="shrink-0 border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="flex h-9 items-center gap-2 px-3 max-[899.98px]:h-auto max-[899.98px]:flex-wrap max-[899.98px]:gap-y-1 max-[899.98px]:py-1">
        <div role="group" aria-label="Step" className="flex items-center gap-0.5">
          <button type="button" className={iconBtn} aria-label="First step" title="First step: the freshly booted machine  [Home]" disabled={step === 0} onClick={() => void gotoStep(0)}>
            <Icon d={ICON.first} />
          </button>
          <button type="button" className={iconBtn} aria-label="Step back" title="Step back  [←]" disabled={step === 0} onClick={() => void stepBy(-1)}>
            <Icon d={ICON.back} />
          </button>
          <button
            type="button"
            className={iconBtn + (playing ? ' border-sky-500 text-sky-700 dark:text-sky-300' : '')}
            aria-label={playing ? 'Pause' : 'Play'}
            title={playing ? 'Pause  [Space]' : 'Play the steps one by one  [Space]'}
            disabled={n === 0}
            onClick={togglePlay}
          >
            <Icon d={playing ? ICON.pause : ICON.play} />
          </button>
          <button type="button" className={iconBtn} aria-label="Step forward" title="Step forward  [→]" disabled={step >= n} onClick={() => void stepBy(1)}>
            <Icon d={ICON.forward} />
          </button>
          <button type="button" className={iconBtn} aria-label="Last step" title="Last step  [End]" disabled={step >= n} onClick={() => void gotoStep(n)}>
            <Icon d={ICON.last} />
          </button>
        </div>
        <label className="flex items-center gap-1 text-[11px] text-slate-500 dark:text-slate-400" title="Playback speed">
          <span className="sr-only">Playback speed</span>
          <select aria-label="Playback speed" className={input + ' h-7 w-[4.5rem] px-1 text-xs'} value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((v) => (
              <option key={v} value={v}>
                {v}×
              </option>
            ))}
          </select>
        </label>
        <Scrubber />
        <span data-testid="step-label" className="min-w-24 shrink-0 whitespace-nowrap text-right font-mono text-xs tabular-nums text-slate-700 dark:text-slate-200" aria-live="off">
          step {step} / {n}
        </span>
        <div className="h-5 w-px bg-slate-300 dark:bg-slate-700" />
        <div role="group" aria-label="Edits" className="flex items-center gap-0.5">
          <button type="button" className={iconBtn} aria-label="Undo edit" title={undoTitle} disabled={!past.length} onClick={() => void undoEdit()}>
            <Icon d={ICON.undo} />
          </button>
          <button type="button" className={iconBtn} aria-label="Redo edit" title={redoTitle} disabled={!future.length} onClick={() => void redoEdit()}>
            <Icon d={ICON.redo} />
          </button>
        </div>
        <span className="hidden shrink-0 text-[10.5px] text-slate-400 xl:inline dark:text-slate-500">
          <kbd className={kbd}>←</kbd> <kbd className={kbd}>→</kbd> <kbd className={kbd}>Space</kbd>
        </span>
      </div>
      <StoryCaption />
    </div>
  );
}
