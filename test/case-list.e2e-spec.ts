/**
 * The case list read model over HTTP: territory filtering, filters, cursor pagination, overdue computed
 * at query time, read-your-writes with X-Min-Position, and the projection admin routes (status, rebuild).
 */
import { DEFAULT_DEADLINES } from '@jejak/accompaniment';
import type { SqlClient } from '@jejak/event-store';
import { describeIfPostgres, eventually } from '@jejak/testing';
import request from 'supertest';

import { ReadModels } from '../apps/api/src/read-models/read-models.service';
import { SQL_CLIENT } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';

function suite(kind: 'pglite' | 'postgres' | 'kurrentdb'): void {
  let api: TestApi;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let lastPosition = '0';

  beforeAll(async () => {
    // Critical cases are overdue for a first action after five seconds, so the test can see it happen.
    api = await startTestApi(kind, { deadlines: { ...DEFAULT_DEADLINES, critical: { firstActionHours: 5 / 3600, resolutionDays: 14 } } });
    tokens.bogor = await api.token('officer-bogor', 'officer', 'village:3201012001');
    tokens.bogor2 = await api.token('officer-bogor2', 'officer', 'village:3201012002');
    tokens.malang = await api.token('officer-malang', 'officer', 'village:3507012001');
    tokens.jabar = await api.token('supervisor-jabar', 'supervisor', 'province:32');
    tokens.auditor = await api.token('auditor-1', 'auditor', 'national');
    tokens.admin = await api.token('admin-1', 'admin', 'national');
    const open = async (token: string, areaCode: string, categories: string[]) => {
      const res = await request(api.app.getHttpServer())
        .post('/cases')
        .set('Authorization', `Bearer ${token}`)
        .send({
          areaCode,
          channel: 'walk_in',
          categories,
          worker: { name: 'Pekerja' },
          relationship: 'self',
          destinationCountry: 'MY',
          complaint: 'keluhan',
        })
        .expect(201);
      lastPosition = res.body.position;
      return res.body.id as string;
    };
    ids.a = await open(tokens.bogor!, '3201012001', ['unpaid_wages']);
    ids.b = await open(tokens.bogor!, '3201012001', ['lost_contact']);
    ids.c = await open(tokens.bogor2!, '3201012002', ['unpaid_wages', 'ill']);
    ids.d = await open(tokens.malang!, '3507012001', ['trafficking']);
  });
  afterAll(() => api?.close());

  /**
   * GET /cases as a well-behaved client: after a write it sends X-Min-Position, and on 503 with
   * Retry-After (the list still catching up, e.g. while other suites load the server) it retries.
   */
  const list = (token: string, query: Record<string, string | number | boolean> = {}, headers: Record<string, string> = {}) => ({
    expect: async (status: number) => {
      let res: request.Response;
      for (let attempt = 0; ; attempt++) {
        res = await request(api.app.getHttpServer())
          .get('/cases')
          .query(query)
          .set('Authorization', `Bearer ${token}`)
          .set({ 'X-Min-Position': lastPosition, ...headers });
        const retry = res.status === 503 && res.body.code === 'PROJECTION_BEHIND' && status !== 503 && attempt < 10;
        if (!retry) break;
        await new Promise((r) => setTimeout(r, Number(res.headers['retry-after'] ?? 1) * 1000));
      }
      expect(res.status).toBe(status);
      return res;
    },
  });
  const idsOf = (body: { items: { id: string }[] }) => body.items.map((i) => i.id).sort();

  it('shows each caller only their territory, with read-your-writes through X-Min-Position', async () => {
    expect(idsOf((await list(tokens.bogor!).expect(200)).body)).toEqual([ids.a, ids.b].sort());
    expect(idsOf((await list(tokens.jabar!).expect(200)).body)).toEqual([ids.a, ids.b, ids.c].sort());
    expect(idsOf((await list(tokens.auditor!).expect(200)).body)).toEqual([ids.a, ids.b, ids.c, ids.d].sort());
    expect(idsOf((await list(tokens.malang!).expect(200)).body)).toEqual([ids.d]);
    expect((await list(tokens.admin!).expect(403)).body.code).toBe('ROLE_NOT_ALLOWED');
    const item = (await list(tokens.bogor!).expect(200)).body.items.find((i: { id: string }) => i.id === ids.a);
    expect(item).toMatchObject({
      status: 'open',
      areaCode: '3201012001',
      categories: ['unpaid_wages'],
      channel: 'walk_in',
      overdue: false,
    });
    expect(item.state).toBeUndefined();
    expect(JSON.stringify(item)).not.toContain('keluhan'); // no free text in the list
  });

  it('filters by status, category, area and overdue, computed at the moment of the query', async () => {
    expect(idsOf((await list(tokens.auditor!, { category: 'unpaid_wages' }).expect(200)).body)).toEqual([ids.a, ids.c].sort());
    expect(idsOf((await list(tokens.auditor!, { area: '3507' }).expect(200)).body)).toEqual([ids.d]);
    const http = () => request(api.app.getHttpServer());
    const classified = await http()
      .post(`/cases/${ids.b}/classification`)
      .set('Authorization', `Bearer ${tokens.bogor}`)
      .send({ urgency: 'critical' })
      .expect(200);
    lastPosition = classified.body.position;
    expect(idsOf((await list(tokens.bogor!, { urgency: 'critical' }).expect(200)).body)).toEqual([ids.b]);
    expect(idsOf((await list(tokens.bogor!, { overdue: true }).expect(200)).body)).toEqual([]);
    await new Promise((r) => setTimeout(r, 5_200));
    expect(idsOf((await list(tokens.bogor!, { overdue: true }).expect(200)).body)).toEqual([ids.b]);
    expect(idsOf((await list(tokens.bogor!, { overdue: false }).expect(200)).body)).toEqual([ids.a]);
    expect((await list(tokens.bogor!, { overdue: 'maybe' }).expect(400)).body.errors[0].field).toBe('overdue');
    const suspended = await http()
      .post(`/cases/${ids.a}/suspension`)
      .set('Authorization', `Bearer ${tokens.bogor}`)
      .send({ reason: 'unreachable' })
      .expect(200);
    lastPosition = suspended.body.position;
    expect(idsOf((await list(tokens.bogor!, { status: 'suspended' }).expect(200)).body)).toEqual([ids.a]);
    expect((await list(tokens.bogor!, { status: 'lost' }).expect(400)).body.errors[0].field).toBe('status');
  });

  it('pages with a cursor, newest first, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await list(tokens.auditor!, { limit: 1, ...(cursor ? { cursor } : {}) }).expect(200)).body;
      seen.push(...page.items.map((i: { id: string }) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([ids.d, ids.c, ids.b, ids.a]);
    expect((await list(tokens.auditor!, { cursor: 'garbage' }).expect(400)).body.errors).toEqual([
      { field: 'cursor', message: 'is not a cursor this API gave out' },
    ]);
  });

  it('answers 503 with Retry-After when the list cannot catch up with the position in time', async () => {
    const res = await list(tokens.auditor!, {}, { 'X-Min-Position': '9223372036854775000' }).expect(503);
    expect(res.body.code).toBe('PROJECTION_BEHIND');
    expect(res.headers['retry-after']).toBe('1');
    // The worklist honours it as the lists do.
    const worklist = await request(api.app.getHttpServer())
      .get('/worklist')
      .set('Authorization', `Bearer ${tokens.bogor!}`)
      .set('X-Min-Position', '9223372036854775000')
      .expect(503);
    expect(worklist.body.code).toBe('PROJECTION_BEHIND');
    await request(api.app.getHttpServer())
      .get('/worklist')
      .set('Authorization', `Bearer ${tokens.bogor!}`)
      .set('X-Min-Position', lastPosition)
      .expect(200);
  });

  it('shows projection status to admins, and rebuilds while the list keeps answering', async () => {
    const http = () => request(api.app.getHttpServer());
    const status = (await http().get('/admin/projections').set('Authorization', `Bearer ${tokens.admin}`).expect(200)).body;
    expect(status.projections.map((p: { name: string }) => p.name)).toEqual([
      'cases',
      'placements',
      'preventions',
      'information',
      'communities',
      'enterprise',
      'kur',
    ]);
    expect(status.projections[0]).toMatchObject({ name: 'cases', state: 'running', generation: 1, failure: null });
    expect(status.processManagers.map((m: { state: string }) => m.state)).toEqual(['running', 'running', 'running', 'running', 'running']); // the five link managers
    await eventually(async () => {
      const s = (await http().get('/admin/projections').set('Authorization', `Bearer ${tokens.admin}`).expect(200)).body;
      return s.projections.every((p: { lag: { events: number; seconds: number } }) => p.lag.events === 0 && p.lag.seconds === 0)
        ? true
        : undefined;
    });
    expect((await http().post('/admin/projections/cases/rebuild').set('Authorization', `Bearer ${tokens.admin}`).expect(202)).body).toEqual(
      { name: 'cases', generation: 2 },
    );
    expect(idsOf((await list(tokens.auditor!).expect(200)).body)).toEqual([ids.a, ids.b, ids.c, ids.d].sort());
    await eventually(async () => {
      const s = (await http().get('/admin/projections').set('Authorization', `Bearer ${tokens.admin}`).expect(200)).body;
      return s.projections[0].generation === 2 && s.projections[0].rebuild === null ? true : undefined;
    });
    expect(idsOf((await list(tokens.auditor!).expect(200)).body)).toEqual([ids.a, ids.b, ids.c, ids.d].sort());
    expect((await list(tokens.bogor!, { status: 'suspended' }).expect(200)).body.items.map((i: { id: string }) => i.id)).toEqual([ids.a]);
    await http().post('/admin/projections/nope/rebuild').set('Authorization', `Bearer ${tokens.admin}`).expect(404);
  });

  it("lists placements and prevention records in territory, and builds the officer's worklist, due first", async () => {
    const http = () => request(api.app.getHttpServer());
    const as = (token: string, req: request.Test) => req.set('Authorization', `Bearer ${token}`);
    const nik = (n: number) => `32010145019${kind === 'pglite' ? '7' : '8'}${String(1000 + n).slice(-4)}`;
    const p1 = await as(tokens.bogor!, http().post('/placements'))
      .send({ areaCode: '3201012001', worker: { name: 'A', nik: nik(1), birthDate: '1990-01-01' } })
      .expect(201);
    const p2 = await as(tokens.malang!, http().post('/placements'))
      .send({ areaCode: '3507012001', worker: { name: 'B', nik: `35${nik(2).slice(2)}`, birthDate: '1990-01-01' } })
      .expect(201);
    await as(tokens.bogor!, http().post(`/placements/${p1.body.id}/documents`))
      .send({ kind: 'competency_certificate', number: 'C-1', issuer: 'BNSP', issuedOn: '2026-01-01' })
      .expect(201);
    const v = await as(tokens.bogor!, http().post('/preventions'))
      .send({ areaCode: '3201012001', source: 'family', flags: [{ flag: 'transit_route' }] })
      .expect(201);
    // Read-your-writes: each command answered with its position, which the lists wait for.
    expect(v.body.position).toMatch(/^\d+$/);
    const read = async (path: string, position: string) => {
      for (let attempt = 0; ; attempt++) {
        const res = await as(tokens.auditor!, http().get(path)).set('X-Min-Position', position);
        if (res.status !== 503 || attempt >= 10) return res;
        await new Promise((r) => setTimeout(r, 1000));
      }
    };
    const placements = await read('/placements', p2.body.position);
    expect(placements.status).toBe(200);
    expect(placements.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([p1.body.id, p2.body.id]));
    const preventions = await read('/preventions', v.body.position);
    expect(preventions.status).toBe(200);
    expect(preventions.body.items.map((i: { id: string }) => i.id)).toContain(v.body.id);
    const mine = (await as(tokens.bogor!, http().get('/placements')).expect(200)).body;
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual([p1.body.id]);
    expect(mine.items[0]).toMatchObject({ status: 'open', stage: 'registered', areaCode: '3201012001' });
    expect(mine.items[0].state).toBeUndefined();
    expect(
      (await as(tokens.auditor!, http().get('/placements').query({ area: '35' })).expect(200)).body.items.map((i: { id: string }) => i.id),
    ).toEqual([p2.body.id]);
    const flagged = (await as(tokens.jabar!, http().get('/preventions').query({ flag: 'transit_route' })).expect(200)).body;
    expect(flagged.items.map((i: { id: string }) => i.id)).toEqual([v.body.id]);
    expect(flagged.items[0]).toMatchObject({ status: 'reported', source: 'family', flags: ['transit_route'] });
    await as(tokens.bogor!, http().get('/placements').query({ stage: 'nowhere' })).expect(400);

    const work = (await as(tokens.bogor!, http().get('/worklist')).expect(200)).body.items as {
      kind: string;
      id: string;
      due: string | null;
      overdue: boolean;
    }[];
    expect(work.map((i) => i.kind)).toEqual(['case', 'case', 'placement', 'prevention']);
    expect(work[0]).toMatchObject({ id: ids.b, overdue: true }); // the critical case, overdue since earlier in this suite
    expect(
      work
        .filter((i) => i.kind === 'case')
        .map((i) => i.id)
        .sort(),
    ).toEqual([ids.a, ids.b].sort());
    expect(work[2]!.id).toBe(p1.body.id);
    expect(work[3]!.id).toBe(v.body.id);
    expect((await as(tokens.auditor!, http().get('/worklist')).expect(403)).body.code).toBe('ROLE_NOT_ALLOWED');
  });

  it('serves GET /cases/:id from the projection when it holds the last revision, from the log when it does not', async () => {
    const http = () => request(api.app.getHttpServer());
    const db = api.app.get<SqlClient>(SQL_CLIENT);
    const table = await api.app.get(ReadModels).table('cases');
    const get = async () => (await http().get(`/cases/${ids.c}`).set('Authorization', `Bearer ${tokens.auditor}`).expect(200)).body;
    const before = await get();
    await eventually(async () =>
      (await db.query<{ r: string }>(`select doc->>'revision' as r from ${table} where id = $1`, [ids.c]))[0]?.r === String(before.revision)
        ? true
        : undefined,
    );
    // A marker only the projection holds: seen, so the answer came from the projection.
    await db.query(`update ${table} set doc = jsonb_set(doc, '{state,destinationCountry}', '"ZZ"') where id = $1`, [ids.c]);
    expect((await get()).destinationCountry).toBe('ZZ');
    // The projection claims an older revision than the stream's head: the answer is replayed from the log.
    await db.query(`update ${table} set doc = jsonb_set(doc, '{revision}', '"-1"') where id = $1`, [ids.c]);
    expect(await get()).toEqual(before);
    await db.query(`update ${table} set doc = jsonb_set(doc, '{revision}', to_jsonb($2::text)) where id = $1`, [
      ids.c,
      String(before.revision),
    ]);
    await db.query(`update ${table} set doc = jsonb_set(doc, '{state,destinationCountry}', to_jsonb($2::text)) where id = $1`, [
      ids.c,
      before.destinationCountry,
    ]);
    expect(await get()).toEqual(before);
  });
}

describe('case list over embedded PGlite', () => suite('pglite'));
describeIfPostgres('case list over PostgreSQL', () => suite('postgres'));
