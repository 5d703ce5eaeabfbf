import { eventMetadata, type EventStore } from '@jejak/event-store';
import type { RequestContext } from '@jejak/kernel';
import { collect, describeIfPostgres } from '@jejak/testing';
import { Body, Controller, Inject, Module, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import request from 'supertest';

import { Allow } from '../apps/api/src/access/rules';
import { Ctx } from '../apps/api/src/http/context';
import { EVENT_STORE, SQL_CLIENT } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';

class ProbeItem {
  @IsString() @Length(1, 20) label!: string;
}
class ProbeBody {
  @IsString() @Length(1, 50) note!: string;
  @IsInt() @Min(0) @Max(10) count!: number;
  @ValidateNested() @Type(() => ProbeItem) item!: ProbeItem;
}

/** A probe route mounted only in this suite: writes one event the way every command handler will. */
@Controller('probe')
class ProbeController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Post('events')
  @Allow(['officer'])
  async write(@Body() body: ProbeBody, @Ctx() context: RequestContext): Promise<object> {
    const streamId = `probe-${crypto.randomUUID()}`;
    // Events hold plain data, never DTO instances: the store refuses anything JSON would silently change.
    const data = { note: body.note, count: body.count, item: { label: body.item.label } };
    const result = await this.store.append(streamId, [{ type: 'ProbeWritten', data, metadata: eventMetadata(context) }], {
      expectedRevision: 'no_stream',
    });
    return { streamId, revision: Number(result.nextExpectedRevision) };
  }

  @Post('crash')
  @Allow('authenticated')
  crash(): never {
    throw new Error('NIK 3201010101900001 leaked into a message');
  }

  /** Declares no access rule: the guard must refuse it before the handler runs. */
  @Post('undeclared')
  undeclared(): object {
    undeclaredCalls++;
    return { reached: true };
  }
}
let undeclaredCalls = 0;
@Module({ controllers: [ProbeController] })
class ProbeModule {}

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let officer: string;
  beforeAll(async () => {
    api = await startTestApi(kind, {
      extension: {
        modules: [ProbeModule],
      },
    });
    officer = await api.token('officer-7', 'officer', 'village:3201012001');
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());

  it('GET /health is public and reports the event store ready', async () => {
    const res = await http().get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', eventStore: { adapter: kind === 'pglite' ? 'pglite' : 'postgres', ready: true } });
    expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a route that declares no access rule, whoever calls, before its handler runs', async () => {
    const admin = await api.token('admin-7', 'admin', 'national');
    for (const token of [officer, admin]) {
      const res = await http().post('/probe/undeclared').set('Authorization', `Bearer ${token}`).send({});
      expect(res.status).toBe(500);
      expect(res.body).not.toHaveProperty('reached');
    }
    expect(undeclaredCalls).toBe(0);
  });

  it('refuses requests without a valid bearer token with 401 problem+json', async () => {
    for (const auth of [undefined, 'Basic abc', 'Bearer not.a.token', `Bearer ${officer}x`]) {
      const req = http().get('/auth/me');
      const res = await (auth ? req.set('Authorization', auth) : req).expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({ status: 401, type: expect.stringMatching(/^https:\/\/jejak\.dev\/problems\//) });
      expect(['TOKEN_MISSING', 'TOKEN_INVALID']).toContain(res.body.code);
    }
  });

  it('turns token claims into the actor', async () => {
    const res = await http().get('/auth/me').set('Authorization', `Bearer ${officer}`).expect(200);
    expect(res.body).toEqual({ id: 'officer-7', role: 'officer', scopes: ['village:3201012001'], units: ['info_advocacy', 'economic'] });
  });

  it('records the actor and the correlation id in the metadata of the events a request writes', async () => {
    const res = await http()
      .post('/probe/events')
      .set('Authorization', `Bearer ${officer}`)
      .set('X-Correlation-Id', 'corr-42')
      .send({ note: 'hello', count: 3, item: { label: 'a' } })
      .expect(201);
    expect(res.headers['x-correlation-id']).toBe('corr-42');
    const store = api.app.get<EventStore>(EVENT_STORE);
    const [event] = await collect(store.readStream(res.body.streamId));
    expect(event!.metadata).toEqual({
      actorId: 'officer-7',
      role: 'officer',
      scope: ['village:3201012001'],
      correlationId: 'corr-42',
      schemaVersion: 1,
    });
    expect(event!.data).toEqual({ note: 'hello', count: 3, item: { label: 'a' } });
  });

  it('replaces an unsafe correlation id with a generated one', async () => {
    const res = await http().get('/health').set('X-Correlation-Id', 'bad id with spaces\u00e9').expect(200);
    expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers bad input with 400 problem+json listing each field, and writes nothing', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const before = (await collect(store.readAll({ filter: { streamPrefixes: ['probe-'] } }))).length;
    const res = await http()
      .post('/probe/events')
      .set('Authorization', `Bearer ${officer}`)
      .send({ note: '', count: 'many', item: { label: 7 }, extra: true })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['note', 'count', 'item.label', 'extra']));
    const malformed = await http()
      .post('/probe/events')
      .set('Authorization', `Bearer ${officer}`)
      .set('Content-Type', 'application/json')
      .send('{"note": ')
      .expect(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');
    expect(malformed.body.correlationId).toBe(malformed.headers['x-correlation-id']);
    const huge = await http()
      .post('/probe/events')
      .set('Authorization', `Bearer ${officer}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ note: 'x'.repeat(2 * 1024 * 1024) }))
      .expect(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await collect(store.readAll({ filter: { streamPrefixes: ['probe-'] } }))).length).toBe(before);
  });

  it('sends security headers and no CORS grant to origins it was not configured for', async () => {
    const res = await http().get('/health').set('Origin', 'https://evil.example').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const allowed = await http()
      .options('/auth/me')
      .set('Origin', 'https://app.example.org')
      .set('Access-Control-Request-Method', 'GET')
      .expect(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.org');
    expect(allowed.headers['access-control-allow-headers']).toMatch(/If-Match/);
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const res = await http().get('/nowhere').set('Authorization', `Bearer ${officer}`).expect(404);
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('answers a bug with 500 carrying the correlation id, no stack and no message', async () => {
    const res = await http().post('/probe/crash').set('Authorization', `Bearer ${officer}`).expect(500);
    expect(res.body).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', correlationId: res.headers['x-correlation-id'] });
    expect(JSON.stringify(res.body)).not.toMatch(/3201010101900001|at .*\.ts/);
  });

  it('serves OpenAPI at /docs-json and /docs, listing routes with their error responses', async () => {
    const json = await http().get('/docs-json').expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/health', '/auth/me']));
    expect(Object.keys(json.body.paths['/auth/me'].get.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '500', '503']));
    expect(json.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const html = await http().get('/docs').expect(200);
    expect(html.text).toContain('swagger');
  });
}

describe('API over embedded PGlite', () => suite('pglite'));
describeIfPostgres('API over PostgreSQL', () => suite('postgres'));

describe('API when storage goes away', () => {
  it('reports 503 from /health, not a 500', async () => {
    const api = await startTestApi('pglite');
    try {
      await api.app.get<{ close(): Promise<void> }>(SQL_CLIENT).close();
      const res = await request(api.app.getHttpServer()).get('/health').expect(503);
      expect(res.body).toEqual({ status: 'unavailable', eventStore: { adapter: 'pglite', ready: false, detail: 'unreachable' } });
    } finally {
      await api.close().catch(() => undefined);
    }
  });
});
