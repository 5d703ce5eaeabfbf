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

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  minimum?: number;
  minItems?: number;
}
interface Operation {
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, unknown>;
  parameters?: { in: string; name: string; schema?: Schema }[];
}
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

export function exampleOf(schema: Schema, doc: Doc, depth = 0): unknown {
  if (schema.$ref) return exampleOf(doc.components.schemas[schema.$ref.split('/').pop()!]!, doc, depth + 1);
  if (schema.allOf) return exampleOf(schema.allOf[0]!, doc, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object':
    case undefined: {
      if (!schema.properties || depth > 8) return {};
      return Object.fromEntries(Object.entries(schema.properties).map(([name, inner]) => [name, exampleOf(inner, doc, depth + 1)]));
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => exampleOf(schema.items ?? {}, doc, depth + 1));
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    default:
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date') return '2026-01-15';
      if (schema.format === 'date-time') return '2026-01-15T09:00:00+07:00';
      return 'text';
  }
}

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
        const res = await (request(api.app.getHttpServer()) as unknown as Record<string, (u: string) => request.Test>)[method]!(url).set('Authorization', `Bearer ${token}`).send(body as object);
        sent++;
        const documented = Object.keys(operation.responses ?? {});
        if (res.status === 400 || res.status >= 500 || (res.status >= 300 && !documented.includes(String(res.status)))) {
          wrong.push(`${method.toUpperCase()} ${path} -> ${res.status} ${JSON.stringify(res.body.errors ?? res.body.code)} (sent ${JSON.stringify(body)})`);
        }
      }
    }
    expect(sent).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
  });
});
