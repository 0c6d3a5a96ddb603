// pci_alloc_irq_vectors(dev, min, max, flags)

import { useState } from 'react';
import { Modal } from '../chrome/Modal';
import { useStore } from '../store';
import { runAction } from '../store/commands';
import { selectedDevice, NONE } from '../selectors';
import type { IrqFlag } from '../../scenario/types';
import { DeviceSelect, Field, NumberInput } from './fields';

const FLAGS: { flag: IrqFlag; title: string }[] = [
  { flag: 'MSIX', title: 'PCI_IRQ_MSIX' },
  { flag: 'MSI', title: 'PCI_IRQ_MSI' },
  { flag: 'INTX', title: 'PCI_IRQ_INTX (legacy pin)' },
  { flag: 'AFFINITY', title: 'PCI_IRQ_AFFINITY: spread managed interrupts over the CPUs' },
];

export function AllocVectorsDialog({ onClose }: { onClose: () => void }) {
  const devices = useStore((s) => s.snapshot?.view.devices ?? NONE).filter((d) => d.kind === 'pci');
  const selDev = useStore((s) => selectedDevice(s));
  // A subdevice's interrupts come from its parent's table: start at the PCI function.
  const initial = devices.find((d) => d.name === (selDev?.kind === 'subdevice' ? selDev.parent : selDev?.name)) ?? devices[0];
  const [dev, setDev] = useState(initial?.name ?? '');
  const d = devices.find((x) => x.name === dev);
  const [min, setMin] = useState(1);
  const [max, setMax] = useState(Math.min(8, d?.msixCap?.tableSize ?? d?.msiCap?.vectors ?? 1));
  const [flags, setFlags] = useState<IrqFlag[]>(d?.msixCap ? ['MSIX'] : ['MSI']);
  const toggle = (f: IrqFlag) => setFlags((x) => (x.includes(f) ? x.filter((y) => y !== f) : FLAGS.map((z) => z.flag).filter((z) => z === f || x.includes(z))));
  const valid = dev !== '' && Number.isFinite(min) && Number.isFinite(max) && flags.length > 0;
  return (
    <Modal
      title="pci_alloc_irq_vectors()"
      onClose={onClose}
      submitLabel="Allocate"
      submitDisabled={!valid}
      onSubmit={() => {
        onClose();
        void runAction({ op: 'pci_alloc_irq_vectors', dev, min, max, flags });
      }}
    >
      <Field label="Device">
        <DeviceSelect devices={devices} value={dev} onChange={setDev} autoFocus />
      </Field>
      <div className="flex gap-4">
        <Field label="min_vecs">
          <NumberInput label="min_vecs" value={min} onChange={setMin} />
        </Field>
        <Field label="max_vecs">
          <NumberInput label="max_vecs" value={max} onChange={setMax} />
        </Field>
      </div>
      <fieldset className="flex flex-col gap-1">
        <legend className="mb-1 text-xs font-medium text-slate-700 dark:text-slate-300">flags</legend>
        <div className="flex flex-wrap gap-3">
          {FLAGS.map(({ flag, title }) => (
            <label key={flag} className="flex items-center gap-1.5 font-mono text-xs" title={title}>
              <input type="checkbox" checked={flags.includes(flag)} onChange={() => toggle(flag)} className="h-4 w-4 accent-sky-600" />
              {flag}
            </label>
          ))}
        </div>
      </fieldset>
      <p className="text-[11px] text-slate-500">The kernel decides: it may grant fewer than max, or refuse with an errno.</p>
    </Modal>
  );
}
