/**
 * Hostile input gets a clear 4xx, quickly, and never a 500 or a stall: what an outside fuzz of the whole
 * OpenAPI surface found, one case each.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { collect, type EventStore } from '@jejak/event-store';
import request from 'supertest';

import { requestField } from '../apps/api/src/http/problem';
import { EVENT_STORE } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';

describe('hostile input over embedded PGlite', () => {
  let api: TestApi;
  let officer: string;
  let auditor: string;
  beforeAll(async () => {
    api = await startTestApi('pglite');
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    auditor = await api.token('auditor-1', 'auditor', 'national');
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  /** Sends bytes exactly as given (supertest would serialise a Buffer as JSON). */
  const rawPost = async (path: string, body: Buffer): Promise<{ status: number; body: { code?: string } }> => {
    const server = api.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
      body,
    });
    return { status: res.status, body: (await res.json()) as { code?: string } };
  };
  const post = (path: string, body: unknown) =>
    http()
      .post(path)
      .set('Authorization', `Bearer ${officer}`)
      .set('content-type', 'application/json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  it('refuses JSON nested 10,000 levels deep with a 400, on public and protected routes alike', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    for (const path of ['/auth/login', '/cases', '/placements']) {
      const res = await post(path, `{"worker":${deep}}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BODY_TOO_COMPLEX');
    }
  });

  it('answers a body of 50,000 unknown keys at once, with a short error, and keeps serving others meanwhile', async () => {
    const body = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, 1]));
    const started = Date.now();
    const [res, health] = await Promise.all([post('/cases', body), http().get('/health')]);
    expect(res.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(JSON.stringify(res.body).length).toBeLessThan(20_000);
    expect(health.status).toBe(200);
  });

  it('refuses a missing or empty person with field errors, not a 500 or a nameless subject', async () => {
    const noWorker = await post('/cases', {
      areaCode: VILLAGE,
      channel: 'walk_in',
      categories: ['unpaid_wages'],
      relationship: 'self',
      destinationCountry: 'MY',
      complaint: 'x',
    });
    expect(noWorker.status).toBe(400);
    expect(noWorker.body.errors.map((e: { field: string }) => e.field)).toContain('worker');
    const noPlacementWorker = await post('/placements', { areaCode: VILLAGE });
    expect(noPlacementWorker.status).toBe(400);
    expect(noPlacementWorker.body.errors.map((e: { field: string }) => e.field)).toContain('worker');
    const emptyWorker = await post('/cases', {
      areaCode: VILLAGE,
      channel: 'walk_in',
      categories: ['unpaid_wages'],
      worker: [],
      relationship: 'self',
      destinationCountry: 'MY',
      complaint: 'x',
    });
    expect(emptyWorker.status).toBe(400);
    const emptyPerson = await post('/preventions', { areaCode: VILLAGE, source: 'family', person: [] });
    expect(emptyPerson.status).toBe(400);
    const emptyFlag = await post('/preventions', { areaCode: VILLAGE, source: 'family', flags: [[]] });
    expect(emptyFlag.status).toBe(400);
  });

  it('refuses null in an optional field with a field error', async () => {
    const res = await post('/cases', {
      areaCode: VILLAGE,
      channel: 'walk_in',
      categories: ['unpaid_wages'],
      worker: { name: 'Ani', phone: null },
      relationship: 'self',
      destinationCountry: 'MY',
      complaint: 'x',
      employer: null,
    });
    expect(res.status).toBe(400);
    const subject = await post('/subjects', {
      kind: 'worker',
      areaCode: VILLAGE,
      consentBasis: 'consent',
      name: 'Ani',
      birthDate: null,
      sex: null,
      address: null,
    });
    expect(subject.status).toBe(400);
  });

  it('refuses __proto__, constructor and prototype keys like any other unknown key', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const res = await post(
        '/subjects',
        `{"kind":"worker","areaCode":"${VILLAGE}","consentBasis":"consent","name":"Ani","${key}":{"x":1}}`,
      );
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors)).toContain(key);
    }
  });

  it('refuses impossible dates, NUL characters and oversized cursors in query filters with a 400', async () => {
    const as = (path: string, token = auditor) => http().get(path).set('Authorization', `Bearer ${token}`);
    for (const path of [
      '/cases?openedFrom=2026-02-30',
      '/cases?openedFrom=0000-00-00',
      '/audit/events?from=2026-01-01T25:00:00Z',
      '/audit/events?from=2026-01-01T10:00:00%2B99:99',
      '/audit/access?to=2026-13-01',
      '/reports/indicators?level=province&from=2026-02-30&to=2026-03-31',
      '/cases?assignedTo=a%00b',
      '/audit/events?actor=a%00b',
      '/audit/events?cursor=9999999999999999999',
    ]) {
      const res = await as(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
  });

  it('refuses an impossible X-Occurred-At instead of recording another day', async () => {
    const res = await post('/subjects', { kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', name: 'Ani' }).set(
      'X-Occurred-At',
      '2026-02-30T10:00:00+07:00',
    );
    expect(res.status).toBe(400);
  });

  it('names the request’s fields, never the store’s, when the store refuses what was sent', async () => {
    expect(requestField('events[0].data.route')).toBe('route');
    expect(requestField('events[3].data.worker.name')).toBe('worker.name');
    expect(requestField('events[0]')).toBe('body');
    expect(requestField('streamId')).toBe('body');
  });

  it('refuses birth dates and interventions in the future', async () => {
    const born = await post('/subjects', {
      kind: 'worker',
      areaCode: VILLAGE,
      consentBasis: 'consent',
      name: 'Ani',
      birthDate: '2999-01-01',
    });
    expect(born.status).toBe(400);
    expect(born.body.errors).toEqual([{ field: 'birthDate', message: 'must not be in the future' }]);
    const id = (await post('/preventions', { areaCode: VILLAGE, source: 'family', flags: [{ flag: 'upfront_payment' }] }).expect(201)).body
      .id;
    const later = await post(`/preventions/${id}/interventions`, { kind: 'family_counselling', on: '2999-01-01' });
    expect(later.status).toBe(400);
    expect(later.body.errors).toEqual([{ field: 'on', message: 'must not be in the future' }]);
  });

  it('refuses half a character (a lone surrogate) and bytes that are not UTF-8, in sealed and clear fields alike, instead of storing U+FFFD', async () => {
    // Sealed (the worker's name, the case's complaint) and in clear (the agency's name, a prevention's route).
    const cases = [
      [
        '/cases',
        `{"areaCode":"${VILLAGE}","channel":"walk_in","categories":["unpaid_wages"],"worker":{"name":"Ani\\ud800"},"relationship":"self","destinationCountry":"MY","complaint":"x"}`,
        'worker.name',
      ],
      [
        '/cases',
        `{"areaCode":"${VILLAGE}","channel":"walk_in","categories":["unpaid_wages"],"worker":{"name":"Ani"},"relationship":"self","destinationCountry":"MY","complaint":"\\udc00 late"}`,
        'complaint',
      ],
      [
        '/preventions',
        `{"areaCode":"${VILLAGE}","source":"family","route":"via \\ud83d port","flags":[{"flag":"upfront_payment"}]}`,
        'route',
      ],
      [
        '/preventions',
        `{"areaCode":"${VILLAGE}","source":"family","flags":[{"flag":"upfront_payment","evidence":"\\ud83d\\ud83d"}]}`,
        'flags[0].evidence',
      ],
    ] as const;
    for (const [path, body, field] of cases) {
      const res = await post(path, body);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field, message: expect.stringContaining('surrogate') }]);
    }
    // A whole pair is a character, and goes through untouched.
    const pair = await post(
      '/preventions',
      `{"areaCode":"${VILLAGE}","source":"family","route":"via \\ud83d\\udea2 port","flags":[{"flag":"upfront_payment"}]}`,
    );
    expect(pair.status).toBe(201);
    const stored = await http().get(`/preventions/${pair.body.id}`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(stored.body.route).toBe('via \u{1F6A2} port');
    // Raw bytes that are not UTF-8 (a CESU-8 surrogate, a stray continuation byte).
    for (const bytes of [Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0x80])]) {
      const body = Buffer.concat([
        Buffer.from(`{"areaCode":"${VILLAGE}","source":"family","route":"`),
        bytes,
        Buffer.from(`","flags":[{"flag":"upfront_payment"}]}`),
      ]);
      const res = await rawPost('/preventions', body);
      expect([bytes.toString('hex'), res.status, res.body.code]).toEqual([bytes.toString('hex'), 400, 'MALFORMED_JSON']);
    }
  });

  it('never ignores If-Match: on a create it is a 412 (a new record has no revision), malformed it is a 400', async () => {
    const body = { kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', name: 'Ani' };
    const store = api.app.get<EventStore>(EVENT_STORE);
    const before = await store.head();
    for (const header of ['"0"', '"-1"', '*', 'W/"3"']) {
      const res = await post('/subjects', body).set('If-Match', header);
      expect([header, res.status, res.body.code]).toEqual([
        header,
        header === '"-1"' ? 400 : 412,
        header === '"-1"' ? 'INVALID_IF_MATCH' : 'PRECONDITION_FAILED',
      ]);
    }
    const flagged = await post('/preventions', { areaCode: VILLAGE, source: 'family', flags: [{ flag: 'upfront_payment' }] }).set(
      'If-Match',
      '"0"',
    );
    expect(flagged.status).toBe(412);
    // Nothing was written by the refused creates (no subject, no prevention record); background writers (the
    // seal, the chain, an earlier test's process managers) may append meanwhile, so the log is filtered.
    const since = await collect(
      store.readAll({ fromPosition: before ?? 'start', filter: { streamPrefixes: ['subject-', 'prevention-'] } }),
    );
    expect(since.filter((e) => before === null || e.position > before)).toEqual([]);
    await post('/subjects', body).expect(201);
    // Commands on a record keep checking it against the record's revision.
    const created = await post('/preventions', { areaCode: VILLAGE, source: 'family', flags: [{ flag: 'upfront_payment' }] }).expect(201);
    expect(
      (await post(`/preventions/${created.body.id}/interventions`, { kind: 'family_counselling' }).set('If-Match', '"7"')).status,
    ).toBe(412);
    expect(
      (await post(`/preventions/${created.body.id}/interventions`, { kind: 'family_counselling' }).set('If-Match', created.headers.etag!))
        .status,
    ).toBe(201);
  });

  it('answers HEAD requests without a 500', async () => {
    expect((await http().head('/health')).status).toBe(200);
    expect((await http().head('/cases').set('Authorization', `Bearer ${auditor}`)).status).toBeLessThan(500);
  });
});
