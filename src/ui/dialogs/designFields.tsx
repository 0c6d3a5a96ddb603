// Form pieces shared by the IMS, subdevice and driver dialogs: the kernel call to make (one
// radio per function), a device picker over a filtered list, and "index or MSI_ANY_INDEX".

import { useId, type ReactNode } from 'react';
import { input } from '../chrome/styles';
import type { DeviceView } from '../../worker/protocol';
import { NumberInput } from './fields';

export interface OpChoice<T extends string> {
  op: T;
  /** What it does, in a few words. */
  hint: string;
}

/** The kernel function the dialog calls: radios (arrow keys move between them). */
export function OpRadios<T extends string>({ ops, value, onChange, legend = 'kernel call' }: {
  ops: readonly OpChoice<T>[]; value: T; onChange: (op: T) => void; legend?: string;
}) {
  const name = useId();
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="mb-1 text-xs font-medium text-slate-700 dark:text-slate-300">{legend}</legend>
      {ops.map((o) => (
        <label key={o.op} className={`flex items-start gap-2 rounded px-1.5 py-1 ${value === o.op ? 'bg-sky-50 dark:bg-sky-950/60' : ''}`}>
          <input
            type="radio"
            name={name}
            value={o.op}
            checked={value === o.op}
            onChange={() => onChange(o.op)}
            className="mt-0.5 accent-sky-600"
            data-autofocus={value === o.op || undefined}
            aria-label={o.op}
          />
          <span className="flex min-w-0 flex-col">
            <span className="font-mono text-xs font-semibold">{o.op}()</span>
            <span className="text-[11px] leading-snug text-slate-600 dark:text-slate-400">{o.hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** A device (or subdevice) picker; `label` names the control. */
export function DevicePicker({ devices, value, onChange, label, describe }: {
  devices: readonly DeviceView[]; value: string; onChange: (v: string) => void; label: string; describe?: (d: DeviceView) => string;
}) {
  return (
    <select aria-label={label} className={input + ' font-mono'} value={value} onChange={(e) => onChange(e.target.value)}>
      {devices.map((d) => (
        <option key={d.name} value={d.name}>
          {d.name} ({describe ? describe(d) : d.kind === 'subdevice' ? `subdevice of ${d.parent}` : d.label})
        </option>
      ))}
    </select>
  );
}

/** index: MSI_ANY_INDEX (the lowest free one) or a number. */
export function IndexOrAny({ any, onAny, index, onIndex, label, hint, anyText = '(lowest free index)' }: {
  any: boolean; onAny: (any: boolean) => void; index: number; onIndex: (n: number) => void; label: string; hint?: ReactNode;
  /** What MSI_ANY_INDEX picks in this design. */
  anyText?: ReactNode;
}) {
  const name = useId();
  return (
    <fieldset className="flex flex-col gap-1.5">
      <legend className="mb-1 text-xs font-medium text-slate-700 dark:text-slate-300">index</legend>
      <label className="flex items-center gap-2 text-sm">
        <input type="radio" name={name} checked={any} onChange={() => onAny(true)} className="accent-sky-600" aria-label="MSI_ANY_INDEX" />
        <span className="font-mono">MSI_ANY_INDEX</span> <span>{anyText}</span>
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="radio" name={name} checked={!any} onChange={() => onAny(false)} className="accent-sky-600" aria-label="at index" />
        at index
        <NumberInput label={label} value={index} onChange={(n) => { onIndex(n); onAny(false); }} />
      </label>
      {hint && <span className="text-[11px] text-slate-600 dark:text-slate-400">{hint}</span>}
    </fieldset>
  );
}

/** The "beyond mainline" note of a design: IMS (removed in 2024), subdevice parents (proposal). */
export function EraNote({ children }: { children: ReactNode }) {
  return (
    <p className="rounded border border-amber-300 bg-amber-50 px-2 py-1 text-[11px] leading-snug text-amber-900 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-200">
      {children}
    </p>
  );
}

/** "used: 0, 1, 5" for a hint. */
export function usedList(indices: readonly number[]): string {
  return indices.length ? `in use: ${indices.slice(0, 24).join(', ')}${indices.length > 24 ? ', …' : ''}` : 'none in use yet';
}

/** Radios for a choice between calls whose labels are not plain function names (a /proc write…). */
export function CallChoice({ name, value, onChange, options, legend = 'how' }: {
  name: string; value: string; onChange: (v: string) => void; legend?: string;
  options: readonly { value: string; label: string; hint: string; short?: string }[];
}) {
  const id = useId();
  return (
    <fieldset className="flex flex-col gap-1" data-testid={name}>
      <legend className="mb-1 text-xs font-medium text-slate-700 dark:text-slate-300">{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className={`flex items-start gap-2 rounded px-1.5 py-1 ${value === o.value ? 'bg-sky-50 dark:bg-sky-950/60' : ''}`}>
          <input
            type="radio"
            name={id}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
            className="mt-0.5 accent-sky-600"
            data-autofocus={value === o.value || undefined}
            aria-label={o.short ?? o.value}
          />
          <span className="flex min-w-0 flex-col">
            <span className="font-mono text-xs font-semibold [overflow-wrap:anywhere]">{o.label}</span>
            <span className="text-[11px] leading-snug text-slate-700 dark:text-slate-300">{o.hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
