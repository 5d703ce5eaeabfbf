import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { type DeadlinePolicy, DEFAULT_DEADLINES, SENSITIVE_CATEGORIES } from '@jejak/accompaniment';
import { signToken } from '@jejak/auth';
import type { JejakConfig } from '@jejak/config';
import type { DatabaseConfig } from '@jejak/event-store';
import type { Role, Unit } from '@jejak/kernel';
import { parseScope } from '@jejak/kernel';
import type { LogSink } from '@jejak/logging';
import type { PersonalDataVault } from '@jejak/personal-data';
import { type Disposable, freshDirectory, freshPostgresDatabase } from '@jejak/testing';
import type { INestApplication } from '@nestjs/common';

import { createApp } from '../../apps/api/src/app';
import { type Extension, RuntimeCloser } from '../../apps/api/src/app.module';
import { IntegrityService } from '../../apps/api/src/audit/integrity.service';
import { ProcessManagers } from '../../apps/api/src/links/process-managers.service';
import { ReadModels } from '../../apps/api/src/read-models/read-models.service';
import { VAULT } from '../../apps/api/src/tokens';
import { type KurrentTestServer, startKurrentTestServer } from '../kurrentdb/test-server';

/** One seal key for every test API, so that a store reopened by another test API verifies against it. */
export const TEST_SEAL_KEY = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;

export const TEST_SECRET = new TextEncoder().encode('e2e-secret-that-is-long-enough-for-hs256!!');

export interface TestApi {
  readonly app: INestApplication;
  readonly config: JejakConfig;
  /** The KurrentDB protocol test server the API's events are in (kind kurrentdb, no real server configured). */
  readonly kurrent?: KurrentTestServer;
  token(sub: string, role: Role, ...scopes: string[]): Promise<string>;
  /** An officer's token naming their units (a plain officer token names none: both). */
  officerToken(sub: string, units: readonly Unit[], ...scopes: string[]): Promise<string>;
  close(): Promise<void>;
  /** Stops the API but keeps its database and master key, for a restart with `reuse`. */
  keepData(): Promise<KeptData>;
}

/** What a stopped test API leaves for a restart: its database, master key and subject keyring. */
export interface KeptData {
  readonly database: DatabaseConfig;
  readonly masterKey: Buffer;
  readonly keyringFile: string;
  dispose(): Promise<void>;
}

/**
 * The real API over a real database: a fresh PGlite directory, a fresh PostgreSQL database, or events in
 * KurrentDB (the protocol test server; `EVENTSTORE_CONNECTION_STRING` for a real one) with the read models
 * in a fresh PostgreSQL database.
 */
export async function startTestApi(
  kind: 'pglite' | 'postgres' | 'kurrentdb',
  options: {
    extension?: Extension;
    logger?: LogSink;
    projector?: 'inline' | 'off';
    deadlines?: DeadlinePolicy;
    /** Settings to change from the test defaults. */
    config?: Partial<Pick<JejakConfig, 'trustedProxies' | 'login' | 'health'>>;
    /** Restart on the database and master key of an earlier instance (closed with keepData). */
    reuse?: KeptData;
    /** The deployment's clock (default: the process's). */
    clock?: () => Date;
  } = {},
): Promise<TestApi> {
  let disposable: Disposable<string>;
  let database: DatabaseConfig;
  let kurrent: KurrentTestServer | undefined;
  let keyringFile: string;
  if (options.reuse) {
    keyringFile = options.reuse.keyringFile;
    disposable = { value: '', dispose: options.reuse.dispose };
    database = options.reuse.database;
  } else if (kind === 'pglite') {
    disposable = await freshDirectory();
    database = { kind: 'pglite', dataDir: disposable.value };
    keyringFile = join(disposable.value, 'subject-keyring');
  } else if (kind === 'postgres') {
    const db = await freshPostgresDatabase();
    const dir = await freshDirectory();
    disposable = { value: db.value, dispose: async () => (await db.dispose(), await dir.dispose()) };
    database = { kind: 'postgres', connectionString: db.value };
    keyringFile = join(dir.value, 'subject-keyring');
  } else {
    const dir = await freshDirectory();
    keyringFile = join(dir.value, 'subject-keyring');
    const readModels = await freshPostgresDatabase();
    const real = process.env.EVENTSTORE_CONNECTION_STRING;
    const server = real ? undefined : await startKurrentTestServer();
    kurrent = server;
    disposable = {
      value: readModels.value,
      dispose: async () => {
        await server?.stop();
        await readModels.dispose();
        await dir.dispose();
      },
    };
    database = {
      kind: 'kurrentdb',
      connectionString: real ?? server!.connectionString,
      readModels: { kind: 'postgres', connectionString: readModels.value },
    };
  }
  const config: JejakConfig = {
    port: 0,
    dataDir: database.kind === 'pglite' ? database.dataDir! : '/nonexistent',
    database,
    jwt: { secret: TEST_SECRET },
    limits: {},
    masterKey: options.reuse?.masterKey ?? randomBytes(32),
    keyringFile,
    tokenTtl: '1h',
    maxBackdateDays: 1_096,
    audit: { sealKeyPem: TEST_SEAL_KEY, sealEveryEvents: 10_000, sealEverySeconds: 60 },
    corsOrigins: ['https://app.example.org'],
    login: { maxFailures: 3, lockMinutes: 15, attemptsPerMinute: 1000 },
    timeZone: 'Asia/Jakarta',
    cases: { deadlines: options.deadlines ?? DEFAULT_DEADLINES, allowResolveWithOpenReferrals: false, noResponseAfterDays: 30 },
    projector: options.projector ?? 'inline',
    log: { level: 'info', format: 'json' },
    health: { readyMaxLagSeconds: 60, drainSeconds: 30 },
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.config,
  };
  const app = await createApp(config, { ...(options.extension ? { extension: options.extension } : {}), logger: options.logger ?? false });
  return {
    app,
    config,
    ...(kurrent ? { kurrent } : {}),
    token: (sub, role, ...scopes) => signToken(TEST_SECRET, { sub, role, scopes: scopes.map((s) => parseScope(s)!) }),
    officerToken: (sub, units, ...scopes) =>
      signToken(TEST_SECRET, { sub, role: 'officer', scopes: scopes.map((s) => parseScope(s)!), units }),
    close: async () => {
      await watched(
        'app.close()',
        () => app.close(),
        () => runnersOf(app),
      );
      await watched(
        'dropping the test database',
        () => disposable.dispose(),
        () => ({}),
      );
    },
    keepData: async () => {
      await watched(
        'app.close()',
        () => app.close(),
        () => runnersOf(app),
      );
      return { database, masterKey: config.masterKey, keyringFile, dispose: disposable.dispose };
    },
  };
}

/**
 * Runs a step of shutting a test API down and, if it is still running after 20 s, prints what is still
 * going on (the runners' states, Node's active resources), so that a hang in CI names its cause.
 */
async function watched<T>(step: string, run: () => Promise<T>, describe: () => object): Promise<T> {
  const started = Date.now();
  let described: object = {};
  try {
    described = describe();
  } catch {
    // the application may be half-built; the diagnosis is only a help
  }
  const timer = setTimeout(() => {
    // What has stopped since (a runner not yet "stopped" is what the shutdown waits for), and what still runs.
    let now: object = {};
    try {
      now = describe();
    } catch {
      // the application may be half torn down
    }
    console.error(
      `${step} still running after ${Math.round((Date.now() - started) / 1000)} s`,
      JSON.stringify({ before: described, now, resources: process.getActiveResourcesInfo() }),
    );
  }, 20_000);
  timer.unref();
  try {
    return await run();
  } finally {
    clearTimeout(timer);
  }
}

function runnersOf(app: INestApplication): object {
  const get = <T>(token: { new (...args: never[]): T }): T | undefined => {
    try {
      return app.get(token, { strict: false });
    } catch {
      return undefined;
    }
  };
  return {
    shutdown: get(RuntimeCloser)?.stage,
    projections: get(ReadModels)?.status(),
    integrity: get(IntegrityService)?.status(),
    processManagers: get(ProcessManagers)?.statuses(),
  };
}

/** Collects everything the application logs, to check that no personal data or secret reaches a log. */
/** Captures every line of the API's structured log (pino's JSON lines, every level): tests search them. */
export class CapturingLogger implements LogSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  /** The lines as objects. */
  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** Today in the deployment's time zone (the tests' Asia/Jakarta), as the server counts days: never the UTC date. */
export function todayInJakarta(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/**
 * A read of one's own write as a well-behaved client makes it: with X-Min-Position set by `send`, sent
 * again after Retry-After while the read models are still catching up (503 PROJECTION_BEHIND, as when
 * another suite loads the machine), up to twenty times; then the status must be 200.
 */
export async function readOwnWrite<R extends { status: number; body: { code?: string }; headers: Record<string, string> }>(
  send: () => PromiseLike<R>,
): Promise<R> {
  for (let attempt = 0; ; attempt++) {
    const res = await send();
    if (res.status === 503 && res.body?.code === 'PROJECTION_BEHIND' && attempt < 20) {
      await new Promise((r) => setTimeout(r, Math.min(Number(res.headers['retry-after'] ?? 1), 2) * 1000));
      continue;
    }
    if (res.status !== 200) throw new Error(`expected 200, got ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  }
}

/**
 * What each statistics token of a test API stands for (health and trafficking categories, sex), from its
 * vault: how a test that counts from the raw events names what the events hold only as tokens.
 */
export function tokenNames(api: TestApi): Map<string, string> {
  const vault = api.app.get<PersonalDataVault>(VAULT);
  return new Map([
    ...SENSITIVE_CATEGORIES.map((c) => [vault.statisticsToken('category', c), c] as const),
    ...['F', 'M'].map((x) => [vault.statisticsToken('sex', x), x] as const),
  ]);
}
