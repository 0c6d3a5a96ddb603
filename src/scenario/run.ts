// The one replay function: a fresh machine for scenario.machine, then the scenario's actions in
// order up to a step. The command line and the app both replay through here.

import { createMachine, type Machine } from '../engine/machine';
import type { ActionResult } from '../engine/view';
import type { Action, Scenario } from './types';

export interface RunOptions {
  /** Apply the first `upTo` actions (clamped to 0…actions.length); default: all of them. */
  upTo?: number;
  /** Record call traces (default on, as the engine's default). */
  trace?: boolean;
}

export interface RunResult {
  machine: Machine;
  /** One result per applied action, in order. */
  results: ActionResult[];
}

/** The engine threw (a modelled kernel BUG or a model defect) while applying an action. */
export class ReplayError extends Error {
  constructor(
    /** 0-based index of the action that threw. */
    readonly index: number,
    readonly action: Action,
    cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`step ${index + 1} (${action.op}) crashed the engine: ${why}`, { cause });
    this.name = 'ReplayError';
  }
}

/** Replay `scenario` on a fresh machine. Failed actions (ok: false) are results, not errors. */
export function runScenario(scenario: Scenario, opts: RunOptions = {}): RunResult {
  const machine = createMachine(scenario.machine, opts.trace === undefined ? {} : { trace: opts.trace });
  const actions = scenario.actions;
  const n = opts.upTo === undefined ? actions.length : Math.max(0, Math.min(actions.length, Math.trunc(opts.upTo)));
  const results: ActionResult[] = new Array(n);
  for (let i = 0; i < n; i++) {
    try {
      results[i] = machine.apply(actions[i]);
    } catch (e) {
      throw new ReplayError(i, actions[i], e);
    }
  }
  return { machine, results };
}
