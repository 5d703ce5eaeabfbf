/**
 * A KKBM community (Komunitas Keluarga Buruh Migran): formed on a day for a village or a group of villages,
 * and its members, each a data subject with their relation to migration. Joining, a change of relation and
 * leaving are events of the community's stream; the member's personal data stays in their own subject
 * stream, sealed with their key, and only their opaque id is named here.
 */
import { type CalendarDate, type Decider, type Envelope, NotFound, RuleViolated, type Sealed } from '@jejak/kernel';

export const communityStream = (communityId: string): string => `community-${communityId}`;

/** A member's relation to migration (domain: CPMI, PMI abroad, PMI purna, a worker's family). */
export const RELATIONS = ['prospective_worker', 'worker_abroad', 'returned_worker', 'family_member'] as const;
export type Relation = (typeof RELATIONS)[number];

/** The statuses a community on record can have (none: not on record). */
export const COMMUNITY_STATUSES = ['active', 'dissolved'] as const;
export type CommunityStatus = 'none' | (typeof COMMUNITY_STATUSES)[number];

export type CommunityEvent =
  | {
      readonly type: 'CommunityFormed';
      readonly data: {
        readonly communityId: string;
        /** The community's own village: the area its record belongs to for access and figures. */
        readonly areaCode: string;
        /** Every village it serves, its own first. */
        readonly villages: readonly string[];
        readonly name: string;
        readonly formedOn: CalendarDate;
        readonly formedBy: string;
      };
    }
  | {
      readonly type: 'CommunityMemberJoined';
      readonly data: { readonly subjectId: string; readonly relation: Relation; readonly joinedOn: CalendarDate };
    }
  | {
      readonly type: 'CommunityMemberRelationChanged';
      readonly data: { readonly subjectId: string; readonly from: Relation; readonly to: Relation; readonly changedOn: CalendarDate };
    }
  | {
      readonly type: 'CommunityMemberLeft';
      /** Why, in the officer's words about the person: sealed with the member's key. */
      readonly data: { readonly subjectId: string; readonly sealed: Sealed; readonly leftOn: CalendarDate };
    }
  | { readonly type: 'CommunityDissolved'; readonly data: { readonly reason: string; readonly dissolvedOn: CalendarDate } };

type Dated = Envelope & { readonly on: CalendarDate };

export type CommunityCommand =
  | (Envelope & {
      readonly type: 'FormCommunity';
      readonly communityId: string;
      readonly villages: readonly string[];
      readonly name: string;
      readonly formedOn: CalendarDate;
    })
  | (Dated & { readonly type: 'AdmitMember'; readonly subjectId: string; readonly relation: Relation })
  | (Dated & { readonly type: 'ChangeMemberRelation'; readonly subjectId: string; readonly relation: Relation })
  | (Dated & { readonly type: 'RecordMemberLeaving'; readonly subjectId: string; readonly sealed: Sealed })
  | (Dated & { readonly type: 'DissolveCommunity'; readonly reason: string });

export interface Member {
  readonly relation: Relation;
  readonly joinedOn: CalendarDate;
}

export interface CommunityState {
  readonly status: CommunityStatus;
  readonly communityId?: string;
  readonly areaCode?: string;
  readonly villages: readonly string[];
  readonly name?: string;
  readonly formedOn?: CalendarDate;
  /** Present members by subject id. */
  readonly members: Readonly<Record<string, Member>>;
  /** Everyone who was ever a member, present or not (a returned member is admitted again). */
  readonly everMembers: readonly string[];
}

export const initialCommunityState: CommunityState = { status: 'none', villages: [], members: {}, everMembers: [] };

export type CommunityErrorCode =
  | 'COMMUNITY_ALREADY_FORMED'
  | 'COMMUNITY_DISSOLVED'
  | 'VILLAGE_REQUIRED'
  | 'VILLAGE_REPEATED'
  | 'DATE_IN_FUTURE'
  | 'DATE_BEFORE_FORMATION'
  | 'ALREADY_MEMBER'
  | 'NOT_A_MEMBER';

export class CommunityRuleViolated extends RuleViolated<CommunityErrorCode> {}

const refuse = (code: CommunityErrorCode, message: string): never => {
  throw new CommunityRuleViolated(code, message);
};

export function evolveCommunity(state: CommunityState, event: CommunityEvent): CommunityState {
  switch (event.type) {
    case 'CommunityFormed': {
      const { communityId, areaCode, villages, name, formedOn } = event.data;
      return { ...state, status: 'active', communityId, areaCode, villages, name, formedOn };
    }
    case 'CommunityMemberJoined': {
      const { subjectId, relation, joinedOn } = event.data;
      const everMembers = state.everMembers.includes(subjectId) ? state.everMembers : [...state.everMembers, subjectId];
      return { ...state, members: { ...state.members, [subjectId]: { relation, joinedOn } }, everMembers };
    }
    case 'CommunityMemberRelationChanged': {
      const member = state.members[event.data.subjectId]!;
      return { ...state, members: { ...state.members, [event.data.subjectId]: { ...member, relation: event.data.to } } };
    }
    case 'CommunityMemberLeft': {
      const { [event.data.subjectId]: _left, ...members } = state.members;
      return { ...state, members };
    }
    case 'CommunityDissolved':
      return { ...state, status: 'dissolved' };
  }
}

/** A day the officer records: never after today, never before the community was formed. */
function checkDay(state: CommunityState, on: CalendarDate, today: CalendarDate): void {
  if (on > today) refuse('DATE_IN_FUTURE', `${on} is after today`);
  if (state.formedOn && on < state.formedOn) refuse('DATE_BEFORE_FORMATION', `${on} is before the community was formed`);
}

function active(state: CommunityState): void {
  if (state.status === 'none') throw new NotFound('COMMUNITY_NOT_FOUND', 'No such community');
  if (state.status === 'dissolved') refuse('COMMUNITY_DISSOLVED', 'The community is dissolved');
}

function member(state: CommunityState, subjectId: string): Member {
  return state.members[subjectId] ?? refuse('NOT_A_MEMBER', 'The person is not a member of this community');
}

export function decideCommunity(command: CommunityCommand, state: CommunityState): CommunityEvent[] {
  switch (command.type) {
    case 'FormCommunity': {
      if (state.status !== 'none') refuse('COMMUNITY_ALREADY_FORMED', 'The community is already on record');
      if (command.villages.length === 0) refuse('VILLAGE_REQUIRED', 'A community serves at least one village');
      if (new Set(command.villages).size !== command.villages.length) refuse('VILLAGE_REPEATED', 'A village is named twice');
      checkDay(state, command.formedOn, command.today);
      return [
        {
          type: 'CommunityFormed',
          data: {
            communityId: command.communityId,
            areaCode: command.villages[0]!,
            villages: command.villages,
            name: command.name,
            formedOn: command.formedOn,
            formedBy: command.by,
          },
        },
      ];
    }
    case 'AdmitMember':
      active(state);
      checkDay(state, command.on, command.today);
      if (state.members[command.subjectId]) refuse('ALREADY_MEMBER', 'The person is already a member');
      return [{ type: 'CommunityMemberJoined', data: { subjectId: command.subjectId, relation: command.relation, joinedOn: command.on } }];
    case 'ChangeMemberRelation': {
      active(state);
      checkDay(state, command.on, command.today);
      const from = member(state, command.subjectId).relation;
      if (from === command.relation) return [];
      return [
        {
          type: 'CommunityMemberRelationChanged',
          data: { subjectId: command.subjectId, from, to: command.relation, changedOn: command.on },
        },
      ];
    }
    case 'RecordMemberLeaving':
      active(state);
      checkDay(state, command.on, command.today);
      member(state, command.subjectId);
      return [{ type: 'CommunityMemberLeft', data: { subjectId: command.subjectId, sealed: command.sealed, leftOn: command.on } }];
    case 'DissolveCommunity':
      active(state);
      checkDay(state, command.on, command.today);
      return [{ type: 'CommunityDissolved', data: { reason: command.reason, dissolvedOn: command.on } }];
  }
}

export const communityDecider: Decider<CommunityState, CommunityCommand, CommunityEvent> = {
  initialState: initialCommunityState,
  evolve: evolveCommunity,
  decide: decideCommunity,
};
