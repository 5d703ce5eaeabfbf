export type { CommunityCommand, CommunityErrorCode, CommunityEvent, CommunityState, CommunityStatus, Member, Relation } from './community';
export {
  COMMUNITY_STATUSES,
  communityDecider,
  CommunityRuleViolated,
  communityStream,
  decideCommunity,
  evolveCommunity,
  initialCommunityState,
  RELATIONS,
} from './community';
