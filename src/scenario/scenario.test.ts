// Scenario validation (field-level errors, size and version limits), the presets (each shows
// what its title says) and the replay function.

import { describe, expect, it } from 'vitest';
import { MAX_SCENARIO_BYTES, parseScenario, validateScenario } from './validate';
import { PRESETS, exhaustionRequestsOk } from './presets';
import { runScenario } from './run';
import type { Scenario } from './types';
import { IRQD, irqd } from '../engine/core/irqdesc';

const NVME = '0000:3d:00.0';

const base = (): Scenario => ({
  version: 1,
  machine: { arch: 'x86', cpus: 4, remap: 'intel-ir', msiModel: 'v2', devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 65 } }] },
  actions: [
    { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 5, flags: ['MSIX', 'AFFINITY'], pre_vectors: 1 },
    { op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' },
    { op: 'write_irq_affinity', dev: NVME, index: 0, cpus: [3] },
    { op: 'raise', dev: NVME, index: 0 },
    { op: 'msleep', ms: 4 },
  ],
});

function errorOf(value: unknown): string {
  const r = parseScenario(JSON.stringify(value));
  if (r.ok) throw new Error('expected a validation error');
  return r.error;
}

describe('parseScenario', () => {
  it('accepts a valid scenario and returns it unchanged', () => {
    const s = base();
    expect(parseScenario(JSON.stringify(s))).toEqual({ ok: true, scenario: s });
    expect(validateScenario({ ...s, step: 2 })).toMatchObject({ ok: true });
  });

  it('names the action index and field of a wrong type', () => {
    const s = base() as unknown as { actions: Record<string, unknown>[] };
    s.actions[0].min = '1';
    expect(errorOf(s)).toMatch(/^actions\[0\]\.min: expected a number, got the string "1"/);
  });

  it('reports missing fields, unknown ops and unknown fields with their path', () => {
    const s = base() as unknown as { actions: Record<string, unknown>[] };
    delete s.actions[0].dev;
    s.actions[1] = { op: 'request_irqq', dev: NVME };
    s.actions[3] = { op: 'raise', dev: NVME, idx: 1 };
    const e = errorOf(s);
    expect(e).toContain('actions[0].dev: missing (expected a string)');
    expect(e).toContain('actions[1].op: unknown operation "request_irqq"');
    expect(e).toContain('actions[3]: unknown field "idx" (raise takes dev, index, domain, count)');
  });

  it('checks the machine: arch, CPU count, BDF format, MSI vector count, table size, duplicates', () => {
    const s = base();
    expect(errorOf({ ...s, machine: { ...s.machine, cpus: 8193 } })).toMatch(/^machine\.cpus: must be ≤ 8192/);
    expect(errorOf({ ...s, machine: { ...s.machine, cpus: 0 } })).toMatch(/^machine\.cpus: must be ≥ 1/);
    expect(errorOf({ ...s, machine: { ...s.machine, arch: 'mips' } })).toMatch(/^machine\.arch: expected one of "x86", "arm64"/);
    const dev = (d: object) => ({ ...s, machine: { ...s.machine, devices: [{ bdf: NVME, name: 'nvme', ...d }] } });
    expect(errorOf(dev({ bdf: '0000:3D:00.0' }))).toMatch(/^machine\.devices\[0\]\.bdf: expected a PCI address/);
    expect(errorOf(dev({ bdf: '0000:3d:00.8' }))).toMatch(/^machine\.devices\[0\]\.bdf:/);
    expect(errorOf(dev({ msi: { vectors: 3, maskable: true, addr64: true } }))).toMatch(/^machine\.devices\[0\]\.msi\.vectors: must be a power of two/);
    expect(errorOf(dev({ msi: { vectors: 64, maskable: true, addr64: true } }))).toMatch(/^machine\.devices\[0\]\.msi\.vectors: must be ≤ 32/);
    expect(errorOf(dev({ msix: { tableSize: 2049 } }))).toMatch(/^machine\.devices\[0\]\.msix\.tableSize: must be ≤ 2048/);
    expect(errorOf(dev({ msix: { tableSize: 0 } }))).toMatch(/^machine\.devices\[0\]\.msix\.tableSize: must be ≥ 1/);
    const two = { ...s, machine: { ...s.machine, devices: [s.machine.devices[0], s.machine.devices[0]] } };
    expect(errorOf(two)).toMatch(/^machine\.devices\[1\]\.bdf: duplicate device 0000:3d:00\.0/);
  });

  it('checks action arguments: whole numbers, step ≥ 0, index or "any", an interrupt reference', () => {
    const s = base();
    expect(errorOf({ ...s, actions: [{ op: 'cpu_down', cpu: 1.5 }] })).toBe('actions[0].cpu: expected a whole number, got the fraction 1.5');
    expect(errorOf({ ...s, actions: [{ op: 'cpu_up', cpu: -1 }] })).toMatch(/^actions\[0\]\.cpu: must be ≥ 0/);
    expect(errorOf({ ...s, step: -1 })).toMatch(/^step: must be ≥ 0/);
    expect(errorOf({ ...s, actions: [{ op: 'pci_msix_alloc_irq_at', dev: NVME, index: 'all' }] })).toMatch(
      /^actions\[0\]\.index: expected a number or "any"/,
    );
    expect(parseScenario(JSON.stringify({ ...s, actions: [{ op: 'pci_msix_alloc_irq_at', dev: NVME, index: 'any' }] })).ok).toBe(true);
    expect(errorOf({ ...s, actions: [{ op: 'free_irq' }] })).toMatch(/^actions\[0\]: free_irq needs the interrupt/);
    expect(errorOf({ ...s, actions: [{ op: 'mask', virq: 24, dev: NVME }] })).toMatch(/^actions\[0\]: mask takes "virq" or "dev" \+ "index", not both/);
    expect(errorOf({ ...s, actions: [{ op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 2, flags: ['MSIX', 'LEGACY'] }] })).toMatch(
      /^actions\[0\]\.flags\[1\]: expected one of "MSIX", "MSI", "INTX", "AFFINITY"/,
    );
  });

  it('refuses text over 1 MiB before parsing it', () => {
    const big = `{"version":1,"pad":"${'x'.repeat(MAX_SCENARIO_BYTES)}"}`;
    const r = parseScenario(big);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/too large/);
    // multi-byte characters count as the bytes they take
    const r2 = parseScenario(`"${'é'.repeat(MAX_SCENARIO_BYTES / 2 + 1)}"`);
    expect(!r2.ok && r2.error).toMatch(/too large/);
  });

  it('refuses a newer format version with a clear message, and non-scenarios', () => {
    expect(errorOf({ ...base(), version: 2 })).toMatch(/made by a newer irqscope/);
    expect(errorOf({ ...base(), version: 0 })).toMatch(/^version: expected 1, got 0/);
    expect(errorOf([1, 2])).toBe('scenario: expected an object, got a list');
    const r = parseScenario('{"version": 1,');
    expect(!r.ok && r.error).toMatch(/^not valid JSON/);
  });

  it('lists at most five problems', () => {
    const s = base();
    const e = errorOf({ ...s, actions: Array.from({ length: 9 }, () => ({ op: 'cpu_up', cpu: 'x' })) });
    expect(e.split('\n')).toHaveLength(6);
    expect(e).toMatch(/… and 4 more problems$/);
  });
});

describe('runScenario', () => {
  it('replays up to a step, clamped, with one result per applied action', () => {
    const s = base();
    expect(runScenario(s).results).toHaveLength(5);
    expect(runScenario(s, { upTo: 2 }).results).toHaveLength(2);
    expect(runScenario(s, { upTo: 99 }).results).toHaveLength(5);
    expect(runScenario(s, { upTo: -1 }).results).toHaveLength(0);
    expect(runScenario(s, { trace: false }).results.every((r) => r.trace.length === 0)).toBe(true);
  });

  it('is deterministic and independent of tracing', () => {
    const s = base();
    const a = runScenario(s);
    const b = runScenario(s);
    const c = runScenario(s, { trace: false });
    expect(JSON.stringify(b.results)).toBe(JSON.stringify(a.results));
    expect(b.machine.snapshot()).toBe(a.machine.snapshot());
    expect(c.machine.snapshot()).toBe(a.machine.snapshot());
  });

  it('and what every replay holds is the kernel\'s outcome of those calls', () => {
    const s = base();
    for (const trace of [true, false]) {
      const { machine: m, results } = runScenario(s, { trace });
      expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
      // irq_calc_affinity_vectors(1, 5): 1 pre vector + min(4 CPUs, 4)
      expect(results[0].value).toBe(5);
      const admin = m.view().irqs.find((i) => i.msi?.dev === NVME && i.msi.index === 0)!;
      expect(admin.virq).toBe(results[1].value);
      // Behind remapping the move is done at once in process context (intel_ir_set_affinity()
      // rewrites the IRTE): effective affinity CPU3, and the raise is handled there.
      expect(admin.affinity).toEqual([3]);
      expect([admin.cpu, admin.effectiveAffinity]).toEqual([3, [3]]);
      expect(admin.counts).toEqual([0, 0, 0, 1]);
      // The first interrupt on the new CPU queued the old vector (irq_complete_move()); the
      // cleanup timer has freed it by msleep(4): no previous vector is left.
      expect(admin.prevVector).toBe(0);
    }
    // The device's message is the same before and after the move: only the IRTE changed.
    const entry = (upTo: number) => ({ ...runScenario(s, { upTo }).machine.devices.get(NVME)!.msixCap!.table[0] });
    expect(entry(3)).toEqual(entry(2));
  });
});

describe('presets', () => {
  it('are valid scenarios (the JSON round trip passes the schema)', () => {
    expect(Object.keys(PRESETS)).toEqual(expect.arrayContaining(['nvme-x86-ir', 'nvme-x86-noir', 'vector-exhaustion', 'cpu-hotplug-managed']));
    for (const [name, p] of Object.entries(PRESETS)) {
      const r = parseScenario(JSON.stringify(p.scenario));
      expect(r.ok, `${name}: ${!r.ok ? r.error : ''}`).toBe(true);
      expect(p.title.length).toBeGreaterThan(10);
    }
  });

  it('nvme-x86-ir: every call succeeds, the I/O interrupt is handled, the admin queue moves to CPU3 at once', () => {
    const s = PRESETS['nvme-x86-ir'].scenario;
    const { machine: m, results } = runScenario(s);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const admin = m.k.descs.get(results[1].value as number)!;
    const q1 = m.k.descs.get(results[2].value as number)!;
    expect(m.isManaged(q1)).toBe(true);
    expect(m.isManaged(admin)).toBe(false);
    // With remapping the move is done in process context: no pending mask.
    const after = runScenario(s, { upTo: 8 }).machine.k.descs.get(admin.irq)!;
    expect(irqd(after.irqData, IRQD.SETAFFINITY_PENDING)).toBe(false);
    expect(after.irqData.common.effectiveAffinity).toEqual([3]);
    // The raised interrupts reach their handlers (the device writes a remappable message).
    expect(q1.kstat.reduce((x, y) => x + y, 0)).toBe(1);
    expect(admin.kstat[3]).toBe(1);
    expect(m.errCount).toBe(0);
  });

  it('nvme-x86-noir: the affinity change is parked until the next interrupt, then applied', () => {
    const s = PRESETS['nvme-x86-noir'].scenario;
    const { results } = runScenario(s);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const admin = results[1].value as number;
    const parked = runScenario(s, { upTo: 8 }).machine.k.descs.get(admin)!;
    expect(irqd(parked.irqData, IRQD.SETAFFINITY_PENDING)).toBe(true);
    expect(parked.irqData.common.pendingMask).toEqual([3]);
    expect(parked.irqData.common.effectiveAffinity).not.toEqual([3]);
    const moved = runScenario(s).machine.k.descs.get(admin)!;
    expect(irqd(moved.irqData, IRQD.SETAFFINITY_PENDING)).toBe(false);
    expect(moved.irqData.common.effectiveAffinity).toEqual([3]);
    expect(moved.kstat.reduce((x, y) => x + y, 0)).toBe(1);
  });

  it('vector-exhaustion: request_irq succeeds until the matrix is full, then fails with -ENOSPC', () => {
    const s = PRESETS['vector-exhaustion'].scenario;
    const { results } = runScenario(s, { trace: false });
    // 2 CPUs of 7.2: the allocation window FIRST_EXTERNAL_VECTOR 0x20 … FIRST_SYSTEM_VECTOR 0xeb
    // holds 203 vectors, of which the PIC cascade 0x32 and int 0x80 are system vectors: 201 per
    // CPU. The boot takes one for each interrupt with a handler: the timer (keeps 0x30), the two
    // i8042 ports, rtc0 and acpi. Reservation mode takes none at pci_alloc_irq_vectors, so each
    // request_irq takes one of what is left until irq_matrix_alloc() finds none.
    const EXHAUSTION_REQUESTS_OK = 2 * (0xeb - 0x20 - 2) - 5;
    expect(EXHAUSTION_REQUESTS_OK).toBe(397);
    // the preset asks the engine how many to build; it must agree
    expect(exhaustionRequestsOk()).toBe(EXHAUSTION_REQUESTS_OK);
    expect(results[0]).toMatchObject({ ok: true, value: 512 });
    expect(results.slice(1, 1 + EXHAUSTION_REQUESTS_OK).every((r) => r.ok)).toBe(true);
    expect(results.at(-1)).toMatchObject({ ok: false, errno: -28 });
    expect(results).toHaveLength(EXHAUSTION_REQUESTS_OK + 2);
  });

  it('cpu-hotplug-managed: the queue of the unplugged CPU shuts down, keeps its interrupt pending, restarts', () => {
    const s = PRESETS['cpu-hotplug-managed'].scenario;
    const { machine: m, results } = runScenario(s);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const q4 = results[5].value as number;
    const down = runScenario(s, { upTo: 8 }).machine;
    const d = down.k.descs.get(q4)!;
    expect(irqd(d.irqData, IRQD.MANAGED_SHUTDOWN)).toBe(true);
    expect(down.devices.get(NVME)!.msixCap!.pba[4]).toBe(1);
    const up = m.k.descs.get(q4)!;
    expect(irqd(up.irqData, IRQD.MANAGED_SHUTDOWN)).toBe(false);
    expect(up.irqData.common.effectiveAffinity).toEqual([3]);
    // The pending message is sent at unmask and the last raise arrives too: both on CPU3.
    expect(up.kstat[3]).toBe(2);
    expect(m.errCount).toBe(0);
  });
});
