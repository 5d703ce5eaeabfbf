/**
 * The OpenAPI document is exact: every operation's request body is documented with the fields its handler
 * validates. Schemas are named after DTO classes, so two classes with one name silently overwrite each
 * other's documentation; this suite finds any such collision, route by route.
 */
import 'reflect-metadata';

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FIGURES } from '@jejak/read-models';
import { RequestMethod, type Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import request from 'supertest';

import { startTestApi, type TestApi, todayInJakarta } from './support/api';

const BODY = 3; // RouteParamtypes.BODY

interface Operation {
  readonly requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
}

/** What a DTO class declares to the documentation, its parents' fields included. */
function declared(dto: Type): string[] {
  const names = (Reflect.getMetadata('swagger/apiModelPropertiesArray', dto.prototype) as string[] | undefined) ?? [];
  return [...new Set(names.map((n) => n.replace(/^:/, '')))].sort();
}

describe('the OpenAPI document', () => {
  let api: TestApi;
  let doc: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };
  beforeAll(async () => {
    api = await startTestApi('pglite');
    doc = (await request(api.app.getHttpServer()).get('/docs-json').expect(200)).body;
  });
  afterAll(() => api?.close());

  it('documents each request body with exactly the fields its DTO validates, so no two DTOs share a schema name', () => {
    // Every controller the running application mounted, from Nest's own container.
    const container = (
      api.app as unknown as { container: { getModules(): Map<string, { controllers: Map<unknown, { metatype: Type }> }> } }
    ).container;
    const controllers = [...container.getModules().values()].flatMap((m) => [...m.controllers.values()].map((c) => c.metatype));
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const controller of controllers) {
      const base = String(Reflect.getMetadata('path', controller) ?? '').replace(/^\/|\/$/g, '');
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = Object.getOwnPropertyDescriptor(controller.prototype, method)?.value as unknown; // never a getter
        if (method === 'constructor' || typeof handler !== 'function') continue;
        const verb = Reflect.getMetadata('method', handler) as RequestMethod | undefined;
        if (verb === undefined) continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { index: number }>;
        const body = Object.entries(args).find(([key]) => key.startsWith(`${BODY}:`));
        if (!body) continue;
        const dto = (Reflect.getMetadata('design:paramtypes', controller.prototype, method) as Type[])[body[1].index]!;
        const sub = String(Reflect.getMetadata('path', handler) ?? '').replace(/^\/|\/$/g, '');
        const path = `/${[base, sub].filter(Boolean).join('/')}`.replace(/:(\w+)/g, '{$1}');
        const operation = doc.paths[path]?.[RequestMethod[verb].toLowerCase()];
        const ref = operation?.requestBody?.content?.['application/json']?.schema?.$ref;
        const schema = ref ? doc.components.schemas[ref.split('/').pop()!] : undefined;
        const documented = Object.keys(schema?.properties ?? {}).sort();
        checked.push(`${RequestMethod[verb]} ${path}`);
        if (JSON.stringify(documented) !== JSON.stringify(declared(dto)))
          wrong.push(`${RequestMethod[verb]} ${path}: documented ${documented.join(',')} but ${dto.name} has ${declared(dto).join(',')}`);
      }
    }
    expect(checked.length).toBeGreaterThan(40);
    expect(checked).toContain('POST /placements/{id}/non-procedural-flag');
    expect(wrong).toEqual([]);
  });

  it('documents withdrawal and failure to depart with their day, and the non-procedural flag with its signs', () => {
    const schemaOf = (path: string) => {
      const ref = doc.paths[path]!.post!.requestBody!.content!['application/json']!.schema!.$ref!;
      return Object.keys(doc.components.schemas[ref.split('/').pop()!]!.properties ?? {}).sort();
    };
    expect(schemaOf('/placements/{id}/non-procedural-flag')).toEqual(['flags', 'on', 'reason']);
    expect(schemaOf('/placements/{id}/withdrawal')).toEqual(['on', 'reason']);
    expect(schemaOf('/placements/{id}/departure-failure')).toEqual(['on', 'reason']);
  });

  it('defines every indicator figure once: the same sentence in the OpenAPI description and the README, every figure of a row in the catalog, every single figure a CSV column', async () => {
    const description = JSON.stringify(doc.paths['/reports/indicators']);
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    for (const f of FIGURES) {
      expect([f.key, description.includes(JSON.stringify(f.sentence).slice(1, -1))]).toEqual([f.key, true]);
      expect([f.key, readme.includes(`| \`${f.key}\` / \`${f.csv}${f.breakdown ? ':<name>' : ''}\` | ${f.sentence} |`)]).toEqual([
        f.key,
        true,
      ]);
    }
    // A real row's figures are exactly the catalog's (links, area and period are not figures).
    const token = await api.token('auditor-1', 'auditor', 'national');
    const officer = await api.token('officer-1', 'officer', 'village:3201012001');
    await request(api.app.getHttpServer())
      .post('/preventions')
      .set('Authorization', `Bearer ${officer}`)
      .send({ areaCode: '3201012001', source: 'family', flags: [{ flag: 'upfront_payment' }] })
      .expect(201);
    let rows: Record<string, Record<string, unknown>>[] = [];
    for (let i = 0; i < 50 && rows.length === 0; i++) {
      rows = (
        await request(api.app.getHttpServer())
          .get('/reports/indicators')
          .query({ level: 'province', code: '32', from: '2020-01-01', to: todayInJakarta() })
          .set('Authorization', `Bearer ${token}`)
          .expect(200)
      ).body.rows;
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    const keys = Object.entries(rows[0]!)
      .filter(([group]) => !['area', 'period', 'links'].includes(group))
      .flatMap(([group, figures]) => Object.keys(figures as object).map((k) => `${group}.${k}`));
    expect(keys.sort()).toEqual(FIGURES.map((f) => f.key).sort());
    const csv = (
      await request(api.app.getHttpServer())
        .get('/reports/indicators')
        .query({ level: 'province', code: '32', from: '2020-01-01', to: todayInJakarta() })
        .set('Authorization', `Bearer ${token}`)
        .set('Accept', 'text/csv')
        .expect(200)
    ).text;
    const header = csv.split('\n')[0]!.split(',');
    for (const f of FIGURES.filter((x) => !x.breakdown)) expect(header).toContain(f.csv);
  });
});
