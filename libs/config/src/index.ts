import { createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';

import { type DeadlinePolicy, DEFAULT_DEADLINES, DEFAULT_NO_RESPONSE_DAYS, URGENCIES } from '@jejak/accompaniment';
import { type JwtConfig, loadOrCreateSecret } from '@jejak/auth';
import {
  type DatabaseConfig,
  eventMacKey,
  type EventStoreLimits,
  type SqlDatabaseConfig,
  type SqlEventStoreOptions,
} from '@jejak/event-store';
import { LOG_LEVELS, type LogLevel, type LogOptions } from '@jejak/logging';
import { loadOrCreateMasterKey, parseMasterKey } from '@jejak/personal-data';

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
  /** Wraps every data subject's key (crypto-shredding). */
  readonly masterKey: Buffer;
  /**
   * The subject keyring (bucket secrets that wrap subject keys, kept out of the database so erasure is
   * final). Every process of a deployment must use the same file, as they share the master key.
   */
  readonly keyringFile: string;
  /** The address to listen on (HOST); every interface when unset. */
  readonly host?: string;
  /**
   * Proxies whose X-Forwarded-For is believed (Express "trust proxy": loopback, uniquelocal, addresses,
   * CIDRs): the login rate limit then counts per client, not per proxy. None by default.
   */
  readonly trustedProxies?: readonly string[];
  /** Lifetime of tokens issued by POST /auth/login. */
  readonly tokenTtl: string;
  /** Browser origins allowed to call the API; none by default. */
  readonly corsOrigins: readonly string[];
  readonly login: LoginPolicy;
  /** IANA time zone that decides what "today" is for officers' records. */
  readonly timeZone: string;
  /**
   * The deployment's clock: what "now" and "today" are for commands, defaults, validation and reports.
   * Only set from code (tests, drills); the process's own clock when absent. The stores stamp events with
   * their own time.
   */
  readonly clock?: () => Date;
  readonly cases: CasePolicy;
  /** Where process managers (and projections) run: in the API process, or elsewhere (off here). */
  readonly projector: 'inline' | 'off';
  /** How far back X-Occurred-At may date a command (paper records entered later). */
  readonly maxBackdateDays: number;
  readonly audit: AuditPolicy;
  readonly health: HealthPolicy;
  /** JEJAK_METRICS_PORT: where Prometheus scrapes `/metrics` (a port of its own); no metrics server when unset. */
  readonly metricsPort?: number;
  /** JEJAK_LOG_LEVEL (info by default) and JEJAK_LOG_FORMAT (json, pretty, or auto: pretty on a terminal). */
  readonly log: LogOptions;
}

export interface HealthPolicy {
  /** `/health/ready` answers 503 while a read model is further behind the log than this (JEJAK_READY_MAX_LAG_SECONDS). */
  readonly readyMaxLagSeconds: number;
  /** On SIGTERM, how long requests in flight may take to finish before the process closes anyway (JEJAK_DRAIN_SECONDS). */
  readonly drainSeconds: number;
}

export interface AuditPolicy {
  /** JEJAK_SEAL_KEY: the Ed25519 private key (PKCS#8 PEM) that signs seals; else one in the data directory. */
  readonly sealKeyPem?: string;
  /** Seal every N events (JEJAK_SEAL_EVERY_EVENTS) or T seconds (JEJAK_SEAL_EVERY_SECONDS), whichever comes first. */
  readonly sealEveryEvents: number;
  readonly sealEverySeconds: number;
}

export interface CasePolicy {
  /** Target hours to first action and days to resolution, per urgency. */
  readonly deadlines: DeadlinePolicy;
  /** Whether a case may be resolved while a referral is still open. */
  readonly allowResolveWithOpenReferrals: boolean;
  /** Days of silence after which a referral may be recorded as "no response" without a reason. */
  readonly noResponseAfterDays: number;
}

export interface LoginPolicy {
  /** Consecutive failures that lock an account, and for how long. */
  readonly maxFailures: number;
  readonly lockMinutes: number;
  /** Login attempts allowed per client address per minute, whatever the account. */
  readonly attemptsPerMinute: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const set = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/**
 * The address the API listens on. Unset: every interface (`::`, which includes IPv4), so that phones on
 * the village office's network reach it; `127.0.0.1` keeps it to this machine (behind a reverse proxy).
 */
function host(env: Env): string | undefined {
  const text = set(env.HOST);
  if (text === undefined) return undefined;
  if (isIP(text) === 0 && text !== 'localhost')
    throw new ConfigError(`HOST must be an IP address to listen on, such as 127.0.0.1 or 0.0.0.0 (got "${text}")`);
  return text;
}

function port(env: Env): number {
  const text = set(env.PORT) ?? '3000';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) throw new ConfigError(`PORT must be a number from 0 to 65535 (got "${text}")`);
  return value;
}

/**
 * With EVENTSTORE_CONNECTION_STRING, events live in KurrentDB; read models, checkpoints and the system's
 * other tables stay in PostgreSQL (DATABASE_URL), which is then required.
 */
function database(env: Env, dataDir: string): DatabaseConfig {
  const sql = sqlDatabase(env, dataDir);
  const eventStore = set(env.EVENTSTORE_CONNECTION_STRING);
  if (!eventStore) return sql;
  if (!/^(esdb|kurrentdb)(\+discover)?:\/\/[^/?#]+/i.test(eventStore)) {
    throw new ConfigError(
      'EVENTSTORE_CONNECTION_STRING must look like kurrentdb://host:2113?tls=false (or esdb://, esdb+discover://, kurrentdb+discover://)',
    );
  }
  if (sql.kind !== 'postgres') {
    throw new ConfigError(
      'With EVENTSTORE_CONNECTION_STRING set, DATABASE_URL is required: read models and checkpoints live in PostgreSQL',
    );
  }
  return { kind: 'kurrentdb', connectionString: eventStore, readModels: sql };
}

function sqlDatabase(env: Env, dataDir: string): SqlDatabaseConfig {
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
 * The JWT settings: a shared secret (HS256: login tokens and `npm run token`), and optionally an identity
 * provider's public key or JWKS. With nothing set, the embedded default generates a secret into its data
 * directory; a PostgreSQL deployment must choose, because its API replicas must share keys.
 */
export function jwtConfig(env: Env, dataDir: string, embedded: boolean): JwtConfig {
  const secret = set(env.JEJAK_JWT_SECRET);
  const publicKey = set(env.JEJAK_JWT_PUBLIC_KEY);
  const jwksUrl = set(env.JEJAK_JWT_JWKS_URL);
  const claims = {
    ...(set(env.JEJAK_JWT_ISSUER) ? { issuer: set(env.JEJAK_JWT_ISSUER) } : {}),
    ...(set(env.JEJAK_JWT_AUDIENCE) ? { audience: set(env.JEJAK_JWT_AUDIENCE) } : {}),
  };
  if (publicKey && jwksUrl) throw new ConfigError('Set JEJAK_JWT_PUBLIC_KEY or JEJAK_JWT_JWKS_URL, not both');
  if (secret && secret.length < 32) throw new ConfigError('JEJAK_JWT_SECRET must be at least 32 characters');
  if (publicKey && !publicKey.includes('BEGIN PUBLIC KEY')) throw new ConfigError('JEJAK_JWT_PUBLIC_KEY must be a PEM public key');
  if (jwksUrl) {
    let url: URL;
    try {
      url = new URL(jwksUrl);
    } catch {
      throw new ConfigError('JEJAK_JWT_JWKS_URL is not a valid URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('JEJAK_JWT_JWKS_URL must be http(s)');
  }
  if (!secret && !publicKey && !jwksUrl && !embedded) {
    throw new ConfigError('With DATABASE_URL set, configure tokens: JEJAK_JWT_SECRET, and/or JEJAK_JWT_PUBLIC_KEY or JEJAK_JWT_JWKS_URL');
  }
  const key = secret ? new TextEncoder().encode(secret) : !publicKey && !jwksUrl ? loadOrCreateSecret(dataDir) : undefined;
  return {
    ...(key ? { secret: key } : {}),
    ...(publicKey ? { publicKeyPem: publicKey.replace(/\\n/g, '\n') } : {}),
    ...(jwksUrl ? { jwksUrl } : {}),
    ...claims,
  };
}

function masterKey(env: Env, dataDir: string, embedded: boolean): Buffer {
  const text = set(env.JEJAK_MASTER_KEY);
  if (text) {
    const key = parseMasterKey(text);
    if (!key) throw new ConfigError('JEJAK_MASTER_KEY must be 32 bytes in base64 (openssl rand -base64 32)');
    return key;
  }
  if (!embedded) throw new ConfigError('With DATABASE_URL set, JEJAK_MASTER_KEY is required (openssl rand -base64 32)');
  return loadOrCreateMasterKey(dataDir);
}

/** `JEJAK_CASE_DEADLINES='{"critical":{"firstActionHours":12,"resolutionDays":7}}'` overrides per urgency. */
function deadlines(env: Env): DeadlinePolicy {
  const text = set(env.JEJAK_CASE_DEADLINES);
  if (!text) return DEFAULT_DEADLINES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError('JEJAK_CASE_DEADLINES must be JSON, e.g. {"critical":{"firstActionHours":12,"resolutionDays":7}}');
  }
  const out: Record<string, { firstActionHours: number; resolutionDays: number }> = { ...DEFAULT_DEADLINES };
  for (const [urgency, value] of Object.entries((parsed ?? {}) as Record<string, unknown>)) {
    const v = value as { firstActionHours?: unknown; resolutionDays?: unknown };
    const ok = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;
    if (!(URGENCIES as readonly string[]).includes(urgency) || !ok(v?.firstActionHours) || !ok(v?.resolutionDays)) {
      throw new ConfigError(
        `JEJAK_CASE_DEADLINES: "${urgency}" needs positive firstActionHours and resolutionDays (urgencies: ${URGENCIES.join(', ')})`,
      );
    }
    out[urgency] = { firstActionHours: v.firstActionHours, resolutionDays: v.resolutionDays };
  }
  return out as unknown as DeadlinePolicy;
}

function metricsPort(env: Env): number | undefined {
  const text = set(env.JEJAK_METRICS_PORT);
  if (text === undefined) return undefined;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65_535) throw new ConfigError('JEJAK_METRICS_PORT must be a port number from 0 to 65535');
  return Number(text);
}

function logOptions(env: Env): LogOptions {
  const level = (set(env.JEJAK_LOG_LEVEL) ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ConfigError(`JEJAK_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const format = (set(env.JEJAK_LOG_FORMAT) ?? 'auto').toLowerCase();
  if (format !== 'json' && format !== 'pretty' && format !== 'auto') throw new ConfigError('JEJAK_LOG_FORMAT must be json, pretty or auto');
  return { level: level as LogLevel, format };
}

function projector(env: Env): 'inline' | 'off' {
  const value = set(env.JEJAK_PROJECTOR) ?? 'inline';
  if (value !== 'inline' && value !== 'off') throw new ConfigError('JEJAK_PROJECTOR must be inline or off');
  return value;
}

function trustedProxies(env: Env): string[] {
  const text = set(env.JEJAK_TRUSTED_PROXIES);
  if (!text) return [];
  return text.split(',').map((entry) => {
    const e = entry.trim();
    const [address, bits, extra] = e.split('/');
    const kind = isIP(address ?? '');
    const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (kind === 6 ? 128 : 32));
    if (['loopback', 'linklocal', 'uniquelocal'].includes(e) || (kind !== 0 && okBits && extra === undefined)) return e;
    throw new ConfigError(`JEJAK_TRUSTED_PROXIES: "${e}" is not loopback, linklocal, uniquelocal, an IP address or a CIDR range`);
  });
}

function corsOrigins(env: Env): string[] {
  const text = set(env.JEJAK_CORS_ORIGINS);
  if (!text) return [];
  return text.split(',').map((origin) => {
    const o = origin.trim();
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      throw new ConfigError(`JEJAK_CORS_ORIGINS: "${o}" is not an origin like https://app.example.org`);
    }
    if (url.origin !== o) throw new ConfigError(`JEJAK_CORS_ORIGINS: "${o}" must be an origin only (scheme, host, port)`);
    return o;
  });
}

/** JEJAK_SEAL_KEY: a PKCS#8 PEM Ed25519 private key; `\n` escapes are accepted for one-line env files. */
function sealKey(text: string): string {
  const pem = text.replace(/\\n/g, '\n');
  try {
    if (createPrivateKey(pem).asymmetricKeyType === 'ed25519') return pem;
  } catch {
    // reported below, without echoing the key
  }
  throw new ConfigError('JEJAK_SEAL_KEY must be an Ed25519 private key in PKCS#8 PEM (openssl genpkey -algorithm ed25519)');
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
  const embedded = db.kind === 'pglite';
  const tokenTtl = set(env.JEJAK_TOKEN_TTL) ?? '8h';
  const timeZone = set(env.JEJAK_TIMEZONE) ?? 'Asia/Jakarta';
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
  } catch {
    throw new ConfigError(`JEJAK_TIMEZONE "${timeZone}" is not an IANA time zone such as Asia/Jakarta`);
  }
  if (!/^\d+[smhd]$/.test(tokenTtl)) throw new ConfigError('JEJAK_TOKEN_TTL must look like 30m, 8h or 7d');
  return {
    port: port(env),
    ...(host(env) ? { host: host(env) } : {}),
    dataDir,
    database: db,
    jwt: jwtConfig(env, dataDir, embedded),
    limits: limits(env),
    masterKey: masterKey(env, dataDir, embedded),
    keyringFile: resolve(set(env.JEJAK_KEYRING_FILE) ?? join(dataDir, 'subject-keyring')),
    trustedProxies: trustedProxies(env),
    tokenTtl,
    corsOrigins: corsOrigins(env),
    login: {
      maxFailures: positiveInt(env, 'JEJAK_LOGIN_MAX_FAILURES', 100) ?? 5,
      lockMinutes: positiveInt(env, 'JEJAK_LOGIN_LOCK_MINUTES', 24 * 60) ?? 15,
      attemptsPerMinute: positiveInt(env, 'JEJAK_LOGIN_RATE_PER_MINUTE', 10_000) ?? 20,
    },
    timeZone,
    projector: projector(env),
    log: logOptions(env),
    ...(metricsPort(env) !== undefined ? { metricsPort: metricsPort(env)! } : {}),
    health: {
      readyMaxLagSeconds: positiveInt(env, 'JEJAK_READY_MAX_LAG_SECONDS', 86_400) ?? 60,
      drainSeconds: positiveInt(env, 'JEJAK_DRAIN_SECONDS', 3_600) ?? 30,
    },
    maxBackdateDays: positiveInt(env, 'JEJAK_MAX_BACKDATE_DAYS', 3_650) ?? 1_096,
    audit: {
      ...(set(env.JEJAK_SEAL_KEY) ? { sealKeyPem: sealKey(set(env.JEJAK_SEAL_KEY)!) } : {}),
      sealEveryEvents: positiveInt(env, 'JEJAK_SEAL_EVERY_EVENTS', 10_000_000) ?? 10_000,
      sealEverySeconds: positiveInt(env, 'JEJAK_SEAL_EVERY_SECONDS', 86_400) ?? 60,
    },
    cases: {
      deadlines: deadlines(env),
      allowResolveWithOpenReferrals: /^(1|true|yes)$/i.test(set(env.JEJAK_ALLOW_RESOLVE_WITH_OPEN_REFERRALS) ?? 'false'),
      noResponseAfterDays: positiveInt(env, 'JEJAK_REFERRAL_NO_RESPONSE_DAYS', 3_650) ?? DEFAULT_NO_RESPONSE_DAYS,
    },
  };
}

/** How every process of the deployment opens its event store: the limits, and the key events are authenticated with. */
export function storeOptions(config: Pick<JejakConfig, 'limits' | 'masterKey'>): SqlEventStoreOptions {
  return { limits: config.limits, macKey: eventMacKey(config.masterKey) };
}
