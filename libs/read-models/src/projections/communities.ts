/**
 * KKBM communities for the figures: when each was formed, and every joining (with the member's relation
 * to migration when they joined) and leaving, each counted on the day it happened. Nothing is counted
 * again when a relation changes later, so a finished month never changes.
 */
import type { CommunityEvent } from '@jejak/community';
import type { JsonValue } from '@jejak/event-store';

import type { ProgramFact } from '../metrics';
import { type DocumentProjection, subjectIds } from '../projection';

export interface CommunitySummary {
  readonly id: string;
  readonly areaCode: string;
  readonly villages: readonly string[];
  readonly name: string;
  readonly formedOn: string;
  readonly status: 'active' | 'dissolved';
  readonly joinings: readonly { readonly day: string; readonly relation: string }[];
  readonly leavings: readonly string[];
  /** Members now, by opaque subject id: a person's page lists the communities they belong to by it. */
  readonly members: readonly string[];
  readonly revision: string;
}

type Doc = CommunitySummary & JsonValue;

export function communitiesProjection(): DocumentProjection<Doc> {
  return {
    name: 'communities',
    version: 1,
    filter: { streamPrefixes: ['community-'] },
    keyOf: (event) => event.streamId.slice('community-'.length),
    evolve: (document, event) => {
      const revision = event.revision.toString();
      const e = { type: event.type, data: event.data } as CommunityEvent;
      if (e.type === 'CommunityFormed') {
        const { communityId, areaCode, villages, name, formedOn } = e.data;
        return {
          id: communityId,
          areaCode,
          villages,
          name,
          formedOn,
          status: 'active',
          joinings: [],
          leavings: [],
          members: [],
          revision,
        } as Doc;
      }
      if (!document) return null;
      const doc = document as CommunitySummary;
      switch (e.type) {
        case 'CommunityMemberJoined':
          return {
            ...doc,
            joinings: [...doc.joinings, { day: e.data.joinedOn, relation: e.data.relation }],
            members: [...doc.members, e.data.subjectId],
            revision,
          } as Doc;
        case 'CommunityMemberLeft':
          return {
            ...doc,
            leavings: [...doc.leavings, e.data.leftOn],
            members: doc.members.filter((m) => m !== e.data.subjectId),
            revision,
          } as Doc;
        case 'CommunityDissolved':
          return { ...doc, status: 'dissolved', revision } as Doc;
        case 'CommunityMemberRelationChanged':
          return { ...doc, revision } as Doc;
      }
    },
    facts: (d): ProgramFact[] => [
      { area: d.areaCode, day: d.formedOn, metric: 'communities.formed' },
      ...d.joinings.map((j) => ({ area: d.areaCode, day: j.day, metric: 'members.joined' as const, key: j.relation })),
      ...d.leavings.map((day) => ({ area: d.areaCode, day, metric: 'members.left' as const })),
    ],
    columns: {
      area: { type: 'text', of: (d) => d.areaCode },
      status: { type: 'text', of: (d) => d.status },
      formed_on: { type: 'text', of: (d) => d.formedOn },
      sort_at: { type: 'timestamptz', of: (d) => `${d.formedOn}T00:00:00Z` },
      subjects: { type: 'text[]', of: (d) => subjectIds(...d.members) },
    },
  };
}
