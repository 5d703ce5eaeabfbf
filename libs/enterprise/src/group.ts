/**
 * A business group (kelompok usaha) or cooperative (koperasi): formed on a day in a village, members joining
 * and leaving, an informal group until it is registered as a cooperative with its registration number.
 */
import { type CalendarDate, type Decider, type Envelope, NotFound, RuleViolated } from '@jejak/kernel';

export const groupStream = (groupId: string): string => `group-${groupId}`;

export const LEGAL_STATUSES = ['informal', 'cooperative'] as const;
export type LegalStatus = (typeof LEGAL_STATUSES)[number];

export type GroupEvent =
  | {
      readonly type: 'BusinessGroupFormed';
      readonly data: {
        readonly groupId: string;
        readonly areaCode: string;
        readonly name: string;
        readonly formedOn: CalendarDate;
        readonly legalStatus: LegalStatus;
        readonly registrationNumber: string | null;
        readonly formedBy: string;
      };
    }
  | { readonly type: 'GroupMemberJoined'; readonly data: { readonly subjectId: string; readonly joinedOn: CalendarDate } }
  | { readonly type: 'GroupMemberLeft'; readonly data: { readonly subjectId: string; readonly leftOn: CalendarDate } }
  | { readonly type: 'GroupRegisteredAsCooperative'; readonly data: { readonly registrationNumber: string; readonly on: CalendarDate } };

export type GroupCommand =
  | (Envelope & {
      readonly type: 'FormGroup';
      readonly groupId: string;
      readonly areaCode: string;
      readonly name: string;
      readonly formedOn: CalendarDate;
      readonly legalStatus: LegalStatus;
      readonly registrationNumber: string | null;
    })
  | (Envelope & { readonly type: 'AdmitGroupMember'; readonly subjectId: string; readonly on: CalendarDate })
  | (Envelope & { readonly type: 'RecordGroupMemberLeaving'; readonly subjectId: string; readonly on: CalendarDate })
  | (Envelope & { readonly type: 'RegisterAsCooperative'; readonly registrationNumber: string; readonly on: CalendarDate });

export interface GroupState {
  readonly status: 'none' | 'formed';
  readonly areaCode?: string;
  readonly formedOn?: CalendarDate;
  readonly legalStatus?: LegalStatus;
  readonly registrationNumber?: string | null;
  readonly members: readonly string[];
}

export const initialGroupState: GroupState = { status: 'none', members: [] };

export type GroupErrorCode =
  | 'GROUP_ALREADY_FORMED'
  | 'REGISTRATION_NUMBER_REQUIRED'
  | 'REGISTRATION_NUMBER_NOT_ALLOWED'
  | 'ALREADY_COOPERATIVE'
  | 'DATE_IN_FUTURE'
  | 'DATE_BEFORE_FORMATION'
  | 'ALREADY_MEMBER'
  | 'NOT_A_MEMBER';

export class GroupRuleViolated extends RuleViolated<GroupErrorCode> {}

const refuse = (code: GroupErrorCode, message: string): never => {
  throw new GroupRuleViolated(code, message);
};

export function evolveGroup(state: GroupState, event: GroupEvent): GroupState {
  switch (event.type) {
    case 'BusinessGroupFormed': {
      const { areaCode, formedOn, legalStatus, registrationNumber } = event.data;
      return { ...state, status: 'formed', areaCode, formedOn, legalStatus, registrationNumber };
    }
    case 'GroupMemberJoined':
      return { ...state, members: [...state.members, event.data.subjectId] };
    case 'GroupMemberLeft':
      return { ...state, members: state.members.filter((m) => m !== event.data.subjectId) };
    case 'GroupRegisteredAsCooperative':
      return { ...state, legalStatus: 'cooperative', registrationNumber: event.data.registrationNumber };
  }
}

function day(state: GroupState, on: CalendarDate, today: CalendarDate): void {
  if (state.status === 'none') throw new NotFound('GROUP_NOT_FOUND', 'No such business group');
  if (on > today) refuse('DATE_IN_FUTURE', `${on} is after today`);
  if (on < state.formedOn!) refuse('DATE_BEFORE_FORMATION', `${on} is before the group was formed`);
}

export function decideGroup(command: GroupCommand, state: GroupState): GroupEvent[] {
  switch (command.type) {
    case 'FormGroup': {
      if (state.status !== 'none') refuse('GROUP_ALREADY_FORMED', 'The group is already on record');
      if (command.formedOn > command.today) refuse('DATE_IN_FUTURE', `${command.formedOn} is after today`);
      if (command.legalStatus === 'cooperative' && !command.registrationNumber)
        refuse('REGISTRATION_NUMBER_REQUIRED', 'A cooperative is on record with its registration number');
      if (command.legalStatus === 'informal' && command.registrationNumber)
        refuse('REGISTRATION_NUMBER_NOT_ALLOWED', 'An informal group has no registration number');
      const { groupId, areaCode, name, formedOn, legalStatus, registrationNumber } = command;
      return [
        { type: 'BusinessGroupFormed', data: { groupId, areaCode, name, formedOn, legalStatus, registrationNumber, formedBy: command.by } },
      ];
    }
    case 'AdmitGroupMember':
      day(state, command.on, command.today);
      if (state.members.includes(command.subjectId)) refuse('ALREADY_MEMBER', 'The person is already a member');
      return [{ type: 'GroupMemberJoined', data: { subjectId: command.subjectId, joinedOn: command.on } }];
    case 'RecordGroupMemberLeaving':
      day(state, command.on, command.today);
      if (!state.members.includes(command.subjectId)) refuse('NOT_A_MEMBER', 'The person is not a member of this group');
      return [{ type: 'GroupMemberLeft', data: { subjectId: command.subjectId, leftOn: command.on } }];
    case 'RegisterAsCooperative':
      day(state, command.on, command.today);
      if (state.legalStatus === 'cooperative') refuse('ALREADY_COOPERATIVE', 'The group is a registered cooperative already');
      return [{ type: 'GroupRegisteredAsCooperative', data: { registrationNumber: command.registrationNumber, on: command.on } }];
  }
}

export const groupDecider: Decider<GroupState, GroupCommand, GroupEvent> = {
  initialState: initialGroupState,
  evolve: evolveGroup,
  decide: decideGroup,
};
