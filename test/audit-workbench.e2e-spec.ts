/**
 * What the auditors' workbench reads over HTTP beyond the audit routes' first use: the events of one
 * request (correlation) and the events one event caused (causedBy), and a signed case file to take away,
 * which the CLI's offline check accepts, within the auditor's territory only, and whose download is logged.
 */
import { verifyBundle } from '@jejak/audit';
import { describeIfPostgres, eventually } from '@jejak/testing';
import request from 'supertest';

import { startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let auditor: string;
  let officer: string;
  beforeAll(async () => {
    api = await startTestApi(kind);
    auditor = await api.token('auditor-1', 'auditor', 'province:32');
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
  });
  afterAll(() => api?.close(), 180_000);
  const http = () => request(api.app.getHttpServer());
  const as = (token: string) => ({
    post: (path: string, body: object) => http().post(path).set('Authorization', `Bearer ${token}`).send(body),
    get: (path: string) => http().get(path).set('Authorization', `Bearer ${token}`),
  });

  it('finds the events of one request and the events an event caused', async () => {
    const reported = (
      await as(officer)
        .post('/preventions', {
          areaCode: VILLAGE,
          source: 'family',
          person: { name: 'Nur', nik: kind === 'pglite' ? '3201014808990001' : '3201014808990002', birthDate: '1999-08-08' },
          flags: [{ flag: 'upfront_payment' }],
        })
        .expect(201)
    ).body;
    const stream = (await as(auditor).get(`/audit/streams/prevention-${reported.id}`).expect(200)).body;
    const opening = stream.items[0];
    expect(opening.id).toMatch(/^[0-9a-f-]{36}$/);
    const sameRequest = (
      await as(auditor)
        .get(`/audit/events?correlation=${encodeURIComponent(opening.metadata.correlationId)}`)
        .expect(200)
    ).body.items;
    // The report, its first warning sign and the person it registered were written by one request.
    expect(sameRequest.map((e: { type: string }) => e.type).sort()).toEqual([
      'NonProceduralRecruitmentReported',
      'SubjectRegistered',
      'WarningFlagRaised',
    ]);
    // An outcome redirecting the person causes a placement, written by a process manager.
    const flagId = (await as(officer).get(`/preventions/${reported.id}`).expect(200)).body.flags[0].flagId;
    await as(officer).post(`/preventions/${reported.id}/flags/${flagId}/confirmation`, {}).expect(200);
    await as(officer).post(`/preventions/${reported.id}/verification`, { result: 'confirmed' }).expect(200);
    await as(officer).post(`/preventions/${reported.id}/outcome`, { outcome: 'redirected_to_legal_placement' }).expect(200);
    const outcome = (await as(auditor).get(`/audit/streams/prevention-${reported.id}`).expect(200)).body.items.find(
      (e: { type: string }) => e.type === 'PreventionOutcomeRecorded',
    );
    const caused = await eventually(async () => {
      const items = (await as(auditor).get(`/audit/events?causedBy=${outcome.id}`).expect(200)).body.items;
      return items.some((e: { type: string }) => e.type === 'PlacementRegistered') ? items : undefined;
    });
    for (const e of caused) expect(e.metadata.causationId).toBe(outcome.id);
    expect(
      (await as(auditor).get('/audit/events?causedBy=not-an-id').expect(400)).body.errors.map((e: { field: string }) => e.field),
    ).toEqual(['causedBy']);
  });

  it('gives an auditor a signed case file that the offline check accepts, logs the download, and refuses one outside the territory', async () => {
    const opened = (
      await as(officer)
        .post('/cases', {
          areaCode: VILLAGE,
          channel: 'hotline',
          categories: ['unpaid_wages'],
          worker: { name: 'Sri' },
          relationship: 'self',
          complaint: 'gaji',
        })
        .expect(201)
    ).body;
    const file = await as(auditor)
      .get(`/audit/streams/case-${opened.id}/case-file`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done(null, text));
      });
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="case-file-case-${opened.id}.json"`);
    const verdict = verifyBundle(file.body as string);
    expect(verdict).toMatchObject({ ok: true, streamId: `case-${opened.id}`, events: 1 });
    // The download is a read of the person the case names: in the access log.
    const log = (
      await as(await api.token('auditor-n', 'auditor', 'national'))
        .get('/audit/access?kind=export')
        .expect(200)
    ).body.items;
    expect(
      log.some((entry: { recordId: string; actorId: string }) => entry.recordId === `case-${opened.id}` && entry.actorId === 'auditor-1'),
    ).toBe(true);
    const far = await api.token('auditor-far', 'auditor', 'province:35');
    expect((await as(far).get(`/audit/streams/case-${opened.id}/case-file`).expect(403)).body.code).toBe('OUT_OF_SCOPE');
    expect((await as(auditor).get(`/audit/streams/case-00000000-0000-4000-8000-000000000000/case-file`).expect(404)).body.code).toBe(
      'STREAM_NOT_FOUND',
    );
    expect((await as(officer).get(`/audit/streams/case-${opened.id}/case-file`).expect(403)).body.code).toBe('ROLE_NOT_ALLOWED');
  });
}

describe('the auditors’ workbench routes over embedded PGlite', () => suite('pglite'));
describeIfPostgres('the auditors’ workbench routes over PostgreSQL', () => suite('postgres'));
