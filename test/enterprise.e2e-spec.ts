/**
 * The economic unit over HTTP on the embedded store: a business registered for members on record, its
 * monthly volume reported once and corrected as an event, its status paused and closed; a business group
 * formed, joined and registered as a cooperative; a consultation about businesses. Every refusal is a 4xx
 * that writes nothing; only the economic unit records this work.
 */
import { collectIfAny, type EventStore } from '@jejak/event-store';
import request from 'supertest';

import { EVENT_STORE } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';
const ELSEWHERE = '3302012001';

describe('the economic unit (embedded store)', () => {
  let api: TestApi;
  let officer: string;
  let advocacy: string;
  let outsider: string;
  let supervisor: string;
  beforeAll(async () => {
    api = await startTestApi('pglite');
    officer = await api.officerToken('officer-2', ['economic'], `village:${VILLAGE}`);
    advocacy = await api.officerToken('officer-1', ['info_advocacy'], `village:${VILLAGE}`);
    outsider = await api.token('officer-9', 'officer', `village:${ELSEWHERE}`);
    supervisor = await api.token('supervisor-1', 'supervisor', 'province:32');
  });
  afterAll(() => api?.close());

  const http = () => request(api.app.getHttpServer());
  const post = (path: string, body: object, token = officer) => http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  const get = (path: string, token = officer) => http().get(path).set('Authorization', `Bearer ${token}`);
  const streamOf = (id: string) => collectIfAny(api.app.get<EventStore>(EVENT_STORE).readStream(id));
  const person = async (name: string, area = VILLAGE, token = officer): Promise<string> =>
    (await post('/subjects', { kind: 'worker', areaCode: area, consentBasis: 'consent', name }, token).expect(201)).body.id;
  const business = async (owners: string[]) =>
    (
      await post('/businesses', {
        areaCode: VILLAGE,
        name: 'Keripik Bu Ani',
        sector: 'food_processing',
        startedOn: '2026-02-01',
        owners,
      }).expect(201)
    ).body.id as string;

  it('registers a business, reports its months once, and corrects one as an event', async () => {
    const ani = await person('Ani');
    const id = await business([ani]);
    await post(`/businesses/${id}/volumes`, { month: '2026-03', turnover: 4_500_000, employed: 2 }).expect(200);
    await post(`/businesses/${id}/volumes`, { month: '2026-04', turnover: 5_200_000, employed: 3 }).expect(200);
    expect((await post(`/businesses/${id}/volumes`, { month: '2026-03', turnover: 1, employed: 1 }).expect(409)).body.code).toBe(
      'VOLUME_ALREADY_REPORTED',
    );
    await post(
      `/businesses/${id}/volume-corrections`,
      { month: '2026-03', turnover: 4_800_000, employed: 2, reason: 'one invoice missed' },
      supervisor,
    ).expect(200);
    const view = (await get(`/businesses/${id}`, supervisor).expect(200)).body;
    expect(view).toMatchObject({
      name: 'Keripik Bu Ani',
      sector: 'food_processing',
      status: 'active',
      owners: [ani],
      volumes: [
        { month: '2026-03', turnover: 4_800_000, employed: 2 },
        { month: '2026-04', turnover: 5_200_000, employed: 3 },
      ],
    });
    expect((await streamOf(`business-${id}`)).map((e) => e.type)).toEqual([
      'BusinessRegistered',
      'BusinessVolumeReported',
      'BusinessVolumeReported',
      'BusinessVolumeCorrected',
    ]);
    await post(`/businesses/${id}/status`, { status: 'paused', on: '2026-05-01', reason: 'harvest' }).expect(200);
    await post(`/businesses/${id}/status`, { status: 'closed', reason: 'the owner went abroad' }).expect(200);
    expect((await post(`/businesses/${id}/status`, { status: 'active', reason: 'x' }).expect(409)).body.code).toBe('BUSINESS_CLOSED');
  });

  it('refuses a bad business or report with a 4xx that writes nothing', async () => {
    const ani = await person('Ani B');
    const far = await person('Jauh', ELSEWHERE, outsider);
    const fixed = '0e0e0e0e-0000-4000-8000-000000000001';
    const base = { businessId: fixed, areaCode: VILLAGE, name: 'Warung', sector: 'trade', startedOn: '2026-02-01' };
    for (const [body, status, code] of [
      [{ ...base, owners: [] }, 409, 'OWNER_REQUIRED'],
      [{ ...base, owners: [far] }, 409, 'REFERENCED_RECORD_NOT_FOUND'],
      [{ ...base, owners: [ani], sector: 'mining' }, 400, 'VALIDATION_FAILED'],
      [{ ...base, owners: [ani], startedOn: '2999-01-01' }, 409, 'DATE_IN_FUTURE'],
    ] as const) {
      const res = await post('/businesses', body);
      expect([res.status, res.body.code]).toEqual([status, code]);
    }
    expect(await streamOf(`business-${fixed}`)).toEqual([]);
    const id = await business([ani]);
    for (const [body, status, code] of [
      [{ month: '2026-13', turnover: 1, employed: 1 }, 400, 'VALIDATION_FAILED'],
      [{ month: '2026-03', turnover: -1, employed: 1 }, 400, 'VALIDATION_FAILED'],
      [{ month: '2026-03', turnover: 1.5, employed: 1 }, 400, 'VALIDATION_FAILED'],
      [{ month: '2026-01', turnover: 1, employed: 1 }, 409, 'MONTH_BEFORE_START'],
      [{ month: '2999-01', turnover: 1, employed: 1 }, 409, 'MONTH_NOT_OVER'],
    ] as const) {
      const res = await post(`/businesses/${id}/volumes`, body);
      expect([res.status, res.body.code]).toEqual([status, code]);
    }
    expect((await streamOf(`business-${id}`)).map((e) => e.type)).toEqual(['BusinessRegistered']);
    // Only the economic unit records it; every officer of the village reads it; nobody outside does.
    expect((await post('/businesses', { ...base, businessId: undefined, owners: [ani] }, advocacy).expect(403)).body.code).toBe(
      'UNIT_NOT_ALLOWED',
    );
    await get(`/businesses/${id}`, advocacy).expect(200);
    expect((await get(`/businesses/${id}`, outsider).expect(403)).body.code).toBe('OUT_OF_SCOPE');
  });

  it('forms a group, admits and lets go of members, and registers it as a cooperative', async () => {
    const [a, b] = [await person('Citra'), await person('Dedi')];
    const created = await post('/business-groups', {
      areaCode: VILLAGE,
      name: 'KUB Maju',
      formedOn: '2026-01-10',
      legalStatus: 'informal',
    }).expect(201);
    const id = created.body.id as string;
    await post(`/business-groups/${id}/members`, { subjectId: a, on: '2026-02-01' }).expect(200);
    await post(`/business-groups/${id}/members`, { subjectId: b, on: '2026-02-01' }).expect(200);
    await post(`/business-groups/${id}/members/${b}/leaving`, { on: '2026-03-01' }).expect(200);
    await post(`/business-groups/${id}/cooperative`, { registrationNumber: 'AHU-0001234.AH.01.26', on: '2026-04-01' }).expect(200);
    expect((await get(`/business-groups/${id}`, supervisor).expect(200)).body).toMatchObject({
      name: 'KUB Maju',
      legalStatus: 'cooperative',
      registrationNumber: 'AHU-0001234.AH.01.26',
      members: [a],
    });
    expect((await post(`/business-groups/${id}/cooperative`, { registrationNumber: 'AHU-9' }).expect(409)).body.code).toBe(
      'ALREADY_COOPERATIVE',
    );
    const coop = await post('/business-groups', { areaCode: VILLAGE, name: 'Koperasi', legalStatus: 'cooperative' });
    expect([coop.status, coop.body.code]).toEqual([409, 'REGISTRATION_NUMBER_REQUIRED']);
  });

  it('records a consultation about businesses of the village, and refuses one about a business it cannot see', async () => {
    const id = await business([await person('Eka')]);
    const res = await post('/consultations', {
      areaCode: VILLAGE,
      heldOn: '2026-05-02',
      agency: 'bank',
      topic: 'credit_access',
      businesses: [id],
    }).expect(201);
    expect((await get(`/consultations/${res.body.id}`, supervisor).expect(200)).body).toMatchObject({
      agency: 'bank',
      topic: 'credit_access',
      businesses: [id],
    });
    const listed = async (query: string) =>
      (await get(`/consultations?${query}`, supervisor).set('X-Min-Position', res.body.position).expect(200)).body.items as {
        id: string;
      }[];
    expect((await listed('agency=bank')).find((c) => c.id === res.body.id)).toMatchObject({ topic: 'credit_access', businesses: [id] });
    expect((await listed('agency=university')).map((c) => c.id)).not.toContain(res.body.id);
    const unknown = await post('/consultations', {
      areaCode: VILLAGE,
      agency: 'bank',
      topic: 'credit_access',
      businesses: ['0f0f0f0f-0000-4000-8000-000000000001'],
    });
    expect([unknown.status, unknown.body.code]).toEqual([409, 'REFERENCED_RECORD_NOT_FOUND']);
  });

  it('follows a KUR application with its amounts sealed for the applicant, counted apart, and erased with them', async () => {
    const admin = await api.token('admin-1', 'admin', 'national');
    const fitri = await person('Fitri');
    const bid = await business([fitri]);
    const applied = await post('/kur', {
      areaCode: VILLAGE,
      applicantSubjectId: fitri,
      businessId: bid,
      bank: 'BRI',
      scheme: 'micro',
      amountRequested: 25_000_000,
      appliedOn: '2026-04-02',
    }).expect(201);
    const id = applied.body.id as string;
    expect((await post(`/kur/${id}/disbursement`, { amount: 1, on: '2026-04-03' }).expect(409)).body.code).toBe('KUR_NOT_APPROVED');
    await post(`/kur/${id}/approval`, { amount: 20_000_000, on: '2026-04-10' }).expect(200);
    await post(`/kur/${id}/disbursement`, { amount: 20_000_000, on: '2026-04-15' }).expect(200);
    const repaid = await post(`/kur/${id}/repayment`, { status: 'late', on: '2026-06-01' }).expect(200);
    // The list shows the application's steps and days, and never an amount.
    const listed = (await get(`/kur?subject=${fitri}`, supervisor).set('X-Min-Position', repaid.body.position).expect(200)).body.items;
    expect(listed).toEqual([
      {
        id,
        areaCode: VILLAGE,
        applicantSubjectId: fitri,
        businessId: bid,
        bank: 'BRI',
        scheme: 'micro',
        appliedOn: '2026-04-02',
        approvedOn: '2026-04-10',
        refusedOn: null,
        disbursedOn: '2026-04-15',
        repayment: 'late',
        status: 'disbursed',
        revision: expect.any(String),
      },
    ]);
    const page = async (query: string) => (await get(`/kur?${query}`).set('X-Min-Position', repaid.body.position).expect(200)).body.items;
    expect((await page('status=disbursed&disbursedFrom=2026-04-01&disbursedTo=2026-04-30')).map((k: { id: string }) => k.id)).toContain(id);
    expect((await page('status=applied&disbursedFrom=2026-04-01')).map((k: { id: string }) => k.id)).not.toContain(id);
    expect(await page('appliedTo=2026-04-01')).toEqual([]);
    expect((await get('/kur?status=granted').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await get(`/kur/${id}`, supervisor).expect(200)).body).toMatchObject({
      applicantSubjectId: fitri,
      businessId: bid,
      bank: 'BRI',
      scheme: 'micro',
      amountRequested: 25_000_000,
      status: 'disbursed',
      amountApproved: 20_000_000,
      amountDisbursed: 20_000_000,
      disbursedOn: '2026-04-15',
      repayment: 'late',
    });
    // No amount in the application's events; the village's statistics have the amounts and no id.
    const own = JSON.stringify((await streamOf(`kur-${id}`)).map((e) => e.data));
    expect(own).not.toMatch(/25000000|20000000/);
    const stats = await streamOf(`kurstats-${VILLAGE}`);
    expect(stats.map((e) => e.data)).toEqual([
      { areaCode: VILLAGE, day: '2026-04-02', kind: 'requested', amount: 25_000_000 },
      { areaCode: VILLAGE, day: '2026-04-10', kind: 'approved', amount: 20_000_000 },
      { areaCode: VILLAGE, day: '2026-04-15', kind: 'disbursed', amount: 20_000_000 },
    ]);
    expect(JSON.stringify(stats.map((e) => e.data))).not.toContain(fitri);
    // A refused step counts nothing; an unknown application is a 404; another unit may not record it.
    await post(`/kur/${id}/approval`, { amount: 5 }).expect(409);
    expect(await streamOf(`kurstats-${VILLAGE}`)).toHaveLength(3);
    await post('/kur/0a0a0a0a-0000-4000-8000-000000000001/approval', { amount: 5 }).expect(404);
    const other = await post(
      '/kur',
      { areaCode: VILLAGE, applicantSubjectId: fitri, bank: 'BRI', scheme: 'micro', amountRequested: 1 },
      advocacy,
    );
    expect([other.status, other.body.code]).toEqual([403, 'UNIT_NOT_ALLOWED']);
    // The applicant's access report lists the credit; their erasure closes the amounts, the statistics stay.
    const report = (await get(`/subjects/${fitri}/report`, admin).expect(200)).body;
    expect(report.records).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'kur', id, roles: ['applicant'] })]));
    await post(`/subjects/${fitri}/erasure`, { reason: 'request of the person', legalBasis: 'UU 27/2022 art. 8' }, admin).expect(200);
    expect((await get(`/kur/${id}`, supervisor).expect(200)).body).toMatchObject({
      amountRequested: null,
      amountApproved: null,
      amountDisbursed: null,
    });
    expect(await streamOf(`kurstats-${VILLAGE}`)).toHaveLength(3);
  });
});
