/**
 * The route x role x scope matrix, generated from the policy table the routes declare with `@Allow`: every route refuses a missing or
 * invalid token (401), a role it does not allow and a scope that does not cover the record (403), and lets
 * the allowed ones through. It also proves the table and the routes agree, so no route escapes it.
 */
import { type Role, ROLES, UNITS } from '@jejak/kernel';
import { describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { POLICY, type RoutePolicy, ROUTES } from '../apps/api/src/access/policy';
import { startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';
/** A scope covering VILLAGE, and one that does not, for each role. */
const IN_SCOPE: Record<Role, string> = {
  officer: `village:${VILLAGE}`,
  supervisor: 'province:32',
  auditor: 'district:320101',
  admin: 'national',
};
const OUT_OF_SCOPE: Record<Role, string> = {
  officer: 'village:3302012001',
  supervisor: 'province:33',
  auditor: 'regency:3302',
  admin: 'province:33',
};

/** A valid body for each route, so that an allowed call gets past validation. */
function bodyFor(policy: RoutePolicy, n: number): object | undefined {
  switch (`${policy.method} ${policy.path}`) {
    case 'POST /auth/login':
      return { username: 'nobody', password: 'not the password' };
    case 'POST /users':
      return { username: `matrix.user${n}`, role: 'officer', scopes: [`village:${VILLAGE}`], password: 'a long enough password' };
    case 'POST /users/:id/role':
      return { role: 'officer', scopes: [`village:${VILLAGE}`], reason: 'matrix' };
    case 'POST /users/:id/password':
      return { password: 'another long password' };
    case 'POST /users/:id/disable':
    case 'POST /users/:id/enable':
    case 'POST /subjects/:id/legal-hold/release':
      return { reason: 'matrix' };
    case 'POST /subjects':
      return { kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', name: `Matrix Person ${n}` };
    case 'POST /subjects/lookup':
      return { nik: '3201010101900001' };
    case 'POST /subjects/:id/corrections':
      return { phone: '+62 811 000 000', reason: 'matrix' };
    case 'POST /subjects/:id/legal-hold':
      return { reason: 'matrix', legalBasis: 'test' };
    case 'POST /subjects/:id/erasure':
      return { reason: 'matrix', legalBasis: 'test' };
    case 'POST /placements':
      return {
        areaCode: VILLAGE,
        worker: { name: `Matrix Worker ${n}`, nik: `320101450190${String(1000 + n).slice(-4)}`, birthDate: '1990-01-05' },
      };
    case 'POST /cases':
      return {
        areaCode: VILLAGE,
        channel: 'walk_in',
        categories: ['unpaid_wages'],
        worker: { name: `Matrix Case Worker ${n}` },
        relationship: 'self',
        destinationCountry: 'MY',
        complaint: 'unpaid for three months',
      };
    case 'POST /preventions':
      return { areaCode: VILLAGE, source: 'family', destinationCountry: 'KH', description: 'sponsor visited' };
    case 'POST /agencies':
      return { name: `PT Matrix ${n}`, licenceNumber: `SIP3MI-${n}`, validFrom: '2024-01-01', validUntil: '2029-12-31' };
    case 'POST /communities':
      return { areaCode: VILLAGE, name: `KKBM Matrix ${n}` };
    case 'POST /sessions':
      return { areaCode: VILLAGE, place: 'Balai desa', topics: ['required_documents'], peopleReached: 10 };
    case 'POST /enquiries':
      return { areaCode: VILLAGE, channel: 'walk_in', topic: 'required_documents', outcome: 'answered' };
    case 'POST /businesses':
      return { areaCode: VILLAGE, name: `Usaha ${n}`, sector: 'trade', owners: [] };
    case 'POST /business-groups':
      return { areaCode: VILLAGE, name: `KUB ${n}`, legalStatus: 'informal' };
    case 'POST /kur':
      return {
        areaCode: VILLAGE,
        applicantSubjectId: '00000000-0000-4000-8000-000000000009',
        bank: 'BRI',
        scheme: 'micro',
        amountRequested: 1,
      };
    case 'POST /kur/:id/approval':
    case 'POST /kur/:id/disbursement':
      return { amount: 1000 };
    case 'POST /kur/:id/refusal':
      return { reason: 'matrix' };
    case 'POST /kur/:id/repayment':
      return { status: 'late' };
    case 'POST /consultations':
      return { areaCode: VILLAGE, agency: 'bank', topic: 'credit_access', businesses: [] };
    case 'POST /information-topics':
      return { code: `matrix_topic_${n}`, name: { id: 'Topik', en: 'Topic' } };
    default:
      return policy.method === 'POST' ? {} : undefined;
  }
}

function matrix(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let userId: string;
  let subjectId: string;
  let placementId: string;
  let agencyId: string;
  let caseId: string;
  let preventionId: string;
  let communityId: string;
  let sessionId: string;
  let enquiryId: string;
  let businessId: string;
  let groupId: string;
  let consultationId: string;
  let kurId: string;
  let counter = 0;

  beforeAll(async () => {
    api = await startTestApi(kind);
    const admin = await api.token('admin-1', 'admin', 'national');
    const officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    const http = request(api.app.getHttpServer());
    userId = (
      await http
        .post('/users')
        .set('Authorization', `Bearer ${admin}`)
        .send(bodyFor({ method: 'POST', path: '/users', access: [] }, 0))
        .expect(201)
    ).body.id;
    subjectId = (
      await http
        .post('/subjects')
        .set('Authorization', `Bearer ${officer}`)
        .send({ kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', name: 'Fixture' })
        .expect(201)
    ).body.id;
    placementId = (
      await http
        .post('/placements')
        .set('Authorization', `Bearer ${officer}`)
        .send({ areaCode: VILLAGE, worker: { name: 'Fixture Worker', nik: '3201014501909999', birthDate: '1990-01-05' } })
        .expect(201)
    ).body.id;
    caseId = (
      await http
        .post('/cases')
        .set('Authorization', `Bearer ${officer}`)
        .send(bodyFor({ method: 'POST', path: '/cases', access: [] }, 0))
        .expect(201)
    ).body.id;
    preventionId = (
      await http
        .post('/preventions')
        .set('Authorization', `Bearer ${officer}`)
        .send(bodyFor({ method: 'POST', path: '/preventions', access: [] }, 0))
        .expect(201)
    ).body.id;
    communityId = (
      await http
        .post('/communities')
        .set('Authorization', `Bearer ${officer}`)
        .send(bodyFor({ method: 'POST', path: '/communities', access: [] }, 0))
        .expect(201)
    ).body.id;
    sessionId = (
      await http
        .post('/sessions')
        .set('Authorization', `Bearer ${officer}`)
        .send(bodyFor({ method: 'POST', path: '/sessions', access: [] }, 0))
        .expect(201)
    ).body.id;
    enquiryId = (
      await http
        .post('/enquiries')
        .set('Authorization', `Bearer ${officer}`)
        .send(bodyFor({ method: 'POST', path: '/enquiries', access: [] }, 0))
        .expect(201)
    ).body.id;
    businessId = (
      await http
        .post('/businesses')
        .set('Authorization', `Bearer ${officer}`)
        .send({ areaCode: VILLAGE, name: 'Fixture', sector: 'trade', startedOn: '2025-01-01', owners: [subjectId] })
        .expect(201)
    ).body.id;
    groupId = (
      await http
        .post('/business-groups')
        .set('Authorization', `Bearer ${officer}`)
        .send(bodyFor({ method: 'POST', path: '/business-groups', access: [] }, 0))
        .expect(201)
    ).body.id;
    consultationId = (
      await http
        .post('/consultations')
        .set('Authorization', `Bearer ${officer}`)
        .send({ areaCode: VILLAGE, agency: 'bank', topic: 'credit_access', businesses: [businessId] })
        .expect(201)
    ).body.id;
    kurId = (
      await http
        .post('/kur')
        .set('Authorization', `Bearer ${officer}`)
        .send({ areaCode: VILLAGE, applicantSubjectId: subjectId, bank: 'BRI', scheme: 'micro', amountRequested: 5_000_000 })
        .expect(201)
    ).body.id;
    agencyId = (
      await http
        .post('/agencies')
        .set('Authorization', `Bearer ${admin}`)
        .send({ name: 'PT Fixture', licenceNumber: 'SIP3MI-0', validFrom: '2024-01-01', validUntil: '2029-12-31' })
        .expect(201)
    ).body.id;
  });
  afterAll(() => api?.close());

  const call = (policy: RoutePolicy, token?: string) => {
    const ids: Record<string, string> = {
      admin: '',
      users: userId,
      subjects: subjectId,
      placements: placementId,
      agencies: agencyId,
      cases: caseId,
      preventions: preventionId,
      communities: communityId,
      sessions: sessionId,
      enquiries: enquiryId,
      businesses: businessId,
      'business-groups': groupId,
      consultations: consultationId,
      kur: kurId,
    };
    const path = policy.path
      .replace(':id', ids[policy.path.split('/')[1]!]!)
      .replace(/:(actionId|flagId|interventionId)/, '00000000-0000-4000-8000-000000000001')
      .replace(':subjectId', subjectId)
      .replace(':name', 'cases')
      .replace(':stream', `case-${caseId}`);
    const http = request(api.app.getHttpServer());
    let req = policy.method === 'GET' ? http.get(path) : http.post(path);
    if (token) req = req.set('Authorization', `Bearer ${token}`);
    const body = bodyFor(policy, ++counter);
    return body ? req.send(body) : req;
  };

  it('every route declares its access rule beside its handler', () => {
    expect(ROUTES.filter((route) => route.access === undefined).map((route) => `${route.method} ${route.path}`)).toEqual([]);
    expect(POLICY.length).toBe(ROUTES.length);
  });

  it('has exactly one policy entry for every route the API serves', () => {
    const router = api.app.getHttpAdapter().getInstance().router as {
      stack: { route?: { path: string; methods: Record<string, boolean> } }[];
    };
    const served = router.stack
      .filter((layer) => layer.route)
      .flatMap((layer) => Object.keys(layer.route!.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`));
    const declared = POLICY.map((p) => `${p.method} ${p.path}`);
    // The OpenAPI pages are mounted on Express directly by @nestjs/swagger, outside Nest's routing and
    // guards: public documentation by design, and nothing else may be.
    const outsideNest = [...new Set(served)].filter((route) => /^GET \/docs(\/|-json|-yaml|$)/.test(route));
    const nest = [...new Set(served)].filter((route) => !outsideNest.includes(route));
    expect(nest.sort()).toEqual([...declared].sort());
    expect(new Set(declared).size).toBe(declared.length);
  });

  describe.each(POLICY.map((p) => [`${p.method} ${p.path}`, p] as const))('%s', (_name, policy) => {
    if (policy.access === 'public') {
      it('is public', async () => {
        const res = await call(policy);
        // It may refuse the request for its own reasons (bad credentials), never for the missing token.
        expect(['TOKEN_MISSING', 'TOKEN_INVALID', 'ROLE_NOT_ALLOWED', 'OUT_OF_SCOPE']).not.toContain(res.body.code);
        expect(res.status).toBeLessThan(500);
      });
      return;
    }

    it('refuses a missing or invalid token with 401', async () => {
      expect((await call(policy)).status).toBe(401);
      expect((await call(policy, 'not.a.token')).status).toBe(401);
      const forged = `${(await api.token('x', 'admin', 'national')).slice(0, -3)}abc`;
      expect((await call(policy, forged)).status).toBe(401);
    });

    it.each(ROLES.map((r) => [r]))('as %s', async (role) => {
      const allowed = policy.access === 'authenticated' || policy.access.includes(role);
      const inScope = await call(policy, await api.token(`${role}-1`, role, IN_SCOPE[role]));
      if (!allowed) {
        expect(inScope.status).toBe(403);
        expect(inScope.body.code).toBe('ROLE_NOT_ALLOWED');
        return;
      }
      expect([401, 403]).not.toContain(inScope.status);
      expect(inScope.status).toBeLessThan(500);
      if (policy.scope) {
        const outOfScope = await call(policy, await api.token(`${role}-2`, role, OUT_OF_SCOPE[role]));
        expect(outOfScope.status).toBe(403);
        expect(outOfScope.body.code).toBe('OUT_OF_SCOPE');
      }
    });

    if (policy.unit && policy.access !== 'authenticated' && policy.access.includes('officer')) {
      const unit = policy.unit;
      it(`is recorded by the ${unit} unit alone`, async () => {
        const other = UNITS.filter((u) => u !== unit);
        const outsider = await call(policy, await api.officerToken('officer-3', other, IN_SCOPE.officer));
        expect(outsider.status).toBe(403);
        expect(outsider.body.code).toBe('UNIT_NOT_ALLOWED');
        const insider = await call(policy, await api.officerToken('officer-4', [unit], IN_SCOPE.officer));
        expect([401, 403]).not.toContain(insider.status);
        expect(insider.status).toBeLessThan(500);
      });
    }
  });

  it('names the unit that records each workflow on every route that writes it, and on no read', () => {
    const unitOf = (prefix: string) =>
      POLICY.filter((p) => p.path.startsWith(prefix) && p.access !== 'public').map((p) => [p.method, p.path, p.unit] as const);
    for (const prefix of ['/cases', '/placements', '/preventions']) {
      const rows = unitOf(prefix);
      expect(rows.filter(([method]) => method === 'POST').every(([, , unit]) => unit === 'info_advocacy')).toBe(true);
      expect(rows.filter(([method]) => method === 'GET').every(([, , unit]) => unit === undefined)).toBe(true);
    }
    expect(unitOf('/communities').every(([, , unit]) => unit === undefined)).toBe(true);
  });
}

describe('access matrix over embedded PGlite', () => matrix('pglite'));
describeIfPostgres('access matrix over PostgreSQL', () => matrix('postgres'));
