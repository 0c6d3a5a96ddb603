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

test('a big file shows its reading progress, can be cancelled, and over 50 MB is refused', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new App(page);
  // A /proc/interrupts of 2,000 rows on 512 CPUs: about 11 MB.
  const cpus = 512;
  const head = Array.from({ length: cpus }, (_, i) => `CPU${i}`.padStart(11)).join('') + '\n';
  const row = (n: number) => `${String(n).padStart(5)}:${Array.from({ length: cpus }, (_, c) => String((n * 7 + c) % 1000).padStart(11)).join('')}  IR-PCI-MSIX-0000:01:00.0  ${n}-edge      q${n}\n`;
  const big = head + Array.from({ length: 2000 }, (_, n) => row(n + 30)).join('');
  const mb = (big.length / 1e6).toFixed(0);
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
  await page.getByLabel('Choose a capture file').setInputFiles({ name: 'big.txt', mimeType: 'text/plain', buffer: Buffer.from(big) });
  await expect(page.getByRole('region', { name: 'Imported machine' })).toBeVisible({ timeout: 90_000 });
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  const reading = seen.filter((t) => t.startsWith('Reading big.txt:'));
  expect(reading.length).toBeGreaterThan(2);
  expect(reading.at(-1)).toBe(`Reading big.txt: ${mb} of ${mb} MB`);
  expect(seen.some((t) => t.startsWith('Parsing'))).toBe(true);
  await expect(page.getByTestId('heat-map').getByTestId('vector-canvas')).toHaveAttribute('aria-label', new RegExp(`${cpus} CPU columns by 2000 interrupts`));
  await app.shot('import-05-big');

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
  await page.getByLabel('Choose a capture file').setInputFiles({ name: 'big2.txt', mimeType: 'text/plain', buffer: Buffer.from(big.replace('q30', 'other30')) });
  await expect(dlg.getByRole('progressbar', { name: 'Reading the file' })).toHaveAttribute('aria-valuetext', /^Reading big2\.txt: [\d.]+ of \d+ MB$/);
  await app.shot('import-05-progress');
  await dlg.getByTestId('import-progress').getByRole('button', { name: 'Stop' }).click();
  await expect(dlg.getByTestId('import-progress')).toHaveCount(0);
  await page.evaluate(() => (window as unknown as { release: () => void }).release());
  await page.waitForFunction(() => (window as unknown as { cancelled: boolean }).cancelled);
  await expect(dlg).toBeVisible();
  await expect(dlg.getByRole('alert')).toHaveCount(0);
  // Over 50 MB is refused before it is read.
  await page.getByLabel('Choose a capture file').setInputFiles({ name: 'huge.txt', mimeType: 'text/plain', buffer: Buffer.alloc(51_000_000, 'a') });
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
