// driver_bind(dev, driver): really_probe() runs the driver's probe; driver_unbind(dev): its
// remove, then the devres list is released newest first.

import { useState } from 'react';
import { Modal } from '../chrome/Modal';
import { input } from '../chrome/styles';
import { useStore, type DriverOp } from '../store';
import { runAction } from '../store/commands';
import { NONE, selectedDevice } from '../selectors';
import type { DriverName } from '../../scenario/types';
import type { DeviceView } from '../../worker/protocol';
import { Field } from './fields';
import { DevicePicker, OpRadios, type OpChoice } from './designFields';

export const DRIVER_OPS: readonly OpChoice<DriverOp>[] = [
  { op: 'driver_bind', hint: 'Bind a driver: really_probe() checks the devres list is empty, then runs its probe.' },
  { op: 'driver_unbind', hint: 'Unbind: the driver’s remove, then devres_release_all() in reverse order.' },
];

/** The drivers the model knows, with what their probe does. */
export const DRIVERS: { name: DriverName; what: string; fits: (d: DeviceView) => boolean }[] = [
  { name: 'nvme', what: 'NVMe: one vector for setup, then the admin queue + one managed I/O queue per CPU (MSI-X, AFFINITY)', fits: (d) => d.kind === 'pci' },
  { name: 'cxl_pci', what: 'CXL memory device: MSI-X with one vector (mailbox); its domain becomes the MSI parent of its PMU subdevices', fits: (d) => d.kind === 'pci' },
  { name: 'cxl_pmu', what: 'CXL PMU (cxl_pmu) on a subdevice: its own domain, the MSI-X row its capability names, one overflow interrupt', fits: (d) => d.kind === 'subdevice' },
  { name: 'idxd', what: 'idxd-like accelerator: every MSI-X entry, idxd-misc on entry 0, and its IMS domain for work queues', fits: (d) => d.kind === 'pci' },
  { name: 'pcieport', what: 'PCIe port services (PME, hotplug, AER) on MSI-X or MSI, else INTx', fits: (d) => d.kind === 'pci' },
];

/** The driver a device most likely wants (its label names it, or what it is). */
function guessDriver(d: DeviceView | undefined): DriverName {
  if (!d) return 'nvme';
  if (d.kind === 'subdevice') return 'cxl_pmu';
  const l = `${d.label} ${d.name}`.toLowerCase();
  if (l.includes('cxl')) return 'cxl_pci';
  if (l.includes('idxd') || d.ims) return 'idxd';
  if (l.includes('port') || l.includes('pcie')) return 'pcieport';
  return 'nvme';
}

export function DriverDialog({ op: initialOp, dev: initialDev, onClose }: { op?: DriverOp; dev?: string; onClose: () => void }) {
  const devices = useStore((s) => s.snapshot?.view.devices ?? NONE);
  const sel = useStore((s) => selectedDevice(s));
  const start = devices.find((d) => d.name === initialDev) ?? sel ?? devices[0];
  const [op, setOp] = useState<DriverOp>(initialOp ?? (start?.driver ? 'driver_unbind' : 'driver_bind'));
  const [dev, setDev] = useState(start?.name ?? '');
  const d = devices.find((x) => x.name === dev);
  const [choice, setDriver] = useState<DriverName | null>(null);
  const driver = choice ?? guessDriver(d);
  return (
    <Modal
      title={op === 'driver_bind' ? 'driver_bind(): probe a driver' : 'driver_unbind(): remove a driver'}
      onClose={onClose}
      submitLabel={op === 'driver_bind' ? 'Bind' : 'Unbind'}
      submitDisabled={!dev}
      onSubmit={() => {
        onClose();
        void runAction(op === 'driver_bind' ? { op, dev, driver } : { op, dev });
      }}
    >
      <OpRadios ops={DRIVER_OPS} value={op} onChange={setOp} />
      <Field
        label="Device"
        hint={d ? `bound: ${d.driver ?? 'no driver'} · devres: ${d.devres.length ? d.devres.join(', ') : 'empty'}` : undefined}
      >
        <DevicePicker devices={devices} value={dev} onChange={setDev} label="Device" describe={(x) => `${x.kind === 'subdevice' ? `subdevice of ${x.parent}` : x.label}${x.driver ? ` · ${x.driver}` : ''}`} />
      </Field>
      {op === 'driver_bind' && (
        <Field label="driver" hint={DRIVERS.find((x) => x.name === driver)?.what}>
          <select aria-label="driver" className={input + ' font-mono'} value={driver} onChange={(e) => setDriver(e.target.value as DriverName)}>
            {DRIVERS.map((x) => (
              <option key={x.name} value={x.name}>
                {x.name}{d && !x.fits(d) ? ' (not for this device)' : ''}
              </option>
            ))}
          </select>
        </Field>
      )}
    </Modal>
  );
}
