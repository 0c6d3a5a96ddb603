// Hostile start-ups and loads: what localStorage brings back is validated like any input
// (src/ui/share/persist.ts readPos: a malformed position is ignored, the saved scenario still
// opens at its end), and a load the engine fails says so in the banner while the machine on
// screen — and in the worker — stays (src/ui/share/open.ts openWork).

import { expect, test, type Page } from '@playwright/test';
import { App } from './app';

test.use({ viewport: { width: 1366, height: 768 } });

const POS_KEY = 'irqscope.pos';
const WORK_KEY = 'irqscope.work';

async function atStep(app: App, k: number, n: number): Promise<void> {
  await expect(app.page.getByTestId('step-label')).toHaveText(`step ${k} / ${n}`);
  await app.idle();
}

async function panels(app: App): Promise<{ proc: string; devices: string; step: string; summary: string }> {
  await app.idle();
  return {
    proc: await app.proc.innerText(),
    devices: await app.devices.innerText(),
    step: await app.page.getByTestId('step-label').innerText(),
    summary: await app.page.getByTestId('machine-summary').innerText(),
  };
}

const stored = (page: Page, key: string) => page.evaluate((k) => localStorage.getItem(k), key);

test('a saved position of "null" (or other junk) is ignored: the saved work opens at its end, and saving goes on', async ({ page }) => {
  const app = new App(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/#story/dynamic-msix@6');
  await atStep(app, 6, 9);
  await expect.poll(() => stored(page, POS_KEY)).toContain('"step":6');
  const work = await stored(page, WORK_KEY);
  expect(work).not.toBeNull();
  // The same work at its last step, as the restored page must show it.
  await page.keyboard.press('End');
  await atStep(app, 9, 9);
  const atEnd = await panels(app);

  for (const junk of ['null', '[1,2]', '"step 3"', '{"step":-1}', '{"step":99,"sel":5}', '{"step":"3"}', '{']) {
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [POS_KEY, junk] as const);
    await page.goto('about:blank');
    await page.goto('/');
    // It starts, and restores the scenario (the position is what was broken) at its end.
    await atStep(app, 9, 9);
    expect(await panels(app), `panels after ${POS_KEY} = ${junk}`).toEqual(atEnd);
    await expect(page.getByTestId('banner')).toHaveCount(0);
    expect(await stored(page, WORK_KEY)).toBe(work);
  }
  expect(errors).toEqual([]);

  // ...and keeps saving: a step back is written as a well-formed position, and a reload opens it.
  await page.keyboard.press('ArrowLeft');
  await atStep(app, 8, 9);
  await expect.poll(async () => JSON.parse((await stored(page, POS_KEY)) ?? 'null')).toMatchObject({ v: 1, step: 8 });
  await page.goto('about:blank');
  await page.goto('/');
  await atStep(app, 8, 9);
  await expect(page.getByTestId('banner')).toHaveCount(0);
});

/**
 * The worker's answer to the next `n` load calls becomes a thrown error, as Comlink carries an
 * exception from the worker (an engine that throws during the replay, a worker out of memory).
 * Everything else goes through untouched.
 */
async function failNextLoads(page: Page, n: number): Promise<void> {
  await page.evaluate((count) => {
    (window as unknown as { __failLoads: number }).__failLoads = count;
  }, n);
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (this: Worker, msg: unknown, ...rest: unknown[]) {
      const w = window as unknown as { __failLoads?: number };
      const m = msg as { id?: string; type?: string; path?: string[] } | null;
      if (m && m.type === 'APPLY' && m.path?.[0] === 'load' && (w.__failLoads ?? 0) > 0) {
        w.__failLoads!--;
        const data = { id: m.id, type: 'HANDLER', name: 'throw', value: { isError: true, value: { name: 'RangeError', message: 'Maximum call stack size exceeded', stack: '' } } };
        setTimeout(() => this.dispatchEvent(new MessageEvent('message', { data })), 10);
        return;
      }
      return (post as (this: Worker, ...a: unknown[]) => void).call(this, msg, ...rest);
    } as typeof Worker.prototype.postMessage;
  });
});

test('a load the engine fails: the banner says so, the machine on screen and in the worker stays', async ({ page }) => {
  const app = new App(page);
  await page.goto('/#story/dynamic-msix@6');
  await atStep(app, 6, 9);
  const before = await panels(app);
  const work = await stored(page, WORK_KEY);

  // A link to another story, whose load fails in the engine.
  await failNextLoads(page, 1);
  await page.evaluate(() => {
    location.hash = '#story/nvme-ir@3';
  });
  const banner = page.getByTestId('banner');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('data-tone', 'error');
  await expect(page.getByTestId('banner-title')).toHaveText('The story “NVMe on x86 with interrupt remapping” from the link could not be opened — nothing was changed');
  await expect(page.getByTestId('banner-detail')).toHaveText('The engine failed: Maximum call stack size exceeded');
  expect(await panels(app)).toEqual(before);
  expect(await stored(page, WORK_KEY)).toBe(work);
  await expect(banner.getByRole('button', { name: 'Undo open' })).toHaveCount(0);

  // The worker holds the old machine too: stepping is answered from it, not from the story the
  // link named (and not with "No machine loaded").
  await page.getByRole('button', { name: 'Dismiss banner' }).click();
  await page.keyboard.press('ArrowLeft');
  await atStep(app, 5, 9);
  await page.keyboard.press('ArrowRight');
  await atStep(app, 6, 9);
  expect(await panels(app)).toEqual(before);
  await expect(page.getByTestId('banner')).toHaveCount(0);

  // A file whose load fails: the same.
  await failNextLoads(page, 1);
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const scenario = JSON.parse(work!);
  await page.getByTestId('import-file').setInputFiles({ name: '2cpus.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...scenario, machine: { ...scenario.machine, cpus: 2 }, step: 1 })) });
  await expect(page.getByTestId('banner-title')).toHaveText('2cpus.json could not be opened — nothing was changed');
  await expect(page.getByTestId('banner-detail')).toHaveText('The engine failed: Maximum call stack size exceeded');
  expect(await panels(app)).toEqual(before);
  expect(await stored(page, WORK_KEY)).toBe(work);
});

test('after a link whose load failed, the address bar names the work on screen again', async ({ page }) => {
  // A reload or a copied URL must open the work on screen, not the link that failed.
  const app = new App(page);
  await page.goto('/#story/dynamic-msix@6');
  await atStep(app, 6, 9);
  await failNextLoads(page, 1);
  await page.evaluate(() => {
    location.hash = '#story/nvme-ir@3';
  });
  await expect(page.getByTestId('banner-title')).toHaveText(/could not be opened — nothing was changed$/);
  // The story's step, with whatever that step selects.
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#story\/dynamic-msix@6(\?|$)/);
});
