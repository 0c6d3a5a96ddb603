// raise(dev, index [, domain: 'ims'] [, count]): the device writes its message for one index —
// an MSI/MSI-X entry, a subdevice's entry, or an IMS entry — once, or `count` times (a storm).

import { useState } from 'react';
import { Modal } from '../chrome/Modal';
import { useStore } from '../store';
import { runAction } from '../store/commands';
import { selectedDevice, selectedIrq, NONE } from '../selectors';
import { DeviceSelect, Field, NumberInput } from './fields';

export interface RaisePreset {
  dev?: string;
  index?: number;
  domain?: 'ims';
  count?: number;
}

const MAX_COUNT = 10_000_000;

export function RaiseDialog({ preset = {}, onClose }: { preset?: RaisePreset; onClose: () => void }) {
  const devices = useStore((s) => s.snapshot?.view.devices ?? NONE);
  const irq = useStore(selectedIrq);
  const sel = useStore((s) => selectedDevice(s));
  const [dev, setDev] = useState(preset.dev ?? (sel ?? devices[0])?.name ?? '');
  const d = devices.find((x) => x.name === dev);
  // An IMS interrupt is selected: raise its IMS entry (its store is the secondary domain).
  const irqIsIms = !!(irq?.msi && d?.ims?.rows.some((r) => r.virq === irq.virq));
  const [ims, setIms] = useState(preset.domain === 'ims' || (preset.domain === undefined && irqIsIms));
  const [index, setIndex] = useState(preset.index ?? irq?.msi?.index ?? 0);
  const [count, setCount] = useState(preset.count ?? 1);
  const useIms = ims && !!d?.ims;
  const used = useIms ? (d?.ims?.rows.filter((r) => r.virq).map((r) => r.index) ?? []) : (d?.stores.flatMap((s) => s.entries.map((e) => e.index)) ?? []);
  const countOk = Number.isInteger(count) && count >= 1 && count <= MAX_COUNT;
  return (
    <Modal
      title={count > 1 ? 'raise(): an interrupt storm' : 'raise(): the device sends its message'}
      onClose={onClose}
      submitLabel={count > 1 ? `Raise ${count.toLocaleString('en-US')} times` : 'Raise'}
      submitDisabled={!dev || !Number.isFinite(index) || !countOk}
      onSubmit={() => {
        onClose();
        void runAction({ op: 'raise', dev, index, ...(useIms ? { domain: 'ims' } : {}), ...(count > 1 ? { count } : {}) });
      }}
    >
      <Field label="Device">
        <DeviceSelect devices={devices} value={dev} onChange={setDev} />
      </Field>
      {d?.ims && (
        <fieldset className="flex gap-4 text-sm">
          <legend className="mb-1 text-xs font-medium text-slate-700 dark:text-slate-300">store</legend>
          <label className="flex items-center gap-1.5">
            <input type="radio" name="raise-store" checked={!ims} onChange={() => setIms(false)} className="accent-sky-600" />
            MSI / MSI-X
          </label>
          <label className="flex items-center gap-1.5">
            <input type="radio" name="raise-store" checked={ims} onChange={() => setIms(true)} className="accent-sky-600" />
            IMS (domain “ims”)
          </label>
        </fieldset>
      )}
      <div className="flex gap-4">
        <Field label={useIms ? 'IMS index' : 'MSI index'} hint={used.length ? `indices in use: ${used.slice(0, 16).join(', ')}${used.length > 16 ? ', …' : ''}` : 'none in use yet'}>
          <NumberInput label={useIms ? 'IMS index' : 'MSI index'} value={index} onChange={setIndex} autoFocus />
        </Field>
        <Field label="count" hint="1: one message. More: a storm, run in batches.">
          <NumberInput label="count" value={count} min={1} onChange={setCount} />
        </Field>
      </div>
    </Modal>
  );
}
