// What the kernel answered, as a kernel developer reads it: each call's own return value (the
// engine's `ret`) with the interrupt apart, a move's trace in the order the kernel runs it, and a
// share link that reopens the refused calls and the machine's name.

import { expect, test, type Page } from '@playwright/test';
import { App } from './app';
import { STORIES } from '../src/scenario/stories';

test.use({ viewport: { width: 1366, height: 768 } });

const NVME = '0000:3d:00.0';
const IR4 = 'x86 · 4 CPUs · Intel IR';

function logStep(app: App, k: number) {
  return app.log.locator(`[data-testid="log-step"][data-step="${k}"]`);
}

/** The trace of a log entry, opened, as its lines read top to bottom. */
async function traceLines(page: Page, entry: ReturnType<typeof logStep>): Promise<string[]> {
  await entry.getByRole('button', { name: /kernel call trace/ }).click();
  const lines = entry.locator('[data-testid="trace"] [data-trace-line]');
  await expect(lines.first()).toBeVisible();
  void page;
  return (await lines.allInnerTexts()).map((t) => t.trim());
}

const index = (ls: string[], re: RegExp) => {
  const i = ls.findIndex((l) => re.test(l));
  expect(i, `a line matching ${re}`).toBeGreaterThanOrEqual(0);
  return i;
};

test('each call shows what its kernel function returns, the virq apart: log, status line, mail report', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  await app.allocate({ dev: NVME, min: 1, max: 2, flags: ['MSIX'] });
  await expect(app.toast).toContainText('pci_alloc_irq_vectors = 2');
  const virq = await app.selectEntry(NVME, 1);
  await app.requestIrq('nvme0q1');
  await expect(app.toast.getByTestId('toast-title')).toHaveText(`request_irq = 0 · virq ${virq}`);
  // The /proc write returns the bytes written: "3\n" is 2 (kernel/irq/proc.c: err = count).
  await app.setAffinity([3]);
  await expect(app.toast.getByTestId('toast-title')).toHaveText('write_irq_affinity = 2');
  await expect(logStep(app, 3).getByTestId('log-return')).toHaveText('= 2');
  await expect(logStep(app, 3).getByTestId('log-extra')).toHaveCount(0);
  await expect(logStep(app, 2).getByTestId('log-return')).toHaveText('= 0');
  await expect(logStep(app, 2).getByTestId('log-extra')).toHaveText(`virq ${virq}`);
  await page.screenshot({ path: 'reports/screens/answers-01-returns.png' });
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const report = await page.getByRole('dialog', { name: 'Share this view' }).getByTestId('share-report').inputValue();
  expect(report).toContain(`request_irq() = 0 (virq ${virq}): irq ${virq} requested as "nvme0q1"`);
  expect(report).toContain('write_irq_affinity() = 2: ');
  expect(report).toContain('pci_alloc_irq_vectors() = 2: ');
});

test('an IR affinity write: apic_set_affinity, the IRTE, then vector_schedule_cleanup — the old vector freed at once', async ({ page }) => {
  const app = new App(page);
  await app.open(IR4);
  await app.allocate({ dev: NVME, min: 1, max: 1, flags: ['MSIX'] });
  await app.selectEntry(NVME, 0);
  await app.requestIrq('nvme0q0');
  const cpu = Number(/effectiv: (\d+)/.exec(await app.inspector.innerText())![1]);
  await app.setAffinity([cpu === 1 ? 2 : 1]);
  const ls = await traceLines(page, logStep(app, 3));
  const order = [
    index(ls, /^intel_ir_set_affinity\b/),
    index(ls, /^apic_set_affinity\b/),
    index(ls, /^· irq_matrix_alloc\(/),
    index(ls, /^· modify_irte: IRTE \d+ ← present/),
    index(ls, /^· the IRTE now sends every interrupt to vector/),
    index(ls, /^vector_schedule_cleanup\b/),
    index(ls, /^· old vector \d+ queued on CPU\d+'s cleanup list; its timer frees it one jiffy later/),
  ];
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(ls.join('\n')).not.toMatch(/first interrupt/);
  const cleanup = logStep(app, 3).locator('[data-trace-line]').filter({ hasText: /^vector_schedule_cleanup/ });
  await cleanup.scrollIntoViewIfNeeded();
  await app.log.screenshot({ path: 'reports/screens/answers-02-ir-trace.png' });
});

test('without remapping the old vector waits for the first interrupt on the new CPU (irq_complete_move)', async ({ page }) => {
  const story = STORIES.find((s) => s.name === 'nvme-noir')!;
  const n = story.scenario.actions.length;
  const set = story.scenario.actions.findIndex((a) => a.op === 'write_irq_affinity' || a.op === 'irq_set_affinity') + 1;
  const raise = story.scenario.actions.findIndex((a, i) => i >= set && a.op === 'raise') + 1;
  const app = new App(page);
  await page.goto(`/#story/${story.name}@${raise}`);
  await expect(page.getByTestId('step-label')).toHaveText(`step ${raise} / ${n}`);
  const ls = await traceLines(page, logStep(app, raise));
  const order = [index(ls, /^irq_move_irq\b/), index(ls, /^msi_set_affinity\b/), index(ls, /^apic_set_affinity\b/), index(ls, /^__pci_write_msi_msg\b/),
    index(ls, /^· old vector \d+ on CPU\d+ stays until the first interrupt arrives on vector \d+ of CPU\d+: irq_complete_move\(\) schedules its cleanup then/)];
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(ls.some((l) => /^vector_schedule_cleanup\b/.test(l))).toBe(false);
});

test('a reopened share link lists the refused calls with their errno and names its machine', async ({ page, browser }) => {
  const app = new App(page);
  await app.open('QEMU q35 · VT-d remapping');
  // Another kernel: the machine is no longer the picker's byte for byte, still that machine.
  await page.getByLabel('Kernel', { exact: true }).selectOption('6.12');
  await expect(page.getByTestId('toast')).toContainText('Linux 6.12');
  const dev = await page.locator('[data-testid="device"]').first().getAttribute('data-dev');
  await app.allocate({ dev: dev!, min: 4000, max: 4000, flags: ['MSIX'] });
  await expect(app.toast).toHaveAttribute('data-tone', 'error');
  await expect(app.toast.getByTestId('toast-title')).toContainText('pci_alloc_irq_vectors refused');
  const errno = (await app.toast.getByTestId('toast-title').innerText()).split(' ')[0];
  expect(errno).toMatch(/^-E[A-Z]+$/);
  await expect(app.log.getByTestId('log-refusal')).toContainText(errno);
  const shown = await page.getByLabel('Machine', { exact: true }).locator('option:checked').innerText();
  expect(shown).toBe('QEMU q35 · VT-d remapping');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const link = await page.getByRole('dialog', { name: 'Share this view' }).getByTestId('share-link').inputValue();

  const fresh = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await fresh.goto(link);
  const other = new App(fresh);
  await expect(fresh.getByTestId('machine-summary')).toBeVisible();
  const refusal = other.log.getByTestId('log-refusal');
  await expect(refusal).toHaveCount(1);
  await expect(refusal).toContainText('pci_alloc_irq_vectors');
  await expect(refusal).toContainText(errno);
  await expect(refusal).toContainText('min=4000');
  await expect(fresh.getByLabel('Machine', { exact: true }).locator('option:checked')).toHaveText('QEMU q35 · VT-d remapping');
  await expect(fresh.getByLabel('Kernel', { exact: true })).toHaveValue('6.12');
  await other.log.screenshot({ path: 'reports/screens/answers-03-reopened-refusal.png' });
  await fresh.context().close();
});
