/**
 * Placement facilitation over HTTP, as an officer would walk a worker through it: registration to
 * departure and return, every refusal a 409 with its code and nothing written, the HTTP conventions
 * (If-Match, Idempotency-Key, problem+json), scope, history with actors and evidence, and state as of a
 * past instant.
 */
import { randomUUID } from 'node:crypto';

import type { EventStore } from '@jejak/event-store';
import { collect, describeIfPostgres, eventually } from '@jejak/testing';
import request from 'supertest';

import { EVENT_STORE } from '../apps/api/src/tokens';
import { CapturingLogger, startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';

function suite(kind: 'pglite' | 'postgres' | 'kurrentdb'): void {
  let api: TestApi;
  let logger: CapturingLogger;
  const sentNiks: string[] = [];
  let officer: string;
  let otherOfficer: string;
  let admin: string;
  let auditor: string;
  let agencyId: string;
  let n = 0;
  const nik = (): string => {
    const value = `32010145019${kind === 'pglite' ? '1' : '2'}${String(1000 + ++n).slice(-4)}`;
    sentNiks.push(value);
    return value;
  };

  beforeAll(async () => {
    logger = new CapturingLogger();
    api = await startTestApi(kind, { logger });
    officer = await api.token('officer-siti', 'officer', `village:${VILLAGE}`);
    otherOfficer = await api.token('officer-budi', 'officer', 'village:3302012001');
    admin = await api.token('admin-1', 'admin', 'national');
    auditor = await api.token('auditor-1', 'auditor', 'province:32');
    agencyId = (
      await request(api.app.getHttpServer())
        .post('/agencies')
        .set('Authorization', `Bearer ${admin}`)
        .send({ name: 'PT Maju Bersama', licenceNumber: 'SIP3MI 123/2024', validFrom: '2024-01-01', validUntil: '2029-12-31' })
        .expect(201)
    ).body.id;
    await request(api.app.getHttpServer())
      .post(`/agencies/${agencyId}/recruitment-permits`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ permitNumber: 'SIP2MI 0042/2026', destinationCountry: 'MY', validFrom: '2026-01-01', validUntil: '2027-12-31' })
      .expect(200);
  });
  afterAll(() => api?.close());

  const http = () => request(api.app.getHttpServer());
  const as = (token: string, req: request.Test) => req.set('Authorization', `Bearer ${token}`);
  const post = (path: string, body: object, token = officer) => as(token, http().post(path)).send(body);
  const eventCount = async (id: string) => (await collect(api.app.get<EventStore>(EVENT_STORE).readStream(`placement-${id}`))).length;
  const register = (extra: object = {}) =>
    post('/placements', {
      areaCode: VILLAGE,
      worker: { name: 'Siti Aminah', nik: nik(), birthDate: '1998-04-12', phone: '+62 812 1111 2222' },
      on: '2026-01-10',
      ...extra,
    });
  const document = async (id: string, kind: string, extra: object = {}) =>
    (
      await post(`/placements/${id}/documents`, {
        kind,
        number: `${kind.toUpperCase()}-${randomUUID().slice(0, 8)}`,
        issuer: 'issuer',
        issuedOn: '2026-01-15',
        expiresOn: '2030-01-01',
        on: '2026-01-15',
        ...extra,
      }).expect(201)
    ).body.documentId as string;

  /** Every document of Article 13 that the steps to departure rely on, recorded on the placement. */
  const recordDocuments = async (id: string, passportNumber: string, jobOrderNumber: string) => ({
    hc: await document(id, 'health_certificate', { healthResult: 'fit' }),
    cc: await document(id, 'competency_certificate'),
    pa: await document(id, 'placement_agreement'),
    fp: await document(id, 'family_permission', { acknowledgedByVillageHead: true }),
    ms: await document(id, 'marital_status_letter'),
    ss: await document(id, 'social_security_card'),
    pp: await document(id, 'passport', { number: passportNumber, issuer: 'Kantor Imigrasi Bogor' }),
    wv: await document(id, 'work_visa', { expiresOn: '2027-06-01' }),
    ec: await document(id, 'employment_contract', { jobOrderNumber }),
    oc: await document(id, 'orientation_certificate'),
  });
  /** The steps between selection and departure, in March 2026. */
  const prepareForDeparture = async (id: string, docs: Awaited<ReturnType<typeof recordDocuments>>) => {
    await post(`/placements/${id}/medical-clearance`, { documentId: docs.hc, on: '2026-03-01' }).expect(200);
    await post(`/placements/${id}/competency-certification`, { documentId: docs.cc, on: '2026-03-02' }).expect(200);
    await post(`/placements/${id}/placement-agreement`, {
      agreementDocumentId: docs.pa,
      familyPermissionDocumentId: docs.fp,
      maritalStatusDocumentId: docs.ms,
      ltsa: 'LTSA Kabupaten Bogor',
      on: '2026-03-03',
    }).expect(200);
    await post(`/placements/${id}/social-security-enrollment`, { documentId: docs.ss, on: '2026-03-04' }).expect(200);
    await post(`/placements/${id}/documents-completion`, {
      passportDocumentId: docs.pp,
      visaDocumentId: docs.wv,
      contractDocumentId: docs.ec,
      on: '2026-03-05',
    }).expect(200);
    await post(`/placements/${id}/orientation`, { documentId: docs.oc, place: 'BP3MI Jawa Barat', on: '2026-03-06' }).expect(200);
  };

  it('walks a worker from registration to departure and return, with history, evidence and past states', async () => {
    const created = await register().expect(201);
    const id = created.body.id as string;
    expect(created.headers.location).toBe(`/placements/${id}`);
    expect(created.body.revision).toBe(0);

    const docs = await recordDocuments(id, `X${kind === 'pglite' ? 1 : 2}234567`, 'JO-2026-0042');
    await post(`/placements/${id}/job-order-selection`, {
      scheme: 'P3MI',
      agencyId,
      jobOrderNumber: 'JO-2026-0042',
      destinationCountry: 'MY',
      sector: 'manufacturing',
      employerType: 'legal_entity',
      position: 'production operator',
      recruitmentPermitNumber: 'SIP2MI 0042/2026',
      on: '2026-02-01',
    }).expect(200);
    const beforeMedical = new Date();
    await new Promise((r) => setTimeout(r, 20));
    await prepareForDeparture(id, docs);
    const departed = await post(`/placements/${id}/departure`, { route: 'CGK-KUL', on: '2026-03-10' }).expect(200);
    expect(departed.headers.etag).toBe(`"${departed.body.revision}"`);
    await post(`/placements/${id}/arrival-report`, { mission: 'KBRI Kuala Lumpur', on: '2026-03-11' }).expect(200);
    const returned = await post(`/placements/${id}/return`, { note: 'contract completed', on: '2026-11-01' }).expect(200);

    const view = await as(officer, http().get(`/placements/${id}`)).expect(200);
    expect(view.headers.etag).toBe(`"${returned.body.revision}"`);
    expect(view.body).toMatchObject({ id, status: 'returned', stage: 'returned', areaCode: VILLAGE, registeredOn: '2026-01-10' });
    expect(view.body.worker).toMatchObject({ name: 'Siti Aminah', birthDate: '1998-04-12' });
    expect(view.body.jobOrder).toMatchObject({ jobOrderNumber: 'JO-2026-0042', agencyId, destinationCountry: 'MY' });
    expect(Object.keys(view.body.milestones)).toEqual(
      expect.arrayContaining([
        'selected',
        'medicallyCleared',
        'competencyCertified',
        'agreementSigned',
        'socialSecurityEnrolled',
        'documentsComplete',
        'orientationCompleted',
        'departed',
        'arrivalReported',
        'returned',
      ]),
    );
    const passport = view.body.documents.find((d: { kind: string }) => d.kind === 'passport');
    expect(passport).toMatchObject({
      issuer: 'Kantor Imigrasi Bogor',
      verifiedBy: 'officer-siti',
      number: `X${kind === 'pglite' ? 1 : 2}234567`,
    });

    // The history: every event in order, with who did it, and the evidence each guard relied on.
    const history = await as(auditor, http().get(`/placements/${id}/history`)).expect(200);
    const types = history.body.items.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('PlacementRegistered');
    expect(types.slice(-4)).toEqual(['OrientationCompleted', 'WorkerDeparted', 'ArrivalReportedToEmbassy', 'WorkerReturned']);
    for (const e of history.body.items)
      expect(e.metadata).toMatchObject({ actorId: 'officer-siti', role: 'officer', correlationId: expect.any(String) });
    const selection = history.body.items.find((e: { type: string }) => e.type === 'WorkerSelectedForJobOrder');
    expect(selection.data).toMatchObject({ licenceChecked: 'SIP3MI 123/2024', moratoriumChecked: true });
    const departure = history.body.items.find((e: { type: string }) => e.type === 'WorkerDeparted');
    expect([...departure.data.documentsChecked].sort()).toEqual(Object.values(docs).sort());

    // The state as it stood before the medical clearance, rebuilt from the log: by instant and by revision.
    const past = await as(officer, http().get(`/placements/${id}`).query({ asOf: beforeMedical.toISOString() })).expect(200);
    expect(past.body.stage).toBe('selected');
    expect(past.body.milestones.medicallyCleared).toBeUndefined();
    const first = await as(officer, http().get(`/placements/${id}`).query({ revision: 0 })).expect(200);
    expect(first.body).toMatchObject({ status: 'open', stage: 'registered', revision: 0, documents: [] });
    expect(first.headers.etag).toBe('"0"');
  });

  it('refuses each guard with 409 and its code, and writes nothing', async () => {
    const underage = await post('/placements', {
      areaCode: VILLAGE,
      worker: { name: 'Young', nik: nik(), birthDate: '2008-11-30' },
      on: '2026-11-29',
    }).expect(409);
    expect(underage.body.code).toBe('UNDERAGE');
    const badNik = await post('/placements', {
      areaCode: VILLAGE,
      worker: { name: 'X', nik: '9901014501900001', birthDate: '1990-01-01' },
    }).expect(409);
    expect(badNik.body.code).toBe('INVALID_NIK');
    // A refused registration registered nobody either.
    expect((await post('/subjects/lookup', { nik: '9901014501900001' }).expect(200)).body.items).toEqual([]);

    const id = (await register().expect(201)).body.id;
    const licensed = (
      await post(
        '/agencies',
        { name: 'PT Dicabut', licenceNumber: 'SIP3MI 9/2020', validFrom: '2020-01-01', validUntil: '2025-12-31' },
        admin,
      ).expect(201)
    ).body;
    const revoked = licensed.id;
    const revocation = await post(
      `/agencies/${revoked}/revocation`,
      { revokedOn: '2025-06-01', reason: 'fees charged to workers' },
      admin,
    ).expect(200);
    expect(BigInt(revocation.body.position)).toBeGreaterThan(BigInt(licensed.position));
    const refusals: Array<[string, object, string]> = [
      [
        'job-order-selection',
        {
          scheme: 'P3MI',
          agencyId: revoked,
          jobOrderNumber: 'JO-1',
          destinationCountry: 'MY',
          sector: 'manufacturing',
          employerType: 'legal_entity',
          position: 'x',
          recruitmentPermitNumber: 'SIP2MI 0042/2026',
          on: '2026-02-01',
        },
        'LICENCE_NOT_VALID',
      ],
      [
        'job-order-selection',
        {
          scheme: 'P3MI',
          agencyId: randomUUID(),
          jobOrderNumber: 'JO-1',
          destinationCountry: 'MY',
          sector: 'manufacturing',
          employerType: 'legal_entity',
          position: 'x',
          recruitmentPermitNumber: 'SIP2MI 0042/2026',
          on: '2026-02-01',
        },
        'AGENCY_NOT_FOUND',
      ],
      [
        'job-order-selection',
        {
          scheme: 'G2G',
          jobOrderNumber: 'JO-1',
          destinationCountry: 'SA',
          sector: 'domestic_individual_employer',
          employerType: 'individual',
          position: 'x',
          on: '2026-02-01',
        },
        'DESTINATION_UNDER_MORATORIUM',
      ],
      // The decree stops individual employers, whatever the job is called: a household's caregiver too.
      [
        'job-order-selection',
        {
          scheme: 'G2G',
          jobOrderNumber: 'JO-1',
          destinationCountry: 'SA',
          sector: 'caregiver',
          employerType: 'individual',
          position: 'x',
          on: '2026-02-01',
        },
        'DESTINATION_UNDER_MORATORIUM',
      ],
      // A P3MI needs its recruitment permit (SIP2MI) too, for this destination.
      [
        'job-order-selection',
        {
          scheme: 'P3MI',
          agencyId,
          jobOrderNumber: 'JO-1',
          destinationCountry: 'MY',
          sector: 'manufacturing',
          employerType: 'legal_entity',
          position: 'x',
          on: '2026-02-01',
        },
        'RECRUITMENT_PERMIT_REQUIRED',
      ],
      [
        'job-order-selection',
        {
          scheme: 'P3MI',
          agencyId,
          jobOrderNumber: 'JO-1',
          destinationCountry: 'TW',
          sector: 'manufacturing',
          employerType: 'legal_entity',
          position: 'x',
          recruitmentPermitNumber: 'SIP2MI 0042/2026',
          on: '2026-02-01',
        },
        'RECRUITMENT_PERMIT_NOT_VALID',
      ],
      [
        'job-order-selection',
        {
          scheme: 'P3MI',
          agencyId,
          jobOrderNumber: 'JO-1',
          destinationCountry: 'MY',
          sector: 'manufacturing',
          employerType: 'legal_entity',
          position: 'x',
          recruitmentPermitNumber: 'SIP2MI 1/1999',
          on: '2026-02-01',
        },
        'RECRUITMENT_PERMIT_NOT_FOUND',
      ],
      ['medical-clearance', { documentId: randomUUID(), on: '2026-02-02' }, 'PREREQUISITE_MISSING'],
      ['departure', { route: 'CGK-KUL', on: '2026-02-02' }, 'PREREQUISITE_MISSING'],
      ['return', { on: '2026-02-02' }, 'NOT_DEPARTED'],
      ['orientation', { place: 'x', on: '2099-01-01' }, 'DATE_IN_FUTURE'],
    ];
    const before = await eventCount(id);
    for (const [command, body, code] of refusals) {
      const res = await post(`/placements/${id}/${command}`, body).expect(409);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect({ command, code: res.body.code }).toEqual({ command, code });
    }
    expect(await eventCount(id)).toBe(before);

    // An unfit health certificate does not clear, and the result stays sealed in the log.
    await post(`/placements/${id}/job-order-selection`, {
      scheme: 'P3MI',
      agencyId,
      jobOrderNumber: 'JO-1',
      destinationCountry: 'MY',
      sector: 'manufacturing',
      employerType: 'legal_entity',
      position: 'x',
      recruitmentPermitNumber: 'SIP2MI 0042/2026',
      on: '2026-02-01',
    }).expect(200);
    const unfit = await document(id, 'health_certificate', { healthResult: 'unfit' });
    expect((await post(`/placements/${id}/medical-clearance`, { documentId: unfit, on: '2026-02-03' }).expect(409)).body.code).toBe(
      'MEDICALLY_UNFIT',
    );
    const rows = JSON.stringify((await collect(api.app.get<EventStore>(EVENT_STORE).readStream(`placement-${id}`))).map((e) => e.data));
    expect(rows).not.toContain('unfit');
    // An expired certificate does not satisfy a guard.
    const expired = await document(id, 'health_certificate', { healthResult: 'fit', expiresOn: '2026-02-01' });
    expect((await post(`/placements/${id}/medical-clearance`, { documentId: expired, on: '2026-02-03' }).expect(409)).body.code).toBe(
      'DOCUMENT_EXPIRED',
    );
  });

  it('records the same passport for two people, or a second passport, as a warning sign a supervisor resolves; a prevention record opens', async () => {
    const a = (await register().expect(201)).body.id;
    const b = (await register().expect(201)).body.id;
    const number = `C${kind === 'pglite' ? 7 : 8}654321`;
    await post(`/placements/${a}/documents`, { kind: 'passport', number, issuer: 'x', issuedOn: '2026-01-01', on: '2026-01-02' }).expect(
      201,
    );
    const dup = await post(`/placements/${b}/documents`, {
      kind: 'passport',
      number,
      issuer: 'x',
      issuedOn: '2026-01-01',
      on: '2026-01-02',
    }).expect(201);
    expect(dup.body.warningSigns).toEqual([{ signId: expect.any(String), sign: 'duplicate_passport' }]);
    expect(JSON.stringify(dup.body)).not.toContain(number);
    expect(JSON.stringify(dup.body)).not.toContain(a); // which person holds it is never said
    const signId = dup.body.warningSigns[0].signId;
    // A prevention record opens about the person, flag "duplicate passport", linked both ways.
    const placement = await eventually(async () => {
      const view = (await as(officer, http().get(`/placements/${b}`)).expect(200)).body;
      return view.linkedPreventions.length > 0 ? view : undefined;
    });
    expect(placement.warningSigns).toEqual([{ signId, sign: 'duplicate_passport', documentId: dup.body.documentId, status: 'raised' }]);
    const prevention = (await as(officer, http().get(`/preventions/${placement.linkedPreventions[0].preventionId}`)).expect(200)).body;
    expect(prevention.flags.map((f: { flag: string }) => f.flag)).toEqual(['duplicate_passport']);
    // Documents wait for the supervisor; an officer cannot resolve the sign.
    const resolve = (token: string, decision: string) =>
      post(
        `/placements/${b}/warning-signs/${signId}/resolution`,
        { decision, reason: 'checked with immigration', on: '2026-01-03' },
        token,
      );
    await resolve(officer, 'confirmed').expect(403);
    const supervisor = await api.token('supervisor-placement', 'supervisor', 'regency:3201');
    await resolve(supervisor, 'confirmed').expect(200);
    expect((await resolve(supervisor, 'cleared').expect(409)).body.code).toBe('WARNING_SIGN_RESOLVED');
    expect((await as(officer, http().get(`/placements/${b}`)).expect(200)).body.warningSigns[0].status).toBe('confirmed');

    // A second passport number for the same person: a sign too, cleared by the supervisor (a renewal).
    const renewed = await post(`/placements/${a}/documents`, {
      kind: 'passport',
      number: `${number}R`,
      issuer: 'x',
      issuedOn: '2026-01-05',
      on: '2026-01-06',
    }).expect(201);
    expect(renewed.body.warningSigns).toEqual([{ signId: expect.any(String), sign: 'second_passport' }]);
    await post(
      `/placements/${a}/warning-signs/${renewed.body.warningSigns[0].signId}/resolution`,
      { decision: 'cleared', reason: 'renewed passport', on: '2026-01-07' },
      supervisor,
    ).expect(200);
    // The same passport recorded again for the same person raises nothing.
    expect(
      (
        await post(`/placements/${a}/documents`, {
          kind: 'passport',
          number,
          issuer: 'x',
          issuedOn: '2026-01-01',
          on: '2026-01-08',
        }).expect(201)
      ).body.warningSigns,
    ).toBeUndefined();
  });

  it('answers malformed bodies with 400 and field errors, and writes nothing', async () => {
    const id = (await register().expect(201)).body.id;
    const before = await eventCount(id);
    const res = await post(`/placements/${id}/documents`, { kind: 'passportx', number: '', issuedOn: '15-01-2026', surprise: 1 }).expect(
      400,
    );
    const fields = new Set((res.body.errors as { field: string }[]).map((e) => e.field));
    expect([...fields].sort()).toEqual(['issuedOn', 'issuer', 'kind', 'number', 'surprise']);
    const health = await post(`/placements/${id}/documents`, {
      kind: 'health_certificate',
      number: 'H1',
      issuer: 'RS',
      issuedOn: '2026-01-15',
    }).expect(400);
    expect(health.body.errors).toEqual([{ field: 'healthResult', message: 'is required for a health certificate: fit or unfit' }]);
    const nested = await post('/placements', { areaCode: '32', worker: { nik: 5 } }).expect(400);
    expect((nested.body.errors as { field: string }[]).map((e) => e.field)).toEqual(
      expect.arrayContaining(['areaCode', 'worker.name', 'worker.nik', 'worker.birthDate']),
    );
    await as(officer, http().get(`/placements/${id}`).query({ asOf: 'yesterday' })).expect(400);
    await as(officer, http().get(`/placements/${id}`).query({ revision: '-1' })).expect(400);
    await as(officer, http().get('/placements/not-a-uuid')).expect(400);
    await as(officer, http().get(`/placements/${randomUUID()}`)).expect(404);
    expect(await eventCount(id)).toBe(before);
  });

  it('refuses a stale If-Match with 412 and writes nothing', async () => {
    const id = (await register().expect(201)).body.id;
    await document(id, 'competency_certificate');
    const stale = await as(officer, http().post(`/placements/${id}/withdrawal`))
      .set('If-Match', '"0"')
      .send({ reason: 'changed mind' })
      .expect(412);
    expect(stale.body.code).toBe('PRECONDITION_FAILED');
    expect(await eventCount(id)).toBe(2);
    await as(officer, http().post(`/placements/${id}/withdrawal`))
      .set('If-Match', '"1"')
      .send({ reason: 'changed mind' })
      .expect(200);
    expect((await post(`/placements/${id}/withdrawal`, { reason: 'again' }).expect(409)).body.code).toBe('PLACEMENT_CLOSED');
  });

  it('writes once for a repeated Idempotency-Key, and refuses the key with another body', async () => {
    const key = `register-${randomUUID()}`;
    const body = { areaCode: VILLAGE, worker: { name: 'Dewi', nik: nik(), birthDate: '1995-05-05' } };
    const first = await as(officer, http().post('/placements')).set('Idempotency-Key', key).send(body).expect(201);
    const again = await as(officer, http().post('/placements')).set('Idempotency-Key', key).send(body).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await eventCount(first.body.id)).toBe(1);
    const other = await as(officer, http().post('/placements'))
      .set('Idempotency-Key', key)
      .send({ ...body, worker: { ...body.worker, name: 'Dewi Lestari' } })
      .expect(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // A command: the repeat does not withdraw twice (which would be a 409).
    const step = `withdraw-${randomUUID()}`;
    await as(officer, http().post(`/placements/${first.body.id}/withdrawal`))
      .set('Idempotency-Key', step)
      .send({ reason: 'r' })
      .expect(200);
    await as(officer, http().post(`/placements/${first.body.id}/withdrawal`))
      .set('Idempotency-Key', step)
      .send({ reason: 'r' })
      .expect(200);
    expect(await eventCount(first.body.id)).toBe(2);
    // Keys belong to their caller: another officer's same key is another request.
    const theirs = await as(otherOfficer, http().post('/placements'))
      .set('Idempotency-Key', key)
      .send({ ...body, areaCode: '3302012001', worker: { ...body.worker, nik: nik() } })
      .expect(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  it("refuses a missing token with 401 and another village's officer with 403", async () => {
    const id = (await register().expect(201)).body.id;
    await http().get(`/placements/${id}`).expect(401);
    await http().post(`/placements/${id}/withdrawal`).send({ reason: 'x' }).expect(401);
    expect((await as(otherOfficer, http().get(`/placements/${id}`)).expect(403)).body.code).toBe('OUT_OF_SCOPE');
    expect((await post(`/placements/${id}/withdrawal`, { reason: 'x' }, otherOfficer).expect(403)).body.code).toBe('OUT_OF_SCOPE');
    expect(
      (
        await post('/placements', { areaCode: VILLAGE, worker: { name: 'x', nik: nik(), birthDate: '1990-01-01' } }, otherOfficer).expect(
          403,
        )
      ).body.code,
    ).toBe('OUT_OF_SCOPE');
    expect(await eventCount(id)).toBe(1);
  });

  it('links a worker already registered under the same NIK instead of registering them twice', async () => {
    const shared = nik();
    const a = await register({ worker: { name: 'Rina', nik: shared, birthDate: '1990-02-02' } }).expect(201);
    const b = await register({ worker: { name: 'Rina W.', nik: shared, birthDate: '1990-02-02' } }).expect(201);
    const va = await as(officer, http().get(`/placements/${a.body.id}`)).expect(200);
    const vb = await as(officer, http().get(`/placements/${b.body.id}`)).expect(200);
    expect(vb.body.worker.subjectId).toBe(va.body.worker.subjectId);
    expect(vb.body.worker.name).toBe('Rina'); // the registered record is authoritative
  });

  it('logged no name, NIK or passport number of anyone it handled', () => {
    const log = logger.lines.join('\n');
    expect(sentNiks.length).toBeGreaterThan(10);
    for (const secret of [...sentNiks, 'Siti Aminah', 'Rina', 'X1234567', 'X2234567']) expect(log).not.toContain(secret);
  });

  it('flags a worker found abroad without the documents the record claims: a prevention record opens; a case about the placement is linked on it', async () => {
    const id = (await register().expect(201)).body.id as string;
    const docs = await recordDocuments(id, `F${kind === 'pglite' ? 1 : 2}${randomUUID().slice(0, 6)}`, 'JO-F-1');
    await post(`/placements/${id}/job-order-selection`, {
      scheme: 'G2G',
      jobOrderNumber: 'JO-F-1',
      destinationCountry: 'KR',
      sector: 'manufacturing',
      employerType: 'legal_entity',
      position: 'x',
      on: '2026-02-01',
    }).expect(200);
    await prepareForDeparture(id, docs);
    await post(`/placements/${id}/departure`, { route: 'CGK-ICN', on: '2026-03-10' }).expect(200);
    // A case about this placement, opened at intake: the link is recorded on the placement too.
    const caseId = (
      await post('/cases', {
        areaCode: VILLAGE,
        channel: 'family_report',
        categories: ['lost_contact'],
        worker: { name: 'Siti Aminah' },
        relationship: 'self',
        destinationCountry: 'KR',
        placementId: id,
        complaint: 'no news since April',
      }).expect(201)
    ).body.id;
    // After departure: the worker turns out to have left on a visit visa.
    await post(`/placements/${id}/non-procedural-flag`, {
      reason: 'found working on a visit visa',
      flags: ['tourist_visa_for_work'],
      on: '2026-04-01',
    }).expect(200);
    const placement = await eventually(async () => {
      const view = (await as(officer, http().get(`/placements/${id}`)).expect(200)).body;
      return view.linkedPreventions.length > 0 && view.linkedCases.length > 0 ? view : undefined;
    });
    expect(placement).toMatchObject({
      status: 'flagged_non_procedural',
      linkedCases: [caseId],
      linkedPreventions: [{ role: 'flagged_into' }],
    });
    const prevention = (await as(officer, http().get(`/preventions/${placement.linkedPreventions[0].preventionId}`)).expect(200)).body;
    expect(prevention).toMatchObject({ source: 'placement_flag', originPlacementId: id, destinationCountry: 'KR' });
    expect((await as(officer, http().get(`/cases/${caseId}`)).expect(200)).body.placementId).toBe(id);
  });

  it('records the intake documents (KTP, KK, diploma) with the registration, and reports what is missing rather than refusing', async () => {
    const kk = `KK-${kind}-${randomUUID().slice(0, 6)}`;
    const created = await register({
      documents: [
        { kind: 'identity_card', number: `KTP-${kind}-1`, issuer: 'Disdukcapil Bogor', issuedOn: '2020-05-04' },
        { kind: 'family_card', number: kk, issuer: 'Disdukcapil Bogor', issuedOn: '2019-01-02' },
      ],
    }).expect(201);
    const view = (await as(officer, http().get(`/placements/${created.body.id}`)).expect(200)).body;
    expect(view.documents.map((d: { kind: string }) => d.kind).sort()).toEqual(['family_card', 'identity_card']);
    expect(view.missingDocuments).toContain('diploma');
    expect(view.missingDocuments).not.toContain('identity_card');
    expect(view.missingDocuments).not.toContain('orientation_certificate');
    // One append: the registration and its documents; the numbers sealed.
    const events = await collect(api.app.get<EventStore>(EVENT_STORE).readStream(`placement-${created.body.id}`));
    expect(events.map((e) => e.type)).toEqual(['PlacementRegistered', 'PlacementDocumentRecorded', 'PlacementDocumentRecorded']);
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(kk);
    // Only the intake kinds are taken at registration: a passport is recorded as a document of its own.
    expect(
      (await register({ documents: [{ kind: 'passport', number: 'P1', issuer: 'x', issuedOn: '2020-01-01' }] }).expect(400)).body.errors[0]
        .field,
    ).toBe('documents.0.kind');
  });

  it('lets admins keep the moratorium list, each change an event', async () => {
    const list = await as(officer, http().get('/moratoriums')).expect(200);
    expect(list.body.items).toHaveLength(19);
    expect(list.body.items).toContainEqual({
      country: 'SA',
      sector: 'domestic_individual_employer',
      legalBasis: 'Kepmenaker 260/2015',
      since: '2015-07-01',
    });
    expect((await as(officer, http().get('/moratoriums?on=2015-06-30')).expect(200)).body.items).toEqual([]);
    await post('/moratoriums', { country: 'KH', sector: 'hospitality', legalBasis: 'scam-centre advisory' }, officer).expect(403);
    await post('/moratoriums', { country: 'KH', sector: 'hospitality', legalBasis: 'scam-centre advisory' }, admin).expect(200);
    const id = (await register().expect(201)).body.id;
    expect(
      (
        await post(`/placements/${id}/job-order-selection`, {
          scheme: 'G2G',
          jobOrderNumber: 'J',
          destinationCountry: 'KH',
          sector: 'hospitality',
          employerType: 'legal_entity',
          position: 'x',
        }).expect(409)
      ).body.code,
    ).toBe('DESTINATION_UNDER_MORATORIUM');
    await post('/moratoriums/lifting', { country: 'KH', sector: 'hospitality', legalBasis: 'advisory withdrawn' }, admin).expect(200);
    await post(`/placements/${id}/job-order-selection`, {
      scheme: 'G2G',
      jobOrderNumber: 'J',
      destinationCountry: 'KH',
      sector: 'hospitality',
      employerType: 'legal_entity',
      position: 'x',
    }).expect(200);
    const agencies = await as(officer, http().get('/agencies')).expect(200);
    expect(agencies.body.items.map((a: { name: string }) => a.name)).toContain('PT Maju Bersama');
    expect(agencies.body.items.find((a: { id: string }) => a.id === agencyId).recruitmentPermits).toEqual([
      { permitNumber: 'SIP2MI 0042/2026', destinationCountry: 'MY', validFrom: '2026-01-01', validUntil: '2027-12-31' },
    ]);
  });

  it('judges each step by the moratorium list as it stood on the step’s own date, departure by the departure date', async () => {
    // Declared today, in force from 1 June: a paper record of a selection in February is not refused by it.
    await post(
      '/moratoriums',
      { country: 'KH', sector: 'construction', legalBasis: 'advisory 7/2026', effectiveOn: '2026-06-01' },
      admin,
    ).expect(200);
    expect(
      (await as(officer, http().get('/moratoriums?on=2026-05-31')).expect(200)).body.items.map((m: { country: string }) => m.country),
    ).not.toContain('KH');
    expect((await as(officer, http().get('/moratoriums?on=2026-06-01')).expect(200)).body.items).toContainEqual({
      country: 'KH',
      sector: 'construction',
      legalBasis: 'advisory 7/2026',
      since: '2026-06-01',
    });
    const id = (await register().expect(201)).body.id;
    const job = {
      scheme: 'G2G',
      jobOrderNumber: 'JO-KH-1',
      destinationCountry: 'KH',
      sector: 'construction',
      employerType: 'legal_entity',
      position: 'mason',
    };
    expect((await post(`/placements/${id}/job-order-selection`, { ...job, on: '2026-06-02' }).expect(409)).body.code).toBe(
      'DESTINATION_UNDER_MORATORIUM',
    );
    await post(`/placements/${id}/job-order-selection`, { ...job, on: '2026-02-01' }).expect(200);
    await prepareForDeparture(id, await recordDocuments(id, `K${kind === 'pglite' ? 1 : 2}234567`, 'JO-KH-1'));
    // A departure after the moratorium took effect is refused; the one before it is recorded.
    const late = await post(`/placements/${id}/departure`, { route: 'CGK-PNH', on: '2026-06-15' }).expect(409);
    expect(late.body).toMatchObject({ code: 'DESTINATION_UNDER_MORATORIUM', detail: expect.stringContaining('2026-06-15') });
    await post(`/placements/${id}/departure`, { route: 'CGK-PNH', on: '2026-05-20' }).expect(200);
    // Lifting dated before the declaration it ends is refused.
    expect(
      (
        await post(
          '/moratoriums/lifting',
          { country: 'KH', sector: 'construction', legalBasis: 'x', effectiveOn: '2026-05-01' },
          admin,
        ).expect(409)
      ).body.code,
    ).toBe('MORATORIUM_DATE_INVALID');
  });
}

describe('placements over embedded PGlite', () => suite('pglite'));
describeIfPostgres('placements over PostgreSQL', () => suite('postgres'));
describeIfPostgres('placements over KurrentDB (events) and PostgreSQL (read models)', () => suite('kurrentdb'));
