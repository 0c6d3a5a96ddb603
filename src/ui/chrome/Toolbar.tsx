// The actions bar: what is selected, and the kernel calls that can be made on it.

import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { COMMANDS, keyLabel, type UiCommand } from '../actionsCatalog';
import { useStore, type Store } from '../store';
import { runAction } from '../store/commands';
import { selectedDevice, selectedIrq } from '../selectors';
import { btn, input } from './styles';

function SelectionLabel() {
  const label = useStore(useShallow((s: Store): [string, string] | null => {
    const sel = s.selection;
    if (!sel) return null;
    if (sel.kind === 'irq') {
      const irq = selectedIrq(s);
      if (!irq) return [`irq ${sel.virq}`, 'not present at this step'];
      const name = irq.actions.length ? ` · ${irq.actions.join(', ')}` : '';
      return [`irq ${irq.virq}${name}`, irq.msi ? `${irq.msi.dev} #${irq.msi.index}` : irq.chain[0]?.domain ?? ''];
    }
    if (sel.kind === 'domain') return ['domain', sel.name];
    const dev = selectedDevice(s);
    return [`device ${sel.name}`, dev?.label ?? ''];
  }));
  return (
    <div data-testid="selection" className="flex w-40 shrink-0 flex-col justify-center text-xs leading-tight" title={label ? label.join(' · ') : undefined}>
      {label ? (
        <>
          <span className="truncate font-mono font-semibold text-sky-700 dark:text-sky-300">{label[0]}</span>
          <span className="truncate font-mono text-[10.5px] text-slate-500 dark:text-slate-400">{label[1]}</span>
        </>
      ) : (
        <span className="text-slate-500 dark:text-slate-400">No selection</span>
      )}
    </div>
  );
}

function CommandButton({ c }: { c: UiCommand }) {
  const enabled = useStore((s) => c.enabled(s));
  const visible = useStore((s) => c.visible?.(s) ?? true);
  if (!visible) return null;
  return (
    <button
      type="button"
      className={btn}
      disabled={!enabled}
      title={`${c.title}  [${keyLabel(c.key)}]`}
      onClick={() => c.run(useStore.getState())}
      data-cmd={c.id}
    >
      {c.label}
    </button>
  );
}

/** Up to this many CPUs the chooser always holds every one. */
const ALWAYS_LISTED_CPUS = 64;

function CpuControl() {
  const cpus = useStore((s) => s.snapshot?.view.cpus);
  const selected = useStore((s) => s.selectedCpu);
  const selectCpu = useStore((s) => s.selectCpu);
  // On a big machine the list of CPUs is put in only while the chooser is in use: a thousand
  // options cost every style pass of the page (each dialog that opens or closes restyles it).
  const [inUse, setInUse] = useState(false);
  if (!cpus) return null;
  const cpu = selected !== null ? cpus.find((c) => c.cpu === selected) : undefined;
  const listed = inUse || cpus.length <= ALWAYS_LISTED_CPUS ? cpus : cpu ? [cpu] : [];
  return (
    <div className="flex items-center gap-1" role="group" aria-label="CPU hotplug">
      <select
        aria-label="CPU"
        className={input + ' h-7 w-24 text-xs'}
        value={selected ?? ''}
        onFocus={() => setInUse(true)}
        onPointerDown={() => setInUse(true)}
        onBlur={() => setInUse(false)}
        onChange={(e) => selectCpu(e.target.value === '' ? null : Number(e.target.value))}
      >
        <option value="">CPU…</option>
        {listed.map((c) => (
          <option key={c.cpu} value={c.cpu}>
            CPU{c.cpu}
            {c.online ? '' : ' off'}
          </option>
        ))}
      </select>
      <button
        type="button"
        className={btn}
        disabled={!cpu}
        title="cpu_down / cpu_up on the selected CPU (click a row in the vector map)  [c]"
        onClick={() => cpu && void runAction(cpu.online ? { op: 'cpu_down', cpu: cpu.cpu } : { op: 'cpu_up', cpu: cpu.cpu })}
      >
        {cpu ? (cpu.online ? `cpu_down ${cpu.cpu}` : `cpu_up ${cpu.cpu}`) : 'cpu_down'}
      </button>
    </div>
  );
}

export function Toolbar() {
  const groups = (g: UiCommand['group']) => COMMANDS.filter((c) => c.toolbar && c.group === g);
  return (
    // A landmark around the toolbar: everything on the page sits in one.
    <section aria-label="Actions" className="contents">
    <div
      role="toolbar"
      aria-label="Kernel actions"
      className="flex h-10 shrink-0 items-center gap-3 overflow-x-auto border-b max-[899.98px]:h-auto max-[899.98px]:flex-wrap max-[899.98px]:gap-y-1 max-[899.98px]:py-1 border-slate-200 bg-slate-50 px-3 dark:border-slate-800 dark:bg-slate-950"
    >
      <SelectionLabel />
      <div className="flex flex-wrap items-center gap-1" role="group" aria-label="Device actions">
        {groups('device').map((c) => <CommandButton key={c.id} c={c} />)}
      </div>
      <div className="h-5 w-px bg-slate-300 max-[899.98px]:hidden dark:bg-slate-700" />
      <div className="flex flex-wrap items-center gap-1" role="group" aria-label="Interrupt actions">
        {groups('irq').map((c) => <CommandButton key={c.id} c={c} />)}
      </div>
      <div className="h-5 w-px bg-slate-300 max-[899.98px]:hidden dark:bg-slate-700" />
      <CpuControl />
    </div>
    </section>
  );
}
