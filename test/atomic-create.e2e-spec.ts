/**
 * A refused create writes nothing: the people a case, placement or prevention record registers are written
 * in the same append as the record, so when the record's append is refused (a racing create of the same id,
 * or input the store refuses) no SubjectRegistered event stays behind and no NIK stays reserved.
 */
import { randomUUID } from 'node:crypto';

import { collect, type EventStore } from '@jejak/event-store';
import { describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { EVENT_STORE } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';

function suite(kind: 'pglite' | 'postgres' | 'kurrentdb'): void {
  let api: TestApi;
  let officer: string;
  let serial = 0;
  const nik = () =>
    `320101450199${String(4000 + serial++ + (kind === 'postgres' ? 300 : kind === 'kurrentdb' ? 600 : 0)).padStart(4, '0')}`;
  beforeAll(async () => {
    api = await startTestApi(kind);
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const post = (path: string, body: object) => http().post(path).set('Authorization', `Bearer ${officer}`).send(body);
  const registrations = async () =>
    (await collect(api.app.get<EventStore>(EVENT_STORE).readAll({ filter: { eventTypes: ['SubjectRegistered'] } }))).length;
  const holder = async (n: string) => (await post('/subjects/lookup', { nik: n }).expect(200)).body.items;

  it('racing creates of one case: one wins, the losers register nobody and reserve no NIK', async () => {
    const caseId = randomUUID();
    const before = await registrations();
    const niks = Array.from({ length: 6 }, nik);
    const answers = await Promise.all(
      niks.map((n) =>
        post('/cases', {
          caseId,
          areaCode: VILLAGE,
          channel: 'walk_in',
          categories: ['unpaid_wages'],
          worker: { name: `Pekerja ${n}`, nik: n },
          relationship: 'self',
          destinationCountry: 'MY',
          complaint: 'gaji belum dibayar',
        }),
      ),
    );
    const won = answers.filter((a) => a.status === 201);
    expect(won).toHaveLength(1);
    for (const lost of answers.filter((a) => a.status !== 201)) expect(lost.status).toBe(409);
    expect(await registrations()).toBe(before + 1);
    const winner = niks[answers.findIndex((a) => a.status === 201)]!;
    for (const n of niks) expect((await holder(n)).length).toBe(n === winner ? 1 : 0);
    const record = (await http().get(`/cases/${caseId}`).set('Authorization', `Bearer ${officer}`).expect(200)).body;
    expect(record.worker.subjectId).toBe((await holder(winner))[0].id);
  });

  it('racing reports of one prevention record: the losers register neither their person nor their recruiter', async () => {
    const preventionId = randomUUID();
    const before = await registrations();
    const niks = Array.from({ length: 4 }, nik);
    const answers = await Promise.all(
      niks.map((n) =>
        post('/preventions', {
          preventionId,
          areaCode: VILLAGE,
          source: 'family',
          person: { name: 'Nur Aini', nik: n },
          recruiter: { name: 'Pak Joko', phone: '+62 811 2222 3333' },
          route: 'Batam',
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const lost of answers.filter((a) => a.status !== 201)) expect(lost.status).toBe(409);
    // The losers got past their own checks and prepared their people before the record's append was
    // refused (already reported): with registration written first, each would have left a person behind.
    // One person and one recruiter: the winner's.
    expect(await registrations()).toBe(before + 2);
    const winner = niks[answers.findIndex((a) => a.status === 201)]!;
    for (const n of niks) expect((await holder(n)).length).toBe(n === winner ? 1 : 0);
  });

  it('a placement refused at its append registers no worker', async () => {
    const placementId = randomUUID();
    await post('/placements', { placementId, areaCode: VILLAGE, worker: { name: 'Siti', nik: nik(), birthDate: '1995-01-01' } }).expect(
      201,
    );
    const before = await registrations();
    const n = nik();
    // The same placement id again, with a new worker: refused, and the worker is not left registered.
    await post('/placements', { placementId, areaCode: VILLAGE, worker: { name: 'Dewi', nik: n, birthDate: '1996-02-02' } }).expect(409);
    expect(await registrations()).toBe(before);
    expect(await holder(n)).toEqual([]);
  });
}

describe('a refused create writes nothing: PGlite', () => suite('pglite'));
describeIfPostgres('a refused create writes nothing: PostgreSQL', () => suite('postgres'));
describeIfPostgres('a refused create writes nothing: KurrentDB (events) and PostgreSQL', () => suite('kurrentdb'));
