// The kernel the machine runs, beside the machine picker: picking one replays the same machine
// and steps on that kernel (undoable like any other jump).

import type { KernelVersion } from '../../worker/protocol';
import { input } from '../chrome/styles';
import { useStore } from '../store';
import { KERNELS, kernelOf } from './facts';
import { switchKernel } from './switchKernel';

export function KernelSelect() {
  const machine = useStore((s) => s.scenario?.machine ?? null);
  const busy = useStore((s) => s.busy);
  if (!machine) return null;
  const v = kernelOf(machine);
  return (
    <label className="flex items-center text-xs text-slate-600 dark:text-slate-300">
      <span className="sr-only">Kernel</span>
      <select
        aria-label="Kernel"
        data-testid="kernel-select"
        title={`The machine runs Linux ${v}. Pick another version to replay the same machine and steps on it (Ctrl+Z goes back).`}
        className={input + ' h-7 text-xs'}
        value={v}
        aria-busy={busy || undefined}
        onChange={(e) => void switchKernel(e.target.value as KernelVersion)}
      >
        {KERNELS.map((k) => (
          <option key={k.version} value={k.version} title={k.note}>
            Linux {k.label}
          </option>
        ))}
      </select>
    </label>
  );
}
