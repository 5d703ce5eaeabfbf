import { randomUUID } from 'node:crypto';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

import { collect, settlesWithin } from '@jejak/testing';

import { KurrentTestServer, startKurrentTestServer } from '../../../../test/kurrentdb/test-server';
import { eventStoreContract } from '../../test/event-store.contract';
import {
  canonicalJson,
  contentHash,
  type EventStore,
  type JsonValue,
  linkHash,
  openEventStore,
  type RecordedEvent,
  StoreUnavailable,
} from '..';
import { clientConnectionString, mapKurrentError } from './kurrent-event-store';

const servers: KurrentTestServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
});

describe('event store contract: KurrentDB adapter against the protocol test server', () => {
  eventStoreContract({
    shared: true,
    globalEventIds: false,
    atomicMultiStream: false,
    freshDatabase: async () => {
      const server = await startKurrentTestServer();
      servers.push(server);
      return {
        value: { kind: 'kurrentdb', connectionString: server.connectionString, readModels: { kind: 'pglite', dataDir: undefined } },
        dispose: () => server.stop(),
      };
    },
  });
});

const REAL = process.env.EVENTSTORE_CONNECTION_STRING;
if (REAL) {
  // Only defined where a real server is configured (see README, "Running at scale"): never a skipped test.
  describe('event store contract: KurrentDB adapter against a real server (EVENTSTORE_CONNECTION_STRING)', () => {
    eventStoreContract({
      shared: true,
      globalEventIds: false,
      atomicMultiStream: false,
      freshDatabase: async () => ({
        value: { kind: 'kurrentdb', connectionString: REAL, readModels: { kind: 'pglite', dataDir: undefined } },
        dispose: async () => undefined,
      }),
    });
  });
}

describe('KurrentDB adapter: protocol details', () => {
  let server: KurrentTestServer;
  let opened: Awaited<ReturnType<typeof openEventStore>>;
  let store: EventStore;
  beforeAll(async () => {
    server = await startKurrentTestServer();
    servers.push(server);
    opened = await openEventStore({
      kind: 'kurrentdb',
      connectionString: server.connectionString.replace('esdb://', 'kurrentdb://'),
      readModels: { kind: 'pglite', dataDir: undefined },
    });
    store = opened.store;
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('closes within seconds when the server stops answering (a black-holed connection), never hangs a shutdown', async () => {
    // A TCP relay in front of the test server that, when frozen, keeps every socket open and forwards nothing.
    const port = Number(/:(\d+)/.exec(server.connectionString.replace('esdb://', ''))![1]);
    let frozen = false;
    const sockets = new Set<Socket>();
    const relay = createServer((inbound) => {
      const outbound = connect(port, '127.0.0.1');
      sockets.add(inbound).add(outbound);
      inbound.on('data', (chunk) => frozen || outbound.write(chunk));
      outbound.on('data', (chunk) => frozen || inbound.write(chunk));
      inbound.on('error', () => undefined);
      outbound.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const relayed = server.connectionString.replace(`:${port}`, `:${(relay.address() as AddressInfo).port}`);
    const other = await openEventStore({
      kind: 'kurrentdb',
      connectionString: relayed,
      readModels: { kind: 'pglite', dataDir: undefined },
    });
    try {
      await other.store.append(`relayed-${randomUUID()}`, [{ type: 'A', data: {} }], { expectedRevision: 'no_stream' });
      const subscription = other.store.subscribeToAll({});
      const reading = (async () => {
        for await (const _ of subscription) void _;
      })().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      frozen = true;
      const started = Date.now();
      expect(await settlesWithin(other.close(), 15_000)).toBe(true);
      expect(Date.now() - started).toBeLessThan(15_000);
      void reading;
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => relay.close(resolve));
    }
  }, 60_000);

  it('accepts kurrentdb:// connection strings and talks plain Append to a server without BatchAppend', async () => {
    expect(clientConnectionString('kurrentdb+discover://a:2113')).toBe('esdb+discover://a:2113');
    const before = server.appendCalls;
    await store.append(`plain-${randomUUID()}`, [{ type: 'A', data: {} }], { expectedRevision: 'no_stream' });
    expect(server.appendCalls).toBeGreaterThan(before);
    expect(store.adapter).toBe('kurrentdb');
    expect(await store.health()).toEqual({ adapter: 'kurrentdb', ready: true });
  });

  it('a writer that remembers a stream tail another process has since moved is neither refused wrongly nor allowed to overwrite', async () => {
    const other = await openEventStore({
      kind: 'kurrentdb',
      connectionString: server.connectionString,
      readModels: { kind: 'pglite', dataDir: undefined },
    });
    try {
      const s = `shared-${randomUUID()}`;
      await store.append(s, [{ type: 'A', data: {} }], { expectedRevision: 'no_stream' }); // this process remembers revision 0
      await other.store.append(s, [{ type: 'B', data: {} }], { expectedRevision: 0n }); // another process writes revision 1
      // Expecting the true revision succeeds, although this process remembered an older one...
      expect((await store.append(s, [{ type: 'C', data: {} }], { expectedRevision: 1n })).nextExpectedRevision).toBe(2n);
      await other.store.append(s, [{ type: 'D', data: {} }], { expectedRevision: 2n });
      // ...and expecting a stale one is refused with the true revision, and writes nothing.
      await expect(store.append(s, [{ type: 'E', data: {} }], { expectedRevision: 2n })).rejects.toMatchObject({
        code: 'CONCURRENCY_CONFLICT',
        actual: 3n,
      });
      await store.append(s, [{ type: 'F', data: {} }], { expectedRevision: 'any' });
      const events = await collect(store.readStream(s));
      expect(events.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D', 'F']);
      // Every link follows from the one before it, whichever process wrote it.
      let previous: Buffer | null = null;
      for (const e of events) {
        previous = linkHash(
          previous,
          contentHash(e.id, e.type, canonicalJson(e.data), canonicalJson(e.metadata as JsonValue)),
          s,
          e.revision,
          e.recordedAt,
        );
        expect(e.linkHash?.equals(previous)).toBe(true);
      }
    } finally {
      await other.close();
    }
  });

  it("maps the plain gRPC UNAVAILABLE status (14) and the client's unavailable errors to StoreUnavailable, and leaves the rest alone", () => {
    expect(mapKurrentError(Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }))).toBeInstanceOf(
      StoreUnavailable,
    );
    expect(mapKurrentError(Object.assign(new Error('x'), { type: 'not-leader' }))).toBeInstanceOf(StoreUnavailable);
    const other = new Error('something else');
    expect(mapKurrentError(other)).toBe(other);
  });

  it('subscribes with a server-side event type filter alone, matching whole type names', async () => {
    const tag = `et${randomUUID().slice(0, 8)}`;
    const from = await store.head();
    await store.append(
      `${tag}-a`,
      [
        { type: `${tag}Keep`, data: { i: 1 } },
        { type: `${tag}KeepNot`, data: {} },
        { type: `${tag}Drop`, data: {} },
      ],
      { expectedRevision: 'no_stream' },
    );
    await store.append(`${tag}-b`, [{ type: `${tag}Keep`, data: { i: 2 } }], { expectedRevision: 'no_stream' });
    const subscription = store.subscribeToAll({ fromPosition: from ?? 'start', filter: { eventTypes: [`${tag}Keep`] } });
    const got: unknown[] = [];
    for await (const e of subscription) {
      got.push(e.data);
      if (got.length === 2) break;
    }
    await subscription.close();
    expect(got).toEqual([{ i: 1 }, { i: 2 }]);
  });

  it("never shows KurrentDB's own system streams, and refuses to write to one", async () => {
    const all = await collect(store.readAll());
    expect(server.size).toBeGreaterThan(all.length); // the epoch record is in the log
    expect(all.some((e) => e.streamId.startsWith('$'))).toBe(false);
    await expect(store.append('$epoch-information', [{ type: 'X', data: {} }], { expectedRevision: 'any' })).rejects.toMatchObject({
      code: 'INVALID_APPEND',
    });
    await expect(
      store.append(`x-${randomUUID()}`, [{ type: 'X', data: {}, metadata: { $jejak: 'mine' } }], { expectedRevision: 'any' }),
    ).rejects.toMatchObject({
      code: 'INVALID_APPEND',
    });
  });

  it('links each event into its stream hash chain, and keeps the link out of the metadata callers see', async () => {
    const s = `chain-${randomUUID()}`;
    await store.append(s, [{ type: 'A', data: { b: 1, a: [1, 'x'] }, metadata: { actorId: 'u1' } }], { expectedRevision: 'no_stream' });
    await store.append(
      s,
      [
        { type: 'B', data: {} },
        { type: 'C', data: { n: null } },
      ],
      { expectedRevision: 0n },
    );
    const events = await collect(store.readStream(s));
    let previous: Buffer | null = null;
    for (const e of events) {
      expect(Object.keys(e.metadata)).not.toContain('$jejak');
      const expected = linkHash(
        previous,
        contentHash(e.id, e.type, canonicalJson(e.data), canonicalJson(e.metadata as JsonValue)),
        s,
        e.revision,
        e.recordedAt,
      );
      expect(e.linkHash?.toString('hex')).toBe(expected.toString('hex'));
      previous = expected;
    }
    expect(events[0]!.metadata).toEqual({ actorId: 'u1' });
  });

  it('a filtered subscription moves past events it does not want on the server checkpoints', async () => {
    const tag = `cp${randomUUID().slice(0, 8)}`;
    const start = (await store.append(`${tag}-x`, [{ type: 'Start', data: {} }], { expectedRevision: 'no_stream' })).position;
    // 100 events the subscriber does not want, then one it does.
    for (let i = 0; i < 10; i++) {
      await store.append(
        `other-${randomUUID()}`,
        Array.from({ length: 10 }, () => ({ type: 'Noise', data: {} })),
        { expectedRevision: 'no_stream' },
      );
    }
    const subscription = store.subscribeToAll({ fromPosition: start, filter: { streamPrefixes: [`${tag}-`] } });
    const progress: bigint[] = [];
    let last = start;
    const done = (async () => {
      for await (const batch of subscription.batches()) {
        expect(batch.events).toEqual([]);
        progress.push(batch.scannedTo);
        last = batch.scannedTo;
      }
    })();
    const end = (await collect(store.readAll({ fromPosition: start }))).at(-1)!.position;
    for (let i = 0; i < 200 && last < end; i++) await new Promise((r) => setTimeout(r, 10));
    await subscription.close();
    await done;
    expect(last).toBe(end);
    expect(progress.length).toBeGreaterThanOrEqual(2); // checkpoints on the way, every 32 events examined
  });

  it('after a server restart, appends fail as unavailable, then a subscription resumes without losing or repeating an event', async () => {
    const tag = `rs${randomUUID().slice(0, 8)}`;
    const s = `${tag}-${randomUUID()}`;
    await store.append(s, [{ type: 'E', data: { i: 0 } }], { expectedRevision: 'no_stream' });
    const subscription = store.subscribeToAll({ filter: { streamPrefixes: [`${tag}-`] } });
    const seen: RecordedEvent[] = [];
    const consumed = (async () => {
      for await (const e of subscription) {
        seen.push(e);
        if (seen.length === 6) break;
      }
    })();
    for (let i = 0; i < 200 && seen.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toHaveLength(1);

    const port = server.port;
    await server.stop();
    const error = await store.append(s, [{ type: 'E', data: { i: 99 } }], { expectedRevision: 0n }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailable);
    expect((error as StoreUnavailable).code).toBe('STORE_UNAVAILABLE');
    expect((await store.health()).ready).toBe(false);

    await server.start(port);
    let revision = 0n;
    for (let i = 1; i <= 5; i++) {
      // The client reconnects on the next call; the first may still meet the closed channel.
      for (let attempt = 0; ; attempt++) {
        try {
          revision = (await store.append(s, [{ type: 'E', data: { i } }], { expectedRevision: revision })).nextExpectedRevision;
          break;
        } catch (e) {
          if (!(e instanceof StoreUnavailable) || attempt > 20) throw e;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }
    expect(await settlesWithin(consumed, 15_000)).toBe(true);
    await subscription.close();
    expect(seen.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5]);
    expect((await collect(store.readStream(s))).map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
