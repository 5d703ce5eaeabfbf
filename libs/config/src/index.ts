import { resolve } from 'node:path';
import { loadOrCreateSecret, type JwtConfig } from '@jejak/auth';
import type { DatabaseConfig, EventStoreLimits } from '@jejak/event-store';

/** A configuration problem, reported as one line at start; never a stack trace. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface JejakConfig {
  readonly port: number;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly jwt: JwtConfig;
  /** Overrides of the event store's limits (per-event size, events per append). */
  readonly limits: Partial<EventStoreLimits>;
}

type Env = Readonly<Record<string, string | undefined>>;

const set = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

function port(env: Env): number {
  const text = set(env.PORT) ?? '3000';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) throw new ConfigError(`PORT must be a number from 0 to 65535 (got "${text}")`);
  return value;
}

function database(env: Env, dataDir: string): DatabaseConfig {
  const url = set(env.DATABASE_URL);
  if (!url) return { kind: 'pglite', dataDir };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL (expected postgres://user@host:5432/database)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//)`);
  }
  const poolText = set(env.JEJAK_DB_POOL_SIZE);
  const poolSize = poolText === undefined ? undefined : Number(poolText);
  if (poolSize !== undefined && (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 1000)) {
    throw new ConfigError('JEJAK_DB_POOL_SIZE must be a whole number from 1 to 1000');
  }
  return { kind: 'postgres', connectionString: url, ...(poolSize ? { poolSize } : {}) };
}

/**
 * The JWT settings: exactly one of a shared secret, a public key or a JWKS URL. With none, the embedded
 * default generates a secret into its data directory; a PostgreSQL deployment must choose explicitly,
 * because several API replicas must share the same keys.
 */
export function jwtConfig(env: Env, dataDir: string, embedded: boolean): JwtConfig {
  const secret = set(env.JEJAK_JWT_SECRET);
  const publicKey = set(env.JEJAK_JWT_PUBLIC_KEY);
  const jwksUrl = set(env.JEJAK_JWT_JWKS_URL);
  const claims = {
    ...(set(env.JEJAK_JWT_ISSUER) ? { issuer: set(env.JEJAK_JWT_ISSUER) } : {}),
    ...(set(env.JEJAK_JWT_AUDIENCE) ? { audience: set(env.JEJAK_JWT_AUDIENCE) } : {}),
  };
  const chosen = [secret, publicKey, jwksUrl].filter(Boolean).length;
  if (chosen > 1) {
    throw new ConfigError('Set only one of JEJAK_JWT_SECRET, JEJAK_JWT_PUBLIC_KEY and JEJAK_JWT_JWKS_URL');
  }
  if (secret) {
    if (secret.length < 32) throw new ConfigError('JEJAK_JWT_SECRET must be at least 32 characters');
    return { mode: 'hs256', secret: new TextEncoder().encode(secret), ...claims };
  }
  if (publicKey) {
    if (!publicKey.includes('BEGIN PUBLIC KEY')) throw new ConfigError('JEJAK_JWT_PUBLIC_KEY must be a PEM public key');
    return { mode: 'rs256', publicKeyPem: publicKey.replace(/\\n/g, '\n'), ...claims };
  }
  if (jwksUrl) {
    let url: URL;
    try {
      url = new URL(jwksUrl);
    } catch {
      throw new ConfigError('JEJAK_JWT_JWKS_URL is not a valid URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('JEJAK_JWT_JWKS_URL must be http(s)');
    return { mode: 'jwks', jwksUrl, ...claims };
  }
  if (!embedded) {
    throw new ConfigError(
      'With DATABASE_URL set, configure tokens: JEJAK_JWT_SECRET, JEJAK_JWT_PUBLIC_KEY or JEJAK_JWT_JWKS_URL',
    );
  }
  return { mode: 'hs256', secret: loadOrCreateSecret(dataDir), ...claims };
}

function positiveInt(env: Env, name: string, max: number): number | undefined {
  const text = set(env[name]);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) throw new ConfigError(`${name} must be a whole number from 1 to ${max}`);
  return value;
}

function limits(env: Env): Partial<EventStoreLimits> {
  // PostgreSQL's jsonb holds up to 255 MiB; beyond a few MiB an event is a document, not a fact.
  const maxEventBytes = positiveInt(env, 'JEJAK_MAX_EVENT_BYTES', 64 * 1024 * 1024);
  const maxBatchEvents = positiveInt(env, 'JEJAK_MAX_BATCH_EVENTS', 1_000_000);
  return { ...(maxEventBytes ? { maxEventBytes } : {}), ...(maxBatchEvents ? { maxBatchEvents } : {}) };
}

export function loadConfig(env: Env = process.env): JejakConfig {
  const dataDir = resolve(set(env.JEJAK_DATA_DIR) ?? 'data');
  const db = database(env, dataDir);
  return { port: port(env), dataDir, database: db, jwt: jwtConfig(env, dataDir, db.kind === 'pglite'), limits: limits(env) };
}
