/**
 * Information services over HTTP on the embedded store: the topic catalog administrators extend,
 * dissemination sessions with the members who attended, enquiries answered or referred, and the process
 * manager that opens the referred placement, case or prevention record, linked on both sides. Every refusal
 * is a 4xx that writes nothing; only the information-and-advocacy unit records this work.
 */
import { type EventStore } from '@jejak/event-store';
import { collectIfAny } from '@jejak/event-store';
import { eventually } from '@jejak/testing';
import request from 'supertest';

import { EVENT_STORE } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';
const ELSEWHERE = '3302012001';

describe('information services (embedded store)', () => {
  let api: TestApi;
  let officer: string;
  let outsider: string;
  let economic: string;
  let supervisor: string;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi('pglite');
    officer = await api.officerToken('officer-1', ['info_advocacy'], `village:${VILLAGE}`);
    outsider = await api.token('officer-9', 'officer', `village:${ELSEWHERE}`);
    economic = await api.officerToken('officer-2', ['economic'], `village:${VILLAGE}`);
    supervisor = await api.token('supervisor-1', 'supervisor', 'province:32');
    admin = await api.token('admin-1', 'admin', 'national');
  });
  afterAll(() => api?.close());

  const http = () => request(api.app.getHttpServer());
  const post = (path: string, body: object, token = officer) => http().post(path).set('Authorization', `Bearer ${token}`).send(body);
  const get = (path: string, token = officer) => http().get(path).set('Authorization', `Bearer ${token}`);
  const store = () => api.app.get<EventStore>(EVENT_STORE);
  const person = async (name: string, extra: object = {}, area = VILLAGE, token = officer): Promise<string> =>
    (await post('/subjects', { kind: 'worker', areaCode: area, consentBasis: 'consent', name, ...extra }, token).expect(201)).body.id;
  const session = (extra: object = {}) => ({
    areaCode: VILLAGE,
    heldOn: '2026-02-10',
    place: 'Balai desa Sukamaju',
    topics: ['safe_migration_procedure', 'recognising_illegal_recruiters'],
    peopleReached: 40,
    ...extra,
  });
  const streamOf = async (streamId: string) => collectIfAny(store().readStream(streamId));

  it('lists the program topics, and lets an administrator alone add one', async () => {
    const before = (await get('/information-topics').expect(200)).body.items;
    expect(before.map((t: { code: string }) => t.code)).toEqual([
      'safe_migration_procedure',
      'required_documents',
      'moratorium_countries',
      'rights_and_protection_abroad',
      'remittances_and_financial_literacy',
      'recognising_illegal_recruiters',
    ]);
    expect(before[0]).toEqual({ code: 'safe_migration_procedure', builtIn: true, name: null });
    const topic = { code: 'social_security', name: { id: 'Jaminan sosial', en: 'Social security' } };
    expect((await post('/information-topics', topic).expect(403)).body.code).toBe('ROLE_NOT_ALLOWED');
    await post('/information-topics', topic, admin).expect(201);
    expect((await post('/information-topics', topic, admin).expect(409)).body.code).toBe('TOPIC_EXISTS');
    expect((await post('/information-topics', { ...topic, code: 'required_documents' }, admin).expect(409)).body.code).toBe('TOPIC_EXISTS');
    await post('/information-topics', { ...topic, code: 'Bad Code' }, admin).expect(400);
    await post('/information-topics', { code: 'no_name' }, admin).expect(400);
    const after = (await get('/information-topics', supervisor).expect(200)).body.items;
    expect(after.at(-1)).toEqual({ code: 'social_security', builtIn: false, name: { id: 'Jaminan sosial', en: 'Social security' } });
  });

  it('records a session with the members who attended, adds more, and corrects the count as an event', async () => {
    const [a, b] = [await person('Ani'), await person('Budi')];
    const created = await post('/sessions', session({ attendees: [a] })).expect(201);
    expect(created.headers.location).toBe(`/sessions/${created.body.id}`);
    const id = created.body.id as string;
    expect((await get(`/sessions/${id}`, supervisor).expect(200)).body).toEqual({
      id,
      areaCode: VILLAGE,
      heldOn: '2026-02-10',
      place: 'Balai desa Sukamaju',
      topics: ['safe_migration_procedure', 'recognising_illegal_recruiters'],
      peopleReached: 40,
      attendees: [a],
      recordedBy: 'officer-1',
      revision: 0,
    });
    await post(`/sessions/${id}/attendees`, { subjectIds: [a, b] }).expect(200);
    await post(`/sessions/${id}/people-reached`, { peopleReached: 38, reason: 'two counted twice' }, supervisor).expect(200);
    const view = (await get(`/sessions/${id}`).expect(200)).body;
    expect(view).toMatchObject({ attendees: [a, b], peopleReached: 38, revision: 2 });
    expect((await streamOf(`session-${id}`)).map((e) => e.type)).toEqual([
      'DisseminationSessionHeld',
      'SessionAttendeesAdded',
      'SessionPeopleReachedCorrected',
    ]);
    // The members' access reports name the session they attended.
    const report = (await get(`/subjects/${b}/report`, admin).expect(200)).body;
    expect(report.records).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'session', id, roles: ['attendee'] })]));
  });

  it('refuses a bad session with a 4xx that writes nothing', async () => {
    const far = await person('Jauh', {}, ELSEWHERE, outsider);
    const refusals: [object, number, string | undefined][] = [
      [session({ topics: ['astrology'] }), 409, 'UNKNOWN_TOPIC'],
      [session({ topics: [] }), 409, 'TOPIC_REQUIRED'],
      [session({ heldOn: '2999-01-01' }), 409, 'DATE_IN_FUTURE'],
      [session({ peopleReached: 0, attendees: [await person('Cici')] }), 409, 'FEWER_REACHED_THAN_ATTENDED'],
      [session({ attendees: [far] }), 409, 'REFERENCED_RECORD_NOT_FOUND'],
      [session({ peopleReached: -1 }), 400, undefined],
      [session({ peopleReached: 2.5 }), 400, undefined],
      [session({ place: '' }), 400, undefined],
    ];
    for (const [body, status, code] of refusals) {
      const res = await post('/sessions', { ...body, sessionId: '0c0c0c0c-0000-4000-8000-000000000001' });
      expect([res.status, res.body.code]).toEqual([status, code ?? res.body.code]);
      expect(res.status).toBeLessThan(500);
    }
    expect(await streamOf('session-0c0c0c0c-0000-4000-8000-000000000001')).toEqual([]);
    expect((await post('/sessions', session({ areaCode: ELSEWHERE })).expect(403)).body.code).toBe('OUT_OF_SCOPE');
    // Only the information-and-advocacy unit records it; every officer of the village reads it.
    expect((await post('/sessions', session(), economic).expect(403)).body.code).toBe('UNIT_NOT_ALLOWED');
    const id = (await post('/sessions', session()).expect(201)).body.id;
    await get(`/sessions/${id}`, economic).expect(200);
    expect((await get(`/sessions/${id}`, outsider).expect(403)).body.code).toBe('OUT_OF_SCOPE');
  });

  it('records an answered enquiry from an anonymous caller, its question and answer sealed', async () => {
    const res = await post('/enquiries', {
      areaCode: VILLAGE,
      receivedOn: '2026-02-11',
      channel: 'phone',
      topic: 'required_documents',
      question: 'Apa saja dokumen untuk bekerja di Taiwan?',
      answer: 'Paspor, visa kerja, PK, BPJS',
      outcome: 'answered',
    });
    expect([res.status, res.body]).toEqual([201, expect.objectContaining({ referral: null })]);
    const view = (await get(`/enquiries/${res.body.id}`).expect(200)).body;
    expect(view).toMatchObject({
      channel: 'phone',
      topic: 'required_documents',
      enquirerSubjectId: null,
      question: 'Apa saja dokumen untuk bekerja di Taiwan?',
      answer: 'Paspor, visa kerja, PK, BPJS',
      outcome: 'answered',
      referral: null,
    });
    const [recorded] = await streamOf(`enquiry-${res.body.id}`);
    expect(JSON.stringify(recorded!.data)).not.toContain('Taiwan');
  });

  it('refuses an enquiry that does not fit, writing nothing', async () => {
    const base = { areaCode: VILLAGE, channel: 'walk_in', topic: 'required_documents', enquiryId: '0d0d0d0d-0000-4000-8000-000000000001' };
    const refusals: [object, number, string | undefined][] = [
      [{ ...base, outcome: 'referred' }, 409, 'REFERRAL_REQUIRED'],
      [{ ...base, outcome: 'answered', referral: { to: 'prevention' } }, 409, 'REFERRAL_NOT_ALLOWED'],
      [{ ...base, outcome: 'referred', referral: { to: 'case', categories: ['unpaid_wages'], complaint: 'x' } }, 409, 'ENQUIRER_REQUIRED'],
      [{ ...base, topic: 'lottery', outcome: 'answered' }, 409, 'UNKNOWN_TOPIC'],
      [{ ...base, channel: 'pigeon', outcome: 'answered' }, 400, undefined],
      [{ ...base, outcome: 'referred', referral: { to: 'moon' } }, 400, undefined],
    ];
    for (const [body, status, code] of refusals) {
      const res = await post('/enquiries', body);
      expect([res.status, res.body.code]).toEqual([status, code ?? res.body.code]);
    }
    const who = await person('Dedi');
    const noComplaint = await post('/enquiries', {
      ...base,
      enquirerSubjectId: who,
      outcome: 'referred',
      referral: { to: 'case', categories: ['unpaid_wages'] },
    }).expect(400);
    expect(JSON.stringify(noComplaint.body)).toContain('referral.complaint');
    expect(await streamOf('enquiry-0d0d0d0d-0000-4000-8000-000000000001')).toEqual([]);
  });

  it('opens the case an enquiry is referred to, for the enquirer, linked on both records', async () => {
    const who = await person('Rina', { sex: 'F' });
    const res = await post('/enquiries', {
      areaCode: VILLAGE,
      channel: 'home_visit',
      topic: 'rights_and_protection_abroad',
      enquirerSubjectId: who,
      question: 'Gaji belum dibayar tiga bulan',
      outcome: 'referred',
      referral: {
        to: 'case',
        categories: ['unpaid_wages'],
        complaint: 'Wages unpaid for three months in Riyadh',
        destinationCountry: 'SA',
      },
    }).expect(201);
    const caseId = res.body.referral.recordId as string;
    expect(res.body.referral.to).toBe('case');
    const opened = await eventually(async () => {
      const view = await get(`/cases/${caseId}`);
      return view.status === 200 && view.body.linkedEnquiries.length > 0 ? view.body : undefined;
    });
    expect(opened).toMatchObject({
      channel: 'referral',
      destinationCountry: 'SA',
      complaint: 'Wages unpaid for three months in Riyadh',
      linkedEnquiries: [res.body.id],
    });
    const enquiry = await eventually(async () => {
      const view = (await get(`/enquiries/${res.body.id}`).expect(200)).body;
      return view.referral.opened ? view : undefined;
    });
    expect(enquiry.referral).toEqual({ to: 'case', recordId: caseId, opened: true });
    const report = (await get(`/subjects/${who}/report`, admin).expect(200)).body;
    expect(report.records).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'enquiry', id: res.body.id, roles: ['enquirer'] })]),
    );
  });

  it('opens a prevention record from an anonymous tip, with the enquiry as its source', async () => {
    const res = await post('/enquiries', {
      areaCode: VILLAGE,
      channel: 'messaging',
      topic: 'recognising_illegal_recruiters',
      outcome: 'referred',
      referral: { to: 'prevention', destinationCountry: 'MY' },
    }).expect(201);
    const id = res.body.referral.recordId as string;
    const prevention = await eventually(async () => {
      const view = await get(`/preventions/${id}`);
      return view.status === 200 && view.body.linkedEnquiries.length > 0 ? view.body : undefined;
    });
    expect(prevention).toMatchObject({ source: 'enquiry', destinationCountry: 'MY', linkedEnquiries: [res.body.id] });
  });

  it('registers the placement an enquiry is referred to, or refuses at once when the person lacks what it needs', async () => {
    const ready = await person('Sari', { nik: '3201014501900123', birthDate: '1995-05-01' });
    const res = await post('/enquiries', {
      areaCode: VILLAGE,
      channel: 'walk_in',
      topic: 'safe_migration_procedure',
      enquirerSubjectId: ready,
      outcome: 'referred',
      referral: { to: 'placement' },
    }).expect(201);
    const placement = await eventually(async () => {
      const view = await get(`/placements/${res.body.referral.recordId}`);
      return view.status === 200 && view.body.linkedEnquiries.length > 0 ? view.body : undefined;
    });
    expect(placement).toMatchObject({ status: 'open', linkedEnquiries: [res.body.id] });

    const unready = await person('Tono');
    const refused = await post('/enquiries', {
      areaCode: VILLAGE,
      channel: 'walk_in',
      topic: 'safe_migration_procedure',
      enquirerSubjectId: unready,
      outcome: 'referred',
      referral: { to: 'placement' },
    });
    expect([refused.status, refused.body.code]).toEqual([409, 'PERSON_DATA_INCOMPLETE']);
  });
});
