/**
 * No officer can stop a process manager for everyone. Commands check every record they name (it exists, it
 * is of the right kind, it is in the caller's territory) before they are accepted; and a process manager
 * that still meets an event it cannot act on (written before those checks, or by another version) records
 * what it could not do, where the supervisors of that area see it, and goes on with the next event.
 */
import { randomUUID } from 'node:crypto';

import { collect, type EventStore } from '@jejak/event-store';
import { describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { ProcessManagers } from '../apps/api/src/links/process-managers.service';
import { EVENT_STORE } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';

const HERE = '3201012001';
const THERE = '3301012001';

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let officer: string;
  let officerThere: string;
  let supervisor: string;
  let supervisorThere: string;
  let serial = 0;
  const nik = () => `320101450199${String(7000 + serial++ + (kind === 'postgres' ? 300 : 0)).padStart(4, '0')}`;
  beforeAll(async () => {
    api = await startTestApi(kind);
    officer = await api.token('officer-1', 'officer', `village:${HERE}`);
    officerThere = await api.token('officer-2', 'officer', `village:${THERE}`);
    supervisor = await api.token('supervisor-1', 'supervisor', 'province:32');
    supervisorThere = await api.token('supervisor-2', 'supervisor', 'province:33');
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const as = (token: string, req: request.Test) => req.set('Authorization', `Bearer ${token}`);
  /** A report whose warning sign is confirmed at verification, ready for an outcome. */
  const report = async () => {
    const id = (
      await as(officer, http().post('/preventions'))
        .send({
          areaCode: HERE,
          source: 'family',
          person: { name: 'Nur', nik: nik(), birthDate: '1999-03-04' },
          flags: [{ flag: 'upfront_payment' }],
        })
        .expect(201)
    ).body.id as string;
    const flagId = (await as(officer, http().get(`/preventions/${id}`)).expect(200)).body.flags[0].flagId;
    await as(officer, http().post(`/preventions/${id}/flags/${flagId}/confirmation`))
      .send({})
      .expect(200);
    await as(officer, http().post(`/preventions/${id}/verification`))
      .send({ result: 'confirmed' })
      .expect(200);
    return id;
  };
  const revision = async (id: string) => (await as(officer, http().get(`/preventions/${id}`)).expect(200)).body.revision as number;
  const eventually = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 100; i++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('timed out');
  };

  it('refuses an outcome naming a placement that does not exist, or lies in another territory, and writes nothing', async () => {
    const id = await report();
    const before = await revision(id);
    const unknown = await as(officer, http().post(`/preventions/${id}/outcome`))
      .send({ outcome: 'redirected_to_legal_placement', placementId: randomUUID() })
      .expect(409);
    expect(unknown.body.code).toBe('REFERENCED_RECORD_NOT_FOUND');
    const theirs = (
      await as(officerThere, http().post('/placements'))
        .send({ areaCode: THERE, worker: { name: 'Sari', nik: `33${nik().slice(2)}`, birthDate: '1995-05-05' } })
        .expect(201)
    ).body.id;
    const elsewhere = await as(officer, http().post(`/preventions/${id}/outcome`))
      .send({ outcome: 'redirected_to_legal_placement', placementId: theirs })
      .expect(409);
    // The same answer as for a placement that does not exist: nothing about the other territory is revealed.
    expect(elsewhere.body).toMatchObject({ code: unknown.body.code, detail: unknown.body.detail });
    expect(await revision(id)).toBe(before);
    // A case cannot name one either.
    const kase = await as(officer, http().post('/cases'))
      .send({
        areaCode: HERE,
        channel: 'walk_in',
        categories: ['unpaid_wages'],
        worker: { name: 'Nur' },
        relationship: 'self',
        destinationCountry: 'MY',
        complaint: 'x',
        placementId: theirs,
      })
      .expect(409);
    expect(kase.body.code).toBe('REFERENCED_RECORD_NOT_FOUND');
  });

  it('a process manager that meets an event it cannot act on records it for the area’s supervisors and goes on', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const broken = await report();
    // An outcome written without the API's checks (an older version, a direct import): it names no real placement.
    const [last] = (await collect(store.readStream(`prevention-${broken}`))).slice(-1);
    await store.append(
      `prevention-${broken}`,
      [
        {
          type: 'PreventionOutcomeRecorded',
          data: { outcome: 'redirected_to_legal_placement', placementId: randomUUID(), sealed: {}, at: new Date().toISOString() },
        },
      ],
      { expectedRevision: last!.revision },
    );
    // Then an officer's ordinary redirection: the manager must still register its placement.
    const fine = await report();
    await as(officer, http().post(`/preventions/${fine}/outcome`))
      .send({ outcome: 'redirected_to_legal_placement' })
      .expect(200);
    const linked = await eventually(async () => {
      const record = (await as(officer, http().get(`/preventions/${fine}`)).expect(200)).body;
      return record.linkedPlacements.length > 0 ? record : undefined;
    });
    expect(linked).toBeDefined();
    const failures = await eventually(async () => {
      const items = (await as(supervisor, http().get('/links/failures')).expect(200)).body.items as {
        causeStreamId: string;
        code: string;
        manager: string;
        areaCode: string;
      }[];
      return items.some((f) => f.causeStreamId === `prevention-${broken}`) ? items : undefined;
    });
    expect(failures.find((f) => f.causeStreamId === `prevention-${broken}`)).toMatchObject({
      manager: 'redirection-registers-placement',
      areaCode: HERE,
      code: expect.any(String),
    });
    // Another province's supervisor does not see this area's failures; officers have no such page.
    expect(
      (await as(supervisorThere, http().get('/links/failures')).expect(200)).body.items.filter(
        (f: { areaCode: string }) => f.areaCode === HERE,
      ),
    ).toEqual([]);
    await as(officer, http().get('/links/failures')).expect(403);
    // No runner stopped.
    expect(
      api.app
        .get(ProcessManagers)
        .statuses()
        .filter((s) => s.state === 'failed'),
    ).toEqual([]);
  });
}

describe('process managers never stop on input a user can send: PGlite', () => suite('pglite'));
describeIfPostgres('process managers never stop on input a user can send: PostgreSQL', () => suite('postgres'));
