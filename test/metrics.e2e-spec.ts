/**
 * Prometheus metrics (issue 24), served on a port of their own: request durations by route template and
 * status, commands by outcome and refusal code, append latency, projection and process-manager lag, the last
 * seal's age, the last verification, Node's own; with no id, path or personal value in any label.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { JejakMetrics } from '@jejak/metrics';
import request from 'supertest';

import { IntegrityService } from '../apps/api/src/audit/integrity.service';
import { METRICS } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';
import { caseIntake } from './support/bodies';

const VILLAGE = '3201012001';

describe('metrics (embedded store)', () => {
  let api: TestApi;
  let server: Server;
  let text: string;
  const name = 'Wulan Sekarini Putri';

  beforeAll(async () => {
    api = await startTestApi('pglite');
    server = await api.app.get<JejakMetrics>(METRICS).serve(0, '127.0.0.1');
    const officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    const auditor = await api.token('auditor-1', 'auditor', 'national');
    const http = () => request(api.app.getHttpServer());
    const opened = await http().post('/cases').set('Authorization', `Bearer ${officer}`).send(caseIntake(VILLAGE, name)).expect(201);
    await http()
      .post('/cases')
      .set('Authorization', `Bearer ${officer}`)
      .send({ ...caseIntake(VILLAGE, name), channel: 'pigeon' })
      .expect(400);
    await http().get(`/cases/${opened.body.id}`).set('Authorization', `Bearer ${officer}`).expect(200);
    await api.app.get(IntegrityService).sealNow();
    await http().get('/audit/verify').set('Authorization', `Bearer ${auditor}`).expect(200);
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    text = await res.text();
  });
  afterAll(async () => {
    server?.close();
    await api?.close();
  });

  /** The value of the sample of `metric` whose labels include all of `labels`. */
  const sample = (metric: string, labels: Record<string, string> = {}): number | undefined => {
    for (const line of text.split('\n')) {
      const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m || m[1] !== metric) continue;
      const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
      if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
    }
    return undefined;
  };

  it('times requests by method, route template and status', () => {
    expect(sample('jejak_http_request_duration_seconds_count', { method: 'POST', route: '/cases', status: '201', service: 'api' })).toBe(1);
    expect(sample('jejak_http_request_duration_seconds_count', { method: 'GET', route: '/cases/:id', status: '200' })).toBe(1);
    expect(sample('jejak_http_request_duration_seconds_bucket', { method: 'POST', route: '/cases', status: '201', le: '+Inf' })).toBe(1);
  });

  it('counts commands by outcome and refusal code', () => {
    expect(sample('jejak_commands_total', { route: '/cases', outcome: 'accepted', code: '' })).toBe(1);
    expect(sample('jejak_commands_total', { route: '/cases', outcome: 'refused', code: 'VALIDATION_FAILED' })).toBe(1);
  });

  it('times appends, and reports projection and process-manager lag', () => {
    expect(sample('jejak_event_store_append_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample('jejak_projection_lag_events', { projection: 'cases' })).toBe(0);
    expect(sample('jejak_projection_lag_seconds', { projection: 'cases' })).toBe(0);
    expect(text).toMatch(/^jejak_process_manager_lag_events\{[^}]*process_manager="process-manager:[a-z-]+"[^}]*\} 0$/m);
  });

  it("reports the last seal's age and the last verification", () => {
    expect(sample('jejak_last_seal_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample('jejak_last_seal_age_seconds')).toBeLessThan(60);
    expect(sample('jejak_last_verification_intact')).toBe(1);
    expect(Math.abs(sample('jejak_last_verification_timestamp_seconds')! - Date.now() / 1000)).toBeLessThan(60);
  });

  it("includes Node's default metrics", () => {
    expect(sample('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('carries no id, path or personal value in a label, and is not on the public port', async () => {
    expect(text).not.toContain(name);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    await request(api.app.getHttpServer()).get('/metrics').expect(404);
    const other = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/other`);
    expect(other.status).toBe(404);
  });
});
