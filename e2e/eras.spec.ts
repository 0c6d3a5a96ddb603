// The labels of the roads not taken: one colour rule (removed amber, proposals violet, RFC and
// rejected designs grey), each label readable (WCAG AA contrast, measured on the drawn colours)
// in light and dark; the story picker shows a road's era and the story of the design that won.

import { expect, test, type Locator, type Page } from '@playwright/test';
import { App } from './app';

test.use({ viewport: { width: 1366, height: 768 } });

/** WCAG contrast of an element's text colour against a background colour (any CSS colour, read back from a canvas). */
async function contrast(page: Page, fg: string, bg: string): Promise<number> {
  return page.evaluate(([f, b]) => {
    const c = document.createElement('canvas');
    c.width = c.height = 1;
    const ctx = c.getContext('2d')!;
    const rgb = (col: string) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 1, 1);
      ctx.fillStyle = col;
      ctx.fillRect(0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
    };
    const lum = (v: number[]) => {
      const [r, g, bl] = v.map((x) => {
        const s = x / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
    };
    const [l1, l2] = [lum(rgb(f)), lum(rgb(b))].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  }, [fg, bg] as const);
}

const style = (l: Locator, prop: string) => l.evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), prop);

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const toggle = page.getByRole('button', { name: theme === 'dark' ? 'Switch to dark theme' : 'Switch to light theme' });
  if (await toggle.count()) await toggle.click();
}

for (const theme of ['light', 'dark'] as const) {
  test(`era badges in the story picker: the colour rule, readable (${theme})`, async ({ page }) => {
    await page.goto('/');
    await setTheme(page, theme);
    await page.getByRole('button', { name: 'Stories', exact: true }).click();
    const dlg = page.getByRole('dialog', { name: 'Guided stories' });
    const want: Record<string, string> = {
      'RFC 2020, not merged': 'rejected',
      'rejected in review 2021': 'rejected',
      'proposal 2021': 'proposal',
      'rejected in review 2024': 'rejected',
    };
    for (const [era, tone] of Object.entries(want)) {
      const badge = dlg.getByTestId('era').filter({ hasText: era }).first();
      await expect(badge).toHaveAttribute('data-era-tone', tone);
      await expect(badge).toHaveAttribute('title', /\d{4}/);
      const ratio = await contrast(page, await style(badge, 'color'), await style(badge, 'background-color'));
      expect(ratio, `${era}: ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(4.5);
    }
    // A road names the story of the design that won, and opens it.
    const road = dlg.locator('[data-story="dev-msi-2020"]');
    await expect(road.getByTestId('story-compare')).toContainText('IMS: a device-specific message store');
    await dlg.getByRole('heading', { name: 'Roads not taken' }).scrollIntoViewIfNeeded();
    await new App(page).shot(`eras-stories-${theme}`);
    await road.getByRole('button', { name: /compare with/ }).click();
    await expect(page.getByTestId('story-caption-text')).toBeVisible();
    await expect.poll(() => page.evaluate(() => window.__irqscope?.state().story)).toBe('ims-device');
  });

  test(`a road's domain in the tree: grey label, readable (${theme})`, async ({ page }) => {
    const app = new App(page);
    await page.goto('/#story/dev-msi-2020@1');
    await expect(page.getByTestId('story-caption-text')).toBeVisible();
    await app.idle();
    await setTheme(page, theme);
    const node = page.locator('[data-domain="INTEL-IR-DEV-MSI-4"]').first();
    await expect(node).toBeVisible();
    const label = node.locator('text[data-tree-text]').filter({ hasText: 'RFC 2020, not merged' });
    await expect(label).toHaveClass(/fill-stone/);
    const ratio = await contrast(page, await style(label, 'fill'), await style(node.locator('rect').first(), 'fill'));
    expect(ratio, `${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(4.5);
    await app.shot(`eras-tree-${theme}`);
  });
}

test('the Devices panel draws mediated devices and logical functions', async ({ page }) => {
  const app = new App(page);
  await page.goto('/#story/dev-msi-2020@6');
  await expect(page.getByTestId('story-caption-text')).toBeVisible();
  await app.idle();
  const mdev = app.devices.locator('[data-testid="mdev"][data-dev="mdev0"]');
  await expect(mdev).toContainText('mediated device of 0000:6a:01.0');
  await expect(mdev).toContainText('dev->msi_domain: INTEL-IR-DEV-MSI-4');
  await expect(mdev.getByTestId('era')).toHaveText('RFC 2020, not merged');
  await expect(mdev.locator('tbody tr')).toHaveCount(2);
  // A virq selects the interrupt.
  const virq = mdev.locator('tbody tr').first().getByRole('button');
  const n = await virq.innerText();
  await virq.click();
  await expect(page.getByTestId('inspector-path')).toHaveText(`# cat /sys/kernel/debug/irq/irqs/${n}`);
  await mdev.scrollIntoViewIfNeeded();
  await app.shot('eras-devices-mdev');

  await page.goto('/#story/lfunc-2021');
  await expect(page.getByTestId('story-caption-text')).toBeVisible();
  await app.idle();
  const lf = app.devices.getByTestId('lfunc').first();
  await expect(lf).toContainText('logical function of 0000:6a:01.0');
  await expect(lf).toContainText('/lfunc/');
  await expect(lf.getByTestId('era')).toHaveText('proposal 2021');
});
