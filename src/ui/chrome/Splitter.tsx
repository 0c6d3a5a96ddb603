// A draggable, keyboard-operable separator between two panels (WAI-ARIA window splitter):
// drag it, or focus it with Tab and use the arrow keys (Shift: bigger steps), Home and End;
// a double click or Enter puts it back where it started.

import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

export interface SplitterProps {
  /** 'vertical': a vertical bar between a left and a right panel (moves sideways). */
  orientation: 'vertical' | 'horizontal';
  label: string;
  /** id of the panel before the splitter (the one it sizes). */
  controls?: string;
  /** Position as a percentage, for assistive technology. */
  value: number;
  /** Pointer drag started: remember what the move is relative to. */
  onStart: () => void;
  /** Moved by `delta` px since onStart (right / down is positive). */
  onMove: (delta: number) => void;
  /** Keyboard: move by `delta` px from where it is now, or to an end. */
  onStep: (delta: number | 'min' | 'max') => void;
  onReset: () => void;
  testId?: string;
}

export function Splitter({ orientation, label, controls, value, onStart, onMove, onStep, onReset, testId }: SplitterProps) {
  const drag = useRef<{ id: number; at: number } | null>(null);
  const vertical = orientation === 'vertical';
  const pos = (e: PointerEvent) => (vertical ? e.clientX : e.clientY);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    drag.current = { id: e.pointerId, at: pos(e) };
    onStart();
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d && d.id === e.pointerId) onMove(pos(e) - d.at);
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.id === e.pointerId) {
      drag.current = null;
      e.currentTarget.releasePointerCapture(e.pointerId);
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 64 : 16;
    const back = vertical ? 'ArrowLeft' : 'ArrowUp';
    const fwd = vertical ? 'ArrowRight' : 'ArrowDown';
    let handled = true;
    if (e.key === back) onStep(-step);
    else if (e.key === fwd) onStep(step);
    else if (e.key === 'Home') onStep('min');
    else if (e.key === 'End') onStep('max');
    else if (e.key === 'Enter') onReset();
    else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopPropagation(); // not the app's Home/End step shortcuts
    }
  };

  return (
    <div
      role="separator"
      tabIndex={0}
      aria-orientation={orientation}
      aria-label={label}
      aria-controls={controls}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(value)}
      data-testid={testId}
      title={`${label}: drag, or arrow keys; double-click resets`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={onReset}
      onKeyDown={onKeyDown}
      className={`group relative shrink-0 touch-none outline-none ${vertical ? 'w-1.5 cursor-col-resize' : 'h-1.5 cursor-row-resize'}`}
    >
      <span
        aria-hidden="true"
        className={`absolute rounded-full bg-transparent transition-colors group-hover:bg-sky-400/70 group-focus-visible:bg-sky-500 group-active:bg-sky-500 ${vertical ? 'inset-y-2 left-1/2 w-0.5 -translate-x-1/2' : 'inset-x-2 top-1/2 h-0.5 -translate-y-1/2'}`}
      />
    </div>
  );
}
