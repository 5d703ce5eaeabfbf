/**
 * A business unit of the economic unit (usaha): owned by members, in a sector, started on a day, active,
 * paused or closed, with its monthly volume (turnover in whole rupiah, people employed) reported month by
 * month. A correction of a month is an event beside the report, never an overwrite.
 */
import { type CalendarDate, type Decider, type Envelope, NotFound, RuleViolated } from '@jejak/kernel';

export const businessStream = (businessId: string): string => `business-${businessId}`;

export const BUSINESS_SECTORS = [
  'trade',
  'food_processing',
  'crafts',
  'livestock',
  'agriculture',
  'fisheries',
  'services',
  'other',
] as const;
export type BusinessSector = (typeof BUSINESS_SECTORS)[number];

export const BUSINESS_STATUSES = ['active', 'paused', 'closed'] as const;
export type BusinessStatus = (typeof BUSINESS_STATUSES)[number];

/** A month as YYYY-MM. */
export type Month = string;

export type Volume = {
  /** Turnover in the month, whole rupiah. */
  readonly turnover: number;
  /** People working in the business that month, owners included. */
  readonly employed: number;
};

export type BusinessEvent =
  | {
      readonly type: 'BusinessRegistered';
      readonly data: {
        readonly businessId: string;
        readonly areaCode: string;
        readonly name: string;
        readonly sector: BusinessSector;
        readonly startedOn: CalendarDate;
        /** The members who own it, by opaque subject id. */
        readonly owners: readonly string[];
        readonly registeredBy: string;
      };
    }
  | {
      readonly type: 'BusinessStatusChanged';
      readonly data: { readonly from: BusinessStatus; readonly to: BusinessStatus; readonly on: CalendarDate; readonly reason: string };
    }
  | { readonly type: 'BusinessVolumeReported'; readonly data: Volume & { readonly month: Month } }
  | {
      readonly type: 'BusinessVolumeCorrected';
      readonly data: { readonly month: Month; readonly from: Volume; readonly to: Volume; readonly reason: string };
    };

export type BusinessCommand =
  | (Envelope & {
      readonly type: 'RegisterBusiness';
      readonly businessId: string;
      readonly areaCode: string;
      readonly name: string;
      readonly sector: BusinessSector;
      readonly startedOn: CalendarDate;
      readonly owners: readonly string[];
    })
  | (Envelope & {
      readonly type: 'ChangeBusinessStatus';
      readonly status: BusinessStatus;
      readonly on: CalendarDate;
      readonly reason: string;
    })
  | (Envelope & { readonly type: 'ReportVolume'; readonly month: Month } & Volume)
  | (Envelope & { readonly type: 'CorrectVolume'; readonly month: Month; readonly reason: string } & Volume);

export interface BusinessState {
  readonly status: 'none' | BusinessStatus;
  readonly areaCode?: string;
  readonly name?: string;
  readonly sector?: BusinessSector;
  readonly startedOn?: CalendarDate;
  readonly owners: readonly string[];
  /** The volume of each month reported, as corrected. */
  readonly volumes: Readonly<Record<Month, Volume>>;
}

export const initialBusinessState: BusinessState = { status: 'none', owners: [], volumes: {} };

export type BusinessErrorCode =
  | 'BUSINESS_ALREADY_REGISTERED'
  | 'BUSINESS_CLOSED'
  | 'OWNER_REQUIRED'
  | 'OWNER_REPEATED'
  | 'DATE_IN_FUTURE'
  | 'MONTH_NOT_OVER'
  | 'MONTH_BEFORE_START'
  | 'VOLUME_ALREADY_REPORTED'
  | 'VOLUME_NOT_REPORTED';

export class BusinessRuleViolated extends RuleViolated<BusinessErrorCode> {}

const refuse = (code: BusinessErrorCode, message: string): never => {
  throw new BusinessRuleViolated(code, message);
};

export function evolveBusiness(state: BusinessState, event: BusinessEvent): BusinessState {
  switch (event.type) {
    case 'BusinessRegistered': {
      const { areaCode, name, sector, startedOn, owners } = event.data;
      return { ...state, status: 'active', areaCode, name, sector, startedOn, owners };
    }
    case 'BusinessStatusChanged':
      return { ...state, status: event.data.to };
    case 'BusinessVolumeReported': {
      const { month, turnover, employed } = event.data;
      return { ...state, volumes: { ...state.volumes, [month]: { turnover, employed } } };
    }
    case 'BusinessVolumeCorrected':
      return { ...state, volumes: { ...state.volumes, [event.data.month]: event.data.to } };
  }
}

function existing(state: BusinessState): void {
  if (state.status === 'none') throw new NotFound('BUSINESS_NOT_FOUND', 'No such business');
}

/** A month that can be reported: over (before this month) and not before the business started. */
function reportable(state: BusinessState, month: Month, today: CalendarDate): void {
  if (month >= today.slice(0, 7)) refuse('MONTH_NOT_OVER', `${month} is not over yet`);
  if (month < state.startedOn!.slice(0, 7)) refuse('MONTH_BEFORE_START', `${month} is before the business started`);
}

export function decideBusiness(command: BusinessCommand, state: BusinessState): BusinessEvent[] {
  switch (command.type) {
    case 'RegisterBusiness': {
      if (state.status !== 'none') refuse('BUSINESS_ALREADY_REGISTERED', 'The business is already on record');
      if (command.owners.length === 0) refuse('OWNER_REQUIRED', 'A business has at least one owner on record');
      if (new Set(command.owners).size !== command.owners.length) refuse('OWNER_REPEATED', 'An owner is named twice');
      if (command.startedOn > command.today) refuse('DATE_IN_FUTURE', `${command.startedOn} is after today`);
      const { businessId, areaCode, name, sector, startedOn, owners } = command;
      return [{ type: 'BusinessRegistered', data: { businessId, areaCode, name, sector, startedOn, owners, registeredBy: command.by } }];
    }
    case 'ChangeBusinessStatus': {
      existing(state);
      if (state.status === 'closed') refuse('BUSINESS_CLOSED', 'The business is closed');
      if (command.on > command.today) refuse('DATE_IN_FUTURE', `${command.on} is after today`);
      if (command.status === state.status) return [];
      return [
        {
          type: 'BusinessStatusChanged',
          data: { from: state.status as BusinessStatus, to: command.status, on: command.on, reason: command.reason },
        },
      ];
    }
    case 'ReportVolume': {
      existing(state);
      reportable(state, command.month, command.today);
      if (state.volumes[command.month]) refuse('VOLUME_ALREADY_REPORTED', `${command.month} is reported already: correct it instead`);
      return [{ type: 'BusinessVolumeReported', data: { month: command.month, turnover: command.turnover, employed: command.employed } }];
    }
    case 'CorrectVolume': {
      existing(state);
      const from = state.volumes[command.month] ?? refuse('VOLUME_NOT_REPORTED', `${command.month} has no report to correct`);
      const to = { turnover: command.turnover, employed: command.employed };
      if (from.turnover === to.turnover && from.employed === to.employed) return [];
      return [{ type: 'BusinessVolumeCorrected', data: { month: command.month, from, to, reason: command.reason } }];
    }
  }
}

export const businessDecider: Decider<BusinessState, BusinessCommand, BusinessEvent> = {
  initialState: initialBusinessState,
  evolve: evolveBusiness,
  decide: decideBusiness,
};
