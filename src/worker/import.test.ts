// The worker's importMachine: an import never touches the loaded machine; progress is reported;
// hostile text stays data.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createHost } from './host';

const AMD = readFileSync(new URL('../import/samples/x86-6.x-ir-pci-msix-amd.txt', import.meta.url), 'utf8');

describe('host.importMachine', () => {
  it('imports next to a loaded machine without changing it', async () => {
    const host = createHost();
    await host.load({ version: 1, machine: { arch: 'x86', cpus: 2, devices: [] }, actions: [] });
    const loaded = await host.snapshot();
    const seen: number[] = [];
    const r = await host.importMachine(AMD, (f) => void seen.push(f));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.machine.cpus).toBe(16);
    expect(r.simulation.ok).toBe(true);
    expect(seen[seen.length - 1]).toBe(1);
    expect((await host.snapshot()).proc).toBe(loaded.proc);
  });

  it('a hostile device name is kept as plain text, never interpreted', async () => {
    const host = createHost();
    const evil = '<img src=x onerror=alert(1)>';
    const text = `           CPU0       CPU1\n 30:          1          0  IR-PCI-MSIX-0000:01:00.0    0-edge      ${evil}\n`;
    const r = await host.importMachine(text);
    expect(r.ok && r.machine.irqs[0].actions).toEqual([evil]);
  });

  it('refuses binary input with a message', async () => {
    const r = await createHost().importMachine('\u0000\u0001ELF');
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/binary/) });
  });
});
