// The workspace on a 1366×768 screen: panels that resize by dragging or keyboard splitters,
// collapse to their title bar and stay that way after a reload; and the context menu that
// offers, where the user right-clicks, the kernel calls that apply there.

import { expect, test, type Page } from '@playwright/test';
import { App } from './app';
import { reloaded } from './reload';

const NVME = '0000:3d:00.0';
const IR4 = 'x86 · 4 CPUs · Intel IR';
const PANELS = ['Vector map', 'Domain tree', 'Devices', 'Inspector', 'Propagation', '/proc/interrupts', 'Event log'];

test.use({ viewport: { width: 1366, height: 768 } });

async function width(app: App, panel: string): Promise<number> {
  return (await app.region(panel).boundingBox())!.width;
}

async function requestedIrq(app: App): Promise<number> {
  await app.open(IR4);
  await app.allocate({ dev: NVME, min: 1, max: 4, flags: ['MSIX'] });
  await app.selectEntry(NVME, 0);
  await app.requestIrq('nvme0q0');
  return Number(await app.proc.locator('[data-virq]', { hasText: 'nvme0q0' }).getAttribute('data-virq'));
}

function menu(page: Page) {
  return page.getByRole('menu');
}

test('every panel fits 1366×768 without the page scrolling', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  const size = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
  expect(size.w).toBeLessThanOrEqual(1366);
  expect(size.h).toBeLessThanOrEqual(768);
  for (const p of PANELS) {
    const box = (await app.region(p).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(1366);
    expect(box.y + box.height).toBeLessThanOrEqual(768);
    expect(box.height, `${p} height`).toBeGreaterThan(80);
  }
});

test('a splitter drag changes a panel width; the keyboard moves it too; the layout survives a reload', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  const split = page.getByTestId('split-col-0');
  await expect(split).toHaveAttribute('role', 'separator');
  await expect(split).toHaveAttribute('aria-orientation', 'vertical');
  const tree0 = await width(app, 'Domain tree');
  const insp0 = await width(app, 'Inspector');

  const box = (await split.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 3 });
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2, { steps: 3 });
  await page.mouse.up();
  const tree1 = await width(app, 'Domain tree');
  expect(tree1 - tree0).toBeGreaterThan(110);
  expect(tree1 - tree0).toBeLessThan(130);
  // The column to its right gave up the same width.
  expect(insp0 - (await width(app, 'Inspector'))).toBeCloseTo(tree1 - tree0, -1);

  // Keyboard: the splitter is focusable; arrow keys move it by 16 px, Shift+arrow by 64.
  await split.focus();
  await expect(split).toBeFocused();
  const value = Number(await split.getAttribute('aria-valuenow'));
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Shift+ArrowLeft');
  const tree2 = await width(app, 'Domain tree');
  expect(tree1 - tree2).toBeGreaterThan(75);
  expect(tree1 - tree2).toBeLessThan(85);
  expect(Number(await split.getAttribute('aria-valuenow'))).toBeLessThan(value);

  // A row splitter resizes the column's two panels.
  const rowSplit = page.getByTestId('split-row-2');
  const proc0 = (await app.region('/proc/interrupts').boundingBox())!.height;
  await rowSplit.focus();
  await page.keyboard.press('Shift+ArrowDown');
  expect((await app.region('/proc/interrupts').boundingBox())!.height - proc0).toBeGreaterThan(50);

  await reloaded(page);
  expect(Math.abs((await width(app, 'Domain tree')) - tree2)).toBeLessThan(3);
  await app.shot('layout-01-resized');

  // Reset puts everything back.
  await page.getByRole('button', { name: 'Reset panel layout' }).click();
  expect(Math.abs((await width(app, 'Domain tree')) - tree0)).toBeLessThan(3);
});

test('a collapsed panel stays collapsed after a reload, and its neighbour takes the room', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  const tree0 = (await app.region('Domain tree').boundingBox())!.height;
  const toggle = app.region('Devices').getByRole('button', { name: 'Devices', exact: true });
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(app.region('Devices').locator('[data-panel-body]')).toBeHidden();
  expect((await app.region('Devices').boundingBox())!.height).toBeLessThan(40);
  expect((await app.region('Domain tree').boundingBox())!.height).toBeGreaterThan(tree0 + 100);
  // The vector map collapses too.
  await app.region('Vector map').getByRole('button', { name: 'Vector map', exact: true }).click();
  await expect(page.getByTestId('vector-canvas')).toBeHidden();
  await app.shot('layout-02-collapsed');

  await reloaded(page);
  await expect(app.region('Devices').getByRole('button', { name: 'Devices', exact: true })).toHaveAttribute('aria-expanded', 'false');
  await expect(app.region('Devices').locator('[data-panel-body]')).toBeHidden();
  await expect(page.getByTestId('vector-canvas')).toBeHidden();

  // Expanding it again (keyboard: the title is a button).
  await app.region('Devices').getByRole('button', { name: 'Devices', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(app.region('Devices').locator('[data-panel-body]')).toBeVisible();
});

test('the context menu on a /proc/interrupts row offers free_irq, and it frees the interrupt', async ({ page }) => {
  const app = new App(page);
  const virq = await requestedIrq(app);
  const row = app.proc.locator(`[data-virq="${virq}"]`);
  await row.click({ button: 'right' });
  const m = menu(page);
  await expect(m).toBeVisible();
  await expect(m).toHaveAccessibleName(new RegExp(`irq ${virq} · nvme0q0`));
  for (const item of ['free_irq', 'mask', 'unmask', 'disable', 'enable', 'Affinity…', 'request_irq…']) {
    await expect(m.getByRole('menuitem', { name: item, exact: true })).toBeVisible();
  }
  await expect(m.getByRole('menuitem', { name: new RegExp(`Raise ${NVME} #0`) })).toBeVisible();
  await expect(m.getByRole('menuitem').first()).toBeFocused();
  await app.shot('layout-03-context-menu');

  await m.getByRole('menuitem', { name: 'free_irq', exact: true }).click();
  await expect(m).toBeHidden();
  await app.idle();
  await expect(app.toast).toContainText('free_irq');
  await expect(app.proc).not.toContainText('nvme0q0');
});

test('the context menu opens from the keyboard, moves with the arrows and closes with Escape', async ({ page }) => {
  const app = new App(page);
  const virq = await requestedIrq(app);
  const row = app.proc.locator(`[data-virq="${virq}"]`);
  await row.focus();
  await page.keyboard.press('Shift+F10');
  const m = menu(page);
  await expect(m).toBeVisible();
  await expect(m.getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(m.getByRole('menuitem').nth(1)).toBeFocused();
  // Single-key shortcuts stay quiet while the menu is open.
  await page.keyboard.press('f');
  await expect(m).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(m).toBeHidden();
  await expect(row).toBeFocused();

  // mask from the menu, by keyboard.
  await page.keyboard.press('ContextMenu');
  await expect(m).toBeVisible();
  const mask = m.getByRole('menuitem', { name: 'mask', exact: true });
  while (!(await mask.evaluate((e) => e === document.activeElement))) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await app.idle();
  await expect(app.toast).toContainText('mask');
  await expect(app.device(NVME).locator('[data-testid="msi-entry"][data-index="0"]')).toContainText('M');
});

test('context menus on a domain, a device descriptor and a CPU row offer what applies there', async ({ page }) => {
  const app = new App(page);
  await requestedIrq(app);
  // A per-device domain: the device's calls.
  // (Focusing a node brings it into view: the tree scrolls rather than shrinks.)
  const devDomain = app.region('Domain tree').locator(`[data-domain^="IR-PCI-MSIX-${NVME}"]`);
  await devDomain.focus();
  await devDomain.click({ button: 'right' });
  await expect(menu(page).getByRole('menuitem', { name: 'Alloc vectors…' })).toBeVisible();
  await expect(menu(page).getByRole('menuitem', { name: 'Free vectors' })).toBeVisible();
  await page.keyboard.press('Escape');
  // VECTOR: nothing acts on it by itself, and the menu says so.
  const vector = app.region('Domain tree').locator('[data-domain="VECTOR"]');
  await vector.focus();
  await vector.click({ button: 'right' });
  await expect(menu(page).getByRole('menuitem')).toHaveText(['No kernel call acts on this domain by itself']);
  await page.keyboard.press('Escape');

  // A descriptor row in Devices: its interrupt's calls.
  await app.device(NVME).locator('[data-testid="msi-entry"][data-index="0"]').click({ button: 'right' });
  await expect(menu(page).getByRole('menuitem', { name: 'free_irq', exact: true })).toBeVisible();
  await page.keyboard.press('Escape');

  // A CPU row of the vector map: cpu_down for that CPU, and it works.
  const label = await app.cellPoint(2, null);
  await page.mouse.click(label.x, label.y, { button: 'right' });
  await expect(menu(page)).toHaveAccessibleName(/^CPU2/);
  await menu(page).getByRole('menuitem', { name: 'cpu_down 2' }).click();
  await app.idle();
  await expect(page.getByTestId('machine-summary')).toContainText('3 online');
  // …and from the keyboard on the focused map.
  await page.getByTestId('vector-canvas').focus();
  await page.keyboard.press('Shift+F10');
  await expect(menu(page).getByRole('menuitem', { name: 'cpu_up 2' })).toBeVisible();
  await page.keyboard.press('Escape');
});
