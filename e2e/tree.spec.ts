// The domain tree stays readable at any size: text never below 11 px (a big tree scrolls and
// zooms instead of shrinking), measured labels that overlap no node and no other label, fit to
// the selection, subtrees that fold, and a minimap once the tree is bigger than its panel.

import { expect, test, type Page } from '@playwright/test';
import { App } from './app';
import type { Scenario } from '../src/scenario/types';

const DEVS = Array.from({ length: 8 }, (_, i) => ({ bdf: `0000:0${i + 1}:00.0`, name: `dev${i}`, msix: { tableSize: 8 } }));
/** Ten domains or more: VECTOR, INTEL-IR, the IO-APIC and one IR-PCI-MSIX domain per device. */
const TEN_PLUS: Scenario = {
  version: 1,
  machine: { arch: 'x86', cpus: 4, remap: 'intel-ir', devices: DEVS },
  actions: [
    ...DEVS.map((d) => ({ op: 'pci_alloc_irq_vectors' as const, dev: d.bdf, min: 1, max: 2, flags: ['MSIX' as const] })),
    { op: 'request_irq', dev: '0000:03:00.0', index: 0, name: 'dev2-0' },
  ],
};

async function load(page: Page, s: Scenario): Promise<void> {
  await page.goto('/');
  await page.waitForFunction(() => !!window.__irqscope);
  await page.evaluate((sc) => window.__irqscope!.loadScenario(sc), s);
  await expect(page.getByTestId('machine-summary')).toBeVisible();
}

/** The smallest rendered text of the tree, in CSS px on screen. */
async function smallestText(page: Page): Promise<number> {
  return page.locator('[data-testid="domain-tree"] svg').first().evaluate((svg) => {
    let min = Infinity;
    for (const t of svg.querySelectorAll<SVGTextElement>('text')) {
      const ctm = t.getScreenCTM();
      if (!ctm || !t.getClientRects().length) continue;
      min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(ctm.a, ctm.b));
    }
    return min;
  });
}

/** Pairs of tree boxes (nodes, labels, toggles) that overlap on screen. */
async function overlaps(page: Page): Promise<string[]> {
  return page.locator('[data-testid="domain-tree"] svg').first().evaluate((svg) => {
    const boxes: { name: string; r: DOMRect }[] = [];
    for (const g of svg.querySelectorAll('[data-domain], [data-tree-label], [data-testid="tree-toggle"]')) {
      const rect = g.querySelector(':scope > rect');
      if (!rect) continue;
      const name = g.getAttribute('data-domain') ?? g.getAttribute('data-toggle') ?? `${g.getAttribute('data-testid')}:${g.textContent}`;
      boxes.push({ name, r: rect.getBoundingClientRect() });
    }
    const out: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r, b = boxes[j].r;
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) out.push(`${boxes[i].name} × ${boxes[j].name}`);
      }
    }
    return out;
  });
}

for (const vp of [{ width: 1366, height: 768 }, { width: 1280, height: 720 }]) {
  test(`at ${vp.width}×${vp.height} a tree of 10+ domains keeps 11 px text and no label overlaps`, async ({ page }) => {
    await page.setViewportSize(vp);
    await page.emulateMedia({ reducedMotion: 'reduce' }); // every travel label at once
    const app = new App(page);
    await load(page, TEN_PLUS);
    const tree = app.region('Domain tree');
    await expect(tree.locator('[data-domain="IR-PCI-MSIX-0000:08:00.0-12"]')).toHaveCount(1);
    expect(await tree.locator('[data-domain]').count()).toBeGreaterThanOrEqual(10);
    expect(await smallestText(page)).toBeGreaterThanOrEqual(11);
    // A raise puts a label at every level; the selected chain adds its hwirq badges.
    await page.evaluate(() => window.__irqscope!.runAction({ op: 'raise', dev: '0000:03:00.0', index: 0 }));
    await app.selectEntry('0000:03:00.0', 0);
    await expect(tree.getByTestId('chain-level')).toHaveCount(3);
    await expect(tree.getByTestId('travel-badge')).toHaveCount(3);
    expect(await overlaps(page)).toEqual([]);
    expect(await smallestText(page)).toBeGreaterThanOrEqual(11);
    // Labels are wrapped, not cut: the whole label is there.
    const label = await page.getByRole('region', { name: 'Propagation', exact: true }).getByTestId('travel-label').nth(1).innerText();
    const badge = (await tree.locator('[data-travel-node^="INTEL-IR"] [data-testid="travel-badge"] text').allTextContents()).join(' ');
    expect(badge.replace(/\s+/g, ' ')).toContain(label.replace(/\s+/g, ' ').slice(0, 20));
    expect(badge).not.toContain('…');
    // Zooming out stops at full size: the text does not shrink.
    for (let i = 0; i < 4; i++) await tree.getByRole('button', { name: 'Zoom out' }).click();
    expect(await smallestText(page)).toBeGreaterThanOrEqual(11);
    await app.shot(`tree-11-domains-${vp.width}`);
  });
}

test('fit to selection, folding subtrees and the minimap', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const app = new App(page);
  await load(page, TEN_PLUS);
  const tree = app.region('Domain tree');
  const svg = tree.locator('svg[role="group"]');
  // Bigger than the panel: the minimap shows where the view is.
  const minimap = tree.getByTestId('tree-minimap');
  await expect(minimap).toBeVisible();
  const g = svg.locator(':scope > g').first();
  const t0 = await g.getAttribute('transform');
  const mb = (await minimap.boundingBox())!;
  await page.mouse.click(mb.x + mb.width * 0.7, mb.y + mb.height * 0.9);
  await expect(g).not.toHaveAttribute('transform', t0!);

  // Select an interrupt, scroll away from it, and "fit selection" brings its chain back.
  await app.selectEntry('0000:08:00.0', 0);
  const box = (await svg.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -2000);
  await page.mouse.wheel(-2000, 0);
  await tree.getByRole('button', { name: 'Fit selection' }).click();
  const inView = async (sel: string) => {
    const b = (await tree.locator(sel).first().boundingBox())!;
    return b.x >= box.x - 1 && b.y >= box.y - 1 && b.x + b.width <= box.x + box.width + 1 && b.y + b.height <= box.y + box.height + 1;
  };
  // The chain is taller than the panel here: its top level, where the message starts, is in view.
  await expect.poll(() => inView('[data-domain="IR-PCI-MSIX-0000:08:00.0-12"]')).toBe(true);
  // In a panel tall enough, the whole chain (down to VECTOR) is in view.
  await page.setViewportSize({ width: 2600, height: 2400 });
  await expect.poll(async () => (await svg.boundingBox())!.height).toBeGreaterThan(750);
  await tree.getByRole('button', { name: 'Fit selection' }).click();
  const big = (await svg.boundingBox())!;
  Object.assign(box, big);
  await expect.poll(() => inView('[data-domain="VECTOR"]')).toBe(true);
  await expect.poll(() => inView('[data-domain="IR-PCI-MSIX-0000:08:00.0-12"]')).toBe(true);
  await page.setViewportSize({ width: 1366, height: 768 });

  // Fold the remapping domain's subtree: its domains go, the toggle says how many.
  await page.keyboard.press('Escape');
  const total = await tree.locator('[data-domain]').count();
  const toggle = tree.locator('[data-toggle^="INTEL-IR"]');
  // By keyboard: a focused toggle (or node) scrolls into view.
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  const folded = Number(/\+(\d+)/.exec((await toggle.textContent()) ?? "")?.[1]);
  expect(folded).toBeGreaterThanOrEqual(8);
  await expect(tree.locator('[data-domain]')).toHaveCount(total - folded);
  await expect(tree.locator('[data-domain^="IR-PCI-MSIX"]')).toHaveCount(0);
  // And Space opens it again.
  await toggle.focus();
  await page.keyboard.press(' ');
  await expect(tree.locator('[data-domain]')).toHaveCount(total);
  await app.shot('tree-fit-fold');
});
