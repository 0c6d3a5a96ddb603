// request_irq(virq, handler, flags, name, dev). An interrupt no driver would request — no
// device descriptor behind it and no handler yet, like an IO-APIC pin nothing is wired to in
// this machine — is asked about first: the request is allowed, but not by a plain Enter.

import { useState } from 'react';
import { Modal } from '../chrome/Modal';
import { input } from '../chrome/styles';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from '../store';
import { runAction } from '../store/commands';
import { suggestIrqName } from '../selectors';
import { Field } from './fields';

export function RequestIrqDialog({ virq, onClose }: { virq: number; onClose: () => void }) {
  const info = useStore(useShallow((s) => {
    const view = s.snapshot?.view;
    const irq = view?.irqs.find((i) => i.virq === virq);
    const dev = irq?.msi ? (view?.devices.find((d) => d.name === irq.msi?.dev) ?? null) : null;
    return { suggestion: irq ? suggestIrqName(irq, dev) : `irq${virq}`, orphan: !!irq && !irq.msi && irq.actions.length === 0, chip: irq?.chain[0]?.domain ?? '' };
  }));
  const [name, setName] = useState(info.suggestion);
  const [sure, setSure] = useState(false);
  const blocked = info.orphan && !sure;
  return (
    <Modal
      title={`request_irq(${virq}, …)`}
      onClose={onClose}
      submitLabel={info.orphan ? 'Request anyway' : 'Request'}
      submitDisabled={name.trim() === '' || blocked}
      onSubmit={() => {
        onClose();
        void runAction({ op: 'request_irq', virq, name: name.trim() });
      }}
    >
      {info.orphan && (
        <div role="note" data-testid="request-orphan" className="flex flex-col gap-1.5 rounded border border-amber-400 bg-amber-50 px-2 py-1.5 text-xs text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50">
          <p>
            irq {virq} ({info.chip}) has no device descriptor behind it and no handler: no driver on this machine would request it.
            A driver asks for its own interrupt (pci_irq_vector(), or its pin’s GSI).
          </p>
          <label className="flex items-center gap-1.5">
            <input type="checkbox" className="h-4 w-4 accent-sky-600" checked={sure} onChange={(e) => setSure(e.target.checked)} />
            I know; request it anyway
          </label>
        </div>
      )}
      <Field label="name (shown in /proc/interrupts)">
        <input aria-label="name" className={input + ' font-mono'} value={name} maxLength={64} onChange={(e) => setName(e.target.value)} data-autofocus={!info.orphan || undefined} />
      </Field>
    </Modal>
  );
}
