/**
 * KKBM communities over HTTP on the embedded store: formed for villages within the officer's territory,
 * members admitted from the people on record with their relation to migration, a change of relation,
 * leaving (why, sealed with the member's key), dissolution; every refusal a 4xx that writes nothing.
 */
import { type EventStore } from '@jejak/event-store';
import { collect } from '@jejak/testing';
import request from 'supertest';

import { EVENT_STORE } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';
const NEIGHBOUR = '3201012002';
const ELSEWHERE = '3302012001';

describe('KKBM communities (embedded store)', () => {
  let api: TestApi;
  let officer: string;
  let outsider: string;
  let auditor: string;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi('pglite');
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`, `village:${NEIGHBOUR}`);
    outsider = await api.token('officer-9', 'officer', `village:${ELSEWHERE}`);
    auditor = await api.token('auditor-1', 'auditor', 'district:320101');
    admin = await api.token('admin-1', 'admin', 'national');
  });
  afterAll(() => api?.close());

  const http = () => request(api.app.getHttpServer());
  const post = (path: string, body: object, token = officer) => http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  const get = (path: string, token = officer) => http().get(path).set('Authorization', `Bearer ${token}`);
  const person = async (name: string): Promise<string> =>
    (await post('/subjects', { kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', name }).expect(201)).body.id;
  const form = async (name: string): Promise<string> =>
    (await post('/communities', { areaCode: VILLAGE, otherVillages: [NEIGHBOUR], name, formedOn: '2026-01-15' }).expect(201)).body.id;

  it('forms a community for its villages, which officers and auditors of the area read', async () => {
    const res = await post('/communities', {
      areaCode: VILLAGE,
      otherVillages: [NEIGHBOUR],
      name: 'KKBM Sukamaju',
      formedOn: '2026-01-15',
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/communities/${res.body.id}`);
    const view = await get(`/communities/${res.body.id}`, auditor).expect(200);
    expect(view.headers.etag).toBe('"0"');
    expect(view.body).toEqual({
      id: res.body.id,
      areaCode: VILLAGE,
      villages: [VILLAGE, NEIGHBOUR],
      name: 'KKBM Sukamaju',
      formedOn: '2026-01-15',
      status: 'active',
      members: [],
      formerMembers: 0,
      revision: 0,
    });
  });

  it('refuses a village outside the territory, and writes nothing', async () => {
    const communityId = '0b7c3e52-0f3a-4c8e-9a51-4c1d2e3f4a5b';
    const res = await post('/communities', { communityId, areaCode: VILLAGE, otherVillages: [ELSEWHERE], name: 'KKBM Lintas' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('OUT_OF_SCOPE');
    expect((await get(`/communities/${communityId}`).expect(404)).body.code).toBe('COMMUNITY_NOT_FOUND');
  });

  it('refuses a malformed village or an empty name with 400', async () => {
    expect((await post('/communities', { areaCode: VILLAGE, otherVillages: ['32'], name: 'x' })).status).toBe(400);
    expect((await post('/communities', { areaCode: VILLAGE, name: '' })).status).toBe(400);
  });

  it('keeps a community out of reach of officers elsewhere', async () => {
    const id = await form('KKBM Tertutup');
    expect((await get(`/communities/${id}`, outsider)).status).toBe(403);
  });

  it('admits a person on record with their relation to migration, and records a change of it', async () => {
    const id = await form('KKBM Mekarsari');
    const ani = await person('Ani');
    expect((await post(`/communities/${id}/members`, { subjectId: ani, relation: 'prospective_worker', on: '2026-02-01' })).status).toBe(
      200,
    );
    const changed = await post(`/communities/${id}/members/${ani}/relation`, { relation: 'worker_abroad', on: '2026-03-10' }).expect(200);
    expect(changed.body.revision).toBe(2);
    const view = (await get(`/communities/${id}`).expect(200)).body;
    expect(view.members).toEqual([{ subjectId: ani, relation: 'worker_abroad', joinedOn: '2026-02-01' }]);
  });

  it('an unchanged relation writes nothing', async () => {
    const id = await form('KKBM Tenang');
    const ani = await person('Ani');
    await post(`/communities/${id}/members`, { subjectId: ani, relation: 'returned_worker' }).expect(200);
    const res = await post(`/communities/${id}/members/${ani}/relation`, { relation: 'returned_worker' }).expect(200);
    expect(res.body.revision).toBe(1);
  });

  it('refuses a person not on record, and writes nothing', async () => {
    const id = await form('KKBM Kosong');
    const res = await post(`/communities/${id}/members`, { subjectId: '5f0e8a57-9c2b-4d3e-8f1a-2b3c4d5e6f70', relation: 'family_member' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('REFERENCED_RECORD_NOT_FOUND');
    expect((await get(`/communities/${id}`).expect(200)).body.revision).toBe(0);
  });

  it('refuses a second admission, a relation outside the list, and a stale revision', async () => {
    const id = await form('KKBM Ramai');
    const budi = await person('Budi');
    await post(`/communities/${id}/members`, { subjectId: budi, relation: 'family_member' }).expect(200);
    expect((await post(`/communities/${id}/members`, { subjectId: budi, relation: 'family_member' })).body.code).toBe('ALREADY_MEMBER');
    expect((await post(`/communities/${id}/members`, { subjectId: budi, relation: 'tourist' })).status).toBe(400);
    const stale = await post(`/communities/${id}/members/${budi}/relation`, { relation: 'worker_abroad' }).set('If-Match', '"0"');
    expect(stale.status).toBe(412);
  });

  it("records a member leaving with the reason sealed under the member's key, never in clear", async () => {
    const id = await form('KKBM Purna');
    const citra = await person('Citra');
    await post(`/communities/${id}/members`, { subjectId: citra, relation: 'returned_worker', on: '2026-02-01' }).expect(200);
    await post(`/communities/${id}/members/${citra}/leaving`, { reason: 'moved to Batam for work', on: '2026-06-01' }).expect(200);
    const view = (await get(`/communities/${id}`).expect(200)).body;
    expect(view).toMatchObject({ members: [], formerMembers: 1 });
    const events = await collect(api.app.get<EventStore>(EVENT_STORE).readStream(`community-${id}`));
    const left = events.find((e) => e.type === 'CommunityMemberLeft')!;
    expect(JSON.stringify(left.data)).not.toContain('Batam');
    expect((left.data as { sealed: { reason: string } }).sealed.reason).toMatch(/^pd1:/);
  });

  it('refuses leaving for someone who is not a member', async () => {
    const id = await form('KKBM Sepi');
    const dewi = await person('Dewi');
    expect((await post(`/communities/${id}/members/${dewi}/leaving`, { reason: 'x' })).body.code).toBe('NOT_A_MEMBER');
  });

  it('dissolves a community, after which it admits nobody', async () => {
    const id = await form('KKBM Lama');
    await post(`/communities/${id}/dissolution`, { reason: 'merged with KKBM Mekarsari' }).expect(200);
    expect((await get(`/communities/${id}`).expect(200)).body.status).toBe('dissolved');
    const eko = await person('Eko');
    const res = await post(`/communities/${id}/members`, { subjectId: eko, relation: 'family_member' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('COMMUNITY_DISSOLVED');
  });

  it('refuses a day before the community was formed', async () => {
    const id = await form('KKBM Baru');
    const fajar = await person('Fajar');
    const res = await post(`/communities/${id}/members`, { subjectId: fajar, relation: 'family_member', on: '2026-01-01' });
    expect(res.body.code).toBe('DATE_BEFORE_FORMATION');
  });

  it("lists a member's community in their access report, once however often they joined, and nobody else's", async () => {
    const id = await form('KKBM Terbuka');
    const gita = await person('Gita');
    const hadi = await person('Hadi');
    await post(`/communities/${id}/members`, { subjectId: gita, relation: 'returned_worker', on: '2026-02-01' }).expect(200);
    await post(`/communities/${id}/members/${gita}/leaving`, { reason: 'x', on: '2026-03-01' }).expect(200);
    await post(`/communities/${id}/members`, { subjectId: gita, relation: 'returned_worker', on: '2026-04-01' }).expect(200);
    const report = (await get(`/subjects/${gita}/report`, admin).expect(200)).body;
    expect(
      report.records.map((r: { kind: string; id: string; areaCode: string; roles: string[] }) => [r.kind, r.id, r.areaCode, r.roles]),
    ).toEqual([['community', id, VILLAGE, ['member']]]);
    expect(report.records[0].processing.map((p: { type: string }) => p.type)).toEqual([
      'CommunityFormed',
      'CommunityMemberJoined',
      'CommunityMemberLeft',
      'CommunityMemberJoined',
    ]);
    expect((await get(`/subjects/${hadi}/report`, admin).expect(200)).body.records).toEqual([]);
  });

  it("lists the communities of the caller's territory, and those a person belongs to now", async () => {
    const id = await form('KKBM Daftar');
    const indah = await person('Indah');
    // A well-behaved client reads its own writes: X-Min-Position from the write's answer.
    const admitted = await post(`/communities/${id}/members`, {
      subjectId: indah,
      relation: 'prospective_worker',
      on: '2026-02-01',
    }).expect(200);
    const listed = async (query: string, position: string, token = officer) =>
      (await get(`/communities${query}`, token).set('X-Min-Position', position).expect(200)).body.items as { id: string }[];
    expect((await listed('', admitted.body.position)).find((c) => c.id === id)).toMatchObject({
      name: 'KKBM Daftar',
      areaCode: VILLAGE,
      status: 'active',
      members: 1,
    });
    expect((await listed(`?subject=${indah}`, admitted.body.position)).map((c) => c.id)).toEqual([id]);
    const left = await post(`/communities/${id}/members/${indah}/leaving`, { reason: 'x', on: '2026-03-01' }).expect(200);
    expect(await listed(`?subject=${indah}`, left.body.position)).toEqual([]);
    expect(await listed('', left.body.position, outsider)).toEqual([]);
  });
});
