// PCI/IMS (v6.2–v6.9, removed in 2024): pci_create_ims_domain() with the driver's template (its
// mistakes in an "advanced" section), msi_domain_alloc_irq_at(dev, MSI_SECONDARY_DOMAIN, index),
// pci_ims_alloc_irq(dev, icookie) and pci_ims_free_irq(dev, index).

import { useState } from 'react';
import { Modal } from '../chrome/Modal';
import { input } from '../chrome/styles';
import { useStore, type ImsOp } from '../store';
import { runAction } from '../store/commands';
import { NONE, selectedDevice } from '../selectors';
import type { Action, ImsTemplate } from '../../scenario/types';
import { Field } from './fields';
import { DevicePicker, EraNote, IndexOrAny, OpRadios, usedList, type OpChoice } from './designFields';

export const IMS_OPS: readonly OpChoice<ImsOp>[] = [
  { op: 'pci_create_ims_domain', hint: 'Create the device’s IMS domain (MSI_SECONDARY_DOMAIN) from the driver’s template.' },
  { op: 'msi_domain_alloc_irq_at', hint: 'One interrupt in the IMS domain at an index, or at MSI_ANY_INDEX.' },
  { op: 'pci_ims_alloc_irq', hint: 'The IMS wrapper: MSI_ANY_INDEX with an instance cookie (e.g. a PASID).' },
  { op: 'pci_ims_free_irq', hint: 'Free one IMS index (and its interrupt).' },
];

const BUS_TOKENS: NonNullable<ImsTemplate['busToken']>[] = [
  'DOMAIN_BUS_PCI_DEVICE_IMS', 'DOMAIN_BUS_PCI_DEVICE_MSIX', 'DOMAIN_BUS_PCI_DEVICE_MSI', 'DOMAIN_BUS_DEVICE_MSI',
];
type TemplateFlag = NonNullable<ImsTemplate['flags']>[number];
const FLAGS: TemplateFlag[] = [
  'MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS', 'MSI_FLAG_FREE_MSI_DESCS', 'MSI_FLAG_USE_DEF_DOM_OPS',
  'MSI_FLAG_USE_DEF_CHIP_OPS', 'MSI_FLAG_ACTIVATE_EARLY', 'MSI_FLAG_DEV_SYSFS',
];
const DEFAULT_FLAGS: TemplateFlag[] = ['MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS', 'MSI_FLAG_FREE_MSI_DESCS'];
type Callback = NonNullable<ImsTemplate['omit']>[number];
const CALLBACKS: Callback[] = ['irq_mask', 'irq_unmask', 'irq_write_msi_msg', 'irq_bus_lock', 'irq_bus_sync_unlock'];

/** The template fields that differ from the correct driver template (the scenario keeps only those). */
function templateOf(name: string, busToken: ImsTemplate['busToken'], flags: TemplateFlag[], omit: Callback[], setAffinity: boolean): ImsTemplate | undefined {
  const t: ImsTemplate = {};
  if (name.trim() && name.trim() !== 'IMS') t.name = name.trim();
  if (busToken && busToken !== 'DOMAIN_BUS_PCI_DEVICE_IMS') t.busToken = busToken;
  const sameFlags = flags.length === DEFAULT_FLAGS.length && DEFAULT_FLAGS.every((f) => flags.includes(f));
  if (!sameFlags) t.flags = FLAGS.filter((f) => flags.includes(f));
  if (omit.length) t.omit = CALLBACKS.filter((c) => omit.includes(c));
  if (setAffinity) t.setAffinity = true;
  return Object.keys(t).length ? t : undefined;
}

function toggled<T>(list: T[], x: T): T[] {
  return list.includes(x) ? list.filter((y) => y !== x) : [...list, x];
}

export function ImsDialog({ op: initialOp, dev: initialDev, onClose }: { op?: ImsOp; dev?: string; onClose: () => void }) {
  const devices = useStore((s) => s.snapshot?.view.devices ?? NONE).filter((d) => d.ims);
  const sel = useStore((s) => selectedDevice(s));
  const [dev, setDev] = useState(initialDev ?? (sel?.ims ? sel : devices[0])?.name ?? '');
  const d = devices.find((x) => x.name === dev);
  const [op, setOp] = useState<ImsOp>(initialOp ?? (d?.ims?.domain ? 'msi_domain_alloc_irq_at' : 'pci_create_ims_domain'));
  const [any, setAny] = useState(true);
  const [index, setIndex] = useState(0);
  const [cookie, setCookie] = useState('');
  const rows = d?.ims?.rows.filter((r) => r.virq) ?? [];
  const [freeChoice, setFreeIndex] = useState<number>(rows[0]?.index ?? 0);
  const freeIndex = rows.some((r) => r.index === freeChoice) ? freeChoice : (rows[0]?.index ?? NaN);
  // The template's mistakes (advanced).
  const [tname, setTname] = useState('IMS');
  const [busToken, setBusToken] = useState<NonNullable<ImsTemplate['busToken']>>('DOMAIN_BUS_PCI_DEVICE_IMS');
  const [flags, setFlags] = useState<TemplateFlag[]>(DEFAULT_FLAGS);
  const [omit, setOmit] = useState<Callback[]>([]);
  const [setAffinity, setSetAffinity] = useState(false);
  const template = templateOf(tname, busToken, flags, omit, setAffinity);

  const cookieNum = cookie.trim() === '' ? undefined : Number(cookie.trim());
  const cookieOk = cookieNum === undefined || (Number.isInteger(cookieNum) && cookieNum >= 0);
  const valid = dev !== '' && cookieOk && (op !== 'msi_domain_alloc_irq_at' || any || Number.isFinite(index)) && (op !== 'pci_ims_free_irq' || rows.length > 0);

  const action = (): Action => {
    switch (op) {
      case 'pci_create_ims_domain': return template ? { op, dev, template } : { op, dev };
      case 'msi_domain_alloc_irq_at': return { op, dev, domain: 'ims', index: any ? 'any' : index, ...(cookieNum !== undefined ? { icookie: cookieNum } : {}) };
      case 'pci_ims_alloc_irq': return { op, dev, ...(cookieNum !== undefined ? { icookie: cookieNum } : {}) };
      case 'pci_ims_free_irq': return { op, dev, index: freeIndex };
    }
  };

  return (
    <Modal
      title="PCI/IMS: interrupt message store"
      onClose={onClose}
      submitLabel={op === 'pci_create_ims_domain' ? 'Create domain' : op === 'pci_ims_free_irq' ? 'Free' : 'Allocate'}
      submitDisabled={!valid}
      wide
      onSubmit={() => {
        onClose();
        void runAction(action());
      }}
    >
      <EraNote>IMS was merged in v6.2 and removed in 2024 without users; irqscope models it as it was.</EraNote>
      <OpRadios ops={IMS_OPS} value={op} onChange={setOp} />
      {devices.length === 0 ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">No device on this machine has an interrupt message store. Pick one of the IMS machines.</p>
      ) : (
        <Field label="Device (with IMS)" hint={d?.ims ? `${d.ims.storage === 'queue' ? 'queue memory' : 'device memory'} · ${d.ims.size} entries · domain ${d.ims.domain ?? 'not created yet'}` : undefined}>
          <DevicePicker devices={devices} value={dev} onChange={setDev} label="Device" />
        </Field>
      )}
      {op === 'msi_domain_alloc_irq_at' && (
        <IndexOrAny any={any} onAny={setAny} index={index} onIndex={setIndex} label="IMS index" hint={usedList(rows.map((r) => r.index))} />
      )}
      {(op === 'msi_domain_alloc_irq_at' || op === 'pci_ims_alloc_irq') && (
        <Field label="icookie (optional)" hint="msi_desc::data.icookie, e.g. a PASID the device puts in the entry’s control word.">
          <input aria-label="icookie" inputMode="numeric" className={input + ' w-28 font-mono'} value={cookie} placeholder="none" onChange={(e) => setCookie(e.target.value)} />
        </Field>
      )}
      {op === 'pci_ims_free_irq' && (
        <Field label="IMS index" hint={rows.length ? undefined : 'No IMS interrupt is allocated on this device.'}>
          <select aria-label="IMS index" className={input + ' w-40 font-mono'} value={Number.isFinite(freeIndex) ? freeIndex : ''} onChange={(e) => setFreeIndex(Number(e.target.value))}>
            {rows.map((r) => <option key={r.index} value={r.index}>{r.index} (irq {r.virq})</option>)}
            {rows.length === 0 && <option value="">none</option>}
          </select>
        </Field>
      )}
      {op === 'pci_create_ims_domain' && (
        <details className="rounded border border-slate-200 px-2 py-1 dark:border-slate-700" open={template !== undefined || undefined}>
          <summary className="cursor-pointer text-xs font-medium text-slate-700 dark:text-slate-300">
            Advanced: the driver’s msi_domain_template {template ? <span className="text-rose-600 dark:text-rose-400">(with mistakes)</span> : '(correct)'}
          </summary>
          <div className="mt-2 flex flex-col gap-2.5">
            <p className="text-[11px] text-slate-500">Each change below is a mistake pci_create_ims_domain() checks for; the defaults are the correct template.</p>
            <div className="flex gap-3">
              <Field label="chip.name">
                <input aria-label="chip.name" className={input + ' w-28 font-mono'} value={tname} maxLength={32} onChange={(e) => setTname(e.target.value)} />
              </Field>
              <Field label="info.bus_token">
                <select aria-label="info.bus_token" className={input + ' font-mono text-xs'} value={busToken} onChange={(e) => setBusToken(e.target.value as typeof busToken)}>
                  {BUS_TOKENS.map((b) => <option key={b} value={b}>{b}</option>)}
                </select>
              </Field>
            </div>
            <fieldset>
              <legend className="mb-1 text-xs font-medium text-slate-700 dark:text-slate-300">info.flags</legend>
              <div className="grid grid-cols-2 gap-x-3 gap-y-0.5">
                {FLAGS.map((f) => (
                  <label key={f} className="flex items-center gap-1.5 font-mono text-[11px]">
                    <input type="checkbox" checked={flags.includes(f)} onChange={() => setFlags((x) => toggled(x, f))} className="accent-sky-600" />
                    {f}
                  </label>
                ))}
              </div>
            </fieldset>
            <fieldset>
              <legend className="mb-1 text-xs font-medium text-slate-700 dark:text-slate-300">chip callbacks left out</legend>
              <div className="flex flex-wrap gap-x-3 gap-y-0.5">
                {CALLBACKS.map((c) => (
                  <label key={c} className="flex items-center gap-1.5 font-mono text-[11px]">
                    <input type="checkbox" checked={omit.includes(c)} onChange={() => setOmit((x) => toggled(x, c))} className="accent-sky-600" aria-label={`omit ${c}`} />
                    {c}
                  </label>
                ))}
              </div>
            </fieldset>
            <label className="flex items-center gap-1.5 font-mono text-[11px]">
              <input type="checkbox" checked={setAffinity} onChange={(e) => setSetAffinity(e.target.checked)} className="accent-sky-600" />
              chip.irq_set_affinity of its own
            </label>
          </div>
        </details>
      )}
    </Modal>
  );
}
