// The visualizer as a user drives it: pick a machine, allocate, request, raise, move,
// get refused, step back. Each test asserts what the panels show.

import { expect, test } from '@playwright/test';
import { App } from './app';

const NVME = '0000:3d:00.0';
const NIC = '0000:01:00.0';
const IR4 = 'x86 · 4 CPUs · Intel IR';

test.use({ viewport: { width: 1366, height: 768 } });

test('the first screen says what irqscope is and offers the machines', async ({ page }) => {
  const app = new App(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Watch Linux route an interrupt.' })).toBeVisible();
  await expect(page.getByText(/runs a model of the Linux kernel's interrupt core/)).toBeVisible();
  for (const t of [IR4, 'x86 · 4 CPUs · no remapping', 'x86 · 64 CPUs · Intel IR']) {
    await expect(page.getByRole('button', { name: new RegExp(t) })).toBeVisible();
  }
  await app.shot('01-empty');
});

test('NVMe preset: MSI-X with AFFINITY fills the descriptor store and /proc/interrupts', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  await expect(page.getByTestId('machine-summary')).toContainText('x86 · 4 CPUs · Intel IR');
  // The boot hierarchy: VECTOR at the root with the IR domain below it.
  const tree = app.region('Domain tree');
  await expect(tree.locator('[data-domain="VECTOR"]')).toBeVisible();
  await expect(tree.locator('[data-domain^="INTEL-IR"]')).toBeVisible();

  await app.allocate({ dev: NVME, min: 1, max: 4, flags: ['MSIX', 'AFFINITY'] });
  await expect(app.toast).toContainText('pci_alloc_irq_vectors = 4');
  const nvme = app.device(NVME);
  await expect(nvme.getByTestId('msi-entry')).toHaveCount(4);
  await expect(nvme.getByTestId('msi-store')).toContainText(`IR-PCI-MSIX-${NVME}`);
  await expect(nvme.getByTestId('msi-store')).toContainText('hwsize 65');
  // The unused rest of the table is shown as one gap.
  await expect(nvme.getByTestId('msi-gap')).toHaveText(/4–64\s*61 free indices/);
  await expect(nvme.getByTestId('msi-entry').first()).toContainText('A'); // managed
  // The per-device domain appears in the tree.
  await expect(tree.locator(`[data-domain^="IR-PCI-MSIX-${NVME}"]`)).toBeVisible();

  await app.selectEntry(NVME, 1);
  await app.requestIrq('nvme0q1');
  const row = app.proc.locator('[data-virq]', { hasText: 'nvme0q1' });
  await expect(row).toContainText(`IR-PCI-MSIX-${NVME}`);
  await expect(row).toContainText('1-edge');
  // The selected interrupt's chain is lit at every level of the tree.
  await expect(tree.locator('[data-domain="VECTOR"]')).toHaveAccessibleDescription(/hwirq 0x[0-9a-f]+/);
  await expect(tree.locator('[data-domain^="INTEL-IR"]')).toHaveAccessibleDescription(/hwirq 0x[0-9a-f]+/);
  await expect(tree.getByTestId('chain-level')).toHaveCount(3);
  await expect(app.inspector).toContainText('IRQD_AFFINITY_MANAGED');
  // The vector map's cell of that interrupt names it on hover (vector and CPU from debugfs).
  const text = await app.inspector.innerText();
  const vector = Number(/Vector:\s+(\d+)/.exec(text)![1]);
  const cpu = Number(/Target:\s+(\d+)/.exec(text)![1]);
  const cell = await app.cellPoint(cpu, vector);
  await page.mouse.move(cell.x, cell.y);
  await expect(page.getByTestId('vector-tooltip')).toContainText(`CPU${cpu} · vector 0x${vector.toString(16)}`);
  await expect(page.getByTestId('vector-tooltip')).toContainText('nvme0q1');
  await app.shot('02-nvme-requested');
});

test('without remapping the chain is PCI/MSI straight onto VECTOR; a domain click shows its debugfs file', async ({ page }) => {
  const app = new App(page);
  await app.open('x86 · 4 CPUs · no remapping');
  await expect(page.getByTestId('machine-summary')).toContainText('no remapping');
  const tree = app.region('Domain tree');
  await expect(tree.locator('[data-domain^="INTEL-IR"]')).toHaveCount(0);
  await app.allocate({ dev: NIC, min: 1, max: 1, flags: ['MSI'] });
  await expect(app.device(NIC).getByTestId('msi-store')).toContainText(`PCI-MSI-${NIC}`);
  await expect(app.device(NIC).getByTestId('msi-store')).not.toContainText('IR-PCI');
  await app.selectEntry(NIC, 0);
  await expect(tree.getByTestId('chain-level')).toHaveCount(2);

  // Clicking a domain selects it: the inspector shows domains/NAME (VECTOR prints its matrix).
  await tree.locator('[data-domain="VECTOR"]').click();
  await expect(page.getByTestId('inspector-path')).toHaveText('# cat /sys/kernel/debug/irq/domains/VECTOR');
  await expect(app.inspector).toContainText('Online bitmaps:');
  await expect(app.inspector).toContainText('| CPU | avl | man | mac | act | vectors');

  // Ctrl+wheel zooms the tree and a drag pans it.
  const g = tree.locator('svg[role="group"] > g').first();
  const before = await g.getAttribute('transform');
  const box = (await tree.locator('svg[role="group"]').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await expect(g).not.toHaveAttribute('transform', before!);
  const zoomed = await g.getAttribute('transform');
  await page.mouse.move(box.x + 20, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + 80, box.y + 60, { steps: 4 });
  await page.mouse.up();
  await expect(g).not.toHaveAttribute('transform', zoomed!);
  await app.shot('03-no-remap-domain');
});

test('the selected chain stays lit whatever the animation of the last call is doing', async ({ page }) => {
  // A selection made after (or while) a call's animation plays keeps its hwirq badges at every
  // level: the travel's labels go below them, never in their place.
  const app = new App(page);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await app.open('x86 · 4 CPUs · no remapping');
  await app.allocate({ dev: NIC, min: 1, max: 1, flags: ['MSI'] });
  const tree = app.region('Domain tree');
  const propagation = app.region('Propagation');
  await propagation.getByRole('button', { name: 'Skip to the end' }).click();
  await expect(propagation.getByTestId('travel-body')).toHaveAttribute('data-done', 'true');
  await app.selectEntry(NIC, 0);
  await expect(tree.getByTestId('chain-level')).toHaveCount(2);
  await expect(tree.locator('[data-domain="VECTOR"]')).toHaveAccessibleDescription(/hwirq/);
  // A new call's animation (request_irq) plays over the same levels: the badges stay.
  await app.requestIrq('nic-0');
  await expect(tree.getByTestId('chain-level')).toHaveCount(2);
  await propagation.getByRole('button', { name: 'Skip to the end' }).click();
  await expect(tree.getByTestId('chain-level')).toHaveCount(2);
});

test('raising an interrupt moves its /proc/interrupts count', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  await app.allocate({ dev: NVME, min: 1, max: 4, flags: ['MSIX', 'AFFINITY'] });
  await app.selectEntry(NVME, 2);
  await app.requestIrq('nvme0q2');
  const virq = Number(await app.proc.locator('[data-virq]', { hasText: 'nvme0q2' }).getAttribute('data-virq'));
  const before = (await app.procRow(virq)).total;
  await app.raise(NVME, 2);
  await app.raise(NVME, 2);
  await expect.poll(async () => (await app.procRow(virq)).total).toBe(before + 2);
  await app.shot('04-raised');
});

test('the /proc write moves a non-managed interrupt; a managed one refuses it (-EPERM on 7.2), irq_set_affinity() moves it', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  await app.allocate({ dev: NVME, min: 1, max: 4, flags: ['MSIX'] });
  await app.selectEntry(NVME, 0);
  await app.requestIrq('nvme0q0');
  await expect(app.inspector).toContainText('IRQD_IRQ_STARTED');
  const before = await app.inspector.innerText();
  await app.setAffinity([3]);
  await expect(app.toast).toContainText('write_irq_affinity = 2'); // count: the bytes of "3\n"
  await expect(app.inspector).toContainText(/^affinity: 3$/m);
  await expect(app.inspector).toContainText(/^effectiv: 3$/m);
  await expect(app.inspector).toContainText(/Target:\s+3/);
  expect(await app.inspector.innerText()).not.toBe(before);
  await app.shot('05-affinity');

  // A managed interrupt's affinity belongs to the kernel: -EPERM (7.2's write_irq_affinity()), and nothing changes.
  await app.allocate({ dev: NIC, min: 1, max: 1, flags: ['MSI', 'AFFINITY'] });
  const nicVirq = await app.selectEntry(NIC, 0);
  const managed = await app.inspector.innerText();
  // The dialog says so before the click.
  await page.getByRole('button', { name: 'Affinity…' }).click();
  const dlg = page.getByRole('dialog', { name: `Affinity of irq ${nicVirq}` });
  await expect(dlg.getByTestId('affinity-managed')).toContainText('-EPERM');
  await dlg.getByLabel('irq_set_affinity()', { exact: true }).check();
  await expect(dlg.getByTestId('affinity-managed')).toContainText('Only the kernel’s own call');
  await dlg.getByRole('button', { name: 'Cancel' }).click();
  await app.setAffinity([1]);
  await expect(app.toast).toContainText('-EPERM');
  expect(await app.inspector.innerText()).toBe(managed);
  // The in-kernel call is not refused for being managed.
  await app.setAffinity([1], 'irq_set_affinity()');
  await expect(app.toast).toHaveAttribute('data-tone', 'ok');
  await expect(app.toast).toContainText('irq_set_affinity');
});

test('a refused action shows its errno and changes nothing', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  await expect(app.proc).toContainText('timer');
  const procBefore = await app.proc.innerText();
  await app.allocate({ dev: NVME, min: 66, max: 66, flags: ['MSIX'] });
  await expect(app.toast).toHaveAttribute('data-tone', 'error');
  await expect(app.toast).toContainText('-ENOSPC');
  await expect(app.toast).toContainText('pci_alloc_irq_vectors refused');
  await expect(app.device(NVME).getByTestId('msi-entry')).toHaveCount(0);
  await expect(app.log.getByTestId('log-refusal')).toContainText('-ENOSPC');
  await expect(app.log.getByTestId('log-step')).toHaveCount(1); // only the boot step
  expect(await app.proc.innerText()).toBe(procBefore);
  await app.shot('06-refused');

  // Beyond the table with dynamic allocation: -ERANGE, with the engine's reason.
  await app.allocate({ dev: NVME, min: 1, max: 2, flags: ['MSIX'] });
  await page.getByRole('button', { name: 'MSI-X at…' }).click();
  const dlg = page.getByRole('dialog', { name: 'pci_msix_alloc_irq_at()' });
  await dlg.getByLabel('MSI-X index').fill('65');
  await dlg.getByRole('button', { name: 'Allocate' }).click();
  await expect(app.toast).toContainText('-ERANGE');
  await expect(app.toast).toContainText('beyond hwsize 65');
  await expect(app.device(NVME).getByTestId('msi-entry')).toHaveCount(2);
});

test('clicking a log step shows the machine as it was, and a new action asks before cutting', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  await app.allocate({ dev: NVME, min: 1, max: 4, flags: ['MSIX', 'AFFINITY'] });
  await app.selectEntry(NVME, 1);
  await app.requestIrq('nvme0q1');
  await expect(app.proc).toContainText('nvme0q1');
  await expect(app.log).toContainText('step 2 / 2');

  // Open the trace of step 1: kernel functions link to Elixir.
  const step1 = app.log.locator('[data-testid="log-step"][data-step="1"]');
  await step1.getByRole('button', { name: /kernel call trace/ }).click();
  const link = step1.getByTestId('trace').getByRole('link').first();
  const fn = await link.innerText();
  expect(fn).toMatch(/^pci_alloc_irq_vectors/);
  await expect(link).toHaveAttribute('href', new RegExp(`^https://elixir\\.bootlin\\.com/linux/(latest|v[0-9.]+)/A/ident/${fn}$`));
  await expect(step1.getByTestId('trace')).toContainText('msi_create_device_irq_domain');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener/);
  await app.shot('07-trace');

  await step1.getByRole('button', { name: /pci_alloc_irq_vectors/ }).click();
  await app.idle();
  await expect(app.log).toContainText('step 1 / 2');
  await expect(app.proc).not.toContainText('nvme0q1');
  await expect(app.device(NVME).getByTestId('msi-entry')).toHaveCount(4);
  await expect(step1).toHaveAttribute('aria-current', 'step');

  await app.log.locator('[data-testid="log-step"][data-step="0"]').getByRole('button').click();
  await app.idle();
  await expect(app.device(NVME).getByTestId('msi-entry')).toHaveCount(0);
  await app.shot('08-step0');

  // Acting in the past asks first; cancelling keeps both steps.
  await app.page.keyboard.press('End');
  await app.idle();
  await expect(app.proc).toContainText('nvme0q1');
  await app.page.keyboard.press('[');
  await app.idle();
  await app.raise(NVME, 1);
  const confirm = page.getByRole('dialog', { name: 'Cut the later steps?' });
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(app.log).toContainText('step 1 / 2');
});

test('keyboard help, Escape and the theme toggle', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('request_irq');
  await app.shot('09-help');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');

  const html = page.locator('html');
  const dark = await html.evaluate((e) => e.classList.contains('dark'));
  await page.getByRole('button', { name: dark ? 'Switch to light theme' : 'Switch to dark theme' }).click();
  await expect(html).toHaveClass(dark ? /^(?!.*dark)/ : /dark/);
  // Keyboard-only allocation: a opens the dialog with focus inside, Enter submits.
  await page.keyboard.press('a');
  const dlg = page.getByRole('dialog', { name: 'pci_alloc_irq_vectors()' });
  await expect(dlg).toBeVisible();
  await expect(dlg.getByLabel('Device')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dlg).toBeHidden();
  await expect(app.toast).toContainText('pci_alloc_irq_vectors');
  await app.selectEntry(NVME, 0);
  await app.shot('10-dark');
});

test('the 64-CPU machine draws its vector map and takes a CPU offline', async ({ page }) => {
  const app = new App(page);
  await app.open('x86 · 64 CPUs · Intel IR');
  await expect(page.getByTestId('machine-summary')).toContainText('64 CPUs');
  await app.allocate({ dev: NVME, min: 1, max: 64, flags: ['MSIX', 'AFFINITY'] });
  await expect(app.device(NVME).getByTestId('msi-entry')).toHaveCount(64);
  const canvas = page.getByTestId('vector-canvas');
  await expect(canvas).toBeVisible();
  // Hover CPU 5's row, vector 0x21: the tooltip names them.
  const cell = await app.cellPoint(5, 0x21);
  await page.mouse.move(cell.x, cell.y);
  await expect(page.getByTestId('vector-tooltip')).toContainText('CPU5 · vector 0x21');
  const label = await app.cellPoint(5, null);
  await page.mouse.click(label.x, label.y);
  await expect(page.getByRole('button', { name: 'cpu_down 5' })).toBeVisible();
  await page.getByRole('button', { name: 'cpu_down 5' }).click();
  await app.idle();
  await expect(page.getByTestId('machine-summary')).toContainText('63 online');
  await app.shot('11-64cpus');
});
