/**
 * Time is an input: the deployment's clock (config.clock) decides "now" and "today" for defaults,
 * validation and reports, whatever the machine's clock says. Here it stands half an hour into 1 April in
 * Jakarta, while UTC is still on 31 March.
 */
import request from 'supertest';

import { readOwnWrite, startTestApi, type TestApi } from './support/api';
import { caseIntake } from './support/bodies';

const VILLAGE = '3201012001';
const NOW = new Date('2026-03-31T17:30:00Z'); // 2026-04-01 00:30 in Asia/Jakarta

describe('the deployment clock as an input', () => {
  let api: TestApi;
  let officer: string;
  let supervisor: string;
  const started = Date.now();
  /** How far a test has moved the clock on beyond real time. */
  let skipped = 0;
  beforeAll(async () => {
    // The clock moves on from NOW as real time passes, as a clock does (and further when a test skips ahead).
    api = await startTestApi('pglite', { clock: () => new Date(NOW.getTime() + (Date.now() - started) + skipped) });
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    supervisor = await api.token('supervisor-1', 'supervisor', 'province:32');
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const post = (path: string, body: object) => http().post(path).set('Authorization', `Bearer ${officer}`).send(body);
  const openCase = (name: string) => post('/cases', caseIntake(VILLAGE, name, 'x'));

  it('dates a step without `on` by the clock’s day in the deployment’s zone', async () => {
    const id = (await post('/preventions', { areaCode: VILLAGE, source: 'family', flags: [{ flag: 'upfront_payment' }] }).expect(201)).body
      .id;
    await post(`/preventions/${id}/interventions`, { kind: 'family_counselling' }).expect(201);
    const view = (await http().get(`/preventions/${id}`).set('Authorization', `Bearer ${officer}`).expect(200)).body;
    expect(view.interventions.map((i: { on: string }) => i.on)).toEqual(['2026-04-01']);
  });

  it('judges "in the future" by the clock: X-Occurred-At, birth dates and step dates', async () => {
    const subject = { kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', name: 'Ani' };
    expect((await post('/subjects', subject).set('X-Occurred-At', '2026-04-01T00:50:00+07:00')).status).toBe(400);
    expect((await post('/subjects', subject).set('X-Occurred-At', '2026-04-01T00:10:00+07:00')).status).toBe(201);
    // Older than the backdating limit, counted from the clock, not from the machine's date.
    expect((await post('/subjects', subject).set('X-Occurred-At', '2023-03-01T10:00:00+07:00')).status).toBe(400);
    expect((await post('/subjects', { ...subject, birthDate: '2026-04-03' })).status).toBe(400);
    expect((await post('/subjects', { ...subject, birthDate: '2026-03-31' })).status).toBe(201);
  });

  it('counts a case opened now in the clock’s month, and lists it for the clock’s day', async () => {
    const opened = await openCase('Ani').expect(201);
    const rows = (
      await readOwnWrite(() =>
        http()
          .get('/reports/indicators')
          .query({ level: 'village', code: '32', from: '2026-03-01', to: '2026-04-30' })
          .set('Authorization', `Bearer ${supervisor}`)
          .set('X-Min-Position', opened.body.position),
      )
    ).body.rows;
    expect(rows.map((r: { period: string; cases: { opened: number } }) => [r.period, r.cases.opened])).toEqual([['2026-04', 1]]);
    const listed = (
      await readOwnWrite(() =>
        http()
          .get('/cases')
          .query({ openedFrom: '2026-04-01', openedTo: '2026-04-01' })
          .set('Authorization', `Bearer ${supervisor}`)
          .set('X-Min-Position', opened.body.position),
      )
    ).body.items;
    expect(listed.map((c: { id: string }) => c.id)).toEqual([opened.body.id]);
  });

  it('measures a case’s deadlines by the clock, not the machine’s date', async () => {
    const opened = await openCase('Budi').expect(201);
    const view = async () => (await http().get(`/cases/${opened.body.id}`).set('Authorization', `Bearer ${officer}`).expect(200)).body;
    // Unclassified, a case counts as normal urgency: a first action is due within 168 hours of intake.
    expect((await view()).deadlines.firstAction).toMatchObject({ due: expect.stringMatching(/^2026-04-07T17:3/), overdue: false });
    skipped = 8 * 24 * 3_600_000;
    try {
      expect((await view()).deadlines.firstAction).toMatchObject({ due: expect.stringMatching(/^2026-04-07T17:3/), overdue: true });
    } finally {
      skipped = 0;
    }
  });
});
