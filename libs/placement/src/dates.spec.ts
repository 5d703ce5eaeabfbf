import { ageOn } from './dates';

describe('age', () => {
  it.each([
    ['the day before an 18th birthday', '2008-11-29', '2026-11-28', 17],
    ['an 18th birthday', '2008-11-29', '2026-11-29', 18],
    ['28 February, for one born on 29 February', '2008-02-29', '2026-02-28', 17],
    ['1 March, for one born on 29 February', '2008-02-29', '2026-03-01', 18],
  ])('counts years on %s', (_case, born, on, age) => expect(ageOn(born, on)).toBe(age));
});
