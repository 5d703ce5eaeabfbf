import { localDay } from '@jejak/kernel';
import { DeciderSpecification } from '@jejak/testing';

import {
  initialMoratoriumState,
  jobOrderUnderMoratoriumOn,
  type MoratoriumCommand,
  moratoriumDecider,
  type MoratoriumEvent,
  SEED_MORATORIUM,
  underMoratoriumOn,
} from './moratorium';

const decider = moratoriumDecider(localDay('Asia/Jakarta'));
const spec = DeciderSpecification.for(decider);
const seeded = spec.given(SEED_MORATORIUM).state();

describe('moratorium: the seed of Kepmenaker 260/2015 (domestic work for individual employers in 19 countries)', () => {
  it('lists 19 countries', () => expect(Object.keys(seeded.entries)).toHaveLength(19));

  it.each([
    ['Saudi Arabia, now', 'SA', 'domestic_individual_employer', '2026-01-01', true],
    ['Saudi Arabia, the day before the decree', 'SA', 'domestic_individual_employer', '2015-06-30', false],
    ['Saudi Arabia, the day of the decree', 'SA', 'domestic_individual_employer', '2015-07-01', true],
    ['Saudi Arabia, another sector', 'SA', 'hospitality', '2026-01-01', false],
    ['Malaysia, not listed', 'MY', 'domestic_individual_employer', '2026-01-01', false],
  ])('%s', (_case, country, sector, day, closed) => expect(underMoratoriumOn(seeded, country, sector, day)).toBe(closed));
});

describe('moratorium: a job order is judged by the employer, not the job label', () => {
  const household = { destinationCountry: 'SA', sector: 'caregiver', employerType: 'individual' as const };

  it.each([
    ['a household caregiver in Saudi Arabia is stopped', household, true],
    ["a household's driver in Saudi Arabia is stopped", { ...household, sector: 'other' }, true],
    ["a hospital's caregiver in Saudi Arabia is not", { ...household, employerType: 'legal_entity' as const }, false],
    ['a household caregiver in Malaysia is not', { ...household, destinationCountry: 'MY' }, false],
    [
      'a job order from before the employer type was asked is judged by its sector: domestic',
      { destinationCountry: 'SA', sector: 'domestic_individual_employer' },
      true,
    ],
    [
      'a job order from before the employer type was asked is judged by its sector: caregiver',
      { destinationCountry: 'SA', sector: 'caregiver' },
      false,
    ],
  ])('%s', (_case, order, closed) => expect(jobOrderUnderMoratoriumOn(seeded, order, '2026-01-01')).toBe(closed));
});

describe('moratorium decider: every period a destination was closed', () => {
  const declare = (legalBasis: string, effectiveOn: string): MoratoriumCommand => ({
    type: 'DeclareMoratorium',
    country: 'KH',
    sector: 'construction',
    legalBasis,
    effectiveOn,
  });
  const lift = (legalBasis: string, effectiveOn: string): MoratoriumCommand => ({
    type: 'LiftMoratorium',
    country: 'KH',
    sector: 'construction',
    legalBasis,
    effectiveOn,
  });
  const periods = spec.history(declare('A', '2026-05-01'), lift('B', '2026-08-01'), declare('C', '2026-10-01'));

  it('declares a moratorium from its effective day', () =>
    spec
      .given([])
      .when(declare('A', '2026-05-01'))
      .then([{ type: 'MoratoriumDeclared', data: { country: 'KH', sector: 'construction', legalBasis: 'A', effectiveOn: '2026-05-01' } }]));

  it.each([
    ['2026-04-30', false],
    ['2026-05-01', true],
    ['2026-07-31', true],
    ['2026-08-01', false],
    ['2026-09-30', false],
    ['2026-10-01', true],
  ])('a step on %s is judged by the list as it stood that day', (day, closed) =>
    expect(underMoratoriumOn(spec.given(periods).state(), 'KH', 'construction', day)).toBe(closed),
  );

  it('refuses a lifting dated before the declaration it ends', () =>
    spec.given(periods).when(lift('D', '2026-09-01')).thenThrows('MORATORIUM_DATE_INVALID'));

  it('starts from an empty list', () => expect(spec.given([]).state()).toEqual(initialMoratoriumState));
});

describe('moratorium: events written before the effective day existed', () => {
  const declared = (data: object): MoratoriumEvent['data'] => data as MoratoriumEvent['data'];

  it('the seed takes its day from the decree', () =>
    expect(
      decider.upcast({
        type: 'MoratoriumDeclared',
        data: declared({ country: 'SA', sector: 'domestic_individual_employer', legalBasis: 'Kepmenaker 260/2015' }),
        metadata: { correlationId: 'seed-kepmenaker-260-2015' },
        recordedAt: new Date('2026-01-05T00:00:00Z'),
      }).data.effectiveOn,
    ).toBe('2015-07-01'));

  it('others take the day they happened', () =>
    expect(
      decider.upcast({
        type: 'MoratoriumDeclared',
        data: declared({ country: 'KH', sector: 'fishing', legalBasis: 'x' }),
        metadata: { occurredAt: '2026-03-04T10:00:00.000Z' },
        recordedAt: new Date('2026-06-01T00:00:00Z'),
      }).data.effectiveOn,
    ).toBe('2026-03-04'));

  it('an event with its day keeps it', () =>
    expect(
      decider.upcast({
        type: 'MoratoriumLifted',
        data: declared({ country: 'KH', sector: 'fishing', legalBasis: 'x', effectiveOn: '2026-05-05' }),
        metadata: {},
        recordedAt: new Date('2026-06-01T00:00:00Z'),
      }).data.effectiveOn,
    ).toBe('2026-05-05'));
});
