// Page helpers for the e2e tests: drive irqscope the way a user does (buttons, dialogs,
// keys) and read what the panels show.

import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const SCREENS = 'reports/screens';

export class App {
  constructor(readonly page: Page) {}

  region(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }
  get devices() {
    return this.region('Devices');
  }
  get proc() {
    return this.page.getByTestId('proc-text');
  }
  get inspector() {
    return this.page.getByTestId('inspector-text');
  }
  get toast() {
    return this.page.getByTestId('toast');
  }
  get log() {
    return this.region('Event log');
  }
  device(bdf: string): Locator {
    return this.devices.locator(`[data-testid="device"][data-dev="${bdf}"]`);
  }

  async open(presetTitle: string): Promise<void> {
    await this.page.goto('/');
    await this.page.getByRole('button', { name: new RegExp(presetTitle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).click();
    await expect(this.page.getByTestId('machine-summary')).toBeVisible();
  }

  /** Wait until the worker has answered the last command. */
  async idle(): Promise<void> {
    await expect(this.page.getByText('engine working…')).toHaveCount(0);
  }

  async allocate(o: { dev: string; min: number; max: number; flags: string[] }): Promise<void> {
    await this.page.getByRole('button', { name: 'Alloc vectors…' }).click();
    const dlg = this.page.getByRole('dialog', { name: 'pci_alloc_irq_vectors()' });
    await dlg.getByLabel('Device').selectOption(o.dev);
    await dlg.getByLabel('min_vecs').fill(String(o.min));
    await dlg.getByLabel('max_vecs').fill(String(o.max));
    for (const f of ['MSIX', 'MSI', 'INTX', 'AFFINITY']) await dlg.getByLabel(f, { exact: true }).setChecked(o.flags.includes(f));
    await dlg.getByRole('button', { name: 'Allocate' }).click();
    await expect(dlg).toBeHidden();
    await this.idle();
  }

  /** Click the virq of MSI index `index` in a device's descriptor table; returns the virq. */
  async selectEntry(bdf: string, index: number): Promise<number> {
    const button = this.device(bdf).locator(`[data-testid="msi-entry"][data-index="${index}"] td:nth-child(2) button`);
    const virq = Number(await button.innerText());
    await button.click();
    await expect(this.page.getByTestId('inspector-path')).toHaveText(`# cat /sys/kernel/debug/irq/irqs/${virq}`);
    await this.idle();
    return virq;
  }

  /** The centre of one (cpu, vector) cell of the vector map, in page coordinates. */
  async cellPoint(cpu: number, vector: number | null): Promise<{ x: number; y: number }> {
    const canvas = this.page.getByTestId('vector-canvas');
    const box = (await canvas.boundingBox())!;
    const n = async (a: string) => Number(await canvas.getAttribute(a));
    const [gx, ah, cw, rh] = [await n('data-grid-x'), await n('data-axis-h'), await n('data-cell-w'), await n('data-row-h')];
    const x = vector === null ? 8 : gx + vector * cw + cw / 2;
    return { x: box.x + x, y: box.y + ah + cpu * rh + Math.max(1, (rh - 1) / 2) };
  }

  async requestIrq(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'request_irq…' }).click();
    const dlg = this.page.getByRole('dialog');
    await dlg.getByLabel('name', { exact: true }).fill(name);
    await dlg.getByRole('button', { name: 'Request' }).click();
    await expect(dlg).toBeHidden();
    await this.idle();
  }

  async raise(bdf: string, index: number): Promise<void> {
    await this.page.getByRole('button', { name: `raise ${bdf} index ${index}` }).click();
    await this.idle();
  }

  /** Set the selected interrupt's affinity: the user's /proc write (default) or irq_set_affinity(). */
  async setAffinity(cpus: number[], via: '/proc write' | 'irq_set_affinity()' = '/proc write'): Promise<void> {
    await this.page.getByRole('button', { name: 'Affinity…' }).click();
    const dlg = this.page.getByRole('dialog');
    await dlg.getByLabel(via, { exact: true }).check();
    await dlg.getByRole('button', { name: 'none' }).click();
    for (const c of cpus) await dlg.getByLabel(`CPU ${c}`, { exact: true }).check();
    await dlg.getByRole('button', { name: via === '/proc write' ? 'Write smp_affinity_list' : 'Call irq_set_affinity()' }).click();
    await expect(dlg).toBeHidden();
    await this.idle();
  }

  /** The /proc/interrupts row of an irq, and the sum of its per-CPU counts. */
  async procRow(virq: number): Promise<{ text: string; total: number }> {
    const text = (await this.proc.locator(`[data-virq="${virq}"]`).innerText()).trim();
    const counts = text.replace(/^\d+:/, '').trim().split(/\s+/);
    let total = 0;
    for (const c of counts) {
      if (!/^\d+$/.test(c)) break;
      total += Number(c);
    }
    return { text, total };
  }

  async shot(name: string): Promise<void> {
    mkdirSync(SCREENS, { recursive: true });
    await this.page.screenshot({ path: `${SCREENS}/${name}.png` });
  }
}
