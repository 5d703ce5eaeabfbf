/**
 * An information service (layanan informasi): an enquiry received on a day through a channel, about a
 * topic of the catalog, answered on the spot or referred to one of the advocacy workflows. A referral
 * names the record it opens (its id chosen when the enquiry is recorded); a durable process manager
 * opens it and writes the link on both records, so a second run opens nothing twice.
 */
import type { Category } from '@jejak/accompaniment';
import { type CalendarDate, type Decider, type Envelope, NotFound, RuleViolated, type Sealed } from '@jejak/kernel';

export const enquiryStream = (enquiryId: string): string => `enquiry-${enquiryId}`;

export const ENQUIRY_CHANNELS = ['walk_in', 'phone', 'messaging', 'home_visit'] as const;
export type EnquiryChannel = (typeof ENQUIRY_CHANNELS)[number];

export const ENQUIRY_OUTCOMES = ['answered', 'referred'] as const;
export type EnquiryOutcome = (typeof ENQUIRY_OUTCOMES)[number];

/** The workflows an enquiry can be referred to. */
export const REFERRAL_TARGETS = ['placement', 'case', 'prevention'] as const;
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];

/** A referral as recorded: the record to open, and what opening it needs that only the enquiry knows. */
export type Referral =
  | { readonly to: 'placement'; readonly recordId: string }
  | { readonly to: 'prevention'; readonly recordId: string; readonly destinationCountry: string | null }
  | {
      readonly to: 'case';
      readonly recordId: string;
      readonly categories: readonly Category[];
      /** Health and trafficking categories, as statistics tokens (the categories themselves are sealed). */
      readonly categoryTokens: readonly string[];
      readonly sexToken: string | null;
      readonly destinationCountry: string | null;
      /** The complaint (and sealed categories), sealed with the enquirer's key: the case's own sealed fields. */
      readonly sealed: Sealed;
    };

export type EnquiryEvent =
  | {
      readonly type: 'EnquiryRecorded';
      readonly data: {
        readonly enquiryId: string;
        readonly areaCode: string;
        readonly receivedOn: CalendarDate;
        readonly channel: EnquiryChannel;
        readonly topic: string;
        /** The person who asked, when they are on record (an anonymous caller is not). */
        readonly enquirerSubjectId: string | null;
        readonly outcome: EnquiryOutcome;
        readonly referral: Referral | null;
        /** The question and the answer given, sealed with the enquirer's key (or the enquiry's own). */
        readonly sealed: Sealed;
        readonly recordedBy: string;
      };
    }
  | { readonly type: 'EnquiryReferralOpened'; readonly data: { readonly to: ReferralTarget; readonly recordId: string } };

export type EnquiryCommand =
  | (Envelope & {
      readonly type: 'RecordEnquiry';
      readonly enquiryId: string;
      readonly areaCode: string;
      readonly receivedOn: CalendarDate;
      readonly channel: EnquiryChannel;
      readonly topic: string;
      readonly enquirerSubjectId: string | null;
      readonly outcome: EnquiryOutcome;
      readonly referral: Referral | null;
      readonly sealed: Sealed;
      /** The catalog's codes when the command is decided. */
      readonly catalog: readonly string[];
    })
  | (Envelope & { readonly type: 'LinkReferral'; readonly to: ReferralTarget; readonly recordId: string });

export interface EnquiryState {
  readonly status: 'none' | 'answered' | 'referred';
  readonly areaCode?: string;
  readonly enquirerSubjectId?: string | null;
  readonly referral?: Referral | null;
  /** Whether the record it was referred to is open and linked. */
  readonly referralOpened: boolean;
}

export const initialEnquiryState: EnquiryState = { status: 'none', referralOpened: false };

export type EnquiryErrorCode =
  | 'ENQUIRY_ALREADY_RECORDED'
  | 'DATE_IN_FUTURE'
  | 'UNKNOWN_TOPIC'
  | 'REFERRAL_REQUIRED'
  | 'REFERRAL_NOT_ALLOWED'
  | 'ENQUIRER_REQUIRED'
  | 'NOT_REFERRED';

export class EnquiryRuleViolated extends RuleViolated<EnquiryErrorCode> {}

const refuse = (code: EnquiryErrorCode, message: string): never => {
  throw new EnquiryRuleViolated(code, message);
};

/**
 * Whether an outcome and a referral fit: a referred enquiry names where it goes, an answered one does not,
 * and a placement or a case is about a person on record (the enquirer); a prevention report may be
 * anonymous. The decider applies it; a handler may apply it before preparing what the referral needs.
 */
export function checkReferral(outcome: EnquiryOutcome, to: ReferralTarget | null, enquirerSubjectId: string | null): void {
  if (outcome === 'referred' && !to) refuse('REFERRAL_REQUIRED', 'A referred enquiry names where it is referred');
  if (outcome === 'answered' && to) refuse('REFERRAL_NOT_ALLOWED', 'An answered enquiry is not referred');
  if (to && to !== 'prevention' && !enquirerSubjectId) refuse('ENQUIRER_REQUIRED', `A referral to a ${to} needs the enquirer on record`);
}

export function evolveEnquiry(state: EnquiryState, event: EnquiryEvent): EnquiryState {
  switch (event.type) {
    case 'EnquiryRecorded': {
      const { outcome, areaCode, enquirerSubjectId, referral } = event.data;
      return { status: outcome, areaCode, enquirerSubjectId, referral, referralOpened: false };
    }
    case 'EnquiryReferralOpened':
      return { ...state, referralOpened: true };
  }
}

export function decideEnquiry(command: EnquiryCommand, state: EnquiryState): EnquiryEvent[] {
  switch (command.type) {
    case 'RecordEnquiry': {
      if (state.status !== 'none') refuse('ENQUIRY_ALREADY_RECORDED', 'The enquiry is already on record');
      if (command.receivedOn > command.today) refuse('DATE_IN_FUTURE', `${command.receivedOn} is after today`);
      if (!command.catalog.includes(command.topic)) refuse('UNKNOWN_TOPIC', `${command.topic} is not in the topic catalog`);
      checkReferral(command.outcome, command.referral?.to ?? null, command.enquirerSubjectId);
      const { type: _t, by, at: _a, today: _d, catalog: _c, ...data } = command;
      return [{ type: 'EnquiryRecorded', data: { ...data, recordedBy: by } }];
    }
    case 'LinkReferral':
      if (state.status === 'none') throw new NotFound('ENQUIRY_NOT_FOUND', 'No such enquiry');
      if (!state.referral || state.referral.to !== command.to || state.referral.recordId !== command.recordId)
        refuse('NOT_REFERRED', 'The enquiry was not referred to this record');
      if (state.referralOpened) return [];
      return [{ type: 'EnquiryReferralOpened', data: { to: command.to, recordId: command.recordId } }];
  }
}

export const enquiryDecider: Decider<EnquiryState, EnquiryCommand, EnquiryEvent> = {
  initialState: initialEnquiryState,
  evolve: evolveEnquiry,
  decide: decideEnquiry,
};
