// The roads not taken in the built app: every road story plays to its end as its captions say,
// the domain tree labels each road's domains with its status and date, and a reader who opens
// the DEV_MSI story and then the IMS story sees the objection that decided the thread.

import { expect, test } from '@playwright/test';
import { App } from './app';
import { ROAD_STORIES } from '../src/scenario/roads';
import { storyCaption, type Story } from '../src/scenario/stories';

test.use({ viewport: { width: 1366, height: 768 } });

async function atStep(app: App, k: number, n: number): Promise<void> {
  await expect(app.page.getByTestId('step-label')).toHaveText(`step ${k} / ${n}`);
  await app.idle();
}

const procText = async (app: App) => (await app.proc.innerText()).replace(/\u00a0/g, ' ');

/** The domains a road story creates that carry its label, by name. */
const ROAD_DOMAINS: Record<string, string[]> = {
  'dev-msi-2020': ['INTEL-IR-DEV-MSI-4'],
  'dev-msi-own-domain': ['INTEL-IR-DEV-MSI-4'],
  'ims-per-iommu': ['INTEL-IR-IMS-IDXD'],
  'cxl-first-attempt': ['CXL-MSI-0000:0c:00.0', 'CXL-CPMU-cxl_pmu.0-12'],
  'cxl-disjunct': ['CXL-MSI-0000:0c:00.0', 'CXL-CPMU-cxl_pmu.0-12'],
};

async function play(app: App, story: Story): Promise<void> {
  const page = app.page;
  const n = story.scenario.actions.length;
  await page.goto(`/#story/${story.name}@0`);
  await atStep(app, 0, n);
  const caption = page.getByTestId('story-caption-text');
  await expect(caption).toHaveText(storyCaption(story, 0));
  for (let k = 1; k <= n; k++) {
    await page.keyboard.press('ArrowRight');
    await atStep(app, k, n);
    const want = story.outcomes[k - 1];
    if (typeof want === 'string' && want.startsWith('-E')) {
      await expect(app.toast).toHaveAttribute('data-tone', 'error');
      await expect(app.toast).toContainText(`${want} · ${story.scenario.actions[k - 1].op}`);
    } else {
      await expect(app.toast).toHaveAttribute('data-tone', 'info');
    }
    await expect(caption).toHaveText(story.captions[k - 1]);
  }
  const proc = await procText(app);
  for (const re of story.end?.proc ?? []) expect(proc).toMatch(new RegExp(re, 'm'));
  for (const re of story.end?.procAbsent ?? []) expect(proc).not.toMatch(new RegExp(re, 'm'));
}

for (const story of ROAD_STORIES) {
  test(`road ${story.name} plays to its end, its domains labelled "${story.era}"`, async ({ page }) => {
    test.setTimeout(60_000);
    const app = new App(page);
    await play(app, story);
    for (const name of ROAD_DOMAINS[story.name] ?? []) {
      // The tree node carries its era as a label of its own.
      await expect(page.locator(`[data-domain="${name}"]`).first()).toContainText(story.era!);
    }
  });
}

test('the stories picker lists the roads not taken, each with its status and date', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Stories', exact: true }).click();
  const dlg = page.getByRole('dialog', { name: 'Guided stories' });
  await expect(dlg.getByRole('heading', { name: 'Roads not taken' })).toBeVisible();
  for (const s of ROAD_STORIES) await expect(dlg.locator(`[data-story="${s.name}"]`)).toContainText(s.era!);
});

test('DEV_MSI, then IMS: the shared chip cannot reach a queue store; a per-device domain can', async ({ page }) => {
  const app = new App(page);
  const devMsi = ROAD_STORIES.find((s) => s.name === 'dev-msi-2020')!;
  const k = devMsi.captions.findIndex((c) => c.includes('plain layering violation')) + 1;
  const n = devMsi.scenario.actions.length;
  await page.goto(`/#story/dev-msi-2020@${k}`);
  await atStep(app, k, n);
  // The objection, in the thread's words, beside the state that shows it.
  await expect(page.getByTestId('story-caption-text')).toContainText('plain layering violation');
  const proc = await procText(app);
  // mdev0's first irq (what step 4 returned) counted once, on its one CPU; sf0's (step 9) never.
  const [mdev0, sf0] = [devMsi.outcomes[3], devMsi.outcomes[8]];
  expect(proc).toMatch(new RegExp(`^\\s*${mdev0}:(\\s+0)*\\s+1(\\s+0)*\\s+IR-DEV-MSI\\s+0-edge\\s+mdev0-wq0$`, 'm'));
  expect(proc).toMatch(new RegExp(`^\\s*${sf0}:\\s+0\\s+0\\s+0\\s+0\\s+IR-DEV-MSI\\s+2048-edge\\s+sf0-q0$`, 'm'));
  await expect(page.locator('[data-domain="INTEL-IR-DEV-MSI-4"]').first()).toContainText('RFC 2020, not merged');
  await app.shot('roads-01-dev-msi-objection');

  // The design that won: the IMS story's per-device domain with its own chip.
  await page.goto(`/#story/${devMsi.compareWith}@5`);
  await expect(page.getByTestId('step-label')).toHaveText(/^step 5 \//);
  await app.idle();
  await expect(page.locator('[data-domain="IR-IMS-0000:6a:01.0-15"]').first()).toContainText('removed in 2024');
  expect(await procText(app)).toMatch(/^\s*\d+:.*IR-IMS-0000:6a:01\.0\s+0-edge\s+idxd-wq0$/m);
  await app.shot('roads-02-ims-that-won');
});
