// Small labelled form controls shared by the dialogs.

import type { ReactNode } from 'react';
import { input } from '../chrome/styles';
import type { DeviceView } from '../../worker/protocol';

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs font-medium text-slate-700 dark:text-slate-300">{label}</span>
      {children}
      {hint && <span className="text-[11px] text-slate-500">{hint}</span>}
    </label>
  );
}

export function NumberInput({ value, onChange, label, min = 0, autoFocus }: { value: number; onChange: (n: number) => void; label: string; min?: number; autoFocus?: boolean }) {
  return (
    <input
      type="number"
      aria-label={label}
      className={input + ' w-28 font-mono'}
      value={Number.isFinite(value) ? value : ''}
      min={min}
      step={1}
      required
      data-autofocus={autoFocus || undefined}
      onChange={(e) => onChange(e.target.value === '' ? NaN : Math.trunc(Number(e.target.value)))}
    />
  );
}

export function DeviceSelect({ devices, value, onChange, autoFocus }: { devices: readonly DeviceView[]; value: string; onChange: (v: string) => void; autoFocus?: boolean }) {
  return (
    <select aria-label="Device" className={input + ' font-mono'} value={value} onChange={(e) => onChange(e.target.value)} data-autofocus={autoFocus || undefined}>
      {devices.map((d) => (
        <option key={d.name} value={d.name}>
          {d.name} ({d.kind === 'subdevice' ? `subdevice of ${d.parent}` : d.label}
          {d.msixCap ? `, MSI-X ${d.msixCap.tableSize}` : ''}
          {d.msiCap ? `, MSI ${d.msiCap.vectors}` : ''}
          {d.ims ? `, IMS ${d.ims.size}` : ''})
        </option>
      ))}
    </select>
  );
}
