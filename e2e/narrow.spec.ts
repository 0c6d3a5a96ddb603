// Narrow windows and phones: below 900 px one column, the panels as tabs, the header's actions in
// a menu; nothing overflows sideways at 390 or 360 px, on the first screen or in a machine.

import { expect, test, type Page } from '@playwright/test';
import { App } from './app';

/** How far the page overflows sideways (0: not at all), and the elements that stick out. */
async function overflow(page: Page): Promise<{ by: number; culprits: string[] }> {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const culprits: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      // Inside a box that scrolls or clips sideways, an element may be wider: that box is the one to check.
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') { clipped = true; break; }
      }
      if (!clipped && r.right > w + 0.5) culprits.push(`${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''} ${Math.round(r.right)}`);
    }
    return { by: document.documentElement.scrollWidth - w, culprits: culprits.slice(0, 8) };
  });
}

for (const width of [390, 360]) {
  test(`at ${width} px wide nothing overflows: first screen, a machine, a story, the header menu`, async ({ page }) => {
    await page.setViewportSize({ width, height: 844 });
    const app = new App(page);
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Watch Linux route an interrupt.' })).toBeVisible();
    expect(await overflow(page)).toEqual({ by: 0, culprits: [] });
    await app.shot(`narrow-${width}-first`);

    await page.getByRole('button', { name: /x86 · 4 CPUs · Intel IR/ }).first().click();
    await expect(page.getByTestId('machine-summary')).toBeVisible();
    // One column: the panels are tabs.
    const tabs = page.getByRole('tablist', { name: 'Panels' });
    await expect(tabs.getByRole('tab')).toHaveCount(7);
    await expect(tabs.getByRole('tab', { name: 'Devices' })).toHaveAttribute('aria-selected', 'true');
    await app.allocate({ dev: '0000:3d:00.0', min: 1, max: 2, flags: ['MSIX'] });
    await expect(app.device('0000:3d:00.0').getByTestId('msi-entry')).toHaveCount(2);
    expect(await overflow(page)).toEqual({ by: 0, culprits: [] });
    // Every panel is a tab away, by pointer or arrow keys.
    await tabs.getByRole('tab', { name: 'Tree' }).click();
    await expect(app.region('Domain tree')).toBeVisible();
    await expect(app.region('Devices')).toHaveCount(0);
    await page.keyboard.press('ArrowRight');
    await expect(tabs.getByRole('tab', { name: 'Journey' })).toHaveAttribute('aria-selected', 'true');
    await expect(app.region('Propagation')).toBeVisible();
    for (const t of ['Vectors', 'Inspector', '/proc', 'Log']) {
      await tabs.getByRole('tab', { name: t }).click();
      expect(await overflow(page)).toEqual({ by: 0, culprits: [] });
    }
    await expect(app.region('Event log')).toBeVisible();
    await app.shot(`narrow-${width}-machine`);

    // The header's actions are in a menu.
    await expect(page.getByRole('button', { name: 'Stories', exact: true })).toBeHidden();
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(page.getByRole('button', { name: 'Stories', exact: true })).toBeVisible();
    expect(await overflow(page)).toEqual({ by: 0, culprits: [] });
    await app.shot(`narrow-${width}-menu`);
    await page.getByRole('button', { name: 'Stories', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Guided stories' })).toBeVisible();
    expect(await overflow(page)).toEqual({ by: 0, culprits: [] });
    await page.getByRole('dialog', { name: 'Guided stories' }).getByRole('button', { name: /^Open story: NVMe on x86 with interrupt remapping/ }).click();
    await expect(page.getByTestId('story-caption')).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('step-label')).toHaveText(/step 1 \//);
    expect(await overflow(page)).toEqual({ by: 0, culprits: [] });
    await app.shot(`narrow-${width}-story`);
  });
}

test('at 1366×768 the layout stays the three-column workspace with the header actions in view', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const app = new App(page);
  await app.open('x86 · 4 CPUs · Intel IR');
  await expect(page.getByRole('tablist', { name: 'Panels' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Menu' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Stories', exact: true })).toBeVisible();
  for (const r of ['Domain tree', 'Devices', 'Inspector', 'Propagation', '/proc/interrupts', 'Event log']) await expect(app.region(r)).toBeVisible();
});
