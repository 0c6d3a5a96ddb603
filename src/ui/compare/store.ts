// The compare and find state of the page: the Changes panel, the diff it shows, what a hovered
// trace line lights, the paired machine, the kernel's Elixir tag. Its own small zustand store (like
// travel/store.ts): it changes on hover, and the main store's subscribers need not hear it.

import { create } from 'zustand';
import type { ObjectRef, StateDiff, TraceRefs } from '../../worker/protocol';

/** What the shown step is compared with. */
export type CompareWith = { kind: 'previous' } | { kind: 'step'; step: number } | { kind: 'pair' };

/**
 * The paired machine: the same scenario on a machine that differs in these settings (another
 * remapping, kernel, MSI model or architecture), or another story's scenario (`story`: a story's
 * compareWith, or any story), stepped in lockstep with this one.
 */
export interface Pairing {
  remap?: 'intel-ir' | 'amd-ir' | 'none';
  kernel?: '6.1' | '6.12' | '7.2';
  msiModel?: 'v2' | 'v1' | 'nonhier' | 'legacy';
  arch?: 'x86' | 'arm64';
  story?: string;
}

export interface CompareState {
  /** The Changes panel is open. */
  open: boolean;
  with: CompareWith;
  diff: StateDiff | null;
  /** The step the diff is for (its b side); null while none. */
  diffStep: number | null;
  busy: boolean;
  error: string | null;
  /** Objects lit by a hovered or focused trace line (or a hovered change). */
  lit: ObjectRef[];
  /** The trace line lit ("<step>/<line id>"). */
  litLine: string | null;
  /** Trace line refs of the steps asked so far (step → refs), for the shown scenario. */
  refs: Record<number, TraceRefs>;
  elixirTag: string;
  pairing: Pairing | null;
  /** The pairing was made by opening a story with a partner (another story or none takes it away). */
  storyPaired: boolean;
}

export const useCompare = create<CompareState>()(() => ({
  open: false,
  with: { kind: 'previous' },
  diff: null,
  diffStep: null,
  busy: false,
  error: null,
  lit: [],
  litLine: null,
  refs: {},
  elixirTag: 'v7.2',
  pairing: null,
  storyPaired: false,
}));

/** A change's or ref's key in the marks (the engine's change ids). */
export function refKey(r: ObjectRef): string {
  switch (r.kind) {
    case 'irq': return `irq:${r.virq}`;
    case 'domain': return `domain:${r.name}`;
    case 'device': return `device:${r.dev}`;
    case 'msi': return `msi:${r.dev}:${r.domid}:${r.index}`;
    case 'msix': return `msix:${r.dev}:${r.index}`;
    case 'ims': return `ims:${r.dev}:${r.index}`;
    case 'devres': return `devres:${r.dev}`;
    case 'irte': return `irte:${r.index}`;
    case 'vector': return `vector:${r.cpu}:${r.vector}`;
    case 'cpu': return `cpu:${r.cpu}`;
    case 'matrix': return 'matrix';
    case 'its-device': return `its-device:${r.deviceId}`;
    case 'itt': return `itt:${r.deviceId}:${r.eventId}`;
    case 'collection': return `collection:${r.icid}`;
    case 'its-cmd': return `its-cmd:${r.seq}`;
    case 'proc': return `proc:${r.row}`;
    case 'debugfs': return `debugfs:${r.file}`;
    case 'dmesg': return `dmesg:${r.line}`;
  }
}
