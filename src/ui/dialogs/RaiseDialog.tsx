// raise(dev, index): the device writes its MSI message for one index.

import { useState } from 'react';
import { Modal } from '../chrome/Modal';
import { useStore } from '../store';
import { runAction } from '../store/commands';
import { selectedDevice, selectedIrq, NONE } from '../selectors';
import { DeviceSelect, Field, NumberInput } from './fields';

export function RaiseDialog({ onClose }: { onClose: () => void }) {
  const devices = useStore((s) => s.snapshot?.view.devices ?? NONE);
  const irq = useStore(selectedIrq);
  const sel = useStore((s) => selectedDevice(s));
  const [dev, setDev] = useState((sel ?? devices[0])?.name ?? '');
  const [index, setIndex] = useState(irq?.msi?.index ?? 0);
  const d = devices.find((x) => x.name === dev);
  const used = d?.stores.flatMap((s) => s.entries.map((e) => e.index)) ?? [];
  return (
    <Modal
      title="raise(): the device sends its message"
      onClose={onClose}
      submitLabel="Raise"
      submitDisabled={!dev || !Number.isFinite(index)}
      onSubmit={() => {
        onClose();
        void runAction({ op: 'raise', dev, index });
      }}
    >
      <Field label="Device">
        <DeviceSelect devices={devices} value={dev} onChange={setDev} />
      </Field>
      <Field label="MSI index" hint={used.length ? `indices with a descriptor: ${used.slice(0, 24).join(', ')}${used.length > 24 ? ', …' : ''}` : 'no descriptors yet'}>
        <NumberInput label="MSI index" value={index} onChange={setIndex} autoFocus />
      </Field>
    </Modal>
  );
}
