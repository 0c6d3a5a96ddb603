// The worker host: one machine time line behind the EngineApi. Kept apart from
// engine.worker.ts (which only exposes it) so tests can drive it directly in Node.

import {
  createSimMachine, debugfsDomainText, debugfsIrqText, itsOf, procInterruptsText, vectorCellsOf,
  viewOf, withErrnoName, type AdaptedMachine,
} from './engine-adapter';
import type { EngineApi, Snapshot } from './protocol';
import { Timeline } from './timeline';
import { importMachine } from './import';

export function createHost(): EngineApi {
  let timeline: Timeline<AdaptedMachine> | null = null;

  const tl = (): Timeline<AdaptedMachine> => {
    if (!timeline) throw new Error('No machine loaded: call load(scenario) first.');
    return timeline;
  };

  const snapshot = (): Snapshot => {
    const t = tl();
    const m = t.machine;
    return { step: t.step, view: viewOf(m), cells: vectorCellsOf(m), proc: procInterruptsText(m), its: itsOf(m) };
  };

  return {
    async load(scenario) {
      const t = new Timeline(createSimMachine, scenario.machine);
      const records = t
        .load(scenario.actions, scenario.step ?? scenario.actions.length)
        .map((r) => ({ action: r.action, result: withErrnoName(r.result) }));
      timeline = t;
      return { records, ...snapshot() };
    },
    async apply(action) {
      const { result, recorded, cut } = tl().apply(action);
      return { result: withErrnoName(result), recorded, cut, ...snapshot() };
    },
    async view() {
      return viewOf(tl().machine);
    },
    async snapshot() {
      return snapshot();
    },
    async vectorCells() {
      return vectorCellsOf(tl().machine);
    },
    async procInterrupts() {
      return procInterruptsText(tl().machine);
    },
    async debugfsIrq(virq) {
      return debugfsIrqText(tl().machine, virq);
    },
    async debugfsDomain(name) {
      return debugfsDomainText(tl().machine, name);
    },
    async importMachine(text, onProgress) {
      return importMachine(text, onProgress);
    },
    async gotoStep(k) {
      const t = tl();
      t.gotoStep(k);
      return { ...snapshot(), result: t.lastResult ? withErrnoName(t.lastResult) : null };
    },
  };
}
