// Random scenarios for the hostile-input fuzz suite: machines and kernel API calls drawn from a
// seeded generator (the same seed gives the same scenarios), most of them valid, some of them
// aimed at the edges (huge counts, big tables, refusals), plus mutations of links and saved
// work. Shared by the fuzz test (small size, in CI) and `npm run fuzz` (large size).

import type { Action, DeviceSpec, MachineSpec, Scenario } from '../scenario/types';

/** A small, fast, seeded PRNG (mulberry32). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Small numbers mostly, now and then anything up to `max`. */
  lean(max: number): number {
    return this.chance(0.8) ? this.int(0, Math.min(max, 4)) : this.int(0, max);
  }
}

const DRIVERS = ['pcieport', 'cxl_pci', 'cxl_pmu', 'nvme', 'idxd', 'virtio_net'] as const;
const FLAGS = ['MSIX', 'MSI', 'INTX', 'AFFINITY'] as const;

function device(r: Rng, i: number): DeviceSpec {
  const d: DeviceSpec = { bdf: `0000:${(i + 1).toString(16).padStart(2, '0')}:00.0`, name: `dev${i}` };
  if (r.chance(0.7)) d.msix = { tableSize: r.chance(0.9) ? r.int(1, 16) : r.pick([64, 256, 2048]) };
  if (r.chance(0.5) || !d.msix) d.msi = { vectors: r.pick([1, 2, 4, 8, 16, 32]), maskable: r.chance(0.5), addr64: r.chance(0.5) };
  if (r.chance(0.2)) d.ims = { storage: r.pick(['device', 'queue'] as const), size: r.int(1, 8) };
  if (d.msix && r.chance(0.2)) d.subdevices = Array.from({ length: r.int(1, 2) }, (_, j) => ({ name: `sub${i}.${j}` }));
  if (r.chance(0.1)) d.driver = r.pick(DRIVERS);
  if (r.chance(0.1)) d.queues = r.int(1, 8);
  return d;
}

export function machine(r: Rng, opts: { maxCpus?: number } = {}): MachineSpec {
  const arch = r.chance(0.8) ? 'x86' : 'arm64';
  const maxCpus = opts.maxCpus ?? 16;
  const m: MachineSpec = {
    arch,
    cpus: r.chance(0.9) ? r.int(1, Math.min(8, maxCpus)) : r.int(1, maxCpus),
    devices: Array.from({ length: r.int(0, 4) }, (_, i) => device(r, i)),
  };
  if (r.chance(0.5)) m.kernel = r.pick(['6.1', '6.12', '7.2'] as const);
  if (arch === 'x86' && r.chance(0.7)) m.remap = r.pick(['intel-ir', 'amd-ir', 'none'] as const);
  if (r.chance(0.4)) m.msiModel = r.pick(['v2', 'v1', 'nonhier', 'legacy'] as const);
  return m;
}

/** One kernel API call over the machine's devices, subdevices, CPUs and (guessed) virqs. */
export function action(r: Rng, m: MachineSpec): Action {
  const devs = m.devices.map((d) => d.bdf);
  const subs = m.devices.flatMap((d) => (d.subdevices ?? []).map((s) => s.name));
  const dev = () => (devs.length && r.chance(0.95) ? r.pick(devs) : '0000:ff:1f.7');
  const sub = () => (subs.length && r.chance(0.9) ? r.pick(subs) : 'nosuch.0');
  const idx = () => r.lean(20);
  const cpu = () => (r.chance(0.95) ? r.int(0, m.cpus - 1) : r.int(0, m.cpus + 3));
  const irq = (): { virq: number } | { dev: string; index: number } =>
    r.chance(0.7) ? { dev: dev(), index: idx() } : { virq: r.int(0, 80) };
  const cpus = () => [...new Set(Array.from({ length: r.int(1, Math.min(4, m.cpus)) }, cpu))].sort((a, b) => a - b);
  switch (r.int(0, 29)) {
    case 0:
    case 1:
    case 2: {
      const a: Action = { op: 'pci_alloc_irq_vectors', dev: dev(), min: r.lean(8), max: r.lean(r.chance(0.1) ? 4096 : 32), flags: FLAGS.filter(() => r.chance(0.5)) };
      if (r.chance(0.2)) a.pre_vectors = r.lean(2);
      if (r.chance(0.1)) a.post_vectors = r.lean(1);
      return a;
    }
    case 3:
      return { op: 'pci_free_irq_vectors', dev: dev() };
    case 4:
      return { op: 'pci_msix_alloc_irq_at', dev: dev(), index: r.chance(0.3) ? 'any' : idx() };
    case 5:
      return { op: 'pci_msix_free_irq', dev: dev(), index: idx() };
    case 6:
    case 7:
      return { op: 'request_irq', ...irq(), name: r.pick(['drv0', 'drv1', 'nvme0q1']) };
    case 8:
      return { op: 'free_irq', ...irq() };
    case 9:
      return { op: r.pick(['disable_irq', 'enable_irq', 'mask', 'unmask'] as const), ...irq() };
    case 10:
    case 11:
      return { op: r.pick(['irq_set_affinity', 'write_irq_affinity'] as const), ...irq(), cpus: cpus() };
    case 12:
      return { op: 'cpu_down', cpu: cpu() };
    case 13:
      return { op: 'cpu_up', cpu: cpu() };
    case 14:
    case 15: {
      const a: Action = { op: 'raise', dev: r.chance(0.1) && subs.length ? sub() : dev(), index: idx() };
      if (r.chance(0.3)) a.count = r.pick([2, 7, 1000, 100_000, 250_001, 10_000_000]);
      if (r.chance(0.05)) a.domain = 'ims';
      return a;
    }
    case 16:
      return { op: 'msleep', ms: r.pick([0, 1, 10]) };
    case 17:
    case 18:
      return { op: 'driver_bind', dev: r.chance(0.8) ? dev() : sub(), driver: r.pick(DRIVERS) };
    case 19:
      return { op: 'driver_unbind', dev: r.chance(0.8) ? dev() : sub() };
    case 20:
      return { op: 'pci_create_ims_domain', dev: dev() };
    case 21:
      return r.chance(0.5)
        ? { op: 'msi_domain_alloc_irq_at', dev: dev(), domain: 'ims', index: r.chance(0.3) ? 'any' : idx(), ...(r.chance(0.3) ? { icookie: r.int(0, 0xfffff) } : {}) }
        : { op: 'pci_ims_alloc_irq', dev: dev() };
    case 22:
      return { op: 'pci_ims_free_irq', dev: dev(), index: idx() };
    case 23:
      return { op: 'pci_enable_msi_parent_domain', dev: dev() };
    case 24:
      return r.chance(0.5) ? { op: 'pci_msi_init_subdevice', subdev: sub() } : { op: 'pci_msi_create_subdevice_irq_domain', subdev: sub(), ...(r.chance(0.3) ? { hwsize: r.int(1, 64) } : {}) };
    case 25:
      return { op: 'pci_subdev_msix_alloc_at', subdev: sub(), index: r.chance(0.3) ? 'any' : idx() };
    case 26:
      return { op: 'pci_subdev_msix_free', subdev: sub(), index: idx() };
    case 27:
      return { op: 'pci_irq_vector', dev: dev(), nr: idx() };
    case 28:
      return { op: 'blk_read', dev: dev(), cpu: cpu(), count: r.int(1, 100) };
    default:
      return { op: 'driver_unbind', dev: dev() };
  }
}

export function scenario(r: Rng, opts: { maxActions?: number; maxCpus?: number } = {}): Scenario {
  const m = machine(r, opts);
  const n = r.int(1, opts.maxActions ?? 30);
  // Most devices get their vectors (or a driver) first, so later calls reach deeper states.
  const setup: Action[] = m.devices.flatMap((d): Action[] => {
    if (r.chance(0.3)) return [];
    if (r.chance(0.3)) return [{ op: 'driver_bind', dev: d.bdf, driver: r.pick(DRIVERS) }];
    const max = d.msix ? Math.min(d.msix.tableSize, r.int(1, 8)) : d.msi ? d.msi.vectors : 1;
    return [
      { op: 'pci_alloc_irq_vectors', dev: d.bdf, min: 1, max, flags: r.chance(0.3) ? ['MSIX', 'MSI', 'AFFINITY'] : ['MSIX', 'MSI'] },
      ...Array.from({ length: r.int(0, max) }, (_, index): Action => ({ op: 'request_irq', dev: d.bdf, index, name: `q${index}` })),
    ];
  });
  return { version: 1, machine: m, actions: [...setup, ...Array.from({ length: n }, () => action(r, m))] };
}

// ---- mutations of untrusted text -----------------------------------------------------------

const JUNK = ['', '\u0000', '\u202e', '\u001b[2J', '\r\n', '%', '%E0%A4%A', '?', '&', '#', '"', '\\', '__proto__', 'constructor', '1e308', '-1', 'null', '{}', '[]', 'ÿ', '😀', 's0/', 's2/', 'story/'];

/** Cut, splice, flip, duplicate: a damaged or hostile copy of `text`. */
export function mutateText(r: Rng, text: string): string {
  let t = text;
  const rounds = r.int(1, 3);
  for (let i = 0; i < rounds; i++) {
    const at = r.int(0, t.length);
    switch (r.int(0, 6)) {
      case 0:
        t = t.slice(0, at); // cut short
        break;
      case 1:
        t = t.slice(0, at) + r.pick(JUNK) + t.slice(at);
        break;
      case 2: {
        const c = t.charCodeAt(at) || 65;
        t = t.slice(0, at) + String.fromCharCode(c ^ (1 << r.int(0, 6))) + t.slice(at + 1);
        break;
      }
      case 3:
        t = t.slice(0, at) + t.slice(at, at + r.int(1, 40)).repeat(r.int(2, 50)) + t.slice(at);
        break;
      case 4:
        t = t.slice(0, at) + t.slice(at + r.int(1, 20));
        break;
      case 5:
        t = t.replace(/\d+/, () => r.pick(['0', '-1', '1e16', '4294967296', '1.5', '1e308', 'NaN']));
        break;
      default:
        t = t.replace(/"(\w+)"/, () => r.pick(['"__proto__"', '"constructor"', '"toString"', '"name\\u202e"', '"a\\u001b[31m"']));
    }
  }
  return t;
}
