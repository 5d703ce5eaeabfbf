import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

/** The PostgreSQL server the integration suites use; unset means those suites are reported as skipped. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/**
 * `describe` when PostgreSQL is configured for tests, otherwise jest's skip (reported, never a silent
 * pass). In the runs at a set instant (test/support/at-instant.ts) these suites are not part of the run at
 * all: the PostgreSQL server stamps events by its own clock, which the test cannot set.
 */
export const describeIfPostgres: jest.Describe = process.env.JEJAK_TEST_INSTANT
  ? (((_name: string, _fn: () => void) => undefined) as unknown as jest.Describe)
  : TEST_DATABASE_URL
    ? describe
    : describe.skip;

export interface Disposable<T> {
  readonly value: T;
  dispose(): Promise<void>;
}

/** A brand-new database on the test server, so suites running in parallel never see each other's events. */
export async function freshPostgresDatabase(): Promise<Disposable<string>> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `jejak_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    value: url.toString(),
    dispose: async () => {
      const c = new Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function freshDirectory(prefix = 'jejak-test-'): Promise<Disposable<string>> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { value: path, dispose: () => rm(path, { recursive: true, force: true }) };
}

export { collect } from '@jejak/event-store';

/** Waits for `promise` at most `ms`, then returns whether it settled; never leaves a timer behind. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` until it returns a value (not undefined), at most `ms`; for what other processes finish. */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
export { caseModel } from './arbitraries/case';
export { placementModel } from './arbitraries/placement';
export { preventionModel } from './arbitraries/prevention';
export {
  checkDeciderProperties,
  commandsOf,
  type Decided,
  type DeciderProperties,
  type DeciderRunStats,
  draw,
  type Drawn,
  historyOf,
} from './decider-properties';
export { DeciderSpecification, type SpecCommand } from './decider-specification';
