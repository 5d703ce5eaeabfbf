import { DeciderSpecification, type SpecCommand } from '@jejak/testing';

import { type CommunityCommand, communityDecider, type CommunityEvent } from './community';

const spec = DeciderSpecification.for(communityDecider, { by: 'officer-1', at: new Date('2026-11-20T03:00:00Z'), today: '2026-11-20' });
type Cmd = SpecCommand<CommunityCommand>;

const form: Cmd = {
  type: 'FormCommunity',
  communityId: 'k1',
  villages: ['3201012001', '3201012002'],
  name: 'KKBM Sukamaju',
  formedOn: '2026-01-15',
};
const formed: CommunityEvent = {
  type: 'CommunityFormed',
  data: {
    communityId: 'k1',
    areaCode: '3201012001',
    villages: ['3201012001', '3201012002'],
    name: 'KKBM Sukamaju',
    formedOn: '2026-01-15',
    formedBy: 'officer-1',
  },
};
const admit = (subjectId: string, relation: 'prospective_worker' | 'returned_worker' | 'family_member', on = '2026-02-01'): Cmd => ({
  type: 'AdmitMember',
  subjectId,
  relation,
  on,
});
const joined = (
  subjectId: string,
  relation: 'prospective_worker' | 'returned_worker' | 'family_member',
  on = '2026-02-01',
): CommunityEvent => ({
  type: 'CommunityMemberJoined',
  data: { subjectId, relation, joinedOn: on },
});
const leave = (subjectId: string, on = '2026-06-01'): Cmd => ({ type: 'RecordMemberLeaving', subjectId, sealed: { reason: 'pd1:r' }, on });
const dissolved: CommunityEvent = { type: 'CommunityDissolved', data: { reason: 'merged with KKBM Mekarsari', dissolvedOn: '2026-10-01' } };

describe('community decider: formation', () => {
  it('forms a community for its villages, its own first', () => spec.given([]).when(form).then([formed]));

  it('forms a community once', () => spec.given([formed]).when(form).thenThrows('COMMUNITY_ALREADY_FORMED'));

  it('serves at least one village', () =>
    spec
      .given([])
      .when({ ...form, villages: [] } as Cmd)
      .thenThrows('VILLAGE_REQUIRED'));

  it('names each village once', () =>
    spec
      .given([])
      .when({ ...form, villages: ['3201012001', '3201012001'] } as Cmd)
      .thenThrows('VILLAGE_REPEATED'));

  it('is not formed after today', () =>
    spec
      .given([])
      .when({ ...form, formedOn: '2026-11-21' } as Cmd)
      .thenThrows('DATE_IN_FUTURE'));

  it('dissolves with its reason', () =>
    spec
      .given([formed])
      .when({ type: 'DissolveCommunity', reason: 'merged with KKBM Mekarsari', on: '2026-10-01' })
      .thenState((state, events) => {
        expect(events).toEqual([dissolved]);
        expect(state.status).toBe('dissolved');
      }));

  it('a dissolved community admits nobody', () =>
    spec
      .given([formed, dissolved])
      .when(admit('s1', 'prospective_worker', '2026-10-02'))
      .thenThrows('COMMUNITY_DISSOLVED'));

  it('acts only on a community on record', () =>
    spec.given([]).when(admit('s1', 'prospective_worker')).thenThrows('COMMUNITY_NOT_FOUND', 'not_found'));
});

describe('community decider: members', () => {
  it('admits a person with their relation to migration', () =>
    spec
      .given([formed])
      .when(admit('s1', 'prospective_worker'))
      .thenState((state, events) => {
        expect(events).toEqual([joined('s1', 'prospective_worker')]);
        expect(state.members).toEqual({ s1: { relation: 'prospective_worker', joinedOn: '2026-02-01' } });
      }));

  it('admits a member once', () =>
    spec
      .given([formed, joined('s1', 'prospective_worker')])
      .when(admit('s1', 'family_member'))
      .thenThrows('ALREADY_MEMBER'));

  it('admits nobody before the community was formed', () =>
    spec
      .given([formed])
      .when(admit('s1', 'prospective_worker', '2026-01-14'))
      .thenThrows('DATE_BEFORE_FORMATION'));

  it('admits nobody on a day after today', () =>
    spec
      .given([formed])
      .when(admit('s1', 'prospective_worker', '2026-11-21'))
      .thenThrows('DATE_IN_FUTURE'));

  it('records a change of relation: the prospective worker who departed is abroad', () =>
    spec
      .given([formed, joined('s1', 'prospective_worker')])
      .when({ type: 'ChangeMemberRelation', subjectId: 's1', relation: 'worker_abroad', on: '2026-03-10' })
      .thenState((state, events) => {
        expect(events).toEqual([
          {
            type: 'CommunityMemberRelationChanged',
            data: { subjectId: 's1', from: 'prospective_worker', to: 'worker_abroad', changedOn: '2026-03-10' },
          },
        ]);
        expect(state.members.s1).toEqual({ relation: 'worker_abroad', joinedOn: '2026-02-01' });
      }));

  it('a relation unchanged changes nothing', () =>
    spec
      .given([formed, joined('s1', 'prospective_worker')])
      .when({ type: 'ChangeMemberRelation', subjectId: 's1', relation: 'prospective_worker', on: '2026-03-10' })
      .thenNothingHappens());

  it('changes the relation only of a member', () =>
    spec
      .given([formed])
      .when({ type: 'ChangeMemberRelation', subjectId: 's1', relation: 'worker_abroad', on: '2026-03-10' })
      .thenThrows('NOT_A_MEMBER'));

  it('records a member leaving, the reason sealed with their key', () =>
    spec
      .given([formed, joined('s1', 'returned_worker')])
      .when(leave('s1'))
      .thenState((state, events) => {
        expect(events).toEqual([
          { type: 'CommunityMemberLeft', data: { subjectId: 's1', sealed: { reason: 'pd1:r' }, leftOn: '2026-06-01' } },
        ]);
        expect(state.members).toEqual({});
        expect(state.everMembers).toEqual(['s1']);
      }));

  it('records leaving only of a member', () => spec.given([formed]).when(leave('s1')).thenThrows('NOT_A_MEMBER'));

  it('admits again a person who left', () =>
    spec
      .given(spec.given([formed, joined('s1', 'returned_worker')]).followedBy(leave('s1')))
      .when(admit('s1', 'returned_worker', '2026-07-01'))
      .thenState((state, events) => {
        expect(events).toEqual([joined('s1', 'returned_worker', '2026-07-01')]);
        expect(state.everMembers).toEqual(['s1']);
      }));
});
