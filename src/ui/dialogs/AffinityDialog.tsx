// An interrupt's affinity, set the two ways Linux has: the user's write to
// /proc/irq/N/smp_affinity_list (kernel/irq/proc.c: refused for a managed interrupt, -EPERM; -EIO in 6.1)
// or the in-kernel irq_set_affinity() a driver or the kernel itself calls (which works on
// managed interrupts as far as the kernel allows). A CPU picker, and a warning when managed.

import { useState } from 'react';
import { Modal } from '../chrome/Modal';
import { btnGhost } from '../chrome/styles';
import { cpuList } from '../format';
import { useStore } from '../store';
import { NONE } from '../selectors';
import { runAction } from '../store/commands';
import { CallChoice } from './designFields';
// The engine's table of kernel facts (plain data, no engine code): what this kernel's /proc write returns.
import { kernelProfile } from '../../engine/profiles';
import { errnoName } from '../../engine/core/errno';

type Via = 'write_irq_affinity' | 'irq_set_affinity';

export function AffinityDialog({ virq, onClose }: { virq: number; onClose: () => void }) {
  const cpus = useStore((s) => s.snapshot?.view.cpus ?? NONE);
  const irq = useStore((s) => s.snapshot?.view.irqs.find((i) => i.virq === virq));
  const current = irq?.affinity ?? NONE;
  const managed = irq?.managed ?? false;
  const refused = errnoName(kernelProfile(useStore((s) => s.scenario?.machine.kernel)).procAffinityRefused);
  const [mask, setMask] = useState<number[]>(() => [...current]);
  const [via, setVia] = useState<Via>('write_irq_affinity');
  const toggle = (c: number) => setMask((m) => (m.includes(c) ? m.filter((x) => x !== c) : [...m, c].sort((a, b) => a - b)));
  const cols = cpus.length > 16 ? 'grid-cols-4 sm:grid-cols-8' : 'grid-cols-4';
  return (
    <Modal
      title={`Affinity of irq ${virq}`}
      onClose={onClose}
      submitLabel={via === 'write_irq_affinity' ? 'Write smp_affinity_list' : 'Call irq_set_affinity()'}
      onSubmit={() => {
        onClose();
        void runAction({ op: via, virq, cpus: mask });
      }}
    >
      <CallChoice
        name="affinity-call"
        value={via}
        onChange={(v) => setVia(v as Via)}
        legend="call"
        options={[
          { value: 'write_irq_affinity', short: '/proc write', label: `echo ${cpuList(mask) || '…'} > /proc/irq/${virq}/smp_affinity_list`, hint: `What a user (or irqbalance) does: kernel/irq/proc.c write_irq_affinity(). A managed interrupt refuses it with ${refused}.` },
          { value: 'irq_set_affinity', short: 'irq_set_affinity()', label: `irq_set_affinity(${virq}, {${cpuList(mask)}})`, hint: 'The in-kernel call a driver or the kernel makes. It works on managed interrupts too, as far as the kernel allows.' },
        ]}
      />
      {managed && (
        <p role="note" data-testid="affinity-managed" className="rounded border border-amber-400 bg-amber-50 px-2 py-1.5 text-xs text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50">
          irq {virq} is managed (IRQD_AFFINITY_MANAGED): its affinity was spread by the kernel.
          {via === 'write_irq_affinity' ? ` The /proc write will be refused with ${refused}.` : ' Only the kernel’s own call can move it.'}
        </p>
      )}
      <p className="text-xs text-slate-700 dark:text-slate-300">
        Current affinity: <span className="font-mono">{cpuList(current) || '(empty)'}</span>. New mask:{' '}
        <span className="font-mono" data-testid="affinity-mask">{cpuList(mask) || '(empty)'}</span>
      </p>
      <fieldset>
        <legend className="sr-only">CPUs</legend>
        <div className={`grid ${cols} max-h-64 gap-x-3 gap-y-1 overflow-y-auto`} tabIndex={cpus.length > 64 ? 0 : undefined}>
          {cpus.map((c) => (
            <label key={c.cpu} className={`flex items-center gap-1.5 font-mono text-xs ${c.online ? '' : 'text-slate-600 dark:text-slate-400'}`}>
              <input type="checkbox" checked={mask.includes(c.cpu)} onChange={() => toggle(c.cpu)} className="h-4 w-4 accent-sky-600" aria-label={`CPU ${c.cpu}`} />
              CPU{c.cpu}
              {!c.online && ' (off)'}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex gap-1">
        <button type="button" className={btnGhost} onClick={() => setMask(cpus.map((c) => c.cpu))}>all</button>
        <button type="button" className={btnGhost} onClick={() => setMask([])}>none</button>
        <button type="button" className={btnGhost} onClick={() => setMask(cpus.filter((c) => c.online).map((c) => c.cpu))}>online</button>
      </div>
    </Modal>
  );
}
