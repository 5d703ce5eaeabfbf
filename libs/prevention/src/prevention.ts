/**
 * Prevention of non-procedural placement: a suspicion of illegal recruitment, its warning signs with
 * evidence, verification, interventions, and an outcome. Framework-free decider. The person at risk and the
 * recruiter are data subjects; free text arrives sealed.
 */
import { type Decider, type Envelope, NotFound, RuleViolated, type Sealed } from '@jejak/kernel';

export const preventionStream = (preventionId: string): string => `prevention-${preventionId}`;

export const SOURCES = [
  'community_report',
  'family',
  'village_official',
  'officer_observation',
  'placement_flag',
  /** An enquiry to the information service, referred here. */
  'enquiry',
  'hotline',
  'other',
] as const;
export type Source = (typeof SOURCES)[number];

/** The warning signs of the domain brief. */
export const FLAGS = [
  'tourist_visa_for_work',
  'pilgrimage_visa_for_work',
  'umrah_visa_for_work',
  'moratorium_destination',
  'unlicensed_recruiter',
  'upfront_payment',
  'held_in_shelter',
  'ltsa_bypassed',
  'village_head_not_informed',
  'falsified_village_documents',
  'duplicate_passport',
  'transit_route',
  'scam_centre_destination',
  'other',
] as const;
export type Flag = (typeof FLAGS)[number];

export const INTERVENTIONS = [
  'information_session',
  'family_counselling',
  'village_head_informed',
  'passport_deferral_requested',
  'interdiction',
  'police_report',
  /** A village regulation (Perdes) on safe migration, as domain.md lists among interventions. */
  'village_regulation',
] as const;
export type InterventionKind = (typeof INTERVENTIONS)[number];

export const OUTCOMES = ['redirected_to_legal_placement', 'departed_non_procedurally', 'referred_to_police', 'unresolved'] as const;
export type PreventionOutcome = (typeof OUTCOMES)[number];

export type FlagRecord = {
  readonly flagId: string;
  readonly flag: Flag;
  readonly status: 'raised' | 'confirmed' | 'dismissed';
  readonly recordedBy: string;
  readonly at: string;
};

export type Intervention = {
  readonly interventionId: string;
  readonly kind: InterventionKind;
  readonly on: string;
  readonly deferral: 'pending' | 'granted' | 'refused' | null;
};

export type PreventionEvent =
  | {
      readonly type: 'NonProceduralRecruitmentReported';
      readonly data: {
        readonly preventionId: string;
        readonly areaCode: string;
        readonly source: Source;
        readonly personSubjectId: string | null;
        readonly recruiterSubjectId: string | null;
        readonly destinationCountry: string | null;
        readonly route: string | null;
        readonly placementId: string | null;
        readonly sealed: Sealed;
        readonly reportedAt: string;
      };
    }
  | {
      readonly type: 'WarningFlagRaised';
      readonly data: {
        readonly flagId: string;
        readonly flag: Flag;
        readonly sealed: Sealed;
        readonly recordedBy: string;
        readonly at: string;
      };
    }
  | { readonly type: 'WarningFlagConfirmed'; readonly data: { readonly flagId: string; readonly at: string } }
  | { readonly type: 'WarningFlagDismissed'; readonly data: { readonly flagId: string; readonly reason: string; readonly at: string } }
  | { readonly type: 'PreventionReportConfirmed'; readonly data: { readonly at: string } }
  | { readonly type: 'PreventionReportDismissed'; readonly data: { readonly reason: string; readonly at: string } }
  | {
      readonly type: 'PreventionInterventionRecorded';
      readonly data: { readonly interventionId: string; readonly kind: InterventionKind; readonly sealed: Sealed; readonly on: string };
    }
  | {
      readonly type: 'PassportDeferralAnswered';
      readonly data: { readonly interventionId: string; readonly answer: 'granted' | 'refused'; readonly on: string };
    }
  | {
      readonly type: 'PreventionOutcomeRecorded';
      readonly data: {
        readonly outcome: PreventionOutcome;
        readonly placementId: string | null;
        readonly sealed: Sealed;
        readonly at: string;
      };
    }
  | {
      readonly type: 'PreventionCaseRequested';
      readonly data: {
        readonly caseId: string;
        /** As the case will hold them: the sensitive ones as tokens, sealed beside them (see the case). */
        readonly categories: readonly string[];
        readonly categoryTokens?: readonly string[];
        readonly sexToken?: string | null;
        readonly destinationCountry: string | null;
        readonly sealed: Sealed;
        readonly at: string;
      };
    }
  | { readonly type: 'PreventionClosed'; readonly data: { readonly at: string } }
  | {
      readonly type: 'PreventionLinkedToPlacement';
      readonly data: { readonly placementId: string; readonly role: 'redirected_to' | 'flagged_from' };
    }
  | { readonly type: 'PreventionLinkedToCase'; readonly data: { readonly caseId: string } }
  /** The enquiry (information service) that was referred here: the link recorded on this record too. */
  | { readonly type: 'PreventionLinkedToEnquiry'; readonly data: { readonly enquiryId: string } };

export type PreventionCommand =
  | (Envelope & {
      readonly type: 'ReportNonProceduralRecruitment';
      readonly preventionId: string;
      readonly areaCode: string;
      readonly source: Source;
      readonly personSubjectId: string | null;
      readonly recruiterSubjectId: string | null;
      readonly destinationCountry: string | null;
      readonly route: string | null;
      readonly placementId: string | null;
      readonly sealed: Sealed;
      /** Warning signs known at the report, raised with it in one append. */
      readonly flags: readonly { readonly flagId: string; readonly flag: Flag; readonly sealed: Sealed }[];
    })
  | (Envelope & { readonly type: 'RaiseFlag'; readonly flagId: string; readonly flag: Flag; readonly sealed: Sealed })
  | (Envelope & { readonly type: 'ConfirmFlag'; readonly flagId: string })
  | (Envelope & { readonly type: 'DismissFlag'; readonly flagId: string; readonly reason: string })
  | (Envelope & { readonly type: 'ConfirmReport' })
  | (Envelope & { readonly type: 'DismissReport'; readonly reason: string })
  | (Envelope & {
      readonly type: 'RecordIntervention';
      readonly interventionId: string;
      readonly kind: InterventionKind;
      readonly on: string;
      readonly sealed: Sealed;
    })
  | (Envelope & {
      readonly type: 'AnswerPassportDeferral';
      readonly interventionId: string;
      readonly answer: 'granted' | 'refused';
      readonly on: string;
    })
  | (Envelope & {
      readonly type: 'RecordOutcome';
      readonly outcome: PreventionOutcome;
      readonly placementId: string | null;
      readonly sealed: Sealed;
    })
  | (Envelope & {
      readonly type: 'RequestCase';
      readonly caseId: string;
      readonly categories: readonly string[];
      readonly categoryTokens: readonly string[];
      readonly sexToken: string | null;
      readonly destinationCountry: string | null;
      readonly sealed: Sealed;
    })
  | (Envelope & { readonly type: 'ClosePrevention' })
  | (Envelope & { readonly type: 'LinkPlacement'; readonly placementId: string; readonly role: 'redirected_to' | 'flagged_from' })
  | (Envelope & { readonly type: 'LinkCase'; readonly caseId: string })
  | (Envelope & { readonly type: 'LinkEnquiry'; readonly enquiryId: string });

/** The statuses a prevention record on file can have, for filters and queries (none: not on file). */
export const PREVENTION_STATUSES = ['reported', 'confirmed', 'dismissed', 'outcome_recorded', 'closed'] as const;
export type PreventionStatus = 'none' | (typeof PREVENTION_STATUSES)[number];

export interface PreventionState {
  readonly status: PreventionStatus;
  readonly preventionId?: string;
  readonly areaCode?: string;
  readonly source?: Source;
  readonly personSubjectId: string | null;
  readonly recruiterSubjectId: string | null;
  readonly destinationCountry: string | null;
  readonly route: string | null;
  readonly sealed: Sealed;
  readonly reportedAt?: string;
  readonly flags: Readonly<Record<string, FlagRecord>>;
  readonly interventions: Readonly<Record<string, Intervention>>;
  readonly outcome?: { readonly outcome: PreventionOutcome; readonly placementId: string | null; readonly at: string };
  readonly dismissal?: { readonly reason: string; readonly at: string };
  /** When verification confirmed the report (what "confirmed" counts), kept after an outcome or closure. */
  readonly confirmedAt?: string;
  readonly caseRequested?: string;
  /** The placement whose non-procedural flag opened this record, if any. */
  readonly originPlacementId?: string | null;
  readonly linkedPlacements: readonly { readonly placementId: string; readonly role: 'redirected_to' | 'flagged_from' }[];
  readonly linkedCases: readonly string[];
  /** Enquiries referred to this record (absent in states folded before the link existed). */
  readonly linkedEnquiries?: readonly string[];
}

export const initialPreventionState: PreventionState = {
  status: 'none',
  personSubjectId: null,
  recruiterSubjectId: null,
  destinationCountry: null,
  route: null,
  sealed: {},
  flags: {},
  interventions: {},
  linkedPlacements: [],
  linkedCases: [],
};

export type PreventionErrorCode =
  | 'PREVENTION_ALREADY_REPORTED'
  | 'PREVENTION_CLOSED'
  | 'PREVENTION_DISMISSED'
  | 'ALREADY_CONFIRMED'
  | 'NO_CONFIRMED_FLAG'
  | 'FLAG_NOT_FOUND'
  | 'FLAG_ALREADY_DECIDED'
  | 'FLAG_ALREADY_RAISED'
  | 'INTERVENTION_NOT_FOUND'
  | 'NOT_A_DEFERRAL_REQUEST'
  | 'DEFERRAL_ALREADY_ANSWERED'
  | 'OUTCOME_ALREADY_RECORDED'
  | 'OUTCOME_REQUIRED'
  | 'PERSON_REQUIRED'
  | 'NOT_DEPARTED'
  | 'CASE_ALREADY_REQUESTED';

export class PreventionRuleViolated extends RuleViolated<PreventionErrorCode> {}

/** The record itself does not exist: 404, not a rule. */
const missing = (): never => {
  throw new NotFound('PREVENTION_NOT_FOUND', 'No such prevention record');
};

const refuse = (code: PreventionErrorCode, message: string): never => {
  throw new PreventionRuleViolated(code, message);
};

export function evolvePrevention(state: PreventionState, event: PreventionEvent): PreventionState {
  switch (event.type) {
    case 'NonProceduralRecruitmentReported': {
      const {
        preventionId,
        areaCode,
        source,
        personSubjectId,
        recruiterSubjectId,
        destinationCountry,
        route,
        placementId,
        sealed,
        reportedAt,
      } = event.data;
      return {
        ...initialPreventionState,
        status: 'reported',
        preventionId,
        areaCode,
        source,
        personSubjectId,
        recruiterSubjectId,
        destinationCountry,
        route,
        sealed,
        reportedAt,
        originPlacementId: placementId,
      };
    }
    case 'WarningFlagRaised': {
      const { flagId, flag, recordedBy, at } = event.data;
      return { ...state, flags: { ...state.flags, [flagId]: { flagId, flag, status: 'raised', recordedBy, at } } };
    }
    case 'WarningFlagConfirmed':
      return { ...state, flags: { ...state.flags, [event.data.flagId]: { ...state.flags[event.data.flagId]!, status: 'confirmed' } } };
    case 'WarningFlagDismissed':
      return { ...state, flags: { ...state.flags, [event.data.flagId]: { ...state.flags[event.data.flagId]!, status: 'dismissed' } } };
    case 'PreventionReportConfirmed':
      // Verification may finish after the outcome: the report is then confirmed and stays past its outcome.
      return { ...state, status: state.status === 'outcome_recorded' ? state.status : 'confirmed', confirmedAt: event.data.at };
    case 'PreventionReportDismissed':
      return { ...state, status: 'dismissed', dismissal: { reason: event.data.reason, at: event.data.at } };
    case 'PreventionInterventionRecorded': {
      const { interventionId, kind, on } = event.data;
      const deferral = kind === 'passport_deferral_requested' ? 'pending' : null;
      return { ...state, interventions: { ...state.interventions, [interventionId]: { interventionId, kind, on, deferral } } };
    }
    case 'PassportDeferralAnswered':
      return {
        ...state,
        interventions: {
          ...state.interventions,
          [event.data.interventionId]: { ...state.interventions[event.data.interventionId]!, deferral: event.data.answer },
        },
      };
    case 'PreventionOutcomeRecorded':
      return {
        ...state,
        status: 'outcome_recorded',
        outcome: { outcome: event.data.outcome, placementId: event.data.placementId, at: event.data.at },
      };
    case 'PreventionCaseRequested':
      return { ...state, caseRequested: event.data.caseId };
    case 'PreventionClosed':
      return { ...state, status: 'closed' };
    case 'PreventionLinkedToPlacement':
      return { ...state, linkedPlacements: [...state.linkedPlacements, event.data] };
    case 'PreventionLinkedToCase':
      return { ...state, linkedCases: [...state.linkedCases, event.data.caseId] };
    case 'PreventionLinkedToEnquiry':
      return { ...state, linkedEnquiries: [...(state.linkedEnquiries ?? []), event.data.enquiryId] };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** Open: reported, confirmed or past its outcome, neither dismissed nor closed. */
function open(state: PreventionState): void {
  if (state.status === 'none') missing();
  if (state.status === 'dismissed') refuse('PREVENTION_DISMISSED', 'The report was dismissed');
  if (state.status === 'closed') refuse('PREVENTION_CLOSED', 'The prevention record is closed');
}

/** Still being worked: open and not past its outcome. */
function workable(state: PreventionState): void {
  open(state);
  if (state.status === 'outcome_recorded') refuse('OUTCOME_ALREADY_RECORDED', 'The outcome is recorded; only closing remains');
}

export function decidePrevention(command: PreventionCommand, state: PreventionState): PreventionEvent[] {
  const at = command.at.toISOString();
  switch (command.type) {
    case 'ReportNonProceduralRecruitment': {
      if (state.status !== 'none') refuse('PREVENTION_ALREADY_REPORTED', 'The prevention record already exists');
      const { type: _t, by, at: _a, today: _d, flags, ...data } = command;
      // Each flag is raised once under its id, as RaiseFlag keeps it (found by the decider's property test).
      if (new Set(flags.map((f) => f.flagId)).size !== flags.length) refuse('FLAG_ALREADY_RAISED', 'A flag id is named twice');
      return [
        { type: 'NonProceduralRecruitmentReported', data: { ...data, reportedAt: at } },
        ...flags.map((f): PreventionEvent => ({
          type: 'WarningFlagRaised',
          data: { flagId: f.flagId, flag: f.flag, sealed: f.sealed, recordedBy: by, at },
        })),
      ];
    }
    case 'RaiseFlag':
      workable(state);
      if (state.flags[command.flagId]) refuse('FLAG_ALREADY_RAISED', 'A flag with this id is already raised');
      return [
        {
          type: 'WarningFlagRaised',
          data: { flagId: command.flagId, flag: command.flag, sealed: command.sealed, recordedBy: command.by, at },
        },
      ];
    // Verification judges the warning signs whenever it can, also after the outcome was recorded.
    case 'ConfirmFlag':
    case 'DismissFlag': {
      open(state);
      const flag = state.flags[command.flagId] ?? refuse('FLAG_NOT_FOUND', 'No such flag on this record');
      if (flag.status !== 'raised') refuse('FLAG_ALREADY_DECIDED', `The flag is already ${flag.status}`);
      return command.type === 'ConfirmFlag'
        ? [{ type: 'WarningFlagConfirmed', data: { flagId: command.flagId, at } }]
        : [{ type: 'WarningFlagDismissed', data: { flagId: command.flagId, reason: command.reason, at } }];
    }
    case 'ConfirmReport':
      open(state);
      if (state.confirmedAt !== undefined) refuse('ALREADY_CONFIRMED', 'The report is already confirmed');
      if (!Object.values(state.flags).some((f) => f.status === 'confirmed')) {
        refuse('NO_CONFIRMED_FLAG', 'Confirming the report needs at least one confirmed warning sign');
      }
      return [{ type: 'PreventionReportConfirmed', data: { at } }];
    case 'DismissReport':
      workable(state);
      return [{ type: 'PreventionReportDismissed', data: { reason: command.reason, at } }];
    case 'RecordIntervention':
      workable(state);
      return [
        {
          type: 'PreventionInterventionRecorded',
          data: { interventionId: command.interventionId, kind: command.kind, sealed: command.sealed, on: command.on },
        },
      ];
    case 'AnswerPassportDeferral': {
      if (state.status === 'none') missing();
      if (state.status === 'closed') refuse('PREVENTION_CLOSED', 'The prevention record is closed');
      const intervention = state.interventions[command.interventionId] ?? refuse('INTERVENTION_NOT_FOUND', 'No such intervention');
      if (intervention.kind !== 'passport_deferral_requested')
        refuse('NOT_A_DEFERRAL_REQUEST', 'Only a passport deferral request has an answer');
      if (intervention.deferral !== 'pending') refuse('DEFERRAL_ALREADY_ANSWERED', 'Immigration already answered');
      return [
        { type: 'PassportDeferralAnswered', data: { interventionId: command.interventionId, answer: command.answer, on: command.on } },
      ];
    }
    // An outcome is a fact (the person left anyway, the police took it, nothing came of it): it is recorded
    // from any open report, confirmed or not. "Confirmed" stays what verification said.
    case 'RecordOutcome':
      workable(state);
      if (command.outcome === 'redirected_to_legal_placement' && state.personSubjectId === null) {
        refuse('PERSON_REQUIRED', 'A redirection to a legal placement needs the person at risk on record');
      }
      return [
        {
          type: 'PreventionOutcomeRecorded',
          data: { outcome: command.outcome, placementId: command.placementId, sealed: command.sealed, at },
        },
      ];
    case 'RequestCase':
      if (state.status === 'none') missing();
      if (state.outcome?.outcome !== 'departed_non_procedurally')
        refuse('NOT_DEPARTED', 'A case is opened from a record whose person departed');
      if (state.personSubjectId === null) refuse('PERSON_REQUIRED', 'A case needs the person at risk on record');
      if (state.caseRequested) refuse('CASE_ALREADY_REQUESTED', 'A case was already requested from this record');
      return [
        {
          type: 'PreventionCaseRequested',
          data: {
            caseId: command.caseId,
            categories: command.categories,
            categoryTokens: command.categoryTokens,
            sexToken: command.sexToken,
            destinationCountry: command.destinationCountry,
            sealed: command.sealed,
            at,
          },
        },
      ];
    case 'ClosePrevention':
      if (state.status === 'none') missing();
      if (state.status === 'closed') refuse('PREVENTION_CLOSED', 'The prevention record is already closed');
      if (state.status !== 'outcome_recorded' && state.status !== 'dismissed')
        refuse('OUTCOME_REQUIRED', 'Record the outcome (or dismiss the report) before closing');
      return [{ type: 'PreventionClosed', data: { at } }];
    // Links are bookkeeping by process managers: allowed in any state, and deciding nothing when done already.
    case 'LinkPlacement':
      if (state.status === 'none') missing();
      if (state.linkedPlacements.some((l) => l.placementId === command.placementId)) return [];
      return [{ type: 'PreventionLinkedToPlacement', data: { placementId: command.placementId, role: command.role } }];
    case 'LinkCase':
      if (state.status === 'none') missing();
      if (state.linkedCases.includes(command.caseId)) return [];
      return [{ type: 'PreventionLinkedToCase', data: { caseId: command.caseId } }];
    case 'LinkEnquiry':
      if (state.status === 'none') missing();
      if ((state.linkedEnquiries ?? []).includes(command.enquiryId)) return [];
      return [{ type: 'PreventionLinkedToEnquiry', data: { enquiryId: command.enquiryId } }];
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const preventionDecider: Decider<PreventionState, PreventionCommand, PreventionEvent> = {
  initialState: initialPreventionState,
  evolve: evolvePrevention,
  decide: decidePrevention,
};
