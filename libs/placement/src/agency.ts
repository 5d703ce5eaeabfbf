/**
 * Licensed placement companies (P3MI) as reference data: each an `agency-<uuid>` stream, so that every
 * licence, renewal and revocation is on record and a job order can be checked against the licence as it
 * stood on the job order's date.
 */
import { type Decider, NotFound, RuleViolated } from '@jejak/kernel';

import type { CalendarDate } from './dates';

export const agencyStream = (agencyId: string): string => `agency-${agencyId}`;

export type AgencyEvent =
  | {
      readonly type: 'AgencyLicensed';
      readonly data: {
        readonly agencyId: string;
        readonly name: string;
        readonly licenceNumber: string;
        readonly validFrom: CalendarDate;
        readonly validUntil: CalendarDate;
      };
    }
  | { readonly type: 'AgencyLicenceRenewed'; readonly data: { readonly licenceNumber: string; readonly validUntil: CalendarDate } }
  | { readonly type: 'AgencyLicenceRevoked'; readonly data: { readonly revokedOn: CalendarDate; readonly reason: string } }
  /** A recruitment permit (SIP2MI): the ministry's leave to recruit for one destination, for a period. */
  | { readonly type: 'RecruitmentPermitIssued'; readonly data: RecruitmentPermit };

export type RecruitmentPermit = {
  readonly permitNumber: string;
  readonly destinationCountry: string;
  readonly validFrom: CalendarDate;
  readonly validUntil: CalendarDate;
};

export type AgencyCommand =
  | {
      readonly type: 'LicenseAgency';
      readonly agencyId: string;
      readonly name: string;
      readonly licenceNumber: string;
      readonly validFrom: CalendarDate;
      readonly validUntil: CalendarDate;
    }
  | { readonly type: 'RenewAgencyLicence'; readonly licenceNumber: string; readonly validUntil: CalendarDate }
  | { readonly type: 'RevokeAgencyLicence'; readonly revokedOn: CalendarDate; readonly reason: string }
  | ({ readonly type: 'IssueRecruitmentPermit' } & RecruitmentPermit);

export interface AgencyState {
  readonly status: 'none' | 'licensed' | 'revoked';
  readonly agencyId?: string;
  readonly name?: string;
  readonly licenceNumber?: string;
  readonly validFrom?: CalendarDate;
  readonly validUntil?: CalendarDate;
  readonly revokedOn?: CalendarDate;
  /** Recruitment permits (SIP2MI) by number. */
  readonly permits?: Readonly<Record<string, RecruitmentPermit>>;
}

export const initialAgencyState: AgencyState = { status: 'none' };

export class AgencyRuleViolated extends RuleViolated<'AGENCY_EXISTS' | 'AGENCY_REVOKED' | 'INVALID_LICENCE_PERIOD' | 'PERMIT_EXISTS'> {}

export function evolveAgency(state: AgencyState, event: AgencyEvent): AgencyState {
  switch (event.type) {
    case 'AgencyLicensed':
      return { status: 'licensed', ...event.data };
    case 'AgencyLicenceRenewed':
      return { ...state, licenceNumber: event.data.licenceNumber, validUntil: event.data.validUntil };
    case 'AgencyLicenceRevoked':
      return { ...state, status: 'revoked', revokedOn: event.data.revokedOn };
    case 'RecruitmentPermitIssued':
      return { ...state, permits: { ...state.permits, [event.data.permitNumber]: event.data } };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function decideAgency(command: AgencyCommand, state: AgencyState): AgencyEvent[] {
  switch (command.type) {
    case 'LicenseAgency': {
      if (state.status !== 'none') throw new AgencyRuleViolated('AGENCY_EXISTS', 'The agency is already on record');
      if (command.validUntil < command.validFrom)
        throw new AgencyRuleViolated('INVALID_LICENCE_PERIOD', 'The licence ends before it starts');
      const { type: _type, ...data } = command;
      return [{ type: 'AgencyLicensed', data }];
    }
    case 'RenewAgencyLicence':
      if (state.status === 'none') throw new NotFound('AGENCY_NOT_FOUND', 'No such agency');
      if (state.status === 'revoked') throw new AgencyRuleViolated('AGENCY_REVOKED', 'A revoked licence cannot be renewed');
      if (command.validUntil <= state.validUntil!)
        throw new AgencyRuleViolated('INVALID_LICENCE_PERIOD', 'A renewal must extend the licence');
      return [{ type: 'AgencyLicenceRenewed', data: { licenceNumber: command.licenceNumber, validUntil: command.validUntil } }];
    case 'RevokeAgencyLicence':
      if (state.status === 'none') throw new NotFound('AGENCY_NOT_FOUND', 'No such agency');
      if (state.status === 'revoked') throw new AgencyRuleViolated('AGENCY_REVOKED', 'The licence is already revoked');
      return [{ type: 'AgencyLicenceRevoked', data: { revokedOn: command.revokedOn, reason: command.reason } }];
    case 'IssueRecruitmentPermit': {
      if (state.status === 'none') throw new NotFound('AGENCY_NOT_FOUND', 'No such agency');
      if (state.status === 'revoked')
        throw new AgencyRuleViolated('AGENCY_REVOKED', 'A company whose licence is revoked gets no recruitment permit');
      if (state.permits?.[command.permitNumber])
        throw new AgencyRuleViolated('PERMIT_EXISTS', 'A recruitment permit with this number is already on record');
      if (command.validUntil < command.validFrom)
        throw new AgencyRuleViolated('INVALID_LICENCE_PERIOD', 'The permit ends before it starts');
      const { type: _type, ...permit } = command;
      return [{ type: 'RecruitmentPermitIssued', data: permit }];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const agencyDecider: Decider<AgencyState, AgencyCommand, AgencyEvent> = {
  initialState: initialAgencyState,
  evolve: evolveAgency,
  decide: decideAgency,
};

/** Whether the licence was in force on `on`: within its period and not yet revoked. */
export function licenceValidOn(state: AgencyState, on: CalendarDate): boolean {
  if (state.status === 'none' || !state.validFrom || !state.validUntil) return false;
  if (on < state.validFrom || on > state.validUntil) return false;
  return !(state.revokedOn !== undefined && on >= state.revokedOn);
}

/**
 * The recruitment permit (SIP2MI) a job order names, as it stood on `on`: on record for this company, for
 * the job order's destination, and within its period (and the company's licence not revoked by then).
 */
export function permitOn(
  state: AgencyState,
  permitNumber: string,
  destinationCountry: string,
  on: CalendarDate,
): 'valid' | 'missing' | 'other_destination' | 'not_valid' {
  const permit = state.permits?.[permitNumber];
  if (!permit) return 'missing';
  if (permit.destinationCountry !== destinationCountry) return 'other_destination';
  if (on < permit.validFrom || on > permit.validUntil) return 'not_valid';
  return state.revokedOn !== undefined && on >= state.revokedOn ? 'not_valid' : 'valid';
}
