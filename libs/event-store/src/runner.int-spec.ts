import { randomUUID } from 'node:crypto';

import { describeIfPostgres, type Disposable, freshPostgresDatabase } from '@jejak/testing';

import { StoreUnavailable } from './errors';
import { type DatabaseConfig, openEventStore } from './open';
import { type EventHandler, HandlerFailed, LeasedRunner, SqlCheckpointStore, SubscriptionRunner } from './runner';
import type { SqlQueryable } from './sql/sql-client';
import type { RecordedEvent } from './types';

function runnerSuite(database: () => Promise<Disposable<DatabaseConfig>>): void {
  let db: Disposable<DatabaseConfig>;
  let opened: Awaited<ReturnType<typeof openEventStore>>;
  let checkpoints: SqlCheckpointStore;
  beforeAll(async () => {
    db = await database();
    opened = await openEventStore(db.value);
    checkpoints = await SqlCheckpointStore.create(opened.db);
    await opened.db.exec(`create table if not exists runner_test (stream text, n int, primary key (stream, n))`);
  });
  afterAll(async () => {
    await opened?.close();
    await db?.dispose();
  });

  const append = async (stream: string, from: number, count: number) => {
    for (let i = from; i < from + count; i++) {
      await opened.store.append(stream, [{ type: 'Counted', data: { n: i } }], { expectedRevision: i === 0 ? 'no_stream' : BigInt(i - 1) });
    }
  };

  /**
   * Appends `count` events the runner does not take, each scanned before the next comes; then waits (3 s at
   * most) for the progress another process reads to reach the last. Resolves the last position and what
   * was read.
   */
  const scanPastOthers = async (runner: SubscriptionRunner, tag: string, count: number) => {
    let last = 0n;
    for (let i = 0; i < count; i++) {
      last = (await opened.store.append(`${tag}-other-${i}`, [{ type: 'Counted', data: { n: i } }], { expectedRevision: 'no_stream' }))
        .position;
      expect(await runner.waitFor(last)).toBe(true);
    }
    const deadline = Date.now() + 3_000;
    let saved = await checkpoints.scanned(tag);
    while ((saved ?? -1n) < last && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      saved = await checkpoints.scanned(tag);
    }
    return { last, saved };
  };

  it('handles events in order and resumes after its checkpoint when restarted', async () => {
    const tag = `r${randomUUID().slice(0, 8)}`;
    const seen: number[] = [];
    const handler: EventHandler = {
      name: tag,
      filter: { streamPrefixes: [`${tag}-`] },
      handle: async (events) => void seen.push(...events.map((e) => (e.data as { n: number }).n)),
    };
    await append(`${tag}-a`, 0, 5);
    const first = new SubscriptionRunner(opened.store, checkpoints, handler);
    await first.start();
    const last = (await opened.store.append(`${tag}-a`, [{ type: 'Counted', data: { n: 5 } }], { expectedRevision: 4n })).position;
    expect(await first.waitFor(last)).toBe(true);
    await first.stop();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await checkpoints.load(tag)).toBe(last);

    await append(`${tag}-a`, 6, 2);
    const second = new SubscriptionRunner(opened.store, checkpoints, handler);
    await second.start();
    const end = (await opened.store.append(`${tag}-a`, [{ type: 'Counted', data: { n: 8 } }], { expectedRevision: 7n })).position;
    expect(await second.waitFor(end)).toBe(true);
    await second.stop();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]); // nothing twice, nothing skipped
    expect(second.status()).toMatchObject({ name: tag, state: 'stopped', handled: 3, failure: null });
  });

  it('in transactional mode rolls back a failed batch with its checkpoint, stops visibly, and resumes at that event', async () => {
    const tag = `t${randomUUID().slice(0, 8)}`;
    let poison = 3;
    const handler: EventHandler = {
      name: tag,
      filter: { streamPrefixes: [`${tag}-`] },
      transactional: true,
      handle: async (events: readonly RecordedEvent[], tx?: SqlQueryable) => {
        for (const event of events) {
          const n = (event.data as { n: number }).n;
          await tx!.query(`insert into runner_test (stream, n) values ($1, $2)`, [tag, n]);
          if (n === poison) throw new HandlerFailed(event, new Error('cannot project this'));
        }
      },
    };
    await append(`${tag}-a`, 0, 6);
    const runner = new SubscriptionRunner(opened.store, checkpoints, handler);
    await runner.start();
    for (let i = 0; i < 100 && runner.status().state === 'running'; i++) await new Promise((r) => setTimeout(r, 20));
    const status = runner.status();
    expect(status.state).toBe('failed');
    expect(status.failure).toMatchObject({ eventType: 'Counted', streamId: `${tag}-a`, code: 'Error' });
    // The whole batch rolled back with its checkpoint: no row of it stayed, the checkpoint did not move.
    expect(await opened.db.query(`select n from runner_test where stream = $1`, [tag])).toEqual([]);
    expect(await checkpoints.load(tag)).toBeUndefined();

    poison = -1; // the fix is deployed
    const fixed = new SubscriptionRunner(opened.store, checkpoints, handler);
    await fixed.start();
    const end = (await opened.store.append(`${tag}-a`, [{ type: 'Counted', data: { n: 6 } }], { expectedRevision: 5n })).position;
    expect(await fixed.waitFor(end)).toBe(true);
    await fixed.stop();
    const rows = await opened.db.query<{ n: number }>(`select n from runner_test where stream = $1 order by n`, [tag]);
    expect(rows.map((r) => r.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('saves how far it scanned past events it does not take even when the log goes quiet right after them', async () => {
    const tag = `q${randomUUID().slice(0, 8)}`;
    const handler: EventHandler = { name: tag, filter: { streamPrefixes: [`${tag}-mine-`] }, handle: async () => undefined };
    await append(`${tag}-mine-a`, 0, 1);
    const runner = new SubscriptionRunner(opened.store, checkpoints, handler);
    await runner.start();
    try {
      // Events it does not take, one after another, each scanned before the next comes (all inside a throttle
      // window: the first progress is saved at once, the later ones are not), then nothing more. Another
      // process reads the saved progress: it must reach the last event without any further event.
      const { last, saved } = await scanPastOthers(runner, tag, 5);
      // (Scanning reaches a settled bound, which may lie past the last event's position.)
      expect(saved !== undefined && saved >= last).toBe(true);
    } finally {
      await runner.stop();
    }
  });

  it('shows other processes how far it scanned before it has taken any event, and takes the first one when it comes', async () => {
    const tag = `n${randomUUID().slice(0, 8)}`;
    const taken: string[] = [];
    const handler: EventHandler = {
      name: tag,
      filter: { streamPrefixes: [`${tag}-mine-`] },
      handle: async (events) => void taken.push(...events.map((e) => e.streamId)),
    };
    const runner = new SubscriptionRunner(opened.store, checkpoints, handler);
    await runner.start();
    try {
      // Nothing taken, yet another process reads how far it got (before, it read nothing and counted the
      // whole log as lag).
      const { last, saved } = await scanPastOthers(runner, tag, 3);
      expect(saved !== undefined && saved >= last).toBe(true);
      expect(runner.status().position).toBeNull();
      expect(await checkpoints.load(tag)).toBeUndefined();
      // Its first event is taken, and the checkpoint then holds it.
      const mine = (await opened.store.append(`${tag}-mine-a`, [{ type: 'Counted', data: { n: 0 } }], { expectedRevision: 'no_stream' }))
        .position;
      expect(await runner.waitFor(mine)).toBe(true);
      expect(taken).toEqual([`${tag}-mine-a`]);
      expect(await checkpoints.load(tag)).toBe(mine);
    } finally {
      await runner.stop();
    }
  });

  it('retries a batch while storage is unavailable, then carries on', async () => {
    const tag = `u${randomUUID().slice(0, 8)}`;
    let outages = 2;
    const seen: number[] = [];
    const handler: EventHandler = {
      name: tag,
      filter: { streamPrefixes: [`${tag}-`] },
      handle: async (events) => {
        if (outages-- > 0) throw new StoreUnavailable('down for a moment');
        seen.push(...events.map((e) => (e.data as { n: number }).n));
      },
    };
    await append(`${tag}-a`, 0, 2);
    const runner = new SubscriptionRunner(opened.store, checkpoints, handler, { backoffMs: 5 });
    await runner.start();
    const end = (await opened.store.append(`${tag}-a`, [{ type: 'Counted', data: { n: 2 } }], { expectedRevision: 1n })).position;
    expect(await runner.waitFor(end)).toBe(true);
    await runner.stop();
    expect(seen).toEqual([0, 1, 2]);
  });
}

describeIfPostgres('leased runner on PostgreSQL', () => {
  it('runs in exactly one of two processes, and the standby takes over when the owner stops', async () => {
    const db = await freshPostgresDatabase();
    const a = await openEventStore({ kind: 'postgres', connectionString: db.value });
    const b = await openEventStore({ kind: 'postgres', connectionString: db.value });
    try {
      const tag = `l${randomUUID().slice(0, 8)}`;
      const seen: string[] = [];
      const handler = (who: string): EventHandler => ({
        name: tag,
        filter: { streamPrefixes: [`${tag}-`] },
        handle: async (events) => void seen.push(...events.map(() => who)),
      });
      const first = new LeasedRunner(
        a.db,
        new SubscriptionRunner(a.store, await SqlCheckpointStore.create(a.db), handler('a')),
        `lease:${tag}`,
        50,
      );
      const second = new LeasedRunner(
        b.db,
        new SubscriptionRunner(b.store, await SqlCheckpointStore.create(b.db), handler('b')),
        `lease:${tag}`,
        50,
      );
      await first.start();
      await second.start();
      expect([first.status().state, second.status().state]).toEqual(['running', 'standby']);
      const p1 = (await a.store.append(`${tag}-1`, [{ type: 'E', data: {} }], { expectedRevision: 'no_stream' })).position;
      for (let i = 0; i < 100 && seen.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
      await first.stop();
      for (let i = 0; i < 100 && second.status().state !== 'running'; i++) await new Promise((r) => setTimeout(r, 20));
      expect(second.status()).toMatchObject({ state: 'running', owned: true });
      await a.store.append(`${tag}-1`, [{ type: 'E', data: {} }], { expectedRevision: 0n });
      for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual(['a', 'b']); // each event handled once, by whoever held the lease
      expect(p1).toBeGreaterThan(0n);
      await second.stop();
    } finally {
      await a.close();
      await b.close();
      await db.dispose();
    }
  });
});

describe('subscription runner on PGlite', () =>
  runnerSuite(async () => ({ value: { kind: 'pglite', dataDir: undefined }, dispose: async () => undefined })));
describeIfPostgres('subscription runner on PostgreSQL', () =>
  runnerSuite(async () => {
    const db = await freshPostgresDatabase();
    return { value: { kind: 'postgres', connectionString: db.value }, dispose: db.dispose };
  }),
);
