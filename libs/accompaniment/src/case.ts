/**
 * Case accompaniment: a worker's complaint from intake to a closure a supervisor approved. Framework-free
 * decider. The complainant and the worker are data subjects; every free-text field that can hold personal
 * data (the complaint, notes, minutes, summaries) arrives sealed with the worker's key.
 */
import { type Decider, type Envelope, NotFound, RuleViolated, type Sealed } from '@jejak/kernel';

export const caseStream = (caseId: string): string => `case-${caseId}`;

/** The complaint categories the agency publishes. */
export const CATEGORIES = [
  'wants_repatriation',
  'unpaid_wages',
  'died_abroad',
  'ill',
  'mental_illness',
  'failed_to_depart',
  'job_fraud',
  'trafficking',
  'work_not_matching_contract',
  'employer_violence',
  'sexual_harassment',
  'lost_contact',
  'overcharged_fees',
  'deported',
  'pregnant_or_child',
  'social_security_claim',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Categories that are specific personal data (Law 27/2022 art. 4: health, sexual life, crimes against the
 * person): they never stand in clear in an event. The person's key seals them (`sealed.sensitiveCategories`,
 * shown to readers in scope, gone with erasure) and a keyed token per category stands for each one in
 * figures and lists (`categoryTokens`).
 */
export const SENSITIVE_CATEGORIES: readonly Category[] = [
  'died_abroad',
  'ill',
  'mental_illness',
  'trafficking',
  'employer_violence',
  'sexual_harassment',
  'pregnant_or_child',
];
export const isSensitiveCategory = (category: string): boolean => (SENSITIVE_CATEGORIES as readonly string[]).includes(category);

export const CHANNELS = ['walk_in', 'hotline', 'family_report', 'referral', 'online'] as const;
export type Channel = (typeof CHANNELS)[number];

export const URGENCIES = ['critical', 'high', 'normal', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const ACTION_KINDS = [
  'clarification_with_p3mi',
  'mediation',
  'referral',
  'social_security_claim',
  'insurance_claim',
  'repatriation',
  'litigation_support',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const REFERRAL_TARGETS = ['embassy', 'police', 'provincial_office', 'other_organisation'] as const;
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];

export const OUTCOMES = ['wages_recovered', 'repatriated', 'compensation_paid', 'remains_returned', 'referred_on', 'no_outcome'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Outcomes that are amounts of money: the amount, in whole rupiah, is kept with them when given. */
export const MONEY_OUTCOMES: readonly Outcome[] = ['wages_recovered', 'compensation_paid'];

/** Money recovered for the worker: the one outcome whose amount domain.md requires ("wages recovered, in rupiah"). */
export const AMOUNT_REQUIRED_OUTCOMES: readonly Outcome[] = ['wages_recovered'];

/** How long an unanswered referral waits before it may be recorded as "no response" without a reason. */
export const DEFAULT_NO_RESPONSE_DAYS = 30;

export const RELATIONSHIPS = ['self', 'spouse', 'parent', 'child', 'sibling', 'other_family', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** An amount of money: whole rupiah in events written before amounts were sealed, a sealed value since. */
export type Amount = number | string | null;

export type ActionStatus = 'started' | 'accepted' | 'declined' | 'no_response' | 'completed';

export type CaseAction = {
  readonly actionId: string;
  readonly kind: ActionKind;
  readonly status: ActionStatus;
  readonly referredTo: ReferralTarget | null;
  readonly organisation: string | null;
  /** Whole rupiah, or sealed (`pd1:`) with the worker's key as recorded from now on: money tied to a person. */
  readonly amountClaimed: Amount;
  readonly amountPaid: Amount;
  readonly startedAt: string;
  readonly closedAt: string | null;
};

export type CaseEvent =
  | {
      readonly type: 'CaseOpened';
      readonly data: {
        readonly caseId: string;
        readonly areaCode: string;
        readonly channel: Channel;
        /** The categories that may stand in clear; the sensitive ones are in `categoryTokens` and `sealed`. */
        readonly categories: readonly Category[];
        readonly categoryTokens?: readonly string[];
        /** The worker's sex as a keyed token (null when not given at intake): counted, never shown. */
        readonly sexToken?: string | null;
        readonly workerSubjectId: string;
        readonly complainantSubjectId: string;
        readonly relationship: Relationship;
        /** Null when the complainant does not know it (defrauded before departure): counted as "unknown". */
        readonly destinationCountry: string | null;
        readonly agencyId: string | null;
        readonly placementId: string | null;
        /** The complaint and the employer's name, sealed with the worker's key. */
        readonly sealed: Sealed;
        readonly openedAt: string;
        readonly openedBy: string;
      };
    }
  | {
      readonly type: 'CaseVerified';
      readonly data: {
        readonly procedural: 'procedural' | 'non_procedural' | 'unknown';
        readonly placementId: string | null;
        readonly verifiedAt: string;
      };
    }
  | {
      readonly type: 'CaseClassified';
      readonly data: {
        readonly urgency: Urgency;
        readonly categories: readonly Category[];
        readonly categoryTokens?: readonly string[];
        /** `sensitiveCategories`, sealed with the worker's key, when any. */
        readonly sealed?: Sealed;
        readonly classifiedAt: string;
      };
    }
  | { readonly type: 'CaseAssigned'; readonly data: { readonly officerId: string; readonly assignedAt: string } }
  | {
      readonly type: 'CaseReassigned';
      readonly data: { readonly from: string; readonly to: string; readonly reason: string; readonly reassignedAt: string };
    }
  | {
      readonly type: 'CaseActionStarted';
      readonly data: {
        readonly actionId: string;
        readonly kind: Exclude<ActionKind, 'referral'>;
        readonly amountClaimed: Amount;
        readonly sealed: Sealed;
        readonly startedAt: string;
      };
    }
  | {
      readonly type: 'CaseReferralMade';
      readonly data: {
        readonly actionId: string;
        readonly to: ReferralTarget;
        readonly organisation: string;
        readonly sealed: Sealed;
        readonly madeAt: string;
      };
    }
  | { readonly type: 'CaseReferralAccepted'; readonly data: { readonly actionId: string; readonly at: string } }
  | { readonly type: 'CaseReferralDeclined'; readonly data: { readonly actionId: string; readonly sealed: Sealed; readonly at: string } }
  /** The body referred to never answered: after the deployment's waiting period, or earlier with the officer's reason (sealed). */
  | {
      readonly type: 'CaseReferralUnanswered';
      readonly data: {
        readonly actionId: string;
        readonly afterDays: number;
        readonly withReason: boolean;
        readonly sealed: Sealed;
        readonly at: string;
      };
    }
  | {
      readonly type: 'CaseActionCompleted';
      readonly data: { readonly actionId: string; readonly amountPaid: Amount; readonly sealed: Sealed; readonly at: string };
    }
  | {
      readonly type: 'MediationMinutesRecorded';
      readonly data: { readonly actionId: string; readonly sealed: Sealed; readonly at: string };
    }
  | { readonly type: 'CaseNoteAdded'; readonly data: { readonly noteId: string; readonly sealed: Sealed; readonly at: string } }
  | {
      readonly type: 'CaseEvidenceAdded';
      readonly data: { readonly evidenceId: string; readonly sha256: string; readonly sealed: Sealed; readonly at: string };
    }
  | {
      readonly type: 'CaseResolved';
      readonly data: {
        readonly outcome: Outcome;
        readonly amountRecovered: Amount;
        readonly sealed: Sealed;
        readonly resolvedBy: string;
        readonly resolvedAt: string;
      };
    }
  | { readonly type: 'CaseClosureApproved'; readonly data: { readonly approvedBy: string; readonly approvedAt: string } }
  | {
      readonly type: 'CaseClosureRejected';
      readonly data: { readonly rejectedBy: string; readonly reason: string; readonly rejectedAt: string };
    }
  | { readonly type: 'CaseClosed'; readonly data: { readonly closedAt: string } }
  | { readonly type: 'CaseSuspended'; readonly data: { readonly reason: string; readonly suspendedAt: string } }
  | { readonly type: 'CaseResumed'; readonly data: { readonly reason: string; readonly resumedAt: string } }
  | { readonly type: 'CaseReopened'; readonly data: { readonly reason: string; readonly reopenedAt: string } }
  | { readonly type: 'CaseLinkedToPrevention'; readonly data: { readonly preventionId: string } }
  /** The enquiry (information service) that was referred here: the link recorded on the case too. */
  | { readonly type: 'CaseLinkedToEnquiry'; readonly data: { readonly enquiryId: string } };

/** Every command carries who issues it and when (server clock). */

export type CaseCommand =
  | (Envelope & {
      readonly type: 'OpenCase';
      readonly caseId: string;
      readonly areaCode: string;
      readonly channel: Channel;
      readonly categories: readonly Category[];
      readonly categoryTokens: readonly string[];
      readonly sexToken: string | null;
      readonly workerSubjectId: string;
      readonly complainantSubjectId: string;
      readonly relationship: Relationship;
      readonly destinationCountry: string | null;
      readonly agencyId: string | null;
      readonly placementId: string | null;
      readonly sealed: Sealed;
    })
  | (Envelope & {
      readonly type: 'VerifyCase';
      readonly procedural: 'procedural' | 'non_procedural' | 'unknown';
      readonly placementId: string | null;
    })
  | (Envelope & {
      readonly type: 'ClassifyCase';
      readonly urgency: Urgency;
      /** Null keeps the categories as they are. */
      readonly categories: readonly Category[] | null;
      readonly categoryTokens?: readonly string[];
      readonly sealed?: Sealed;
    })
  | (Envelope & { readonly type: 'AssignCase'; readonly officerId: string; readonly reason: string | null })
  | (Envelope & {
      readonly type: 'StartAction';
      readonly actionId: string;
      readonly kind: Exclude<ActionKind, 'referral'>;
      readonly amountClaimed: Amount;
      readonly sealed: Sealed;
    })
  | (Envelope & {
      readonly type: 'MakeReferral';
      readonly actionId: string;
      readonly to: ReferralTarget;
      readonly organisation: string;
      readonly sealed: Sealed;
    })
  | (Envelope & {
      readonly type: 'RecordActionOutcome';
      readonly actionId: string;
      readonly outcome: 'accepted' | 'declined' | 'no_response' | 'completed';
      readonly amountPaid: Amount;
      /** Sealed free text; for "no response" before the waiting period, `reason` must be among them. */
      readonly sealed: Sealed;
      /** Deployment policy: days after the referral (or its acceptance) when silence may be recorded as "no response". */
      readonly noResponseAfterDays: number;
    })
  | (Envelope & { readonly type: 'RecordMediationMinutes'; readonly actionId: string; readonly sealed: Sealed })
  | (Envelope & { readonly type: 'AddNote'; readonly noteId: string; readonly sealed: Sealed })
  | (Envelope & { readonly type: 'AddEvidence'; readonly evidenceId: string; readonly sha256: string; readonly sealed: Sealed })
  | (Envelope & {
      readonly type: 'ResolveCase';
      readonly outcome: Outcome;
      readonly amountRecovered: Amount;
      readonly sealed: Sealed;
      /** Deployment policy: whether a case may be resolved while a referral is still open. */
      readonly allowOpenReferrals: boolean;
    })
  | (Envelope & { readonly type: 'ApproveClosure' })
  | (Envelope & { readonly type: 'RejectClosure'; readonly reason: string })
  | (Envelope & { readonly type: 'SuspendCase'; readonly reason: string })
  | (Envelope & { readonly type: 'ResumeCase'; readonly reason: string })
  | (Envelope & { readonly type: 'ReopenCase'; readonly reason: string })
  | (Envelope & { readonly type: 'LinkPrevention'; readonly preventionId: string })
  | (Envelope & { readonly type: 'LinkEnquiry'; readonly enquiryId: string });

/** The statuses a case on record can have, for filters and queries (none: not on record). */
export const CASE_STATUSES = ['open', 'suspended', 'resolved', 'closed'] as const;
export type CaseStatus = 'none' | (typeof CASE_STATUSES)[number];

export interface CaseState {
  readonly status: CaseStatus;
  readonly caseId?: string;
  readonly areaCode?: string;
  readonly channel?: Channel;
  readonly categories: readonly Category[];
  readonly categoryTokens: readonly string[];
  readonly sexToken?: string | null;
  readonly workerSubjectId?: string;
  readonly complainantSubjectId?: string;
  readonly relationship?: Relationship;
  readonly destinationCountry?: string | null;
  readonly agencyId: string | null;
  readonly placementId: string | null;
  readonly sealed: Sealed;
  readonly openedAt?: string;
  readonly openedBy?: string;
  readonly procedural?: 'procedural' | 'non_procedural' | 'unknown';
  readonly urgency?: Urgency;
  readonly assignedTo?: string;
  readonly actions: Readonly<Record<string, CaseAction>>;
  readonly firstActionAt?: string;
  readonly notes: number;
  readonly evidence: readonly { readonly evidenceId: string; readonly sha256: string; readonly at: string }[];
  readonly resolution?: {
    readonly outcome: Outcome;
    readonly amountRecovered: Amount;
    readonly resolvedBy: string;
    readonly resolvedAt: string;
    readonly sealed: Sealed;
  };
  readonly closedAt?: string;
  readonly approvedBy?: string;
  readonly suspension?: { readonly reason: string; readonly since: string };
  readonly reopenings: number;
  readonly linkedPreventions: readonly string[];
  /** Enquiries referred to this case (absent in states folded before the link existed). */
  readonly linkedEnquiries?: readonly string[];
}

export const initialCaseState: CaseState = {
  status: 'none',
  categories: [],
  categoryTokens: [],
  agencyId: null,
  placementId: null,
  sealed: {},
  actions: {},
  notes: 0,
  evidence: [],
  reopenings: 0,
  linkedPreventions: [],
};

export type CaseErrorCode =
  | 'CASE_ALREADY_OPENED'
  | 'CASE_CLOSED'
  | 'CASE_SUSPENDED'
  | 'CASE_NOT_SUSPENDED'
  | 'CASE_RESOLVED'
  | 'CASE_NOT_RESOLVED'
  | 'CASE_NOT_CLOSED'
  | 'NO_CATEGORY'
  | 'CATEGORY_NOT_SEALED'
  | 'ALREADY_ASSIGNED'
  | 'REASSIGNMENT_REASON_REQUIRED'
  | 'ACTION_ALREADY_EXISTS'
  | 'ACTION_NOT_FOUND'
  | 'ACTION_ALREADY_CLOSED'
  | 'INVALID_ACTION_OUTCOME'
  | 'NO_RESPONSE_TOO_EARLY'
  | 'AMOUNT_REQUIRED'
  | 'NOT_A_MEDIATION'
  | 'NOT_VERIFIED'
  | 'NOT_CLASSIFIED'
  | 'OPEN_REFERRALS'
  | 'SELF_APPROVAL';

export class CaseRuleViolated extends RuleViolated<CaseErrorCode> {}

/** The record itself does not exist: 404, not a rule. */
const missing = (): never => {
  throw new NotFound('CASE_NOT_FOUND', 'No such case');
};

const refuse = (code: CaseErrorCode, message: string): never => {
  throw new CaseRuleViolated(code, message);
};

export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  const action = (id: string, change: Partial<CaseAction>): CaseState => ({
    ...state,
    actions: { ...state.actions, [id]: { ...state.actions[id]!, ...change } },
  });
  switch (event.type) {
    case 'CaseOpened': {
      const {
        caseId,
        areaCode,
        channel,
        categories,
        workerSubjectId,
        complainantSubjectId,
        relationship,
        destinationCountry,
        agencyId,
        placementId,
        sealed,
        openedAt,
        openedBy,
      } = event.data;
      return {
        ...initialCaseState,
        status: 'open',
        caseId,
        areaCode,
        channel,
        categories,
        categoryTokens: event.data.categoryTokens ?? [],
        sexToken: event.data.sexToken ?? null,
        workerSubjectId,
        complainantSubjectId,
        relationship,
        destinationCountry,
        agencyId,
        placementId,
        sealed,
        openedAt,
        openedBy,
        assignedTo: openedBy,
      };
    }
    case 'CaseVerified':
      return { ...state, procedural: event.data.procedural, placementId: event.data.placementId ?? state.placementId };
    case 'CaseClassified': {
      const { sensitiveCategories: _was, ...sealed } = state.sealed;
      const now = event.data.sealed?.sensitiveCategories;
      return {
        ...state,
        urgency: event.data.urgency,
        categories: event.data.categories,
        categoryTokens: event.data.categoryTokens ?? [],
        sealed: now ? { ...sealed, sensitiveCategories: now } : sealed,
      };
    }
    case 'CaseAssigned':
      return { ...state, assignedTo: event.data.officerId };
    case 'CaseReassigned':
      return { ...state, assignedTo: event.data.to };
    case 'CaseActionStarted':
    case 'CaseReferralMade': {
      const d = event.data;
      const startedAt = 'startedAt' in d ? d.startedAt : d.madeAt;
      const started: CaseAction = {
        actionId: d.actionId,
        kind: event.type === 'CaseReferralMade' ? 'referral' : (d as { kind: Exclude<ActionKind, 'referral'> }).kind,
        status: 'started',
        referredTo: 'to' in d ? d.to : null,
        organisation: 'organisation' in d ? d.organisation : null,
        amountClaimed: 'amountClaimed' in d ? d.amountClaimed : null,
        amountPaid: null,
        startedAt,
        closedAt: null,
      };
      return { ...state, actions: { ...state.actions, [d.actionId]: started }, firstActionAt: state.firstActionAt ?? startedAt };
    }
    case 'CaseReferralAccepted':
      return action(event.data.actionId, { status: 'accepted' });
    case 'CaseReferralDeclined':
      return action(event.data.actionId, { status: 'declined', closedAt: event.data.at });
    case 'CaseReferralUnanswered':
      return action(event.data.actionId, { status: 'no_response', closedAt: event.data.at });
    case 'CaseActionCompleted':
      return action(event.data.actionId, { status: 'completed', amountPaid: event.data.amountPaid, closedAt: event.data.at });
    case 'MediationMinutesRecorded':
      return state;
    case 'CaseNoteAdded':
      return { ...state, notes: state.notes + 1 };
    case 'CaseEvidenceAdded':
      return {
        ...state,
        evidence: [...state.evidence, { evidenceId: event.data.evidenceId, sha256: event.data.sha256, at: event.data.at }],
      };
    case 'CaseResolved': {
      const { outcome, amountRecovered, resolvedBy, resolvedAt, sealed } = event.data;
      return { ...state, status: 'resolved', resolution: { outcome, amountRecovered, resolvedBy, resolvedAt, sealed } };
    }
    case 'CaseClosureApproved':
      return { ...state, approvedBy: event.data.approvedBy };
    case 'CaseClosureRejected': {
      const { resolution: _rejected, ...rest } = state;
      return { ...rest, status: 'open' };
    }
    case 'CaseClosed':
      return { ...state, status: 'closed', closedAt: event.data.closedAt };
    case 'CaseSuspended':
      return { ...state, status: 'suspended', suspension: { reason: event.data.reason, since: event.data.suspendedAt } };
    case 'CaseResumed': {
      const { suspension: _resumed, ...rest } = state;
      return { ...rest, status: 'open' };
    }
    case 'CaseReopened': {
      const { resolution: _old, closedAt: _closed, approvedBy: _approved, ...rest } = state;
      return { ...rest, status: 'open', reopenings: state.reopenings + 1 };
    }
    case 'CaseLinkedToPrevention':
      return { ...state, linkedPreventions: [...state.linkedPreventions, event.data.preventionId] };
    case 'CaseLinkedToEnquiry':
      return { ...state, linkedEnquiries: [...(state.linkedEnquiries ?? []), event.data.enquiryId] };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** Work on the case (actions, classification, resolution) needs it open: not suspended, resolved or closed. */
function workable(state: CaseState): void {
  if (state.status === 'none') missing();
  if (state.status === 'closed') refuse('CASE_CLOSED', 'The case is closed; reopen it first');
  if (state.status === 'suspended') refuse('CASE_SUSPENDED', 'The case is suspended; resume it first');
  if (state.status === 'resolved') refuse('CASE_RESOLVED', 'The case awaits closure approval');
}

/** Notes and evidence may still be added while suspended or awaiting approval, never once closed. */
function recordable(state: CaseState): void {
  if (state.status === 'none') missing();
  if (state.status === 'closed') refuse('CASE_CLOSED', 'The case is closed; reopen it first');
}

const iso = (at: Date): string => at.toISOString();

/**
 * A case needs a category; a sensitive one never stands in clear: it comes as a token, with the list
 * sealed beside it (the API seals them; a command that did not is refused before anything is written).
 */
function categoriesSealed(categories: readonly Category[], tokens: readonly string[], sealed: Sealed): void {
  if (categories.length + tokens.length === 0) refuse('NO_CATEGORY', 'A case needs at least one complaint category');
  if (categories.some(isSensitiveCategory))
    refuse('CATEGORY_NOT_SEALED', 'Health and trafficking categories are recorded sealed, never in clear');
  if (tokens.length > 0 !== (sealed.sensitiveCategories !== undefined))
    refuse('CATEGORY_NOT_SEALED', 'Sealed categories come with their tokens');
}

export function decideCase(command: CaseCommand, state: CaseState): CaseEvent[] {
  const at = iso(command.at);
  switch (command.type) {
    case 'OpenCase': {
      if (state.status !== 'none') refuse('CASE_ALREADY_OPENED', 'The case already exists');
      categoriesSealed(command.categories, command.categoryTokens, command.sealed);
      const { type: _t, by, at: _a, today: _d, ...data } = command;
      return [
        {
          type: 'CaseOpened',
          data: {
            ...data,
            categories: [...new Set(command.categories)],
            categoryTokens: [...new Set(command.categoryTokens)],
            openedAt: at,
            openedBy: by,
          },
        },
      ];
    }
    case 'VerifyCase':
      workable(state);
      return [{ type: 'CaseVerified', data: { procedural: command.procedural, placementId: command.placementId, verifiedAt: at } }];
    case 'ClassifyCase': {
      workable(state);
      if (command.categories === null) {
        // The categories stay as they are, the sealed ones included (same key, same field: it still opens).
        const kept = state.sealed.sensitiveCategories;
        return [
          {
            type: 'CaseClassified',
            data: {
              urgency: command.urgency,
              categories: state.categories,
              categoryTokens: state.categoryTokens,
              sealed: kept ? { sensitiveCategories: kept } : {},
              classifiedAt: at,
            },
          },
        ];
      }
      const tokens = command.categoryTokens ?? [];
      const sealed: Sealed = command.sealed?.sensitiveCategories ? { sensitiveCategories: command.sealed.sensitiveCategories } : {};
      categoriesSealed(command.categories, tokens, sealed);
      return [
        {
          type: 'CaseClassified',
          data: {
            urgency: command.urgency,
            categories: [...new Set(command.categories)],
            categoryTokens: [...new Set(tokens)],
            sealed,
            classifiedAt: at,
          },
        },
      ];
    }
    case 'AssignCase':
      if (state.status === 'none') missing();
      if (state.status === 'closed') refuse('CASE_CLOSED', 'The case is closed; reopen it first');
      if (state.assignedTo === command.officerId) refuse('ALREADY_ASSIGNED', 'The case is already assigned to this officer');
      if (state.assignedTo === undefined) return [{ type: 'CaseAssigned', data: { officerId: command.officerId, assignedAt: at } }];
      if (!command.reason) refuse('REASSIGNMENT_REASON_REQUIRED', 'Reassigning a case needs a reason');
      return [
        { type: 'CaseReassigned', data: { from: state.assignedTo!, to: command.officerId, reason: command.reason!, reassignedAt: at } },
      ];
    case 'StartAction':
      workable(state);
      if (state.actions[command.actionId]) refuse('ACTION_ALREADY_EXISTS', 'An action with this id exists');
      return [
        {
          type: 'CaseActionStarted',
          data: {
            actionId: command.actionId,
            kind: command.kind,
            amountClaimed: command.amountClaimed,
            sealed: command.sealed,
            startedAt: at,
          },
        },
      ];
    case 'MakeReferral':
      workable(state);
      if (state.actions[command.actionId]) refuse('ACTION_ALREADY_EXISTS', 'An action with this id exists');
      return [
        {
          type: 'CaseReferralMade',
          data: { actionId: command.actionId, to: command.to, organisation: command.organisation, sealed: command.sealed, madeAt: at },
        },
      ];
    case 'RecordActionOutcome': {
      workable(state);
      const action = state.actions[command.actionId] ?? refuse('ACTION_NOT_FOUND', 'No such action on this case');
      if (action.status === 'completed' || action.status === 'declined' || action.status === 'no_response')
        refuse('ACTION_ALREADY_CLOSED', `The action is already ${action.status}`);
      const referral = action.kind === 'referral';
      if ((command.outcome === 'accepted' || command.outcome === 'declined') && (!referral || action.status !== 'started')) {
        refuse('INVALID_ACTION_OUTCOME', `Only a referral not yet answered can be ${command.outcome}`);
      }
      if (command.outcome === 'no_response') {
        // Silence from an embassy or the police is a fact to record, not a refusal to fake.
        if (!referral) refuse('INVALID_ACTION_OUTCOME', 'Only a referral can go unanswered');
        const withReason = command.sealed.reason !== undefined;
        const waited = Math.floor((command.at.getTime() - Date.parse(action.startedAt)) / 86_400_000);
        if (!withReason && waited < command.noResponseAfterDays) {
          refuse(
            'NO_RESPONSE_TOO_EARLY',
            `The referral is ${waited} day(s) old: "no response" needs ${command.noResponseAfterDays} days of silence, or a reason`,
          );
        }
        return [
          {
            type: 'CaseReferralUnanswered',
            data: { actionId: command.actionId, afterDays: waited, withReason, sealed: command.sealed, at },
          },
        ];
      }
      const claim = action.kind === 'social_security_claim' || action.kind === 'insurance_claim';
      if (command.outcome === 'accepted') return [{ type: 'CaseReferralAccepted', data: { actionId: command.actionId, at } }];
      if (command.outcome === 'declined')
        return [{ type: 'CaseReferralDeclined', data: { actionId: command.actionId, sealed: command.sealed, at } }];
      return [
        {
          type: 'CaseActionCompleted',
          data: { actionId: command.actionId, amountPaid: claim ? command.amountPaid : null, sealed: command.sealed, at },
        },
      ];
    }
    case 'RecordMediationMinutes': {
      workable(state);
      const action = state.actions[command.actionId] ?? refuse('ACTION_NOT_FOUND', 'No such action on this case');
      if (action.kind !== 'mediation') refuse('NOT_A_MEDIATION', 'Minutes belong to a mediation');
      return [{ type: 'MediationMinutesRecorded', data: { actionId: command.actionId, sealed: command.sealed, at } }];
    }
    case 'AddNote':
      recordable(state);
      return [{ type: 'CaseNoteAdded', data: { noteId: command.noteId, sealed: command.sealed, at } }];
    case 'AddEvidence':
      recordable(state);
      return [{ type: 'CaseEvidenceAdded', data: { evidenceId: command.evidenceId, sha256: command.sha256, sealed: command.sealed, at } }];
    case 'ResolveCase': {
      workable(state);
      if (state.procedural === undefined) refuse('NOT_VERIFIED', 'Verify the case (procedural or not) before resolving it');
      if (state.urgency === undefined) refuse('NOT_CLASSIFIED', 'Classify the case before resolving it');
      const open = Object.values(state.actions).filter((a) => a.kind === 'referral' && (a.status === 'started' || a.status === 'accepted'));
      if (open.length > 0 && !command.allowOpenReferrals) {
        refuse('OPEN_REFERRALS', `${open.length} referral(s) are still open: complete or decline them first`);
      }
      // The law's list asks for rupiah where wages were recovered; compensation may be recorded without a known amount.
      if (AMOUNT_REQUIRED_OUTCOMES.includes(command.outcome) && command.amountRecovered === null) {
        refuse('AMOUNT_REQUIRED', `The outcome ${command.outcome} needs the amount, in rupiah`);
      }
      return [
        {
          type: 'CaseResolved',
          data: {
            outcome: command.outcome,
            amountRecovered: MONEY_OUTCOMES.includes(command.outcome) ? command.amountRecovered : null,
            sealed: command.sealed,
            resolvedBy: command.by,
            resolvedAt: at,
          },
        },
      ];
    }
    case 'ApproveClosure':
      if (state.status === 'none') missing();
      if (state.status !== 'resolved') refuse('CASE_NOT_RESOLVED', 'Only a resolved case can be approved for closure');
      if (state.resolution!.resolvedBy === command.by)
        refuse('SELF_APPROVAL', 'The closure must be approved by someone other than who resolved the case');
      return [
        { type: 'CaseClosureApproved', data: { approvedBy: command.by, approvedAt: at } },
        { type: 'CaseClosed', data: { closedAt: at } },
      ];
    case 'RejectClosure':
      if (state.status === 'none') missing();
      if (state.status !== 'resolved') refuse('CASE_NOT_RESOLVED', 'Only a resolved case awaits approval');
      return [{ type: 'CaseClosureRejected', data: { rejectedBy: command.by, reason: command.reason, rejectedAt: at } }];
    case 'SuspendCase':
      workable(state);
      return [{ type: 'CaseSuspended', data: { reason: command.reason, suspendedAt: at } }];
    case 'ResumeCase':
      if (state.status === 'none') missing();
      if (state.status !== 'suspended') refuse('CASE_NOT_SUSPENDED', 'The case is not suspended');
      return [{ type: 'CaseResumed', data: { reason: command.reason, resumedAt: at } }];
    case 'ReopenCase':
      if (state.status === 'none') missing();
      if (state.status !== 'closed') refuse('CASE_NOT_CLOSED', 'Only a closed case can be reopened');
      return [{ type: 'CaseReopened', data: { reason: command.reason, reopenedAt: at } }];
    // Bookkeeping by a process manager: any state, and nothing to decide when already linked.
    case 'LinkPrevention':
      if (state.status === 'none') missing();
      if (state.linkedPreventions.includes(command.preventionId)) return [];
      return [{ type: 'CaseLinkedToPrevention', data: { preventionId: command.preventionId } }];
    case 'LinkEnquiry':
      if (state.status === 'none') missing();
      if ((state.linkedEnquiries ?? []).includes(command.enquiryId)) return [];
      return [{ type: 'CaseLinkedToEnquiry', data: { enquiryId: command.enquiryId } }];
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const caseDecider: Decider<CaseState, CaseCommand, CaseEvent> = {
  initialState: initialCaseState,
  evolve: evolveCase,
  decide: decideCase,
};
