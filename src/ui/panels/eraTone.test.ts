import { expect, it } from 'vitest';
import { eraTitle, eraTone } from './eraTone';

it('one colour rule for every era label: removed amber, proposals violet, RFC and rejected the third', () => {
  expect(eraTone('mainline')).toBeNull();
  expect(eraTone('removed in 2024')).toBe('removed');
  expect(eraTone('proposal')).toBe('proposal');
  expect(eraTone('proposal 2021')).toBe('proposal');
  expect(eraTone('RFC 2020, not merged')).toBe('rejected');
  expect(eraTone('rejected in review 2021')).toBe('rejected');
  expect(eraTone('rejected in review 2024')).toBe('rejected');
  for (const e of ['RFC 2020, not merged', 'rejected in review 2021', 'proposal 2021', 'rejected in review 2024']) {
    expect(eraTitle(e)).not.toMatch(/modelled as discussed$/);
  }
});
