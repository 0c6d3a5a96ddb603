// "Watch it travel": a raised interrupt's message goes MSI-X entry → IRTE → CPU vector →
// handler on screen, an allocation goes down the hierarchy and comes back up, and the
// animation follows the speed and reduced-motion settings without ever blocking input.

import { expect, test, type Page } from '@playwright/test';
import { App } from './app';
import { reloaded } from './reload';

const NVME = '0000:3d:00.0';
const IR4 = 'x86 · 4 CPUs · Intel IR';

test.use({ viewport: { width: 1366, height: 768 } });

function caption(page: Page) {
  const panel = page.getByRole('region', { name: 'Propagation', exact: true });
  return {
    panel,
    body: panel.getByTestId('travel-body'),
    stops: panel.getByTestId('travel-stop'),
    speed: panel.getByLabel('Animation speed'),
  };
}

/** A machine with nvme0q1 requested; returns its virq. */
async function requested(app: App, index = 1): Promise<number> {
  await app.open(IR4);
  await app.allocate({ dev: NVME, min: 1, max: 4, flags: ['MSIX'] });
  await app.selectEntry(NVME, index);
  await app.requestIrq(`nvme0q${index}`);
  return Number(await app.proc.locator('[data-virq]', { hasText: `nvme0q${index}` }).getAttribute('data-virq'));
}

/** What the overlay canvas shows at the centre of cell (cpu, vector): its alpha. */
async function overlayAlpha(page: Page, cpu: number, vector: number): Promise<number> {
  return page.getByTestId('vector-canvas').evaluate((c: HTMLCanvasElement, [cpu, vector]) => {
    const n = (a: string) => Number(c.getAttribute(a));
    const dpr = c.width / c.clientWidth;
    const x = (n('data-grid-x') + vector * n('data-cell-w') + n('data-cell-w') / 2) * dpr;
    const y = (n('data-axis-h') + cpu * n('data-row-h') + (n('data-row-h') - 2) / 2) * dpr;
    return c.getContext('2d')!.getImageData(Math.floor(x), Math.floor(y), 1, 1).data[3];
  }, [cpu, vector]);
}

test('a raised interrupt travels MSI-X entry → IRTE → CPU vector → handler; its count moves at once, the row flashes when it arrives', async ({ page }) => {
  const app = new App(page);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const virq = await requested(app);
  const c = caption(page);
  const before = (await app.procRow(virq)).total;

  await app.raise(NVME, 1);
  // The count is the kernel's state after the raise: shown at once, while the message is still
  // on its way (the animation explains the count; it does not hold it back).
  await expect(c.body).toHaveAttribute('data-done', 'false');
  expect((await app.procRow(virq)).total).toBe(before + 1);
  await expect(c.body).toHaveAttribute('data-mode', 'hops');
  await expect(c.panel.getByTestId('travel-title')).toHaveText(`raise ${NVME} #1`);
  // The token runs along the tree; the level it reached shows its label.
  await expect(page.getByTestId('travel-callout')).toBeVisible();
  await app.shot('travel-01-on-its-way');

  // The caption lists the hops in order, with what was read or written at each level.
  await expect(c.stops).toHaveCount(4);
  await expect(c.stops.nth(0)).toHaveAttribute('data-kind', 'device');
  await expect(c.stops.nth(0)).toContainText('MSI-X entry 1: write 0x');
  await expect(c.stops.nth(1)).toHaveAttribute('data-kind', 'remap');
  await expect(c.stops.nth(1)).toContainText(/IRTE \d+: vector 0x[0-9a-f]+ → APIC ID \d/);
  await expect(c.stops.nth(2)).toHaveAttribute('data-kind', 'cpu');
  await expect(c.stops.nth(2)).toContainText(new RegExp(`CPU\\d vector 0x[0-9a-f]+ → irq ${virq}`));
  await expect(c.stops.nth(3)).toHaveAttribute('data-kind', 'handler');
  await expect(c.stops.nth(3)).toContainText(`handler "nvme0q1" (irq ${virq})`);

  // When the message reaches the handler the row flashes and the count has moved by one.
  const row = app.proc.locator(`[data-virq="${virq}"]`);
  await expect(row).toHaveAttribute('data-flash', 'true', { timeout: 6000 });
  expect((await app.procRow(virq)).total).toBe(before + 1);
  await expect(c.body).toHaveAttribute('data-done', 'true');
  for (let i = 0; i < 4; i++) await expect(c.stops.nth(i)).toHaveAttribute('data-state', 'past');

  // Every level it went through is marked in the tree, and the vector map marks (CPU, vector).
  const tree = app.region('Domain tree');
  await expect(tree.locator('[data-travel-node^="INTEL-IR"]')).toBeVisible();
  await expect(tree.locator('[data-travel-node="VECTOR"]')).toBeVisible();
  await expect(tree.locator(`[data-travel-node^="IR-PCI-MSIX-${NVME}"]`)).toBeVisible();
  const label = await c.stops.nth(2).getByTestId('travel-label').innerText();
  const [, cpu, vec] = /CPU(\d+) vector 0x([0-9a-f]+)/.exec(label)!;
  expect(await overlayAlpha(page, Number(cpu), parseInt(vec, 16))).toBeGreaterThan(0);
  expect(await overlayAlpha(page, (Number(cpu) + 2) % 4, 0x90)).toBe(0);
  await app.shot('travel-02-arrived');
});

test('with reduced motion every hop is shown at once and nothing moves', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const app = new App(page);
  const virq = await requested(app);
  const c = caption(page);
  await expect(c.panel.getByRole('checkbox', { name: /reduce motion/ })).toBeChecked();
  const before = (await app.procRow(virq)).total;

  await app.raise(NVME, 1);
  await expect(c.body).toHaveAttribute('data-still', 'true');
  await expect(c.body).toHaveAttribute('data-done', 'true');
  await expect(c.stops).toHaveCount(4);
  for (let i = 0; i < 4; i++) await expect(c.stops.nth(i)).toHaveAttribute('data-state', 'past');
  expect((await app.procRow(virq)).total).toBe(before + 1);
  await expect(app.proc).not.toHaveAttribute('data-held', 'true');
  // No token, no callout: all the levels are marked together.
  await expect(page.getByTestId('travel-token')).toHaveAttribute('visibility', 'hidden');
  await expect(page.getByTestId('travel-callout')).toHaveCount(0);
  await expect(app.region('Domain tree').locator('[data-travel-node]')).toHaveCount(3);
  await expect(c.speed).toBeDisabled();
  await app.shot('travel-03-reduced-motion');

  // The switch overrides the system setting, and is remembered.
  await c.panel.getByRole('checkbox', { name: /reduce motion/ }).uncheck();
  await expect(c.panel.getByRole('checkbox', { name: /reduce motion/ })).not.toBeChecked();
  await app.raise(NVME, 1);
  await expect(c.body).toHaveAttribute('data-still', 'false');
  await expect(c.body).toHaveAttribute('data-done', 'false');
});

test('the speed control changes how long the travel takes; pause and skip', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const app = new App(page);
  await requested(app);
  const c = caption(page);

  const timed = async (speed: string) => {
    await c.speed.selectOption(speed);
    const t0 = Date.now();
    await app.raise(NVME, 1);
    await expect(c.body).toHaveAttribute('data-done', 'false');
    await expect(c.body).toHaveAttribute('data-done', 'true', { timeout: 15_000 });
    return Date.now() - t0;
  };
  const fast = await timed('4');
  const slow = await timed('1');
  expect(slow).toBeGreaterThan(2000); // 4 stops at 1×
  expect(fast).toBeLessThan(slow / 2);

  // Pause holds the current stop; skip shows them all.
  await c.speed.selectOption('0.5');
  await app.raise(NVME, 1);
  await expect(c.stops.nth(0)).toHaveAttribute('data-state', 'current');
  await c.panel.getByRole('button', { name: 'Pause animation' }).click();
  await expect(c.panel.getByRole('button', { name: 'Play animation' })).toBeVisible();
  const held = await c.panel.locator('[data-state="current"]').count();
  await page.waitForTimeout(1500);
  await expect(c.stops.nth(0)).toHaveAttribute('data-state', 'current');
  expect(await c.panel.locator('[data-state="current"]').count()).toBe(held);
  await c.panel.getByRole('button', { name: 'Skip to the end' }).click();
  await expect(c.body).toHaveAttribute('data-done', 'true');

  // The chosen speed is remembered.
  await reloaded(page);
  await expect(caption(page).speed).toHaveValue('0.5');
});

test('an allocation goes down the hierarchy and its message is composed on the way back up', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const app = new App(page);
  await app.open(IR4);
  const c = caption(page);
  await app.allocate({ dev: NVME, min: 1, max: 2, flags: ['MSIX'] });
  await expect(c.body).toHaveAttribute('data-mode', 'calls');
  await expect(c.panel.getByTestId('travel-title')).toHaveText(`pci_alloc_irq_vectors ${NVME}`);
  const kinds = await c.stops.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  expect(kinds.slice(0, 3)).toEqual(['alloc', 'alloc', 'alloc']);
  await expect(c.stops.nth(0)).toContainText(`msi_domain_alloc() · IR-PCI-MSIX-${NVME}`);
  await expect(c.stops.nth(1)).toContainText('intel_irq_remapping_alloc() · INTEL-IR');
  await expect(c.stops.nth(2)).toContainText('x86_vector_alloc_irqs() · VECTOR');
  const tail = kinds.slice(kinds.indexOf('activate'));
  expect(tail).toEqual(['activate', 'activate', 'activate', 'compose', 'write']);
  await expect(c.stops.last()).toContainText('__pci_write_msi_msg()');
  await expect(c.stops.last()).toContainText('MSI-X table[0] ←');
  await expect(c.panel).toContainText('the same calls for 1 more interrupt');
  await c.panel.getByRole('button', { name: 'Skip to the end' }).click();
  await expect(c.body).toHaveAttribute('data-done', 'true');
  await app.shot('travel-04-allocation');
});

test('a new action cancels the running travel; stepping away clears it', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const app = new App(page);
  const virq = await requested(app);
  const c = caption(page);
  await c.speed.selectOption('0.25');
  const before = (await app.procRow(virq)).total;
  await app.raise(NVME, 1);
  await expect(c.body).toHaveAttribute('data-done', 'false');
  // The toolbar still answers at once: mask the interrupt while the first message travels.
  await page.getByRole('button', { name: 'mask', exact: true }).click();
  await app.idle();
  await expect(c.panel.getByTestId('travel-title')).toHaveText(`mask(${virq})`);
  expect((await app.procRow(virq)).total).toBe(before + 1);

  // Stepping away replaces it with the journey of the step shown (step 1: the allocation).
  await app.log.locator('[data-testid="log-step"][data-step="1"]').getByRole('button').first().click();
  await app.idle();
  await expect(c.panel.getByTestId('travel-title')).toHaveText(`pci_alloc_irq_vectors ${NVME}`);
  // Step 0, the freshly booted machine, has no journey: the panel says what would travel here.
  await app.log.locator('[data-testid="log-step"][data-step="0"]').getByRole('button').first().click();
  await expect(c.body).toHaveCount(0);
  await expect(c.panel).toContainText('Raise an interrupt');
  await expect(c.panel).toContainText('IRTE');
});
