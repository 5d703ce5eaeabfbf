/**
 * People's business credit (Kredit Usaha Rakyat) as the program follows it: an application by a member to
 * a bank under a scheme, approved or refused, disbursed, and its repayment status. The amounts are the
 * applicant's personal financial data (Law 27/2022 art. 4(2)): every amount in these events is sealed with
 * the applicant's key. The figures count and sum them from a separate statistics stream of the village
 * (see kurStatisticsStream), which holds amounts without any id of the person or the credit.
 */
import { type CalendarDate, type Decider, type Envelope, NotFound, RuleViolated, type Sealed } from '@jejak/kernel';

export const kurStream = (kurId: string): string => `kur-${kurId}`;
/** A village's KUR amounts for the figures: day, kind and amount, nothing that names a person or a credit. */
export const kurStatisticsStream = (areaCode: string): string => `kurstats-${areaCode}`;

export const KUR_SCHEMES = ['super_micro', 'micro', 'small'] as const;
export type KurScheme = (typeof KUR_SCHEMES)[number];

export const REPAYMENT_STATUSES = ['current', 'late', 'paid_off', 'default'] as const;
export type RepaymentStatus = (typeof REPAYMENT_STATUSES)[number];

export const KUR_STATUSES = ['applied', 'approved', 'refused', 'disbursed'] as const;
export type KurStatus = 'none' | (typeof KUR_STATUSES)[number];

export type KurEvent =
  | {
      readonly type: 'KurApplied';
      readonly data: {
        readonly kurId: string;
        readonly areaCode: string;
        readonly applicantSubjectId: string;
        readonly businessId: string | null;
        readonly bank: string;
        readonly scheme: KurScheme;
        readonly appliedOn: CalendarDate;
        /** amountRequested, sealed with the applicant's key. */
        readonly sealed: Sealed;
      };
    }
  | { readonly type: 'KurApproved'; readonly data: { readonly on: CalendarDate; readonly sealed: Sealed } }
  | { readonly type: 'KurRefused'; readonly data: { readonly on: CalendarDate; readonly sealed: Sealed } }
  | { readonly type: 'KurDisbursed'; readonly data: { readonly on: CalendarDate; readonly sealed: Sealed } }
  | { readonly type: 'KurRepaymentRecorded'; readonly data: { readonly status: RepaymentStatus; readonly on: CalendarDate } };

/** What the figures count of an amount, in the village's statistics stream. */
export type KurAmountCounted = {
  readonly type: 'KurAmountCounted';
  readonly data: {
    readonly areaCode: string;
    readonly day: CalendarDate;
    readonly kind: 'requested' | 'approved' | 'disbursed';
    readonly amount: number;
  };
};

export type KurCommand =
  | (Envelope & {
      readonly type: 'ApplyForKur';
      readonly kurId: string;
      readonly areaCode: string;
      readonly applicantSubjectId: string;
      readonly businessId: string | null;
      readonly bank: string;
      readonly scheme: KurScheme;
      readonly on: CalendarDate;
      readonly sealed: Sealed;
    })
  | (Envelope & { readonly type: 'ApproveKur'; readonly on: CalendarDate; readonly sealed: Sealed })
  | (Envelope & { readonly type: 'RefuseKur'; readonly on: CalendarDate; readonly sealed: Sealed })
  | (Envelope & { readonly type: 'DisburseKur'; readonly on: CalendarDate; readonly sealed: Sealed })
  | (Envelope & { readonly type: 'RecordRepayment'; readonly status: RepaymentStatus; readonly on: CalendarDate });

export interface KurState {
  readonly status: KurStatus;
  readonly areaCode?: string;
  readonly applicantSubjectId?: string;
  readonly appliedOn?: CalendarDate;
  readonly repayment?: RepaymentStatus;
}

export const initialKurState: KurState = { status: 'none' };

export type KurErrorCode =
  'KUR_ALREADY_APPLIED' | 'KUR_ALREADY_DECIDED' | 'KUR_NOT_APPROVED' | 'KUR_NOT_DISBURSED' | 'DATE_IN_FUTURE' | 'DATE_BEFORE_APPLICATION';

export class KurRuleViolated extends RuleViolated<KurErrorCode> {}

const refuse = (code: KurErrorCode, message: string): never => {
  throw new KurRuleViolated(code, message);
};

export function evolveKur(state: KurState, event: KurEvent): KurState {
  switch (event.type) {
    case 'KurApplied':
      return {
        status: 'applied',
        areaCode: event.data.areaCode,
        applicantSubjectId: event.data.applicantSubjectId,
        appliedOn: event.data.appliedOn,
      };
    case 'KurApproved':
      return { ...state, status: 'approved' };
    case 'KurRefused':
      return { ...state, status: 'refused' };
    case 'KurDisbursed':
      return { ...state, status: 'disbursed', repayment: 'current' };
    case 'KurRepaymentRecorded':
      return { ...state, repayment: event.data.status };
  }
}

function dated(state: KurState, on: CalendarDate, today: CalendarDate): void {
  if (state.status === 'none') throw new NotFound('KUR_NOT_FOUND', 'No such KUR application');
  if (on > today) refuse('DATE_IN_FUTURE', `${on} is after today`);
  if (on < state.appliedOn!) refuse('DATE_BEFORE_APPLICATION', `${on} is before the application`);
}

export function decideKur(command: KurCommand, state: KurState): KurEvent[] {
  switch (command.type) {
    case 'ApplyForKur': {
      if (state.status !== 'none') refuse('KUR_ALREADY_APPLIED', 'The application is already on record');
      if (command.on > command.today) refuse('DATE_IN_FUTURE', `${command.on} is after today`);
      const { kurId, areaCode, applicantSubjectId, businessId, bank, scheme, sealed } = command;
      return [
        { type: 'KurApplied', data: { kurId, areaCode, applicantSubjectId, businessId, bank, scheme, appliedOn: command.on, sealed } },
      ];
    }
    case 'ApproveKur':
    case 'RefuseKur':
      dated(state, command.on, command.today);
      if (state.status !== 'applied') refuse('KUR_ALREADY_DECIDED', `The application is ${state.status} already`);
      return [{ type: command.type === 'ApproveKur' ? 'KurApproved' : 'KurRefused', data: { on: command.on, sealed: command.sealed } }];
    case 'DisburseKur':
      dated(state, command.on, command.today);
      if (state.status !== 'approved') refuse('KUR_NOT_APPROVED', 'Only an approved credit is disbursed');
      return [{ type: 'KurDisbursed', data: { on: command.on, sealed: command.sealed } }];
    case 'RecordRepayment':
      dated(state, command.on, command.today);
      if (state.status !== 'disbursed') refuse('KUR_NOT_DISBURSED', 'Repayment follows a disbursement');
      if (state.repayment === command.status) return [];
      return [{ type: 'KurRepaymentRecorded', data: { status: command.status, on: command.on } }];
  }
}

export const kurDecider: Decider<KurState, KurCommand, KurEvent> = {
  initialState: initialKurState,
  evolve: evolveKur,
  decide: decideKur,
};
