/**
 * Health and trafficking complaint categories and the worker's sex are specific personal data (issue 16,
 * items 14 and 15). They never stand in clear in an event, a read model or a counter: the worker's key seals
 * the categories for readers in scope, and a keyed token stands for each in the lists and figures, which
 * name it again for those allowed to read them. Erasing the worker makes the record's sensitive categories
 * unreadable and leaves the month's figures as they were.
 */
import { collect, type EventStore, type SqlClient } from '@jejak/event-store';
import { describeIfPostgres, eventually } from '@jejak/testing';
import request from 'supertest';

import { ReadModels } from '../apps/api/src/read-models/read-models.service';
import { EVENT_STORE, SQL_CLIENT } from '../apps/api/src/tokens';
import { readOwnWrite, startTestApi, type TestApi, todayInJakarta } from './support/api';

const VILLAGE = '3201012001';
// As JSON strings: "ill" alone also occurs inside base64 ciphertext.
const SENSITIVE = [
  'trafficking',
  'sexual_harassment',
  'mental_illness',
  'ill',
  'pregnant_or_child',
  'died_abroad',
  'employer_violence',
].map((c) => `"${c}"`);

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let officer: string;
  let supervisor: string;
  let admin: string;
  let position = '0';
  beforeAll(async () => {
    api = await startTestApi(kind);
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    supervisor = await api.token('supervisor-1', 'supervisor', 'province:32');
    admin = await api.token('admin-1', 'admin', 'national');
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const post = async (path: string, body: object, token = officer, status = 200) => {
    const res = await http().post(path).set('Authorization', `Bearer ${token}`).send(body).expect(status);
    if (res.body.position) position = res.body.position;
    return res.body;
  };
  const get = async (path: string, token = officer) =>
    (await readOwnWrite(() => http().get(path).set('Authorization', `Bearer ${token}`).set('X-Min-Position', position))).body;
  const today = todayInJakarta();
  const indicators = async () =>
    (await get(`/reports/indicators?level=village&code=${VILLAGE}&from=${today.slice(0, 8)}01&to=${today}`, supervisor)).rows.find(
      (r: { area: string }) => r.area === VILLAGE,
    );
  /** Everything the database holds of the log and the case read model, as text. */
  const stored = async () => {
    const events = await collect(api.app.get<EventStore>(EVENT_STORE).readAll());
    const db = api.app.get<SqlClient>(SQL_CLIENT);
    const table = await api.app.get(ReadModels).table('cases');
    const rows = await db.query(`select * from ${table}`);
    const facts = [...(await db.query(`select * from ${table}_daily`)), ...(await db.query(`select * from ${table}_monthly`))];
    return {
      log: JSON.stringify(events.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }))),
      rows: JSON.stringify(rows),
      facts: JSON.stringify(facts),
    };
  };

  it('seals a case’s health and trafficking categories and the worker’s sex, shows them in scope, and counts them', async () => {
    const before = await indicators();
    const opened = await post(
      '/cases',
      {
        areaCode: VILLAGE,
        channel: 'hotline',
        categories: ['trafficking', 'unpaid_wages', 'sexual_harassment'],
        worker: { name: 'Siti', sex: 'F' },
        relationship: 'self',
        destinationCountry: 'MY',
        complaint: 'dijual ke majikan lain',
      },
      officer,
      201,
    );
    const id = opened.id;
    const view = await get(`/cases/${id}`); // a record is read from the log: current, whatever the read models hold
    await get('/cases'); // the list waits (X-Min-Position) until the read models hold the case

    const { log, rows, facts } = await stored();
    for (const category of SENSITIVE) {
      expect(log).not.toContain(category);
      expect(rows).not.toContain(category);
      expect(facts).not.toContain(category);
    }
    // The non-sensitive category stays in clear; the sex is a token in the counters, never "F".
    expect(log).toContain('unpaid_wages');
    const event = (await collect(api.app.get<EventStore>(EVENT_STORE).readStream(`case-${id}`)))[0]!;
    const data = event.data as { categories: string[]; categoryTokens: string[]; sexToken: string; sealed: Record<string, string> };
    expect(data.categories).toEqual(['unpaid_wages']);
    expect(data.categoryTokens).toHaveLength(2);
    expect(data.sexToken).toMatch(/^t_[0-9a-f]{32}$/);
    expect(data.sealed.sensitiveCategories).toMatch(/^pd1:/);
    expect(JSON.parse(facts).some((f: { metric: string; key: string }) => f.metric === 'cases.sex' && f.key === data.sexToken)).toBe(true);

    // Readers in scope see every category, on the record, its history and the list.
    expect(view.categories.sort()).toEqual(['sexual_harassment', 'trafficking', 'unpaid_wages']);
    expect(JSON.stringify(await get(`/cases/${id}/history`))).toContain('trafficking');
    const listed = await get('/cases?category=trafficking');
    expect(listed.items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(listed.items[0].categories.sort()).toEqual(['sexual_harassment', 'trafficking', 'unpaid_wages']);
    expect(listed.items[0]).not.toHaveProperty('sexToken');
    expect((await get('/cases?category=ill')).items).toEqual([]);

    // The figures name them again: by category and by sex, in JSON and CSV.
    const row = await indicators();
    const was = (breakdown: Record<string, number> | undefined, key: string) => breakdown?.[key] ?? 0;
    expect(row.cases.byCategory.trafficking).toBe(was(before?.cases.byCategory, 'trafficking') + 1);
    expect(row.cases.byCategory.sexual_harassment).toBe(was(before?.cases.byCategory, 'sexual_harassment') + 1);
    expect(row.cases.bySex.F).toBe(was(before?.cases.bySex, 'F') + 1);
    expect(Object.keys(row.cases.byCategory).every((k) => !k.startsWith('t_'))).toBe(true);
    const csv = (
      await http()
        .get(`/reports/indicators?level=village&code=${VILLAGE}&from=${today.slice(0, 8)}01&to=${today}`)
        .set('Authorization', `Bearer ${supervisor}`)
        .set('Accept', 'text/csv')
        .expect(200)
    ).text;
    const [header, line] = csv.trim().split('\n');
    const cell = (name: string) => line!.split(',')[header!.split(',').indexOf(name)];
    expect(cell('category:trafficking')).toBe(String(row.cases.byCategory.trafficking));
    expect(cell('sex:F')).toBe(String(row.cases.bySex.F));

    // A reclassification seals as intake does, and the figures follow the case.
    await post(`/cases/${id}/classification`, { urgency: 'high', categories: ['ill', 'unpaid_wages'] });
    expect((await get(`/cases/${id}`)).categories.sort()).toEqual(['ill', 'unpaid_wages']);
    expect((await get('/cases?category=ill')).items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await get('/cases?category=trafficking')).items).toEqual([]);
    const reclassified = await indicators();
    expect(was(reclassified.cases.byCategory, 'trafficking')).toBe(was(before?.cases.byCategory, 'trafficking'));
    expect(reclassified.cases.byCategory.ill).toBe(was(before?.cases.byCategory, 'ill') + 1);
    const logNow = (await stored()).log;
    for (const category of SENSITIVE) expect(logNow).not.toContain(category);

    // Only the urgency changes: the sealed categories are kept as they are.
    await post(`/cases/${id}/classification`, { urgency: 'normal' });
    expect((await get(`/cases/${id}`)).categories.sort()).toEqual(['ill', 'unpaid_wages']);

    // Erasing the worker: the record no longer opens its sensitive categories; the month's figures stay.
    const figures = await indicators();
    await post(
      `/subjects/${(await get(`/cases/${id}`)).worker.subjectId}/erasure`,
      { reason: 'request of the person', legalBasis: 'UU 27/2022 art. 8' },
      admin,
    );
    const erased = await get(`/cases/${id}`);
    expect(erased.categories).toEqual(['unpaid_wages']);
    expect(JSON.stringify(await get(`/cases/${id}/history`))).not.toContain('"ill"');
    expect((await indicators()).cases).toEqual(figures.cases);
  });

  it('seals the categories of a case opened from a prevention record, whose person departed', async () => {
    const id = (
      await post(
        '/preventions',
        {
          areaCode: VILLAGE,
          source: 'village_official',
          person: { name: 'Rina', sex: 'F' },
          destinationCountry: 'MY',
          flags: [{ flag: 'village_head_not_informed' }],
        },
        officer,
        201,
      )
    ).id;
    await post(`/preventions/${id}/outcome`, { outcome: 'departed_non_procedurally' });
    const { caseId } = await post(`/preventions/${id}/case-request`, {
      categories: ['trafficking', 'lost_contact'],
      complaint: 'dibawa lewat Batam',
    });
    const opened = await eventually(async () => {
      const res = await http().get(`/cases/${caseId}`).set('Authorization', `Bearer ${officer}`);
      return res.status === 200 ? res.body : undefined;
    });
    expect(opened.categories.sort()).toEqual(['lost_contact', 'trafficking']);
    await eventually(async () =>
      (await get('/cases?category=trafficking')).items.some((c: { id: string }) => c.id === caseId) ? true : undefined,
    );
    const { log, rows, facts } = await stored();
    for (const category of SENSITIVE) {
      expect(log).not.toContain(category);
      expect(rows).not.toContain(category);
      expect(facts).not.toContain(category);
    }
  });

  it('refuses an unknown category with a 400 naming the field', async () => {
    const refused = await http()
      .post('/cases')
      .set('Authorization', `Bearer ${officer}`)
      .send({
        areaCode: VILLAGE,
        channel: 'hotline',
        categories: ['t_00000000000000000000000000000000'],
        worker: { name: 'X' },
        relationship: 'self',
        complaint: 'x',
      })
      .expect(400);
    expect(JSON.stringify(refused.body.errors)).toContain('categories');
  });
}

describe('sensitive categories over embedded PGlite', () => suite('pglite'));
describeIfPostgres('sensitive categories over PostgreSQL', () => suite('postgres'));
