// A stored layout is input like any other: anything malformed falls back to the default.

import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, parseLayout } from './layout';

describe('parseLayout', () => {
  it('reads back what was saved', () => {
    const saved = { v: 1, top: 0.3, cols: [0.2, 0.3, 0.5], rows: [0.4, 0.5, 0.6], collapsed: { Devices: true } };
    const l = parseLayout(JSON.stringify(saved));
    expect(l.top).toBe(0.3);
    expect(l.cols[0] + l.cols[1] + l.cols[2]).toBeCloseTo(1);
    expect(l.rows).toEqual([0.4, 0.5, 0.6]);
    expect(l.collapsed).toEqual({ Devices: true });
  });

  it('remembers the arm64 ITS panel apart from the vector map', () => {
    const l = parseLayout(JSON.stringify({ v: 1, top: null, cols: [0.31, 0.26, 0.43], rows: [0.5, 0.47, 0.5], collapsed: { 'GICv3 ITS': true } }));
    expect(l.collapsed).toEqual({ 'GICv3 ITS': true });
  });

  it('ignores garbage, other versions, unknown panels and out-of-range shares', () => {
    expect(parseLayout(null)).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('{')).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout(JSON.stringify({ v: 2, top: 0.3 }))).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('x'.repeat(5000))).toEqual(DEFAULT_LAYOUT);
    const l = parseLayout(JSON.stringify({ v: 1, top: 7, cols: [1, 'a', 2], rows: [0.5, -1, 0.5], collapsed: { Nope: true, Inspector: 'yes' } }));
    expect(l.top).toBeNull();
    expect(l.cols).toEqual(DEFAULT_LAYOUT.cols);
    expect(l.rows).toEqual(DEFAULT_LAYOUT.rows);
    expect(l.collapsed).toEqual({});
  });
});
