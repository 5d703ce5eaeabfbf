/**
 * The data subject: a person (worker, complainant, family member) whose personal data Jejak holds.
 * Framework-free decider. Personal values arrive already sealed (see PersonalDataVault): this module never
 * sees them in clear, and nothing personal is in the stream name (`subject-<uuid>`) or in event types.
 */
import { type Decider, type Issued, NotFound, RuleViolated } from '@jejak/kernel';

import type { SealedFields } from './vault';

export const SUBJECT_KINDS = ['worker', 'complainant', 'family', 'recruiter'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** The personal fields a subject record may hold (Law 27/2022: all personal; health ones are "specific"). */
export const PERSONAL_FIELDS = ['name', 'nik', 'birthDate', 'sex', 'phone', 'address', 'photoHash'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

export const subjectStream = (subjectId: string): string => `subject-${subjectId}`;

/** What the person's data is processed for: consent is given and withdrawn per purpose. */
export const PURPOSES = ['placement_facilitation', 'case_accompaniment', 'prevention', 'information_services'] as const;
export type Purpose = (typeof PURPOSES)[number];

// A type alias, not an interface: events must be assignable to JSON, which interfaces are not in TypeScript.
export type LegalHold = {
  readonly reason: string;
  readonly legalBasis: string;
  readonly reference?: string;
};

export type SubjectEvent =
  | {
      readonly type: 'SubjectRegistered';
      readonly data: {
        readonly subjectId: string;
        readonly kind: SubjectKind;
        readonly areaCode: string;
        readonly personal: SealedFields;
        readonly consentBasis: string;
        readonly registeredAt: string;
        /**
         * The person already registered under the same NIK in another territory. The caller could not see
         * them, so this subject holds what the caller entered, and the link says it is the same person.
         */
        readonly sameAs?: string;
      };
    }
  | {
      readonly type: 'SubjectDataCorrected';
      readonly data: { readonly personal: SealedFields; readonly fields: readonly string[]; readonly reason: string };
    }
  | { readonly type: 'SubjectLegalHoldPlaced'; readonly data: LegalHold & { readonly placedAt: string } }
  | { readonly type: 'SubjectLegalHoldReleased'; readonly data: { readonly reason: string; readonly releasedAt: string } }
  | { readonly type: 'SubjectErased'; readonly data: { readonly reason: string; readonly legalBasis: string; readonly erasedAt: string } }
  | { readonly type: 'SubjectAccessReportProvided'; readonly data: { readonly providedAt: string } }
  /** Consent withdrawn for a purpose: from `withdrawnAt` no new processing for it (the law allows 3 × 24 hours; Jejak stops at once). */
  | {
      readonly type: 'SubjectConsentWithdrawn';
      readonly data: { readonly purpose: Purpose; readonly withdrawnAt: string; readonly stopsBy: string };
    };

export type SubjectCommand = Issued<
  | {
      readonly type: 'RegisterSubject';
      readonly subjectId: string;
      readonly kind: SubjectKind;
      readonly areaCode: string;
      readonly personal: SealedFields;
      readonly consentBasis: string;
      readonly sameAs?: string;
    }
  | { readonly type: 'CorrectSubjectData'; readonly personal: SealedFields; readonly reason: string }
  | { readonly type: 'PlaceLegalHold'; readonly hold: LegalHold }
  | { readonly type: 'ReleaseLegalHold'; readonly reason: string }
  | { readonly type: 'EraseSubject'; readonly reason: string; readonly legalBasis: string }
  | { readonly type: 'RecordAccessReport' }
  | { readonly type: 'WithdrawConsent'; readonly purpose: Purpose }
>;

export interface SubjectState {
  readonly status: 'none' | 'active' | 'erased';
  readonly subjectId?: string;
  readonly kind?: SubjectKind;
  readonly areaCode?: string;
  /** Latest sealed value of each field. */
  readonly personal: SealedFields;
  readonly legalHold?: LegalHold;
  readonly registeredAt?: string;
  readonly erasedAt?: string;
  /** The same person registered in another territory (see SubjectRegistered). */
  readonly sameAs?: string;
  /** Purposes consent was withdrawn for, and when. */
  readonly withdrawn?: Readonly<Partial<Record<Purpose, string>>>;
}

export const initialSubjectState: SubjectState = { status: 'none', personal: {} };

export class SubjectRuleViolated extends RuleViolated<
  'SUBJECT_ALREADY_REGISTERED' | 'SUBJECT_ERASED' | 'LEGAL_HOLD_ACTIVE' | 'NO_LEGAL_HOLD' | 'CONSENT_ALREADY_WITHDRAWN'
> {}

export function evolveSubject(state: SubjectState, event: SubjectEvent): SubjectState {
  switch (event.type) {
    case 'SubjectRegistered':
      return {
        status: 'active',
        subjectId: event.data.subjectId,
        kind: event.data.kind,
        areaCode: event.data.areaCode,
        personal: event.data.personal,
        registeredAt: event.data.registeredAt,
        ...(event.data.sameAs ? { sameAs: event.data.sameAs } : {}),
      };
    case 'SubjectDataCorrected':
      return { ...state, personal: { ...state.personal, ...event.data.personal } };
    case 'SubjectLegalHoldPlaced': {
      const { placedAt: _placedAt, ...hold } = event.data;
      return { ...state, legalHold: hold };
    }
    case 'SubjectLegalHoldReleased': {
      const { legalHold: _released, ...rest } = state;
      return rest;
    }
    case 'SubjectErased':
      return { ...state, status: 'erased', erasedAt: event.data.erasedAt };
    case 'SubjectAccessReportProvided':
      return state;
    case 'SubjectConsentWithdrawn':
      return { ...state, withdrawn: { ...state.withdrawn, [event.data.purpose]: event.data.withdrawnAt } };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function active(state: SubjectState): void {
  if (state.status === 'none') throw new NotFound('SUBJECT_NOT_FOUND', 'No such data subject');
  if (state.status === 'erased') throw new SubjectRuleViolated('SUBJECT_ERASED', 'The data subject has been erased');
}

export function decideSubject(command: SubjectCommand, state: SubjectState): SubjectEvent[] {
  switch (command.type) {
    case 'RegisterSubject':
      if (state.status !== 'none') throw new SubjectRuleViolated('SUBJECT_ALREADY_REGISTERED', 'The data subject already exists');
      return [
        {
          type: 'SubjectRegistered',
          data: {
            subjectId: command.subjectId,
            kind: command.kind,
            areaCode: command.areaCode,
            personal: command.personal,
            consentBasis: command.consentBasis,
            registeredAt: command.at.toISOString(),
            ...(command.sameAs ? { sameAs: command.sameAs } : {}),
          },
        },
      ];
    case 'CorrectSubjectData':
      active(state);
      return [
        {
          type: 'SubjectDataCorrected',
          data: { personal: command.personal, fields: Object.keys(command.personal).sort(), reason: command.reason },
        },
      ];
    case 'PlaceLegalHold':
      active(state);
      return [{ type: 'SubjectLegalHoldPlaced', data: { ...command.hold, placedAt: command.at.toISOString() } }];
    case 'ReleaseLegalHold':
      active(state);
      if (!state.legalHold) throw new SubjectRuleViolated('NO_LEGAL_HOLD', 'The data subject is not under a legal hold');
      return [{ type: 'SubjectLegalHoldReleased', data: { reason: command.reason, releasedAt: command.at.toISOString() } }];
    case 'EraseSubject':
      if (state.status === 'erased') return []; // erasing twice changes nothing
      active(state);
      if (state.legalHold) {
        throw new SubjectRuleViolated('LEGAL_HOLD_ACTIVE', 'A legal hold blocks erasure until it is released');
      }
      return [
        { type: 'SubjectErased', data: { reason: command.reason, legalBasis: command.legalBasis, erasedAt: command.at.toISOString() } },
      ];
    case 'RecordAccessReport':
      if (state.status === 'none') throw new NotFound('SUBJECT_NOT_FOUND', 'No such data subject');
      return [{ type: 'SubjectAccessReportProvided', data: { providedAt: command.at.toISOString() } }];
    case 'WithdrawConsent': {
      active(state);
      if (state.withdrawn?.[command.purpose])
        throw new SubjectRuleViolated('CONSENT_ALREADY_WITHDRAWN', 'Consent for this purpose is already withdrawn');
      const withdrawnAt = command.at.toISOString();
      return [
        {
          type: 'SubjectConsentWithdrawn',
          data: { purpose: command.purpose, withdrawnAt, stopsBy: new Date(command.at.getTime() + 72 * 3_600_000).toISOString() },
        },
      ];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const subjectDecider: Decider<SubjectState, SubjectCommand, SubjectEvent> = {
  initialState: initialSubjectState,
  evolve: evolveSubject,
  decide: decideSubject,
};

/** Whether the person's data may still be processed for a purpose at `at`: consent not withdrawn by then. */
export const consentStands = (state: SubjectState, purpose: Purpose, at: Date): boolean => {
  const since = state.withdrawn?.[purpose];
  return since === undefined || at.toISOString() < since;
};
