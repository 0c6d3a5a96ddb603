// arm64 with a GICv3 ITS, PCI/IMS (device and queue storage), MSI parent domains for PCI
// subdevices, drivers with devres, and the older MSI domain models — driven by click and key
// as a user would, asserting what the panels show.

import { expect, test, type Locator, type Page } from '@playwright/test';
import { App } from './app';

test.use({ viewport: { width: 1366, height: 768 } });

const NVME_ARM = '0002:01:00.0';
const IDXD = '0000:6a:01.0';
const CXL = '0000:0c:00.0';

/** Open a kernel-call dialog by its key and return it. */
async function byKey(page: Page, key: string): Promise<Locator> {
  await page.locator('body').press(key);
  const dlg = page.getByRole('dialog');
  await expect(dlg).toBeVisible();
  return dlg;
}

async function submit(app: App, dlg: Locator, name: string): Promise<void> {
  await dlg.getByRole('button', { name, exact: true }).click();
  await expect(dlg).toBeHidden();
  await app.idle();
}

/** Sum of an irq's per-CPU counts in /proc/interrupts, once the travel animation has shown it. */
function procTotal(app: App, virq: number): () => Promise<number> {
  return async () => (await app.procRow(virq)).total;
}

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const toDark = page.getByRole('button', { name: 'Switch to dark theme' });
  const toLight = page.getByRole('button', { name: 'Switch to light theme' });
  if (theme === 'dark' && (await toDark.count())) await toDark.click();
  if (theme === 'light' && (await toLight.count())) await toLight.click();
}

test('the first screen offers arm64, the IMS and CXL machines and the older MSI models', async ({ page }) => {
  const app = new App(page);
  await page.goto('/');
  for (const t of ['arm64 · 4 CPUs · GICv3 ITS', 'IMS · idxd-like · device memory', 'IMS · idxd-like · queue memory', 'CXL · 2 PMU subdevices',
    'MSI model v1', 'MSI model nonhier', 'MSI model legacy']) {
    await expect(page.getByRole('button', { name: new RegExp(t) })).toBeVisible();
  }
  await expect(page.getByRole('region', { name: 'Designs beyond mainline' })).toContainText('removed in 2024');
  await app.shot('designs-01-first-screen');
});

test('arm64: MSI-X through the ITS — MAPD/MAPTI, the LPI under its collection, Edge in /proc, no dynamic MSI-X', async ({ page }) => {
  const app = new App(page);
  await app.open('arm64 · 4 CPUs · GICv3 ITS');
  await expect(page.getByTestId('machine-summary')).toContainText('arm64 · 4 CPUs');
  // The ITS takes the vector map's place: one collection per CPU, no device mapped yet.
  const its = app.region('GICv3 ITS');
  await expect(its).toBeVisible();
  await expect(app.region('Vector map')).toHaveCount(0);
  await expect(its.getByTestId('its-collection')).toHaveCount(4);
  await expect(its.getByTestId('its-collection').nth(2)).toContainText('ICID 2 → RDbase 2');
  await expect(its.getByTestId('its-device')).toHaveCount(0);
  await expect(its.locator('[data-testid="its-cmd"][data-cmd="MAPC"]')).toHaveCount(4);
  // The IMS and subdevice commands do not apply here: not on the toolbar.
  await expect(page.locator('[data-cmd="ims"]')).toHaveCount(0);

  await app.allocate({ dev: NVME_ARM, min: 1, max: 5, flags: ['MSIX', 'AFFINITY'] });
  await expect(app.toast).toContainText('pci_alloc_irq_vectors = 4'); // managed spreading: one per CPU
  const queue = its.getByTestId('its-queue');
  await expect(queue.locator('[data-cmd="MAPD"]')).toContainText('MAPD DeviceID 0x20100 Size 6 (128 EventIDs)');
  await expect(queue.locator('[data-cmd="MAPTI"]')).toHaveCount(4);
  await expect(queue.locator('[data-cmd="MAPTI"][data-new]')).toHaveCount(4); // written by this step
  await expect(queue.locator('[data-cmd="SYNC"][data-new]')).toHaveCount(4);
  const dev = its.locator('[data-testid="its-device"][data-devid="0x20100"]');
  await expect(dev).toContainText(NVME_ARM);
  await expect(dev.getByTestId('itt-entry')).toHaveCount(4);

  // Entry 1: its ITT entry names the LPI and the collection; the collection lists that LPI.
  const virq = await app.selectEntry(NVME_ARM, 1);
  await app.requestIrq('nvme0q1');
  const itt = dev.locator('[data-testid="itt-entry"][data-event="1"]');
  await expect(itt).toContainText('enabled');
  const lpi = Number(await itt.getAttribute('data-lpi'));
  const icid = Number(await itt.getAttribute('data-icid'));
  expect(lpi).toBeGreaterThanOrEqual(8192);
  const col = its.locator(`[data-testid="its-collection"][data-cpu="${icid}"]`);
  await expect(col.locator(`[data-testid="its-lpi"][data-lpi="${lpi}"]`)).toContainText(`${lpi} · nvme0q1`);
  // Unmasking at request_irq is an INV of that event (and a SYNC to its redistributor).
  await expect(queue.locator('[data-cmd="INV"][data-new]')).toContainText('INV DeviceID 0x20100 EventID 1');

  await app.raise(NVME_ARM, 1);
  const row = app.proc.locator(`[data-virq="${virq}"]`);
  await expect(row).toContainText(`ITS-PCI-MSIX-${NVME_ARM}`);
  await expect(row).toContainText(/\s1 Edge\s+nvme0q1/);
  await expect.poll(procTotal(app, virq)).toBe(1);
  // The count is on the CPU of the collection (column icid + 1 after "virq:").
  const counts = (await app.procRow(virq)).text.replace(/^\d+:/, '').trim().split(/\s+/).slice(0, 4).map(Number);
  expect(counts[icid]).toBe(1);
  await setTheme(page, 'light');
  await app.shot('designs-02-arm64-its');
  await setTheme(page, 'dark');
  await app.shot('designs-03-arm64-its-dark');
  await setTheme(page, 'light');

  // Dynamic MSI-X (key x): the ITS MSI parent does not support it.
  const dlg = await byKey(page, 'x');
  await submit(app, dlg, 'Allocate');
  await expect(app.toast).toContainText('-ENOTSUPP · pci_msix_alloc_irq_at refused');
  await expect(app.log.getByTestId('log-refusal').last()).toContainText('-ENOTSUPP');

  // free_irq() shuts the interrupt down: masked (INV) and deactivated (DISCARD of its event).
  await page.getByRole('button', { name: 'free_irq', exact: true }).click();
  await app.idle();
  await expect(queue.locator('[data-cmd="INV"][data-new]')).toHaveCount(1);
  await expect(queue.locator('[data-cmd="DISCARD"][data-new]')).toContainText('DISCARD DeviceID 0x20100 EventID 1');
  // Freeing the vectors discards the other three events. Since 6.16 (7.2 here) the ITS device
  // lives with the per-device MSI domain, which stays until the device goes: no MAPD V 0 yet.
  await app.device(NVME_ARM).getByRole('button', { name: NVME_ARM, exact: true }).click();
  await page.getByRole('button', { name: 'Free vectors' }).click();
  await app.idle();
  await expect(queue.locator('[data-cmd="DISCARD"][data-new]')).toHaveCount(3);
  await expect(queue.locator('[data-cmd="MAPD"][data-new]')).toHaveCount(0);
  await expect(its.getByTestId('its-device')).toHaveCount(1);
});

test('IMS in device memory: a template mistake is refused; two entries at MSI_ANY_INDEX; mask + raise is pending, unmask delivers', async ({ page }) => {
  const app = new App(page);
  await app.open('IMS · idxd-like · device memory');
  const card = app.device(IDXD);
  const ims = card.getByTestId('ims-store');
  await expect(ims).toContainText('device memory · 2048 entries · no IMS domain yet');
  await expect(ims.getByTestId('era')).toHaveText('removed in 2024');

  // The toolbar's IMS… opens at pci_create_ims_domain (no domain yet). Advanced: leave out
  // irq_write_msi_msg — pci_create_ims_domain() refuses the template.
  await page.locator('[data-cmd="ims"]').click();
  let dlg = page.getByRole('dialog', { name: 'PCI/IMS: interrupt message store' });
  await expect(dlg.getByRole('radio', { name: 'pci_create_ims_domain' })).toBeChecked();
  await dlg.getByText('Advanced: the driver’s msi_domain_template').click();
  await dlg.getByLabel('omit irq_write_msi_msg').check();
  await expect(dlg).toContainText('(with mistakes)');
  await app.shot('designs-04-ims-template-mistakes');
  await submit(app, dlg, 'Create domain');
  await expect(app.toast).toContainText('-EINVAL · pci_create_ims_domain refused');
  await expect(app.toast).toContainText('irq_write_msi_msg missing');

  // The correct template (key Shift+I).
  dlg = await byKey(page, 'Shift+I');
  await submit(app, dlg, 'Create domain');
  await expect(app.toast).toContainText('IMS domain IR-IMS-0000:6a:01.0');
  await expect(ims).toContainText('IR-IMS-0000:6a:01.0');
  await expect(app.region('Domain tree').locator('[data-domain^="IR-IMS-0000:6a:01.0"]')).toBeVisible();

  // msi_domain_alloc_irq_at(MSI_ANY_INDEX) twice (key o): indices 0 and 1.
  for (let i = 0; i < 2; i++) {
    dlg = await byKey(page, 'o');
    await expect(dlg.getByRole('radio', { name: 'MSI_ANY_INDEX' })).toBeChecked();
    await submit(app, dlg, 'Allocate');
    await expect(app.toast).toContainText(`IMS index ${i} → irq`);
  }
  await expect(ims.getByTestId('ims-entry')).toHaveCount(2);
  const entry0 = ims.locator('[data-testid="ims-entry"][data-index="0"]');
  const virq = Number(await entry0.locator('td:nth-child(2) button').innerText());
  await entry0.locator('td:nth-child(2) button').click();
  await app.idle();
  await app.requestIrq('idxd-wq0');
  // request_irq wrote the message into the slot and unmasked it.
  await expect(entry0.locator('td:nth-child(3)')).not.toHaveText('0x00000000');
  await expect(entry0).not.toContainText('M');

  // Mask at the chip, then the device signals: the slot keeps it pending; nothing is counted.
  await page.getByRole('button', { name: 'mask', exact: true }).click();
  await app.idle();
  await expect(entry0).toContainText('M');
  await page.getByRole('button', { name: `raise ${IDXD} IMS index 0` }).click();
  await app.idle();
  await expect(entry0.getByTitle(/^pending/)).toHaveText('P');
  expect((await app.procRow(virq)).total).toBe(0);
  await app.shot('designs-05-ims-device-pending');

  // Unmask: the pending message goes out and is counted.
  await page.getByRole('button', { name: 'unmask', exact: true }).click();
  await app.idle();
  await expect(entry0.getByTitle(/^pending/)).toHaveCount(0);
  await expect.poll(procTotal(app, virq)).toBe(1);
  await expect(app.proc.locator(`[data-virq="${virq}"]`)).toContainText('IR-IMS-0000:6a:01.0');

  // An interrupt storm (Shift+T): 1000 more.
  dlg = await byKey(page, 'Shift+T');
  await dlg.getByRole('radio', { name: 'IMS (domain “ims”)' }).check();
  await dlg.getByLabel('IMS index').fill('0');
  await dlg.getByLabel('count').fill('1000');
  await submit(app, dlg, 'Raise 1,000 times');
  await expect.poll(procTotal(app, virq)).toBe(1001);
});

test('IMS in queue memory: a mask stays a pending change until irq_bus_sync_unlock()', async ({ page }) => {
  const app = new App(page);
  await app.open('IMS · idxd-like · queue memory');
  const ims = app.device(IDXD).getByTestId('ims-store');
  await expect(ims).toHaveAttribute('data-storage', 'queue');
  await ims.getByRole('button', { name: 'create IMS domain' }).click();
  await app.idle();
  await ims.getByRole('button', { name: '+ at any' }).click();
  await app.idle();
  const entry0 = ims.locator('[data-testid="ims-entry"][data-index="0"]');
  const virq = Number(await entry0.locator('td:nth-child(2) button').innerText());
  await entry0.locator('td:nth-child(2) button').click();
  await app.idle();
  // request_irq runs inside irq_bus_lock … irq_bus_sync_unlock: its unmask and message are pushed.
  await app.requestIrq('idxd-wq0');
  await expect(entry0).not.toHaveAttribute('data-change');
  await expect(entry0).not.toContainText('M');

  // A direct chip mask is only recorded: the queue context still says unmasked.
  await page.getByRole('button', { name: 'mask', exact: true }).click();
  await app.idle();
  await expect(entry0).toHaveAttribute('data-change', 'mask');
  await expect(ims.locator('[data-testid="ims-change"][data-index="0"]')).toHaveText('↳ not pushed: mask');
  await expect(entry0.getByTitle(/^masked/)).toHaveCount(0);
  await expect(ims).toContainText('1 change not pushed');
  // So the device still sends, and the interrupt is delivered.
  await page.getByRole('button', { name: `raise ${IDXD} IMS index 0` }).click();
  await app.idle();
  await expect.poll(procTotal(app, virq)).toBe(1);
  await setTheme(page, 'light');
  await app.shot('designs-06-ims-queue-not-pushed');
  await setTheme(page, 'dark');
  await app.shot('designs-07-ims-queue-not-pushed-dark');
  await setTheme(page, 'light');

  // disable_irq() takes the bus lock; its irq_bus_sync_unlock() pushes the mask to the queue.
  await page.getByRole('button', { name: 'disable', exact: true }).click();
  await app.idle();
  await expect(entry0).not.toHaveAttribute('data-change');
  await expect(ims.getByTestId('ims-change')).toHaveCount(0);
  await expect(entry0.getByTitle(/^masked/)).toHaveText('M');
  await expect(app.log.getByTestId('log-step').last()).toContainText('disable_irq');
});

test('subdevices: the MSI parent needs MSI-X first; a subdevice domain owns a row of the function’s MSI-X table', async ({ page }) => {
  const app = new App(page);
  await app.open('CXL · 2 PMU subdevices');
  const card = app.device(CXL);
  await expect(card.getByTestId('subdevice')).toHaveCount(2);
  await expect(card.locator('[data-testid="subdevice"][data-dev="cxl_pmu.1"]')).toContainText('MSI parent: none');
  await expect(app.region('Devices')).toContainText('1 function · 2 subdevices');

  // Too early: MSI-X is not enabled on the PCI function.
  await page.locator('[data-cmd="subdev"]').click();
  let dlg = page.getByRole('dialog', { name: 'Subdevices: MSI parent domains' });
  await expect(dlg.getByRole('radio', { name: 'pci_enable_msi_parent_domain' })).toBeChecked();
  await expect(dlg).toContainText('proposal from 2024');
  await submit(app, dlg, 'Apply');
  await expect(app.toast).toContainText('-EINVAL · pci_enable_msi_parent_domain refused');
  await expect(app.toast).toContainText('MSI-X is not enabled');

  await app.allocate({ dev: CXL, min: 1, max: 1, flags: ['MSIX'] });
  dlg = await byKey(page, 'p');
  await submit(app, dlg, 'Apply');
  await expect(card.getByTestId('msi-parent-of-subdevices')).toBeVisible();

  const pmu = card.locator('[data-testid="subdevice"][data-dev="cxl_pmu.0"]');
  await pmu.getByRole('button', { name: 'init' }).click();
  await app.idle();
  await expect(pmu).toContainText(`MSI parent: IR-PCI-MSIX-${CXL}`);

  // Its own domain (key g), stacked on the function's.
  await pmu.getByRole('button', { name: 'cxl_pmu.0', exact: true }).click();
  dlg = await byKey(page, 'g');
  await expect(dlg.getByRole('radio', { name: 'pci_msi_create_subdevice_irq_domain' })).toBeChecked();
  await submit(app, dlg, 'Apply');
  const store = pmu.getByTestId('msi-store');
  await expect(store).toContainText('PCI-MSIX-PROXY-SUBDEV-cxl_pmu.0');
  await expect(store.getByTestId('era')).toHaveText('proposal');
  const tree = app.region('Domain tree');
  await expect(tree.locator('[data-domain^="PCI-MSIX-PROXY-SUBDEV-cxl_pmu.0"]')).toBeVisible();

  // MSI_ANY_INDEX picks the subdevice's index 0 — the function's own row: -EEXIST. The dialog
  // says so before the click, and "at index" starts at a row that is free.
  dlg = await byKey(page, 'l');
  await expect(dlg.getByLabel('MSI-X index')).not.toHaveValue('0');
  await dlg.getByLabel('MSI_ANY_INDEX').check();
  await expect(dlg.getByTestId('subdev-any-pick')).toHaveText('0');
  await expect(dlg.getByTestId('subdev-any-clash')).toContainText('-EEXIST');
  await expect(dlg.getByTestId('subdev-any-clash')).toContainText('searches the subdevice’s store only');
  await submit(app, dlg, 'Allocate');
  await expect(app.toast).toContainText('-EEXIST · pci_subdev_msix_alloc_at refused');
  // Row 3 of the function's table.
  dlg = await byKey(page, 'l');
  await dlg.getByLabel('MSI-X index').fill('3');
  await submit(app, dlg, 'Allocate');
  await expect(app.toast).toContainText('cxl_pmu.0 index 3 → irq');
  await expect(pmu.getByTestId('msi-entry')).toHaveCount(1);
  const msix = card.getByTestId('msix-table');
  await expect(msix).toBeVisible(); // opened: a row belongs to a subdevice
  await expect(msix.locator('[data-testid="msix-row"][data-row="3"]')).toHaveAttribute('data-owner', 'cxl_pmu.0');
  await expect(msix.locator('[data-testid="msix-row"][data-row="0"]')).toHaveAttribute('data-owner', CXL);
  await expect(card.locator('summary')).toContainText('1 used by cxl_pmu.0');

  // Its interrupt, requested and raised through the stacked domains.
  const virq = Number(await pmu.locator('[data-testid="msi-entry"][data-index="3"] td:nth-child(2) button').innerText());
  await pmu.locator('[data-testid="msi-entry"][data-index="3"] td:nth-child(2) button').click();
  await app.idle();
  await app.requestIrq('cxl_pmu');
  await page.getByRole('button', { name: 'raise cxl_pmu.0 index 3' }).click();
  await app.idle();
  await expect(app.proc.locator(`[data-virq="${virq}"]`)).toContainText('PCI-MSIX-PROXY-SUBDEV-cxl_pmu.0');
  await expect.poll(procTotal(app, virq)).toBe(1);
  await msix.scrollIntoViewIfNeeded();
  await app.shot('designs-08-cxl-subdevice');
});

test('drivers: cxl_pci and cxl_pmu bind, unbind releases devres newest first, MSI before bind is refused', async ({ page }) => {
  const app = new App(page);
  await app.open('CXL · 2 PMU subdevices');
  const card = app.device(CXL);
  const pmu = card.locator('[data-testid="subdevice"][data-dev="cxl_pmu.0"]');

  // The card's bind… opens driver_bind with the driver that fits the device.
  await card.getByRole('button', { name: `bind a driver to ${CXL}` }).click();
  let dlg = page.getByRole('dialog');
  await expect(dlg.getByLabel('driver', { exact: true })).toHaveValue('cxl_pci');
  await submit(app, dlg, 'Bind');
  await expect(card.getByTestId('driver').first()).toHaveText('cxl_pci');
  const own = card.locator(':scope > [data-testid="devres"] [data-testid="devres-item"]');
  await expect(own).toHaveText([
    '1. pcim_disable_device', '2. msi_device_data_release', '3. pcim_msi_release', '4. devm_irq_release', '5. auxiliary_device_destroy',
  ]);
  // cxl_pci made its domain the MSI parent of both PMUs.
  await expect(pmu).toContainText(`MSI parent: IR-PCI-MSIX-${CXL}`);

  // cpmu on the subdevice (key b with the subdevice selected).
  await pmu.getByRole('button', { name: 'cxl_pmu.0', exact: true }).click();
  await app.idle();
  dlg = await byKey(page, 'b');
  await expect(dlg.getByRole('radio', { name: 'driver_bind' })).toBeChecked();
  await expect(dlg.getByLabel('driver', { exact: true })).toHaveValue('cxl_pmu');
  await submit(app, dlg, 'Bind');
  await expect(pmu.getByTestId('driver')).toHaveText('cxl_pmu');
  await expect(pmu.getByTestId('devres-item')).toHaveText(['1. msi_device_data_release', '2. devm_irq_release']);
  await expect(card.locator('[data-testid="msix-row"][data-row="1"]')).toHaveAttribute('data-owner', 'cxl_pmu.0');
  await expect(app.proc).toContainText('cxl_pmu.0_overflow');

  // Unbinding cxl_pci: devres_release_all() newest first — which also unbinds the PMU.
  await card.getByRole('button', { name: `unbind ${CXL}` }).click();
  await app.idle();
  await expect(app.toast).toContainText('driver_unbind');
  await expect(card.locator(':scope > [data-testid="devres"] [data-testid="devres-released"]')).toHaveText(
    /released 5 devres, newest first: auxiliary_device_destroy → devm_irq_release → pcim_msi_release → msi_device_data_release → pcim_disable_device/,
  );
  await expect(pmu.getByTestId('devres-released')).toHaveText(/released 2 devres, newest first: devm_irq_release → msi_device_data_release/);
  await expect(card.getByTestId('driver').first()).toHaveText('no driver');
  await expect(pmu.getByTestId('driver')).toHaveText('no driver');
  await expect(app.proc).not.toContainText('cxl_pmu.0_overflow');
  await app.shot('designs-09-unbind-devres');

  // MSI enabled on the function before any driver binds: its devres list is not empty.
  await app.allocate({ dev: CXL, min: 1, max: 1, flags: ['MSIX'] });
  await expect(card.locator(':scope > [data-testid="devres"] [data-testid="devres-item"]')).toHaveText(['1. msi_device_data_release']);
  dlg = await byKey(page, 'b');
  await dlg.getByLabel('Device').selectOption(CXL);
  await dlg.getByLabel('driver', { exact: true }).selectOption('cxl_pci');
  await submit(app, dlg, 'Bind');
  await expect(app.toast).toContainText('-EBUSY · driver_bind refused');
  await expect(app.toast).toContainText('not empty: msi_device_data_release');
  const refusal = app.log.getByTestId('log-refusal').last();
  await expect(refusal).toContainText(`dmesg: pci ${CXL}: Resources present before probing`);
  await expect(card.getByTestId('driver').first()).toHaveText('no driver');
  await app.shot('designs-10-resources-before-probe');
});

test('every new call is in the help with its key', async ({ page }) => {
  const app = new App(page);
  await app.open('CXL · 2 PMU subdevices');
  await page.locator('body').press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  for (const [key, what] of [
    ['Shift+I', 'pci_create_ims_domain'], ['o', 'msi_domain_alloc_irq_at'], ['n', 'pci_ims_alloc_irq'], ['Shift+O', 'pci_ims_free_irq'],
    ['p', 'pci_enable_msi_parent_domain'], ['Shift+V', 'pci_msi_init_subdevice'], ['g', 'pci_msi_create_subdevice_irq_domain'],
    ['l', 'pci_subdev_msix_alloc_at'], ['Shift+L', 'pci_subdev_msix_free'], ['b', 'driver_bind'], ['Shift+B', 'driver_unbind'], ['Shift+T', 'raise'],
  ]) {
    const row = help.locator('dd', { hasText: `· ${what}(` });
    await expect(row.first()).toBeVisible();
    // One key per call, and each key once.
    await expect(row).toHaveCount(1);
    await expect(help.locator('dt', { hasText: new RegExp(`^${key.replace('+', '\\+')}$`) })).toHaveCount(1);
  }
  // No key is listed twice (Shift+F was), and no row repeats its key in its text.
  const keys = await help.locator('dt').allInnerTexts();
  expect(keys.length).toBe(new Set(keys).size);
  await expect(help.locator('dd', { hasText: '(Shift+F)' })).toHaveCount(0);
  await app.shot('designs-11-help');
});

test('MSI domain model v1: one global IR-PCI-MSI domain, hwirq from the requester ID, no dynamic MSI-X', async ({ page }) => {
  const app = new App(page);
  await app.open('MSI model v1');
  await app.allocate({ dev: '0000:3d:00.0', min: 1, max: 2, flags: ['MSIX'] });
  await app.selectEntry('0000:3d:00.0', 0);
  await app.requestIrq('nvme0q0');
  await expect(app.proc.locator('[data-virq]', { hasText: 'nvme0q0' })).toContainText(/IR-PCI-MSI\s+31981568-edge/);
  await page.locator('body').press('x');
  await submit(app, page.getByRole('dialog'), 'Allocate');
  await expect(app.toast).toContainText('-ENOTSUPP · pci_msix_alloc_irq_at refused');
});
