// Browser Back and Forward: opening a story, switching machine and jumping to a step are history
// entries; Back and Forward move through them (a step of the same scenario without a reload).

import { expect, test, type Page } from '@playwright/test';
import { App } from './app';

test.use({ viewport: { width: 1366, height: 768 } });

const step = (page: Page) => page.getByTestId('step-label');
const back = (page: Page) => page.evaluate(() => history.back());
const forward = (page: Page) => page.evaluate(() => history.forward());

test('Back and Forward move through story opens, machine switches and step jumps, and never leave the app', async ({ page }) => {
  const app = new App(page);
  await app.open('x86 · 4 CPUs · Intel IR');
  await app.allocate({ dev: '0000:3d:00.0', min: 1, max: 2, flags: ['MSIX'] });
  await app.allocate({ dev: '0000:01:00.0', min: 1, max: 1, flags: ['MSI'] });
  await expect(step(page)).toHaveText('step 2 / 2');
  const entries0 = await page.evaluate(() => history.length);
  // A jump: step 0.
  await page.locator('body').press('Home');
  await expect(step(page)).toHaveText('step 0 / 2');
  // A story.
  await page.getByRole('button', { name: 'Stories', exact: true }).click();
  await page.getByRole('dialog', { name: 'Guided stories' }).getByRole('button', { name: /^Open story: Dynamic MSI-X/ }).click();
  await expect(page.getByTestId('story-caption')).toContainText('Dynamic MSI-X');
  await expect(step(page)).toHaveText('step 0 / 9');
  // A jump inside the story (from the log).
  await app.log.locator('[data-testid="log-step"][data-step="4"] button').first().click();
  await expect(step(page)).toHaveText('step 4 / 9');
  expect(await page.evaluate(() => history.length)).toBe(entries0 + 3);

  // Back: the story's first step (a jump, same scenario), then the machine at step 0, then at step 2.
  await back(page);
  await expect(step(page)).toHaveText('step 0 / 9');
  await expect(page.getByTestId('story-caption')).toBeVisible();
  await back(page);
  await expect(step(page)).toHaveText('step 0 / 2');
  await expect(page.getByTestId('machine-summary')).toContainText('Intel IR');
  await back(page);
  await expect(step(page)).toHaveText('step 2 / 2');
  // Forward again, to the story's step 4.
  await forward(page);
  await expect(step(page)).toHaveText('step 0 / 2');
  await forward(page);
  await expect(step(page)).toHaveText('step 0 / 9');
  await forward(page);
  await expect(step(page)).toHaveText('step 4 / 9');
  expect(page.url()).toContain('#story/dynamic-msix@4');
});
