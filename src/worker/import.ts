// The worker side of "Open your machine": parse an untrusted capture off the main thread and,
// when the machine allows it, build the scenario "Continue as a simulation" opens.

import { importText } from '../import/index';
import { irqNumbering, NUMBERS_NOTE, scenarioFromImport, type FromImport } from '../import/scenario';
import { runScenario } from '../scenario/run';
import type { ImportReply } from './protocol';

/** Report progress at most this often (fractions 0…1), so a 50 MB paste does not flood the page. */
const STEP = 0.05;

export function importMachine(text: string, onProgress?: (fraction: number) => void): ImportReply {
  let last = -1;
  const progress = onProgress
    ? (f: number) => {
        if (f - last >= STEP || f === 1) {
          last = f;
          void Promise.resolve(onProgress(f)).catch(() => undefined);
        }
      }
    : undefined;
  const r = importText(text, progress ? { onProgress: progress } : {});
  if (!r.ok) return { ok: false, error: r.error, line: r.line };
  const sim = scenarioFromImport(r.machine);
  return {
    ok: true,
    machine: r.machine,
    simulation: sim.ok ? { ok: true, scenario: sim.scenario, reconstructed: withNumbers(sim) } : { ok: false, reason: sim.reason },
  };
}

/** The reconstructed notes with the irq numbers the simulation gives each imported irq (it runs the scenario once). */
function withNumbers(sim: Extract<FromImport, { ok: true }>): string[] {
  let note: string;
  try {
    note = irqNumbering(sim.vectors, runScenario(sim.scenario, { trace: false }).machine.view().irqs).note;
  } catch {
    return sim.reconstructed;
  }
  return sim.reconstructed.map((n) => (n === NUMBERS_NOTE ? note : n));
}
