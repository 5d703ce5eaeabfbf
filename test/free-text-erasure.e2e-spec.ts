/**
 * Free text is personal data until shown otherwise. Reasons (reassignment, suspension, reopening, closure
 * rejection, withdrawal, legal hold), referral organisations and recruitment routes are sealed with the key
 * of the person the record is about: never in an event in clear, shown to readers in scope, and unreadable
 * once that person is erased. A prevention record that names nobody has a data subject of its own, so its
 * free text is erased the same way.
 */
import { collect, type EventStore } from '@jejak/event-store';
import { describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { EVENT_STORE } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let officer: string;
  let supervisor: string;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi(kind);
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    supervisor = await api.token('supervisor-1', 'supervisor', 'province:32');
    admin = await api.token('admin-1', 'admin', 'national');
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const post = (path: string, body: object, token = officer) => http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  const get = async (path: string, token = officer) => (await http().get(path).set('Authorization', `Bearer ${token}`).expect(200)).body;
  const stored = async (stream: string) =>
    JSON.stringify(
      (await collect(api.app.get<EventStore>(EVENT_STORE).readStream(stream))).map((e) => ({ data: e.data, metadata: e.metadata })),
    );
  const erase = (subjectId: string) =>
    post(`/subjects/${subjectId}/erasure`, { reason: 'request of the person', legalBasis: 'UU 27/2022 art. 8' }, admin).expect(200);

  it('seals a case’s reasons and referral organisations with the worker’s key, and erasure makes them unreadable', async () => {
    const id = (
      await post('/cases', {
        areaCode: VILLAGE,
        channel: 'walk_in',
        categories: ['unpaid_wages'],
        worker: { name: 'Pekerja' },
        relationship: 'self',
        destinationCountry: 'MY',
        complaint: 'gaji',
      }).expect(201)
    ).body.id;
    // Opening assigns the case to the officer who took it; reassigning needs a reason.
    await post(`/cases/${id}/assignment`, { officerId: 'officer-2', reason: 'Pak Darto sakit keras' }).expect(200);
    await post(`/cases/${id}/referrals`, { to: 'other_organisation', organisation: 'LBH Migran Ibu Sumiati' }).expect(201);
    await post(`/cases/${id}/suspension`, { reason: 'nomor HP suaminya tidak aktif' }).expect(200);
    const texts = ['Pak Darto sakit keras', 'LBH Migran Ibu Sumiati', 'nomor HP suaminya tidak aktif'];
    const raw = await stored(`case-${id}`);
    for (const text of texts) expect(raw).not.toContain(text);
    const view = await get(`/cases/${id}`);
    expect(JSON.stringify(view)).toContain('nomor HP suaminya tidak aktif');
    const history = await get(`/cases/${id}/history`);
    for (const text of texts) expect(JSON.stringify(history)).toContain(text);
    const diff = await get(`/cases/${id}/diff?from=0&to=${history.items.length - 1}`);
    for (const text of texts) expect(JSON.stringify(diff)).not.toContain(text);

    await erase(view.worker.subjectId);
    const after = JSON.stringify({ view: await get(`/cases/${id}`), history: await get(`/cases/${id}/history`) });
    for (const text of texts) expect(after).not.toContain(text);
    expect(after).toContain('[erased]');
  });

  it('gives a prevention record that names nobody a subject of its own: its description, route and reasons are erasable', async () => {
    const id = (
      await post('/preventions', {
        areaCode: VILLAGE,
        source: 'hotline',
        route: 'lewat Entikong bersama Bu Yati',
        description: 'anak Pak Karto dijanjikan kerja',
        flags: [{ flag: 'transit_route', evidence: 'foto tiket' }],
      }).expect(201)
    ).body.id;
    const raw = await stored(`prevention-${id}`);
    for (const text of ['lewat Entikong bersama Bu Yati', 'anak Pak Karto', 'foto tiket']) expect(raw).not.toContain(text);
    const list = (await http().get('/preventions').set('Authorization', `Bearer ${officer}`).set('X-Min-Position', '0').expect(200)).body
      .items;
    expect(JSON.stringify(list)).not.toContain('pd1:');
    const record = await get(`/preventions/${id}`);
    expect(record).toMatchObject({ route: 'lewat Entikong bersama Bu Yati', description: 'anak Pak Karto dijanjikan kerja', person: null });
    // The record's own data subject, in the record's village, erasable like any person.
    expect(await get(`/subjects/${id}`)).toMatchObject({ id, areaCode: VILLAGE, status: 'active' });
    await erase(id);
    expect(await get(`/preventions/${id}`)).toMatchObject({ route: '[erased]', description: '[erased]' });
  });

  it('seals a legal hold’s reason and reference with the person’s key', async () => {
    const subject = (await post('/subjects', { kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', name: 'Saksi' }).expect(201))
      .body.id;
    await post(
      `/subjects/${subject}/legal-hold`,
      { reason: 'saksi perkara TPPO Bu Yati', legalBasis: 'court order', reference: 'PN Bogor 12/Pid.Sus/2026' },
      supervisor,
    ).expect(200);
    const raw = await stored(`subject-${subject}`);
    expect(raw).not.toContain('saksi perkara TPPO');
    expect(raw).not.toContain('PN Bogor 12');
    expect((await get(`/subjects/${subject}`)).legalHold).toMatchObject({
      reason: 'saksi perkara TPPO Bu Yati',
      legalBasis: 'court order',
      reference: 'PN Bogor 12/Pid.Sus/2026',
    });
  });
}

describe('free text is sealed and erasable: PGlite', () => suite('pglite'));
describeIfPostgres('free text is sealed and erasable: PostgreSQL', () => suite('postgres'));
