// The time line's part of the store: the story being followed, playback, the edit history
// (undo/redo of edits — kept apart from stepping, which never changes the scenario), and the
// banner that reports links and files that could not be opened.

import type { StateCreator } from 'zustand';
import type { Action, Scenario } from '../../worker/protocol';
import type { Refusal, Selection, Store } from './slices';

/** The scenario as it was before one edit (an added action, with the tail it cut). */
export interface EditEntry {
  /** What the edit did, for the undo/redo buttons ("pci_alloc_irq_vectors, cut 3 steps"). */
  label: string;
  actions: Action[];
  step: number;
  /** A jump to other work (machine, story, link): the whole work to go back to. */
  work?: Work;
}

/** Everything needed to put the user's work back: scenario, step, selection, story. */
export interface Work {
  scenario: Scenario;
  step: number;
  selection: Selection;
  story: string | null;
  presetId: string | null;
  /** Calls the kernel refused on the way (listed in the event log; not steps). */
  refusals?: readonly Omit<Refusal, 'id'>[];
}

export type BannerAction = 'undoOpen' | 'exportJson' | 'downloadDamaged';

/** A message above the panels that stays until dismissed (bad links and files, undo open). */
export interface Banner {
  id: number;
  tone: 'error' | 'info';
  title: string;
  /** What was wrong, possibly several lines (field paths from the validator). */
  detail?: string;
  actions?: BannerAction[];
}

export interface TimelineSlice {
  /** The guided story being followed (captions are shown while the scenario follows it). */
  story: string | null;
  playing: boolean;
  /** Playback speed in steps a second. */
  speed: number;
  /** Edits that can be undone (last = most recent) and redone. */
  past: EditEntry[];
  future: EditEntry[];
  banner: Banner | null;
  /** The work a link, file or story replaced; "Undo open" brings it back. */
  previousWork: Work | null;
  setBanner: (b: Omit<Banner, 'id'> | null) => void;
  setPlaying: (playing: boolean) => void;
  setSpeed: (speed: number) => void;
}

let bannerSeq = 0;

export const createTimelineSlice: StateCreator<Store, [], [], TimelineSlice> = (set) => ({
  story: null,
  playing: false,
  speed: 1,
  past: [],
  future: [],
  banner: null,
  previousWork: null,
  setBanner: (b) => set({ banner: b ? { ...b, id: ++bannerSeq } : null }),
  setPlaying: (playing) => set({ playing }),
  setSpeed: (speed) => set({ speed }),
});
