/**
 * Every operation's documented request body is a request the API accepts as valid: built from the
 * OpenAPI document alone (each field's example, else its enum's first value, else a value of its type and
 * format), sent as an administrator with national scope to the operation's path (ids are fresh UUIDs), it
 * gets a 2xx or one of the refusals the operation documents, never a 400 (the documentation would be
 * wrong) and never a 500.
 */
import { randomUUID } from 'node:crypto';

import request from 'supertest';

import { startTestApi, type TestApi } from './support/api';
import { type Doc, exampleOf } from './support/openapi-example';

describe('the documented example of every request body', () => {
  let api: TestApi;
  let doc: Doc;
  beforeAll(async () => {
    api = await startTestApi('pglite');
    doc = (await request(api.app.getHttpServer()).get('/docs-json').expect(200)).body;
  });
  afterAll(() => api?.close());

  it('is accepted as valid by its operation: a 2xx or a documented refusal, never a 400 or a 500', async () => {
    const admin = await api.token('admin-1', 'admin', 'national');
    const officer = await api.token('officer-1', 'officer', 'village:3201012001');
    const wrong: string[] = [];
    let sent = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        if (!schema || path === '/auth/login') continue;
        const body = exampleOf(schema, doc);
        const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
        // Officers record the work; administrators keep users and reference data.
        const token = /^\/(users|agencies|moratoriums|projections|subjects\/\{[^}]+\}\/(erasure|hold))/.test(path) ? admin : officer;
        const res = await (request(api.app.getHttpServer()) as unknown as Record<string, (u: string) => request.Test>)[method]!(url)
          .set('Authorization', `Bearer ${token}`)
          .send(body as object);
        sent++;
        const documented = Object.keys(operation.responses ?? {});
        if (res.status === 400 || res.status >= 500 || (res.status >= 300 && !documented.includes(String(res.status)))) {
          wrong.push(
            `${method.toUpperCase()} ${path} -> ${res.status} ${JSON.stringify(res.body.errors ?? res.body.code)} (sent ${JSON.stringify(body)})`,
          );
        }
      }
    }
    expect(sent).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
  });
});
