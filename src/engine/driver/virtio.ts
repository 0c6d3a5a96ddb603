// Models the interrupt set-up of drivers/virtio/virtio_pci_common.c (vp_find_vqs_msix: one
// config vector, then one vector per virtqueue that has a callback) and drivers/net/virtio_net.c
// (virtnet_find_vqs: rx and tx per queue pair, the control queue without a callback;
// virtnet_set_affinity: each queue pair's vectors on a stride of online CPUs, redone by its CPU
// hotplug callbacks). The PCI driver bound is "virtio-pci"; the net driver binds the virtio device.

import type { Kernel } from '../core/kernel';
import type { Device } from '../core/device';
import { IRQF, irqSetAffinity, requestIrq } from '../core/manage';
import { EINVAL, ENOSPC } from '../core/errno';
import { PCI_IRQ, pciAllocIrqVectors, pciFreeIrqVectors, pciIrqVector } from '../pci/msi';
import type { PciDev } from '../pci/pcidev';
import type { DriverModel } from './drivers';
import { pciDisableDevice, pciEnableDevice, pciFreeIrq, pciRequestIrq } from './pciapi';

const FILE = 'drivers/virtio/virtio_pci_common.c';
const NET = 'drivers/net/virtio_net.c';

interface VirtioNet {
  /** virtio%d: the virtio bus index (virtio_index_ida, lowest free). */
  index: number;
  queuePairs: number;
  /** Vector number → handler name, in request order. */
  handlers: { nr: number; name: string }[];
  /** Each virtqueue's MSI-X vector (rx of pair i at 2i, tx at 2i + 1); -1 on INTx. */
  vqVector: number[];
}

const bound = new WeakMap<Device, VirtioNet>();
const indices = new WeakMap<Kernel, Set<number>>();

function allocIndex(k: Kernel): number {
  const used = indices.get(k) ?? new Set<number>();
  indices.set(k, used);
  let n = 0;
  while (used.has(n)) n++;
  used.add(n);
  return n;
}

/**
 * virtnet_set_affinity(): queue pair i gets the next `stride` online CPUs (num_online_cpus() /
 * queue pairs, the first stragglers one more), wrapping; its rx and tx vectors are set to that
 * mask with irq_set_affinity_and_hint().
 */
function virtnetSetAffinity(k: Kernel, dev: PciDev, vi: VirtioNet): void {
  k.t.enter('virtnet_set_affinity', undefined, NET);
  const online = k.onlineCpus();
  const stride = Math.max(Math.floor(online.length / vi.queuePairs), 1);
  const stragglers = online.length >= vi.queuePairs ? online.length % vi.queuePairs : 0;
  let start = 0;
  for (let i = 0; i < vi.queuePairs; i++) {
    let groupSize = stride + (i < stragglers ? 1 : 0);
    const mask: number[] = [];
    // for_each_online_cpu_wrap(cpu, start): every online CPU once, from the first at or after start.
    const from = Math.max(0, online.findIndex((c) => c >= start));
    for (let j = 0; j < online.length; j++) {
      const cpu = online[(from + j) % online.length];
      if (!groupSize--) {
        start = cpu;
        break;
      }
      mask.push(cpu);
    }
    mask.sort((a, b) => a - b);
    // vp_set_vq_affinity(): the rx and tx queues' vectors (one shared vector when there is one).
    for (const nr of new Set([vi.vqVector[2 * i], vi.vqVector[2 * i + 1]])) {
      const virq = nr >= 0 ? pciIrqVector(dev, nr) : -1;
      const desc = virq > 0 ? k.descs.get(virq) : undefined;
      if (!desc) continue;
      k.t.enter('irq_set_affinity_and_hint', desc.irqData.domain.name, 'kernel/irq/manage.c');
      k.t.leave(irqSetAffinity(k, desc, mask));
    }
  }
  k.t.leaveWith();
}

/**
 * vp_find_vqs(): MSI-X with one vector per queue (the config vector first); failing that
 * (since 6.12 the same count once more, the slow queues sharing the config vector — no
 * different here, where every queue has a callback) one config vector and one shared
 * "-virtqueues" vector; failing that the INTx line, shared, under the device's name.
 */
function vpFindVqs(k: Kernel, dev: PciDev, vi: VirtioNet, name: string, vqs: string[]): number {
  k.t.enter('vp_find_vqs', undefined, FILE);
  const request = (nr: number, hname: string, fn: string): number => {
    const r = pciRequestIrq(k, dev, nr, { name: hname, fn });
    if (r === 0) vi.handlers.push({ nr, name: hname });
    return r;
  };
  for (const perVq of [true, false]) {
    const nvectors = perVq ? 1 + vqs.length : 2;
    k.t.enter('vp_find_vqs_msix', undefined, FILE);
    if (k.t.on) k.t.effect(perVq ? `one vector for config changes, one per virtqueue: ${nvectors}` : 'one vector for config changes, one shared by all virtqueues');
    let ret = pciAllocIrqVectors(k, dev, nvectors, nvectors, PCI_IRQ.MSIX, null);
    if (ret >= 0) ret = request(0, `${name}-config`, 'vp_config_changed');
    if (ret >= 0 && perVq) vqs.forEach((vq, i) => ret >= 0 && (ret = request(1 + i, `${name}-${vq}`, 'vring_interrupt')));
    if (ret >= 0 && !perVq) ret = request(1, `${name}-virtqueues`, 'vp_vring_interrupt');
    if (ret >= 0) {
      vi.vqVector = vqs.map((_, i) => (perVq ? 1 + i : 1));
      k.t.leave(0);
      return k.t.leave(0);
    }
    k.t.leave(ret);
    // vp_del_vqs(): what this attempt set up goes before the next one.
    freeVirtio(k, dev, vi);
  }
  if (!dev.irq) return k.t.leave(-ENOSPC);
  vi.vqVector = vqs.map(() => -1);
  const desc = k.descs.get(dev.irq);
  const r = desc ? requestIrq(k, desc, name, { flags: IRQF.SHARED, devId: name, fn: 'vp_interrupt' }) : -EINVAL;
  if (r === 0) vi.handlers.push({ nr: 0, name });
  return k.t.leave(r);
}

function freeVirtio(k: Kernel, dev: PciDev, vi: VirtioNet): void {
  for (const h of [...vi.handlers].reverse()) pciFreeIrq(k, dev, h.nr, h.name);
  vi.handlers = [];
  pciFreeIrqVectors(k, dev);
}

export const virtioNet: DriverModel = {
  name: 'virtio-pci',
  bus: 'pci',
  file: FILE,
  probe(h, d) {
    const { k } = h;
    const dev = d as PciDev;
    k.t.enter('virtio_pci_probe', undefined, 'drivers/virtio/virtio_pci_modern.c');
    pciEnableDevice(k, dev);
    const vi: VirtioNet = { index: allocIndex(k), queuePairs: Math.max(1, dev.queues ?? 1), handlers: [], vqVector: [] };
    const name = `virtio${vi.index}`;
    k.t.enter('virtnet_probe', undefined, NET);
    // virtnet_find_vqs(): rx/tx per queue pair have callbacks, the control queue has none.
    const vqs = Array.from({ length: vi.queuePairs }, (_, i) => [`input.${i}`, `output.${i}`]).flat();
    const ret = vpFindVqs(k, dev, vi, name, vqs);
    if (ret < 0) {
      indices.get(k)?.delete(vi.index);
      pciDisableDevice(k, dev);
      k.t.leave(ret);
      return k.t.leave(ret);
    }
    virtnetSetAffinity(k, dev, vi);
    bound.set(dev, vi);
    // virtnet_cpu_notif_add(): redo the spread when CPUs come and go.
    (k.cpuhp ??= []).push({
      name: `virtio_net ${name}`,
      online: () => virtnetSetAffinity(k, dev, vi),
      dead: () => virtnetSetAffinity(k, dev, vi),
    });
    k.t.leave(0);
    return k.t.leave(0);
  },
  remove(h, d) {
    const { k } = h;
    const dev = d as PciDev;
    k.t.enter('virtio_pci_remove', undefined, 'drivers/virtio/virtio_pci_modern.c');
    const vi = bound.get(dev);
    if (vi) {
      k.cpuhp = (k.cpuhp ?? []).filter((c) => c.name !== `virtio_net virtio${vi.index}`);
      freeVirtio(k, dev, vi);
      indices.get(k)?.delete(vi.index);
      bound.delete(dev);
    }
    pciDisableDevice(k, dev);
    k.t.leaveWith();
  },
};
