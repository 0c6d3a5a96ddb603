// Accessibility: axe-core finds no violation, in light and in dark, on the first screen, an open
// dialog, an x86 machine after alloc / request / raise, the arm64 story's last step, the help
// dialog and an imported machine (a pasted /proc/interrupts, an irq picked). Every rule axe runs by default, and label-content-name-mismatch besides.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { App } from './app';
import { STORIES } from '../src/scenario/stories';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

test.use({ viewport: { width: 1366, height: 768 } });

interface Found {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe's violations on the page as it is now (each with a few of its nodes). */
async function violations(page: Page): Promise<Found[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
    const r = await axe.run(document, { rules: { 'label-content-name-mismatch': { enabled: true } }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 6).map((n) => `${n.target.join(' ')} — ${(n.failureSummary ?? '').split('\n').slice(1, 2).join(' ').trim()}`),
    }));
  });
}

async function theme(page: Page, dark: boolean): Promise<void> {
  await page.evaluate((d) => {
    localStorage.setItem('irqscope.theme', d ? 'dark' : 'light');
  }, dark);
}

async function setTheme(page: Page, dark: boolean): Promise<void> {
  const want = dark ? 'Switch to light theme' : 'Switch to dark theme';
  const toggle = page.getByRole('button', { name: /Switch to (light|dark) theme/ });
  if ((await toggle.getAttribute('aria-label')) !== want) await toggle.click();
  await expect(page.locator('html')).toHaveClass(dark ? /dark/ : /^(?!.*dark).*$/);
}

for (const dark of [false, true]) {
  const mode = dark ? 'dark' : 'light';

  test(`axe: no violations on the first screen and an open dialog (${mode})`, async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: dark ? 'dark' : 'light' });
    await page.goto('/');
    await theme(page, dark);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Watch Linux route an interrupt.' })).toBeVisible();
    expect(await violations(page)).toEqual([]);
    // The stories dialog from the first screen, and the alloc dialog on a machine.
    await page.getByRole('button', { name: 'Stories', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Guided stories' })).toBeVisible();
    expect(await violations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /x86 · 4 CPUs · Intel IR/ }).first().click();
    await expect(page.getByTestId('machine-summary')).toBeVisible();
    await page.getByRole('button', { name: 'Alloc vectors…' }).click();
    await expect(page.getByRole('dialog', { name: 'pci_alloc_irq_vectors()' })).toBeVisible();
    expect(await violations(page)).toEqual([]);
  });

  test(`axe: no violations on an x86 machine after alloc, request and raise, and in the help (${mode})`, async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: dark ? 'dark' : 'light' });
    const app = new App(page);
    await app.open('x86 · 4 CPUs · Intel IR');
    await setTheme(page, dark);
    await app.allocate({ dev: '0000:3d:00.0', min: 1, max: 4, flags: ['MSIX', 'AFFINITY'] });
    await app.selectEntry('0000:3d:00.0', 1);
    await app.requestIrq('nvme0q1');
    await app.raise('0000:3d:00.0', 1);
    await expect(page.getByRole('region', { name: 'Propagation', exact: true }).getByTestId('travel-body')).toHaveAttribute('data-done', 'true');
    // A refusal too: the status line in red.
    await app.allocate({ dev: '0000:3d:00.0', min: 66, max: 66, flags: ['MSIX'] });
    await expect(app.toast).toHaveAttribute('data-tone', 'error');
    expect(await violations(page)).toEqual([]);
    await app.shot(`a11y-x86-${mode}`);
    await page.locator('body').press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
    expect(await violations(page)).toEqual([]);
  });

  test(`axe: no violations at the arm64 story's last step (${mode})`, async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: dark ? 'dark' : 'light' });
    const story = STORIES.find((s) => s.scenario.machine.arch === 'arm64' && s.name.includes('its'))!;
    const n = story.scenario.actions.length;
    await page.goto('/');
    await theme(page, dark);
    await page.goto(`/#story/${story.name}@${n}`);
    await expect(page.getByTestId('step-label')).toHaveText(`step ${n} / ${n}`);
    await expect(page.getByTestId('story-caption')).toBeVisible();
    expect(await violations(page)).toEqual([]);
    await new App(page).shot(`a11y-arm64-${mode}`);
  });

  test(`axe: no violations on an imported machine after a paste (${mode})`, async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce', colorScheme: dark ? 'dark' : 'light' });
    await page.goto('/');
    await theme(page, dark);
    await page.reload();
    await page.getByRole('button', { name: 'Open your machine…' }).click();
    const dlg = page.getByRole('dialog', { name: 'Open your machine' });
    await dlg.getByLabel('Paste /proc/interrupts or a collector bundle').fill(readFileSync('src/import/samples/x86-6.x-ir-pci-msix-amd.txt', 'utf8'));
    expect(await violations(page)).toEqual([]);
    await dlg.getByRole('button', { name: 'Import' }).click();
    await expect(page.getByRole('region', { name: 'Imported machine' })).toBeVisible();
    await expect(page.getByTestId('domain-tree').locator('[data-domain="VECTOR"]')).toBeVisible();
    expect(await violations(page)).toEqual([]);
    // An irq picked: its row marked in both lists, its domain in the tree.
    await page.getByTestId('import-irqs').getByRole('button', { name: '26', exact: true }).click();
    await expect(page.getByTestId('import-devices').locator('[data-testid="msi-entry"][aria-selected="true"]')).toHaveCount(1);
    expect(await violations(page)).toEqual([]);
    await new App(page).shot(`a11y-import-${mode}`);
  });
}
