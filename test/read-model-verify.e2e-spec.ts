/**
 * Read models are not trusted blindly. A document or a counter changed in the database is what the API
 * would serve, while the event log still verifies intact; auditors prove the read models equal the log
 * (GET /audit/read-models, inside GET /audit/verify, `projections verify` and `audit verify` in the CLI),
 * and each differing document is named.
 */
import type { SqlClient } from '@jejak/event-store';
import { programProjections } from '@jejak/read-models';
import { describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { ReadModels } from '../apps/api/src/read-models/read-models.service';
import { EVENT_STORE, SQL_CLIENT } from '../apps/api/src/tokens';
import { projectionsCommand, verifyReadModels } from '../apps/cli/src/projections.command';
import { readOwnWrite, startTestApi, TEST_SEAL_KEY, TEST_SECRET, type TestApi } from './support/api';
import { caseIntake } from './support/bodies';

const VILLAGE = '3201012001';

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let officer: string;
  let auditor: string;
  beforeAll(async () => {
    api = await startTestApi(kind);
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    auditor = await api.token('auditor-1', 'auditor', 'province:32');
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const open = async (name: string) =>
    (
      await http()
        .post('/cases')
        .set('Authorization', `Bearer ${officer}`)
        .set('X-Occurred-At', '2026-11-03T10:00:00+07:00')
        .send(caseIntake(VILLAGE, name))
        .expect(201)
    ).body as { id: string; position: string };
  const caughtUp = async (position: string) =>
    readOwnWrite(() => http().get('/cases').set('Authorization', `Bearer ${auditor}`).set('X-Min-Position', position));
  const readModels = async () => (await http().get('/audit/read-models').set('Authorization', `Bearer ${auditor}`).expect(200)).body;

  it('says intact while the read models equal the log, and names each document and counter changed in the database', async () => {
    const a = await open('Pekerja A');
    const b = await open('Pekerja B');
    await caughtUp(b.position);
    const clean = await readModels();
    expect(clean.intact).toBe(true);
    expect(clean.items.map((r: { name: string; intact: boolean }) => [r.name, r.intact])).toEqual([
      ['cases', true],
      ['placements', true],
      ['preventions', true],
      ['information', true],
      ['communities', true],
      ['enterprise', true],
      ['kur', true],
    ]);
    expect(clean.items[0].documents).toBeGreaterThanOrEqual(2);

    const db = api.app.get<SqlClient>(SQL_CLIENT);
    const table = await api.app.get(ReadModels).table('cases');
    // What an intruder with database access would do: close a case in the list, lose another, inflate a figure.
    await db.query(`update ${table} set doc = jsonb_set(doc, '{status}', '"closed"') where id = $1`, [a.id]);
    await db.query(`delete from ${table} where id = $1`, [b.id]);
    await db.query(`update ${table}_monthly set n = n + 5 where ctid = (select ctid from ${table}_monthly limit 1)`);

    const tampered = await readModels();
    expect(tampered.intact).toBe(false);
    const cases = tampered.items.find((r: { name: string }) => r.name === 'cases');
    expect(cases.differing).toEqual(
      expect.arrayContaining([{ kind: 'changed', id: a.id }, { kind: 'missing', id: b.id }, expect.objectContaining({ kind: 'sum' })]),
    );
    expect(JSON.stringify(tampered)).not.toContain('Pekerja');
    // Part of the auditor's verification too: the log is intact, what is served from it is not.
    const verified = (await http().get('/audit/verify').set('Authorization', `Bearer ${auditor}`).expect(200)).body;
    expect(verified.intact).toBe(true);
    expect(verified.readModels.find((r: { name: string }) => r.name === 'cases').intact).toBe(false);
    // And from the CLI: one line per read model, a non-zero exit when one differs.
    const cli =
      kind === 'postgres'
        ? await projectionsCommand(
            ['verify', 'cases'],
            {
              DATABASE_URL: (api.config.database as { connectionString: string }).connectionString,
              JEJAK_SEAL_KEY: TEST_SEAL_KEY,
              JEJAK_MASTER_KEY: api.config.masterKey.toString('base64'),
              JEJAK_JWT_SECRET: Buffer.from(TEST_SECRET).toString(),
            },
            () => undefined,
          )
        : await verifyReadModels(
            api.app.get(EVENT_STORE),
            db,
            programProjections({ deadlines: api.config.cases.deadlines, timeZone: api.config.timeZone }),
            'cases',
            () => undefined,
          );
    expect(cli.ok).toBe(false);
    expect(cli.output).toContain(`changed ${a.id}`);
    expect(cli.output).toContain(`missing ${b.id}`);
    await http().get('/audit/read-models').query({ name: 'nope' }).set('Authorization', `Bearer ${auditor}`).expect(404);
    await http().get('/audit/read-models').set('Authorization', `Bearer ${officer}`).expect(403);
  });
}

describe('read models proved against the log: PGlite', () => suite('pglite'));
describeIfPostgres('read models proved against the log: PostgreSQL', () => suite('postgres'));
