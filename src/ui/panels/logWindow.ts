// Which steps a long event log lists. Up to a few hundred steps it lists them all; a longer
// scenario (thousands of steps) lists the steps around the one shown, so a new step redraws a few
// hundred entries, not thousands; the rest are counted, with buttons to list them.

/** Up to this many steps the log lists them all (find-in-page sees every one). */
export const LIST_ALL_UP_TO = 500;
/** Longer scenarios list the steps around the one shown, in blocks of this many (so stepping rarely moves the range). */
export const BLOCK = 100;
/** How many more steps a "show earlier / later" button adds. */
export const MORE = 500;

export interface Listed {
  /** Steps added before and after the range by the user ("show 500 earlier"). */
  before: number;
  after: number;
  /** The user asked for every step. */
  all: boolean;
}

/** The first and last step listed (1-based; last < first: none) for the step shown and n steps. */
export function listedSteps(step: number, n: number, more: Listed): [number, number] {
  if (more.all || n <= LIST_ALL_UP_TO) return [1, n];
  const b = Math.floor(step / BLOCK);
  return [Math.max(1, (b - 2) * BLOCK + 1 - more.before), Math.min(n, (b + 2) * BLOCK + more.after)];
}
