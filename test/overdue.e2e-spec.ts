/**
 * "Overdue" means one thing everywhere: a case with a pending deadline that has passed, where a resolved
 * or closed case has none. A case resolved without any action ever started is not overdue on its first
 * action, in the record, the case list, the worklist or the indicators.
 */
import { describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { readOwnWrite, startTestApi, type TestApi, todayInJakarta } from './support/api';
import { caseIntake } from './support/bodies';

const VILLAGE = '3201012001';

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let officer: string;
  let supervisor: string;
  beforeAll(async () => {
    api = await startTestApi(kind);
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    supervisor = await api.token('supervisor-1', 'supervisor', 'province:32');
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());

  it('counts a case resolved without any action as overdue nowhere, and a neglected one everywhere', async () => {
    const twentyDaysAgo = new Date(Date.now() - 20 * 86_400_000).toISOString();
    const open = async (name: string) =>
      (
        await http()
          .post('/cases')
          .set('Authorization', `Bearer ${officer}`)
          .set('X-Occurred-At', twentyDaysAgo)
          .send(caseIntake(VILLAGE, name))
          .expect(201)
      ).body as { id: string; position: string };
    const resolved = await open('Selesai Tanpa Tindakan');
    const neglected = await open('Belum Ditangani');
    // Verified and classified (normal urgency: first action due in 7 days, long past), then resolved with no action ever started.
    await http()
      .post(`/cases/${resolved.id}/verification`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ procedural: 'procedural' })
      .expect(200);
    await http()
      .post(`/cases/${resolved.id}/classification`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ urgency: 'normal' })
      .expect(200);
    const done = await http()
      .post(`/cases/${resolved.id}/resolution`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ outcome: 'referred_on' })
      .expect(200);
    const position = String(BigInt(done.body.position) > BigInt(neglected.position) ? done.body.position : neglected.position);

    const record = (await http().get(`/cases/${resolved.id}`).set('Authorization', `Bearer ${officer}`).expect(200)).body;
    expect(record.deadlines.firstAction.overdue).toBe(false);
    expect(
      (await http().get(`/cases/${neglected.id}`).set('Authorization', `Bearer ${officer}`).expect(200)).body.deadlines.firstAction.overdue,
    ).toBe(true);

    const list = (
      await readOwnWrite(() =>
        http().get('/cases').query({ overdue: 'true' }).set('Authorization', `Bearer ${supervisor}`).set('X-Min-Position', position),
      )
    ).body.items;
    expect(list.map((c: { id: string }) => c.id)).toEqual([neglected.id]);
    const notOverdue = (await http().get('/cases').query({ overdue: 'false' }).set('Authorization', `Bearer ${supervisor}`).expect(200))
      .body.items;
    expect(notOverdue.map((c: { id: string }) => c.id)).toEqual([resolved.id]);

    const worklist = (
      await readOwnWrite(() => http().get('/worklist').set('Authorization', `Bearer ${officer}`).set('X-Min-Position', position))
    ).body.items;
    expect(
      Object.fromEntries(
        worklist.filter((i: { kind: string }) => i.kind === 'case').map((i: { id: string; overdue: boolean }) => [i.id, i.overdue]),
      ),
    ).toEqual({
      [resolved.id]: false,
      [neglected.id]: true,
    });

    const from = todayInJakarta(new Date(Date.now() - 60 * 86_400_000));
    const report = (
      await readOwnWrite(() =>
        http()
          .get('/reports/indicators')
          .query({ level: 'village', code: '32', from, to: todayInJakarta() })
          .set('Authorization', `Bearer ${supervisor}`)
          .set('X-Min-Position', position),
      )
    ).body;
    const overdueNow = (report.rows as { area: string; cases: { overdueNow: number } }[])
      .filter((r) => r.area === VILLAGE)
      .reduce((n, r) => n + r.cases.overdueNow, 0);
    expect(overdueNow).toBe(1);
  });
}

describe('one meaning of overdue: PGlite', () => suite('pglite'));
describeIfPostgres('one meaning of overdue: PostgreSQL', () => suite('postgres'));
