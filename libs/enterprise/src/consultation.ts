/**
 * A business-development consultation: with an agency (cooperative office, bank, vocational training centre,
 * university, ...), on a topic, on a day, about one or more businesses on record. Recorded once; nothing
 * follows from it in the system.
 */
import { type CalendarDate, type Decider, type Envelope, RuleViolated } from '@jejak/kernel';

export const consultationStream = (consultationId: string): string => `consultation-${consultationId}`;

export const CONSULTED_AGENCIES = [
  'cooperative_office',
  'bank',
  'vocational_training_centre',
  'university',
  'trade_office',
  'agriculture_office',
  'other',
] as const;
export type ConsultedAgency = (typeof CONSULTED_AGENCIES)[number];

export const CONSULTATION_TOPICS = [
  'business_plan',
  'credit_access',
  'marketing',
  'product_quality',
  'bookkeeping',
  'licensing',
  'other',
] as const;
export type ConsultationTopic = (typeof CONSULTATION_TOPICS)[number];

export type ConsultationEvent = {
  readonly type: 'ConsultationRecorded';
  readonly data: {
    readonly consultationId: string;
    readonly areaCode: string;
    readonly heldOn: CalendarDate;
    readonly agency: ConsultedAgency;
    readonly topic: ConsultationTopic;
    readonly businesses: readonly string[];
    readonly recordedBy: string;
  };
};

export type ConsultationCommand = Envelope & {
  readonly type: 'RecordConsultation';
  readonly consultationId: string;
  readonly areaCode: string;
  readonly heldOn: CalendarDate;
  readonly agency: ConsultedAgency;
  readonly topic: ConsultationTopic;
  readonly businesses: readonly string[];
};

export interface ConsultationState {
  readonly recorded: boolean;
}

export type ConsultationErrorCode = 'CONSULTATION_ALREADY_RECORDED' | 'DATE_IN_FUTURE' | 'BUSINESS_REQUIRED' | 'BUSINESS_REPEATED';

export class ConsultationRuleViolated extends RuleViolated<ConsultationErrorCode> {}

export const consultationDecider: Decider<ConsultationState, ConsultationCommand, ConsultationEvent> = {
  initialState: { recorded: false },
  evolve: () => ({ recorded: true }),
  decide: (command, state) => {
    const refuse = (code: ConsultationErrorCode, message: string): never => {
      throw new ConsultationRuleViolated(code, message);
    };
    if (state.recorded) refuse('CONSULTATION_ALREADY_RECORDED', 'The consultation is already on record');
    if (command.heldOn > command.today) refuse('DATE_IN_FUTURE', `${command.heldOn} is after today`);
    if (command.businesses.length === 0) refuse('BUSINESS_REQUIRED', 'A consultation is about at least one business');
    if (new Set(command.businesses).size !== command.businesses.length) refuse('BUSINESS_REPEATED', 'A business is named twice');
    const { consultationId, areaCode, heldOn, agency, topic, businesses } = command;
    return [
      { type: 'ConsultationRecorded', data: { consultationId, areaCode, heldOn, agency, topic, businesses, recordedBy: command.by } },
    ];
  },
};
