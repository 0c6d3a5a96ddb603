// Compare and find: the Changes panel and its marks (against the engine's diff), side by side IR
// against no IR, search, trace ↔ state, the layout in the link, the embed mode; stories that open
// beside their partner (a road and its winner, two kernels), walking a trace call by call.

import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { PRESETS } from '../src/scenario/presets';
import type { Scenario } from '../src/scenario/types';
import { bigScenario } from './bigScenario';

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

/** The NVMe admin queue's irq (nvme0q0), as the shown state has it. */
async function adminVirq(page: Page): Promise<number> {
  return page.evaluate(() => window.__irqscope!.state().snapshot!.view.irqs.find((i) => i.actions.includes('nvme0q0'))!.virq);
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
  const admin = await adminVirq(page);
  const procRows = [...new Set(diff.changes.filter((c) => (c.kind === 'irq' || c.kind === 'proc') && c.op !== 'removed' && c.virq !== undefined).map((c) => String(c.virq)))];
  expect(procRows).toEqual([String(admin)]);
  await expect.poll(() => marked(page, '[data-testid="proc-text"] [data-virq]', 'data-virq', AMBER)).toEqual(procRows);
  // The vector map: the cells the diff adds or changes are outlined (the freed one is gone: none here).
  const cells = diff.changes.filter((c) => c.kind === 'vector' && c.op !== 'removed').map((c) => `${(c.ref as { cpu: number }).cpu}:${(c.ref as { vector: number }).vector}`);
  const overlay = page.getByTestId('compare-cells');
  if (cells.length) await expect(overlay).toHaveAttribute('data-changed', cells.join(' '));
  else await expect(overlay).toHaveCount(0);
  // The panel lists what was freed: the admin queue's old vector.
  const freed = diff.changes.filter((c) => c.kind === 'vector' && c.op === 'removed');
  expect(freed.map((c) => c.virq)).toEqual([admin]);
  await expect(page.getByTestId('change').filter({ hasText: freed[0].label })).toHaveAttribute('data-op', 'removed');

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
  expect(rowsOf(d8)).toEqual([String(admin)]);
  await expect.poll(async () => (await marked(page, '[data-testid="proc-text"] [data-virq]', 'data-virq', AMBER)).sort()).toEqual(rowsOf(d8));
  // Clicking a change selects its interrupt.
  await page.getByTestId('change').filter({ hasText: 'IRTE 16' }).getByRole('button').first().click();
  await expect.poll(() => page.evaluate(() => window.__irqscope!.state().selection)).toEqual({ kind: 'irq', virq: admin });
  await page.screenshot({ path: `${SCREENS}/compare-changes.png` });
});

test('on a map taller than its panel the marks follow the map as it scrolls: the changed cell of CPU 200 is outlined where CPU 200 is', async ({ page }) => {
  const big = bigScenario();
  const dev = (big.machine.devices[0] as { bdf: string }).bdf;
  const s: Scenario = { ...big, actions: [...big.actions, { op: 'irq_set_affinity', dev, index: 5, cpus: [200] }] };
  await load(page, s, s.actions.length);
  await openChanges(page, s.actions.length);
  const diff = await page.evaluate(() => window.__irqscopeCompare!.state().diff!);
  const cells = diff.changes.filter((c) => c.kind === 'vector' && c.op !== 'removed').map((c) => c.ref as { cpu: number; vector: number });
  expect(cells.map((c) => c.cpu)).toEqual([200]);
  const base = page.getByTestId('vector-canvas');
  const overlay = page.getByTestId('compare-cells');
  await expect(overlay).toHaveAttribute('data-changed', `200:${cells[0].vector}`);
  // Scroll the map until CPU 200's row is in view: the base band moves down, the overlay with it.
  const rowH = Number(await base.getAttribute('data-row-h'));
  const axisH = Number(await base.getAttribute('data-axis-h'));
  await base.evaluate((el, y) => {
    const body = el.closest('[data-panel-body]')!;
    body.scrollTop = y;
  }, axisH + 200 * rowH - 120);
  await expect.poll(async () => Number(await base.getAttribute('data-top'))).toBeGreaterThan(0);
  const top = await base.getAttribute('data-top');
  await expect(overlay).toHaveAttribute('data-top', top!);
  // The outline's pixels sit on CPU 200's row of the band in view.
  const amberAt = await overlay.evaluate((el, [cpu, vector]) => {
    const c = el as HTMLCanvasElement;
    const b = document.querySelector<HTMLCanvasElement>('[data-testid="vector-canvas"]')!;
    const dpr = c.width / c.clientWidth;
    const y = Number(b.dataset.axisH) + cpu * Number(b.dataset.rowH) - Number(b.dataset.top);
    const x = Number(b.dataset.gridX) + vector * Number(b.dataset.cellW);
    const px = c.getContext('2d')!.getImageData(Math.round((x - 1) * dpr), Math.round((y + Number(b.dataset.rowH) / 2) * dpr), 1, 1).data;
    return [px[0], px[1], px[2], px[3]];
  }, [200, cells[0].vector] as const);
  expect(amberAt[3]).toBeGreaterThan(0);
  expect(amberAt[0]).toBeGreaterThan(200);
  expect(amberAt[2]).toBeLessThan(100);
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
  const admin = await adminVirq(page);
  let box = await search('IRTE 16');
  await expect(page.getByTestId('search-hit').first()).toHaveAttribute('data-kind', 'irte');
  await page.screenshot({ path: `${SCREENS}/compare-search.png` });
  await box.press('Enter');
  await expect.poll(() => page.evaluate(() => window.__irqscope!.state().selection)).toEqual({ kind: 'irq', virq: admin });

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
  const admin = await adminVirq(page);
  await expect.poll(() => marked(page, '[data-testid="proc-text"] [data-virq]', 'data-virq', SKY)).toEqual([String(admin)]);
  await expect(page.getByTestId('compare-cells')).toHaveAttribute('data-lit', '3:34');
  await page.screenshot({ path: `${SCREENS}/compare-trace-hover.png` });
  // Selecting the admin queue's irq lists this step's trace lines that touched it.
  await page.evaluate((virq) => window.__irqscope!.state().select({ kind: 'irq', virq }), admin);
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

/** The split view's other side (the mirror frame), once it shows `story` at `step`. */
async function mirrorAt(page: Page, story: string, step: number) {
  await expect.poll(() => page.frames().find((f) => f.url().includes('embed=mirror'))?.evaluate(() => {
    const s = window.__irqscope?.state();
    return s?.snapshot && !s.busy ? `${s.story} ${s.snapshot.step}` : null;
  }) ?? null).toBe(`${story} ${step}`);
  return page.frames().find((f) => f.url().includes('embed=mirror'))!;
}

test('a story with a partner opens from the picker side by side with it, steps together, and another story closes it', async ({ page }) => {
  await page.goto('/');
  await page.waitForFunction(() => !!window.__irqscope && !!window.__irqscopeCompare);
  await page.getByRole('button', { name: 'Stories', exact: true }).click();
  const dlg = page.getByRole('dialog', { name: 'Guided stories' });
  const card = dlg.locator('[data-story="dev-msi-2020"]');
  await expect(card.getByTestId('story-compare')).toContainText('opens side by side');
  await card.getByRole('button', { name: /^Open story: DEV_MSI/ }).click();
  await page.waitForFunction(() => window.__irqscope!.state().story === 'dev-msi-2020' && !window.__irqscope!.state().busy);
  // Side by side with the design that won, its own caption on its side.
  const pair = page.getByTestId('pair-frame');
  await expect(pair).toHaveAttribute('data-pair', 'ims-device');
  await expect(pair).toContainText('beside: ims-device');
  const mirror = await mirrorAt(page, 'ims-device', 0);
  const frame = page.frameLocator('[data-testid="pair-frame"] iframe');
  await expect(frame.getByTestId('mirror-caption')).toContainText('ims-device · 0/');
  expect(new URL(page.url()).searchParams.get('pair')).toBe('story:ims-device');
  // Lockstep: step 3 on both; past the partner's end it stays at its last step.
  await page.evaluate(() => window.__irqscope!.gotoStep(3));
  await mirrorAt(page, 'ims-device', 3);
  const partnerSteps = await mirror.evaluate(() => window.__irqscope!.state().scenario!.actions.length);
  const mine = await page.evaluate(() => window.__irqscope!.state().scenario!.actions.length);
  expect(mine).toBeGreaterThan(partnerSteps);
  await page.evaluate((k) => window.__irqscope!.gotoStep(k), mine);
  await mirrorAt(page, 'ims-device', partnerSteps);
  await expect(frame.getByTestId('mirror-caption')).toContainText(`${partnerSteps}/${partnerSteps}`);
  // Both halves are narrower than the three-column layout: panels as tabs, the same tab on each side.
  await expect(page.locator('[data-side-narrow]')).toHaveCount(1);
  await page.getByRole('tab', { name: '/proc' }).click();
  await expect(frame.getByRole('tab', { name: '/proc' })).toHaveAttribute('aria-selected', 'true');
  await page.screenshot({ path: `${SCREENS}/compare-story-partner.png` });
  // A story without a partner: the split view goes with the story that opened it.
  await page.getByRole('button', { name: 'Stories', exact: true }).click();
  await page.getByRole('dialog', { name: 'Guided stories' }).getByRole('button', { name: 'Open story: NVMe on x86 with interrupt remapping', exact: true }).click();
  await page.waitForFunction(() => window.__irqscope?.state().story === 'nvme-ir' && !window.__irqscope!.state().busy);
  await expect(page.getByTestId('pair-frame')).toHaveCount(0);
  await expect.poll(() => new URL(page.url()).searchParams.get('pair')).toBeNull();
});

test('compare kernels: 7.2 beside 6.12, each side showing its NVMe queue CPUs', async ({ page }) => {
  // The link the split view writes: the story and its partner.
  await page.goto('/?pair=story:compare-kernels-612#story/compare-kernels@0');
  await page.waitForFunction(() => window.__irqscope?.state().story === 'compare-kernels' && !window.__irqscope!.state().busy);
  await expect(page.getByTestId('pair-frame')).toHaveAttribute('data-pair', 'compare-kernels-612');
  const mirror = await mirrorAt(page, 'compare-kernels-612', 0);
  expect(await mirror.evaluate(() => window.__irqscope!.state().scenario!.machine.kernel)).toBe('6.12');
  const frame = page.frameLocator('[data-testid="pair-frame"] iframe');
  // The captions say it; each side's Inspector shows it (/sys/kernel/debug/irq/irqs/N, effectiv:).
  await expect(page.getByText(/sit on CPUs 1, 3, 2, 0/).first()).toBeVisible();
  await expect(frame.getByTestId('mirror-caption')).toContainText('sit on CPUs 0, 1, 2, 3');
  // Select each queue in Devices, read its Inspector tab (the paired side shows the tab the left one shows).
  type Side = Page | ReturnType<Page['frameLocator']>;
  const effective = async (side: Side, q: number) => {
    await side.getByRole('tab', { name: 'Devices' }).click();
    await side.locator(`[data-testid="device"][data-dev="0000:00:02.0"] [data-testid="msi-entry"][data-index="${q}"]`).first().click();
    await side.getByRole('tab', { name: 'Inspector' }).click();
    await expect(side.getByTestId('inspector-path')).toContainText(`irqs/${25 + q}`);
    return (/^effectiv:\s*(\S+)/m.exec((await side.getByTestId('inspector-text').textContent()) ?? '') ?? [])[1];
  };
  const left: string[] = [];
  for (const q of [1, 2, 3, 4]) left.push((await effective(page, q))!);
  await expect(frame.getByRole('tab', { name: 'Inspector' })).toHaveAttribute('aria-selected', 'true');
  const right: string[] = [];
  for (const q of [1, 2, 3, 4]) right.push((await effective(frame, q))!);
  expect(left).toEqual(['1', '3', '2', '0']);
  expect(right).toEqual(['0', '1', '2', '3']);
  await page.screenshot({ path: `${SCREENS}/compare-kernels.png` });
  // cpu_down(3) on both: each kernel shuts down its own queue on CPU3.
  await page.evaluate(() => window.__irqscope!.gotoStep(1));
  await mirrorAt(page, 'compare-kernels-612', 1);
  await expect(frame.getByTestId('mirror-caption')).toContainText('nvme0q4 (irq 29)');
  const shut = (side: typeof page | typeof mirror) => side.evaluate(() => window.__irqscope!.state().snapshot!.view.irqs.filter((i) => i.managed && !i.started).map((i) => i.virq));
  expect(await shut(page)).toEqual([27]);
  expect(await shut(mirror)).toEqual([29]);
});

test('pairing by architecture: the arm64 story beside the x86 one, then the same calls on x86 from the menu', async ({ page }) => {
  await page.goto('/?pair=story:compare-kernels#story/compare-arch@2');
  await page.waitForFunction(() => window.__irqscope?.state().story === 'compare-arch' && !window.__irqscope!.state().busy);
  await expect(page.getByTestId('pair-frame')).toHaveAttribute('data-pair', 'compare-kernels');
  const arm = await mirrorAt(page, 'compare-kernels', 2);
  expect(await arm.evaluate(() => window.__irqscope!.state().scenario!.machine.arch)).toBe('x86');
  // The same calls (this scenario) on the other architecture: the menu's "on x86".
  await page.getByLabel('Side by side').selectOption({ label: 'on x86' });
  await expect(page.getByTestId('pair-frame')).toHaveAttribute('data-pair', 'arch x86');
  expect(new URL(page.url()).searchParams.get('pair')).toBe('arch:x86');
  await expect.poll(() => page.frames().find((f) => f.url().includes('embed=mirror'))?.evaluate(() => {
    const s = window.__irqscope?.state();
    return s?.snapshot && !s.busy ? `${s.scenario?.machine.arch} ${s.scenario?.machine.platform} ${s.story} ${s.snapshot.step} ${s.records.every((r) => r.result.ok)}` : null;
  }) ?? null).toBe('x86 qemu-q35 null 2 true');
  // The Changes panel against the paired machine says what it could not compare.
  await page.getByTestId('changes-button').click();
  await page.getByLabel('Compare with').selectOption('pair');
  await page.waitForFunction(() => window.__irqscopeCompare!.state().diff?.b.label.includes('arch x86') && !window.__irqscopeCompare!.state().busy);
  expect((await page.evaluate(() => window.__irqscopeCompare!.state().diff!.notes)).join(' ')).toMatch(/different architectures \(arm64 against x86\)/);
});

test('walking a step’s trace call by call moves the highlight and the journey with it', async ({ page }) => {
  await load(page, ir, 8);
  const entry = page.locator('[data-testid="log-step"][data-step="8"]');
  await entry.getByRole('button', { name: /kernel call trace/ }).click();
  const current = entry.locator('[data-walk="current"]');
  await expect(current).toHaveCount(0);
  await entry.getByRole('button', { name: 'Next call' }).click();
  await expect(current).toHaveAttribute('data-trace-line', '0');
  await expect(current).toContainText('write_irq_affinity()');
  // The keyboard, inside the trace: ↓ to intel_ir_set_affinity(), whose stop is lit in Propagation.
  const lines = await entry.locator('[data-trace-line]:not(li)').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
  const target = lines.findIndex((t) => t.startsWith('intel_ir_set_affinity()'));
  expect(target).toBeGreaterThan(0);
  for (let i = 0; i < target; i++) await page.keyboard.press('ArrowDown');
  await expect(current).toContainText('intel_ir_set_affinity()');
  await expect(current).toBeFocused();
  const stop = page.locator('[data-testid="travel-stop"][aria-current="step"]');
  await expect(stop).toHaveAttribute('data-kind', 'affinity');
  await expect(stop).toContainText('intel_ir_set_affinity()');
  await expect(entry.getByTestId('trace-walk-status')).toContainText(/intel_ir_set_affinity\(\) · stop \d+ in Propagation \(affinity\)/);
  // What the call touched is lit, as hovering it does: its IRTE and the new vector cell.
  await page.waitForFunction(() => window.__irqscopeCompare!.state().litLine?.startsWith('8/') && window.__irqscopeCompare!.state().lit.some((r) => r.kind === 'irte'));
  await page.screenshot({ path: `${SCREENS}/compare-trace-walk.png` });
  // Back up: the PCI/MSI-X level's own callback is the stop before; the core's walker above it has none.
  await page.keyboard.press('ArrowUp');
  await expect(current).toContainText('msi_domain_set_affinity()');
  await expect(stop).toContainText('msi_domain_set_affinity()');
  await page.keyboard.press('ArrowUp');
  await expect(current).toContainText('irq_do_set_affinity()');
  await expect(entry.getByTestId('trace-walk-status')).toContainText('irq_do_set_affinity() · no stop of the journey');

  // A raise: its calls walk the hops. First the cleanup timer that frees the moved vector (7.2:
  // not on the message's path), then the device's write, the IRTE lookup, the CPU vector.
  await page.evaluate(() => window.__irqscope!.gotoStep(9));
  await page.waitForFunction(() => window.__irqscope!.state().snapshot?.step === 9 && !window.__irqscope!.state().busy);
  const raise = page.locator('[data-testid="log-step"][data-step="9"]');
  const walked = raise.locator('[data-walk="current"]');
  await raise.getByRole('button', { name: /kernel call trace/ }).click();
  await raise.getByRole('button', { name: 'Next call' }).click();
  await expect(walked).toContainText('vector_cleanup_callback()');
  await expect(raise.getByTestId('trace-walk-status')).toContainText('no stop of the journey');
  await page.keyboard.press('ArrowDown');
  await expect(walked).toContainText('device raises interrupt()');
  await expect(stop).toHaveAttribute('data-kind', 'device');
  await page.keyboard.press('ArrowDown');
  await expect(walked).toContainText('msi_write()');
  await expect(stop).toHaveAttribute('data-kind', 'remap');
  await page.keyboard.press('ArrowDown');
  await expect(walked).toContainText('common_interrupt()');
  await expect(stop).toHaveAttribute('data-kind', 'cpu');
  // End: the last call (the EOI at the remapping level) has no hop of its own.
  await page.keyboard.press('End');
  await expect(raise.getByTestId('trace-walk-status')).toContainText(/^(\d+)\/\1 /);
});
