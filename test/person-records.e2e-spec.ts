/**
 * A person's records: find them by NIK (POST /subjects/lookup), then list the cases, placements and
 * prevention reports that name them with `?subject=`, within the caller's territory only; and a record's
 * history names who wrote each event by their login name.
 */
import { describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { readOwnWrite, startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';
const OTHER_VILLAGE = '3507012001';

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let admin: string;
  let officer: string;
  let elsewhere: string;
  let officerId: string;
  const nik = kind === 'pglite' ? '3201014707990001' : '3201014707990002';
  const other = kind === 'pglite' ? '3201014707990003' : '3201014707990004';

  beforeAll(async () => {
    api = await startTestApi(kind);
    admin = await api.token('admin-1', 'admin', 'national');
    const created = await http()
      .post('/users')
      .set('Authorization', `Bearer ${admin}`)
      .send({ username: 'budi.santoso', role: 'officer', scopes: [`village:${VILLAGE}`], password: 'sawah-hijau-2026-desa' })
      .expect(201);
    officerId = created.body.id;
    officer = (await http().post('/auth/login').send({ username: 'budi.santoso', password: 'sawah-hijau-2026-desa' }).expect(200)).body
      .token;
    elsewhere = await api.token('officer-malang', 'officer', `village:${OTHER_VILLAGE}`);
  });
  afterAll(() => api?.close(), 180_000);
  const http = () => request(api.app.getHttpServer());
  const as = (token: string) => ({
    post: (path: string, body: object) => http().post(path).set('Authorization', `Bearer ${token}`).send(body),
    list: (path: string, position: string) =>
      readOwnWrite(() => http().get(path).set('Authorization', `Bearer ${token}`).set('X-Min-Position', position)),
  });
  const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id).sort();

  it('lists the cases, placements and prevention reports that name a person found by NIK, and only theirs', async () => {
    const me = as(officer);
    const placement = (
      await me.post('/placements', { areaCode: VILLAGE, worker: { name: 'Wati Lestari', nik, birthDate: '1999-07-07' } }).expect(201)
    ).body;
    // The same person in a complaint and a prevention report: the NIK finds the person registered once.
    const opened = (
      await me
        .post('/cases', {
          areaCode: VILLAGE,
          channel: 'walk_in',
          categories: ['unpaid_wages'],
          worker: { name: 'Wati Lestari', nik },
          relationship: 'self',
          complaint: 'gaji tidak dibayar',
        })
        .expect(201)
    ).body;
    const reported = (
      await me
        .post('/preventions', {
          areaCode: VILLAGE,
          source: 'family',
          person: { name: 'Wati Lestari', nik },
          flags: [{ flag: 'upfront_payment' }],
        })
        .expect(201)
    ).body;
    // Someone else, in the same village.
    const stranger = (
      await me.post('/placements', { areaCode: VILLAGE, worker: { name: 'Orang Lain', nik: other, birthDate: '1990-01-01' } }).expect(201)
    ).body;
    const last = (
      await me
        .post('/cases', {
          areaCode: VILLAGE,
          channel: 'walk_in',
          categories: ['lost_contact'],
          worker: { name: 'Orang Lain', nik: other },
          relationship: 'self',
          complaint: 'hilang kontak',
        })
        .expect(201)
    ).body;

    const found = await me.post('/subjects/lookup', { nik }).expect(200);
    expect(found.body.items).toHaveLength(1);
    const subject = found.body.items[0].id as string;
    const position = last.position as string;
    expect(ids((await me.list(`/cases?subject=${subject}`, position)).body)).toEqual([opened.id]);
    expect(ids((await me.list(`/placements?subject=${subject}`, position)).body)).toEqual([placement.id]);
    expect(ids((await me.list(`/preventions?subject=${subject}`, position)).body)).toEqual([reported.id]);
    // Upper case is the same id.
    expect(ids((await me.list(`/placements?subject=${subject.toUpperCase()}`, position)).body)).toEqual([placement.id]);
    // The other person's placement is not among them; without the filter both are.
    expect(ids((await me.list('/placements', position)).body)).toEqual([placement.id, stranger.id].sort());
    // Outside the territory the filter finds nothing: it narrows a list, never widens it.
    for (const path of ['cases', 'placements', 'preventions']) {
      expect((await as(elsewhere).list(`/${path}?subject=${subject}`, position)).body.items).toEqual([]);
    }
  });

  it('refuses a subject that is not an id with a 400 naming the field', async () => {
    const refused = await http().get('/cases?subject=3201014707990001').set('Authorization', `Bearer ${officer}`).expect(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['subject']);
    // A NIK in a URL is exactly what the lookup by POST avoids: it is not echoed back either.
    expect(JSON.stringify(refused.body)).not.toContain('3201014707990001');
  });

  it('names who wrote each event by login name, and no name for a token that is no user', async () => {
    const me = as(officer);
    const placement = (
      await me
        .post('/placements', {
          areaCode: VILLAGE,
          worker: { name: 'Ratna Sari', nik: kind === 'pglite' ? '3201014707990005' : '3201014707990006', birthDate: '2000-02-02' },
        })
        .expect(201)
    ).body;
    const history = (await http().get(`/placements/${placement.id}/history`).set('Authorization', `Bearer ${officer}`).expect(200)).body
      .items;
    expect(history[0]).toMatchObject({ type: 'PlacementRegistered', actorName: 'budi.santoso', metadata: { actorId: officerId } });
    // A token whose subject is no user (as a service's) has no name to show.
    const service = await api.token('officer-service', 'officer', `village:${VILLAGE}`);
    const opened = (
      await as(service)
        .post('/cases', {
          areaCode: VILLAGE,
          channel: 'hotline',
          categories: ['lost_contact'],
          worker: { name: 'Tanpa Nama' },
          relationship: 'self',
          complaint: 'x',
        })
        .expect(201)
    ).body;
    const caseHistory = (await http().get(`/cases/${opened.id}/history`).set('Authorization', `Bearer ${service}`).expect(200)).body.items;
    expect(caseHistory[0]).toMatchObject({ actorName: null, metadata: { actorId: 'officer-service' } });
  });
}

describe('a person’s records over embedded PGlite', () => suite('pglite'));
describeIfPostgres('a person’s records over PostgreSQL', () => suite('postgres'));
