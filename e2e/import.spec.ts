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

test('paste a /proc/interrupts: the tree, the devices and the heat map', async ({ page }) => {
  const app = new App(page);
  const text = readFileSync(existsSync(CAPTURE) ? CAPTURE : AMD, 'utf8');
  const proc = existsSync(CAPTURE) ? bootProc(CAPTURE) : text;
  // Read off the text: the CPU header, the NVMe function and its rows.
  const cpus = proc.split('\n')[0].trim().split(/\s+/).length;
  const nvme = [...proc.matchAll(/IR-PCI-MSIX-([0-9a-f:.]+)\s+\d+-edge\s+nvme0q\d+$/gm)];
  const bdf = nvme[0][1];

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
  const tree = page.getByTestId('import-tree');
  await expect(tree).toContainText(`IR-PCI-MSIX-${bdf}`);
  await expect(tree).toContainText('VECTOR');
  const dev = page.getByRole('listitem', { name: `Device ${bdf}` });
  await expect(dev).toContainText('MSI-X');
  await expect(dev).toContainText(`${nvme.length} vectors`);
  await expect(dev.locator('tbody tr')).toHaveCount(nvme.length);
  await expect(page.getByTestId('import-heatmap')).toBeVisible();
  await expect(page.getByTestId('import-unknown')).toContainText('vectors: no debugfs in the input');
  await app.shot('import-01-pasted');
  // Closing the import shows the first screen again, as it was.
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Open your machine…' })).toBeVisible();
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
