// pci_msix_alloc_irq_at(dev, index | MSI_ANY_INDEX, affdesc)

import { useState } from 'react';
import { Modal } from '../chrome/Modal';
import { useStore } from '../store';
import { runAction } from '../store/commands';
import { selectedDevice, NONE } from '../selectors';
import { DeviceSelect, Field, NumberInput } from './fields';

export function AllocAtDialog({ onClose }: { onClose: () => void }) {
  const devices = useStore((s) => s.snapshot?.view.devices ?? NONE).filter((d) => d.msixCap);
  const sel = useStore((s) => selectedDevice(s));
  const [dev, setDev] = useState((sel?.msixCap ? sel : devices[0])?.name ?? '');
  const [any, setAny] = useState(true);
  const [index, setIndex] = useState(0);
  return (
    <Modal
      title="pci_msix_alloc_irq_at()"
      onClose={onClose}
      submitLabel="Allocate"
      submitDisabled={!dev || (!any && !Number.isFinite(index))}
      onSubmit={() => {
        onClose();
        void runAction({ op: 'pci_msix_alloc_irq_at', dev, index: any ? 'any' : index });
      }}
    >
      <Field label="Device (MSI-X)">
        <DeviceSelect devices={devices} value={dev} onChange={setDev} autoFocus />
      </Field>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-xs font-medium text-slate-700 dark:text-slate-300">index</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="idx" checked={any} onChange={() => setAny(true)} className="accent-sky-600" />
          <span className="font-mono">MSI_ANY_INDEX</span> (first free)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="idx" checked={!any} onChange={() => setAny(false)} className="accent-sky-600" />
          at index
          <NumberInput label="MSI-X index" value={index} onChange={(n) => { setIndex(n); setAny(false); }} />
        </label>
      </fieldset>
    </Modal>
  );
}
