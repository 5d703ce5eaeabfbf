import { randomUUID } from 'node:crypto';

import type { Decider } from '@jejak/kernel';

import { collect } from './collect';
import { execute, EXECUTE_ATTEMPTS, PreconditionFailed } from './decider';
import { WrongExpectedRevision } from './errors';
import { openEventStore } from './open';
import type { EventStore, ReadStreamOptions } from './types';

/** Counts events; each command appends the count it saw, so a stale decision would show. */
type Counted = { type: 'Counted'; data: { seen: number } };
const counter: Decider<number, { type: 'Count' }, Counted> = {
  initialState: 0,
  evolve: (n) => n + 1,
  decide: (_command, n) => [{ type: 'Counted', data: { seen: n } }],
};

describe('execute: deciding a command against the stream', () => {
  let opened: Awaited<ReturnType<typeof openEventStore>>;
  beforeAll(async () => {
    opened = await openEventStore({ kind: 'pglite', dataDir: undefined });
  });
  afterAll(() => opened?.close());

  /** The store, with another writer appending to the stream just before each of the first `races` appends. */
  const racing = (races: number): EventStore => {
    let left = races;
    return new Proxy(opened.store, {
      get(target, property) {
        if (property === 'append') {
          return async (...args: Parameters<EventStore['append']>) => {
            if (left-- > 0) await target.append(args[0], [{ type: 'Counted', data: { seen: -1 } }], { expectedRevision: 'any' });
            return target.append(...args);
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
  const metadata = { actorId: 'officer-1', role: 'officer', correlationId: 'c', schemaVersion: 1 };

  it('without If-Match, decides again on the stream as it now is when another writer got there first', async () => {
    const stream = `count-${randomUUID()}`;
    await opened.store.append(stream, [{ type: 'Counted', data: { seen: 0 } }], { expectedRevision: 'no_stream' });
    const result = await execute(racing(1), stream, counter, { type: 'Count' }, { metadata });
    expect(result.events).toEqual([{ type: 'Counted', data: { seen: 2 } }]); // saw the other writer's event
    expect((await collect(opened.store.readStream(stream))).map((e) => (e.data as { seen: number }).seen)).toEqual([0, -1, 2]);
  });

  it('reads only what was appended since its last command on a stream, once, and decides on all of it (another writer’s too)', async () => {
    const stream = `count-${randomUUID()}`;
    const reads: (ReadStreamOptions | undefined)[] = [];
    const watched = new Proxy(opened.store, {
      get(target, property) {
        if (property === 'readStream')
          return (id: string, options?: ReadStreamOptions) => {
            if (id === stream) reads.push(options);
            return target.readStream(id, options);
          };
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    for (let i = 0; i < 3; i++) await execute(watched, stream, counter, { type: 'Count' }, { metadata });
    // Another process appends meanwhile: the next command's one read starts after what this one kept, and sees it.
    await opened.store.append(stream, [{ type: 'Counted', data: { seen: -1 } }], { expectedRevision: 'any' });
    const result = await execute(watched, stream, counter, { type: 'Count' }, { metadata });
    expect(result.events).toEqual([{ type: 'Counted', data: { seen: 4 } }]);
    expect(reads.map((r) => r?.fromRevision)).toEqual([undefined, undefined, 1n, 2n]);
    expect((await collect(opened.store.readStream(stream))).map((e) => (e.data as { seen: number }).seen)).toEqual([0, 1, 2, -1, 4]);
  });

  it('with If-Match, never decides again: the client decided on what it saw (412), and nothing is written', async () => {
    const stream = `count-${randomUUID()}`;
    await opened.store.append(stream, [{ type: 'Counted', data: { seen: 0 } }], { expectedRevision: 'no_stream' });
    await expect(execute(racing(1), stream, counter, { type: 'Count' }, { metadata, ifMatch: 0n })).rejects.toBeInstanceOf(
      PreconditionFailed,
    );
    expect(await collect(opened.store.readStream(stream))).toHaveLength(2); // the first event and the other writer's
  });

  it(`gives up with a 409 after ${EXECUTE_ATTEMPTS} lost races, having written nothing of its own`, async () => {
    const stream = `count-${randomUUID()}`;
    await opened.store.append(stream, [{ type: 'Counted', data: { seen: 0 } }], { expectedRevision: 'no_stream' });
    await expect(execute(racing(EXECUTE_ATTEMPTS), stream, counter, { type: 'Count' }, { metadata })).rejects.toBeInstanceOf(
      WrongExpectedRevision,
    );
    const seen = (await collect(opened.store.readStream(stream))).map((e) => (e.data as { seen: number }).seen);
    expect(seen).toEqual([0, ...Array.from({ length: EXECUTE_ATTEMPTS }, () => -1)]);
  });
});
