// struct irq_affinity by clicking: pre_vectors and set sizes in the Alloc dialog (issue: the NVMe
// admin-queue layout and its queue sets must be buildable by hand).

import { expect, test } from '@playwright/test';
import { App } from './app';

const IR4 = 'x86 · 4 CPUs · Intel IR';
const NVME = '0000:3d:00.0';

test('pre_vectors 1 and sets 2, 2: the admin vector is not spread, each set spreads over all CPUs on its own', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  await page.getByRole('button', { name: 'Alloc vectors…' }).click();
  const dlg = page.getByRole('dialog', { name: 'pci_alloc_irq_vectors()' });
  await dlg.getByLabel('Device').selectOption(NVME);
  await dlg.getByLabel('min_vecs').fill('1');
  await dlg.getByLabel('max_vecs').fill('5');
  for (const f of ['MSIX', 'AFFINITY']) await dlg.getByLabel(f, { exact: true }).setChecked(true);
  await dlg.getByLabel('pre_vectors').fill('1');
  await dlg.getByLabel('set sizes').fill('9, x');
  await expect(dlg.getByRole('button', { name: 'Allocate' })).toBeDisabled();
  await dlg.getByLabel('set sizes').fill('2, 2');
  await dlg.getByRole('button', { name: 'Allocate' }).click();
  await expect(dlg).toBeHidden();
  await app.idle();
  // Two sets of two on four CPUs: each set takes two groups of two CPUs (the admin vector keeps all four).
  const affinity = async (i: number) => {
    await app.selectEntry(NVME, i);
    return (await app.inspector.innerText()).match(/^affinity: (.*)$/m)?.[1];
  };
  expect(await affinity(0)).toBe('0-3');
  const sets = [await affinity(1), await affinity(2), await affinity(3), await affinity(4)];
  expect(new Set(sets.slice(0, 2)).size).toBe(2);
  expect([...sets.slice(0, 2)].sort()).toEqual([...sets.slice(2, 4)].sort());
  for (const s of sets) expect(s).toMatch(/^\d-\d$/);
});
