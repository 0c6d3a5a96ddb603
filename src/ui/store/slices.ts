// The UI store's slices (zustand slices pattern). State only plus plain setters; the
// asynchronous commands that talk to the worker live in commands.ts.

import type { StateCreator } from 'zustand';
import type { Action, ResultView, Scenario, Snapshot, StepRecord } from '../../worker/protocol';
import type { TimelineSlice } from './timeline';

/** What the user has selected; the toolbar's actions apply to it. */
export type Selection =
  | { kind: 'irq'; virq: number }
  | { kind: 'domain'; name: string }
  | { kind: 'device'; name: string }
  | null;

/** The kernel calls of the IMS, subdevice and driver dialogs (one dialog per design). */
export type ImsOp = 'pci_create_ims_domain' | 'msi_domain_alloc_irq_at' | 'pci_ims_alloc_irq' | 'pci_ims_free_irq';
export type SubdevOp =
  | 'pci_enable_msi_parent_domain' | 'pci_msi_init_subdevice' | 'pci_msi_create_subdevice_irq_domain'
  | 'pci_subdev_msix_alloc_at' | 'pci_subdev_msix_free';
export type DriverOp = 'driver_bind' | 'driver_unbind';

/** An attempted action the kernel refused: shown in the log, not a step of the scenario. */
export interface Refusal {
  id: number;
  /** The step the machine was at when it was attempted. */
  atStep: number;
  action: Action;
  result: ResultView;
}

export type Dialog =
  | { kind: 'help' }
  | { kind: 'alloc' }
  | { kind: 'allocAt' }
  | { kind: 'freeVectors' }
  | { kind: 'request'; virq: number }
  | { kind: 'affinity'; virq: number }
  | { kind: 'raise'; dev?: string; index?: number; domain?: 'ims'; count?: number }
  | { kind: 'ims'; op?: ImsOp; dev?: string }
  | { kind: 'subdev'; op?: SubdevOp; dev?: string }
  | { kind: 'driver'; op?: DriverOp; dev?: string }
  | { kind: 'confirmCut'; action: Action }
  | { kind: 'switchMachine'; presetId: string }
  | { kind: 'stories' }
  | { kind: 'share' }
  | null;

export interface Toast {
  id: number;
  tone: 'ok' | 'error' | 'info';
  title: string;
  detail?: string;
}

export interface ScenarioSlice {
  /** The scenario being edited: machine spec and the recorded actions. */
  scenario: Scenario | null;
  presetId: string | null;
  /** One record per scenario action (same order). */
  records: StepRecord[];
  refusals: Refusal[];
}

export interface MachineSlice {
  /** What the panels draw: the machine at the current step. */
  snapshot: Snapshot | null;
  /** The engine text shown in the inspector for the current selection. */
  inspector: { path: string; text: string } | null;
  busy: boolean;
}

export interface SelectionSlice {
  selection: Selection;
  selectedCpu: number | null;
  select: (s: Selection) => void;
  selectCpu: (cpu: number | null) => void;
}

export interface UiSlice {
  theme: 'light' | 'dark';
  /** true once the user picked a theme; until then it follows the system. */
  themeChosen: boolean;
  dialog: Dialog;
  toast: Toast | null;
  openDialog: (d: Dialog) => void;
  closeDialog: () => void;
  setToast: (t: Omit<Toast, 'id'> | null) => void;
}

export type Store = ScenarioSlice & MachineSlice & SelectionSlice & UiSlice & TimelineSlice;
type Slice<T> = StateCreator<Store, [], [], T>;

export const createScenarioSlice: Slice<ScenarioSlice> = () => ({
  scenario: null,
  presetId: null,
  records: [],
  refusals: [],
});

export const createMachineSlice: Slice<MachineSlice> = () => ({
  snapshot: null,
  inspector: null,
  busy: false,
});

export const createSelectionSlice: Slice<SelectionSlice> = (set) => ({
  selection: null,
  selectedCpu: null,
  select: (selection) => set({ selection }),
  selectCpu: (selectedCpu) => set({ selectedCpu }),
});

let toastSeq = 0;

function systemDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

function storedTheme(): 'light' | 'dark' | null {
  try {
    const t = localStorage.getItem('irqscope.theme');
    return t === 'light' || t === 'dark' ? t : null;
  } catch {
    return null;
  }
}

export const createUiSlice: Slice<UiSlice> = (set) => {
  const stored = typeof localStorage === 'undefined' ? null : storedTheme();
  return {
    theme: stored ?? (systemDark() ? 'dark' : 'light'),
    themeChosen: stored !== null,
    dialog: null,
    toast: null,
    openDialog: (dialog) => set({ dialog }),
    closeDialog: () => set({ dialog: null }),
    setToast: (t) => set({ toast: t ? { ...t, id: ++toastSeq } : null }),
  };
};
