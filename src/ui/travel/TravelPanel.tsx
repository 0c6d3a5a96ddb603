// The propagation caption: the stops of the last action, one line each, in order — the
// current one highlighted as the token reaches it — with play/pause, skip, speed and the
// reduced-motion switch. With motion reduced every stop is shown at once.

import { useEffect, useRef } from 'react';
import { Panel } from '../chrome/Panel';
import { btnGhost } from '../chrome/styles';
import { onFrame, pause, replay, replayStep, resume, seek, setMotion, setSpeed, skip } from './player';
import { useStore } from '../store';
import { KIND_TEXT, type Stop } from './stops';
import { reduced, SPEEDS, useTravel } from './store';
import { chipClass } from './tones';

function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 12 12" className="h-3 w-3" aria-hidden="true">
      <path d={d} className="fill-current" />
    </svg>
  );
}

const PLAY = 'M3 1.5v9l7-4.5z';
const PAUSE = 'M2.5 1.5h2.5v9H2.5zM7 1.5h2.5v9H7z';
const SKIP = 'M1.5 1.5v9l5.5-4.5zM7 1.5v9h1.8v-9zM9.5 1.5v9h1.5v-9z';

/** A thin bar that follows the animation frame by frame (no React render per frame). */
function Progress() {
  const bar = useRef<HTMLDivElement>(null);
  useEffect(
    () =>
      onFrame((f) => {
        const el = bar.current;
        if (el) el.style.transform = `scaleX(${f.travel ? f.progress : 0})`;
      }),
    [],
  );
  return (
    <div className="h-0.5 w-full bg-slate-100 dark:bg-slate-800" aria-hidden="true">
      <div ref={bar} data-testid="travel-progress" className="h-full w-full origin-left bg-amber-500" style={{ transform: 'scaleX(0)' }} />
    </div>
  );
}

function StopRow({ s, i, state, onSeek }: { s: Stop; i: number; state: 'past' | 'current' | 'future'; onSeek: (() => void) | null }) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (state === 'current') ref.current?.scrollIntoView({ block: 'nearest' });
  }, [state]);
  const body = (
    <>
      <span className="flex items-baseline gap-1.5">
        <span className="w-4 shrink-0 text-right font-mono text-[10px] text-slate-400">{i + 1}</span>
        <span className={`shrink-0 rounded px-1 text-[10px] font-semibold ${chipClass(s.kind)}`}>{KIND_TEXT[s.kind]}</span>
        <span className="min-w-0 truncate font-mono text-[10px] text-slate-500 dark:text-slate-400" title={s.domain ?? undefined}>
          {s.fn ? `${s.fn}()` : ''}{s.fn && s.domain ? ' · ' : ''}{s.domain ?? 'on the wire'}
        </span>
      </span>
      <span data-testid="travel-label" className={`block pl-5.5 font-mono text-[11px] leading-[15px] [overflow-wrap:anywhere] ${s.failed ? 'text-rose-700 dark:text-rose-300' : 'text-slate-800 dark:text-slate-100'}`}>
        {s.label}
      </span>
      {s.more?.map((m, k) => (
        <span key={k} className="block pl-5.5 font-mono text-[10px] leading-[14px] text-slate-500 [overflow-wrap:anywhere] dark:text-slate-400">· {m}</span>
      ))}
    </>
  );
  return (
    <li
      ref={ref}
      data-testid="travel-stop"
      data-kind={s.kind}
      data-state={state}
      aria-current={state === 'current' ? 'step' : undefined}
      className={`border-l-2 px-1.5 py-0.5 transition-opacity motion-reduce:transition-none ${
        state === 'current' ? 'border-amber-500 bg-amber-50 dark:bg-amber-950/40' : state === 'past' ? 'border-transparent' : 'border-transparent opacity-35'
      }`}
    >
      {onSeek ? (
        <button type="button" className="w-full text-left focus-visible:outline-2 focus-visible:outline-sky-500" onClick={onSeek} title={`Show stop ${i + 1}`}>
          {body}
        </button>
      ) : (
        body
      )}
    </li>
  );
}

/** Play / pause / replay and skip, in the title bar. */
function Transport() {
  const has = useTravel((s) => s.travel !== null);
  const playing = useTravel((s) => s.playing);
  const done = useTravel((s) => s.done);
  const still = useTravel(reduced);
  // Without a travel on screen (cancelled by a jump), ↺ plays the shown step's journey again.
  const step = useStore((s) => s.snapshot?.step ?? 0);
  const again = () => (has ? replay() : replayStep(step));
  return (
    <>
      {playing ? (
        <button type="button" className={btnGhost} aria-label="Pause animation" title="Pause" onClick={pause}><Icon d={PAUSE} /></button>
      ) : done || still ? (
        <button type="button" className={btnGhost} aria-label="Replay animation" title={still ? 'Motion is reduced: every stop is shown at once' : 'Play again'} disabled={(!has && step === 0) || still} onClick={again}><span aria-hidden="true" className="text-sm leading-none">↺</span></button>
      ) : (
        <button type="button" className={btnGhost} aria-label="Play animation" title="Play" disabled={!has} onClick={resume}><Icon d={PLAY} /></button>
      )}
      <button type="button" className={btnGhost} aria-label="Skip to the end" title="Skip: show every stop now" disabled={!has || done} onClick={skip}><Icon d={SKIP} /></button>
    </>
  );
}

/** Speed and reduced motion: a strip at the top of the caption. */
function Settings() {
  const speed = useTravel((s) => s.speed);
  const motion = useTravel((s) => s.motion);
  const systemReduce = useTravel((s) => s.systemReduce);
  const still = reduced({ motion, systemReduce });
  const toggleMotion = () => {
    const want = !still;
    // Back to following the system when the choice matches it.
    setMotion(want === systemReduce ? 'system' : want ? 'reduce' : 'full');
  };
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-0.5 px-2 py-1 text-[11px] text-slate-600 dark:text-slate-300">
      <label className="flex items-center gap-1">
        speed
        <select
          aria-label="Animation speed"
          className="h-6 w-16 rounded border border-slate-300 bg-white px-1 text-[11px] text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-500 disabled:opacity-50 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
          value={speed}
          disabled={still}
          onChange={(e) => setSpeed(Number(e.target.value))}
        >
          {SPEEDS.map((v) => <option key={v} value={v}>{v}×</option>)}
        </select>
      </label>
      <label
        className="flex items-center gap-1"
        title={`Show every stop at once; nothing moves. ${motion === 'system' ? `Follows the system setting (now ${systemReduce ? 'on' : 'off'}) until you choose.` : 'Your choice: set it back to the system setting to follow it again.'}`}
      >
        <input type="checkbox" className="accent-sky-600" checked={still} onChange={toggleMotion} />
        reduce motion
        {motion === 'system' && <span className="text-slate-400">(system)</span>}
      </label>
    </div>
  );
}

/** What a raised interrupt goes through on this machine (the way its platform routes it). */
function Placeholder() {
  const arch = useStore((s) => s.snapshot?.view.arch);
  const remap = useStore((s) => s.snapshot?.view.remap);
  const path =
    arch === 'arm64'
      ? 'MSI-X entry (a write to GITS_TRANSLATER) → ITS: DeviceID and EventID → LPI → the collection’s redistributor → handler'
      : remap === 'none'
        ? 'MSI-X entry (the address names the APIC, the data the vector) → vector on a CPU → handler; no remapping table on the way'
        : `MSI-X entry (a remappable-format message) → ${remap === 'amd-ir' ? 'AMD IOMMU IRTE' : 'IRTE'} → vector on a CPU → handler`;
  return (
    <p className="p-3 text-xs leading-relaxed text-slate-600 dark:text-slate-400" data-testid="travel-placeholder">
      Raise an interrupt (<span aria-hidden="true">⚡</span> next to a descriptor in Devices) to watch its message travel: {path}.
      Allocating vectors and request_irq show their calls going down the domain hierarchy and the message being composed on the way
      back up. Stepping through the time line plays each step’s journey again.
    </p>
  );
}

export function TravelPanel() {
  const travel = useTravel((s) => s.travel);
  const index = useTravel((s) => s.index);
  const done = useTravel((s) => s.done);
  const still = useTravel(reduced);
  const walked = useTravel((s) => s.walked);
  return (
    <Panel
      title="Propagation"
      testId="travel"
      tools={<Transport />}
      bodyClassName="relative"
    >
      <div className="sticky top-0 z-10 border-b border-slate-100 bg-white dark:border-slate-800 dark:bg-slate-900">
        <Settings />
        <Progress />
      </div>
      {travel ? (
        <div data-testid="travel-body" data-mode={travel.mode} data-done={done || still ? 'true' : 'false'} data-still={still ? 'true' : 'false'}>
          <p className="px-2 pt-1 text-[11px] leading-snug text-slate-600 dark:text-slate-400">
            <span data-testid="travel-title" className="font-mono font-semibold text-slate-800 dark:text-slate-100">{travel.title}</span>
            {travel.mode === 'hops'
              ? ': the message, from the device to its handler'
              : travel.stops.some((x) => x.kind === 'alloc')
                ? ': its calls through the domains — allocation goes down the hierarchy (↓), the message is composed and written on the way back up (↑)'
                : ': its calls through the domains, in the order the kernel made them'}
          </p>
          <ol aria-label="stops" className="py-1">
            {travel.stops.map((s, i) => (
              <StopRow
                key={i}
                s={s}
                i={i}
                state={walked !== null ? (i === walked ? 'current' : i < walked || still ? 'past' : 'future') : still || done ? 'past' : i < index ? 'past' : i === index ? 'current' : 'future'}
                onSeek={still ? null : () => seek(i)}
              />
            ))}
          </ol>
          {travel.omitted && (
            <p className="px-2 pb-1.5 text-[11px] italic text-slate-500">
              {travel.omitted.rounds > 0
                ? `… and the same calls for ${travel.omitted.rounds} more interrupt${travel.omitted.rounds === 1 ? '' : 's'} (${travel.omitted.stops} calls not shown; the event log has the whole trace).`
                : `… and ${travel.omitted.stops} more calls (the event log has the whole trace).`}
            </p>
          )}
        </div>
      ) : (
        <Placeholder />
      )}
    </Panel>
  );
}
