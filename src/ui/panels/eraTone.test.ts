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
  const roads = ['RFC 2020, not merged', 'rejected in review 2021', 'proposal 2021', 'rejected in review 2024'];
  // Each road has a tooltip of its own (not the fallback), naming its year.
  for (const e of roads) {
    expect(eraTitle(e)).not.toBe(`${e}: a design mainline does not have; modelled as discussed`);
    expect(eraTitle(e)).toContain(e.match(/\d{4}/)![0]);
  }
});
