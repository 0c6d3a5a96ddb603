// The travel's stops come from the engine's own answer: the hops of a raise, and the
// domain-level calls of a trace in the order the kernel made them.

import { describe, expect, it } from 'vitest';
import { runScenario } from '../../scenario/run';
import type { Action, Scenario } from '../../scenario/types';
import { callKind, callStops, firstRound, travelFor } from './stops';

const NVME = '0000:3d:00.0';

function run(remap: 'intel-ir' | 'none', actions: Action[]) {
  const scenario: Scenario = {
    version: 1,
    machine: { arch: 'x86', cpus: 4, remap, msiModel: 'v2', devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 65 } }] },
    actions,
  };
  const { machine, results } = runScenario(scenario);
  return { results, domains: machine.view().domains };
}

const probe: Action[] = [
  { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 2, flags: ['MSIX'] },
  { op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' },
  { op: 'raise', dev: NVME, index: 0 },
];

describe('travelFor', () => {
  it('a raise behind Intel IR: MSI-X entry, IRTE, CPU vector, handler, and the count moves at the handler', () => {
    const { results, domains } = run('intel-ir', probe);
    const t = travelFor(probe[2], results[2], domains)!;
    expect(t.mode).toBe('hops');
    expect(t.stops.map((s) => s.kind)).toEqual(['device', 'remap', 'cpu', 'handler']);
    expect(t.stops[0].label).toMatch(/^MSI-X entry 0: write/);
    expect(t.stops[1].label).toMatch(/^IRTE \d+: vector 0x[0-9a-f]+ → APIC ID \d+/);
    expect(t.stops[1].domain).toMatch(/^INTEL-IR/);
    expect(t.stops[2]).toMatchObject({ domain: 'VECTOR', virq: t.virq });
    expect(t.stops[3].label).toContain('handler "nvme0q0"');
    expect(t.countAt).toBe(3);
    for (const s of t.stops) expect(domains.some((d) => d.name === s.domain)).toBe(true);
  });

  it('without remapping the message goes straight to the APIC', () => {
    const { results, domains } = run('none', probe);
    const t = travelFor(probe[2], results[2], domains)!;
    expect(t.stops.map((s) => s.kind)).toEqual(['device', 'apic', 'cpu', 'handler']);
  });

  it('pci_alloc_irq_vectors goes down to VECTOR, then activates, composes and writes back up, once per interrupt', () => {
    const { results, domains } = run('intel-ir', probe);
    const t = travelFor(probe[0], results[0], domains)!;
    expect(t.mode).toBe('calls');
    const fns = t.stops.map((s) => s.fn);
    const dev = domains.find((d) => d.kind === 'msi-device')!.name;
    const ir = domains.find((d) => d.kind === 'remap')!.name;
    expect(fns.slice(0, 3)).toEqual(['msi_domain_alloc', 'intel_irq_remapping_alloc', 'x86_vector_alloc_irqs']);
    expect(t.stops.slice(0, 3).map((s) => s.domain)).toEqual([dev, ir, 'VECTOR']);
    const activate = fns.indexOf('x86_vector_activate');
    expect(activate).toBeGreaterThan(2);
    expect(fns.slice(activate)).toEqual(['x86_vector_activate', 'intel_irq_remapping_activate', 'msi_domain_activate', 'intel_ir_compose_msi_msg', '__pci_write_msi_msg']);
    expect(t.stops.slice(activate).map((s) => s.kind)).toEqual(['activate', 'activate', 'activate', 'compose', 'write']);
    // The second vector repeats the same calls: shown once, counted.
    expect(t.omitted).toEqual({ rounds: 1, stops: t.stops.length });
  });

  it('a VECTOR-level call names its cell for the vector map', () => {
    const { results, domains } = run('intel-ir', probe);
    const t = travelFor(probe[1], results[1], domains)!;
    const vec = t.stops.find((s) => s.fn === 'x86_vector_activate')!;
    expect(vec.cpu).toBeTypeOf('number');
    expect(vec.vector).toBeGreaterThanOrEqual(0x20);
  });

  it('a refused call stops where the kernel said no, marked as failed', () => {
    // Two CPUs run out of vectors after a few hundred request_irq() calls.
    const dev = '0000:02:00.0';
    const actions: Action[] = [{ op: 'pci_alloc_irq_vectors', dev, min: 1, max: 512, flags: ['MSIX'] }];
    for (let i = 0; i < 420; i++) actions.push({ op: 'request_irq', dev, index: i, name: `q${i}` });
    const { machine, results } = runScenario({
      version: 1,
      machine: { arch: 'x86', cpus: 2, remap: 'none', msiModel: 'v2', devices: [{ bdf: dev, name: 'mlx5', msix: { tableSize: 2048 } }] },
      actions,
    });
    const bad = results.findIndex((r) => !r.ok);
    expect(bad).toBeGreaterThan(0);
    const t = travelFor(actions[bad], results[bad], machine.view().domains)!;
    expect(t.stops.map((s) => [s.fn, s.domain])).toEqual([['x86_vector_activate', 'VECTOR']]);
    expect(t.stops[0].failed).toBe(true);
    expect(t.stops[0].label).toContain('-ENOSPC');
  });
});

describe('callKind', () => {
  it('keeps domain callbacks and drops the core walkers around them', () => {
    expect(callKind('msi_domain_alloc')).toBe('alloc');
    expect(callKind('alloc_irte')).toBe('alloc');
    expect(callKind('x86_vector_deactivate')).toBe('deactivate');
    expect(callKind('intel_ir_set_affinity')).toBe('affinity');
    expect(callKind('its_irq_domain_alloc')).toBe('alloc');
    for (const walker of ['__irq_domain_alloc_irqs', 'irq_domain_alloc_descs', 'irq_domain_activate_irq', 'irq_do_set_affinity', 'msi_domain_alloc_irqs_all_locked', 'pci_alloc_irq_vectors_affinity', 'irq_set_affinity', 'request_irq']) {
      expect(callKind(walker)).toBeNull();
    }
  });
});

describe('firstRound', () => {
  it('cuts at the second occurrence of the first call', () => {
    const s = (fn: string) => ({ kind: 'alloc' as const, domain: 'D', fn, label: fn });
    const r = firstRound([s('a'), s('b'), s('a'), s('b'), s('a'), s('b')]);
    expect(r.stops.map((x) => x.fn)).toEqual(['a', 'b']);
    expect(r.omitted).toEqual({ rounds: 2, stops: 4 });
    expect(firstRound([s('a'), s('b')]).omitted).toBeNull();
    // No repeat: a long list is cut.
    const long = Array.from({ length: 30 }, (_, i) => s(`f${i}`));
    expect(firstRound(long, 24).omitted).toEqual({ rounds: 0, stops: 6 });
    expect(callStops([], [])).toEqual([]);
  });
});
