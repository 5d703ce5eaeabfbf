/**
 * Destinations and sectors where placement is stopped, as one reference stream: every declaration and
 * lifting is an event, so the list as it stood on any date can be shown to an auditor.
 */
import { JejakError } from '@jejak/kernel';

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
 * Kepmenaker 260/2015 (in force 1 July 2015): domestic work for individual employers in 19 Middle-East
 * countries. Sources disagree on the exact list (a regional office also names Iran, Pakistan and South
 * Sudan); these are the 19 of the foreign ministry's notice plus Syria, which the ministry of manpower
 * confirms. Admins correct the list over HTTP, and each change is an event.
 */
export const KEPMENAKER_260_2015 = ['DZ', 'SA', 'BH', 'IQ', 'KW', 'LB', 'LY', 'MA', 'MR', 'EG', 'OM', 'PS', 'QA', 'SD', 'SY', 'TN', 'AE', 'YE', 'JO'] as const;

export type MoratoriumEvent =
  | { readonly type: 'MoratoriumDeclared'; readonly data: { readonly country: string; readonly sector: Sector; readonly legalBasis: string } }
  | { readonly type: 'MoratoriumLifted'; readonly data: { readonly country: string; readonly sector: Sector; readonly legalBasis: string } };

export type MoratoriumCommand =
  | { readonly type: 'DeclareMoratorium'; readonly country: string; readonly sector: Sector; readonly legalBasis: string }
  | { readonly type: 'LiftMoratorium'; readonly country: string; readonly sector: Sector; readonly legalBasis: string };

export interface MoratoriumState {
  /** `country:sector` -> legal basis. */
  readonly entries: Readonly<Record<string, string>>;
}

export const initialMoratoriumState: MoratoriumState = { entries: {} };

const key = (country: string, sector: string): string => `${country}:${sector}`;

export class MoratoriumRuleViolated extends JejakError {
  readonly kind = 'conflict' as const;
  constructor(
    readonly code: 'MORATORIUM_EXISTS' | 'MORATORIUM_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

export function evolveMoratorium(state: MoratoriumState, event: MoratoriumEvent): MoratoriumState {
  switch (event.type) {
    case 'MoratoriumDeclared':
      return { entries: { ...state.entries, [key(event.data.country, event.data.sector)]: event.data.legalBasis } };
    case 'MoratoriumLifted': {
      const { [key(event.data.country, event.data.sector)]: _lifted, ...rest } = state.entries;
      return { entries: rest };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function decideMoratorium(command: MoratoriumCommand, state: MoratoriumState): MoratoriumEvent[] {
  const exists = key(command.country, command.sector) in state.entries;
  const data = { country: command.country, sector: command.sector, legalBasis: command.legalBasis };
  switch (command.type) {
    case 'DeclareMoratorium':
      if (exists) throw new MoratoriumRuleViolated('MORATORIUM_EXISTS', 'This destination and sector are already under moratorium');
      return [{ type: 'MoratoriumDeclared', data }];
    case 'LiftMoratorium':
      if (!exists) throw new MoratoriumRuleViolated('MORATORIUM_NOT_FOUND', 'This destination and sector are not under moratorium');
      return [{ type: 'MoratoriumLifted', data }];
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const moratoriumDecider = { initialState: initialMoratoriumState, evolve: evolveMoratorium, decide: decideMoratorium };

export const underMoratorium = (state: MoratoriumState, country: string, sector: string): boolean => key(country, sector) in state.entries;

/** The seed: what the decree stopped. */
export const SEED_MORATORIUM: readonly MoratoriumEvent[] = KEPMENAKER_260_2015.map((country) => ({
  type: 'MoratoriumDeclared',
  data: { country, sector: 'domestic_individual_employer', legalBasis: 'Kepmenaker 260/2015' },
}));
