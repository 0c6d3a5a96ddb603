// The kernel as an axis of the app: the selector beside the machine replays the same machine on
// another kernel (/proc/interrupts changes layout as each real kernel prints it), the header,
// link and stories name it, traces link to the source at that version and say in one line where
// it behaves differently. Screenshots in reports/screens/kernel-*.png.

import { expect, test, type Page } from '@playwright/test';
import { App } from './app';

const QEMU_IR = 'QEMU q35 · VT-d remapping';

/** The /proc/interrupts lines the panel draws, one string a line. */
function procText(page: Page): Promise<string> {
  return page.getByTestId('proc-text').evaluate((el) => [...el.querySelectorAll('.whitespace-pre')].map((d) => d.textContent).join('\n'));
}

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const want = theme === 'dark' ? 'Switch to dark theme' : 'Switch to light theme';
  const toggle = page.getByRole('button', { name: want });
  if (await toggle.count()) await toggle.click();
}

test('the QEMU machines have their own group on the first screen', async ({ page }) => {
  await page.goto('/');
  const group = page.getByRole('region', { name: 'QEMU machines, held to real kernels' });
  await expect(group.getByRole('button')).toHaveText([/QEMU q35 · VT-d remapping/, /QEMU q35 · no remapping/, /QEMU virt · GICv3 ITS/]);
  // Stories say which kernel they run.
  await expect(page.getByRole('list', { name: 'Guided stories' }).getByRole('button').first()).toContainText(/ · Linux (6\.1|6\.12|7\.2) · /);
  const app = new App(page);
  await app.shot('kernel-first-screen');
});

test('switching the kernel on qemu-q35-ir changes /proc/interrupts as each kernel prints it; undo goes back', async ({ page }) => {
  const app = new App(page);
  await app.open(QEMU_IR);
  const select = page.getByLabel('Kernel', { exact: true });
  await expect(select).toHaveValue('7.2');
  await expect(select.locator('option:checked')).toHaveText('Linux 7.2');
  // 7.2 (irq_seq_show): the chip column padded to the longest chip name, NMI aligned with the irq column.
  await expect.poll(() => procText(page)).toMatch(/^ {3}1:(?: +0){4} {2}IR-IO-APIC {18}1-edge {6}i8042$/m);
  await expect.poll(() => procText(page)).toMatch(/^ NMI:(?: +0){4} {2}Non-maskable interrupts$/m);

  await select.selectOption('6.12');
  await app.idle();
  await expect(select.locator('option:checked')).toHaveText('Linux 6.12');
  // 6.12 (show_interrupts): "%10u " counts, " %8s" chip (two blanks before it), NMI at the margin.
  await expect.poll(() => procText(page)).toMatch(/^ {2}1: (?: {9}0 ){4} IR-IO-APIC {3}1-edge {6}i8042$/m);
  await expect.poll(() => procText(page)).toMatch(/^NMI: (?: {9}0 ){4} {2}Non-maskable interrupts$/m);
  await expect.poll(() => procText(page)).not.toMatch(/^ NMI:/m);
  await app.shot('kernel-q35-ir-6.12');

  // A jump like a machine switch: Ctrl+Z brings 7.2 back.
  await page.locator('body').click({ position: { x: 5, y: 200 } });
  await page.keyboard.press('Control+z');
  await app.idle();
  await expect(select).toHaveValue('7.2');
  await expect.poll(() => procText(page)).toMatch(/^ NMI:/m);
});

test('a share link reopens on the chosen kernel; the report names it', async ({ page, context }) => {
  const app = new App(page);
  await app.open(QEMU_IR);
  await page.getByLabel('Kernel', { exact: true }).selectOption('6.1');
  await app.idle();
  await expect(page.getByLabel('Kernel', { exact: true })).toHaveValue('6.1');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const dlg = page.getByRole('dialog');
  const link = await dlg.getByTestId('share-link').inputValue();
  // A picker machine: the link carries its id (#s2/), so the reopened page names it.
  expect(link).toMatch(/#s2\//);
  await expect(dlg.getByTestId('share-report')).toHaveValue(/^Machine: x86, Linux 6\.1, 4 CPUs/m);

  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByTestId('machine-summary')).toBeVisible();
  await expect(other.getByLabel('Kernel', { exact: true })).toHaveValue('6.1');
  // 6.1: 3-wide irq numbers, the chip right-aligned after two blanks; one global IR-PCI-MSI domain.
  await expect.poll(() => procText(other)).toMatch(/^ {2}1: (?: {9}0 ){4} IR-IO-APIC/m);
  await expect.poll(() => procText(other)).toMatch(/^ 25: (?: {9}0 ){4} IR-PCI-MSI 32768-edge {6}nvme0q0$/m);
  await other.close();
});

test('trace links point at the chosen version and a differing fact is said in one line', async ({ page }) => {
  const app = new App(page);
  await app.open(QEMU_IR);
  await page.getByLabel('Kernel', { exact: true }).selectOption('6.12');
  await app.idle();
  await page.waitForFunction(() => !!window.__irqscope);
  // Take a CPU with a managed NVMe queue down: 6.12 resets the disable depth, 7.2 keeps it.
  await page.evaluate(() => window.__irqscope!.runAction({ op: 'cpu_down', cpu: 3 }));
  await app.idle();
  const entry = app.log.locator('[data-testid="log-step"][data-step="1"]');
  await entry.getByRole('button', { name: /kernel call trace/ }).click();
  const first = entry.getByTestId('trace').locator('a[href*="elixir.bootlin.com"]').first();
  await expect(first).toHaveAttribute('href', /\/linux\/v6\.12\/A\/ident\//);
  const fact = entry.locator('[data-fact="managedShutdownKeepsDepth"]');
  await expect(fact).toContainText('before 6.16: a managed interrupt shut down on CPU offline gets depth 1');
  await expect(fact.getByRole('link', { name: 'kernel/irq/chip.c in Linux 6.1', exact: true })).toHaveAttribute('href', 'https://elixir.bootlin.com/linux/v6.1/source/kernel/irq/chip.c');
  await expect(fact.getByRole('link', { name: 'kernel/irq/chip.c in Linux 7.2' })).toHaveAttribute('href', 'https://elixir.bootlin.com/linux/v7.2/source/kernel/irq/chip.c');
  await app.shot('kernel-trace-fact-light');
  await setTheme(page, 'dark');
  await app.shot('kernel-trace-fact-dark');
  await setTheme(page, 'light');

  // The inspector of a managed queue says the same where it applies.
  const virq = await app.selectEntry('0000:00:02.0', 1);
  expect(virq).toBeGreaterThan(0);
  await expect(page.getByRole('region', { name: 'Inspector' }).locator('[data-fact="managedShutdownKeepsDepth"]')).toContainText('before 6.16');

  // On 7.2 the line turns around.
  await page.getByLabel('Kernel', { exact: true }).selectOption('7.2');
  await app.idle();
  await expect(page.getByRole('region', { name: 'Inspector' }).locator('[data-fact="managedShutdownKeepsDepth"]')).toContainText('since 6.16: a managed interrupt shut down on CPU offline adds to its disable depth');
});

test('an AFFINITY allocation says how 7.2 spreads queues over clusters', async ({ page }) => {
  const app = new App(page);
  await app.open('x86 · 4 CPUs · Intel IR');
  await app.allocate({ dev: '0000:3d:00.0', min: 1, max: 4, flags: ['MSIX', 'AFFINITY'] });
  const entry = app.log.locator('[data-testid="log-step"][data-step="1"]');
  await entry.getByRole('button', { name: /kernel call trace/ }).click();
  await expect(entry.locator('[data-fact="groupCpusByCluster"]')).toContainText('since a change between 6.12 and 7.2: managed queues are spread over CPU clusters first');
});

test('stories state their kernel in the picker', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Stories', exact: true }).click();
  const dlg = page.getByRole('dialog', { name: 'Guided stories' });
  const kernels = await dlg.getByTestId('story-kernel').allInnerTexts();
  expect(kernels.length).toBeGreaterThan(5);
  expect(kernels.every((k) => /^Linux (6\.1|6\.12|7\.2)$/.test(k))).toBe(true);
});
