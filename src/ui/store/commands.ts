// The UI's commands: everything that asks the engine worker something and puts the
// answer into the store. Callable from components, shortcuts and tests alike.
// Commands run one at a time (a queue), so fast key presses cannot interleave.

import { engine } from '../../worker/client';
import type { Action, Scenario } from '../../worker/protocol';
import { describeAction } from '../format';
import { PRESETS, presetScenario } from '../presets';
import { useStore, type Selection } from './index';

let queue: Promise<unknown> = Promise.resolve();
let pending = 0;
let refusalSeq = 0;

function enqueue<T>(job: () => Promise<T>): Promise<T | undefined> {
  // busy is true from the moment a command is queued until the last one has answered.
  pending++;
  useStore.setState({ busy: true });
  const run = async (): Promise<T | undefined> => {
    try {
      return await job();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      useStore.getState().setToast({ tone: 'error', title: 'The engine failed', detail: msg });
      return undefined;
    } finally {
      pending--;
      if (pending === 0) useStore.setState({ busy: false });
    }
  };
  const p = queue.then(run, run);
  queue = p;
  return p;
}

/** Boot a machine from a scenario and replay its actions. */
export function loadScenario(scenario: Scenario, presetId: string | null = null): Promise<unknown> {
  return enqueue(async () => {
    const reply = await engine().load(scenario);
    const { records, ...snapshot } = reply;
    useStore.setState({
      scenario: { ...scenario, actions: records.map((r) => r.action) },
      presetId,
      records,
      refusals: [],
      snapshot,
      selection: null,
      selectedCpu: null,
      toast: null,
    });
    await refreshInspector();
  });
}

/** Boot one of the picker's machines; asks first when that would drop recorded steps. */
export function pickPreset(id: string, confirmed = false): Promise<unknown> {
  const p = PRESETS.find((x) => x.id === id);
  const s = useStore.getState();
  if (!p) return Promise.resolve();
  if (!confirmed && s.records.length > 0) {
    s.openDialog({ kind: 'switchMachine', presetId: id });
    return Promise.resolve();
  }
  return loadScenario(presetScenario(p), p.id);
}

/** Leave the current machine and go back to the first screen. */
export function closeScenario(): void {
  useStore.setState({ scenario: null, presetId: null, records: [], refusals: [], snapshot: null, selection: null, inspector: null });
}

/**
 * Apply an action at the current step. If the current step is before the end, the user is
 * asked first whether to cut the tail (unless `confirmed`).
 */
export function runAction(action: Action, confirmed = false): Promise<unknown> {
  const s = useStore.getState();
  if (!s.scenario || !s.snapshot) return Promise.resolve();
  if (!confirmed && s.snapshot.step < s.records.length) {
    s.openDialog({ kind: 'confirmCut', action });
    return Promise.resolve();
  }
  return enqueue(async () => {
    const before = useStore.getState();
    const at = before.snapshot?.step ?? 0;
    const reply = await engine().apply(action);
    const { result, recorded, cut, ...snapshot } = reply;
    if (recorded && before.scenario) {
      const records = [...before.records.slice(0, at), { action, result }];
      useStore.setState({
        scenario: { ...before.scenario, actions: records.map((r) => r.action) },
        records,
        refusals: before.refusals.filter((r) => r.atStep <= at),
        snapshot,
      });
      before.setToast({
        tone: 'ok',
        title: `${action.op}${result.value !== undefined ? ` = ${String(result.value)}` : ''}`,
        detail: cut > 0 ? `${result.message} (cut ${cut} later step${cut === 1 ? '' : 's'})` : result.message,
      });
    } else {
      useStore.setState({
        refusals: [...before.refusals, { id: ++refusalSeq, atStep: at, action, result }],
        snapshot,
      });
      before.setToast({
        tone: 'error',
        title: `${result.errnoName ?? `error ${result.errno ?? ''}`} · ${action.op} refused`,
        detail: `${result.message} (nothing changed)`,
      });
    }
    await refreshInspector();
  });
}

/** Show the machine after the first k actions. */
export function gotoStep(k: number): Promise<unknown> {
  return enqueue(async () => {
    const snapshot = await engine().gotoStep(k);
    const { records, setToast } = useStore.getState();
    useStore.setState({ snapshot });
    const at = snapshot.step;
    setToast({
      tone: 'info',
      title: `step ${at} / ${records.length}`,
      detail:
        (at === 0 ? 'the freshly booted machine' : `after ${describeAction(records[at - 1].action)}`) +
        (at < records.length ? ` · a new action here asks before replacing the ${records.length - at} later step${records.length - at === 1 ? '' : 's'}` : ''),
    });
    await refreshInspector();
  });
}

export function select(selection: Selection): Promise<unknown> {
  useStore.getState().select(selection);
  return enqueue(refreshInspector);
}

/** Ask the engine for the inspector text of the current selection. */
async function refreshInspector(): Promise<void> {
  const { selection, snapshot } = useStore.getState();
  if (!selection || !snapshot) {
    useStore.setState({ inspector: null });
    return;
  }
  const view = snapshot.view;
  if (selection.kind === 'irq') {
    const path = `/sys/kernel/debug/irq/irqs/${selection.virq}`;
    const exists = view.irqs.some((i) => i.virq === selection.virq);
    const text = exists
      ? await engine().debugfsIrq(selection.virq)
      : `irq ${selection.virq} does not exist at step ${snapshot.step}.`;
    useStore.setState({ inspector: { path, text } });
    return;
  }
  const domainName =
    selection.kind === 'domain'
      ? selection.name
      : (view.devices.find((d) => d.name === selection.name)?.stores.find((s) => s.domain)?.domain ?? null);
  if (selection.kind === 'device' && !domainName) {
    useStore.setState({
      inspector: { path: `device ${selection.name}`, text: `${selection.name} has no per-device MSI domain at step ${snapshot.step}.` },
    });
    return;
  }
  const name = domainName as string;
  const exists = view.domains.some((d) => d.name === name);
  const text = exists ? await engine().debugfsDomain(name) : `Domain ${name} does not exist at step ${snapshot.step}.`;
  useStore.setState({ inspector: { path: `/sys/kernel/debug/irq/domains/${name}`, text } });
}
