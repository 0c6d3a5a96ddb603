// The rough edges a kernel developer met, one test each: return values as the kernel returns
// them, the alloc dialog's struct irq_affinity and the device's capabilities, the deferred move
// (pending, and its completion as a stage of the journey), j/k, an interrupt nobody would
// request, the vector map following the selection, counts and plurals, the Propagation
// placeholder per platform, long refusals, IMS cookies in hex, links named by their machine,
// focus after a dialog, the arm64 report.

import { expect, test, type Page } from '@playwright/test';
import { App } from './app';
import { STORIES } from '../src/scenario/stories';
import { encodeLink } from '../src/scenario/url';
import { PRESETS, presetScenario } from '../src/ui/presets';

test.use({ viewport: { width: 1366, height: 768 } });

const NVME = '0000:3d:00.0';
const NIC = '0000:01:00.0';
const IR4 = 'x86 · 4 CPUs · Intel IR';

async function atStep(page: Page, k: number, n: number): Promise<void> {
  await expect(page.getByTestId('step-label')).toHaveText(`step ${k} / ${n}`);
}

function propagation(page: Page) {
  return page.getByRole('region', { name: 'Propagation', exact: true });
}

test('request_irq returns 0; the virq is shown apart (log, status line, mail report)', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  await app.allocate({ dev: NVME, min: 1, max: 2, flags: ['MSIX'] });
  const virq = await app.selectEntry(NVME, 1);
  await app.requestIrq('nvme0q1');
  await expect(app.toast).toContainText(`request_irq = 0 · virq ${virq}`);
  const entry = app.log.locator('[data-testid="log-step"][data-step="2"]');
  await expect(entry.getByTestId('log-return')).toHaveText('= 0');
  await expect(entry.getByTestId('log-extra')).toHaveText(`virq ${virq}`);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const report = await page.getByRole('dialog', { name: 'Share this view' }).getByTestId('share-report').inputValue();
  expect(report).toContain(`= 0 (virq ${virq}): irq ${virq} requested as "nvme0q1"`);
  expect(report).not.toMatch(new RegExp(`= ${virq}: irq ${virq} requested`));
});

test('the alloc dialog builds the NVMe admin-queue layout (pre_vectors) and offers only what the device has', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  await page.getByRole('button', { name: 'Alloc vectors…' }).click();
  let dlg = page.getByRole('dialog', { name: 'pci_alloc_irq_vectors()' });
  // The NIC has MSI only: MSI-X is not offered, and the dialog says why.
  await dlg.getByLabel('Device').selectOption(NIC);
  await expect(dlg.getByLabel('MSIX', { exact: true })).toBeDisabled();
  await expect(dlg.getByTestId('alloc-lacks')).toContainText(`${NIC} has no MSI-X capability`);
  // NVMe: MSI-X + AFFINITY with pre_vectors = 1, the admin queue outside the spreading.
  await dlg.getByLabel('Device').selectOption(NVME);
  await expect(dlg.getByLabel('pre_vectors')).toBeDisabled(); // struct irq_affinity only with AFFINITY
  await dlg.getByLabel('min_vecs').fill('2');
  await dlg.getByLabel('max_vecs').fill('5');
  await dlg.getByLabel('MSIX', { exact: true }).check();
  await dlg.getByLabel('AFFINITY', { exact: true }).check();
  await dlg.getByLabel('pre_vectors').fill('1');
  await dlg.getByRole('button', { name: 'Allocate' }).click();
  await expect(dlg).toBeHidden();
  await app.idle();
  await expect(app.toast).toContainText('pci_alloc_irq_vectors = 5');
  const entries = app.device(NVME).getByTestId('msi-entry');
  await expect(entries).toHaveCount(5);
  // Entry 0 (the admin queue) is not managed; the I/O queues are.
  await expect(entries.nth(0)).not.toContainText('A');
  for (let i = 1; i < 5; i++) await expect(entries.nth(i)).toContainText('A');
  await expect(app.log.locator('[data-testid="log-step"][data-step="1"]')).toContainText('pre_vectors=1');
  void dlg;
  dlg = page.getByRole('dialog');
});

test('the deferred move: the write says pending and why; the raise that completes it shows irq_move_irq as a stage', async ({ page }) => {
  const story = STORIES.find((s) => s.name === 'nvme-noir')!;
  const n = story.scenario.actions.length;
  const set = story.scenario.actions.findIndex((a) => a.op === 'write_irq_affinity' || a.op === 'irq_set_affinity') + 1;
  const app = new App(page);
  await page.goto(`/#story/${story.name}@${set}`);
  await atStep(page, set, n);
  await expect(app.log.locator(`[data-testid="log-step"][data-step="${set}"] [data-testid="log-pending"]`)).toContainText('IRQCHIP_MOVE_DEFERRED');
  // A new affinity write on the same interrupt, from the dialog: the status line says pending.
  await page.keyboard.press('Home');
  await atStep(page, 0, n);
  const raise = story.scenario.actions.findIndex((a, i) => i >= set && a.op === 'raise') + 1;
  expect(raise).toBeGreaterThan(set);
  await page.goto(`/#story/${story.name}@${raise - 1}`);
  await atStep(page, raise - 1, n);
  await page.keyboard.press('ArrowRight');
  await atStep(page, raise, n);
  await expect(propagation(page).getByTestId('travel-body')).toHaveAttribute('data-mode', 'hops');
  const move = propagation(page).locator('[data-testid="travel-stop"][data-kind="move"]');
  await expect(move).toHaveCount(1);
  await expect(move).toContainText('irq_move_irq()');
  await expect(move).toContainText('parked affinity');
  // The rewritten message and the new vector follow it.
  await expect(propagation(page).locator('[data-testid="travel-stop"][data-kind="write"]')).toContainText(/MSI-X table\[\d+\]/);
  await expect(propagation(page).locator('[data-testid="travel-stop"][data-kind="affinity"]').last()).toContainText(/vector|old vector/);
});

test('j/k walk the interrupts the user sees; request_irq on a pin nobody uses asks first', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  await app.allocate({ dev: NVME, min: 1, max: 2, flags: ['MSIX'] });
  const first = Number(await app.device(NVME).locator('[data-testid="msi-entry"][data-index="0"] td:nth-child(2) button').innerText());
  const procRows = (await app.proc.locator('[data-virq]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-virq')))));
  const descriptors = await app.device(NVME).locator('[data-testid="msi-entry"] td:nth-child(2) button').allInnerTexts();
  const seen: number[] = [];
  for (let i = 0; i < 12; i++) {
    const before = await page.getByTestId('selection').innerText();
    await page.locator('body').press('j');
    await expect(page.getByTestId('selection')).not.toHaveText(before);
    seen.push(Number(/irq (\d+)/.exec(await page.getByTestId('selection').innerText())![1]));
    if (seen.at(-1) === first) break;
  }
  expect(seen.at(-1)).toBe(first);
  // Only what /proc/interrupts or a descriptor table shows: no IO-APIC pin nobody requested.
  for (const v of seen) expect(procRows.includes(v) || descriptors.includes(String(v))).toBe(true);
  expect(seen.length).toBeLessThanOrEqual(procRows.length + descriptors.length);

  // An IO-APIC pin with no device and no handler: the dialog asks before requesting it.
  await page.evaluate(() => window.__irqscope!.state().select({ kind: 'irq', virq: 21 }));
  await page.locator('body').press('r');
  const dlg = page.getByRole('dialog', { name: 'request_irq(21, …)' });
  await expect(dlg.getByTestId('request-orphan')).toContainText('no driver on this machine would request it');
  await expect(dlg.getByRole('button', { name: 'Request anyway' })).toBeDisabled();
  await dlg.getByLabel('I know; request it anyway').check();
  await expect(dlg.getByRole('button', { name: 'Request anyway' })).toBeEnabled();
  await dlg.getByRole('button', { name: 'Cancel' }).click();
});

/** The overlay canvas's alpha at the centre of cell (cpu, vector), or on its ring (edge). */
async function overlayAlpha(page: Page, cpu: number, vector: number, edge = false): Promise<number> {
  return page.getByTestId('vector-canvas').evaluate((c: HTMLCanvasElement, [cpu, vector, edge]) => {
    const n = (a: string) => Number(c.getAttribute(a));
    const dpr = c.width / c.clientWidth;
    const x = (n('data-grid-x') + vector * n('data-cell-w') + (edge ? -1.5 : n('data-cell-w') / 2)) * dpr;
    const y = (n('data-axis-h') + cpu * n('data-row-h') + (n('data-row-h') - 2) / 2) * dpr;
    return c.getContext('2d')!.getImageData(Math.floor(x), Math.floor(y), 1, 1).data[3];
  }, [cpu, vector, edge ? 1 : 0]);
}

test('after an animation the vector map marks the selection, not the last travel', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const app = new App(page);
  await app.open(IR4);
  await app.allocate({ dev: NVME, min: 1, max: 4, flags: ['MSIX'] });
  await app.selectEntry(NVME, 1);
  await app.requestIrq('nvme0q1');
  await app.selectEntry(NVME, 2);
  await app.requestIrq('nvme0q2');
  await app.raise(NVME, 1);
  const cpuLabel = await propagation(page).locator('[data-testid="travel-stop"][data-kind="cpu"]').innerText();
  const [, cpu, vec] = /CPU(\d+) vector 0x([0-9a-f]+)/.exec(cpuLabel)!;
  // The travel of nvme0q1 is done; nvme0q2 is what is selected now.
  await app.selectEntry(NVME, 2);
  const text = await app.inspector.innerText();
  const selVector = Number(/Vector:\s+(\d+)/.exec(text)![1]);
  const selCpu = Number(/Target:\s+(\d+)/.exec(text)![1]);
  expect(`${selCpu}:${selVector}`).not.toBe(`${cpu}:${parseInt(vec, 16)}`);
  await expect.poll(() => overlayAlpha(page, selCpu, selVector, true)).toBeGreaterThan(0);
  await expect.poll(() => overlayAlpha(page, Number(cpu), parseInt(vec, 16))).toBe(0);
});

test('counts agree and plurals are right: one function and two subdevices everywhere, 1 CPU', async ({ page }) => {
  const app = new App(page);
  await app.open('CXL · 2 PMU subdevices');
  await expect(page.getByTestId('machine-summary')).toContainText('1 function · 2 subdevices');
  await expect(app.devices.locator('header').first()).toContainText('1 function · 2 subdevices');
  await expect(app.log.locator('[data-testid="log-step"][data-step="0"]')).toContainText('1 function · 2 subdevices');
  const one = STORIES.find((s) => s.scenario.machine.cpus === 1)!;
  await page.goto(`/#story/${one.name}@0`);
  await expect(page.getByTestId('machine-summary')).toContainText('1 CPU ·');
  await expect(app.log.locator('[data-testid="log-step"][data-step="0"]')).toContainText('1 CPU,');
  await expect(app.log.locator('[data-testid="log-step"][data-step="0"]')).not.toContainText('1 CPUs');
});

test('the Propagation placeholder describes this machine’s path', async ({ page }) => {
  const app = new App(page);
  await app.open('x86 · 4 CPUs · no remapping');
  await expect(page.getByTestId('travel-placeholder')).toContainText('no remapping table');
  await expect(page.getByTestId('travel-placeholder')).not.toContainText('IRTE');
  await page.getByLabel('Machine', { exact: true }).selectOption({ label: 'arm64 · 4 CPUs · GICv3 ITS' });
  await expect(page.getByTestId('machine-summary')).toContainText('arm64');
  await expect(page.getByTestId('travel-placeholder')).toContainText('ITS: DeviceID and EventID → LPI');
  await expect(page.getByTestId('travel-placeholder')).not.toContainText('IRTE');
  await page.getByLabel('Machine', { exact: true }).selectOption({ label: IR4 });
  await expect(page.getByTestId('machine-summary')).toContainText('Intel IR');
  await expect(page.getByTestId('travel-placeholder')).toContainText('IRTE');
});

test('a long refusal is shown whole in the status line, its parts set apart', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  await app.allocate({ dev: NVME, min: 66, max: 66, flags: ['MSIX'] });
  await expect(app.toast).toHaveAttribute('data-tone', 'error');
  await expect(app.toast.getByTestId('toast-title')).toContainText('-ENOSPC');
  await expect(app.toast.getByTestId('toast-detail')).toContainText('(nothing changed)');
  // Nothing cut: the whole text fits (or scrolls) inside the status line; nothing runs together.
  const clipped = await app.toast.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
  expect(clipped).toBe(false);
  await expect(app.toast).toContainText(/-ENOSPC · pci_alloc_irq_vectors refused\s*—\s*\S/);
});

test('an IMS cookie typed in hex is shown in hex', async ({ page }) => {
  const app = new App(page);
  await app.open('IMS · idxd-like · device memory');
  await page.locator('body').press('I');
  let dlg = page.getByRole('dialog');
  await dlg.getByRole('button', { name: /Create|Apply/ }).click();
  await app.idle();
  await page.locator('body').press('n');
  dlg = page.getByRole('dialog');
  await dlg.getByLabel('icookie').fill('0x2a');
  await dlg.getByRole('button', { name: /Allocate|Apply/ }).click();
  await app.idle();
  await expect(app.log.getByTestId('log-step').last()).toContainText('icookie=0x2a');
  await expect(app.devices.getByText('0x2a', { exact: true })).toBeVisible();
});

test('a link of one of the picker’s machines is named by it, not "custom scenario"', async ({ page }) => {
  const p = PRESETS.find((x) => x.title === IR4)!;
  const scenario = { ...presetScenario(p), actions: [{ op: 'pci_alloc_irq_vectors' as const, dev: NVME, min: 1, max: 1, flags: ['MSIX' as const] }] };
  await page.goto(`/${encodeLink({ scenario, step: 1 })}`);
  await atStep(page, 1, 1);
  await expect(page.getByLabel('Machine', { exact: true }).locator('option:checked')).toHaveText(`${IR4} (opened)`);
});

test('after a dialog, focus goes back to what opened it, never to <body>', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  const alloc = page.getByRole('button', { name: 'Alloc vectors…' });
  await alloc.click();
  const dlg = page.getByRole('dialog', { name: 'pci_alloc_irq_vectors()' });
  await dlg.getByRole('button', { name: 'Allocate' }).click();
  await expect(dlg).toBeHidden();
  await app.idle();
  await expect(alloc).toBeFocused();
  // Opened by its key (focus was nowhere): it lands in the actions bar, not on <body>.
  await page.locator('body').press('a');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => page.evaluate(() => document.activeElement?.tagName ?? 'BODY')).not.toBe('BODY');
});

test('the arm64 mail report cites the ITS driver, not arch/x86', async ({ page }) => {
  const app = new App(page);
  await app.open('arm64 · 4 CPUs · GICv3 ITS');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const report = await page.getByRole('dialog', { name: 'Share this view' }).getByTestId('share-report').inputValue();
  expect(report).toContain('irq-gic-v3-its.c');
  expect(report).not.toContain('arch/x86');
});
