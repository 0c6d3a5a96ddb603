// Loading and saved work: a long load shows its progress and can be cancelled (on the first
// screen too), a new choice cancels it, a damaged saved entry can be downloaded from the banner,
// earlier work comes back from the header's list, a trace the load left out is fetched when
// its step is opened, and work opened at an early step gets its later steps' results after.
// Screenshots in reports/screens/loading-*.png.

import { expect, test, type Page } from '@playwright/test';
import { App } from './app';
import { hugeScenario } from './bigScenario';
import type { Scenario } from '../src/scenario/types';

async function hook(page: Page): Promise<void> {
  await page.waitForFunction(() => !!window.__irqscope);
}

/** Start loading a scenario through the app's own command (not awaited). */
async function startLoad(page: Page, s: Scenario): Promise<void> {
  await hook(page);
  await page.evaluate((sc) => {
    void window.__irqscope!.loadScenario(sc);
  }, s);
}

test('a long load on the first screen shows its progress; Cancel stops it and says so', async ({ page }) => {
  const app = new App(page);
  await page.goto('/');
  await startLoad(page, hugeScenario());
  const bar = page.getByTestId('load-progress');
  await expect(bar).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('load-progress-text')).toContainText(/step [\d,]+ \/ 16,392/);
  await expect(page.getByText('engine working…')).toBeVisible();
  await app.shot('loading-progress-first-screen');
  await bar.getByRole('button', { name: 'Cancel' }).click();
  await expect(bar).toBeHidden();
  await expect(app.toast).toContainText('Load cancelled');
  await expect(app.toast).toHaveAttribute('data-tone', 'info');
  await expect(page.getByText('The engine failed')).toHaveCount(0);
  await app.idle();
  // Still the first screen, and the restarted engine answers.
  await expect(page.getByRole('heading', { name: 'Watch Linux route an interrupt.' })).toBeVisible();
  await page.getByRole('button', { name: /x86 · 4 CPUs · Intel IR/ }).click();
  await expect(page.getByTestId('machine-summary')).toContainText('4 CPUs');
});

test('picking a machine while a long load runs cancels it', async ({ page }) => {
  const app = new App(page);
  await app.open('x86 · 4 CPUs · no remapping');
  await startLoad(page, hugeScenario());
  await expect(page.getByTestId('load-progress')).toBeVisible({ timeout: 20_000 });
  await page.getByLabel('Machine', { exact: true }).selectOption({ label: 'arm64 · 4 CPUs · GICv3 ITS' });
  await expect(page.getByTestId('machine-summary')).toContainText('arm64');
  await expect(page.getByTestId('load-progress')).toBeHidden();
  await app.idle();
  expect(await page.evaluate(() => window.__irqscope!.state().scenario?.machine.cpus)).toBe(4);
  await expect(page.getByText('The engine failed')).toHaveCount(0);
});

test('damaged saved work: the banner offers it for download', async ({ page }) => {
  const damaged = '{"version":1,"machine":{"arch":"x86","cpus":-3,"devices":[]},"actions":[]}';
  await page.goto('/');
  await page.evaluate((t) => localStorage.setItem('irqscope.work', t), damaged);
  await page.reload();
  const banner = page.getByTestId('banner');
  await expect(banner).toContainText('Your saved work could not be restored');
  await new App(page).shot('loading-damaged-banner');
  const download = page.waitForEvent('download');
  await banner.getByRole('button', { name: 'Download' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('irqscope-damaged-saved-work.json');
  const text = await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8');
  expect(text).toBe(damaged);
  await expect(banner).toContainText('The damaged saved work was downloaded');
  expect(await page.evaluate(() => localStorage.getItem('irqscope.damaged'))).toBeNull();
});

test('earlier work: what a link replaced comes back from the header', async ({ page }) => {
  const app = new App(page);
  await app.open('x86 · 4 CPUs · Intel IR');
  await app.allocate({ dev: '0000:3d:00.0', min: 1, max: 2, flags: ['MSIX'] });
  await page.goto('/#story/multi-msi-ir');
  await expect(page.getByTestId('banner')).toContainText('Opened the story');
  await app.idle();
  await page.getByRole('button', { name: 'Earlier work' }).click();
  const dlg = page.getByRole('dialog', { name: 'Earlier work' });
  const entry = dlg.getByTestId('history-entry').first();
  await expect(entry).toContainText('1 step on x86, 4 CPUs, Intel IR, at step 1 (Linux 7.2)');
  await expect(entry).toContainText('replaced by the story');
  await app.shot('loading-history');
  await entry.getByRole('button', { name: 'Restore' }).click();
  await expect(dlg).toBeHidden();
  await app.idle();
  await expect.poll(() => page.evaluate(() => window.__irqscope!.state().records.map((r) => r.action.op))).toEqual(['pci_alloc_irq_vectors']);
  // The story it replaced is in the list now.
  await page.getByRole('button', { name: 'Earlier work' }).click();
  await expect(page.getByRole('dialog', { name: 'Earlier work' }).getByTestId('history-entry').first()).toContainText('the story');
});

const NVME = '0000:3d:00.0';
/** Forty steps on the preset's NVMe function: 40 MSI-X vectors, then request_irq on 39 of them. */
const fortyRequests = [
  { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 40, flags: ['MSIX'] },
  ...Array.from({ length: 39 }, (_, i) => ({ op: 'request_irq', dev: NVME, index: i, name: `q${i}` })),
] as Scenario['actions'];

/** Load `actions` on the machine on screen, at `step` (default: the last). */
async function loadOnNvme(page: Page, actions: Scenario['actions'], step?: number): Promise<void> {
  const s = await page.evaluate(() => window.__irqscope!.state().scenario);
  await page.evaluate((sc) => window.__irqscope!.loadScenario(sc), { ...s!, actions, ...(step !== undefined ? { step } : {}) } as Scenario);
}

test('a step whose trace the load left out fetches it when opened', async ({ page }) => {
  const app = new App(page);
  await app.open('x86 · 4 CPUs · Intel IR');
  await loadOnNvme(page, fortyRequests);
  await app.idle();
  expect(await page.evaluate(() => window.__irqscope!.state().records[0].result.traceOmitted)).toBe(true);
  const entry = app.log.locator('[data-testid="log-step"][data-step="1"]');
  const toggle = entry.getByRole('button', { name: /kernel call trace \(fetched when opened\)/ });
  await toggle.click();
  const trace = entry.getByTestId('trace');
  await expect(trace).toBeVisible();
  await expect(trace).toContainText('pci_alloc_irq_vectors');
  await expect(trace.locator('a[href*="/linux/v7.2/"]').first()).toBeVisible();
});

test('a scenario opened at an early step shows it at once; the later steps and their results follow', async ({ page }) => {
  const app = new App(page);
  await app.open('x86 · 4 CPUs · Intel IR');
  // irq of entry 0 is taken and not shared: the last step is refused
  await loadOnNvme(page, [...fortyRequests, { op: 'request_irq', dev: NVME, index: 0, name: 'again' }], 2);
  await expect(app.log.locator('[data-testid="log-step"][aria-current="step"]')).toHaveAttribute('data-step', '2');
  await expect(page.getByTestId('step-label')).toHaveText('step 2 / 41');
  // Every later step is listed; the refused one shows its errno once the results are in.
  const last = app.log.locator('[data-testid="log-step"][data-step="41"]');
  await expect(last).toContainText('-EBUSY');
  await expect(last).toContainText('Flags mismatch');
  await expect(app.log.locator('[data-testid="log-step"][data-step="3"]').getByTestId('log-return')).toHaveText('= 0');
  // Stepping on runs them on the machine itself: step 3 requests irq q1.
  await page.keyboard.press('ArrowRight');
  await expect(app.log.locator('[data-testid="log-step"][aria-current="step"]')).toHaveAttribute('data-step', '3');
  await expect(page.getByTestId('step-label')).toHaveText('step 3 / 41');
});
