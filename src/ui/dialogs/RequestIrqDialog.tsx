// request_irq(virq, handler, flags, name, dev)

import { useState } from 'react';
import { Modal } from '../chrome/Modal';
import { input } from '../chrome/styles';
import { useStore } from '../store';
import { runAction } from '../store/commands';
import { suggestIrqName } from '../selectors';
import { Field } from './fields';

export function RequestIrqDialog({ virq, onClose }: { virq: number; onClose: () => void }) {
  const suggestion = useStore((s) => {
    const view = s.snapshot?.view;
    const irq = view?.irqs.find((i) => i.virq === virq);
    const dev = irq?.msi ? (view?.devices.find((d) => d.name === irq.msi?.dev) ?? null) : null;
    return irq ? suggestIrqName(irq, dev) : `irq${virq}`;
  });
  const [name, setName] = useState(suggestion);
  return (
    <Modal
      title={`request_irq(${virq}, …)`}
      onClose={onClose}
      submitLabel="Request"
      submitDisabled={name.trim() === ''}
      onSubmit={() => {
        onClose();
        void runAction({ op: 'request_irq', virq, name: name.trim() });
      }}
    >
      <Field label="name (shown in /proc/interrupts)">
        <input aria-label="name" className={input + ' font-mono'} value={name} maxLength={64} onChange={(e) => setName(e.target.value)} data-autofocus />
      </Field>
    </Modal>
  );
}
