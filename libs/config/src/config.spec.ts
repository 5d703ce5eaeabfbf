import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError, loadConfig } from '.';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'jejak-config-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to the embedded store on port 3000 and generates a secret into the data directory', () => {
    const config = loadConfig({ JEJAK_DATA_DIR: dir });
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: dir });
    expect(config.jwt.secret).toBeInstanceOf(Uint8Array);
    expect(config.masterKey).toHaveLength(32);
    expect(statSync(join(dir, 'master-key')).mode & 0o777).toBe(0o600);
    expect(config.corsOrigins).toEqual([]);
    expect(config.login).toEqual({ maxFailures: 5, lockMinutes: 15, attemptsPerMinute: 20 });
    const file = join(dir, 'jwt-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').length).toBeGreaterThanOrEqual(32);
    // The same secret and master key the next time: tokens and personal data stay readable across restarts.
    const again = loadConfig({ JEJAK_DATA_DIR: dir });
    expect(again.jwt).toEqual(config.jwt);
    expect(again.masterKey.equals(config.masterKey)).toBe(true);
  });

  it('uses PostgreSQL when DATABASE_URL is set, with an explicit token configuration', () => {
    const config = loadConfig({
      JEJAK_DATA_DIR: dir,
      DATABASE_URL: 'postgres://jejak@db:5432/jejak',
      JEJAK_JWT_SECRET: 'x'.repeat(40),
      JEJAK_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      JEJAK_CORS_ORIGINS: 'https://app.example.org, http://localhost:5173',
      JEJAK_DB_POOL_SIZE: '20',
      PORT: '8080',
    });
    expect(config.database).toEqual({ kind: 'postgres', connectionString: 'postgres://jejak@db:5432/jejak', poolSize: 20 });
    expect(config.port).toBe(8080);
    expect(config.corsOrigins).toEqual(['https://app.example.org', 'http://localhost:5173']);
    expect(config.masterKey.equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it('keeps events in KurrentDB when EVENTSTORE_CONNECTION_STRING is set, and read models in PostgreSQL', () => {
    const config = loadConfig({
      JEJAK_DATA_DIR: dir,
      EVENTSTORE_CONNECTION_STRING: 'kurrentdb://kurrentdb:2113?tls=false',
      DATABASE_URL: 'postgres://jejak@db:5432/jejak',
      JEJAK_JWT_SECRET: 'x'.repeat(40),
      JEJAK_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(config.database).toEqual({
      kind: 'kurrentdb',
      connectionString: 'kurrentdb://kurrentdb:2113?tls=false',
      readModels: { kind: 'postgres', connectionString: 'postgres://jejak@db:5432/jejak' },
    });
  });

  it('takes case deadlines and the open-referral policy from the environment', () => {
    const config = loadConfig({
      JEJAK_DATA_DIR: dir,
      JEJAK_CASE_DEADLINES: '{"critical":{"firstActionHours":6,"resolutionDays":7}}',
      JEJAK_ALLOW_RESOLVE_WITH_OPEN_REFERRALS: 'true',
      JEJAK_REFERRAL_NO_RESPONSE_DAYS: '14',
    });
    expect(config.cases.noResponseAfterDays).toBe(14);
    expect(loadConfig({ JEJAK_DATA_DIR: dir }).cases.noResponseAfterDays).toBe(30);
    expect(() => loadConfig({ JEJAK_DATA_DIR: dir, JEJAK_REFERRAL_NO_RESPONSE_DAYS: '0' })).toThrow(
      'JEJAK_REFERRAL_NO_RESPONSE_DAYS must be a whole number',
    );
    expect(config.cases.deadlines.critical).toEqual({ firstActionHours: 6, resolutionDays: 7 });
    expect(config.cases.deadlines.normal).toEqual({ firstActionHours: 168, resolutionDays: 90 });
    expect(config.cases.allowResolveWithOpenReferrals).toBe(true);
    expect(loadConfig({ JEJAK_DATA_DIR: dir }).cases.allowResolveWithOpenReferrals).toBe(false);
  });

  it('takes the event store limits from the environment', () => {
    expect(loadConfig({ JEJAK_DATA_DIR: dir }).limits).toEqual({});
    expect(loadConfig({ JEJAK_DATA_DIR: dir, JEJAK_MAX_EVENT_BYTES: '2048', JEJAK_MAX_BATCH_EVENTS: '50' }).limits).toEqual({
      maxEventBytes: 2048,
      maxBatchEvents: 50,
    });
  });

  it('takes the proxies whose X-Forwarded-For is believed, and the subject keyring file', () => {
    expect(loadConfig({ JEJAK_DATA_DIR: dir }).trustedProxies).toEqual([]);
    expect(loadConfig({ JEJAK_DATA_DIR: dir, JEJAK_TRUSTED_PROXIES: 'uniquelocal, 127.0.0.1, 10.0.0.0/8, ::1' }).trustedProxies).toEqual([
      'uniquelocal',
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
    ]);
    expect(loadConfig({ JEJAK_DATA_DIR: dir }).keyringFile).toBe(join(dir, 'subject-keyring'));
    expect(loadConfig({ JEJAK_DATA_DIR: dir, JEJAK_KEYRING_FILE: join(dir, 'k', 'ring') }).keyringFile).toBe(join(dir, 'k', 'ring'));
  });

  it('listens on every interface unless HOST names one', () => {
    expect(loadConfig({ JEJAK_DATA_DIR: dir }).host).toBeUndefined();
    expect(loadConfig({ JEJAK_DATA_DIR: dir, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  });

  it.each([
    [{ HOST: 'everywhere' }, /HOST/],
    [{ JEJAK_TRUSTED_PROXIES: 'everyone' }, /JEJAK_TRUSTED_PROXIES/],
    [{ JEJAK_TRUSTED_PROXIES: '10.0.0.0/40' }, /JEJAK_TRUSTED_PROXIES/],
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'not a url', JEJAK_JWT_SECRET: 'x'.repeat(40) }, /DATABASE_URL is not a valid URL/],
    [{ DATABASE_URL: 'mysql://h/db', JEJAK_JWT_SECRET: 'x'.repeat(40) }, /postgres:\/\//],
    [{ DATABASE_URL: 'postgres://h/db' }, /configure tokens/],
    [{ DATABASE_URL: 'postgres://h/db', JEJAK_JWT_SECRET: 'x'.repeat(40) }, /JEJAK_MASTER_KEY is required/],
    [{ JEJAK_MASTER_KEY: 'too-short' }, /32 bytes/],
    [{ JEJAK_JWT_SECRET: 'short' }, /at least 32/],
    [{ JEJAK_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----x', JEJAK_JWT_JWKS_URL: 'https://idp/jwks' }, /not both/],
    [{ JEJAK_CORS_ORIGINS: 'https://ok.org,*' }, /not an origin/],
    [{ JEJAK_CORS_ORIGINS: 'https://ok.org/path' }, /origin only/],
    [{ JEJAK_TOKEN_TTL: 'forever' }, /JEJAK_TOKEN_TTL/],
    [{ JEJAK_TIMEZONE: 'Mars/Olympus' }, /IANA/],
    [{ JEJAK_CASE_DEADLINES: 'soon' }, /must be JSON/],
    [{ JEJAK_CASE_DEADLINES: '{"urgentest":{"firstActionHours":1,"resolutionDays":1}}' }, /urgentest/],
    [{ JEJAK_JWT_PUBLIC_KEY: 'nope' }, /PEM/],
    [{ JEJAK_JWT_JWKS_URL: 'ftp://idp/jwks' }, /http/],
    [{ JEJAK_MAX_EVENT_BYTES: '1e6' }, /JEJAK_MAX_EVENT_BYTES/],
    [{ JEJAK_MAX_BATCH_EVENTS: '0' }, /JEJAK_MAX_BATCH_EVENTS/],
    [{ JEJAK_DB_POOL_SIZE: '0', DATABASE_URL: 'postgres://h/db', JEJAK_JWT_SECRET: 'x'.repeat(40) }, /POOL_SIZE/],
    [{ EVENTSTORE_CONNECTION_STRING: 'http://kurrentdb:2113' }, /kurrentdb:\/\//],
    [{ EVENTSTORE_CONNECTION_STRING: 'kurrentdb://kurrentdb:2113' }, /DATABASE_URL is required/],
  ])('refuses %j with a one-line reason', (env, message) => {
    let error: unknown;
    try {
      loadConfig({ JEJAK_DATA_DIR: dir, ...env });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
