// The vector matrix's cell states, in a module of their own: constants only, so the UI can draw
// the codes the worker sends without taking any of the allocator into the page bundle.
// matrix.ts re-exports them.

/** What one (cpu, vector) cell holds, as drawn by a UI (see IrqMatrix.fillCellStates). */
export const Cell = {
  /** Free, inside [alloc_start, alloc_end). */
  FREE: 0,
  /** Outside the allocation window and not a system vector: never handed out. */
  OUTSIDE: 1,
  /** Set in system_map (on every CPU). */
  SYSTEM: 2,
  /** Reserved in managed_map but not allocated. */
  MANAGED: 3,
  /** Allocated, not managed. */
  ALLOCATED: 4,
  /** Allocated from a managed reservation. */
  MANAGED_ALLOCATED: 5,
} as const;
export type CellState = (typeof Cell)[keyof typeof Cell];
