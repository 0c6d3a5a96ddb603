// Run the same machine and steps on another kernel: a jump like a machine switch (Ctrl+Z brings
// the previous kernel back), through the store's scenario loading.

import { storyByName } from '../../scenario/stories';
import type { KernelVersion } from '../../worker/protocol';
import { useStore } from '../store';
import { loadScenario } from '../store/commands';
import { kernelName, kernelOf } from './facts';

export function switchKernel(kernel: KernelVersion): Promise<unknown> {
  const s = useStore.getState();
  if (!s.scenario || !s.snapshot || kernelOf(s.scenario.machine) === kernel) return Promise.resolve();
  const machine = { ...s.scenario.machine, kernel };
  // A story's captions were written for its own kernel: on another one, the scenario is just steps.
  const story = s.story && kernelOf(storyByName(s.story)?.scenario.machine) === kernel ? s.story : null;
  const from = kernelOf(s.scenario.machine);
  return loadScenario({ ...s.scenario, machine, step: s.snapshot.step }, s.presetId, { selection: s.selection, story }).then(() => {
    const now = useStore.getState();
    if (now.scenario?.machine.kernel !== kernel) return;
    now.setToast({
      tone: 'info',
      title: `${kernelName(kernel)} · step ${now.snapshot?.step ?? 0} / ${now.records.length}`,
      detail: `the same machine and steps, replayed on ${kernelName(kernel)} (was ${from}; Ctrl+Z goes back)${s.story && !story ? ' — the story’s captions are written for its own kernel, so they are left out' : ''}`,
    });
  });
}
