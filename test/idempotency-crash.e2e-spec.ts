/**
 * An Idempotency-Key whose request died with its process (what the crash campaign found: every retry was
 * told "still running" for 24 hours). The process is simulated by what it leaves behind: a claim without an
 * answer, older than ABANDONED_AFTER_SECONDS, and either nothing written or the command's events written.
 * A retry must then run the command once, or answer from what was written without writing it again.
 */
import { randomUUID } from 'node:crypto';

import { collect, type EventStore, type SqlClient } from '@jejak/event-store';
import { describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { ABANDONED_AFTER_SECONDS } from '../apps/api/src/http/idempotency';
import { EVENT_STORE, SQL_CLIENT } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';
import { caseIntake } from './support/bodies';

const VILLAGE = '3201012001';

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let officer: string;
  let db: SqlClient;
  let store: EventStore;
  let caseId: string;
  beforeAll(async () => {
    api = await startTestApi(kind);
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    db = api.app.get<SqlClient>(SQL_CLIENT);
    store = api.app.get<EventStore>(EVENT_STORE);
    const opened = await request(api.app.getHttpServer())
      .post('/cases')
      .set('Authorization', `Bearer ${officer}`)
      .send(caseIntake(VILLAGE, 'Siti', 'gaji belum dibayar'));
    expect(opened.status).toBe(201);
    caseId = opened.body.id;
  });
  afterAll(() => api?.close());

  const note = (key: string, correlationId = randomUUID()) =>
    request(api.app.getHttpServer())
      .post(`/cases/${caseId}/notes`)
      .set('Authorization', `Bearer ${officer}`)
      .set('Idempotency-Key', key)
      .set('X-Correlation-Id', correlationId)
      .send({ text: 'kunjungan rumah' });
  const notes = async () => (await collect(store.readStream(`case-${caseId}`))).filter((e) => e.type === 'CaseNoteAdded');
  /** Ages a claim as a process that died that long ago would have left it (its answer never stored). */
  const abandon = async (key: string, seconds: number) =>
    db.query(
      `update jejak_idempotency set status = null, body = null, headers = null, created_at = now() - make_interval(secs => $2)
        where actor_id = 'officer-1' and key = $1`,
      [key, seconds],
    );

  it('a claim just made is still running: a repeat is told to wait (409, Retry-After)', async () => {
    const key = randomUUID();
    expect((await note(key)).status).toBe(201);
    await abandon(key, 1);
    const res = await note(key);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(res.headers['retry-after']).toBe('1');
  });

  it('a claim abandoned before anything was written is taken over: the retry writes the note once', async () => {
    const key = randomUUID();
    const before = (await notes()).length;
    // The dead request claimed the key and died before appending.
    await db.query(
      `insert into jejak_idempotency (actor_id, key, request_hash, correlation_id, log_head, created_at)
       select 'officer-1', $1, request_hash, $2, (select coalesce(max(position), 0)::text from jejak_events), now() - interval '${ABANDONED_AFTER_SECONDS + 5} seconds'
         from (select 'x' as request_hash) r`,
      [key, randomUUID()],
    );
    // Its fingerprint is what the same request gives: take it from a twin claim.
    const twin = randomUUID();
    expect((await note(twin)).status).toBe(201);
    const [{ hash }] = (await db.query<{ hash: string }>(`select request_hash as hash from jejak_idempotency where key = $1`, [twin])) as [
      { hash: string },
    ];
    await db.query(`update jejak_idempotency set request_hash = $2 where key = $1`, [key, hash]);
    const retried = await note(key);
    expect(retried.status).toBe(201);
    expect((await notes()).length).toBe(before + 2); // the twin's note and the retried one, each once
    const again = await note(key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(retried.body);
    expect((await notes()).length).toBe(before + 2);
  });

  it('a claim abandoned after its events were written is answered from them: nothing is written again', async () => {
    const key = randomUUID();
    const correlationId = randomUUID();
    const first = await note(key, correlationId);
    expect(first.status).toBe(201);
    const count = (await notes()).length;
    // The process died after the append and before storing the answer.
    await abandon(key, ABANDONED_AFTER_SECONDS + 5);
    const retried = await note(key);
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.headers.etag).toBe(first.headers.etag);
    expect(retried.body).toMatchObject({ id: caseId, revision: first.body.revision });
    expect((await notes()).length).toBe(count);
    // From then on the answer is remembered like any other.
    const third = await note(key);
    expect(third.status).toBe(201);
    expect(third.body).toEqual(retried.body);
    expect((await notes()).length).toBe(count);
  });
}

describe('idempotency keys left by a crashed request, embedded PGlite', () => suite('pglite'));
describeIfPostgres('idempotency keys left by a crashed request, PostgreSQL', () => suite('postgres'));
