import { describe, expect, it } from 'vitest';
import { LIST_ALL_UP_TO, listedSteps } from './logWindow';

const none = { before: 0, after: 0, all: false };

describe('listedSteps', () => {
  it('lists every step of a scenario of normal length', () => {
    expect(listedSteps(0, 0, none)).toEqual([1, 0]);
    expect(listedSteps(3, 10, none)).toEqual([1, 10]);
    expect(listedSteps(LIST_ALL_UP_TO, LIST_ALL_UP_TO, none)).toEqual([1, LIST_ALL_UP_TO]);
  });

  it('lists the steps around the one shown in a long scenario, and always that one', () => {
    expect(listedSteps(4098, 4098, none)).toEqual([3801, 4098]);
    expect(listedSteps(10, 4098, none)).toEqual([1, 200]);
    expect(listedSteps(0, 4098, none)).toEqual([1, 200]);
    for (let step = 0; step <= 4098; step += 37) {
      const [lo, hi] = listedSteps(step, 4098, none);
      expect(hi - lo).toBeLessThan(500);
      if (step > 0) expect(lo <= step && step <= hi).toBe(true);
    }
    // Stepping within a block keeps the range.
    expect(listedSteps(2001, 4098, none)).toEqual(listedSteps(2099, 4098, none));
  });

  it('adds what the user asked for', () => {
    expect(listedSteps(4098, 4098, { before: 500, after: 0, all: false })).toEqual([3301, 4098]);
    expect(listedSteps(10, 4098, { before: 500, after: 500, all: false })).toEqual([1, 700]);
    expect(listedSteps(10, 4098, { ...none, all: true })).toEqual([1, 4098]);
  });
});
