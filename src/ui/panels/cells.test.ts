import { expect, it } from 'vitest';
import { Cell } from '../../engine/arch/x86/matrix';
import { CELL } from './cells';

it('draws the same cell codes the engine sends', () => {
  expect(CELL).toEqual(Cell);
});
