// irq_set_affinity(virq, cpumask): a CPU picker.

import { useState } from 'react';
import { Modal } from '../chrome/Modal';
import { btnGhost } from '../chrome/styles';
import { cpuList } from '../format';
import { useStore } from '../store';
import { NONE } from '../selectors';
import { runAction } from '../store/commands';

export function AffinityDialog({ virq, onClose }: { virq: number; onClose: () => void }) {
  const cpus = useStore((s) => s.snapshot?.view.cpus ?? NONE);
  const current = useStore((s) => s.snapshot?.view.irqs.find((i) => i.virq === virq)?.affinity ?? NONE);
  const [mask, setMask] = useState<number[]>(() => [...current]);
  const toggle = (c: number) => setMask((m) => (m.includes(c) ? m.filter((x) => x !== c) : [...m, c].sort((a, b) => a - b)));
  const cols = cpus.length > 16 ? 'grid-cols-8' : 'grid-cols-4';
  return (
    <Modal
      title={`irq_set_affinity(${virq}, …)`}
      onClose={onClose}
      submitLabel="Set affinity"
      onSubmit={() => {
        onClose();
        void runAction({ op: 'write_irq_affinity', virq, cpus: mask });
      }}
    >
      <p className="text-xs text-slate-600 dark:text-slate-400">
        Current affinity: <span className="font-mono">{cpuList(current) || '(empty)'}</span>. New mask:{' '}
        <span className="font-mono" data-testid="affinity-mask">{cpuList(mask) || '(empty)'}</span>
      </p>
      <fieldset>
        <legend className="sr-only">CPUs</legend>
        <div className={`grid ${cols} max-h-64 gap-x-3 gap-y-1 overflow-y-auto`}>
          {cpus.map((c) => (
            <label key={c.cpu} className={`flex items-center gap-1.5 font-mono text-xs ${c.online ? '' : 'text-slate-400'}`}>
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
