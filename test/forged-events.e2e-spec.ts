/**
 * Events written with database access alone do not pass as genuine. The database's own append function
 * chains whatever it is given, so an event appended by calling it directly gets a correct link hash and
 * would be sealed like any other; it lacks the MAC that Jejak computes with a key the database never holds,
 * and verification names it.
 */
import { randomUUID } from 'node:crypto';

import type { VerifyResult } from '@jejak/audit';
import { KurrentEventStore, type SqlClient } from '@jejak/event-store';
import { describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { SQL_CLIENT } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';

function suite(kind: 'pglite' | 'postgres' | 'kurrentdb'): void {
  let api: TestApi;
  let officer: string;
  let auditor: string;
  beforeAll(async () => {
    api = await startTestApi(kind);
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    auditor = await api.token('auditor-1', 'auditor', 'national');
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const verify = async (): Promise<VerifyResult> =>
    (await http().get('/audit/verify').set('Authorization', `Bearer ${auditor}`).expect(200)).body;

  it('authenticates every event Jejak wrote, and names one appended behind its back as forged', async () => {
    const opened = await http()
      .post('/cases')
      .set('Authorization', `Bearer ${officer}`)
      .send({
        areaCode: VILLAGE,
        channel: 'walk_in',
        categories: ['unpaid_wages'],
        worker: { name: 'Pekerja' },
        relationship: 'self',
        destinationCountry: 'MY',
        complaint: 'gaji',
      })
      .expect(201);
    const before = await verify();
    expect(before).toMatchObject({ intact: true, firstBreak: null });
    expect(before.authenticated).toBeGreaterThanOrEqual(3);

    // A plausible event, as someone with access to the database alone would write it.
    const stream = `case-${opened.body.id}`;
    const forgedData = { caseId: opened.body.id, resolution: 'wages_recovered', amountIdr: 0 };
    const forgedMetadata = { actorId: 'officer-1', role: 'officer', correlationId: randomUUID() };
    if (kind === 'kurrentdb') {
      // Straight to KurrentDB with the real client: the adapter's link is there, the MAC is not.
      const direct = await KurrentEventStore.connect((api.config.database as { connectionString: string }).connectionString);
      try {
        await direct.append(stream, [{ type: 'CaseResolved', data: forgedData, metadata: forgedMetadata }], { expectedRevision: 'any' });
      } finally {
        await direct.close();
      }
    } else {
      await api.app
        .get<SqlClient>(SQL_CLIENT)
        .query(`select * from jejak_append($1, 'any', array[$2::uuid], array['CaseResolved'], array[$3], array[$4], true)`, [
          stream,
          randomUUID(),
          JSON.stringify(forgedData),
          JSON.stringify(forgedMetadata),
        ]);
    }
    const after = await verify();
    expect(after.intact).toBe(false);
    expect(after.firstBreak).toMatchObject({ kind: 'forged', streamId: stream, revision: '1' });
    expect(JSON.stringify(after)).not.toContain('wages_recovered');
  });
}

describe('forged events over embedded PGlite', () => suite('pglite'));
describeIfPostgres('forged events over PostgreSQL', () => suite('postgres'));
describeIfPostgres('forged events over KurrentDB (events) and PostgreSQL', () => suite('kurrentdb'));
