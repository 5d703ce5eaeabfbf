/**
 * Personal data end to end: sealed before it enters an event, readable in scope, findable by NIK through a
 * keyed hash, and erasable by destroying the subject's key, while the rest of the history still replays and
 * no event is rewritten. Checked against what an attacker with the database would see: a dump of it.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { collect, type EventStore, type SqlClient } from '@jejak/event-store';
import { describeIfPostgres, TEST_DATABASE_URL } from '@jejak/testing';
import request from 'supertest';

import { EVENT_STORE, SQL_CLIENT } from '../apps/api/src/tokens';
import { CapturingLogger, startTestApi, type TestApi } from './support/api';

const run = promisify(execFile);
const VILLAGE = '3201012001';

/** Everything in every table, as text: what a database dump holds. */
async function logicalDump(db: SqlClient): Promise<string> {
  const tables = await db.query<{ name: string }>(
    `select quote_ident(table_schema) || '.' || quote_ident(table_name) as name
       from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`,
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await db.query<{ row: string }>(`select t::text as row from ${name} t`);
    parts.push(name, ...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

/** Every byte of every file under a directory, for PGlite: table files, WAL, everything. */
function rawFiles(dir: string): Buffer {
  const chunks: Buffer[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else chunks.push(readFileSync(path));
    }
  };
  walk(dir);
  return Buffer.concat(chunks);
}

function suite(kind: 'pglite' | 'postgres' | 'kurrentdb'): void {
  const person = {
    name: `Siti Rahayu ${kind}`,
    nik: kind === 'pglite' ? '3201014501900011' : '3201014501900022',
    birthDate: '1990-01-05',
    phone: '+62 812 7777 1234',
    address: `Kampung Sukamaju RT 03 ${kind}`,
  };
  const secrets = [person.name, person.nik, person.phone, person.address, 'Sukamaju', 'Rahayu'];
  let api: TestApi;
  let logger: CapturingLogger;
  let officer: string;
  let supervisor: string;
  let admin: string;
  let auditor: string;
  let subjectId: string;

  beforeAll(async () => {
    logger = new CapturingLogger();
    api = await startTestApi(kind, { logger });
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    supervisor = await api.token('supervisor-1', 'supervisor', 'province:32');
    admin = await api.token('admin-1', 'admin', 'national');
    auditor = await api.token('auditor-1', 'auditor', 'province:32');
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const as = (token: string, req: request.Test) => req.set('Authorization', `Bearer ${token}`);
  // Everything stored: the SQL database, and on KurrentDB the whole log as the server returns it.
  const dump = async () => {
    const sql = await logicalDump(api.app.get<SqlClient>(SQL_CLIENT));
    if (kind !== 'kurrentdb') return sql;
    const log = await collect(api.app.get<EventStore>(EVENT_STORE).readAll());
    return `${sql}\n${log.map((e) => JSON.stringify({ stream: e.streamId, type: e.type, data: e.data, metadata: e.metadata })).join('\n')}`;
  };
  /** A stream's events as stored: the rows (SQL) or the events KurrentDB returns. */
  const stored = async (streamId: string): Promise<Array<{ revision: string; data: string }>> => {
    if (kind === 'kurrentdb') {
      const events = await collect(api.app.get<EventStore>(EVENT_STORE).readStream(streamId));
      return events.map((e) => ({ revision: e.revision.toString(), data: JSON.stringify(e.data) }));
    }
    return api.app
      .get<SqlClient>(SQL_CLIENT)
      .query<{ revision: string; data: string }>(
        `select revision::text as revision, data::text as data from jejak_events where stream_id = $1 order by revision`,
        [streamId],
      );
  };

  it('registers a person with sealed personal data that officers in scope can read', async () => {
    const res = await as(officer, http().post('/subjects'))
      .send({ kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', ...person })
      .expect(201);
    subjectId = res.body.id;
    expect(res.body.position).toMatch(/^\d+$/);
    expect(res.headers.location).toBe(`/subjects/${subjectId}`);
    const got = await as(officer, http().get(`/subjects/${subjectId}`)).expect(200);
    expect(got.body).toMatchObject({
      id: subjectId,
      kind: 'worker',
      areaCode: VILLAGE,
      status: 'active',
      personal: person,
      legalHold: null,
    });
    expect(got.headers.etag).toBe('"0"');
    // No browser or proxy keeps a personal answer.
    expect(got.headers['cache-control']).toBe('no-store');
    expect((await as(auditor, http().get(`/subjects/${subjectId}/history`)).expect(200)).headers['cache-control']).toBe('no-store');
  });

  it('finds the person by NIK through a keyed hash and refuses a second registration of the same NIK', async () => {
    const found = await as(officer, http().post('/subjects/lookup')).send({ nik: person.nik }).expect(200);
    expect(found.body.items).toEqual([{ id: subjectId }]);
    const again = await as(officer, http().post('/subjects'))
      .send({ kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', name: 'Someone Else', nik: person.nik })
      .expect(409);
    expect(again.body.code).toBe('SUBJECT_ALREADY_REGISTERED');
    expect(again.body.detail).toContain(subjectId);
    expect(JSON.stringify(again.body)).not.toContain(person.nik);
    const bad = await as(officer, http().post('/subjects'))
      .send({ kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', nik: '9901014501900011' })
      .expect(400);
    expect(bad.body.errors).toEqual([{ field: 'nik', message: 'must start with a valid province code' }]);
  });

  it('moves the NIK reservation with a correction, and a refused command leaves no reservation behind', async () => {
    const nik = kind === 'pglite' ? '3201014501900033' : '3201014501900044';
    const newNik = kind === 'pglite' ? '3201014501900055' : '3201014501900066';
    const id = (
      await as(officer, http().post('/subjects')).send({ kind: 'family', areaCode: VILLAGE, consentBasis: 'consent', nik }).expect(201)
    ).body.id;
    // Re-using the id is refused before anything is reserved: the other NIK stays free.
    await as(officer, http().post('/subjects'))
      .send({ subjectId: id, kind: 'family', areaCode: VILLAGE, consentBasis: 'consent', nik: newNik })
      .expect(409);
    expect((await as(officer, http().post('/subjects/lookup')).send({ nik: newNik }).expect(200)).body.items).toEqual([]);
    // A correction refused for a stale If-Match does not keep the new NIK either.
    await as(officer, http().post(`/subjects/${id}/corrections`))
      .set('If-Match', '"7"')
      .send({ nik: newNik, reason: 'typo' })
      .expect(412);
    expect((await as(officer, http().post('/subjects/lookup')).send({ nik: newNik }).expect(200)).body.items).toEqual([]);
    await as(officer, http().post(`/subjects/${id}/corrections`))
      .set('If-Match', '"0"')
      .send({ nik: newNik, reason: 'typo' })
      .expect(200);
    expect((await as(officer, http().post('/subjects/lookup')).send({ nik: newNik }).expect(200)).body.items).toEqual([{ id }]);
    expect((await as(officer, http().post('/subjects/lookup')).send({ nik }).expect(200)).body.items).toEqual([]);
  });

  it('keeps every personal value out of the database in clear: events, keys and indexes alike', async () => {
    await as(officer, http().post(`/subjects/${subjectId}/corrections`))
      .send({ phone: '+62 813 0000 9999', reason: 'new number' })
      .expect(200);
    const text = await dump();
    expect(text).toContain('SubjectRegistered'); // the dump is real: it holds the events
    expect(text).toContain(subjectId);
    for (const secret of [...secrets, '+62 813 0000 9999']) expect(text).not.toContain(secret);
    if (kind === 'postgres') {
      const dbName = new URL((api.config.database as { connectionString: string }).connectionString).pathname.slice(1);
      const url = new URL(TEST_DATABASE_URL!);
      const { stdout } = await run(
        'pg_dump',
        ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres', '-d', dbName, '--data-only'],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      expect(stdout).toContain('SubjectRegistered');
      for (const secret of secrets) expect(stdout).not.toContain(secret);
    }
  });

  it('places a legal hold that blocks erasure until it is released', async () => {
    await as(supervisor, http().post(`/subjects/${subjectId}/legal-hold`))
      .send({ reason: 'TPPO case before the court', legalBasis: 'court order 12/2026' })
      .expect(200);
    const blocked = await as(admin, http().post(`/subjects/${subjectId}/erasure`))
      .send({ reason: 'request of the person', legalBasis: 'UU 27/2022 art. 8' })
      .expect(409);
    expect(blocked.body.code).toBe('LEGAL_HOLD_ACTIVE');
    expect((await as(officer, http().get(`/subjects/${subjectId}`)).expect(200)).body.personal.name).toBe(person.name);
    await as(supervisor, http().post(`/subjects/${subjectId}/legal-hold/release`))
      .send({ reason: 'verdict is final' })
      .expect(200);
  });

  it('erases the person by destroying their key: nothing personal remains readable, and the history still replays unchanged', async () => {
    const before = await as(auditor, http().get(`/subjects/${subjectId}/history`)).expect(200);
    const rowsBefore = await stored(`subject-${subjectId}`);
    const erased = await as(admin, http().post(`/subjects/${subjectId}/erasure`))
      .send({ reason: 'request of the person', legalBasis: 'UU 27/2022 art. 8' })
      .expect(200);
    expect(erased.body).toEqual({ id: subjectId, revision: before.body.items.length, position: expect.stringMatching(/^\d+$/) });

    const got = await as(officer, http().get(`/subjects/${subjectId}`)).expect(200);
    expect(got.body.status).toBe('erased');
    expect(got.body.personal).toEqual({ name: '[erased]', nik: '[erased]', birthDate: '[erased]', phone: '[erased]', address: '[erased]' });

    const after = await as(auditor, http().get(`/subjects/${subjectId}/history`)).expect(200);
    expect(after.body.items.map((e: { type: string }) => e.type)).toEqual([
      ...before.body.items.map((e: { type: string }) => e.type),
      'SubjectErased',
    ]);
    expect(after.body.items[0].data.personal.name).toBe('[erased]');
    expect(after.body.items[0].metadata).toEqual(before.body.items[0].metadata); // who did what, when: intact
    // Not one stored event was rewritten: erasure only added its own.
    const rowsAfter = await stored(`subject-${subjectId}`);
    expect(rowsAfter.slice(0, rowsBefore.length)).toEqual(rowsBefore);

    const report = await as(admin, http().get(`/subjects/${subjectId}/report`)).expect(200);
    expect(report.body.subject.personal.nik).toBe('[erased]');
    expect(report.body.processing.map((p: { type: string }) => p.type)).toContain('SubjectErased');
    expect(report.body.processing.at(-1)).toMatchObject({ type: 'SubjectAccessReportProvided', actorId: 'admin-1', role: 'admin' });
    expect((await as(officer, http().post('/subjects/lookup')).send({ nik: person.nik }).expect(200)).body.items).toEqual([]);
    const correction = await as(officer, http().post(`/subjects/${subjectId}/corrections`))
      .send({ name: 'Back Again', reason: 'x' })
      .expect(409);
    expect(correction.body.code).toBe('SUBJECT_ERASED');
    // Erasing again changes nothing.
    await as(admin, http().post(`/subjects/${subjectId}/erasure`))
      .send({ reason: 'again', legalBasis: 'x' })
      .expect(200);

    for (const body of [got.body, after.body, report.body]) {
      for (const secret of secrets) expect(JSON.stringify(body)).not.toContain(secret);
    }
    const keys = await api.app
      .get<SqlClient>(SQL_CLIENT)
      .query<{ wrapped_key: string | null }>(`select wrapped_key from jejak_subject_keys where subject_id = $1`, [subjectId]);
    expect(keys).toEqual([{ wrapped_key: null }]);
  });

  it('logs the subject read by every route that shows their data, the admin’s access report included', async () => {
    const read = await as(officer, http().get(`/subjects/${subjectId}`)).expect(200);
    const report = await as(admin, http().get(`/subjects/${subjectId}/report`)).expect(200);
    const national = await api.token('auditor-national', 'auditor', 'national');
    const wanted = [read.headers['x-correlation-id'], report.headers['x-correlation-id']];
    let entries: { correlationId: string; route: string; subjectIds: string[] }[] = [];
    for (let i = 0; i < 50; i++) {
      entries = (await as(national, http().get('/audit/access').query({ subject: subjectId })).expect(200)).body.items;
      if (wanted.every((c) => entries.some((e) => e.correlationId === c))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const routes = Object.fromEntries(entries.filter((e) => wanted.includes(e.correlationId)).map((e) => [e.route, e.subjectIds]));
    expect(routes).toEqual({ 'GET /subjects/:id': [subjectId], 'GET /subjects/:id/report': [subjectId] });
  });

  it('gives a complete access report: every record that processes the person, and everyone who viewed their data', async () => {
    const opened = await as(officer, http().post('/cases'))
      .send({
        areaCode: VILLAGE,
        channel: 'walk_in',
        categories: ['unpaid_wages'],
        worker: { name: `Dewi Lestari ${kind}` },
        relationship: 'self',
        destinationCountry: 'MY',
        complaint: 'upah tidak dibayar',
      })
      .expect(201);
    const caseId = opened.body.id;
    const worker = (await as(officer, http().get(`/cases/${caseId}`)).expect(200)).body.worker.subjectId; // a read of her data
    await as(officer, http().post(`/cases/${caseId}/notes`))
      .send({ text: 'called her sister' })
      .expect(201);
    const prevention = (
      await as(officer, http().post('/preventions'))
        .send({ areaCode: VILLAGE, source: 'hotline', recruiter: { name: `Calo ${kind}` } })
        .expect(201)
    ).body.id;
    const report = (await as(admin, http().get(`/subjects/${worker}/report`)).expect(200)).body;
    expect(report.records).toEqual([
      { kind: 'case', id: caseId, areaCode: VILLAGE, roles: ['worker', 'complainant'], processing: expect.any(Array) },
    ]);
    expect(report.records[0].processing.map((p: { type: string }) => p.type)).toEqual(['CaseOpened', 'CaseNoteAdded']);
    expect(report.records[0].processing[1]).toMatchObject({ actorId: 'officer-1', role: 'officer' });
    expect(report.records.map((r: { id: string }) => r.id)).not.toContain(prevention); // not hers
    expect(report.viewedBy).toContainEqual(
      expect.objectContaining({ actorId: 'officer-1', kind: 'case', recordId: caseId, route: 'GET /cases/:id' }),
    );
    expect(JSON.stringify(report)).not.toContain('upah'); // steps, not content
  });

  it('gives the access report an ETag, so the requests that follow it are refused if the subject changed meanwhile', async () => {
    const opened = await as(officer, http().post('/cases'))
      .send({
        areaCode: VILLAGE,
        channel: 'walk_in',
        categories: ['unpaid_wages'],
        worker: { name: `Sri Wahyuni ${kind}` },
        relationship: 'self',
        complaint: 'paspor ditahan',
      })
      .expect(201);
    const worker = (await as(officer, http().get(`/cases/${opened.body.id}`)).expect(200)).body.worker.subjectId;
    const report = await as(admin, http().get(`/subjects/${worker}/report`)).expect(200);
    expect(report.headers.etag).toBe(`"${report.body.processing.at(-1).revision}"`);
    // Another administrator places a hold in between: the first one's release, sent on the report's revision, is refused.
    await as(admin, http().post(`/subjects/${worker}/legal-hold`))
      .send({ reason: 'court order', legalBasis: 'KUHAP' })
      .set('If-Match', report.headers.etag)
      .expect(200);
    const stale = await as(admin, http().post(`/subjects/${worker}/erasure`))
      .send({ reason: 'asked', legalBasis: 'UU PDP 27/2022' })
      .set('If-Match', report.headers.etag)
      .expect(412);
    expect(stale.body.code).toBe('PRECONDITION_FAILED');
    const again = await as(admin, http().get(`/subjects/${worker}/report`)).expect(200);
    expect(again.body.processing.map((p: { type: string }) => p.type).slice(-2)).toEqual([
      'SubjectLegalHoldPlaced',
      'SubjectAccessReportProvided',
    ]);
  });

  it('answers 404 for unknown subjects, on every route', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await as(officer, http().get(`/subjects/${unknown}`)).expect(404)).body.code).toBe('SUBJECT_NOT_FOUND');
    await as(auditor, http().get(`/subjects/${unknown}/history`)).expect(404);
    await as(officer, http().post(`/subjects/${unknown}/corrections`))
      .send({ name: 'x', reason: 'x' })
      .expect(404);
    await as(admin, http().post(`/subjects/${unknown}/erasure`))
      .send({ reason: 'x', legalBasis: 'x' })
      .expect(404);
    await as(admin, http().get(`/subjects/${unknown}/report`)).expect(404);
  });

  it('wrote no personal data and no secret to the log', () => {
    const log = logger.lines.join('\n');
    for (const secret of [...secrets, api.config.masterKey.toString('base64')]) expect(log).not.toContain(secret);
  });

  if (kind === 'pglite') {
    it('leaves no personal value in the embedded data files, WAL included', async () => {
      const dir = (api.config.database as { dataDir: string }).dataDir;
      await api.app.close(); // flush and release the files
      const bytes = rawFiles(join(dir, 'pgdata'));
      expect(bytes.includes(Buffer.from('SubjectRegistered'))).toBe(true);
      for (const secret of secrets) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    });
  }
}

describe('personal data over embedded PGlite', () => suite('pglite'));
describeIfPostgres('personal data over PostgreSQL', () => suite('postgres'));
describeIfPostgres('personal data over KurrentDB (events) and PostgreSQL (read models)', () => suite('kurrentdb'));
