/**
 * Audit over HTTP and the CLI: an auditor proves the log unaltered, and a change made around the
 * application, in the database, is named.
 */
import request from 'supertest';
import type { VerifyResult } from '@jejak/audit';
import type { SqlClient } from '@jejak/event-store';
import { describeIfPostgres, eventually } from '@jejak/testing';
import { auditCommand } from '../apps/cli/src/audit.command';
import { IntegrityService } from '../apps/api/src/audit/integrity.service';
import { SQL_CLIENT } from '../apps/api/src/tokens';
import { TEST_SEAL_KEY, TEST_SECRET, startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';

function suite(kind: 'pglite' | 'postgres'): void {
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
      .send({ areaCode: VILLAGE, channel: 'hotline', categories: ['unpaid_wages'], worker: { name: 'Sri Wahyuni' }, relationship: 'self', destinationCountry: 'MY', complaint: 'wages unpaid for four months' })
      .expect(201);
    caseId = opened.body.id;
    await request(api.app.getHttpServer()).post(`/cases/${caseId}/verification`).set('Authorization', `Bearer ${officer}`).send({ procedural: 'procedural' }).expect(200);
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const verify = async (): Promise<VerifyResult & { key: { fingerprint: string } }> => (await http().get('/audit/verify').set('Authorization', `Bearer ${auditor}`).expect(200)).body;

  it('proves the log intact up to its head and sealed, to an auditor, with the key that signed it', async () => {
    // Wait for the chainer to link everything, seal it, and wait for the seal itself to be linked.
    await eventually(async () => ((await verify()).notYetChained === 0 ? true : undefined));
    await api.app.get(IntegrityService).sealNow();
    const result = await eventually(async () => {
      const r = await verify();
      return r.sealed && r.notYetChained === 0 ? r : undefined;
    });
    expect(result).toMatchObject({ intact: true, firstBreak: null, sealed: { seals: 1 } });
    expect(result.key.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(BigInt(result.chainedUpTo!)).toBeGreaterThan(BigInt(result.sealed!.position));
  });

  it('streams progress lines, then the result, on request', async () => {
    const res = await http().get('/audit/verify').set('Authorization', `Bearer ${auditor}`).set('Accept', 'application/x-ndjson').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.text.trim().split('\n').map((l) => JSON.parse(l) as { result?: VerifyResult });
    expect(lines.at(-1)!.result).toMatchObject({ intact: true });
  });

  it('is for auditors only', async () => {
    await http().get('/audit/verify').expect(401);
    expect((await http().get('/audit/verify').set('Authorization', `Bearer ${officer}`).expect(403)).body.code).toBe('ROLE_NOT_ALLOWED');
    const admin = await api.token('admin-1', 'admin', 'national');
    await http().get('/audit/verify').set('Authorization', `Bearer ${admin}`).expect(403);
  });

  it('names a payload changed in the database, over HTTP and from the CLI, without showing its content', async () => {
    const db = api.app.get<SqlClient>(SQL_CLIENT);
    const [row] = await db.query<{ position: string }>(`select position::text as position from jejak_events where stream_id = $1 and revision = 1`, [`case-${caseId}`]);
    await db.query(`update jejak_events set data = jsonb_set(data, '{procedural}', '"non_procedural"') where stream_id = $1 and revision = 1`, [`case-${caseId}`]);
    const result = await verify();
    expect(result.intact).toBe(false);
    expect(result.firstBreak).toMatchObject({ kind: 'modified', streamId: `case-${caseId}`, revision: '1', position: row!.position });
    expect(JSON.stringify(result)).not.toContain('non_procedural');

    if (kind === 'postgres') {
      // The CLI, as an auditor's scheduled check would run it, beside the running API.
      const { output, ok } = await auditCommand(['verify'], {
        DATABASE_URL: (api.config.database as { connectionString: string }).connectionString,
        JEJAK_SEAL_KEY: TEST_SEAL_KEY,
        JEJAK_MASTER_KEY: api.config.masterKey.toString('base64'),
        JEJAK_JWT_SECRET: Buffer.from(TEST_SECRET).toString(),
      }, () => undefined);
      expect(ok).toBe(false);
      expect(output).toBe(`BROKEN: modified at position ${row!.position}, stream case-${caseId}, revision 1: its content, time or place no longer hashes to its link (${result.events} events checked)`);
    }
  });
}

describe('audit over embedded PGlite', () => suite('pglite'));
describeIfPostgres('audit over PostgreSQL', () => suite('postgres'));
