// The page's side of a deferred tail: placeholders stand for the later steps until their records
// arrive from the worker (here a real host, as the worker runs it); a record is put in only where
// its placeholder still is — a cut, a new load or a step reached first keeps what the store has.

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createHost, type Host } from '../../worker/host';
import type { Scenario, StepRecord } from '../../worker/protocol';

let host: Host;
vi.mock('../../worker/client', () => ({ engine: () => host }));

const { useStore } = await import('./index');
const { fillTail, pendingRecords, settlePending, settleStep } = await import('./tail');

const NVME = '0000:3d:00.0';
const scenario: Scenario = {
  version: 1,
  machine: { arch: 'x86', cpus: 2, remap: 'intel-ir', devices: [{ bdf: NVME, name: 'nvme', msix: { tableSize: 8 } }] },
  actions: [
    { op: 'pci_alloc_irq_vectors', dev: NVME, min: 1, max: 4, flags: ['MSIX'] },
    { op: 'request_irq', dev: NVME, index: 0, name: 'q0' },
    { op: 'request_irq', dev: NVME, index: 1, name: 'q1' },
    { op: 'request_irq', dev: NVME, index: 0, name: 'again' },
  ],
  step: 1,
};

/** A deferred load at step 1, with the store holding the shown records and placeholders, as loadScenario leaves it. */
async function loadAtStep1(): Promise<{ token: number; tail: StepRecord[] }> {
  host = createHost();
  const r = await host.load(scenario, undefined, { deferTail: true });
  const tail = pendingRecords(scenario.actions.slice(r.records.length));
  useStore.setState({ records: [...r.records, ...tail] });
  return { token: r.loadToken, tail };
}

describe('a deferred tail', () => {
  beforeEach(() => useStore.setState({ records: [] }));

  it('shows every later step as not run yet, then their results as the kernel gives them', async () => {
    const { token, tail } = await loadAtStep1();
    expect(tail).toHaveLength(3);
    expect(useStore.getState().records.map((r) => !!r.result.pending)).toEqual([false, true, true, true]);
    await fillTail(token, 1, tail);
    const records = useStore.getState().records;
    expect(records.some((r) => r.result.pending)).toBe(false);
    expect(records[2].result).toMatchObject({ ok: true, message: 'irq 26 requested as "q1"' });
    // entry 0's irq is taken and not shared: -EBUSY
    expect(records[3].result).toMatchObject({ ok: false, errnoName: '-EBUSY' });
  });

  it('keeps a step already settled by a jump, and steps cut since', async () => {
    const { token, tail } = await loadAtStep1();
    // step 2 reached first: its result (with its trace) comes from the jump
    const jump = await host.gotoStep(2);
    settleStep(2, jump.result);
    const settled = useStore.getState().records[1];
    expect(settled.result.pending).toBeUndefined();
    expect(settled.result.trace.length).toBeGreaterThan(0);
    // the user cut steps 3–4 on the page: those places no longer hold the placeholders
    useStore.setState({ records: useStore.getState().records.slice(0, 2) });
    await fillTail(token, 1, tail);
    expect(useStore.getState().records).toHaveLength(2);
    expect(useStore.getState().records[1]).toBe(settled);
  });

  it('brings nothing once the worker has another time line', async () => {
    const { token, tail } = await loadAtStep1();
    await host.load({ ...scenario, step: undefined });
    await fillTail(token, 1, tail);
    expect(useStore.getState().records.slice(1).every((r) => r.result.pending)).toBe(true);
  });
});

describe('after the engine restarted (a later load cancelled)', () => {
  it('the steps still pending take their records from the whole load of the same work', async () => {
    const { tail } = await loadAtStep1();
    const whole = await createHost().load({ ...scenario, step: 1 });
    settlePending(whole.records);
    const records = useStore.getState().records;
    expect(records.some((r) => r.result.pending)).toBe(false);
    expect(records[3].result).toMatchObject({ ok: false, errnoName: '-EBUSY' });
    expect(tail).toHaveLength(3);
  });
});
