/**
 * The controller's duties under Law 27/2022 that are records of their own: data-subject requests (each with
 * its 3 × 24-hour deadline, its handling and its answer) and personal-data breaches (the subjects concerned
 * and the written notice, due within 3 × 24 hours of discovery). Framework-free deciders; free text about a
 * person arrives sealed with that person's key, and a breach holds no free text at all.
 */
import { type Decider, type Issued, NotFound, RuleViolated, type Sealed } from '@jejak/kernel';

/** The law's answer time: 3 × 24 hours. */
export const ANSWER_HOURS = 72;

const due = (at: string): string => new Date(Date.parse(at) + ANSWER_HOURS * 3_600_000).toISOString();

export const dataSubjectRequestStream = (requestId: string): string => `dsr-${requestId}`;
export const breachStream = (breachId: string): string => `breach-${breachId}`;

/** What the person may ask (Law 27/2022 arts. 5-9, 40): to see, correct, have erased, withdraw consent. */
export const REQUEST_KINDS = ['access', 'correction', 'erasure', 'consent_withdrawal', 'copy'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const REQUEST_OUTCOMES = ['fulfilled', 'partially_fulfilled', 'refused'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

export type RequestEvent =
  | {
      readonly type: 'DataSubjectRequestReceived';
      readonly data: {
        readonly requestId: string;
        readonly subjectId: string;
        readonly areaCode: string;
        readonly kind: RequestKind;
        readonly channel: string;
        readonly receivedAt: string;
        readonly dueAt: string;
        readonly receivedBy: string;
      };
    }
  | {
      readonly type: 'DataSubjectRequestAnswered';
      readonly data: {
        readonly outcome: RequestOutcome;
        readonly sealed: Sealed;
        readonly answeredAt: string;
        readonly answeredBy: string;
        readonly late: boolean;
      };
    };

export type RequestCommand = Issued<
  | {
      readonly type: 'ReceiveRequest';
      readonly requestId: string;
      readonly subjectId: string;
      readonly areaCode: string;
      readonly kind: RequestKind;
      readonly channel: string;
    }
  | { readonly type: 'AnswerRequest'; readonly outcome: RequestOutcome; readonly sealed: Sealed }
>;

export interface RequestState {
  readonly status: 'none' | 'open' | 'answered';
  readonly requestId?: string;
  readonly subjectId?: string;
  readonly areaCode?: string;
  readonly kind?: RequestKind;
  readonly channel?: string;
  readonly receivedAt?: string;
  readonly dueAt?: string;
  readonly answer?: {
    readonly outcome: RequestOutcome;
    readonly answeredAt: string;
    readonly answeredBy: string;
    readonly late: boolean;
    readonly sealed: Sealed;
  };
}

export const initialRequestState: RequestState = { status: 'none' };

export type PrivacyErrorCode = 'REQUEST_EXISTS' | 'REQUEST_ANSWERED' | 'BREACH_EXISTS' | 'NOTICE_ALREADY_SENT' | 'NOTICE_BEFORE_DISCOVERY';

export class PrivacyRuleViolated extends RuleViolated<PrivacyErrorCode> {}

export function evolveRequest(state: RequestState, event: RequestEvent): RequestState {
  switch (event.type) {
    case 'DataSubjectRequestReceived': {
      const { receivedBy: _by, ...data } = event.data;
      return { status: 'open', ...data };
    }
    case 'DataSubjectRequestAnswered': {
      const { outcome, answeredAt, answeredBy, late, sealed } = event.data;
      return { ...state, status: 'answered', answer: { outcome, answeredAt, answeredBy, late, sealed } };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function decideRequest(command: RequestCommand, state: RequestState): RequestEvent[] {
  const at = command.at.toISOString();
  switch (command.type) {
    case 'ReceiveRequest': {
      if (state.status !== 'none') throw new PrivacyRuleViolated('REQUEST_EXISTS', 'The request is already on record');
      const { requestId, subjectId, areaCode, kind, channel, by } = command;
      return [
        {
          type: 'DataSubjectRequestReceived',
          data: { requestId, subjectId, areaCode, kind, channel, receivedAt: at, dueAt: due(at), receivedBy: by },
        },
      ];
    }
    case 'AnswerRequest':
      if (state.status === 'none') throw new NotFound('REQUEST_NOT_FOUND', 'No such request');
      if (state.status === 'answered') throw new PrivacyRuleViolated('REQUEST_ANSWERED', 'The request is already answered');
      return [
        {
          type: 'DataSubjectRequestAnswered',
          data: { outcome: command.outcome, sealed: command.sealed, answeredAt: at, answeredBy: command.by, late: at > state.dueAt! },
        },
      ];
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const requestDecider: Decider<RequestState, RequestCommand, RequestEvent> = {
  initialState: initialRequestState,
  evolve: evolveRequest,
  decide: decideRequest,
};

/** Open past its deadline at `now`. */
export const requestOverdue = (state: RequestState, now: Date): boolean => state.status === 'open' && state.dueAt! < now.toISOString();

/** The kinds of personal data a breach touched: categories, never the data. */
export const BREACH_DATA = ['identity', 'contact', 'health', 'financial', 'case_content', 'biometric', 'other'] as const;
export const BREACH_CAUSES = ['lost_device', 'unauthorised_access', 'misdirected_disclosure', 'malware', 'insider', 'other'] as const;
export const NOTICE_RECIPIENTS = ['subjects', 'authority'] as const;

export type BreachEvent =
  | {
      readonly type: 'PersonalDataBreachRecorded';
      readonly data: {
        readonly breachId: string;
        readonly discoveredAt: string;
        readonly noticeDueAt: string;
        readonly cause: (typeof BREACH_CAUSES)[number];
        readonly dataCategories: readonly (typeof BREACH_DATA)[number][];
        readonly subjectIds: readonly string[];
        readonly recordedBy: string;
      };
    }
  | { readonly type: 'BreachSubjectsAdded'; readonly data: { readonly subjectIds: readonly string[] } }
  | {
      readonly type: 'BreachNoticeSent';
      readonly data: {
        readonly recipient: (typeof NOTICE_RECIPIENTS)[number];
        readonly reference: string;
        readonly sentAt: string;
        readonly sentBy: string;
        readonly late: boolean;
      };
    };

export type BreachCommand = Issued<
  | {
      readonly type: 'RecordBreach';
      readonly breachId: string;
      readonly discoveredAt: Date;
      readonly cause: (typeof BREACH_CAUSES)[number];
      readonly dataCategories: readonly (typeof BREACH_DATA)[number][];
      readonly subjectIds: readonly string[];
    }
  | { readonly type: 'AddBreachSubjects'; readonly subjectIds: readonly string[] }
  | {
      readonly type: 'SendBreachNotice';
      readonly recipient: (typeof NOTICE_RECIPIENTS)[number];
      readonly reference: string;
    }
>;

export interface BreachState {
  readonly status: 'none' | 'recorded';
  readonly breachId?: string;
  readonly discoveredAt?: string;
  readonly noticeDueAt?: string;
  readonly cause?: string;
  readonly dataCategories: readonly string[];
  readonly subjectIds: readonly string[];
  readonly notices: readonly { readonly recipient: string; readonly reference: string; readonly sentAt: string; readonly late: boolean }[];
}

export const initialBreachState: BreachState = { status: 'none', dataCategories: [], subjectIds: [], notices: [] };

export function evolveBreach(state: BreachState, event: BreachEvent): BreachState {
  switch (event.type) {
    case 'PersonalDataBreachRecorded': {
      const { recordedBy: _by, ...data } = event.data;
      return { ...initialBreachState, status: 'recorded', ...data };
    }
    case 'BreachSubjectsAdded':
      return { ...state, subjectIds: [...new Set([...state.subjectIds, ...event.data.subjectIds])] };
    case 'BreachNoticeSent': {
      const { recipient, reference, sentAt, late } = event.data;
      return { ...state, notices: [...state.notices, { recipient, reference, sentAt, late }] };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function decideBreach(command: BreachCommand, state: BreachState): BreachEvent[] {
  switch (command.type) {
    case 'RecordBreach': {
      if (state.status !== 'none') throw new PrivacyRuleViolated('BREACH_EXISTS', 'The breach is already on record');
      const discoveredAt = command.discoveredAt.toISOString();
      return [
        {
          type: 'PersonalDataBreachRecorded',
          data: {
            breachId: command.breachId,
            discoveredAt,
            noticeDueAt: due(discoveredAt),
            cause: command.cause,
            dataCategories: [...new Set(command.dataCategories)],
            subjectIds: [...new Set(command.subjectIds)],
            recordedBy: command.by,
          },
        },
      ];
    }
    case 'AddBreachSubjects': {
      if (state.status === 'none') throw new NotFound('BREACH_NOT_FOUND', 'No such breach');
      const added = [...new Set(command.subjectIds)].filter((id) => !state.subjectIds.includes(id));
      return added.length ? [{ type: 'BreachSubjectsAdded', data: { subjectIds: added } }] : [];
    }
    case 'SendBreachNotice': {
      if (state.status === 'none') throw new NotFound('BREACH_NOT_FOUND', 'No such breach');
      if (state.notices.some((n) => n.recipient === command.recipient))
        throw new PrivacyRuleViolated('NOTICE_ALREADY_SENT', `The notice to the ${command.recipient} is already on record`);
      const sentAt = command.at.toISOString();
      if (sentAt < state.discoveredAt!)
        throw new PrivacyRuleViolated('NOTICE_BEFORE_DISCOVERY', 'A notice cannot be sent before the breach was discovered');
      return [
        {
          type: 'BreachNoticeSent',
          data: {
            recipient: command.recipient,
            reference: command.reference,
            sentAt,
            sentBy: command.by,
            late: sentAt > state.noticeDueAt!,
          },
        },
      ];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const breachDecider: Decider<BreachState, BreachCommand, BreachEvent> = {
  initialState: initialBreachState,
  evolve: evolveBreach,
  decide: decideBreach,
};

/** The written notice to the subjects is still owed past its deadline at `now`. */
export const breachNoticeOverdue = (state: BreachState, now: Date): boolean =>
  state.status === 'recorded' && !state.notices.some((n) => n.recipient === 'subjects') && state.noticeDueAt! < now.toISOString();
