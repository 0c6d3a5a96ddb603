// Block reads on an NVMe namespace (block/blk-mq-pci.c, drivers/nvme/host/pci.c): a read
// issued on CPU c goes to the hardware queue blk_mq_pci_map_queues() mapped c to — the I/O
// queue whose managed affinity (pci_irq_get_affinity(), offset 1 past the admin vector)
// contains c — and its completion interrupt arrives on that queue's effective CPU.

import { EINVAL, ENODEV } from '../core/errno';
import { actionHandler, doneVoid, fail, registerActions } from '../actions';
import { pciIrqVector } from '../pci/msi';

const singleRaise = actionHandler('raise');

registerActions({
  blk_read(m, a) {
    const dev = m.pciDev(a.dev);
    if (!dev) return fail(ENODEV, `no device ${a.dev}`);
    if (!m.k.cpuOnline(a.cpu)) return fail(EINVAL, `CPU${a.cpu} is not online: nothing can run there (taskset fails)`);
    if (dev.driver !== 'nvme') return fail(ENODEV, `${dev.name} is not an NVMe controller bound to nvme: no namespace to read`);
    // The I/O queue mapped to this CPU: the first vector past the admin queue whose affinity holds it.
    let index = -1;
    for (let nr = 1; ; nr++) {
      const virq = pciIrqVector(dev, nr);
      if (virq < 0) break;
      const desc = m.k.descs.get(virq);
      if (desc?.irqData.common.affinity.includes(a.cpu)) {
        index = nr;
        break;
      }
    }
    // One vector only: the admin and the I/O queue share it.
    if (index < 0) index = 0;
    if (!singleRaise) return fail(ENODEV, 'raise is not modelled');
    m.k.t.enter('blk_mq_map_queue', undefined, 'block/blk-mq.c');
    if (m.k.t.on) m.k.t.effect(`CPU${a.cpu} → hardware queue of MSI-X entry ${index}; ${a.count} reads, one completion interrupt each`);
    m.k.t.leaveWith();
    for (let i = 0; i < a.count; i++) {
      const r = singleRaise(m, { op: 'raise', dev: a.dev, index });
      if (!r.ok) return r;
    }
    // Reads from user space, no kernel function of the irq API: nothing to show as a return value.
    return doneVoid(0, `${a.count} reads from CPU${a.cpu} completed on the queue of MSI-X entry ${index}`);
  },
});
