/**
 * Destinations and sectors where placement is stopped, as one reference stream: every declaration and
 * lifting is an event, so the list as it stood on any date can be shown to an auditor.
 */
import { type Decider, RuleViolated } from '@jejak/kernel';

/** One list for the whole deployment; a fixed id keeps the `<category>-<uuid>` naming. */
export const MORATORIUM_STREAM = 'moratorium-00000000-0000-4000-8000-000000000260';

export const SECTORS = [
  'domestic_individual_employer',
  'caregiver',
  'manufacturing',
  'construction',
  'plantation',
  'fishing',
  'hospitality',
  'healthcare',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];

/**
 * Who the worker would work for. Kepmenaker 260/2015 stops placement with individual employers (pengguna
 * perseorangan), "such as domestic workers": a household's caregiver or driver is stopped too.
 */
export const EMPLOYER_TYPES = ['individual', 'legal_entity'] as const;
export type EmployerType = (typeof EMPLOYER_TYPES)[number];

/** The list's entry that stands for "work for individual employers" (the decree's scope), whatever the job. */
const INDIVIDUAL_EMPLOYER_SECTOR: Sector = 'domestic_individual_employer';

/**
 * Kepmenaker 260/2015 (in force 1 July 2015): domestic work for individual employers in 19 Middle-East
 * countries. Sources disagree on the exact list (a regional office also names Iran, Pakistan and South
 * Sudan); these are the 19 of the foreign ministry's notice plus Syria, which the ministry of manpower
 * confirms. Admins correct the list over HTTP, and each change is an event.
 */
export const KEPMENAKER_260_2015 = [
  'DZ',
  'SA',
  'BH',
  'IQ',
  'KW',
  'LB',
  'LY',
  'MA',
  'MR',
  'EG',
  'OM',
  'PS',
  'QA',
  'SD',
  'SY',
  'TN',
  'AE',
  'YE',
  'JO',
] as const;

/** The day the decree takes effect (declared) or stops (lifted), `YYYY-MM-DD` in the deployment's time zone. */
type Effective = { readonly effectiveOn: string };

/**
 * Events written before `effectiveOn` existed carry none; the reader supplies it (see
 * `moratoriumEventWithDate`), so the deciders and folds below always see one.
 */
export type MoratoriumEvent =
  | {
      readonly type: 'MoratoriumDeclared';
      readonly data: Effective & { readonly country: string; readonly sector: Sector; readonly legalBasis: string };
    }
  | {
      readonly type: 'MoratoriumLifted';
      readonly data: Effective & { readonly country: string; readonly sector: Sector; readonly legalBasis: string };
    };

export type MoratoriumCommand =
  | (Effective & { readonly type: 'DeclareMoratorium'; readonly country: string; readonly sector: Sector; readonly legalBasis: string })
  | (Effective & { readonly type: 'LiftMoratorium'; readonly country: string; readonly sector: Sector; readonly legalBasis: string });

/** One stretch of time a destination and sector were closed: from the day declared to the day lifted (excluded). */
export interface MoratoriumPeriod {
  readonly from: string;
  readonly until: string | null;
  readonly legalBasis: string;
}

export interface MoratoriumState {
  /** `country:sector` -> legal basis, for those under moratorium after the last event. */
  readonly entries: Readonly<Record<string, string>>;
  /** `country:sector` -> every period it was under moratorium, oldest first: the list as it stood on any day. */
  readonly periods: Readonly<Record<string, readonly MoratoriumPeriod[]>>;
}

export const initialMoratoriumState: MoratoriumState = { entries: {}, periods: {} };

/** The correlation id of the seed's events. */
export const SEED_CORRELATION = 'seed-kepmenaker-260-2015';

/** The decree's own date, for the seed events written before they carried one. */
export const KEPMENAKER_260_2015_IN_FORCE = '2015-07-01';

const key = (country: string, sector: string): string => `${country}:${sector}`;

export class MoratoriumRuleViolated extends RuleViolated<'MORATORIUM_EXISTS' | 'MORATORIUM_NOT_FOUND' | 'MORATORIUM_DATE_INVALID'> {}

export function evolveMoratorium(state: MoratoriumState, event: MoratoriumEvent): MoratoriumState {
  switch (event.type) {
    case 'MoratoriumDeclared': {
      const k = key(event.data.country, event.data.sector);
      const period: MoratoriumPeriod = { from: event.data.effectiveOn, until: null, legalBasis: event.data.legalBasis };
      return {
        entries: { ...state.entries, [k]: event.data.legalBasis },
        periods: { ...state.periods, [k]: [...(state.periods[k] ?? []), period] },
      };
    }
    case 'MoratoriumLifted': {
      const k = key(event.data.country, event.data.sector);
      const { [k]: _lifted, ...rest } = state.entries;
      const periods = (state.periods[k] ?? []).map((p) => (p.until === null ? { ...p, until: event.data.effectiveOn } : p));
      return { entries: rest, periods: { ...state.periods, [k]: periods } };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function decideMoratorium(command: MoratoriumCommand, state: MoratoriumState): MoratoriumEvent[] {
  const k = key(command.country, command.sector);
  const exists = k in state.entries;
  const data = { country: command.country, sector: command.sector, legalBasis: command.legalBasis, effectiveOn: command.effectiveOn };
  switch (command.type) {
    case 'DeclareMoratorium':
      if (exists) throw new MoratoriumRuleViolated('MORATORIUM_EXISTS', 'This destination and sector are already under moratorium');
      return [{ type: 'MoratoriumDeclared', data }];
    case 'LiftMoratorium':
      if (!exists) throw new MoratoriumRuleViolated('MORATORIUM_NOT_FOUND', 'This destination and sector are not under moratorium');
      if (command.effectiveOn < state.periods[k]!.at(-1)!.from) {
        throw new MoratoriumRuleViolated(
          'MORATORIUM_DATE_INVALID',
          `The moratorium took effect on ${state.periods[k]!.at(-1)!.from}: it cannot be lifted before then`,
        );
      }
      return [{ type: 'MoratoriumLifted', data }];
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

/**
 * The moratorium list's decider, reading older events with their effective day; `dayOf` gives the
 * deployment's calendar day of an instant.
 */
export const moratoriumDecider = (
  dayOf: (at: Date) => string,
): Decider<MoratoriumState, MoratoriumCommand, MoratoriumEvent> &
  Required<Pick<Decider<MoratoriumState, MoratoriumCommand, MoratoriumEvent>, 'upcast'>> => ({
  initialState: initialMoratoriumState,
  evolve: evolveMoratorium,
  decide: decideMoratorium,
  upcast: (event) => {
    const { occurredAt, correlationId } = event.metadata;
    const at = typeof occurredAt === 'string' ? new Date(occurredAt) : event.recordedAt;
    return moratoriumEventWithDate(event, dayOf(at), typeof correlationId === 'string' ? correlationId : undefined);
  },
});

/** Whether the destination and sector were under moratorium on a day (`YYYY-MM-DD`): rules judge a step by the list as it stood then. */
export const underMoratoriumOn = (state: MoratoriumState, country: string, sector: string, day: string): boolean =>
  (state.periods[key(country, sector)] ?? []).some((p) => p.from <= day && (p.until === null || day < p.until));

/** The employer type of a job order; one recorded before the type existed is judged by its sector. */
export const employerTypeOf = (jobOrder: { readonly sector: string; readonly employerType?: EmployerType | null }): EmployerType | null =>
  jobOrder.employerType ?? (jobOrder.sector === INDIVIDUAL_EMPLOYER_SECTOR ? 'individual' : null);

/**
 * Whether a job order was closed on a day: its destination and sector are listed, or its employer is an
 * individual and the destination is listed for individual employers (the decree's own criterion).
 */
export function jobOrderUnderMoratoriumOn(
  state: MoratoriumState,
  jobOrder: { readonly destinationCountry: string; readonly sector: string; readonly employerType?: EmployerType | null },
  day: string,
): boolean {
  if (underMoratoriumOn(state, jobOrder.destinationCountry, jobOrder.sector, day)) return true;
  return (
    employerTypeOf(jobOrder) === 'individual' && underMoratoriumOn(state, jobOrder.destinationCountry, INDIVIDUAL_EMPLOYER_SECTOR, day)
  );
}

/**
 * An event as recorded, with its effective day: its own `effectiveOn`, or for events written before that
 * field (the seed and earlier changes), the decree's date for the seed and otherwise the day the change
 * was recorded as happening.
 */
export function moratoriumEventWithDate(
  event: { type: string; data: unknown },
  recordedOn: string,
  correlationId?: string,
): MoratoriumEvent {
  const data = event.data as Partial<Effective> & Omit<MoratoriumEvent['data'], 'effectiveOn'>;
  if (data.effectiveOn) return event as MoratoriumEvent;
  const effectiveOn = correlationId === SEED_CORRELATION ? KEPMENAKER_260_2015_IN_FORCE : recordedOn;
  return { type: event.type, data: { ...data, effectiveOn } } as MoratoriumEvent;
}

/** The seed: what the decree stopped. */
export const SEED_MORATORIUM: readonly MoratoriumEvent[] = KEPMENAKER_260_2015.map((country) => ({
  type: 'MoratoriumDeclared',
  data: { country, sector: 'domestic_individual_employer', legalBasis: 'Kepmenaker 260/2015', effectiveOn: KEPMENAKER_260_2015_IN_FORCE },
}));
