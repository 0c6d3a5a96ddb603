// A small handle on the running app for tests and benchmarks (window.__irqscope): load a
// scenario through the same worker API the UI uses, run an action, read the stores. It adds
// no capability a user does not have from the UI; it only saves clicking through dialogs.
// Installed only for development, test builds and automated browsers (testHookWanted).

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

/**
 * Whether this page may carry the hook: a development server, a build made for tests
 * (VITE_TEST_HOOK=1), or a browser driven by automation (navigator.webdriver, which no page
 * or link can set). A user's production page never gets it. Whatever it sends still goes
 * through the scenario schema (runAction) and the worker's door (load, apply).
 */
export function testHookWanted(): boolean {
  if (import.meta.env?.DEV || import.meta.env?.VITE_TEST_HOOK === '1') return true;
  return typeof navigator !== 'undefined' && navigator.webdriver === true;
}

export function installTestHook(): void {
  if (typeof window === 'undefined' || !testHookWanted()) return;
  window.__irqscope = {
    loadScenario: (s) => loadScenario(s),
    runAction: (a) => runAction(a, true),
    gotoStep: (k) => gotoStep(k),
    state: () => useStore.getState(),
    travel: () => useTravel.getState(),
  };
}
