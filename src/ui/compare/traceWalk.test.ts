// Walking a trace call by call: each call is matched to the stop of the step's journey that the
// same call (or, for a raise, the same level) made — on the engine's own answers.

import { describe, expect, it } from 'vitest';
import { runScenario } from '../../scenario/run';
import type { Action, Scenario } from '../../scenario/types';
import { travelFor } from '../travel/stops';
import { traceLines } from './traceLines';
import { callLines, stopsOfCalls } from './traceWalk';

const NVME = '0000:3d:00.0';
const probe: Action[] = [
  { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 2, flags: ['MSIX'] },
  { op: 'request_irq', dev: NVME, index: 0, name: 'nvme0q0' },
  { op: 'raise', dev: NVME, index: 0 },
  { op: 'write_irq_affinity', dev: NVME, index: 0, cpus: [3] },
];

function run(remap: 'intel-ir' | 'none') {
  const scenario: Scenario = {
    version: 1,
    machine: { arch: 'x86', cpus: 4, remap, msiModel: 'v2', devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 65 } }] },
    actions: probe,
  };
  const { machine, results } = runScenario(scenario);
  return { results, domains: machine.view().domains };
}

describe('walking a trace call by call', () => {
  const { results, domains } = run('intel-ir');

  it('lists the calls with the line ids the trace tree and the engine’s refs use', () => {
    const trace = results[1].trace;
    const calls = callLines(trace);
    expect(calls.map((c) => c.id)).toEqual(traceLines(trace).filter((l) => !l.effect).map((l) => l.id));
    expect(calls[0].fn).toBe('request_irq');
  });

  it('a raise: the device write, the IRTE, the CPU vector and the handler are its four hops; the EOI has none', () => {
    const trace = results[2].trace;
    const travel = travelFor(probe[2], results[2], domains)!;
    const calls = callLines(trace);
    const map = stopsOfCalls(travel, calls);
    const hop = (fn: string) => {
      const c = calls.find((x) => x.fn === fn)!;
      const i = map.get(c.id);
      return i === undefined ? null : travel.stops[i].kind;
    };
    expect(hop(calls.find((c) => !c.domain)!.fn)).toBe('device');
    expect(hop('msi_write')).toBe('remap');
    expect(hop('common_interrupt')).toBe('cpu');
    expect(hop('handle_edge_irq')).toBe('handler');
    expect(hop('apic_ack_irq')).toBeNull();
  });

  it('a raise after a move: the cleanup timer that runs first is not on the message’s path', () => {
    // 7.2 frees the moved vector from a timer (vector_cleanup_callback) before the next interrupt.
    const raise: Action = { op: 'raise', dev: NVME, index: 0 };
    const scenario: Scenario = {
      version: 1,
      machine: { arch: 'x86', cpus: 4, remap: 'intel-ir', msiModel: 'v2', kernel: '7.2', devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 65 } }] },
      actions: [...probe, raise],
    };
    const { machine, results } = runScenario(scenario);
    const r = results[4];
    const calls = callLines(r.trace);
    const travel = travelFor(raise, r, machine.view().domains)!;
    const map = stopsOfCalls(travel, calls);
    const kind = (fn: string) => {
      const i = map.get(calls.find((c) => c.fn === fn)!.id);
      return i === undefined ? null : travel.stops[i].kind;
    };
    expect(calls[0]).toMatchObject({ fn: 'vector_cleanup_callback', domain: 'VECTOR' });
    expect(kind('vector_cleanup_callback')).toBeNull();
    expect([kind('msi_write'), kind('common_interrupt'), kind('handle_edge_irq')]).toEqual(['remap', 'cpu', 'handler']);
  });

  it('a call trace: every stop of the journey is the stop of exactly one call, with its function and domain, in order', () => {
    for (const k of [0, 1, 3]) {
      const trace = results[k].trace;
      const travel = travelFor(probe[k], results[k], domains)!;
      expect(travel.mode).toBe('calls');
      const calls = callLines(trace);
      const map = stopsOfCalls(travel, calls);
      const matched = calls.filter((c) => map.has(c.id)).map((c) => map.get(c.id)!);
      // Each stop once, in the order of the calls.
      expect(matched).toEqual(travel.stops.map((_, i) => i).filter((i) => matched.includes(i)));
      expect(new Set(matched).size).toBe(matched.length);
      expect(matched.length).toBe(travel.stops.length);
      for (const c of calls) {
        const i = map.get(c.id);
        if (i !== undefined) expect(travel.stops[i].fn).toBe(c.fn);
      }
      // The core's walkers make no stop.
      const walker = calls.find((c) => /^__?irq_domain_alloc_irqs|^irq_do_set_affinity/.test(c.fn));
      if (walker) expect(map.has(walker.id)).toBe(false);
    }
  });

  it('the IRTE rewrite of an affinity write is the call that made its stop', () => {
    const travel = travelFor(probe[3], results[3], domains)!;
    const calls = callLines(results[3].trace);
    const map = stopsOfCalls(travel, calls);
    const ir = calls.find((c) => c.fn === 'intel_ir_set_affinity')!;
    expect(travel.stops[map.get(ir.id)!]).toMatchObject({ kind: 'affinity', fn: 'intel_ir_set_affinity', domain: expect.stringMatching(/^INTEL-IR/) });
  });
});
