// Differences between a real kernel and the model that the model cannot reproduce, each with
// the kernel code that causes it and why. The report prints the reason beside the difference.

import type { Difference } from './compare';

export interface Explained {
  /** Does this explanation cover that difference? */
  match(fixture: string, step: number, d: Difference): boolean;
  why: string;
}

/** Empty: every difference the captures showed so far, the model reproduces. */
export const EXPLAINED: Explained[] = [];
