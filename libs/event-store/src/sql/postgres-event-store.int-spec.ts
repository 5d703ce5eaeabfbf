import { randomUUID } from 'node:crypto';

import { collect, describeIfPostgres, type Disposable, freshPostgresDatabase, settlesWithin } from '@jejak/testing';
import { Client } from 'pg';

import { eventStoreContract } from '../../test/event-store.contract';
import { openEventStore } from '..';

describeIfPostgres('event store contract: PostgreSQL', () => {
  eventStoreContract({
    shared: true,
    freshDatabase: async () => {
      const db = await freshPostgresDatabase();
      return { value: { kind: 'postgres', connectionString: db.value, poolSize: 16 }, dispose: db.dispose };
    },
  });
});

describeIfPostgres('PostgreSQL: commit order versus start order', () => {
  let db: Disposable<string>;
  let opened: Awaited<ReturnType<typeof openEventStore>>;
  beforeAll(async () => {
    db = await freshPostgresDatabase();
    opened = await openEventStore({ kind: 'postgres', connectionString: db.value });
  });
  afterAll(async () => {
    await opened?.close();
    await db?.dispose();
  });

  it('a reader never passes an append whose transaction is still open, so it cannot skip it', async () => {
    const { store } = opened;
    const tag = `held${randomUUID().slice(0, 8)}`;
    const filter = { streamPrefixes: [`${tag}-`] };
    const subscription = store.subscribeToAll({ filter });
    const seen: string[] = [];
    const consumed = (async () => {
      for await (const e of subscription) {
        seen.push(e.type);
        if (seen.length === 3) break;
      }
    })();

    // Transaction A starts appending first, and stays open.
    const slow = new Client({ connectionString: db.value });
    await slow.connect();
    try {
      await slow.query('begin');
      await slow.query(`select * from jejak_append($1, 'no_stream', $2::uuid[], array['Slow'], array['{}'], array['{}'], null)`, [
        `${tag}-${randomUUID()}`,
        [randomUUID()],
      ]);
      // B and C start later and commit first.
      await store.append(`${tag}-${randomUUID()}`, [{ type: 'Fast1', data: {} }], { expectedRevision: 'no_stream' });
      await store.append(`${tag}-${randomUUID()}`, [{ type: 'Fast2', data: {} }], { expectedRevision: 'no_stream' });
      await new Promise((r) => setTimeout(r, 300));
      // Nothing is delivered past A's position while A may still commit below it.
      expect(seen).toEqual([]);
      // A one-shot read waits for A (read-your-writes for B and C); here A stays open past the wait,
      // so the read returns the settled prefix only: still in order, never with a gap that fills later.
      expect(await collect(store.readAll({ filter }))).toEqual([]);
      // Once A commits while a read is waiting, the read returns all three, in commit-safe order.
      const reading = collect(store.readAll({ filter }));
      await new Promise((r) => setTimeout(r, 100));
      await slow.query('commit');
      expect((await reading).map((e) => e.type)).toEqual(['Slow', 'Fast1', 'Fast2']);
    } finally {
      await slow.end();
    }
    await settlesWithin(consumed, 10_000);
    await subscription.close();
    expect(seen).toEqual(['Slow', 'Fast1', 'Fast2']);
    expect((await collect(store.readAll({ filter }))).map((e) => e.type)).toEqual(['Slow', 'Fast1', 'Fast2']);
  });
});

describeIfPostgres('PostgreSQL: a count for a report never waits for other writers', () => {
  let db: Disposable<string>;
  let opened: Awaited<ReturnType<typeof openEventStore>>;
  beforeAll(async () => {
    db = await freshPostgresDatabase();
    // A settle timeout far longer than the test: a read that waits for the open transaction cannot end.
    opened = await openEventStore({ kind: 'postgres', connectionString: db.value }, { settleTimeoutMs: 60_000 });
  });
  afterAll(async () => {
    await opened?.close();
    await db?.dispose();
  });

  it('readAll with settle: false reads the settled prefix at once; the default waits for the open transaction', async () => {
    const { store } = opened;
    const tag = `count${randomUUID().slice(0, 8)}`;
    const filter = { streamPrefixes: [`${tag}-`] };
    await store.append(`${tag}-${randomUUID()}`, [{ type: 'Before', data: {} }], { expectedRevision: 'no_stream' });
    const open = new Client({ connectionString: db.value });
    await open.connect();
    try {
      await open.query('begin');
      await open.query(`select * from jejak_append($1, 'no_stream', $2::uuid[], array['Open'], array['{}'], array['{}'], null)`, [
        `${tag}-${randomUUID()}`,
        [randomUUID()],
      ]);
      await store.append(`${tag}-${randomUUID()}`, [{ type: 'After', data: {} }], { expectedRevision: 'no_stream' });

      const waiting = collect(store.readAll({ filter }));
      const counted = collect(store.readAll({ filter, settle: false }));
      expect(await settlesWithin(counted, 10_000)).toBe(true);
      // What had settled: the event before the open transaction, never one past it.
      expect((await counted).map((e) => e.type)).toEqual(['Before']);
      expect(await settlesWithin(waiting, 500)).toBe(false);

      await open.query('commit');
      expect((await waiting).map((e) => e.type)).toEqual(['Before', 'Open', 'After']);
    } finally {
      await open.end();
    }
  });
});
