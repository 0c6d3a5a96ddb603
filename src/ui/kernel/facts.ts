// The kernel axis of the app: which kernels a machine can run, and the version facts the engine
// says differ for each (worker `kernelFacts`), cached per kernel. Nothing here decides a fact: the
// lines, their versions and their links come from the engine's profile table.

import { create } from 'zustand';
import { useEffect } from 'react';
import { engine } from '../../worker/client';
import type { KernelFactLine, KernelVersion } from '../../worker/protocol';

export { DEFAULT_KERNEL, KERNELS, kernelName, kernelOf } from './versions';

interface FactsState {
  byKernel: Partial<Record<KernelVersion, KernelFactLine[]>>;
}

const useFacts = create<FactsState>(() => ({ byKernel: {} }));
const asked = new Set<KernelVersion>();

function ask(v: KernelVersion): void {
  if (asked.has(v)) return;
  asked.add(v);
  engine()
    .kernelFacts(v)
    .then((lines) => useFacts.setState((s) => ({ byKernel: { ...s.byKernel, [v]: lines } })))
    .catch(() => asked.delete(v));
}

/** The facts where kernel `v` differs from the others (empty until the engine answered). */
export function useKernelFacts(v: KernelVersion): readonly KernelFactLine[] {
  useEffect(() => ask(v), [v]);
  return useFacts((s) => s.byKernel[v]) ?? NONE;
}

const NONE: readonly KernelFactLine[] = [];
