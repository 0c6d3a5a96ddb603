// "Open your machine": paste a /proc/interrupts and see its tree, devices and heat map; drop the
// collector's bundle (collected on this machine, now); continue a capture as a simulation and take
// a CPU offline. Expected values are read off the input text here, not from the import.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { App } from './app';

test.use({ viewport: { width: 1366, height: 768 } });

const CAPTURE = 'conformance/fixtures/7.2/x86/q35-ir-4cpu/capture.txt';
const AMD = 'src/import/samples/x86-6.x-ir-pci-msix-amd.txt';

/** The first /proc/interrupts of a capture (its boot step), as text. */
function bootProc(capture: string): string {
  return readFileSync(capture, 'utf8').split('@@ file /proc/interrupts\n')[1].split(/\n@@ /)[0] + '\n';
}

async function openDialog(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open your machine…' }).click();
  return page.getByRole('dialog', { name: 'Open your machine' });
}

async function dropText(page: Page, text: string, name: string): Promise<void> {
  const dt = await page.evaluateHandle(([t, n]) => {
    const d = new DataTransfer();
    d.items.add(new File([t], n, { type: 'text/plain' }));
    return d;
  }, [text, name] as const);
  const zone = page.getByTestId('import-drop');
  await zone.dispatchEvent('dragover', { dataTransfer: dt });
  await zone.dispatchEvent('drop', { dataTransfer: dt });
}

/** The point of a cell of the grid on screen (the vector map's canvas attributes say where). */
async function gridPoint(page: Page, row: number, col: number | null) {
  return new App(page).cellPoint(row, col);
}

/**
 * Choose a file in the import dialog's file input, the file made in the page (so the test does not
 * spend its time sending megabytes to the browser): a /proc/interrupts of `rows` MSI-X rows on `cpus`
 * CPUs, or `bytes` of 'a'. The input gets it as a user's choice would (its files, then a change
 * event). Returns the file's size.
 */
async function chooseInPage(page: Page, name: string, what: { cpus: number; rows: number } | { bytes: number }): Promise<number> {
  return page.getByLabel('Choose a capture file').evaluate((input: HTMLInputElement, [n, w]) => {
    let body: BlobPart;
    if ('bytes' in w) body = new Uint8Array(w.bytes).fill(97);
    else {
      const head = Array.from({ length: w.cpus }, (_, i) => `CPU${i}`.padStart(11)).join('') + '\n';
      const row = (r: number) => `${String(r).padStart(5)}:${Array.from({ length: w.cpus }, (_, c) => String((r * 7 + c) % 1000).padStart(11)).join('')}  IR-PCI-MSIX-0000:01:00.0  ${r}-edge      q${r}\n`;
      body = head + Array.from({ length: w.rows }, (_, r) => row(r + 30)).join('');
    }
    const file = new File([body], n, { type: 'text/plain' });
    const dt = new DataTransfer();
    dt.items.add(file);
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    return file.size;
  }, [name, what] as const);
}

interface TreeBoxes {
  view: { x0: number; y0: number; x1: number; y1: number };
  k: number;
  nodes: { name: string; x0: number; y0: number; x1: number; y1: number; viewX0: number; font: number }[];
}

/** The domain tree's drawing on screen: its view, its zoom, and each node's box and smallest text. */
async function treeBoxes(page: Page): Promise<TreeBoxes> {
  return page.getByTestId('domain-tree').locator('svg[role="group"]').evaluate((svg) => {
    const r = svg.getBoundingClientRect();
    return {
      view: { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom },
      k: Number((svg as SVGSVGElement).dataset.k),
      nodes: [...svg.querySelectorAll('[data-domain]')].map((n) => {
        const b = n.getBoundingClientRect();
        const font = Math.min(...[...n.querySelectorAll('text')].map((t) => t.getBoundingClientRect().height));
        return { name: n.getAttribute('data-domain')!, x0: b.left, y0: b.top, x1: b.right, y1: b.bottom, viewX0: r.left, font };
      }),
    };
  });
}

/** The tree as it opens: its root (VECTOR) whole in view, at full size (text 11 px or more), no node cut at the left edge. */
async function expectTreeOpen(page: Page): Promise<void> {
  await expect.poll(async () => {
    const t = await treeBoxes(page);
    const root = t.nodes.find((n) => n.name === 'VECTOR')!;
    return root.x0 >= t.view.x0 && root.x1 <= t.view.x1 && root.y0 >= t.view.y0 && root.y1 <= t.view.y1;
  }).toBe(true);
  const t = await treeBoxes(page);
  expect(t.k).toBeGreaterThanOrEqual(1);
  expect(t.nodes.filter((n) => n.x0 < t.view.x0 - 0.5 && n.x1 > t.view.x0 + 0.5)).toEqual([]);
  // Every node whole in view or not in view at the top: the view starts on whole nodes.
  expect(t.nodes.filter((n) => n.y0 < t.view.y0 - 0.5 && n.y1 > t.view.y0 + 0.5 && n.x0 < t.view.x1 && n.x1 > t.view.x0)).toEqual([]);
  for (const n of t.nodes) expect(n.font).toBeGreaterThanOrEqual(11);
}

test('paste a /proc/interrupts: the tree, the devices and the heat map in the app\'s panels', async ({ page }) => {
  const app = new App(page);
  const text = readFileSync(existsSync(CAPTURE) ? CAPTURE : AMD, 'utf8');
  const proc = existsSync(CAPTURE) ? bootProc(CAPTURE) : text;
  // Read off the text: the CPU header, the NVMe function and its rows, the numbered rows in order.
  const header = proc.split('\n')[0].trim().split(/\s+/);
  const cpus = header.length;
  const nvme = [...proc.matchAll(/^\s*(\d+):((?:\s+\d+)+)\s+IR-PCI-MSIX-([0-9a-f:.]+)\s+\d+-edge\s+(nvme0q\d+)$/gm)];
  const bdf = nvme[0][3];
  const numbered = [...proc.matchAll(/^\s*(\d+):/gm)].map((m) => Number(m[1]));
  // The busiest NVMe cell: its column, CPU and count.
  let best = { col: 0, cpu: 0, n: -1, name: '' };
  for (const m of nvme) m[2].trim().split(/\s+/).map(Number).forEach((n, cpu) => {
    if (n > best.n) best = { col: numbered.indexOf(Number(m[1])), cpu, n, name: m[4] };
  });

  await page.goto('/');
  await expect(page.getByRole('region', { name: 'Open your machine' }).getByRole('link', { name: 'Download irqscope-collect' })).toHaveAttribute('href', /irqscope-collect$/);
  await app.shot('import-00-first-screen');
  const dlg = await openDialog(page);
  await dlg.getByLabel('Paste /proc/interrupts or a collector bundle').fill(proc);
  await app.shot('import-00-dialog');
  await dlg.getByRole('button', { name: 'Import' }).click();
  const view = page.getByRole('region', { name: 'Imported machine' });
  await expect(view).toBeVisible();
  await expect(page.getByTestId('import-facts')).toContainText(`${cpus} CPUs`);
  // The domain tree is the simulation's panel: same testids, same nodes; the chips' names as nodes.
  const tree = page.getByTestId('domain-tree');
  await expect(tree.locator(`[data-domain="IR-PCI-MSIX-${bdf}"]`)).toContainText(`${nvme.length} irqs`);
  await expect(tree.locator('[data-domain="VECTOR"]')).toBeVisible();
  await expect(tree.locator('[data-domain="IR-IO-APIC"]')).toBeVisible();
  await expect(tree.getByRole('button', { name: 'Fit tree to panel' })).toBeVisible();
  // It opens with its root whole in view, at full size, nothing cut at its left edge.
  await expectTreeOpen(page);
  // Devices with their vectors by index.
  const dev = page.getByRole('listitem', { name: `Device ${bdf}` });
  await expect(dev).toContainText('MSI-X');
  await expect(dev).toContainText(`${nvme.length} vectors`);
  await expect(dev.getByTestId('msi-entry')).toHaveCount(nvme.length);
  for (const [k, m] of nvme.entries()) await expect(dev.getByTestId('msi-entry').nth(k)).toContainText(m[4]);
  // The counts on the vector map's grid: a row per CPU, a column per numbered row.
  const heat = page.getByTestId('heat-map');
  await expect(heat.getByTestId('vector-canvas')).toHaveAttribute('aria-label', new RegExp(`${cpus} CPU columns by ${numbered.length} interrupts`));
  await expect(heat.getByTestId('vector-tile')).toHaveCount(1);
  const at = await gridPoint(page, best.cpu, best.col);
  await page.mouse.move(at.x, at.y);
  await expect(page.getByTestId('vector-tooltip')).toContainText(`${header[best.cpu]} · irq ${numbered[best.col]}: ${best.n}`);
  await expect(page.getByTestId('vector-tooltip')).toContainText(best.name);
  // A click on the cell picks the irq: its row in Devices and its domain in the tree.
  await page.mouse.click(at.x, at.y);
  await expect(dev.locator('[data-testid="msi-entry"][aria-selected="true"]')).toContainText(best.name);
  await expect(tree.locator(`[data-domain="IR-PCI-MSIX-${bdf}"]`)).toHaveAttribute('aria-pressed', 'true');
  // The picked domain is brought into view without leaving a node cut at the tree's left edge.
  await expect.poll(() => treeBoxes(page).then((t) => t.nodes.find((n) => n.name === `IR-PCI-MSIX-${bdf}`)!.x1 <= t.view.x1)).toBe(true);
  expect((await treeBoxes(page)).nodes.filter((n) => n.x0 < n.viewX0 - 0.5 && n.x1 > n.viewX0 + 0.5)).toEqual([]);
  await expect(page.getByTestId('import-unknown')).toContainText('vectors: no debugfs in the input');
  await expect(page.getByTestId('import-irqs')).toContainText(best.name);
  await app.shot('import-01-pasted');
  // Closing the import shows the first screen again, as it was.
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Open your machine…' })).toBeVisible();
});

test('open an import while a machine is open, and go back to it with its steps and undo', async ({ page }) => {
  const app = new App(page);
  await app.open('x86 · 4 CPUs · Intel IR');
  await page.waitForFunction(() => !!window.__irqscope);
  await page.evaluate(() => window.__irqscope!.runAction({ op: 'cpu_down', cpu: 3 }));
  await expect(page.getByTestId('machine-summary')).toContainText('3 online');
  const steps = await page.getByTestId('step-label').textContent();
  // The header's entry, from the keyboard.
  const entry = page.getByTestId('header-actions').getByRole('button', { name: 'Open your machine…' });
  await entry.focus();
  await page.keyboard.press('Enter');
  const dlg = page.getByRole('dialog', { name: 'Open your machine' });
  await dlg.getByLabel('Paste /proc/interrupts or a collector bundle').fill(readFileSync(AMD, 'utf8'));
  await dlg.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByRole('region', { name: 'Imported machine' })).toBeVisible();
  await expect(page.getByTestId('domain-tree').locator('[data-domain="VECTOR"]')).toBeVisible();
  await app.shot('import-04-over-a-machine');
  await page.getByRole('button', { name: /^Back to x86 · 4 CPUs · Intel IR/ }).click();
  await expect(page.getByRole('region', { name: 'Imported machine' })).toHaveCount(0);
  await expect(page.getByTestId('step-label')).toHaveText(steps!);
  await expect(page.getByTestId('machine-summary')).toContainText('3 online');
  await page.getByRole('button', { name: 'Undo edit' }).click();
  await app.idle();
  await expect(page.getByTestId('machine-summary')).not.toContainText('online');
});

test('while an import shows, the header and the keys leave the hidden machine alone; picking a machine leaves the import', async ({ page }) => {
  const app = new App(page);
  await app.open('x86 · 4 CPUs · Intel IR');
  await page.waitForFunction(() => !!window.__irqscope);
  await page.evaluate(() => window.__irqscope!.runAction({ op: 'cpu_down', cpu: 3 }));
  await expect(page.getByTestId('machine-summary')).toContainText('3 online');
  const steps = (await page.getByTestId('step-label').textContent())!;
  const header = page.getByTestId('header-actions');
  // What acts on the machine is in the header before the import.
  await expect(page.getByTestId('search-button')).toBeVisible();
  await expect(page.getByTestId('changes-button')).toBeVisible();
  await expect(page.getByTestId('kernel-select')).toBeVisible();
  await expect(header.getByRole('button', { name: 'Share' })).toBeVisible();
  await header.getByRole('button', { name: 'Open your machine…' }).click();
  const dlg = page.getByRole('dialog', { name: 'Open your machine' });
  await dlg.getByLabel('Paste /proc/interrupts or a collector bundle').fill(readFileSync(AMD, 'utf8'));
  await dlg.getByRole('button', { name: 'Import' }).click();
  const view = page.getByRole('region', { name: 'Imported machine' });
  await expect(view).toBeVisible();
  // The header: nothing of the hidden machine (its summary, Search, Changes, side by side, Share,
  // kernel); the picker says what is shown; Stories, the picker, theme and help stay.
  await expect(page.getByTestId('machine-summary')).toHaveCount(0);
  await expect(page.getByTestId('search-button')).toHaveCount(0);
  await expect(page.getByTestId('changes-button')).toHaveCount(0);
  await expect(page.getByLabel('Side by side')).toHaveCount(0);
  await expect(page.getByTestId('kernel-select')).toHaveCount(0);
  await expect(header.getByRole('button', { name: 'Share' })).toHaveCount(0);
  await expect(header.getByRole('button', { name: 'Stories' })).toBeVisible();
  await expect(page.getByLabel('Machine', { exact: true }).locator('option:checked')).toHaveText('Imported machine');
  await expectTreeOpen(page);
  await app.shot('import-07-header');
  // The keys that would change or step the hidden machine do nothing: allocate (a), raise (t),
  // cpu (c), Home/End, [ ], ← →, Space, Ctrl+Z, j, / (search). `?` still opens the help: had any
  // of them opened a dialog, it would not.
  await page.locator('body').click({ position: { x: 5, y: 760 } });
  for (const k of ['a', 't', 'c', 'Home', '[', 'ArrowLeft', ' ', 'Control+z', 'j', 'End', '/']) await page.keyboard.press(k);
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(page.getByTestId('search')).toHaveCount(0);
  await expect(help.getByTestId('help-import-note')).toContainText('An imported machine is shown');
  await expect(help.getByTestId('help-import-note')).toContainText('do nothing');
  await app.shot('import-08-help');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  // Escape acts on the import: it clears the import's selection.
  const irq = page.getByTestId('import-irqs').getByRole('button', { name: '0', exact: true });
  await irq.click();
  await expect(irq).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Escape');
  await expect(irq).toHaveAttribute('aria-pressed', 'false');
  await expect(view).toBeVisible();
  // Back to the machine: its step and its CPU as they were, no step or undo taken.
  await page.getByRole('button', { name: /^Back to x86 · 4 CPUs · Intel IR/ }).click();
  await app.idle();
  await expect(page.getByTestId('step-label')).toHaveText(steps);
  await expect(page.getByTestId('machine-summary')).toContainText('3 online');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('search-button')).toBeVisible();
  // Picking a machine from the header while an import shows leaves the import (after the usual question).
  await header.getByRole('button', { name: 'Open your machine…' }).click();
  await dlg.getByLabel('Paste /proc/interrupts or a collector bundle').fill(readFileSync(AMD, 'utf8'));
  await dlg.getByRole('button', { name: 'Import' }).click();
  await expect(view).toBeVisible();
  await page.getByLabel('Machine', { exact: true }).selectOption('x86-4');
  await page.getByRole('dialog', { name: 'Switch machine?' }).getByRole('button', { name: 'Switch' }).click();
  await expect(view).toHaveCount(0);
  await expect(page.getByTestId('machine-summary')).toContainText('no remapping');
  await expect(page.getByTestId('step-label')).toHaveText(/^step 0/);
});

test('a big file shows its reading progress, can be cancelled, and over 50 MB is refused', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new App(page);
  // A /proc/interrupts of 2,000 rows on 512 CPUs: about 11 MB. The files are made in the page and
  // chosen there (chooseInPage), so the test does not spend its time sending megabytes to the browser.
  const cpus = 512;
  const dlg = await openDialog(page);
  // Every state the progress bar shows is recorded as it is drawn.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    new MutationObserver(() => {
      const p = document.querySelector('[data-testid="import-progress"]');
      const t = p?.querySelector('[role="progressbar"]')?.getAttribute('aria-valuetext');
      if (t && seen.at(-1) !== t) seen.push(t);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const mb = ((await chooseInPage(page, 'big.txt', { cpus, rows: 2000 })) / 1e6).toFixed(0);
  await expect(page.getByRole('region', { name: 'Imported machine' })).toBeVisible({ timeout: 90_000 });
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  const reading = seen.filter((t) => t.startsWith('Reading big.txt:'));
  expect(reading.length).toBeGreaterThan(2);
  expect(reading.at(-1)).toBe(`Reading big.txt: ${mb} of ${mb} MB`);
  expect(seen.some((t) => t.startsWith('Parsing'))).toBe(true);
  await expect(page.getByTestId('heat-map').getByTestId('vector-canvas')).toHaveAttribute('aria-label', new RegExp(`${cpus} CPU columns by 2000 interrupts`));
  await app.shot('import-05-big');
  // The long lists draw only the rows in view: 2,000 vectors in Devices, 2,000 irqs in "Interrupts
  // and affinity", each told in aria-rowcount.
  const irqs = page.getByTestId('import-irqs');
  await expect(irqs).toHaveAttribute('aria-rowcount', '2001');
  expect(await irqs.locator('tbody tr:not([aria-hidden])').count()).toBeLessThan(200);
  const devices = page.getByTestId('import-devices');
  await expect(devices.getByTestId('device').locator('table')).toHaveAttribute('aria-rowcount', '2001');
  expect(await devices.getByTestId('msi-entry').count()).toBeLessThan(200);
  // Tab walks past the rows first drawn: from irq 30 (the first), 150 Tabs reach irq 180.
  await irqs.getByRole('button', { name: '30', exact: true }).focus();
  for (let k = 0; k < 150; k++) await page.keyboard.press('Tab');
  await expect(page.locator(':focus')).toHaveText('180');
  await expect(irqs.getByRole('button', { name: '180', exact: true })).toBeInViewport();
  // The list's end is a keystroke away (the panel body scrolls), and its last row is drawn there.
  await irqs.locator('xpath=ancestor::*[@data-panel-body][1]').press('End');
  await expect(irqs.getByRole('button', { name: '2029', exact: true })).toBeInViewport();
  // A cell of the heat map picks its irq: the Devices list scrolls its row into view.
  const at = await gridPoint(page, 0, 1000);
  await page.mouse.click(at.x, at.y);
  const picked = devices.locator('[data-testid="msi-entry"][aria-selected="true"]');
  await expect(picked).toContainText('q1030');
  await expect(picked).toBeInViewport();
  await app.shot('import-05-big-picked');

  // Stop while reading: the file's stream is held after its first chunk (here, not in the app) so
  // the click lands mid-read; the read is cancelled, the dialog stays, the open import stays.
  await page.evaluate(() => {
    const w = window as unknown as { release: () => void; cancelled: boolean };
    const hold = new Promise<void>((r) => (w.release = r));
    w.cancelled = false;
    const orig = File.prototype.stream;
    File.prototype.stream = function (this: File) {
      const reader = orig.call(this).getReader();
      let n = 0;
      return new ReadableStream<Uint8Array>({
        async pull(c) {
          if (n++ === 1) await hold;
          const { done, value } = await reader.read();
          if (done) c.close();
          else c.enqueue(value);
        },
        cancel() {
          w.cancelled = true;
          return reader.cancel();
        },
      }) as ReturnType<File['stream']>;
    };
  });
  await page.getByRole('button', { name: 'Import another…' }).click();
  await chooseInPage(page, 'big2.txt', { cpus, rows: 2000 });
  await expect(dlg.getByRole('progressbar', { name: 'Reading the file' })).toHaveAttribute('aria-valuetext', /^Reading big2\.txt: [\d.]+ of \d+ MB$/);
  await app.shot('import-05-progress');
  await dlg.getByTestId('import-progress').getByRole('button', { name: 'Stop' }).click();
  await expect(dlg.getByTestId('import-progress')).toHaveCount(0);
  await page.evaluate(() => (window as unknown as { release: () => void }).release());
  await page.waitForFunction(() => (window as unknown as { cancelled: boolean }).cancelled);
  await expect(dlg).toBeVisible();
  await expect(dlg.getByRole('alert')).toHaveCount(0);
  // Over 50 MB is refused before it is read.
  await chooseInPage(page, 'huge.txt', { bytes: 51_000_000 });
  await expect(dlg.getByRole('alert')).toContainText('huge.txt is 51.0 MB; the limit is 50 MB');
  await dlg.getByRole('button', { name: 'Close dialog' }).click();
  await expect(page.getByTestId('import-facts')).toContainText(`${cpus} CPUs`);
});

test('drop the collector\'s bundle (collected on this machine)', async ({ page }) => {
  const bundle = execFileSync('sh', ['scripts/irqscope-collect'], { encoding: 'utf8' });
  const release = /^@@ command uname -r\n(.*)$/m.exec(bundle)![1];
  const bdfs = new Set([...bundle.matchAll(/^\/sys\/bus\/pci\/devices\/([^/]+)\/msi_irqs\/\d+:/gm)].map((m) => m[1]));
  await openDialog(page);
  await dropText(page, bundle, 'machine.txt');
  await expect(page.getByRole('region', { name: 'Imported machine' })).toBeVisible();
  await expect(page.getByTestId('import-facts')).toContainText(`kernel ${release}`);
  if (bdfs.size) await expect(page.getByTestId('import-devices').locator(':scope > li')).toHaveCount(bdfs.size);
  await expect(page.getByTestId('import-unknown')).not.toContainText('affinity: no /proc/irq');
  await new App(page).shot('import-02-bundle');
});

test('a hostile name is shown as text, binary is refused, and a bad paste names its line', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', () => void dialogs++);
  const dlg = await openDialog(page);
  await dlg.getByLabel('Paste /proc/interrupts or a collector bundle').fill('this is not it\n');
  await dlg.getByRole('button', { name: 'Import' }).click();
  await expect(dlg.getByRole('alert')).toContainText('line 1: "this is not it" — expected the CPU header');
  await dropText(page, '\u0000\u0001\u0002ELF', 'a.out');
  await expect(dlg.getByRole('alert')).toContainText('binary');
  const evil = '<img src=x onerror=alert(1)>';
  await dlg.getByLabel('Paste /proc/interrupts or a collector bundle').fill(`           CPU0       CPU1\n 30:          1          0  IR-PCI-MSIX-0000:01:00.0    0-edge      ${evil}\n`);
  await dlg.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('import-devices')).toContainText(evil);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test('continue a capture as a simulation and take a CPU offline', async ({ page }) => {
  test.skip(!existsSync(CAPTURE), 'needs the 7.2 x86 capture');
  const app = new App(page);
  const capture = readFileSync(CAPTURE, 'utf8');
  await openDialog(page);
  await page.getByLabel('Choose a capture file').setInputFiles({ name: 'capture.txt', mimeType: 'text/plain', buffer: Buffer.from(capture) });
  await expect(page.getByRole('region', { name: 'Imported machine' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue as a simulation' }).click();
  await expect(page.getByTestId('machine-summary')).toContainText('4 CPUs');
  const note = page.getByRole('complementary', { name: 'Reconstructed from an import' });
  await expect(note).toContainText('parts are reconstructed');
  await note.getByRole('button', { name: 'which?' }).click();
  await expect(note).toContainText('kernel profile 7.2: from uname -r 7.2');
  // The devices and the queues' names came across.
  await expect(app.proc).toContainText('nvme0q1');
  await expect(app.proc).toContainText('IR-PCI-MSIX-0000:00:02.0');
  const label = await app.cellPoint(2, null);
  await page.mouse.click(label.x, label.y);
  await page.getByRole('button', { name: 'cpu_down 2' }).click();
  await app.idle();
  await expect(page.getByTestId('machine-summary')).toContainText('3 online');
  await app.shot('import-03-simulation');
});

test('continue a paste with a shared irq as a simulation: every action requested, irq numbers mapped, a CPU offline', async ({ page }) => {
  const app = new App(page);
  // One MSI-X vector with two actions (a shared irq), and an MSI function numbered apart.
  const paste = readFileSync('src/ui/import/testdata/shared-msix.txt', 'utf8');
  const dlg = await openDialog(page);
  await dlg.getByLabel('Paste /proc/interrupts or a collector bundle').fill(paste);
  await dlg.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('import-simulation')).toContainText('every action of a shared irq is requested');
  await expect(page.getByTestId('import-simulation')).toContainText('30 → 28');
  await page.getByRole('button', { name: 'Continue as a simulation' }).click();
  await expect(page.getByTestId('machine-summary')).toContainText('4 CPUs');
  await expect(app.proc).toContainText('nvme0q1, nvme0q1-poll');
  const note = page.getByRole('complementary', { name: 'Reconstructed from an import' });
  await note.getByRole('button', { name: 'which?' }).click();
  await expect(note).toContainText('imported irq → simulated irq: 30 → 28');
  await app.shot('import-06-shared');
  const label = await app.cellPoint(1, null);
  await page.mouse.click(label.x, label.y);
  await page.getByRole('button', { name: 'cpu_down 1' }).click();
  await app.idle();
  await expect(page.getByTestId('machine-summary')).toContainText('3 online');
  await expect(app.proc).toContainText('nvme0q1, nvme0q1-poll');
});
