// MSI parent domains for PCI subdevices (the 2024 CXL proposal, not merged):
// pci_enable_msi_parent_domain(pdev), pci_msi_init_subdevice(subdev),
// pci_msi_create_subdevice_irq_domain(subdev, hwsize), pci_subdev_msix_alloc_at(subdev, index),
// pci_subdev_msix_free(subdev, index).

import { useState } from 'react';
import { Modal } from '../chrome/Modal';
import { useStore, type SubdevOp } from '../store';
import { runAction } from '../store/commands';
import { NONE, selectedDevice } from '../selectors';
import type { Action } from '../../scenario/types';
import type { DeviceView } from '../../worker/protocol';
import { Field } from './fields';
import { DevicePicker, EraNote, IndexOrAny, OpRadios, usedList, type OpChoice } from './designFields';
import { input } from '../chrome/styles';

export const SUBDEV_OPS: readonly OpChoice<SubdevOp>[] = [
  { op: 'pci_enable_msi_parent_domain', hint: 'The PCI function’s PCI/MSI-X domain becomes the MSI parent of its subdevices (MSI-X must be on).' },
  { op: 'pci_msi_init_subdevice', hint: 'A subdevice takes the function’s PCI/MSI-X domain as its MSI parent.' },
  { op: 'pci_msi_create_subdevice_irq_domain', hint: 'The subdevice’s own per-device domain, stacked on the function’s.' },
  { op: 'pci_subdev_msix_alloc_at', hint: 'One interrupt on a row of the function’s MSI-X table, at an index or MSI_ANY_INDEX.' },
  { op: 'pci_subdev_msix_free', hint: 'Free one of the subdevice’s interrupts (its MSI-X row goes back).' },
];

const needsFunction = (op: SubdevOp) => op === 'pci_enable_msi_parent_domain';

/** The next call the design needs for this subdevice. */
function defaultOp(sub: DeviceView | undefined, parentReady: boolean): SubdevOp {
  if (!sub) return 'pci_enable_msi_parent_domain';
  if (!sub.msiParent) return parentReady ? 'pci_msi_init_subdevice' : 'pci_enable_msi_parent_domain';
  if (!sub.stores.some((s) => s.domain)) return 'pci_msi_create_subdevice_irq_domain';
  return 'pci_subdev_msix_alloc_at';
}

export function SubdevDialog({ op: initialOp, dev: initialDev, onClose }: { op?: SubdevOp; dev?: string; onClose: () => void }) {
  const all = useStore((s) => s.snapshot?.view.devices ?? NONE);
  const subs = all.filter((d) => d.kind === 'subdevice');
  const parents = all.filter((d) => d.kind === 'pci' && d.msixCap);
  const withSubs = parents.filter((p) => subs.some((s) => s.parent === p.name));
  const functions = withSubs.length ? withSubs : parents;
  const sel = useStore((s) => selectedDevice(s));
  const initialSub = subs.find((s) => s.name === initialDev) ?? (sel?.kind === 'subdevice' ? sel : subs.find((s) => s.parent === sel?.name)) ?? subs[0];
  const [subdev, setSubdev] = useState(initialSub?.name ?? '');
  const [fn, setFn] = useState(
    functions.find((f) => f.name === initialDev)?.name ?? (sel?.kind === 'pci' && functions.includes(sel) ? sel.name : initialSub?.parent ?? functions[0]?.name ?? ''),
  );
  const domains = useStore((st) => st.snapshot?.view.domains ?? NONE);
  const parentReady = (d: DeviceView | undefined) => {
    const p = all.find((x) => x.name === d?.parent);
    const dom = p?.stores.find((st) => st.domain)?.domain;
    return !!domains.find((x) => x.name === dom)?.flagNames.includes('IRQ_DOMAIN_FLAG_MSI_PARENT');
  };
  const [op, setOp] = useState<SubdevOp>(initialOp ?? defaultOp(initialSub, parentReady(initialSub)));
  const [any, setAny] = useState(false);
  const [indexChoice, setIndex] = useState<number | null>(null);
  const [hwsize, setHwsize] = useState('');
  const s = subs.find((x) => x.name === subdev);
  const entries = s?.stores.flatMap((st) => st.entries) ?? [];
  const [freeChoice, setFreeChoice] = useState<number>(entries[0]?.index ?? 0);
  const freeIndex = entries.some((e) => e.index === freeChoice) ? freeChoice : (entries[0]?.index ?? NaN);
  const parent = all.find((d) => d.name === s?.parent);
  const parentUsed = parent?.msixTable.map((r) => r.index) ?? [];
  // What MSI_ANY_INDEX means in the proposal: the lowest index free in the subdevice's own
  // store — it does not look at the function's table, whose row may be taken (-EEXIST).
  const ownUsed = new Set(entries.map((e) => e.index));
  let anyPick = 0;
  while (ownUsed.has(anyPick)) anyPick++;
  const anyRow = parent?.msixTable.find((r) => r.index === anyPick);
  const anyClash = anyRow ? (anyRow.owner ?? `${parent?.name} itself`) : null;
  // "at index" starts at the first row free in both the function's table and the subdevice's store.
  const tableSize = parent?.msixCap?.tableSize ?? 0;
  let firstFree = 0;
  while (firstFree < tableSize && (parentUsed.includes(firstFree) || ownUsed.has(firstFree))) firstFree++;
  const index = indexChoice ?? firstFree;
  const hw = hwsize.trim() === '' ? undefined : Number(hwsize.trim());
  const hwOk = hw === undefined || (Number.isInteger(hw) && hw > 0);

  const target = needsFunction(op) ? fn : subdev;
  const valid = target !== '' && hwOk && (op !== 'pci_subdev_msix_alloc_at' || any || Number.isFinite(index)) && (op !== 'pci_subdev_msix_free' || entries.length > 0);

  const action = (): Action => {
    switch (op) {
      case 'pci_enable_msi_parent_domain': return { op, dev: fn };
      case 'pci_msi_init_subdevice': return { op, subdev };
      case 'pci_msi_create_subdevice_irq_domain': return hw !== undefined ? { op, subdev, hwsize: hw } : { op, subdev };
      case 'pci_subdev_msix_alloc_at': return { op, subdev, index: any ? 'any' : index };
      case 'pci_subdev_msix_free': return { op, subdev, index: freeIndex };
    }
  };

  return (
    <Modal
      title="Subdevices: MSI parent domains"
      onClose={onClose}
      submitLabel={op === 'pci_subdev_msix_free' ? 'Free' : op === 'pci_subdev_msix_alloc_at' ? 'Allocate' : 'Apply'}
      submitDisabled={!valid}
      wide
      onSubmit={() => {
        onClose();
        void runAction(action());
      }}
    >
      <EraNote>A proposal from 2024 (CXL PMU and similar auxiliary devices), not merged: irqscope models the design as posted.</EraNote>
      <OpRadios ops={SUBDEV_OPS} value={op} onChange={setOp} />
      {needsFunction(op) ? (
        functions.length ? (
          <Field label="PCI function">
            <DevicePicker devices={functions} value={fn} onChange={setFn} label="PCI function" describe={(d) => {
              const n = subs.filter((x) => x.parent === d.name).length;
              return `${d.label}${n ? `, ${n} subdevice${n === 1 ? '' : 's'}` : ''}`;
            }} />
          </Field>
        ) : (
          <p className="text-xs text-slate-600 dark:text-slate-400">No PCI function with MSI-X on this machine.</p>
        )
      ) : subs.length ? (
        <Field label="Subdevice" hint={s ? `MSI parent: ${s.msiParent ?? 'none yet'} · domain: ${s.stores.find((x) => x.domain)?.domain ?? 'none yet'}` : undefined}>
          <DevicePicker devices={subs} value={subdev} onChange={setSubdev} label="Subdevice" />
        </Field>
      ) : (
        <p className="text-xs text-slate-600 dark:text-slate-400">No subdevices on this machine. Pick the CXL machine.</p>
      )}
      {op === 'pci_msi_create_subdevice_irq_domain' && (
        <Field label="hwsize (optional)" hint="Index space of the subdevice’s domain; default: the function’s MSI-X table size.">
          <input aria-label="hwsize" inputMode="numeric" className={input + ' w-28 font-mono'} value={hwsize} placeholder="default" onChange={(e) => setHwsize(e.target.value)} />
        </Field>
      )}
      {op === 'pci_subdev_msix_alloc_at' && (
        <>
          <IndexOrAny any={any} onAny={setAny} index={index} onIndex={setIndex} label="MSI-X index"
            anyText={<>picks the lowest index free in <span className="font-mono">{subdev}</span>’s own store: <span className="font-mono" data-testid="subdev-any-pick">{anyPick}</span></>}
            hint={`Rows of ${s?.parent ?? 'the function'}’s MSI-X table ${usedList(parentUsed)}. An index is a row of the function’s table; “at index” starts at ${firstFree}, the first row free there.`} />
          {any && anyClash && (
            <p role="note" data-testid="subdev-any-clash" className="rounded border border-amber-400 bg-amber-50 px-2 py-1.5 text-xs text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50">
              In the proposal MSI_ANY_INDEX searches the subdevice’s store only, not the function’s table: it picks {anyPick}, but row {anyPick} of
              the table is in use ({anyClash}), so the call fails with -EEXIST. Ask for the entry the subdevice’s capability names instead.
            </p>
          )}
        </>
      )}
      {op === 'pci_subdev_msix_free' && (
        <Field label="index" hint={entries.length ? undefined : 'The subdevice has no interrupt allocated.'}>
          <select aria-label="index" className={input + ' w-40 font-mono'} value={Number.isFinite(freeIndex) ? freeIndex : ''} onChange={(e) => setFreeChoice(Number(e.target.value))}>
            {entries.map((e) => <option key={e.index} value={e.index}>{e.index} (irq {e.virq})</option>)}
            {entries.length === 0 && <option value="">none</option>}
          </select>
        </Field>
      )}
    </Modal>
  );
}
