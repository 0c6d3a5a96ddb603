// The journey of a step in every way a step is reached: stepping (→), playing (Space), clicking a
// step in the event log, a shared link at that step, stepping back to it; Replay on any step. A
// story step selects what its caption talks about; "Undo open" belongs to the work it was made
// for, and every jump to other work is undoable.

import { expect, test, type Page } from '@playwright/test';
import { App } from './app';
import { STORIES } from '../src/scenario/stories';

test.use({ viewport: { width: 1366, height: 768 } });

const noir = STORIES.find((s) => s.name === 'nvme-noir')!;
const N = noir.scenario.actions.length;
/** The first step of the story that raises an interrupt (1-based). */
const RAISE = noir.scenario.actions.findIndex((a) => a.op === 'raise') + 1;

function propagation(page: Page) {
  const panel = page.getByRole('region', { name: 'Propagation', exact: true });
  return { panel, body: panel.getByTestId('travel-body'), title: panel.getByTestId('travel-title'), stops: panel.getByTestId('travel-stop') };
}

async function atStep(page: Page, k: number, n = N): Promise<void> {
  await expect(page.getByTestId('step-label')).toHaveText(`step ${k} / ${n}`);
}

test('stepping, the log, a link and stepping back all play the step’s journey; Replay works on any step', async ({ page }) => {
  expect(RAISE).toBeGreaterThan(1);
  const app = new App(page);
  const p = propagation(page);
  await page.goto(`/#story/${noir.name}@${RAISE - 1}`);
  await atStep(page, RAISE - 1);
  // → onto the raise: the message travels.
  await page.keyboard.press('ArrowRight');
  await atStep(page, RAISE);
  await expect(p.body).toHaveAttribute('data-mode', 'hops');
  await expect(p.title).toContainText('raise');
  await expect(p.stops.last()).toHaveAttribute('data-kind', 'handler');
  // Replay is offered and plays it again.
  await p.panel.getByRole('button', { name: 'Skip to the end' }).click();
  await expect(p.body).toHaveAttribute('data-done', 'true');
  await p.panel.getByRole('button', { name: 'Replay animation' }).click();
  await expect(p.body).toHaveAttribute('data-done', 'false');
  // One step on and back again: the raise's journey plays again.
  await page.keyboard.press('ArrowRight');
  await atStep(page, RAISE + 1);
  await page.keyboard.press('ArrowLeft');
  await atStep(page, RAISE);
  await expect(p.body).toHaveAttribute('data-mode', 'hops');
  // A click on the raise in the event log, from the first step.
  await page.keyboard.press('Home');
  await atStep(page, 0);
  await app.log.locator(`[data-testid="log-step"][data-step="${RAISE}"] button`).first().click();
  await atStep(page, RAISE);
  await expect(p.body).toHaveAttribute('data-mode', 'hops');
  // A shared link at that step opens with the journey.
  await page.goto('/');
  await page.goto(`/#story/${noir.name}@${RAISE}`);
  await atStep(page, RAISE);
  await expect(p.body).toHaveAttribute('data-mode', 'hops');
  await expect(p.title).toContainText('raise');
  // Every step with calls through the domains has a journey (step 1: the allocation).
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await atStep(page, 1);
  await expect(p.body).toHaveAttribute('data-mode', 'calls');
});

test('playing a story (Space) shows each step’s journey', async ({ page }) => {
  const p = propagation(page);
  await page.goto(`/#story/${noir.name}@${RAISE - 1}`);
  await atStep(page, RAISE - 1);
  await page.locator('body').press('Space');
  await atStep(page, RAISE);
  await expect(p.body).toHaveAttribute('data-mode', 'hops');
  await page.locator('body').press('Space'); // pause
});

test('a story step selects what its caption talks about', async ({ page }) => {
  const app = new App(page);
  const step = noir.captions.findIndex((c) => /pending: 3/.test(c)) + 1;
  expect(step).toBeGreaterThan(0);
  await page.goto(`/#story/${noir.name}@${step - 1}`);
  await atStep(page, step - 1);
  await page.keyboard.press('ArrowRight');
  await atStep(page, step);
  await expect(page.getByTestId('story-caption-text')).toContainText('pending: 3');
  await expect(page.getByTestId('inspector-path')).toContainText('/sys/kernel/debug/irq/irqs/');
  await expect(app.inspector).toContainText(/^pending:\s+3$/m);
});

test('a stale "Undo open" is gone once the work changes, and every jump to other work is undoable', async ({ page }) => {
  const app = new App(page);
  await app.open('x86 · 4 CPUs · Intel IR');
  await app.allocate({ dev: '0000:3d:00.0', min: 1, max: 2, flags: ['MSIX'] });
  // Open a story: the work is kept for "Undo open".
  await page.getByRole('button', { name: 'Stories', exact: true }).click();
  await page.getByRole('dialog', { name: 'Guided stories' }).getByRole('button', { name: /^Open story: NVMe on x86 without remapping/ }).click();
  const banner = page.getByTestId('banner');
  await expect(banner.getByRole('button', { name: 'Undo open' })).toBeVisible();
  // Switch to another machine (story steps are lost only after asking) and do work there.
  await page.getByLabel('Machine', { exact: true }).selectOption({ label: 'x86 · 4 CPUs · no remapping' });
  await page.getByRole('dialog').getByRole('button', { name: /Switch/ }).click();
  await expect(page.getByTestId('machine-summary')).toContainText('no remapping');
  await expect(banner.getByRole('button', { name: 'Undo open' })).toHaveCount(0);
  await app.allocate({ dev: '0000:01:00.0', min: 1, max: 1, flags: ['MSI'] });
  await atStep(page, 1, 1);
  // Undo walks back: the allocation, then the machine switch (back to the story), then the open.
  await page.keyboard.press('Control+z');
  await atStep(page, 0, 0);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('story-caption')).toBeVisible();
  await page.keyboard.press('Control+z');
  await atStep(page, 1, 1);
  await expect(page.getByTestId('machine-summary')).toContainText('Intel IR');
  // And redo goes forward again, to the work done on the other machine.
  await page.keyboard.press('Control+y');
  await expect(page.getByTestId('story-caption')).toBeVisible();
  await page.keyboard.press('Control+y');
  await page.keyboard.press('Control+y');
  await atStep(page, 1, 1);
  await expect(page.getByTestId('machine-summary')).toContainText('no remapping');
});
