// The scenario format is the engine's own (src/engine/types.ts); this folder adds validation,
// presets, stories and links on top of it.
export * from '../engine/types';
