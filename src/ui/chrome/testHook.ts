// A small handle on the running app for tests and benchmarks (window.__irqscope): load a
// scenario through the same worker API the UI uses, run an action, read the stores. It adds
// no capability a user does not have from the UI; it only saves clicking through dialogs.

import { gotoStep, loadScenario, runAction } from '../store/commands';
import { useStore } from '../store';
import { useTravel } from '../travel/store';
import type { Action, Scenario } from '../../worker/protocol';

export interface IrqscopeHook {
  loadScenario(s: Scenario): Promise<unknown>;
  /** Apply an action at the current step (cutting any later steps without asking). */
  runAction(a: Action): Promise<unknown>;
  gotoStep(k: number): Promise<unknown>;
  state(): ReturnType<typeof useStore.getState>;
  travel(): ReturnType<typeof useTravel.getState>;
}

declare global {
  interface Window {
    __irqscope?: IrqscopeHook;
  }
}

export function installTestHook(): void {
  if (typeof window === 'undefined') return;
  window.__irqscope = {
    loadScenario: (s) => loadScenario(s),
    runAction: (a) => runAction(a, true),
    gotoStep: (k) => gotoStep(k),
    state: () => useStore.getState(),
    travel: () => useTravel.getState(),
  };
}
