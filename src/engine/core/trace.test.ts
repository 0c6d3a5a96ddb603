// The call trace keeps the order of a call's effects relative to the calls it makes.

import { describe, expect, it } from 'vitest';
import { Tracer, formatTrace, traceItems } from './trace';

describe('Tracer: effects and child calls in the order they happened', () => {
  it('an effect recorded after a child call comes after it', () => {
    const t = new Tracer(true);
    t.reset();
    t.enter('parent');
    t.effect('before');
    t.enter('child');
    t.effect('inside');
    t.leaveWith();
    t.effect('after');
    t.leave(0);
    const [p] = t.take();
    expect(p.effects).toEqual(['before', 'after']);
    expect(p.effectsAt).toEqual([0, 1]);
    expect(traceItems(p)).toEqual([{ effect: 0 }, { child: 0 }, { effect: 1 }]);
    expect(formatTrace([p])).toBe('parent() = 0\n  · before\n  child()\n    · inside\n  · after\n');
  });

  it('a call whose effects all come first carries no effectsAt (the old shape)', () => {
    const t = new Tracer(true);
    t.reset();
    t.enter('parent');
    t.effect('a');
    t.enter('child');
    t.leaveWith();
    t.leaveWith();
    const [p] = t.take();
    expect(p.effectsAt).toBeUndefined();
    expect(traceItems(p)).toEqual([{ effect: 0 }, { child: 0 }]);
  });

  it('effects between two calls sit between them', () => {
    const t = new Tracer(true);
    t.reset();
    t.enter('p');
    t.enter('one');
    t.leaveWith();
    t.effect('between');
    t.enter('two');
    t.leaveWith();
    t.leaveWith();
    const [p] = t.take();
    expect(traceItems(p)).toEqual([{ child: 0 }, { effect: 0 }, { child: 1 }]);
  });
});
