// pci_free_irq_vectors(dev)

import { useState } from 'react';
import { Modal } from '../chrome/Modal';
import { useStore } from '../store';
import { NONE } from '../selectors';
import { runAction } from '../store/commands';
import { DeviceSelect, Field } from './fields';

export function FreeVectorsDialog({ onClose }: { onClose: () => void }) {
  const devices = useStore((s) => s.snapshot?.view.devices ?? NONE).filter((d) => d.kind === 'pci');
  const [dev, setDev] = useState(devices[0]?.name ?? '');
  return (
    <Modal
      title="pci_free_irq_vectors()"
      onClose={onClose}
      submitLabel="Free vectors"
      submitDisabled={!dev}
      onSubmit={() => {
        onClose();
        void runAction({ op: 'pci_free_irq_vectors', dev });
      }}
    >
      <Field label="Device">
        <DeviceSelect devices={devices} value={dev} onChange={setDev} autoFocus />
      </Field>
    </Modal>
  );
}
