// The one UI store, built from slices. Use `useStore(selector)` in components and
// `useStore.getState()` / `useStore.setState()` from commands outside React.

import { create } from 'zustand';
import {
  createMachineSlice, createScenarioSlice, createSelectionSlice, createUiSlice, type Store,
} from './slices';
import { createTimelineSlice } from './timeline';

export type { Dialog, DriverOp, ImsOp, Refusal, Selection, Store, SubdevOp, Toast } from './slices';
export type { Banner, BannerAction, EditEntry, Work } from './timeline';

export const useStore = create<Store>()((...a) => ({
  ...createScenarioSlice(...a),
  ...createMachineSlice(...a),
  ...createSelectionSlice(...a),
  ...createUiSlice(...a),
  ...createTimelineSlice(...a),
}));
