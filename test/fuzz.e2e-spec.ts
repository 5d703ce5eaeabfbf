/**
 * Fuzzing the HTTP surface from its own OpenAPI document (issue 23): for every operation in `/docs-json`,
 * requests that break the document's schema (missing and extra fields, wrong types, values outside an
 * enum or a pattern, impossible dates, bad ids, huge and odd strings, bodies that are not objects), bad
 * path ids and query values, and bad tokens, on the embedded store. Bounded: a few thousand requests.
 *
 * It fails on any 5xx; on any answer that leaks a stack trace or SQL; on a 2xx to a body the document
 * refuses (the document must say exactly what the API takes); on a status the operation does not
 * document; and on a partial write: a refused request after which anything but an access-log entry or
 * a seal was appended to the log.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';

import { collect, type EventStore, SEAL_STREAM } from '@jejak/event-store';
import { seededRandom } from '@jejak/kernel';
import request from 'supertest';

import { EVENT_STORE } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';
import { type Doc, exampleOf, type Operation as SharedOperation, type Schema } from './support/openapi-example';

type Parameter = { name: string; in: string; schema?: Schema };
type Operation = SharedOperation & { security?: unknown[] };

/** What an answer must never carry: a stack frame, a source path, SQL or a driver's words. */
const LEAK =
  /\bat [\w.<>]+ \(|node_modules|\.tsx?:\d+|\bselect\b.+\bfrom\b|\binsert into\b|\bsyntax error\b|\brelation "|duplicate key|violates .* constraint|\bpg_\w+/i;

const VILLAGE = '3201012001';

/** Percent-encodes for a URL; a lone surrogate (not encodable) goes as the bytes a client might still send. */
const encode = (value: string): string => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};

describe('fuzzing the HTTP surface from /docs-json (embedded store)', () => {
  let api: TestApi;
  let doc: Doc;
  let store: EventStore;
  const tokens: Record<string, string> = {};
  const findings: string[] = [];
  let sent = 0;

  beforeAll(async () => {
    api = await startTestApi('pglite');
    store = api.app.get<EventStore>(EVENT_STORE);
    tokens.officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    tokens.supervisor = await api.token('supervisor-1', 'supervisor', 'national');
    tokens.auditor = await api.token('auditor-1', 'auditor', 'national');
    tokens.administrator = await api.token('admin-1', 'admin', 'national');
    doc = (await request(api.app.getHttpServer()).get('/docs-json')).body as Doc;
  });
  afterAll(() => api?.close());

  const resolve = (schema: Schema | undefined): Schema => {
    if (!schema) return {};
    if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf?.length === 1) return { ...resolve(schema.allOf[0]), ...schema, allOf: undefined };
    return schema;
  };

  /** A value the schema takes (its example, enum, format or pattern), for the fields not under test. */
  const valid = (schema: Schema | undefined): unknown => exampleOf(schema ?? {}, doc);

  /** Values that break a property's schema: the document says each one is refused. */
  const breaking = (s: Schema): unknown[] => {
    const schema = resolve(s);
    const out: unknown[] = [];
    const type = schema.type ?? (schema.properties ? 'object' : undefined);
    if (type === 'string') out.push(12345, { a: 1 }, ['x']);
    if (type === 'number' || type === 'integer') out.push('abc', '12', { a: 1 }, Number.MAX_SAFE_INTEGER * 10);
    if (type === 'boolean') out.push('yes', 1);
    if (type === 'array') out.push('x', { a: 1 });
    if (type === 'object') out.push('x', [1], 7);
    if (schema.enum) out.push('no_such_value');
    if (schema.format === 'uuid') out.push('not-a-uuid', `${randomUUID()}x`);
    if (schema.format === 'date') out.push('2026-02-30', '2026-13-01', '30-01-2026', '2026-1-1');
    if (schema.pattern) out.push(...['!!', `${VILLAGE}0`, 'x'].filter((v) => !new RegExp(schema.pattern!).test(v)));
    if (schema.maxLength !== undefined) out.push('x'.repeat(schema.maxLength + 1));
    if (schema.minimum !== undefined) out.push(schema.minimum - 1);
    if (schema.maximum !== undefined) out.push(schema.maximum + 1);
    return out;
  };

  /** Query values that break a parameter's schema (everything in a URL is text: only what text can break). */
  const breakingQuery = (s: Schema): string[] => {
    const schema = resolve(s);
    const out: string[] = [];
    if (schema.type === 'number' || schema.type === 'integer') out.push('abc', '1e309', 'NaN');
    if (schema.minimum !== undefined) out.push(String(schema.minimum - 1));
    if (schema.maximum !== undefined) out.push(String(schema.maximum + 1));
    if (schema.enum) out.push('no_such_value');
    if (schema.format === 'uuid') out.push('not-a-uuid');
    if (schema.format === 'date') out.push('2026-02-30', '2026-13-01');
    if (schema.pattern) out.push(...['!!', 'x'].filter((v) => !new RegExp(schema.pattern!).test(v)));
    return out;
  };

  /** Odd but well-formed JSON strings: answered with a 2xx or a 4xx, never a 5xx or a leak. */
  const ODD = [
    '',
    ' ',
    '\u0000',
    'a\u202Eb',
    '\uD800',
    '😀'.repeat(50),
    "'; drop table jejak_events; --",
    '<script>x</script>',
    'x'.repeat(20_000),
  ];

  interface Probe {
    readonly label: string;
    readonly method: string;
    readonly path: string;
    readonly token?: string;
    readonly headers?: Record<string, string>;
    readonly body?: string;
    /** The document refuses this request: a 2xx is a finding. */
    readonly refused: boolean;
  }

  const mutating = (method: string) => method !== 'get';

  async function send(op: Operation, probe: Probe): Promise<number> {
    sent++;
    const head = mutating(probe.method) ? await store.head() : null;
    let req = request(api.app.getHttpServer())[probe.method as 'get' | 'post'](probe.path);
    if (probe.token) req = req.set('Authorization', `Bearer ${probe.token}`);
    if (mutating(probe.method)) req = req.set('Idempotency-Key', randomUUID());
    for (const [k, v] of Object.entries(probe.headers ?? {})) req = req.set(k, v);
    if (probe.body !== undefined) req = req.set('content-type', 'application/json').send(probe.body);
    const res = await req;
    const where = `${probe.method.toUpperCase()} ${probe.path.slice(0, 80)} (${probe.label})`;
    if (res.status >= 500) findings.push(`${where}: ${res.status} ${res.text.slice(0, 200)}`);
    if (LEAK.test(res.text)) findings.push(`${where}: the answer leaks internals: ${res.text.slice(0, 200)}`);
    if (probe.refused && res.status < 300) findings.push(`${where}: ${res.status} for a request the document refuses`);
    if (!op.responses?.[String(res.status)] && !op.responses?.default && res.status >= 300)
      findings.push(`${where}: ${res.status} is not among the operation's documented answers`);
    if (head !== null && res.status >= 400) {
      const after = await collect(store.readAll({ fromPosition: head === null ? 'start' : head + 1n }));
      const written = after.filter((e) => !e.streamId.startsWith('access-') && e.streamId !== SEAL_STREAM);
      if (written.length > 0)
        findings.push(`${where}: refused with ${res.status}, yet ${written.map((e) => e.type).join(', ')} was written`);
    }
    return res.status;
  }

  /** A token for the operation: the first role its guard lets through (a body is validated only after). */
  async function tokenFor(op: Operation, method: string, path: string): Promise<string | undefined> {
    if (!op.security) return undefined;
    for (const role of ['officer', 'supervisor', 'administrator', 'auditor']) {
      const res = await request(api.app.getHttpServer())
        [method as 'get' | 'post'](path)
        .set('Authorization', `Bearer ${tokens[role]}`)
        .set('Idempotency-Key', randomUUID())
        .set('content-type', 'application/json')
        .send(method === 'get' ? undefined : '{}');
      sent++;
      if (res.status !== 403) return tokens[role];
    }
    return tokens.officer;
  }

  /**
   * The operations in six shards (one test each, so each stays well inside the test timeout on a busy
   * machine); an operation's shard is its place in the document, so every run sends the same requests.
   */
  const SHARDS = 6;
  let operations = 0;
  const shardsRun = new Set<number>();

  it.each(Array.from({ length: SHARDS }, (_, shard) => shard))(
    'shard %d: answers every schema-breaking request with a documented 4xx, leaks nothing and writes nothing',
    async (shard) => {
      const before = findings.length;
      await fuzzShard(shard);
      shardsRun.add(shard);
      expect(findings.slice(before, before + 40)).toEqual([]);
    },
  );

  it('covered the whole surface, within the bound', () => {
    expect(shardsRun.size).toBe(SHARDS);
    expect(operations).toBeGreaterThan(100);
    expect(sent).toBeGreaterThan(1_000);
    expect(sent).toBeLessThan(8_000);
    // FUZZ_REPORT=<file> keeps the whole run's account (each shard's assertion shows its first 40 findings only).
    if (process.env.FUZZ_REPORT)
      writeFileSync(
        process.env.FUZZ_REPORT,
        [`${operations} operations, ${sent} requests, ${findings.length} findings`, ...findings].join('\n'),
      );
    expect(findings.length).toBe(0);
  });

  async function fuzzShard(shard: number): Promise<void> {
    const random = seededRandom(23 + shard);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
    let index = -1;
    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods) as [string, Operation][]) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        index++;
        if (index % SHARDS !== shard) continue;
        operations++;
        const params = op.parameters ?? [];
        const fill = (id: (p: Parameter) => string) =>
          template.replace(/\{(\w+)\}/g, (_, name: string) => encode(id(params.find((p) => p.name === name) ?? { name, in: 'path' })));
        const path = fill(() => randomUUID());
        const token = await tokenFor(op, method, path);
        const probe = (p: Omit<Probe, 'method' | 'token'> & { token?: string | null }): Promise<number> =>
          send(op, { method, ...p, token: p.token === null ? undefined : (p.token ?? token) } as Probe);

        // Path ids that are not ids.
        for (const bad of ['not-an-id', 'x'.repeat(3_000), '..%2F..%2Fetc', '%00', '😀']) {
          if (!template.includes('{')) break;
          const badPath = template
            .replace(/\{(\w+)\}/, bad.startsWith('%') || bad.startsWith('..') ? bad : encode(bad))
            .replace(/\{(\w+)\}/g, () => randomUUID());
          const schema = resolve(op.requestBody?.content?.['application/json']?.schema);
          await probe({
            label: `path id ${bad.slice(0, 12)}`,
            path: badPath,
            body: mutating(method) ? JSON.stringify(valid(schema)) : undefined,
            refused: false,
          });
        }
        // Query parameters out of their schema, and odd ones.
        for (const q of params.filter((p) => p.in === 'query')) {
          const refusedValues = breakingQuery(q.schema ?? {});
          for (const [value, refused] of [...refusedValues.map((v) => [v, true] as const), [pick(ODD).slice(0, 2_000), false] as const]) {
            await probe({
              label: `query ${q.name}=${value.slice(0, 12)}`,
              path: `${path}?${q.name}=${encode(value)}`,
              refused,
            });
          }
          await probe({ label: `query ${q.name} twice`, path: `${path}?${q.name}=1&${q.name}=2`, refused: false });
        }
        // Bad tokens.
        if (op.security) {
          const forged = `${tokens.officer!.split('.').slice(0, 2).join('.')}.${createHmac('sha256', 'another-secret').update('x').digest('base64url')}`;
          const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${tokens.officer!.split('.')[1]}.`;
          for (const [label, bad] of [
            ['no token', null],
            ['garbage token', 'garbage'],
            ['forged signature', forged],
            ['alg none', none],
            ['long token', 'x'.repeat(8_000)],
          ] as const) {
            await probe({ label, path, token: bad, refused: true, body: mutating(method) ? '{}' : undefined });
          }
        }
        // Bodies.
        const content = op.requestBody?.content;
        if (!content || !mutating(method)) continue;
        const schema = resolve(content['application/json']?.schema);
        const base = valid(schema) as Record<string, unknown>;
        for (const raw of ['not json', '[]', 'null', '7', '"text"', '{"a":', '{}{}']) {
          const refusedRaw = raw !== '{}' && !(raw === '[]' && schema.type === 'array');
          await probe({ label: `raw ${raw}`, path, body: raw, refused: refusedRaw });
        }
        if (schema.required?.length) await probe({ label: 'missing required fields', path, body: '{}', refused: true });
        await probe({ label: 'an unknown field', path, body: JSON.stringify({ ...base, zzUnknownField: 1 }), refused: true });
        for (const [name, property] of Object.entries(schema.properties ?? {})) {
          for (const value of breaking(property)) {
            await probe({
              label: `${name}=${JSON.stringify(value).slice(0, 16)}`,
              path,
              body: JSON.stringify({ ...base, [name]: value }),
              refused: true,
            });
          }
          if (resolve(property).type === 'string' && !resolve(property).enum && !resolve(property).format && !resolve(property).pattern) {
            const odd = pick(ODD);
            await probe({
              label: `${name} odd ${JSON.stringify(odd).slice(0, 10)}`,
              path,
              body: JSON.stringify({ ...base, [name]: odd }),
              refused: false,
            });
          }
        }
        await probe({ label: 'a body of 2 MB', path, body: JSON.stringify({ ...base, zz: 'x'.repeat(2_000_000) }), refused: true });
        await probe({
          label: 'an odd If-Match',
          path,
          headers: { 'If-Match': pick(['abc', '"-1"', 'x'.repeat(500), '"1e99"']) },
          body: JSON.stringify(base),
          refused: false,
        });
      }
    }
  }
});
