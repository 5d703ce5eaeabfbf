/**
 * The one command path, measured: every command route of the policy table (a POST on a record named by its
 * id), sent with its documented example body to a record that exists, reads that record's stream exactly
 * once: the access check reads only the stream's first event (and remembers it, the area never changes),
 * and the handler folds, builds, decides and appends on that one read. Reads are counted by a spy around
 * the real store of a real API on PGlite, the process managers and projections off so that only the
 * request reads.
 */
import { randomUUID } from 'node:crypto';

import type { EventStore, ReadStreamOptions } from '@jejak/event-store';
import request from 'supertest';

import { POLICY, type RoutePolicy } from '../apps/api/src/access/policy';
import { EVENT_STORE } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';
import { type Doc, exampleOf } from './support/openapi-example';

const VILLAGE = '3201012001';
/** The stream a command route's `:id` names, by the route's first segment. */
const STREAM_OF: Record<string, string> = {
  users: 'user',
  subjects: 'subject',
  'data-subject-requests': 'dsr',
  breaches: 'breach',
  placements: 'placement',
  cases: 'case',
  preventions: 'prevention',
  agencies: 'agency',
  communities: 'community',
  sessions: 'session',
  businesses: 'business',
  'business-groups': 'group',
  kur: 'kur',
};

/** Where the documented example cannot pass as is: a password must not resemble the username; subjects must exist. */
const OVERRIDES: Record<string, (ids: Record<string, string>) => object> = {
  '/users/:id/password': () => ({ password: 'kopi tubruk di pagi hari 2026' }),
  '/breaches/:id/subjects': (ids) => ({ subjectIds: [ids.subjects] }),
  '/sessions/:id/attendees': (ids) => ({ subjectIds: [ids.subjects] }),
  '/business-groups/:id/members': (ids) => ({ subjectId: ids.subjects }),
};

const commandRoutes = (): RoutePolicy[] =>
  POLICY.filter((p) => p.method === 'POST' && /^\/[a-z-]+\/:id\//.test(p.path))
    // Erasure last: it ends what the subject's other routes can do.
    .sort((a, b) => Number(a.path.endsWith('/erasure')) - Number(b.path.endsWith('/erasure')));

describe('the one command path', () => {
  let api: TestApi;
  let doc: Doc;
  const ids: Record<string, string> = {};
  let signId: string;
  const tokens: Record<string, string> = {};
  const reads: { streamId: string; options: ReadStreamOptions | undefined }[] = [];

  beforeAll(async () => {
    api = await startTestApi('pglite', { projector: 'off' });
    const http = () => request(api.app.getHttpServer());
    doc = (await http().get('/docs-json').expect(200)).body;
    tokens.officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    tokens.supervisor = await api.token('supervisor-1', 'supervisor', 'province:32');
    tokens.admin = await api.token('admin-1', 'admin', 'national');
    const as = (role: string, path: string, body: object) => http().post(path).set('Authorization', `Bearer ${tokens[role]}`).send(body);
    ids.cases = (
      await as('officer', '/cases', {
        areaCode: VILLAGE,
        channel: 'walk_in',
        categories: ['unpaid_wages'],
        worker: { name: 'Reads Worker' },
        relationship: 'self',
        complaint: 'gaji',
      }).expect(201)
    ).body.id;
    const placement = await as('officer', '/placements', {
      areaCode: VILLAGE,
      worker: { name: 'Reads Migrant', nik: '3201014501900007', birthDate: '1990-01-05' },
    }).expect(201);
    ids.placements = placement.body.id;
    // A warning sign to resolve: the same passport on a second worker's placement.
    await as('officer', `/placements/${ids.placements}/documents`, {
      kind: 'passport',
      number: 'C7654321',
      issuer: 'Kanim Bandung',
      issuedOn: '2026-01-05',
      expiresOn: '2031-01-05',
    }).expect(201);
    const second = (
      await as('officer', '/placements', {
        areaCode: VILLAGE,
        worker: { name: 'Reads Second', nik: '3201014501900015', birthDate: '1991-02-06' },
      }).expect(201)
    ).body.id;
    const flagged = await as('officer', `/placements/${second}/documents`, {
      kind: 'passport',
      number: 'C7654321',
      issuer: 'Kanim Bandung',
      issuedOn: '2026-01-05',
      expiresOn: '2031-01-05',
    }).expect(201);
    ids['placements-signed'] = second;
    signId = flagged.body.warningSigns[0].signId;
    ids.preventions = (
      await as('officer', '/preventions', { areaCode: VILLAGE, source: 'family', person: { name: 'Reads Person' } }).expect(201)
    ).body.id;
    ids.subjects = (
      await as('officer', '/subjects', { kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', name: 'Reads Subject' }).expect(201)
    ).body.id;
    ids.users = (
      await as('admin', '/users', {
        username: 'reads.officer',
        role: 'officer',
        scopes: [`village:${VILLAGE}`],
        password: 'a long enough password',
      }).expect(201)
    ).body.id;
    ids.agencies = (
      await as('admin', '/agencies', {
        name: 'PT Reads',
        licenceNumber: 'SIP3MI-READS',
        validFrom: '2024-01-01',
        validUntil: '2029-12-31',
      }).expect(201)
    ).body.id;
    ids['data-subject-requests'] = (
      await as('admin', `/subjects/${ids.subjects}/requests`, { kind: 'access', channel: 'in_person' }).expect(201)
    ).body.id;
    ids.communities = (await as('officer', '/communities', { areaCode: VILLAGE, name: 'KKBM Reads' }).expect(201)).body.id;
    ids.businesses = (
      await as('officer', '/businesses', {
        areaCode: VILLAGE,
        name: 'Reads',
        sector: 'trade',
        startedOn: '2025-01-01',
        owners: [ids.subjects],
      }).expect(201)
    ).body.id;
    ids.kur = (
      await as('officer', '/kur', {
        areaCode: VILLAGE,
        applicantSubjectId: ids.subjects,
        bank: 'BRI',
        scheme: 'micro',
        amountRequested: 5_000_000,
      }).expect(201)
    ).body.id;
    ids['business-groups'] = (
      await as('officer', '/business-groups', {
        areaCode: VILLAGE,
        name: 'KUB Reads',
        formedOn: '2025-01-01',
        legalStatus: 'informal',
      }).expect(201)
    ).body.id;
    ids.sessions = (
      await as('officer', '/sessions', {
        areaCode: VILLAGE,
        place: 'Balai desa',
        topics: ['required_documents'],
        peopleReached: 10,
      }).expect(201)
    ).body.id;
    ids.breaches = (
      await as('admin', '/breaches', {
        discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
        cause: 'lost_device',
        dataCategories: ['identity'],
        subjectIds: [ids.subjects],
      }).expect(201)
    ).body.id;

    const store = api.app.get<EventStore>(EVENT_STORE);
    const readStream = store.readStream.bind(store);
    jest.spyOn(store, 'readStream').mockImplementation((streamId: string, options?: ReadStreamOptions) => {
      reads.push({ streamId, options });
      return readStream(streamId, options);
    });
  });
  afterAll(() => api?.close());

  const routes = commandRoutes();

  it('covers every command route of the policy table', () => {
    expect(routes.length).toBeGreaterThan(50);
    for (const route of routes) expect(STREAM_OF[route.path.split('/')[1]!]).toBeDefined();
  });

  it.each(routes.map((r) => [r.path, r] as const))('POST %s reads its stream once', async (_path, route) => {
    const segment = route.path.split('/')[1]!;
    const signed = route.path.includes(':signId');
    const id = ids[signed ? 'placements-signed' : segment]!;
    // Other parts of a record (an action, a flag) need not exist: a refusal after the read counts the same.
    const url = route.path
      .replace(':id', id)
      .replace(':signId', signId)
      .replace(/:\w+/g, () => randomUUID());
    const operation = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.post;
    const schema = operation?.requestBody?.content?.['application/json']?.schema;
    const body = { ...(schema ? (exampleOf(schema, doc) as object) : {}), ...OVERRIDES[route.path]?.(ids) };
    const role = route.access === 'public' || route.access === 'authenticated' ? 'admin' : route.access[0]!;
    reads.length = 0;
    const res = await request(api.app.getHttpServer()).post(url).set('Authorization', `Bearer ${tokens[role]}`).send(body);
    // Refused before the command ran (validation, access, a record it names elsewhere) or run: never a 404 or a 500.
    expect([200, 201, 204, 409, 412, 422]).toContain(res.status);
    const stream = `${STREAM_OF[segment]}-${id}`;
    const folds = reads.filter((r) => r.streamId === stream && r.options?.maxCount === undefined);
    const firstEventOnly = reads.filter((r) => r.streamId === stream && r.options?.maxCount === 1);
    if (res.body.code === 'REFERENCED_RECORD_NOT_FOUND')
      expect(folds).toHaveLength(0); // refused before its own stream
    else expect(folds).toHaveLength(1);
    // The access check: its first event at most, and only the first time this process meets the record.
    expect(firstEventOnly.length).toBeLessThanOrEqual(1);
  });

  // This API runs no projector (JEJAK_PROJECTOR=off) and none has run on its database: the lists, the
  // worklist and the reports are not built. Each says so with a 503 and Retry-After, never a 500.
  it.each(['/cases?limit=20', '/placements', '/preventions', '/worklist', '/communities'])(
    'GET %s before any projector has built the read models: 503 READ_MODELS_NOT_READY',
    async (path) => {
      const res = await request(api.app.getHttpServer()).get(path).set('Authorization', `Bearer ${tokens.officer}`).expect(503);
      expect(res.body.code).toBe('READ_MODELS_NOT_READY');
      expect(res.headers['retry-after']).toBe('5');
    },
  );
});
