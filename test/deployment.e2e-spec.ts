/**
 * The deployment files, read as docker compose reads them: no secret has a default, every service says how
 * its health is checked, and the scale-out file runs KurrentDB, PostgreSQL, two API replicas and the
 * projector. (No Docker engine runs in CI; this checks the files, not a running deployment.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

const docker = join(__dirname, '..', 'docker');
type Service = {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  healthcheck?: { test?: unknown; disable?: boolean };
  deploy?: { replicas?: number };
  volumes?: string[];
};
type Compose = { services: Record<string, Service>; 'x-jejak-env'?: Record<string, string> };
const load = (file: string): Compose => parse(readFileSync(join(docker, file), 'utf8'), { merge: true }) as Compose;
const dockerfileHasHealthcheck = /^HEALTHCHECK /m.test(readFileSync(join(docker, 'Dockerfile'), 'utf8'));

describe.each(['docker-compose.yml', 'docker-compose.postgres.yml'])('%s', (file) => {
  const compose = load(file);

  it('gives no secret a default value: each must come from docker/.env', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|SECRET|MASTER_KEY|SEAL_KEY/.test(key))
          expect([name, key, value]).toEqual([name, key, expect.stringMatching(/^\$\{[A-Z_]+:\?[^}]+\}$/)]);
        if (key === 'DATABASE_URL') expect(value).toMatch(/:\$\{POSTGRES_PASSWORD(:\?[^}]+)?\}@/);
      }
    }
  });

  it('checks the health of every service', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const own = service.healthcheck && !service.healthcheck.disable && Array.isArray(service.healthcheck.test);
      // The API's check is the image's HEALTHCHECK (GET /health).
      expect([name, own || (name === 'api' && service.build !== undefined && dockerfileHasHealthcheck)]).toEqual([name, true]);
    }
  });
});

describe('the scale-out deployment (docker-compose.yml)', () => {
  const compose = load('docker-compose.yml');
  const { kurrentdb, postgres, api, projector } = compose.services;

  it('runs KurrentDB for events, PostgreSQL for read models, two API replicas without projections, and the projector', () => {
    expect(kurrentdb?.image).toMatch(/kurrentdb/);
    expect(kurrentdb?.volumes?.some((v) => v.endsWith(':/var/lib/kurrentdb'))).toBe(true);
    expect(postgres?.volumes?.some((v) => v.endsWith(':/var/lib/postgresql/data'))).toBe(true);
    expect(api?.deploy?.replicas).toBe(2);
    expect(api?.environment).toMatchObject({
      JEJAK_PROJECTOR: 'off',
      EVENTSTORE_CONNECTION_STRING: expect.stringMatching(/kurrentdb:\/\//),
    });
    expect(projector?.environment).toMatchObject({
      EVENTSTORE_CONNECTION_STRING: api?.environment?.EVENTSTORE_CONNECTION_STRING,
      JEJAK_HEALTH_PORT: '3001',
    });
    expect(projector?.environment?.DATABASE_URL).toBe(api?.environment?.DATABASE_URL);
  });

  it('scrapes the metrics of every API replica and the projector with Prometheus, on a port that is not published', () => {
    expect(api?.environment?.JEJAK_METRICS_PORT).toBe('9464');
    expect(projector?.environment?.JEJAK_METRICS_PORT).toBe('9464');
    const prometheus = compose.services.prometheus;
    expect(prometheus?.image).toMatch(/^prom\/prometheus:/);
    expect(prometheus?.volumes).toContain('./prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    const config = parse(readFileSync(join(docker, 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; dns_sd_configs: { names: string[]; port: number }[] }[];
    };
    const targets = config.scrape_configs.flatMap((c) => c.dns_sd_configs.map((d) => `${d.names.join(',')}:${d.port}`));
    expect(targets.sort()).toEqual(['api:9464', 'projector:9464']);
    // Only the gateway (and Grafana, on the loopback) are published: the metrics ports are not.
    expect(JSON.stringify(api)).not.toContain('9464:');
  });

  it('ships a Grafana dashboard whose every query names a metric Jejak exports', () => {
    const dashboard = JSON.parse(readFileSync(join(docker, 'grafana', 'jejak-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exported = readFileSync(join(__dirname, '..', 'libs', 'metrics', 'src', 'index.ts'), 'utf8');
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(10);
    for (const panel of dashboard.panels)
      for (const target of panel.targets)
        for (const [metric] of target.expr.matchAll(/jejak_[a-z_]+/g)) {
          const base = metric.replace(/_(bucket|count|sum)$/, '');
          expect([panel.title, exported.includes(`'${base}'`)]).toEqual([panel.title, true]);
        }
    const titles = dashboard.panels.map((p) => p.title).join(' | ');
    for (const topic of ['latency', 'Commands', 'Append', 'Projection lag', 'Process-manager lag', 'seal', 'verification', 'pool'])
      expect(titles).toContain(topic);
  });

  it('checks readiness, not only liveness, where traffic is routed', () => {
    expect(readFileSync(join(docker, 'Dockerfile'), 'utf8')).toMatch(/HEALTHCHECK[\s\S]*\/health\/ready/);
    expect(JSON.stringify(projector?.healthcheck?.test)).toContain('/health/ready');
    expect(JSON.stringify(compose.services.gateway)).toContain('/health/ready');
  });

  it('keeps the 3-node cluster variant beside the single node', () => {
    const text = readFileSync(join(docker, 'docker-compose.yml'), 'utf8');
    expect(text).toMatch(/# node1:/);
    expect(text).toMatch(/KURRENTDB_CLUSTER_SIZE: "3"/);
    expect(text).toMatch(/kurrentdb\+discover:\/\/node1:2113,node2:2113,node3:2113/);
  });

  it('ships an .env.example with every secret left empty', () => {
    const example = readFileSync(join(docker, '.env.example'), 'utf8');
    for (const key of ['POSTGRES_PASSWORD', 'JEJAK_JWT_SECRET', 'JEJAK_MASTER_KEY', 'JEJAK_SEAL_KEY', 'GRAFANA_ADMIN_PASSWORD'])
      expect(example).toMatch(new RegExp(`^${key}=$`, 'm'));
  });
});
