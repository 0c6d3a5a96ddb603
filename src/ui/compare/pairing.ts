// What the side-by-side view puts beside the loaded scenario: the same calls on a machine with
// other settings (remapping, kernel, MSI model, architecture), or another story's scenario — a
// story's partner (compareWith) or any story. Both sides step together: the paired side shows the
// same step, or its last one when it has fewer. Plain functions over plain data (pairing.test.ts).

import { STORIES, storyByName } from '../../scenario/stories';
import type { MachineSpec, Scenario } from '../../worker/protocol';
import type { Pairing } from './store';

const PLATFORM_ON: Record<'x86' | 'arm64', Record<string, string>> = {
  // The harness's QEMU machines have their counterpart on the other architecture.
  x86: { 'qemu-virt': 'qemu-q35' },
  arm64: { 'qemu-q35': 'qemu-virt' },
};

/** A machine spec on the other architecture: what only x86 has (remapping, MSI models) is left out. */
export function onArch(m: MachineSpec, arch: 'x86' | 'arm64'): MachineSpec {
  if (m.arch === arch) return m;
  const { remap: _r, msiModel: _m, platform, ...rest } = m;
  const p = platform ? (PLATFORM_ON[arch][platform] ?? platform) : undefined;
  return { ...rest, arch, ...(p ? { platform: p as MachineSpec['platform'] } : {}) };
}

/** The paired scenario: another story's, or the loaded one on a machine with the pairing's settings. */
export function pairedScenario(s: Scenario, p: Pairing): Scenario {
  if (p.story) {
    const other = storyByName(p.story);
    if (other) return other.scenario;
  }
  const { story: _s, arch, ...settings } = p;
  const machine = arch ? onArch(s.machine, arch) : s.machine;
  if (machine.arch === 'arm64') {
    const { remap: _r, msiModel: _m, ...rest } = settings;
    return { ...s, machine: { ...machine, ...rest } };
  }
  return { ...s, machine: { ...machine, ...settings } };
}

/** The paired side's step when this side shows `step` (lockstep; its last one when it has fewer). */
export function pairedStep(paired: Scenario, step: number): number {
  return Math.max(0, Math.min(step, paired.actions.length));
}

/** A short name for a pairing: "remap none", "kernel 6.1", "story compare-kernels-612". */
export function pairingLabel(p: Pairing): string {
  return Object.entries(p).map(([k, v]) => `${k} ${v}`).join(', ');
}

/** The pairing a story opens with: its partner story, or none. */
export function storyPairing(name: string | null): Pairing | null {
  const s = name ? storyByName(name) : undefined;
  return s?.compareWith && storyByName(s.compareWith) ? { story: s.compareWith } : null;
}

export interface PairingOption {
  label: string;
  p: Pairing;
  group: 'machine' | 'story';
}

/**
 * The pairings the header offers for a machine (and the story followed): the other remapping
 * settings, the other kernels, the other architecture, the story's partner, any other story.
 */
export function pairingOptions(m: MachineSpec, story: string | null): PairingOption[] {
  const out: PairingOption[] = [];
  const partner = storyPairing(story);
  if (partner) out.push({ label: `beside its partner story (${partner.story})`, p: partner, group: 'machine' });
  if (m.arch === 'x86') {
    for (const r of ['intel-ir', 'amd-ir', 'none'] as const) {
      if (r !== (m.remap ?? 'intel-ir')) out.push({ label: r === 'none' ? 'without remapping' : `with ${r === 'intel-ir' ? 'Intel' : 'AMD'} IR`, p: { remap: r }, group: 'machine' });
    }
  }
  for (const k of ['6.1', '6.12', '7.2'] as const) if (k !== (m.kernel ?? '7.2')) out.push({ label: `on kernel ${k}`, p: { kernel: k }, group: 'machine' });
  const other = m.arch === 'x86' ? 'arm64' : 'x86';
  out.push({ label: `on ${other}`, p: { arch: other }, group: 'machine' });
  for (const s of STORIES) {
    if (s.name === story || s.name === partner?.story) continue;
    out.push({ label: s.title, p: { story: s.name }, group: 'story' });
  }
  return out;
}
