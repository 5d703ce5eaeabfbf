/**
 * The controller's duties of Law 27/2022 that are records of their own: consent withdrawn for a purpose
 * (processing for it stops; what is kept is said, and why), data-subject requests with their 3 × 24-hour
 * deadline and answer, and breach notices. Each step an audited event.
 */
import { collect, type EventStore } from '@jejak/event-store';
import { describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { EVENT_STORE } from '../apps/api/src/tokens';
import { CapturingLogger, startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';
const HOUR = 3_600_000;

function suite(kind: 'pglite' | 'postgres' | 'kurrentdb'): void {
  let api: TestApi;
  let logger: CapturingLogger;
  let officer: string;
  let admin: string;
  let worker: string;
  let caseId: string;
  const answerText = `jawaban surat untuk Bu Wulan ${kind}`;

  beforeAll(async () => {
    logger = new CapturingLogger();
    api = await startTestApi(kind, { logger });
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    admin = await api.token('admin-1', 'admin', 'national');
    const opened = await as(officer, http().post('/cases'))
      .send({
        areaCode: VILLAGE,
        channel: 'walk_in',
        categories: ['unpaid_wages'],
        worker: { name: `Wulan ${kind}` },
        relationship: 'self',
        destinationCountry: 'MY',
        complaint: 'gaji',
      })
      .expect(201);
    caseId = opened.body.id;
    worker = (await as(officer, http().get(`/cases/${caseId}`)).expect(200)).body.worker.subjectId;
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const as = (token: string, req: request.Test) => req.set('Authorization', `Bearer ${token}`);
  const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();
  const stream = async (id: string) => collect(api.app.get<EventStore>(EVENT_STORE).readStream(id));

  it('records data-subject requests with their deadline; overdue ones are on the admins’ list until answered', async () => {
    const late = await as(admin, http().post(`/subjects/${worker}/requests`))
      .set('X-Occurred-At', ago(80))
      .send({ kind: 'access', channel: 'letter' })
      .expect(201);
    const fresh = await as(admin, http().post(`/subjects/${worker}/requests`))
      .send({ kind: 'correction', channel: 'walk-in' })
      .expect(201);
    const overdue = (await as(admin, http().get('/data-subject-requests').query({ status: 'overdue' })).expect(200)).body.items;
    expect(overdue.map((r: { id: string }) => r.id)).toEqual([late.body.id]);
    expect(overdue[0]).toMatchObject({ subjectId: worker, kind: 'access', status: 'open', overdue: true, answer: null });
    expect(Date.parse(overdue[0].dueAt) - Date.parse(overdue[0].receivedAt)).toBe(72 * HOUR);
    const open = (await as(admin, http().get('/data-subject-requests')).expect(200)).body.items.map((r: { id: string }) => r.id);
    expect(open).toEqual([late.body.id, fresh.body.id]); // soonest deadline first

    await as(admin, http().post(`/data-subject-requests/${late.body.id}/answer`))
      .send({ outcome: 'fulfilled', answer: answerText })
      .expect(200);
    expect(
      (
        await as(admin, http().post(`/data-subject-requests/${late.body.id}/answer`))
          .send({ outcome: 'refused', answer: 'x' })
          .expect(409)
      ).body.code,
    ).toBe('REQUEST_ANSWERED');
    const answered = (await as(admin, http().get('/data-subject-requests').query({ status: 'answered' })).expect(200)).body.items;
    expect(answered).toEqual([
      expect.objectContaining({
        id: late.body.id,
        status: 'answered',
        overdue: false,
        answer: expect.objectContaining({ outcome: 'fulfilled', late: true, answeredBy: 'admin-1' }),
      }),
    ]);
    expect((await as(admin, http().get('/data-subject-requests').query({ status: 'overdue' })).expect(200)).body.items).toEqual([]);
    // The answer is about the person: sealed in the log.
    const events = await stream(`dsr-${late.body.id}`);
    expect(events.map((e) => [e.type, e.metadata.actorId])).toEqual([
      ['DataSubjectRequestReceived', 'admin-1'],
      ['DataSubjectRequestAnswered', 'admin-1'],
    ]);
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain('Wulan');
    // Admins only; an unknown person or request is a 404; a made-up kind a 400.
    await as(officer, http().get('/data-subject-requests')).expect(403);
    await as(admin, http().post('/subjects/00000000-0000-4000-8000-000000000001/requests'))
      .send({ kind: 'access', channel: 'letter' })
      .expect(404);
    await as(admin, http().post('/data-subject-requests/00000000-0000-4000-8000-000000000001/answer'))
      .send({ outcome: 'fulfilled', answer: 'x' })
      .expect(404);
    await as(admin, http().post(`/subjects/${worker}/requests`))
      .send({ kind: 'forget_me', channel: 'letter' })
      .expect(400);
  });

  it('records a breach and its written notice, due 3 × 24 hours after discovery', async () => {
    const recorded = await as(admin, http().post('/breaches'))
      .send({ discoveredAt: ago(75), cause: 'lost_device', dataCategories: ['identity', 'contact'], subjectIds: [worker] })
      .expect(201);
    const id = recorded.body.id;
    let breach = (await as(admin, http().get('/breaches')).expect(200)).body.items.find((b: { id: string }) => b.id === id);
    expect(breach).toMatchObject({ cause: 'lost_device', subjectIds: [worker], noticeOverdue: true, notices: [] });
    await as(admin, http().post(`/breaches/${id}/subjects`))
      .send({ subjectIds: [worker] })
      .expect(200); // already listed: nothing written
    await as(admin, http().post(`/breaches/${id}/notices`))
      .send({ recipient: 'subjects', reference: 'Surat No. 12/KKBM/XII/2026' })
      .expect(200);
    expect(
      (
        await as(admin, http().post(`/breaches/${id}/notices`))
          .send({ recipient: 'subjects', reference: 'again' })
          .expect(409)
      ).body.code,
    ).toBe('NOTICE_ALREADY_SENT');
    breach = (await as(admin, http().get('/breaches')).expect(200)).body.items.find((b: { id: string }) => b.id === id);
    expect(breach).toMatchObject({ noticeOverdue: false, notices: [expect.objectContaining({ recipient: 'subjects', late: true })] });
    expect((await stream(`breach-${id}`)).map((e) => e.type)).toEqual(['PersonalDataBreachRecorded', 'BreachNoticeSent']);
    // A bare day is refused (which hour would the deadline run from?), and officers do not record breaches.
    await as(admin, http().post('/breaches'))
      .send({ discoveredAt: '2026-11-30', cause: 'lost_device', dataCategories: ['identity'], subjectIds: [] })
      .expect(400);
    await as(officer, http().post('/breaches'))
      .send({ discoveredAt: ago(1), cause: 'lost_device', dataCategories: ['identity'], subjectIds: [] })
      .expect(403);
  });

  it('stops processing for a purpose whose consent is withdrawn, says what is kept and why, and still lets the record end', async () => {
    const withdrawn = await as(admin, http().post(`/subjects/${worker}/consent-withdrawal`))
      .send({ purpose: 'case_accompaniment' })
      .expect(200);
    expect(withdrawn.body).toMatchObject({
      id: worker,
      purpose: 'case_accompaniment',
      retained: [{ kind: 'case', id: caseId, basis: expect.stringContaining('Law 27/2022') }],
    });
    expect(Date.parse(withdrawn.body.stopsBy) - Date.now()).toBeLessThanOrEqual(72 * HOUR);
    const refused = await as(officer, http().post(`/cases/${caseId}/notes`))
      .send({ text: 'one more call' })
      .expect(409);
    expect(refused.body.code).toBe('CONSENT_WITHDRAWN');
    // Backdating the step to before the withdrawal does not get round it: processing happens now.
    await as(officer, http().post(`/cases/${caseId}/notes`))
      .set('X-Occurred-At', ago(2))
      .send({ text: 'backdated' })
      .expect(409);
    await as(officer, http().post(`/cases/${caseId}/suspension`))
      .send({ reason: 'consent withdrawn' })
      .expect(200); // ending it is allowed
    expect(
      (
        await as(admin, http().post(`/subjects/${worker}/consent-withdrawal`))
          .send({ purpose: 'case_accompaniment' })
          .expect(409)
      ).body.code,
    ).toBe('CONSENT_ALREADY_WITHDRAWN');
    expect((await stream(`subject-${worker}`)).filter((e) => e.type === 'SubjectConsentWithdrawn')).toHaveLength(1);
  });

  it('logged nothing personal', () => {
    for (const secret of [`Wulan ${kind}`, answerText]) expect(logger.lines.join('\n')).not.toContain(secret);
  });
}

describe('privacy duties over embedded PGlite', () => suite('pglite'));
describeIfPostgres('privacy duties over PostgreSQL', () => suite('postgres'));
describeIfPostgres('privacy duties over KurrentDB (events) and PostgreSQL (read models)', () => suite('kurrentdb'));
