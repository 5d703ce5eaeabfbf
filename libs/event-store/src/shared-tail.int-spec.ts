import { randomUUID } from 'node:crypto';

import { describeIfPostgres, freshPostgresDatabase } from '@jejak/testing';

import { collect } from './collect';
import { openDatabase, type SqlDatabaseConfig } from './open';
import type { SqlClient } from './sql/sql-client';
import { SqlEventStore } from './sql/sql-event-store';
import type { EventFilter, RecordedEvent, Subscription } from './types';

/** The database, counting the reads of the log a follower or the shared tail makes (one statement each). */
function counting(db: SqlClient): { db: SqlClient; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(db, {
    get(target, property) {
      if (property === 'query')
        return (text: string, ...rest: unknown[]) => {
          if (/jejak_events e\s+where e\.position > \$1/.test(text)) reads++;
          return (target.query as (...a: unknown[]) => unknown)(text, ...rest);
        };
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy, reads: () => reads };
}

/** A follower collecting what its subscription delivers; `pause` holds it before it takes its next batch. */
function follow(subscription: Subscription): { events: RecordedEvent[]; pause?: Promise<void>; done: Promise<void> } {
  const follower: { events: RecordedEvent[]; pause?: Promise<void>; done: Promise<void> } = { events: [], done: Promise.resolve() };
  follower.done = (async () => {
    for await (const batch of subscription.batches()) {
      if (follower.pause) await follower.pause;
      follower.events.push(...batch.events);
    }
  })();
  return follower;
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function sharedTail(name: string, config: () => Promise<{ value: SqlDatabaseConfig; dispose(): Promise<void> }>): void {
  describe(`the shared tail: one read of new events for every follower in the process (${name})`, () => {
    let raw: SqlClient;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const made = await config();
      dispose = made.dispose;
      raw = await openDatabase(made.value);
    });
    afterAll(async () => {
      await raw?.close();
      await dispose?.();
    });

    it('gives each of twelve followers exactly the events its filter lets through, once and in order, with far fewer reads', async () => {
      const { db, reads } = counting(raw);
      const store = await SqlEventStore.create(db);
      const tag = `t${randomUUID().slice(0, 8)}`;
      const filters: (EventFilter | undefined)[] = [
        undefined,
        { streamPrefixes: [`${tag}a-`] },
        { streamPrefixes: [`${tag}b-`] },
        { eventTypes: ['X'] },
        { streamPrefixes: [`${tag}a-`, `${tag}c-`], eventTypes: ['Y'] },
        { streamPrefixes: [`${tag}c-`] },
        { eventTypes: ['Y', 'Z'] },
        { streamPrefixes: [`${tag}b-`], eventTypes: ['X'] },
        { streamPrefixes: [`${tag}`] },
        { streamPrefixes: [`${tag}a-1`] },
        { eventTypes: ['never'] },
        { streamPrefixes: [`${tag}A-`] }, // case matters, as in SQL's LIKE
      ];
      const head = await store.head();
      const from = head ?? ('start' as const);
      const subscriptions = filters.map((filter) => store.subscribeToAll({ fromPosition: from, ...(filter ? { filter } : {}) }));
      const followers = subscriptions.map(follow);
      try {
        // Every follower caught up by itself once (that starts the tail), then the burst.
        await store.append(`${tag}warm-0`, [{ type: 'Warm', data: {} }], { expectedRevision: 'any' });
        await until(() => followers[0]!.events.length === 1, 'the warm-up event');
        await new Promise((resolve) => setTimeout(resolve, 200));
        const letters = ['a', 'b', 'c'];
        const types = ['X', 'Y', 'Z'];
        const appends = 8 * 25;
        await Promise.all(
          Array.from({ length: 8 }, async (_, w) => {
            for (let i = 0; i < 25; i++)
              await store.append(`${tag}${letters[(w + i) % 3]}-${w}`, [{ type: types[i % 3]!, data: { w, i } }], {
                expectedRevision: 'any',
              });
          }),
        );
        await until(() => followers[0]!.events.length === 1 + appends, 'the unfiltered follower');
        // What each follower should have: the same filter applied by SQL to the log.
        const expected = await Promise.all(
          filters.map((filter) =>
            collect(store.readAll({ fromPosition: head === null ? 'start' : head + 1n, ...(filter ? { filter } : {}) })),
          ),
        );
        for (const [i, follower] of followers.entries()) await until(() => follower.events.length >= expected[i]!.length, `follower ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 300)); // nothing more arrives (no duplicates)
        for (const [i, follower] of followers.entries()) expect(follower.events.map((e) => e.id)).toEqual(expected[i]!.map((e) => e.id));
        expect(expected[10]).toHaveLength(0);
        expect(expected[11]).toHaveLength(0);
        // Then one append at a time, each awaited by the followers: every append wakes every follower, and
        // twelve followers reading for themselves would read at least twelve times per append.
        const paced = reads();
        for (let i = 0; i < 50; i++) {
          await store.append(`${tag}c-paced`, [{ type: 'X', data: { i } }], { expectedRevision: 'any' });
          await until(() => followers[0]!.events.length === 1 + appends + i + 1, 'the paced append');
        }
        await until(() => followers[3]!.events.length === expected[3]!.length + 50, 'the paced appends');
        const made = reads() - paced;
        expect(made).toBeLessThan(50 * 4);
      } finally {
        await Promise.all(subscriptions.map((s) => s.close()));
        await Promise.all(followers.map((f) => f.done));
        await store.close();
      }
    });

    it('lets a follower that fell further behind than the kept events read the log itself, missing nothing', async () => {
      const store = await SqlEventStore.create(raw, { tailKeep: 20 });
      const tag = `t${randomUUID().slice(0, 8)}`;
      const head = await store.head();
      const from = head ?? ('start' as const);
      const subscriptions = [
        store.subscribeToAll({ fromPosition: from, filter: { streamPrefixes: [tag] } }),
        store.subscribeToAll({ fromPosition: from, filter: { streamPrefixes: [tag] }, batchSize: 7 }),
      ];
      const [quick, slow] = subscriptions.map(follow) as [ReturnType<typeof follow>, ReturnType<typeof follow>];
      try {
        await store.append(`${tag}-0`, [{ type: 'Warm', data: {} }], { expectedRevision: 'any' });
        await until(() => quick.events.length === 1 && slow.events.length === 1, 'the warm-up event');
        let release!: () => void;
        slow.pause = new Promise((resolve) => (release = resolve));
        for (let i = 0; i < 150; i++) await store.append(`${tag}-${i % 5}`, [{ type: 'Step', data: { i } }], { expectedRevision: 'any' });
        await until(() => quick.events.length === 151, 'the quick follower');
        slow.pause = undefined;
        release();
        await until(() => slow.events.length >= 151, 'the slow follower');
        await new Promise((resolve) => setTimeout(resolve, 200));
        const log = await collect(store.readAll({ fromPosition: head === null ? 'start' : head + 1n, filter: { streamPrefixes: [tag] } }));
        expect(log).toHaveLength(151);
        expect(slow.events.map((e) => e.id)).toEqual(log.map((e) => e.id));
        expect(quick.events.map((e) => e.id)).toEqual(log.map((e) => e.id));
      } finally {
        await Promise.all(subscriptions.map((s) => s.close()));
        await Promise.all([quick.done, slow.done]);
        await store.close();
      }
    });
  });
}

sharedTail('embedded', async () => ({ value: { kind: 'pglite', dataDir: undefined }, dispose: async () => undefined }));
describeIfPostgres('on PostgreSQL', () => {
  sharedTail('PostgreSQL', async () => {
    const db = await freshPostgresDatabase();
    return { value: { kind: 'postgres', connectionString: db.value, poolSize: 8 }, dispose: db.dispose };
  });
});
