// The one UI store, built from slices. Use `useStore(selector)` in components and
// `useStore.getState()` / `useStore.setState()` from commands outside React.

import { create } from 'zustand';
import {
  createMachineSlice, createScenarioSlice, createSelectionSlice, createUiSlice, type Store,
} from './slices';

export type { Dialog, Refusal, Selection, Store, Toast } from './slices';

export const useStore = create<Store>()((...a) => ({
  ...createScenarioSlice(...a),
  ...createMachineSlice(...a),
  ...createSelectionSlice(...a),
  ...createUiSlice(...a),
}));
