// kernel/irq/msi.c pieces read from the source of each version.

import { describe, expect, it } from 'vitest';
import { createMachine } from '../machine';
import { MSI_FLAG, msiCheckReservationMode, msiDomainInfo } from './msi';
import { ok } from '../testing';

const NVME = '0000:3d:00.0';

describe('msi_check_reservation_mode()', () => {
  // v6.12 and v7.2 kernel/irq/msi.c: "if (info->flags & MSI_FLAG_NO_MASK) return false;" after the
  // MSI_FLAG_MUST_REACTIVATE test, before the first descriptor's is_msix / can_mask.
  it('MSI-X on a domain flagged MSI_FLAG_NO_MASK: no reservation mode', () => {
    const m = createMachine({ arch: 'x86', kernel: '7.2', cpus: 2, devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 4 } }] });
    ok(m, { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
    const slot = m.devices.get(NVME)!.msi.data!.domains[0];
    const info = msiDomainInfo(slot.domain!);
    expect(msiCheckReservationMode(slot.domain!, info, slot)).toBe(true);
    info.flags |= MSI_FLAG.NO_MASK;
    expect(msiCheckReservationMode(slot.domain!, info, slot)).toBe(false);
  });
});
