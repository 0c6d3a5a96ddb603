// Compare and find: machine states as plain data, their structured diff, its text, and the
// search index over a state and its call traces. Import `src/engine/diff` from outside.

export { captureState, DEBUGFS_IRQ_LIMIT, type CaptureOptions, type IrteState, type MachineState } from './state';
export {
  CHANGE_KINDS, KIND_TITLES, cpuList, diffStates, lineHunks, type Change, type ChangeKind, type FieldChange, type ObjectRef,
  type StateDiff,
} from './diff';
export { formatDiff, type FormatOptions } from './format';
export {
  buildSearchIndex, searchIndex, traceLineRefs, traceLines, type SearchHit, type SearchIndex, type SearchTarget, type StepTrace,
} from './search';
