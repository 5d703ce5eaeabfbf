/**
 * Audit over HTTP and the CLI: an auditor proves the log unaltered, and a change made around the
 * application, in the database, is named.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { VerifyResult } from '@jejak/audit';
import type { SqlClient } from '@jejak/event-store';
import { describeIfPostgres, eventually } from '@jejak/testing';
import request from 'supertest';

import { IntegrityService } from '../apps/api/src/audit/integrity.service';
import { SQL_CLIENT } from '../apps/api/src/tokens';
import { auditCommand } from '../apps/cli/src/audit.command';
import { startTestApi, TEST_SEAL_KEY, TEST_SECRET, type TestApi, todayInJakarta } from './support/api';

const VILLAGE = '3201012001';

function suite(kind: 'pglite' | 'postgres' | 'kurrentdb'): void {
  let api: TestApi;
  let auditor: string;
  let officer: string;
  let caseId: string;
  beforeAll(async () => {
    api = await startTestApi(kind);
    auditor = await api.token('auditor-1', 'auditor', 'province:32');
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    const opened = await request(api.app.getHttpServer())
      .post('/cases')
      .set('Authorization', `Bearer ${officer}`)
      .send({
        areaCode: VILLAGE,
        channel: 'hotline',
        categories: ['unpaid_wages'],
        worker: { name: 'Sri Wahyuni' },
        relationship: 'self',
        destinationCountry: 'MY',
        complaint: 'wages unpaid for four months',
      })
      .expect(201);
    caseId = opened.body.id;
    await request(api.app.getHttpServer())
      .post(`/cases/${caseId}/verification`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ procedural: 'procedural' })
      .expect(200);
    await request(api.app.getHttpServer())
      .post(`/cases/${caseId}/classification`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ urgency: 'high' })
      .expect(200);
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const verify = async (): Promise<VerifyResult & { key: { fingerprint: string } }> =>
    (await http().get('/audit/verify').set('Authorization', `Bearer ${auditor}`).expect(200)).body;

  it('proves the log intact up to its head and sealed, to an auditor, with the key that signed it', async () => {
    // Wait for the chainer to link everything, seal it, and wait for the seal itself to be linked.
    await eventually(async () => ((await verify()).notYetChained === 0 ? true : undefined));
    await api.app.get(IntegrityService).sealNow();
    const result = await eventually(async () => {
      const r = await verify();
      return r.sealed && r.notYetChained === 0 ? r : undefined;
    });
    // The sealer seals by itself too (at once when nothing is sealed yet): one seal or two.
    expect(result).toMatchObject({ intact: true, firstBreak: null });
    expect(result.sealed!.seals).toBeGreaterThanOrEqual(1);
    expect(result.key.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(BigInt(result.chainedUpTo!)).toBeGreaterThan(BigInt(result.sealed!.position));
    const seals = (await http().get('/audit/seals').set('Authorization', `Bearer ${auditor}`).expect(200)).body;
    expect(seals.fingerprint).toBe(result.key.fingerprint);
    expect(seals.items.at(-1)).toMatchObject({
      position: result.sealed!.position,
      globalHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      signature: expect.any(String),
    });
  });

  it('streams progress lines, then the result, on request', async () => {
    const res = await http()
      .get('/audit/verify')
      .set('Authorization', `Bearer ${auditor}`)
      .set('Accept', 'application/x-ndjson')
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { result?: VerifyResult });
    expect(lines.at(-1)!.result).toMatchObject({ intact: true });
  });

  it('is for auditors only', async () => {
    await http().get('/audit/verify').expect(401);
    expect((await http().get('/audit/verify').set('Authorization', `Bearer ${officer}`).expect(403)).body.code).toBe('ROLE_NOT_ALLOWED');
    const admin = await api.token('admin-1', 'admin', 'national');
    await http().get('/audit/verify').set('Authorization', `Bearer ${admin}`).expect(403);
  });

  it("replays a stream as stored, with actors, correlation ids and link hashes, within the auditor's territory", async () => {
    const res = await http().get(`/audit/streams/case-${caseId}`).set('Authorization', `Bearer ${auditor}`).expect(200);
    expect(res.body.area).toBe(VILLAGE);
    expect(res.body.items.map((e: { type: string }) => e.type)).toEqual(['CaseOpened', 'CaseVerified', 'CaseClassified']);
    expect(res.body.items[1]).toMatchObject({
      revision: 1,
      metadata: { actorId: 'officer-1', role: 'officer' },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(res.body.items[0].metadata.correlationId).toEqual(expect.any(String));
    expect(JSON.stringify(res.body)).not.toContain('Sri Wahyuni'); // sealed values stay sealed
    const elsewhere = await api.token('auditor-2', 'auditor', 'province:33');
    expect((await http().get(`/audit/streams/case-${caseId}`).set('Authorization', `Bearer ${elsewhere}`).expect(403)).body.code).toBe(
      'OUT_OF_SCOPE',
    );
    await http().get('/audit/streams/case-00000000-0000-4000-8000-000000000000').set('Authorization', `Bearer ${auditor}`).expect(404);
  });

  it('answers "what did this officer do" across streams, by actor, type, time and area', async () => {
    // On KurrentDB, searches read the audit copy of the log, which follows it by moments.
    const mine = await eventually(async () => {
      const items = (await http().get('/audit/events').query({ actor: 'officer-1' }).set('Authorization', `Bearer ${auditor}`).expect(200))
        .body.items;
      return items.filter((e: { streamId: string }) => e.streamId === `case-${caseId}`).length >= 3 ? items : undefined;
    });
    expect(mine.filter((e: { streamId: string }) => e.streamId === `case-${caseId}`).map((e: { type: string }) => e.type)).toEqual([
      'CaseOpened',
      'CaseVerified',
      'CaseClassified',
    ]);
    expect(mine.every((e: { metadata: { actorId: string } }) => e.metadata.actorId === 'officer-1')).toBe(true);
    const today = todayInJakarta(); // the server's day, which is not the UTC date from 17:00 UTC
    const verified = (
      await http()
        .get('/audit/events')
        .query({ actor: 'officer-1', type: 'CaseVerified', from: today, to: today, area: '32' })
        .set('Authorization', `Bearer ${auditor}`)
        .expect(200)
    ).body;
    expect(verified.items.map((e: { streamId: string }) => e.streamId)).toEqual([`case-${caseId}`]);
    expect(
      (await http().get('/audit/events').query({ actor: 'officer-1', area: '33' }).set('Authorization', `Bearer ${auditor}`).expect(200))
        .body.items,
    ).toEqual([]);
    const elsewhere = await api.token('auditor-2', 'auditor', 'province:33');
    expect(
      (await http().get('/audit/events').query({ actor: 'officer-1' }).set('Authorization', `Bearer ${elsewhere}`).expect(200)).body.items,
    ).toEqual([]);
    // Pages: one event at a time, with a cursor.
    const first = (
      await http().get('/audit/events').query({ actor: 'officer-1', limit: 1 }).set('Authorization', `Bearer ${auditor}`).expect(200)
    ).body;
    const second = (
      await http()
        .get('/audit/events')
        .query({ actor: 'officer-1', limit: 1, cursor: first.nextCursor })
        .set('Authorization', `Bearer ${auditor}`)
        .expect(200)
    ).body;
    expect([first.items[0].position, second.items[0].position]).toEqual(mine.slice(0, 2).map((e: { position: string }) => e.position));
    expect(
      (await http().get('/audit/events').query({ from: 'yesterday' }).set('Authorization', `Bearer ${auditor}`).expect(400)).body.code,
    ).toBe('VALIDATION_FAILED');
  });

  it('shows which fields changed between two revisions and who changed them, never sealed values', async () => {
    const diff = (await http().get(`/cases/${caseId}/diff`).query({ from: 0, to: 2 }).set('Authorization', `Bearer ${auditor}`).expect(200))
      .body;
    expect(diff).toMatchObject({ id: caseId, from: 0, to: 2 });
    expect(diff.changes).toContainEqual(
      expect.objectContaining({
        path: 'procedural',
        before: null,
        after: 'procedural',
        revision: 1,
        type: 'CaseVerified',
        actorId: 'officer-1',
      }),
    );
    expect(diff.changes).toContainEqual(expect.objectContaining({ path: 'urgency', after: 'high', revision: 2, actorId: 'officer-1' }));
    expect(diff.changes.every((c: { revision: number }) => c.revision >= 1 && c.revision <= 2)).toBe(true);
    const opened = (
      await http().get(`/cases/${caseId}/diff`).query({ from: 0, to: 0 }).set('Authorization', `Bearer ${auditor}`).expect(200)
    ).body;
    expect(opened.changes).toEqual([]);
    await http().get(`/cases/${caseId}/diff`).query({ from: 2, to: 1 }).set('Authorization', `Bearer ${auditor}`).expect(400);
    const elsewhere = await api.token('auditor-2', 'auditor', 'province:33');
    await http().get(`/cases/${caseId}/diff`).query({ from: 0, to: 2 }).set('Authorization', `Bearer ${elsewhere}`).expect(403);
  });

  it('replays a case as of a moment to exactly what the API answered then', async () => {
    const then = await http().get(`/cases/${caseId}`).set('Authorization', `Bearer ${auditor}`).expect(200);
    const moment = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await http().post(`/cases/${caseId}/notes`).set('Authorization', `Bearer ${officer}`).send({ text: 'called the agency' }).expect(201);
    const now = await http().get(`/cases/${caseId}`).set('Authorization', `Bearer ${auditor}`).expect(200);
    expect(now.body.revision).toBeGreaterThan(then.body.revision);
    const replayed = await http().get(`/cases/${caseId}`).query({ asOf: moment }).set('Authorization', `Bearer ${auditor}`).expect(200);
    expect(replayed.body).toEqual({ ...then.body, asOf: moment }); // the same record, saying which moment it shows
  });

  it('logs every read of a personal record: who, what, when, from which request, and no personal data', async () => {
    const read = await http().get(`/cases/${caseId}`).set('Authorization', `Bearer ${officer}`).expect(200);
    const workerId = read.body.worker.subjectId as string;
    const entries = await eventually(async () => {
      const items = (
        await http()
          .get('/audit/access')
          .query({ subject: workerId, actor: 'officer-1' })
          .set('Authorization', `Bearer ${auditor}`)
          .expect(200)
      ).body.items;
      return items.some((i: { correlationId: string }) => i.correlationId === read.headers['x-correlation-id']) ? items : undefined;
    });
    const entry = entries.find((i: { correlationId: string }) => i.correlationId === read.headers['x-correlation-id']);
    expect(entry).toMatchObject({
      actorId: 'officer-1',
      role: 'officer',
      kind: 'case',
      recordId: caseId,
      route: 'GET /cases/:id',
      subjectIds: [workerId],
    });
    expect(JSON.stringify(entries)).not.toContain('Sri Wahyuni');
    // An auditor of another province does not see reads of this village's records.
    const elsewhere = await api.token('auditor-2', 'auditor', 'province:33');
    expect(
      (await http().get('/audit/access').query({ subject: workerId }).set('Authorization', `Bearer ${elsewhere}`).expect(200)).body.items,
    ).toEqual([]);
    await http().get('/audit/access').query({ subject: workerId }).set('Authorization', `Bearer ${officer}`).expect(403);
    // Histories, diffs and raw streams are reads too; the access log is itself in the chained log.
    await http().get(`/cases/${caseId}/history`).set('Authorization', `Bearer ${auditor}`).expect(200);
    const routes = new Set(['GET /cases/:id', 'GET /cases/:id/history', 'GET /cases/:id/diff', 'GET /audit/streams/:stream']);
    const auditors = await eventually(async () => {
      const items = (await http().get('/audit/access').query({ actor: 'auditor-1' }).set('Authorization', `Bearer ${auditor}`).expect(200))
        .body.items;
      return new Set(items.map((i: { route: string }) => i.route)).size >= routes.size ? items : undefined;
    });
    expect(new Set(auditors.map((i: { route: string }) => i.route))).toEqual(routes);
    const stream = (
      await http()
        .get('/audit/events')
        .query({ type: 'PersonalRecordRead', limit: 1 })
        .set('Authorization', `Bearer ${auditor}`)
        .expect(200)
    ).body.items;
    expect(stream).toEqual([]); // access entries belong to no area: only national auditors query them as events
    const national = await api.token('auditor-national', 'auditor', 'national');
    const logged = (
      await http()
        .get('/audit/events')
        .query({ type: 'PersonalRecordRead', limit: 1 })
        .set('Authorization', `Bearer ${national}`)
        .expect(200)
    ).body.items;
    expect(logged[0].streamId).toMatch(/^access-[0-9a-f]{16}-\d{4}-\d{2}-\d{2}$/);
  });

  it('names a payload changed in the database, over HTTP and from the CLI, without showing its content', async () => {
    const db = api.app.get<SqlClient>(SQL_CLIENT);
    let row: { position: string } | undefined;
    if (kind === 'kurrentdb') {
      // The KurrentDB log itself, changed where it is stored (here, in the protocol test server).
      row = { position: api.kurrent!.tamper(`case-${caseId}`, 1n, (data) => (data.procedural = 'non_procedural')).toString() };
    } else {
      [row] = await db.query<{ position: string }>(
        `select position::text as position from jejak_events where stream_id = $1 and revision = 1`,
        [`case-${caseId}`],
      );
      await db.query(
        `update jejak_events set data = jsonb_set(data, '{procedural}', '"non_procedural"') where stream_id = $1 and revision = 1`,
        [`case-${caseId}`],
      );
    }
    const result = await verify();
    expect(result.intact).toBe(false);
    expect(result.firstBreak).toMatchObject({ kind: 'modified', streamId: `case-${caseId}`, revision: '1', position: row!.position });
    expect(JSON.stringify(result)).not.toContain('non_procedural');

    if (kind !== 'pglite') {
      // The CLI, as an auditor's scheduled check would run it, beside the running API.
      const database = api.config.database;
      const env = {
        DATABASE_URL: ((database.kind === 'kurrentdb' ? database.readModels : database) as { connectionString: string }).connectionString,
        ...(database.kind === 'kurrentdb' ? { EVENTSTORE_CONNECTION_STRING: database.connectionString } : {}),
        JEJAK_SEAL_KEY: TEST_SEAL_KEY,
        JEJAK_MASTER_KEY: api.config.masterKey.toString('base64'),
        JEJAK_JWT_SECRET: Buffer.from(TEST_SECRET).toString(),
      };
      const otherCase = (
        await http()
          .post('/cases')
          .set('Authorization', `Bearer ${officer}`)
          .send({
            areaCode: VILLAGE,
            channel: 'walk_in',
            categories: ['lost_contact'],
            worker: { name: 'Other Worker' },
            relationship: 'self',
            destinationCountry: 'SA',
            complaint: 'no news',
          })
          .expect(201)
      ).body.id as string;
      await eventually(async () => ((await verify()).notYetChained === 0 ? true : undefined));
      await api.app.get(IntegrityService).sealNow();
      const { output, ok } = await auditCommand(['verify'], env, () => undefined);
      expect(ok).toBe(false);
      // A case file of another, untouched case still verifies offline; one byte changed in it does not.
      expect(output.split('\n')[0]).toMatch(
        new RegExp(
          `^BROKEN: modified at position ${row!.position}, stream case-${caseId}, revision 1: its content, time or place no longer hashes to its link \\(\\d+ events checked\\)$`,
        ),
      );
      const file = join(await mkdtemp(join(tmpdir(), 'jejak-bundle-')), 'case.json');
      const exported = await auditCommand(['export', `case-${otherCase}`, '--out', file], env, () => undefined);
      expect(exported.output).toMatch(new RegExp(`^exported case-${otherCase}: 1 events`));
      expect(await auditCommand(['verify-bundle', file], {}, () => undefined)).toEqual({
        ok: true,
        output: expect.stringMatching(/^bundle intact: case-/),
      });
      const text = readFileSync(file, 'utf8');
      const at = text.indexOf('"type":"CaseOpened"') + 9;
      writeFileSync(file, text.slice(0, at) + 'D' + text.slice(at + 1));
      expect(await auditCommand(['verify-bundle', file], {}, () => undefined)).toMatchObject({
        ok: false,
        output: expect.stringMatching(/^BUNDLE BROKEN/),
      });
      // The export is in the access log, as the operator who ran it.
      // (On KurrentDB the search reads the audit copy of the log, which follows the log by moments.)
      const auditorToken = await api.token('auditor-n', 'auditor', 'national');
      const logged = await eventually(async () => {
        const items = (
          await http().get('/audit/access').query({ kind: 'export' }).set('Authorization', `Bearer ${auditorToken}`).expect(200)
        ).body.items as unknown[];
        return items.length > 0 ? items : undefined;
      });
      const otherWorker = (await http().get(`/cases/${otherCase}`).set('Authorization', `Bearer ${auditorToken}`).expect(200)).body.worker
        .subjectId;
      // With the people the case file holds, so that their auditors and their access reports see it.
      expect(logged).toContainEqual(
        expect.objectContaining({
          kind: 'export',
          recordId: `case-${otherCase}`,
          actorId: expect.stringMatching(/^cli:/),
          subjectIds: expect.arrayContaining([otherWorker]),
        }),
      );
    }
  });
}

describe('audit over embedded PGlite', () => suite('pglite'));
describeIfPostgres('audit over PostgreSQL', () => suite('postgres'));
describeIfPostgres('audit over KurrentDB (events) and PostgreSQL (read models)', () => suite('kurrentdb'));
