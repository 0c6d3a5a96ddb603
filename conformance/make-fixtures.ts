// conformance/make-fixtures.ts: writes the scenario.json of every fixture in the set that is missing one
// (conformance/CONTEXT.md, "Fixtures"). An existing scenario.json is never touched: it and its capture
// are evidence. Run: npx tsx conformance/make-fixtures.ts [--list]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Action, DeviceSpec, KernelVersion, Scenario } from '../src/engine/types';

const HERE = path.dirname(fileURLToPath(import.meta.url));

type Config = 'ir' | 'noir' | 'its';
/** Harness-only ops (PCI remove/rescan, module unload/reload) that the engine's Action type does not name yet. */
type Op = Action | { op: 'pci_stop_and_remove_bus_device'; dev: string } | { op: 'pci_rescan_bus' } |
  { op: 'delete_module'; name: string } | { op: 'init_module'; name: string };

interface Fixture { kernel: KernelVersion; config: Config; cpus: number; name: string; scenario: Scenario }

const KERNELS: KernelVersion[] = ['6.1', '6.12', '7.2'];
const CONFIGS: Config[] = ['ir', 'noir', 'its'];
/** The big CPU count of each kernel and configuration, rotated so each kernel and each configuration sees 16, 32 and 64. */
const BIG: Record<KernelVersion, Record<Config, number>> = {
  '6.1': { ir: 16, noir: 32, its: 64 },
  '6.12': { ir: 32, noir: 64, its: 16 },
  '7.2': { ir: 64, noir: 16, its: 32 },
};

// two vectors for virtio-net: config plus one shared by all virtqueues (2 CPUs without remapping, and arm64)
function netVectors(config: Config, cpus: number): number {
  return cpus === 2 && config !== 'ir' ? 2 : 10;
}

function devices(config: Config, cpus: number, kernel: KernelVersion): DeviceSpec[] {
  const arm = config === 'its';
  const nvmeBdf = arm ? '0000:00:01.0' : '0000:00:02.0';
  const netBdf = arm ? '0000:00:02.0' : '0000:00:03.0';
  let queues = 8; let table = 9;
  if (cpus >= 16) { queues = cpus; table = cpus + 1; }
  // fewer MSI-X entries than queues: the driver shrinks its queue count (8 CPUs on q35 with remapping)
  if (cpus === 8 && config === 'ir') table = 4;
  const nvme: DeviceSpec = { bdf: nvmeBdf, name: 'nvme', driver: 'nvme', msix: { tableSize: table }, queues };
  const net: DeviceSpec = { bdf: netBdf, name: 'virtio-net', driver: 'virtio_net', msix: { tableSize: netVectors(config, cpus) }, queues: 1 };
  // listed order is probe order: virtio-net first on one CPU (it then takes the lower irq numbers)
  if (cpus === 1 && kernel !== '6.12') return [net, nvme];
  return [nvme, net];
}

function actions(f: { kernel: KernelVersion; config: Config; cpus: number }, nvme: string, net: string): Op[] {
  const { kernel, config, cpus } = f;
  const last = cpus - 1;
  const key = `${kernel} ${config} ${cpus}`;
  // the few fixtures for PCI remove/rescan and module unload/reload
  if (key === '7.2 ir 2') return [
    { op: 'pci_stop_and_remove_bus_device', dev: nvme }, { op: 'pci_rescan_bus' },
    { op: 'blk_read', dev: nvme, cpu: 1, count: 8 }, { op: 'cpu_down', cpu: 1 }, { op: 'cpu_up', cpu: 1 }];
  if (key === '6.12 noir 4') return [
    { op: 'delete_module', name: 'nvme' }, { op: 'init_module', name: 'nvme' },
    { op: 'blk_read', dev: nvme, cpu: 2, count: 8 }, { op: 'cpu_down', cpu: 3 }, { op: 'cpu_up', cpu: 3 }];
  if (key === '6.1 its 8') return [
    { op: 'write_irq_affinity', dev: net, index: 1, cpus: [7] }, { op: 'pci_stop_and_remove_bus_device', dev: net },
    { op: 'pci_rescan_bus' }, { op: 'cpu_down', cpu: 7 }, { op: 'cpu_up', cpu: 7 }];
  if (cpus === 1) return [
    { op: 'write_irq_affinity', dev: net, index: 1, cpus: [0] },
    { op: 'write_irq_affinity', dev: nvme, index: 1, cpus: [0] },
    { op: 'blk_read', dev: nvme, cpu: 0, count: 8 },
    { op: 'driver_unbind', dev: nvme }, { op: 'driver_bind', dev: nvme, driver: 'nvme' }];
  // the other fixtures rotate through four plans, so that each kernel and each configuration sees each
  const plan = (KERNELS.indexOf(kernel) + CONFIGS.indexOf(config) + [2, 4, 8].indexOf(cpus) + (cpus > 8 ? 3 : 0)) % 4;
  const mid = Math.floor(cpus / 2);
  switch (plan) {
    case 0: // affinity writes: a virtio-net vector (allowed), an NVMe I/O queue (managed: refused)
      return [
        { op: 'cpu_down', cpu: last },
        { op: 'write_irq_affinity', dev: net, index: 1, cpus: [0] },
        { op: 'write_irq_affinity', dev: nvme, index: 1, cpus: [0] },
        { op: 'blk_read', dev: nvme, cpu: mid === last ? 0 : mid, count: 16 },
        { op: 'cpu_up', cpu: last }];
    case 1: // NVMe unbind and bind, then I/O from the last CPU and its hotplug
      return [
        { op: 'driver_unbind', dev: nvme }, { op: 'driver_bind', dev: nvme, driver: 'nvme' },
        { op: 'blk_read', dev: nvme, cpu: last, count: 16 },
        { op: 'cpu_down', cpu: last }, { op: 'blk_read', dev: nvme, cpu: 0, count: 8 }, { op: 'cpu_up', cpu: last }];
    case 2: // virtio-net rebind while a CPU is offline; its vector moved to the last CPU, which goes away
      return [
        { op: 'cpu_down', cpu: last },
        { op: 'driver_unbind', dev: net }, { op: 'driver_bind', dev: net, driver: 'virtio_net' },
        { op: 'cpu_up', cpu: last },
        { op: 'write_irq_affinity', dev: net, index: 0, cpus: [last] },
        { op: 'cpu_down', cpu: last }];
    default: { // every CPU of the upper half offline: managed NVMe queues shut down, then come back
      const upper = Array.from({ length: cpus - mid }, (_, i) => mid + i).filter((c) => c !== 0).slice(0, 4);
      return [
        { op: 'blk_read', dev: nvme, cpu: last, count: 8 },
        ...upper.map((c): Op => ({ op: 'cpu_down', cpu: c })),
        { op: 'blk_read', dev: nvme, cpu: 0, count: 8 },
        // a virtio-net vector (index 2, or 1 when two vectors are shared) aimed at an offline CPU only
        { op: 'write_irq_affinity', dev: net, index: netVectors(config, cpus) === 2 ? 1 : 2, cpus: upper.slice(0, 1) },
        ...upper.map((c): Op => ({ op: 'cpu_up', cpu: c }))];
    }
  }
}

export function fixtureSet(): Fixture[] {
  const out: Fixture[] = [];
  for (const kernel of KERNELS) for (const config of CONFIGS) for (const cpus of [1, 2, 4, 8, BIG[kernel][config]]) {
    const arm = config === 'its';
    const name = `${arm ? 'virt-its' : `q35-${config}`}-${cpus}cpu`;
    const devs = devices(config, cpus, kernel);
    const nvme = devs.find((d) => d.driver === 'nvme')!.bdf;
    const net = devs.find((d) => d.driver === 'virtio_net')!.bdf;
    const machine: Scenario['machine'] = arm
      ? { arch: 'arm64', platform: 'qemu-virt', kernel, cpus, devices: devs }
      : { arch: 'x86', platform: 'qemu-q35', kernel, cpus, remap: config === 'ir' ? 'intel-ir' : 'none', devices: devs };
    const scenario = { version: 1, machine, actions: actions({ kernel, config, cpus }, nvme, net) } as Scenario;
    out.push({ kernel, config, cpus, name, scenario });
  }
  return out;
}

export function fixtureDir(f: Fixture): string {
  return path.join(HERE, 'fixtures', f.kernel, f.config === 'its' ? 'arm64' : 'x86', f.name);
}

/** One line for the machine, one per device, one per action. */
function format(s: Scenario): string {
  const one = (o: object) => JSON.stringify(o).replace(/,"/g, ', "').replace(/":/g, '": ');
  const obj = (o: object) => one(o).replace(/^\{/, '{ ').replace(/\}$/, ' }');
  const { devices, ...rest } = s.machine;
  return [
    '{',
    '  "version": 1,',
    `  "machine": { ${one(rest).slice(1, -1)},`,
    '    "devices": [',
    devices.map((d) => `      ${obj(d)}`).join(',\n'),
    '    ] },',
    '  "actions": [',
    (s.actions as object[]).map((x) => `    ${obj(x)}`).join(',\n'),
    '  ]',
    '}',
    '',
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const list = process.argv.includes('--list');
  let made = 0;
  for (const f of fixtureSet()) {
    const dir = fixtureDir(f);
    const file = path.join(dir, 'scenario.json');
    const rel = path.relative(process.cwd(), file);
    if (list) { console.log(`${fs.existsSync(path.join(dir, 'capture.txt')) ? 'captured' : 'missing '} ${rel}`); continue; }
    if (fs.existsSync(file)) continue;
    fs.mkdirSync(dir, { recursive: true });
    const text = format(f.scenario);
    JSON.parse(text);
    fs.writeFileSync(file, text);
    made++;
    console.log(`wrote ${rel}`);
  }
  if (!list) console.log(`${made} scenario(s) written`);
}
