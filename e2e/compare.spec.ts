// Compare and find: the Changes panel and its marks (against the engine's diff), side by side IR
// against no IR, search, trace ↔ state, the layout in the link, the embed mode.

import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { PRESETS } from '../src/scenario/presets';
import type { Scenario } from '../src/scenario/types';

const SCREENS = 'reports/screens';
mkdirSync(SCREENS, { recursive: true });
const ir: Scenario = PRESETS['nvme-x86-ir'].scenario;
const AMBER = 'rgb(245, 158, 11)';
const SKY = 'rgb(14, 165, 233)';

test.use({ viewport: { width: 1366, height: 768 } });

async function load(page: Page, s: Scenario, step: number, url = '/'): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => !!window.__irqscope && !!window.__irqscopeCompare);
  await page.evaluate(([sc, k]) => window.__irqscope!.loadScenario({ ...sc, step: k }), [s, step] as const);
  await page.waitForFunction((k) => window.__irqscope!.state().snapshot?.step === k && !window.__irqscope!.state().busy, step);
}

async function openChanges(page: Page, step: number): Promise<void> {
  await page.getByTestId('changes-button').click();
  await page.waitForFunction((k) => {
    const c = window.__irqscopeCompare!.state();
    return c.diff !== null && c.diffStep === k && !c.busy;
  }, step);
}

/** The elements whose computed style carries a mark of this colour. */
async function marked(page: Page, selector: string, attr: string, colour: string): Promise<string[]> {
  return page.evaluate(([sel, a, col]) => [...document.querySelectorAll<HTMLElement>(sel)]
    .filter((el) => getComputedStyle(el).boxShadow.includes(col) || getComputedStyle(el).outlineColor === col && getComputedStyle(el).outlineStyle !== 'none')
    .map((el) => el.getAttribute(a)!), [selector, attr, colour] as const);
}

test('the diff of two steps marks exactly what the engine says changed', async ({ page }) => {
  // Step 9 of the IR walk-through: the interrupt on CPU3 — its count, the old vector freed.
  await load(page, ir, 9);
  await openChanges(page, 9);
  const diff = await page.evaluate(() => window.__irqscopeCompare!.state().diff!);
  const procRows = [...new Set(diff.changes.filter((c) => (c.kind === 'irq' || c.kind === 'proc') && c.op !== 'removed' && c.virq !== undefined).map((c) => String(c.virq)))];
  expect(procRows).toEqual(['24']);
  await expect.poll(() => marked(page, '[data-testid="proc-text"] [data-virq]', 'data-virq', AMBER)).toEqual(procRows);
  // The vector map: the cells the diff adds or changes are outlined (the freed one is gone: none here).
  const cells = diff.changes.filter((c) => c.kind === 'vector' && c.op !== 'removed').map((c) => `${(c.ref as { cpu: number }).cpu}:${(c.ref as { vector: number }).vector}`);
  const overlay = page.getByTestId('compare-cells');
  if (cells.length) await expect(overlay).toHaveAttribute('data-changed', cells.join(' '));
  else await expect(overlay).toHaveCount(0);
  // The panel lists what was freed.
  await expect(page.getByTestId('change').filter({ hasText: 'CPU1 vector 0x22' })).toHaveAttribute('data-op', 'removed');

  // Step 8 against step 7: the affinity write. One IRTE, the new vector on CPU3, no MSI-X entry.
  await page.evaluate(() => window.__irqscope!.gotoStep(8));
  await page.waitForFunction(() => window.__irqscopeCompare!.state().diffStep === 8 && !window.__irqscopeCompare!.state().busy);
  const d8 = await page.evaluate(() => window.__irqscopeCompare!.state().diff!);
  expect(d8.changes.filter((c) => c.kind === 'irte').map((c) => c.label)).toEqual(['IRTE 16 (dmar0)']);
  expect(d8.changes.some((c) => c.kind === 'msix')).toBe(false);
  const cells8 = d8.changes.filter((c) => c.kind === 'vector' && c.op !== 'removed').map((c) => `${(c.ref as { cpu: number }).cpu}:${(c.ref as { vector: number }).vector}`);
  expect(cells8).toEqual(['3:34']);
  await expect(overlay).toHaveAttribute('data-changed', '3:34');
  // A descriptor's /proc/interrupts row is marked when the descriptor or its row changed.
  const rowsOf = (d: typeof d8) => [...new Set(d.changes.filter((c) => (c.kind === 'irq' || c.kind === 'proc') && c.op !== 'removed' && c.virq !== undefined).map((c) => String(c.virq)))].sort();
  expect(rowsOf(d8)).toEqual(['24']);
  await expect.poll(async () => (await marked(page, '[data-testid="proc-text"] [data-virq]', 'data-virq', AMBER)).sort()).toEqual(rowsOf(d8));
  // Clicking a change selects its interrupt.
  await page.getByTestId('change').filter({ hasText: 'IRTE 16' }).getByRole('button').first().click();
  await expect.poll(() => page.evaluate(() => window.__irqscope!.state().selection)).toEqual({ kind: 'irq', virq: 24 });
  await page.screenshot({ path: `${SCREENS}/compare-changes.png` });
});

test('side by side: IR rewrites the IRTE, without IR the move is deferred', async ({ page }) => {
  await load(page, ir, 8, '/?pair=remap:none');
  await expect(page.getByTestId('pair-frame')).toBeVisible();
  const frame = page.frameLocator('[data-testid="pair-frame"] iframe');
  // The paired side follows: same scenario without remapping, same step.
  await expect.poll(() => page.frames().find((f) => f.url().includes('embed=mirror'))?.evaluate(() => {
    const s = window.__irqscope?.state();
    return s?.snapshot ? `${s.scenario?.machine.remap} ${s.snapshot.step}` : null;
  }) ?? null).toBe('none 8');
  await openChanges(page, 8);
  const left = await page.evaluate(() => window.__irqscopeCompare!.state().diff!);
  expect(left.changes.filter((c) => c.kind === 'irte').map((c) => c.label)).toEqual(['IRTE 16 (dmar0)']);
  // The paired machine's own step: only IRQD_SETAFFINITY_PENDING on irq 24.
  const mirror = page.frames().find((f) => f.url().includes('embed=mirror'))!;
  await mirror.evaluate(() => window.__irqscopeCompare!.open(true));
  await mirror.waitForFunction(() => window.__irqscopeCompare!.state().diffStep === 8 && !window.__irqscopeCompare!.state().busy);
  const right = await mirror.evaluate(() => window.__irqscopeCompare!.state().diff!);
  expect(right.changes.filter((c) => c.kind !== 'debugfs').map((c) => c.id)).toEqual(['irq:24']);
  expect(right.changes[0].fields.find((f) => f.field === 'state bits')?.after).toContain('IRQD_SETAFFINITY_PENDING');
  // What the left panel shows against the paired machine at this step.
  await page.getByLabel('Compare with').selectOption('pair');
  await page.waitForFunction(() => window.__irqscopeCompare!.state().diff?.b.label.includes('remap none') && !window.__irqscopeCompare!.state().busy);
  await expect(page.getByTestId('change-group').filter({ hasText: 'IRTEs' })).toBeVisible();
  // One timeline: stepping the left steps the right.
  await page.evaluate(() => window.__irqscope!.gotoStep(9));
  await expect.poll(() => mirror.evaluate(() => window.__irqscope!.state().snapshot?.step)).toBe(9);
  await expect(frame.getByTestId('workspace')).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/compare-side-by-side.png` });
});

test('search finds an IRTE, an LPI, a function and a BDF and selects them', async ({ page }) => {
  await load(page, ir, 8);
  const search = async (q: string) => {
    await page.keyboard.press('Control+k');
    const box = page.getByRole('combobox', { name: 'Search the state and the call traces' });
    await box.fill(q);
    await expect(page.getByTestId('search-hit').first()).toBeVisible();
    return box;
  };
  let box = await search('IRTE 16');
  await expect(page.getByTestId('search-hit').first()).toHaveAttribute('data-kind', 'irte');
  await page.screenshot({ path: `${SCREENS}/compare-search.png` });
  await box.press('Enter');
  await expect.poll(() => page.evaluate(() => window.__irqscope!.state().selection)).toEqual({ kind: 'irq', virq: 24 });

  box = await search('0000:3d:00.0');
  await expect(page.getByTestId('search-hit').first()).toHaveAttribute('data-kind', 'device');
  await box.press('Enter');
  await expect.poll(() => page.evaluate(() => window.__irqscope!.state().selection)).toEqual({ kind: 'device', name: '0000:3d:00.0' });

  box = await search('intel_ir_set_affinity');
  const fn = page.getByTestId('search-hit').first();
  await expect(fn).toHaveAttribute('data-kind', 'function');
  await expect(fn.getByRole('link', { name: 'Elixir ↗' })).toHaveAttribute('href', 'https://elixir.bootlin.com/linux/v7.2/A/ident/intel_ir_set_affinity');
  await page.getByRole('combobox', { name: 'Search the state and the call traces' }).press('Enter');
  // Picked: the step whose trace has the call, its line lit.
  await page.waitForFunction(() => window.__irqscopeCompare!.state().litLine?.startsWith('8/'));

  // An LPI on the arm64 machine.
  const arm: Scenario = {
    version: 1, machine: { arch: 'arm64', cpus: 4, devices: [{ bdf: '0000:00:02.0', name: 'nvme', msix: { tableSize: 8 } }] },
    actions: [{ op: 'pci_alloc_irq_vectors', dev: '0000:00:02.0', min: 1, max: 2, flags: ['MSIX'] }],
  };
  await page.evaluate((s) => window.__irqscope!.loadScenario(s), arm);
  await page.waitForFunction(() => window.__irqscope!.state().scenario?.machine.arch === 'arm64' && !window.__irqscope!.state().busy);
  const lpi = await page.evaluate(() => window.__irqscope!.state().snapshot!.its!.devices[0].events[1]);
  box = await search(`LPI ${lpi.lpi}`);
  await expect(page.getByTestId('search-hit').first()).toHaveAttribute('data-kind', 'lpi');
  await box.press('Enter');
  await expect.poll(() => page.evaluate(() => window.__irqscope!.state().selection)).toEqual({ kind: 'irq', virq: lpi.virq });
});

test('hovering a modify_irte trace line lights that IRTE, its vector cell and its descriptor', async ({ page }) => {
  await load(page, ir, 8);
  await openChanges(page, 8);
  const entry = page.locator('[data-testid="log-step"][data-step="8"]');
  await entry.getByRole('button', { name: /kernel call trace/ }).click();
  const line = entry.locator('[data-trace-line]').filter({ hasText: 'modify_irte: IRTE 16' });
  await line.hover();
  await page.waitForFunction(() => window.__irqscopeCompare!.state().lit.some((r) => r.kind === 'irte'));
  // The IRTE's row in the Changes panel, the descriptor's /proc/interrupts row, the vector cell.
  await expect.poll(() => marked(page, '[data-testid="change"][data-irte]', 'data-irte', SKY)).toEqual(['16']);
  await expect.poll(() => marked(page, '[data-testid="proc-text"] [data-virq]', 'data-virq', SKY)).toEqual(['24']);
  await expect(page.getByTestId('compare-cells')).toHaveAttribute('data-lit', '3:34');
  await page.screenshot({ path: `${SCREENS}/compare-trace-hover.png` });
  // Selecting irq 24 lists this step's trace lines that touched it.
  await page.evaluate(() => window.__irqscope!.state().select({ kind: 'irq', virq: 24 }));
  await expect(page.getByTestId('touched-line').filter({ hasText: 'modify_irte' })).toBeVisible();
});

test('a link with a layout reopens with that layout; a panel maximises on double-click', async ({ page }) => {
  await load(page, ir, 8);
  await page.getByRole('region', { name: 'Inspector', exact: true }).locator('header').dblclick();
  await expect(page.getByTestId('workspace')).toHaveAttribute('data-maximised', 'Inspector');
  await expect.poll(() => new URL(page.url()).searchParams.get('layout')).toMatch(/m\d/);
  const link = page.url();
  const other = await page.context().newPage();
  await other.setViewportSize({ width: 1366, height: 768 });
  await other.goto(link);
  await expect(other.getByTestId('workspace')).toHaveAttribute('data-maximised', 'Inspector');
  await expect(other.getByRole('region', { name: 'Inspector', exact: true })).toBeVisible();
  await expect(other.getByRole('region', { name: 'Devices', exact: true })).toHaveCount(0);
  // Restore: double-click again; the link loses the maximised panel.
  await other.getByRole('region', { name: 'Inspector', exact: true }).locator('header').dblclick();
  await expect(other.getByTestId('workspace')).not.toHaveAttribute('data-maximised');
  await expect.poll(() => new URL(other.url()).searchParams.get('layout') ?? '').not.toMatch(/m\d/);
});

test('an embed URL renders inside an iframe, without chrome, with a link back', async ({ page, baseURL }) => {
  const src = `${baseURL}/?embed&panel=${encodeURIComponent('Domain tree')}#story/${encodeURIComponent('vector-exhaustion')}`;
  // A documentation page (served at the app's origin by the test) that embeds one panel of a story step.
  await page.route('**/doc.html', (r) => r.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><title>doc</title><h1>A mail about vector exhaustion</h1><iframe id="e" src="${src.replace(/&/g, '&amp;')}" width="900" height="520"></iframe>`,
  }));
  await page.goto(`${baseURL}/doc.html`);
  const frame = page.frameLocator('#e');
  await expect(frame.getByTestId('embed')).toBeVisible();
  await expect(frame.getByRole('region', { name: 'Domain tree', exact: true })).toBeVisible();
  await expect(frame.getByRole('button', { name: /Stories/ })).toHaveCount(0);
  await expect(frame.getByTestId('embed-open')).toHaveAttribute('href', /#story\/vector-exhaustion/);
  await page.screenshot({ path: `${SCREENS}/compare-embed.png` });
});
