// pci_alloc_irq_vectors(dev, min, max, flags), with the struct irq_affinity of
// pci_alloc_irq_vectors_affinity() when PCI_IRQ_AFFINITY is set (pre_vectors, post_vectors: the
// NVMe admin queue is pre_vectors = 1). The flags follow the device's capabilities: a device
// without an MSI-X capability is not offered MSI-X.

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
  const [pre, setPre] = useState(0);
  const [post, setPost] = useState(0);
  // set_size[] as "4, 4" (nr_sets = the count); empty: one set.
  const [setsText, setSetsText] = useState('');
  const sets = setsText.trim() ? setsText.split(/[\s,]+/).filter(Boolean).map(Number) : [];
  const setsOk = sets.length <= 4 && sets.every((n) => Number.isInteger(n) && n >= 1);
  /** What the device cannot do: no MSI-X (or MSI) capability. */
  const lacks = (f: IrqFlag): string | null =>
    f === 'MSIX' && !d?.msixCap ? `${dev} has no MSI-X capability` : f === 'MSI' && !d?.msiCap ? `${dev} has no MSI capability` : null;
  const usable = flags.filter((f) => !lacks(f));
  const toggle = (f: IrqFlag) => setFlags((x) => (x.includes(f) ? x.filter((y) => y !== f) : FLAGS.map((z) => z.flag).filter((z) => z === f || x.includes(z))));
  const affinity = usable.includes('AFFINITY');
  const vectorFlags = usable.filter((f) => f !== 'AFFINITY');
  const valid = dev !== '' && Number.isFinite(min) && Number.isFinite(max) && vectorFlags.length > 0 && (!affinity || (Number.isFinite(pre) && Number.isFinite(post) && setsOk));
  return (
    <Modal
      title="pci_alloc_irq_vectors()"
      onClose={onClose}
      submitLabel="Allocate"
      submitDisabled={!valid}
      onSubmit={() => {
        onClose();
        void runAction({
          op: 'pci_alloc_irq_vectors', dev, min, max, flags: usable,
          ...(affinity && pre > 0 ? { pre_vectors: pre } : {}),
          ...(affinity && post > 0 ? { post_vectors: post } : {}),
          ...(affinity && sets.length ? { sets } : {}),
        });
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
          {FLAGS.map(({ flag, title }) => {
            const no = lacks(flag);
            return (
              <label key={flag} className={`flex items-center gap-1.5 font-mono text-xs ${no ? 'text-slate-500 line-through dark:text-slate-400' : ''}`} title={no ?? title}>
                <input type="checkbox" checked={!no && flags.includes(flag)} disabled={!!no} onChange={() => toggle(flag)} className="h-4 w-4 accent-sky-600" aria-label={flag} />
                {flag}
              </label>
            );
          })}
        </div>
        {(['MSIX', 'MSI'] as const).map((f) => lacks(f)).filter(Boolean).map((t) => (
          <p key={t} className="text-[11px] text-slate-600 dark:text-slate-300" data-testid="alloc-lacks">{t}: {t!.includes('MSI-X') ? 'PCI_IRQ_MSIX is not offered' : 'PCI_IRQ_MSI is not offered'}.</p>
        ))}
      </fieldset>
      <fieldset className="flex flex-col gap-1" disabled={!affinity}>
        <legend className="mb-1 text-xs font-medium text-slate-700 dark:text-slate-300">
          struct irq_affinity <span className="font-normal text-slate-600 dark:text-slate-400">{affinity ? '(pci_alloc_irq_vectors_affinity)' : '(with AFFINITY)'}</span>
        </legend>
        <div className="flex flex-wrap gap-4">
          <Field label="pre_vectors" hint="not spread: e.g. NVMe's admin queue">
            <NumberInput label="pre_vectors" value={pre} onChange={setPre} />
          </Field>
          <Field label="post_vectors" hint="not spread, at the end">
            <NumberInput label="post_vectors" value={post} onChange={setPost} />
          </Field>
          <Field label="set sizes" hint={setsOk ? 'nr_sets / set_size[]: each set spread over all CPUs (NVMe: default, read, poll queues); empty: one set' : 'up to 4 whole numbers, e.g. 4, 4'}>
            <input
              type="text" inputMode="numeric" aria-label="set sizes" placeholder="e.g. 4, 4" value={setsText}
              onChange={(e) => setSetsText(e.target.value)} aria-invalid={!setsOk}
              className="w-28 rounded border border-slate-300 bg-white px-2 py-1 font-mono text-xs dark:border-slate-600 dark:bg-slate-900"
            />
          </Field>
        </div>
      </fieldset>
      <p className="text-[11px] text-slate-600 dark:text-slate-400">The kernel decides: it may grant fewer than max, or refuse with an errno.</p>
    </Modal>
  );
}
