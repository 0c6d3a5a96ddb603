// Reload the page and get back to a machine: the URL may bring the scenario back by itself;
// if it does not, pick the preset again. Layout and animation settings live in localStorage.

import { expect, type Page } from '@playwright/test';

export async function reloaded(page: Page, preset = 'x86 · 4 CPUs · Intel IR'): Promise<void> {
  await page.reload();
  const summary = page.getByTestId('machine-summary');
  try {
    await expect(summary).toBeVisible({ timeout: 3000 });
  } catch {
    await page.getByRole('button', { name: new RegExp(preset) }).click();
    await expect(summary).toBeVisible();
  }
}
