/**
 * Days are the deployment's days (Asia/Jakarta here) in every filter, as in the figures: a case opened at
 * 05:00 in Jakarta is opened that Jakarta day, though it is still the day before in UTC, so a drill-down
 * link lists exactly the cases its row counted.
 */
import { describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { readOwnWrite, startTestApi, type TestApi, todayInJakarta } from './support/api';

const VILLAGE = '3201012001';

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let officer: string;
  beforeAll(async () => {
    api = await startTestApi(kind);
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());

  it('filters cases by the Jakarta day they were opened on, not the UTC one', async () => {
    const day = todayInJakarta(new Date(Date.now() - 3 * 86_400_000));
    const before = todayInJakarta(new Date(Date.parse(`${day}T12:00:00+07:00`) - 86_400_000));
    const opened = await http()
      .post('/cases')
      .set('Authorization', `Bearer ${officer}`)
      .set('X-Occurred-At', `${day}T05:00:00+07:00`) // the day before, 22:00, in UTC
      .send({
        areaCode: VILLAGE,
        channel: 'walk_in',
        categories: ['unpaid_wages'],
        worker: { name: 'Pagi' },
        relationship: 'self',
        destinationCountry: 'MY',
        complaint: 'gaji',
      })
      .expect(201);
    const list = async (from: string, to: string) =>
      (
        await readOwnWrite(() =>
          http()
            .get('/cases')
            .query({ openedFrom: from, openedTo: to })
            .set('Authorization', `Bearer ${officer}`)
            .set('X-Min-Position', opened.body.position),
        )
      ).body.items.map((c: { id: string }) => c.id);
    expect(await list(day, day)).toEqual([opened.body.id]);
    expect(await list(before, before)).toEqual([]);
  });
}

describe('days in the deployment time zone: PGlite', () => suite('pglite'));
describeIfPostgres('days in the deployment time zone: PostgreSQL', () => suite('postgres'));

describe('one sort rule for every list: when things happened', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi('pglite');
  });
  afterAll(() => api?.close());

  it('lists a placement entered later from paper by the day it was registered, like cases and preventions', async () => {
    const officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    const http = () => request(api.app.getHttpServer());
    const register = (name: string, nik: string, occurredAt?: string) => {
      const req = http().post('/placements').set('Authorization', `Bearer ${officer}`);
      return (occurredAt ? req.set('X-Occurred-At', occurredAt) : req)
        .send({ areaCode: VILLAGE, worker: { name, nik, birthDate: '1995-01-01' } })
        .expect(201);
    };
    const recent = await register('Baru', '3201014501950101');
    const paper = await register('Dari Kertas', '3201014501950102', new Date(Date.now() - 10 * 86_400_000).toISOString());
    const items = (
      await readOwnWrite(() =>
        http().get('/placements').set('Authorization', `Bearer ${officer}`).set('X-Min-Position', paper.body.position),
      )
    ).body.items;
    expect(items.map((p: { id: string }) => p.id)).toEqual([recent.body.id, paper.body.id]);
  });
});
