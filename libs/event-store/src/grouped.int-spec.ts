import { randomUUID } from 'node:crypto';

import { describeIfPostgres, freshPostgresDatabase } from '@jejak/testing';

import { collect } from './collect';
import { InvalidAppend } from './errors';
import { AppendGroup } from './grouped';
import { type DatabaseConfig, openEventStore } from './open';
import type { EventStore, StreamAppend } from './types';

/** The store, counting the transactions (`append` and `appendMany` calls) it is asked for. */
function counted(store: EventStore): { store: EventStore; calls: number[] } {
  const calls: number[] = [];
  const proxy = new Proxy(store, {
    get(target, property) {
      if (property === 'appendMany')
        return (parts: readonly StreamAppend[]) => {
          calls.push(parts.length);
          return target.appendMany(parts);
        };
      if (property === 'append')
        return (...args: Parameters<EventStore['append']>) => {
          calls.push(1);
          return target.append(...args);
        };
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: proxy, calls };
}

const entry = (n: number) => [{ type: 'Read', data: { n } }];

function groupCommit(name: string, config: () => Promise<{ value: DatabaseConfig; dispose(): Promise<void> }>): void {
  describe(`AppendGroup: group commit of appends that cannot conflict (${name})`, () => {
    let opened: Awaited<ReturnType<typeof openEventStore>>;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const made = await config();
      dispose = made.dispose;
      opened = await openEventStore(made.value);
    });
    afterAll(async () => {
      await opened?.close();
      await dispose?.();
    });

    it('commits a lone append at once, and its promise settles only once the event is in the log', async () => {
      const { store, calls } = counted(opened.store);
      const stream = `grouped-${randomUUID()}`;
      const result = await new AppendGroup(store).append(stream, entry(1));
      expect(calls).toEqual([1]);
      const events = await collect(opened.store.readStream(stream));
      expect(events.map((e) => e.data)).toEqual([{ n: 1 }]);
      expect(events[0]!.position).toBe(result.position);
    });

    it('carries sixteen concurrent appends in two transactions, each written once, in order within a stream', async () => {
      const { store, calls } = counted(opened.store);
      const group = new AppendGroup(store);
      const tag = randomUUID();
      const streams = Array.from({ length: 16 }, (_, i) => `grouped-${tag}-${i % 4}`);
      const results = await Promise.all(streams.map((s, i) => group.append(s, entry(i))));
      // The first goes alone; the fifteen that came while it was in flight share the next transaction.
      expect(calls).toEqual([1, 15]);
      for (let k = 0; k < 4; k++) {
        const events = await collect(opened.store.readStream(`grouped-${tag}-${k}`));
        expect(events.map((e) => (e.data as { n: number }).n)).toEqual([k, k + 4, k + 8, k + 12]);
        expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
      }
      // Each caller gets its own event's position.
      expect(new Set(results.map((r) => r.position)).size).toBe(16);
    });

    it('keeps each transaction within the event limit', async () => {
      const { store, calls } = counted(opened.store);
      const group = new AppendGroup(store, 5);
      const tag = randomUUID();
      await Promise.all(Array.from({ length: 12 }, (_, i) => group.append(`grouped-${tag}`, entry(i))));
      expect(calls).toEqual([1, 5, 5, 1]);
      expect((await collect(opened.store.readStream(`grouped-${tag}`))).length).toBe(12);
    });

    it('writes a group once when its commit succeeded but the answer was lost: the retry is recognised as a repeat', async () => {
      let lose = 1;
      const losing = new Proxy(opened.store, {
        get(target, property) {
          if (property === 'appendMany')
            return async (parts: readonly StreamAppend[]) => {
              const results = await target.appendMany(parts);
              if (parts.length > 1 && lose-- > 0) throw new Error('connection reset after commit');
              return results;
            };
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const group = new AppendGroup(losing);
      const tag = randomUUID();
      await Promise.all(Array.from({ length: 6 }, (_, i) => group.append(`grouped-${tag}`, entry(i))));
      expect((await collect(opened.store.readStream(`grouped-${tag}`))).map((e) => (e.data as { n: number }).n)).toEqual([
        0, 1, 2, 3, 4, 5,
      ]);
      expect(lose).toBe(0);
    });

    it('refuses only the caller whose append is refused: the others in its group are written', async () => {
      const { store } = counted(opened.store);
      const group = new AppendGroup(store);
      const tag = randomUUID();
      const first = group.append(`grouped-${tag}-first`, entry(0));
      const good = group.append(`grouped-${tag}-good`, entry(1));
      const bad = group.append('x'.repeat(5_000), entry(2));
      const alsoGood = group.append(`grouped-${tag}-good`, entry(3));
      await expect(bad).rejects.toBeInstanceOf(InvalidAppend);
      await Promise.all([first, good, alsoGood]);
      expect((await collect(opened.store.readStream(`grouped-${tag}-good`))).map((e) => e.data)).toEqual([{ n: 1 }, { n: 3 }]);
      expect((await collect(opened.store.readStream(`grouped-${tag}-first`))).length).toBe(1);
    });
  });
}

groupCommit('embedded', async () => ({ value: { kind: 'pglite', dataDir: undefined }, dispose: async () => undefined }));
describeIfPostgres('on PostgreSQL', () => {
  groupCommit('PostgreSQL', async () => {
    const db = await freshPostgresDatabase();
    return { value: { kind: 'postgres', connectionString: db.value, poolSize: 8 }, dispose: db.dispose };
  });
});
