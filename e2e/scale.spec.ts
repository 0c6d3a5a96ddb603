// A 1,024-CPU machine with 16,384 interrupts (eight 2,048-vector functions, every vector
// requested): it loads, the panels draw only what is in view (a window of /proc/interrupts
// lines and columns, the vector map in tiles), and a raise and a CPU taken offline from the
// vector map show in the panels. Waits for states (the panels' data-gen against the store's),
// never for time.

import { expect, test, type Page } from '@playwright/test';
import { App } from './app';
import { bigScenario, hugeScenario } from './bigScenario';

/** The store's state generation (every state the worker sends has its own). */
const gen = (page: Page) => page.evaluate(() => window.__irqscope!.state().snapshot?.gen ?? -1);

/** Both big panels draw the store's current state. */
async function panelsAt(page: Page, g: number): Promise<void> {
  await expect(page.getByTestId('proc-text')).toHaveAttribute('data-gen', String(g));
  await expect(page.getByTestId('vector-canvas')).toHaveAttribute('data-gen', String(g));
}

test('1,024 CPUs, 16,384 interrupts: loads, raises, takes a CPU offline; the panels follow', async ({ page }) => {
  test.setTimeout(600_000);
  const app = new App(page);
  await page.goto('/');
  await page.waitForFunction(() => !!window.__irqscope);
  const scenario = hugeScenario();
  const n = scenario.actions.length;
  await page.evaluate((s) => window.__irqscope!.loadScenario(s), scenario);
  await expect(page.getByTestId('step-label')).toHaveText(`step ${n} / ${n}`, { timeout: 300_000 });
  await app.idle();
  // The note on what is slow comes only past 1,024 CPUs.
  await expect(page.getByText('some things are slow')).toHaveCount(0);

  const loaded = await page.evaluate(() => {
    const s = window.__irqscope!.state().snapshot!;
    return { cpus: s.view.cpus.length, irqs: s.view.irqs.length, lines: s.proc.lines, rows: s.proc.rows, gen: s.gen, counts: 'counts' in s.view.irqs[0] };
  });
  expect(loaded.cpus).toBe(1024);
  expect(loaded.irqs).toBeGreaterThan(16_384);
  expect(loaded.rows).toBeGreaterThan(16_384);
  // The page keeps no per-irq counts: /proc/interrupts is asked for a window at a time.
  expect(loaded.counts).toBe(false);
  await panelsAt(page, loaded.gen);

  // /proc/interrupts: tens of lines in the DOM out of 16,000+, each cut to the columns in view.
  const proc = app.proc;
  await expect(proc).toHaveAttribute('data-lines', String(loaded.lines));
  const drawn = await proc.locator('[data-virq]').count();
  expect(drawn).toBeGreaterThan(10);
  expect(drawn).toBeLessThan(200);
  const header = proc.locator('div.sticky');
  await expect(header).toContainText('CPU0');
  await expect(header).not.toContainText('CPU1023');

  // The vector map: 16 tiles of 64 CPU rows.
  await expect(page.getByTestId('vector-tile')).toHaveCount(16);
  await app.shot('scale-01-1024-cpus-loaded');

  // Scrolled to the end, the last interrupt's line and the arch rows are drawn (asked for anew).
  const body = page.getByTestId('proc-interrupts').locator('[data-panel-body]');
  await body.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(proc.getByText(/^\s*NMI:/)).toHaveCount(1);
  const lastVirq = await page.evaluate(() => window.__irqscope!.state().snapshot!.view.irqs.find((i) => i.msi?.dev === '0000:48:00.0' && i.msi.index === 2047)!.virq);
  await expect(proc.locator('[data-virq]').last()).toHaveAttribute('data-virq', String(lastVirq));
  await body.evaluate((el) => { el.scrollTop = 0; el.scrollLeft = 0; });

  // Raise the first mlx5 vector: its /proc line (near the top) shows the count; no cell changed, no tile redrawn.
  const virq = await page.evaluate(() => window.__irqscope!.state().snapshot!.view.irqs.find((i) => i.msi?.dev === '0000:41:00.0' && i.msi.index === 0)!.virq);
  const row = proc.locator(`[data-virq="${virq}"]`);
  await expect(row).toBeVisible();
  const before = await row.innerText();
  const g0 = await gen(page);
  await page.evaluate((v) => window.__irqscope!.runAction({ op: 'raise', dev: '0000:41:00.0', index: 0 }).then(() => v), virq);
  await app.idle();
  const g1 = await gen(page);
  expect(g1).toBeGreaterThan(g0);
  await panelsAt(page, g1);
  await expect(row).not.toHaveText(before);
  await expect(row).toContainText(/ 1 /);
  await expect(page.getByTestId('vector-canvas')).toHaveAttribute('data-tiles-drawn', '0');

  // Take CPU 5 offline from the vector map: click its row's label, press c.
  const canvas = page.getByTestId('vector-canvas');
  const [axisH, rowH] = await Promise.all(['data-axis-h', 'data-row-h'].map(async (a) => Number(await canvas.getAttribute(a))));
  await canvas.click({ position: { x: 10, y: axisH + 5 * rowH + 1 } });
  await expect(page.getByTestId('cpu-readout')).toContainText('CPU5 · avl');
  await page.keyboard.press('c');
  await app.idle();
  const g2 = await gen(page);
  expect(g2).toBeGreaterThan(g1);
  await panelsAt(page, g2);
  await expect(page.getByTestId('cpu-readout')).toContainText('CPU5 (offline)');
  const offline = await page.evaluate(() => window.__irqscope!.state().snapshot!.view.cpus[5].online);
  expect(offline).toBe(false);
  // /proc/interrupts has no column for an offline CPU.
  await expect(header).toContainText('CPU4');
  await expect(header).not.toContainText(/CPU5\s/);
  const tiles = Number(await canvas.getAttribute('data-tiles-drawn'));
  expect(tiles).toBeGreaterThan(0);
  await app.shot('scale-02-1024-cpus-cpu5-offline');

  // The overlay covers the band of the map in view: scrolled to the end, the band moves there,
  // and a click on the last row's label selects CPU1023.
  const mapBody = page.getByTestId('vector-map').locator('[data-panel-body]');
  await mapBody.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(canvas).not.toHaveAttribute('data-top', '0');
  const top = Number(await canvas.getAttribute('data-top'));
  await canvas.click({ position: { x: 10, y: axisH + 1023 * rowH + 1 - top } });
  await expect(page.getByTestId('cpu-readout')).toContainText('CPU1023 · avl');
});

test('a long scenario: the address follows each step, compressed off the page, and reopens where it was', async ({ page, context }) => {
  test.setTimeout(300_000);
  const app = new App(page);
  await page.goto('/');
  await page.waitForFunction(() => !!window.__irqscope);
  const scenario = bigScenario();
  const n = scenario.actions.length;
  await page.evaluate((s) => window.__irqscope!.loadScenario(s), scenario);
  await expect(page.getByTestId('step-label')).toHaveText(`step ${n} / ${n}`, { timeout: 120_000 });
  await app.idle();
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#s1\//);
  const before = await page.evaluate(() => location.hash);

  // Take CPU 5 offline from the vector map: the address changes to the new step's link.
  const canvas = page.getByTestId('vector-canvas');
  const [axisH, rowH] = await Promise.all(['data-axis-h', 'data-row-h'].map(async (a) => Number(await canvas.getAttribute(a))));
  await canvas.click({ position: { x: 10, y: axisH + 5 * rowH + 1 } });
  await page.keyboard.press('c');
  await expect(page.getByTestId('step-label')).toHaveText(`step ${n + 1} / ${n + 1}`);
  await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(before);
  // Its thousands of steps were compressed by the link's own worker, not on the page.
  expect(page.workers().some((w) => /compress\.worker/.test(w.url()))).toBe(true);

  // The address bar's link, opened in a fresh page, shows that step: CPU 5 offline.
  const again = await context.newPage();
  await again.goto(page.url());
  await expect(again.getByTestId('step-label')).toHaveText(`step ${n + 1} / ${n + 1}`, { timeout: 120_000 });
  await expect.poll(() => again.evaluate(() => window.__irqscope!.state().snapshot?.view.cpus[5].online)).toBe(false);
});

test('past 1,024 CPUs the app says what is slow', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.waitForFunction(() => !!window.__irqscope);
  await page.evaluate(() => window.__irqscope!.loadScenario({ version: 1, machine: { arch: 'x86', cpus: 2048, remap: 'intel-ir', devices: [] }, actions: [] }));
  await expect(page.getByTestId('toast')).toContainText('2,048 CPUs: beyond 1,024, some things are slow');
  await expect(page.getByTestId('vector-tile')).toHaveCount(32);
  await new App(page).shot('scale-03-2048-cpus-note');
});
