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

  it('keeps the 3-node cluster variant beside the single node', () => {
    const text = readFileSync(join(docker, 'docker-compose.yml'), 'utf8');
    expect(text).toMatch(/# node1:/);
    expect(text).toMatch(/KURRENTDB_CLUSTER_SIZE: "3"/);
    expect(text).toMatch(/kurrentdb\+discover:\/\/node1:2113,node2:2113,node3:2113/);
  });

  it('ships an .env.example with every secret left empty', () => {
    const example = readFileSync(join(docker, '.env.example'), 'utf8');
    for (const key of ['POSTGRES_PASSWORD', 'JEJAK_JWT_SECRET', 'JEJAK_MASTER_KEY', 'JEJAK_SEAL_KEY'])
      expect(example).toMatch(new RegExp(`^${key}=$`, 'm'));
  });
});
