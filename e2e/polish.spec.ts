// Three things a user meets: the header's Machine picker says what is loaded (a story's machine,
// or a custom scenario from a link or a file) and still switches machines; the arm64 ITS panel
// collapses like the vector map and stays so after a reload; and a 256-CPU machine with 4,096
// vectors keeps its long lists (descriptor rows, event log entries) short in the DOM while every
// row stays reachable.

import { expect, test, type Page } from '@playwright/test';
import { App } from './app';
import { reloaded } from './reload';
import { encodeLink } from '../src/scenario/url';
import { STORIES } from '../src/scenario/stories';
import type { Scenario } from '../src/scenario/types';
import { bigScenario } from './bigScenario';

test.use({ viewport: { width: 1366, height: 768 } });

const IR4 = 'x86 · 4 CPUs · Intel IR';
const ARM = 'arm64 · 4 CPUs · GICv3 ITS';

function picker(page: Page) {
  return page.getByRole('combobox', { name: 'Machine' });
}

/** The text of the picker's selected entry: what the user reads in the header. */
function shownMachine(page: Page) {
  return picker(page).locator('option:checked');
}

async function atStep(page: Page, k: number, n: number): Promise<void> {
  await expect(page.getByTestId('step-label')).toHaveText(`step ${k} / ${n}`);
  await new App(page).idle();
}

// ---- 1. the Machine picker says what is loaded ----------------------------------------------

test('a story shows its machine in the picker, and picking a machine from it still switches', async ({ page }) => {
  const app = new App(page);
  await page.goto('/');
  await expect(shownMachine(page)).toHaveText('choose…');
  await page.locator('button[data-story="vector-exhaustion"]').click();
  await expect(page.getByTestId('story-caption')).toBeVisible();
  await app.idle();
  await expect(shownMachine(page)).toHaveText('x86 · 1 CPU · Intel IR (story)');
  await expect(shownMachine(page)).toBeDisabled();
  await expect(picker(page).locator('option', { hasText: 'choose…' })).toHaveCount(0);
  await expect(picker(page)).toHaveAttribute('title', /story “Vector exhaustion: request_irq fails with -ENOSPC”/);
  await page.locator('header').first().screenshot({ path: 'reports/screens/polish-01-picker-story.png' });

  // A story at a later step (its steps would be lost): the picker asks first, then switches.
  await page.goto('/#story/nvme-ir@3');
  await atStep(page, 3, 10);
  await expect(shownMachine(page)).toHaveText('x86 · 4 CPUs · Intel IR (story)');
  await picker(page).selectOption({ label: 'x86 · 64 CPUs · Intel IR' });
  const dlg = page.getByRole('dialog', { name: 'Switch machine?' });
  await expect(dlg).toContainText('discards the 10 steps');
  await dlg.getByRole('button', { name: 'Switch' }).click();
  await atStep(page, 0, 0);
  await expect(page.getByTestId('machine-summary')).toContainText('x86 · 64 CPUs');
  await expect(shownMachine(page)).toHaveText('x86 · 64 CPUs · Intel IR');
  await expect(picker(page).locator('option[disabled]')).toHaveCount(0);
  await expect(page.getByTestId('story-caption')).toHaveCount(0);

  // The picked machine is still named after a reload (the URL holds its scenario).
  await reloaded(page, 'x86 · 64 CPUs · Intel IR');
  await expect(shownMachine(page)).toHaveText('x86 · 64 CPUs · Intel IR');
});

test('a shared #s1/ link and an imported file show their machine by name; cancelling a switch keeps it', async ({ page }) => {
  const app = new App(page);
  const story = STORIES.find((s) => s.name === 'multi-msi-ir')!;
  // The same actions, one fewer: not the story any more, an edited scenario.
  const edited: Scenario = { ...story.scenario, actions: story.scenario.actions.slice(0, -1) };
  const n = edited.actions.length;
  await page.goto(`/${encodeLink({ scenario: edited, step: 2 })}`);
  await atStep(page, 2, n);
  await expect(shownMachine(page)).toHaveText('x86 · 4 CPUs · Intel IR (opened)');
  await expect(picker(page)).toHaveAttribute('title', /link or a file: x86 · 4 CPUs · Intel IR/);
  await page.locator('header').first().screenshot({ path: 'reports/screens/polish-02-picker-custom.png' });

  // Cancel the switch: nothing changes, the picker still says what is loaded.
  await picker(page).selectOption({ label: IR4 });
  await page.getByRole('dialog', { name: 'Switch machine?' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(shownMachine(page)).toHaveText('x86 · 4 CPUs · Intel IR (opened)');
  await atStep(page, 2, n);

  // A preset, then an imported file: its machine by name again.
  await picker(page).selectOption({ label: ARM });
  await page.getByRole('dialog', { name: 'Switch machine?' }).getByRole('button', { name: 'Switch' }).click();
  await expect(page.getByTestId('machine-summary')).toContainText('arm64 · 4 CPUs');
  await expect(shownMachine(page)).toHaveText(ARM);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByTestId('import-file').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...edited, step: 1 })) });
  await atStep(page, 1, n);
  await expect(page.getByTestId('machine-summary')).toContainText('x86 · 4 CPUs');
  await expect(shownMachine(page)).toHaveText('x86 · 4 CPUs · Intel IR (opened)');
  await app.shot('polish-03-custom-scenario');

  // An exported story comes back as that story: its machine, not "custom".
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByTestId('import-file').setInputFiles({ name: 'story.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(story.scenario)) });
  await atStep(page, story.scenario.actions.length, story.scenario.actions.length);
  await expect(shownMachine(page)).toHaveText('x86 · 4 CPUs · Intel IR (story)');
});

// ---- 2. the ITS panel collapses and stays collapsed --------------------------------------------

test('arm64: the GICv3 ITS panel collapses to its title bar, stays so after a reload, and the x86 vector map is apart', async ({ page }) => {
  const app = new App(page);
  await app.open(ARM);
  const its = app.region('GICv3 ITS');
  const toggle = its.getByRole('button', { name: 'GICv3 ITS', exact: true });
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(its.getByTestId('its-collection')).toHaveCount(4);
  const tree0 = (await app.region('Domain tree').boundingBox())!.height;

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(its.locator('[data-panel-body]')).toBeHidden();
  await expect(its.getByTestId('its-collection').first()).toBeHidden();
  expect((await its.boundingBox())!.height).toBeLessThan(40);
  // The panels below take the room; no splitter under a collapsed panel.
  expect((await app.region('Domain tree').boundingBox())!.height).toBeGreaterThan(tree0 + 100);
  await expect(page.getByTestId('split-top')).toHaveCount(0);
  await page.waitForTimeout(300); // the chevron's turn
  await app.shot('polish-04-its-collapsed');

  await reloaded(page, ARM);
  await expect(its.getByRole('button', { name: 'GICv3 ITS', exact: true })).toHaveAttribute('aria-expanded', 'false');
  await expect(its.locator('[data-panel-body]')).toBeHidden();

  // The x86 vector map is a panel of its own: still open there.
  await picker(page).selectOption({ label: IR4 });
  await expect(page.getByTestId('machine-summary')).toContainText('x86 · 4 CPUs');
  await expect(page.getByTestId('vector-canvas')).toBeVisible();
  await expect(app.region('Vector map').getByRole('button', { name: 'Vector map', exact: true })).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('split-top')).toHaveAttribute('aria-label', 'Resize Vector map and the panels below');

  // Back on arm64 (still collapsed); the keyboard opens it, and the splitter comes back.
  await picker(page).selectOption({ label: ARM });
  await expect(page.getByTestId('machine-summary')).toContainText('arm64');
  await its.getByRole('button', { name: 'GICv3 ITS', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(its.getByTestId('its-collection')).toHaveCount(4);
  await expect(its.getByTestId('its-collection').first()).toBeVisible();
  await expect(page.getByTestId('split-top')).toHaveAttribute('aria-label', 'Resize GICv3 ITS and the panels below');
  await page.waitForTimeout(300);
  await app.shot('polish-05-its-expanded');
});

// ---- 3. long lists on a big machine ----------------------------------------------------------

test('256 CPUs, 4,096 vectors: descriptor rows and log entries in view only, every one reachable; a raise is listed and the tables stay windowed', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new App(page);
  await page.goto('/');
  await page.waitForFunction(() => !!window.__irqscope);
  const scenario = bigScenario();
  const N = scenario.actions.length; // 4,098
  await page.evaluate((s) => window.__irqscope!.loadScenario(s), scenario);
  await atStep(page, N, N);

  // Devices: each 2,048-descriptor table says so, but only the rows near the view are drawn.
  const dev = app.device('0000:41:00.0');
  const store = dev.getByTestId('msi-store');
  await expect(store).toContainText('2048 desc');
  await expect(store.locator('table')).toHaveAttribute('aria-rowcount', '2049');
  const drawn = await app.devices.getByTestId('msi-entry').count();
  expect(drawn).toBeGreaterThan(20);
  expect(drawn).toBeLessThan(400);
  await expect(store.locator('[data-testid="msi-entry"][data-index="0"]')).toBeVisible();
  await expect(store.locator('[data-testid="msi-entry"][data-index="2047"]')).toHaveCount(0);
  // The MSI-X table is closed: none of its 2,048 rows is drawn until it is opened.
  await expect(dev.getByTestId('msix-row')).toHaveCount(0);

  // Scrolling the panel brings the later rows: the last descriptor is reachable, and it works.
  const body = app.devices.locator('[data-panel-body]');
  const scrollTo = (f: number) => body.evaluate((el, f) => { el.scrollTop = f * (el.scrollHeight - el.clientHeight); }, f);
  // Wherever the panel is scrolled, rows fill the view (no blank spacer in sight).
  const rowInMiddle = () => body.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + 40, r.top + r.height / 2);
    return hit?.closest('tr')?.getAttribute('data-index') ?? hit?.closest('[data-testid]')?.getAttribute('data-testid') ?? null;
  });
  for (const f of [0.05, 0.1, 0.15, 0.2]) {
    await scrollTo(f);
    await expect.poll(rowInMiddle).toMatch(/^\d+$/);
  }
  /** Scroll the panel until the end of `table` is at the bottom of the view. */
  const toEndOf = (table: ReturnType<Page['locator']>) => table.evaluate((t) => {
    const b = t.closest('[data-panel-body]')!;
    b.scrollTop += t.getBoundingClientRect().bottom - b.getBoundingClientRect().bottom;
  });
  const last = store.locator('[data-testid="msi-entry"][data-index="2047"]');
  await toEndOf(store.locator('table'));
  await expect(last).toBeVisible();
  await expect(last).toHaveAttribute('aria-rowindex', '2049');
  // Drawn where it would be with every row there: 2,047 rows of its height above it.
  const [row, tbody] = [(await last.boundingBox())!, (await store.locator('tbody').boundingBox())!];
  expect(Math.abs(row.y - tbody.y - 2047 * row.height)).toBeLessThan(2);
  expect(Math.abs(row.y + row.height - (tbody.y + tbody.height))).toBeLessThan(2);
  expect(await app.devices.getByTestId('msi-entry').count()).toBeLessThan(400);
  const virq = Number(await last.locator('td:nth-child(2) button').innerText());
  await last.locator('td:nth-child(2) button').click();
  await expect(page.getByTestId('inspector-path')).toHaveText(`# cat /sys/kernel/debug/irq/irqs/${virq}`);
  await expect(last).toHaveAttribute('aria-selected', 'true');
  await app.idle();

  // The MSI-X table opens on demand, windowed too: its last row is reachable.
  const msix = dev.getByTestId('msix-table');
  await dev.locator('summary', { hasText: 'MSI-X table: 2048 of 2048 rows in use' }).click();
  await expect(dev.getByTestId('msix-row').first()).toBeVisible();
  expect(await dev.getByTestId('msix-row').count()).toBeLessThan(400);
  await expect(msix).toHaveAttribute('aria-rowcount', '2049');
  const lastMsix = msix.locator('[data-testid="msix-row"][data-row="2047"]');
  await toEndOf(msix);
  await expect(lastMsix).toBeVisible();
  await expect(lastMsix).toHaveAttribute('data-owner', '0000:41:00.0');
  await dev.locator('summary', { hasText: 'MSI-X table' }).click();
  await expect(dev.getByTestId('msix-row')).toHaveCount(0);

  // Event log: the steps around the one shown, and what is not listed, with a way to list it.
  const log = app.log;
  await expect(log.locator('[data-testid="log-step"][aria-current="step"]')).toHaveAttribute('data-step', String(N));
  const steps = await log.getByTestId('log-step').count();
  expect(steps).toBeGreaterThan(100);
  expect(steps).toBeLessThan(500);
  const before = log.locator('[data-testid="log-hidden"][data-where="before"]');
  await expect(before).toContainText('3,800 earlier steps not listed (#1–#3,800)');
  await expect(log.locator('[data-testid="log-step"][data-step="0"]')).toContainText('boot: x86, 256 CPUs');
  await app.shot('polish-06-big-machine');
  await before.getByRole('button', { name: 'show 500 earlier' }).click();
  await expect(before).toContainText('3,300 earlier steps not listed (#1–#3,300)');
  await expect(log.locator('[data-testid="log-step"][data-step="3301"]')).toHaveCount(1);
  await log.locator('[data-panel-body]').evaluate((el) => { el.scrollTop = 0; });
  await app.shot('polish-07-big-machine-log-top');

  // Jumping back lists the steps around the new one; the later ones are counted.
  await page.evaluate(() => window.__irqscope!.gotoStep(10));
  await atStep(page, 10, N);
  const current = log.locator('[data-testid="log-step"][aria-current="step"]');
  await expect(current).toHaveAttribute('data-step', '10');
  await expect(current).toBeInViewport();
  await expect(log.locator('[data-testid="log-hidden"][data-where="after"]')).toContainText('later steps not listed');
  await expect(log.locator('[data-testid="log-hidden"][data-where="before"]')).toHaveCount(0);
  await page.evaluate((n) => window.__irqscope!.gotoStep(n), N);
  await atStep(page, N, N);

  // A raise from the descriptor row on the big machine: the new step is listed and the tables
  // stay windowed (how long it takes is measured by npm run bench:ui, not here).
  await scrollTo(0);
  const raise = page.getByRole('button', { name: 'raise 0000:41:00.0 index 5', exact: true });
  await expect(raise).toBeVisible();
  await raise.click();
  await atStep(page, N + 1, N + 1);
  await expect(log.locator('[data-testid="log-step"][aria-current="step"]')).toContainText('raise');
  expect(await app.devices.getByTestId('msi-entry').count()).toBeLessThan(400);
  await app.shot('polish-08-big-machine-raised');
});
