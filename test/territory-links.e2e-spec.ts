/**
 * A NIK never opens another territory's person. An officer who registers a placement, case or prevention
 * record with a NIK already registered in another province gets a subject of their own, holding what they
 * entered, linked (`sameAs`) to the person registered there; they never see that person's name, birth date
 * or phone. Their reads appear in the access log where the person's own territory's auditor sees them.
 */
import { describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { startTestApi, type TestApi } from './support/api';

const HERE = '3201012001'; // Bogor, West Java (32)
const THERE = '3301012001'; // Cilacap, Central Java (33)

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let officerHere: string;
  let officerThere: string;
  let auditorThere: string;
  let auditorHere: string;
  const nik = kind === 'pglite' ? '3301014501980071' : '3301014501980072';
  const real = { name: 'Ratna Sari Dewi', nik, birthDate: '1998-01-05', phone: '+62 812 5555 0101', address: 'Desa Karangsari RT 02' };
  let holderId: string;

  beforeAll(async () => {
    api = await startTestApi(kind);
    officerHere = await api.token('officer-here', 'officer', `village:${HERE}`);
    officerThere = await api.token('officer-there', 'officer', `village:${THERE}`);
    auditorThere = await api.token('auditor-there', 'auditor', 'province:33');
    auditorHere = await api.token('auditor-here', 'auditor', 'province:32');
    const res = await request(api.app.getHttpServer())
      .post('/subjects')
      .set('Authorization', `Bearer ${officerThere}`)
      .send({ kind: 'worker', areaCode: THERE, consentBasis: 'consent', ...real })
      .expect(201);
    holderId = res.body.id;
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const as = (token: string, req: request.Test) => req.set('Authorization', `Bearer ${token}`);
  const leaks = (body: unknown) =>
    [real.name, real.phone, real.birthDate, real.address, 'Ratna'].filter((v) => JSON.stringify(body).includes(v));

  it('a placement registered here with that NIK shows what the officer entered, and links the person only by id', async () => {
    const created = await as(officerHere, http().post('/placements'))
      .send({ areaCode: HERE, worker: { name: 'R. S. Dewi', nik, birthDate: '1998-01-06' } })
      .expect(201);
    const placement = (await as(officerHere, http().get(`/placements/${created.body.id}`)).expect(200)).body;
    expect(placement.worker.name).toBe('R. S. Dewi');
    expect(placement.worker.birthDate).toBe('1998-01-06');
    expect(placement.worker.subjectId).not.toBe(holderId);
    expect(leaks(placement)).toEqual([]);
    const own = (await as(officerHere, http().get(`/subjects/${placement.worker.subjectId}`)).expect(200)).body;
    expect(own).toMatchObject({ areaCode: HERE, sameAsSubjectId: holderId });
    expect(leaks(own)).toEqual([]);
    // The person registered there stays theirs to see.
    await as(officerHere, http().get(`/subjects/${holderId}`)).expect(403);
    // History and diff of the record hold nothing of theirs either.
    const history = (await as(officerHere, http().get(`/placements/${created.body.id}/history`)).expect(200)).body;
    expect(leaks(history)).toEqual([]);
  });

  it('a case and a prevention record here with that NIK do not open the person either', async () => {
    const opened = await as(officerHere, http().post('/cases'))
      .send({
        areaCode: HERE,
        channel: 'walk_in',
        categories: ['unpaid_wages'],
        worker: { name: 'Bu R.', nik },
        relationship: 'self',
        destinationCountry: 'MY',
        complaint: 'gaji',
      })
      .expect(201);
    const kase = (await as(officerHere, http().get(`/cases/${opened.body.id}`)).expect(200)).body;
    expect(kase.worker).toMatchObject({ name: 'Bu R.' });
    expect(kase.worker.subjectId).not.toBe(holderId);
    expect(leaks(kase)).toEqual([]);

    const reported = await as(officerHere, http().post('/preventions'))
      .send({ areaCode: HERE, source: 'family', person: { name: 'Ibu R.', nik } })
      .expect(201);
    const prevention = (await as(officerHere, http().get(`/preventions/${reported.body.id}`)).expect(200)).body;
    expect(prevention.person).toMatchObject({ name: 'Ibu R.' });
    expect(leaks(prevention)).toEqual([]);
  });

  it('an officer of the person’s own territory links the person directly and sees them', async () => {
    const opened = await as(officerThere, http().post('/cases'))
      .send({
        areaCode: THERE,
        channel: 'walk_in',
        categories: ['unpaid_wages'],
        worker: { name: 'typed differently', nik },
        relationship: 'self',
        destinationCountry: 'MY',
        complaint: 'gaji',
      })
      .expect(201);
    const kase = (await as(officerThere, http().get(`/cases/${opened.body.id}`)).expect(200)).body;
    expect(kase.worker).toMatchObject({ subjectId: holderId, name: real.name });
  });

  it('reads through the link are in the access log where the person’s own auditor sees them', async () => {
    const entries = (await as(auditorThere, http().get(`/audit/access?subject=${holderId}`)).expect(200)).body.items as {
      actorId: string;
      kind: string;
      subjectAreas: string[];
    }[];
    const byOfficerHere = entries.filter((e) => e.actorId === 'officer-here');
    expect(byOfficerHere.map((e) => e.kind).sort()).toEqual(expect.arrayContaining(['case', 'placement', 'prevention', 'subject']));
    for (const e of byOfficerHere) expect(e.subjectAreas).toEqual(expect.arrayContaining([HERE, THERE]));
    // The officer's own province's auditor sees them too (the records are theirs).
    const here = (await as(auditorHere, http().get('/audit/access?actor=officer-here')).expect(200)).body.items;
    expect(here.length).toBeGreaterThanOrEqual(byOfficerHere.length);
  });
}

describe('a NIK does not open another territory’s person: PGlite', () => suite('pglite'));
describeIfPostgres('a NIK does not open another territory’s person: PostgreSQL', () => suite('postgres'));
