/**
 * The command path over the real store, for random command sequences (issue 23): each command goes through
 * `execute` (one read, decide, one append with the revision read) on PGlite, and after each one
 *
 * - a refused command wrote nothing: neither its stream nor anything else in the log moved;
 * - an accepted one moved its stream by exactly the events decided, at revisions that follow on without a gap,
 *   at positions after everything before it;
 * - the state the command path keeps between commands (it reads only what came after it) equals a fold of
 *   the stream from its first event, as another process would read it.
 */
import { randomUUID } from 'node:crypto';

import {
  collect,
  type DomainEvent,
  type EventStore,
  execute,
  type Folded,
  foldStream,
  openEventStore,
  StreamNotFound,
} from '@jejak/event-store';
import { isJejakError } from '@jejak/kernel';
import fc from 'fast-check';

import { caseModel } from './arbitraries/case';
import { placementModel } from './arbitraries/placement';
import { preventionModel } from './arbitraries/prevention';
import { commandsOf, type DeciderProperties } from './decider-properties';
import { freshDirectory } from './index';

async function streamOf(store: EventStore, streamId: string) {
  try {
    return await collect(store.readStream(streamId));
  } catch (error) {
    if (error instanceof StreamNotFound) return [];
    throw error;
  }
}

/** The log's last position: nothing else may have been written either (no side registration). */
async function lastPosition(store: EventStore): Promise<bigint> {
  return (await store.head()) ?? 0n;
}

/** Thrown by a command builder that only looks at the state the command path hands it. */
class Looked extends Error {}

const models = [
  ['case', caseModel],
  ['placement', placementModel],
  ['prevention', preventionModel],
] as const;

describe('the command path on PGlite: random command sequences (fast-check)', () => {
  let store: EventStore;
  let close: () => Promise<void>;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    const dir = await freshDirectory();
    dispose = dir.dispose;
    ({ store, close } = await openEventStore({ kind: 'pglite', dataDir: dir.value }));
  });
  afterAll(async () => {
    await close();
    await dispose();
  });

  it.each(models)('%s: refusals write nothing, revisions follow on, and the kept state is the stream folded', async (_name, m) => {
    const model = m as unknown as DeciderProperties<unknown, unknown, DomainEvent>;
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(commandsOf({ ...model, maxCommands: 25 }), async (commands) => {
        const streamId = `${_name}-${randomUUID()}`;
        for (const command of commands) {
          const before = await streamOf(store, streamId);
          const head = await lastPosition(store);
          let result;
          try {
            result = await execute(store, streamId, model.decider, command, { metadata: { actorId: 'property' } });
          } catch (error) {
            if (!isJejakError(error)) throw error;
            refused++;
            expect(await streamOf(store, streamId)).toEqual(before);
            expect(await lastPosition(store)).toBe(head);
            continue;
          }
          accepted++;
          const after = await streamOf(store, streamId);
          expect(after.slice(0, before.length)).toEqual(before);
          expect(after.slice(before.length).map((e) => ({ type: e.type, data: e.data }))).toEqual(
            JSON.parse(JSON.stringify(result.events)),
          );
          expect(after.map((e) => e.revision)).toEqual(after.map((_, i) => BigInt(i)));
          for (const e of after.slice(before.length)) expect(e.position > head).toBe(true);
          if (after.length > 0) expect(result.revision).toBe(BigInt(after.length - 1));
        }
        // What the command path folded and kept equals the stream read and folded from the start.
        const fresh = await foldStream(store, streamId, (s, e) => model.decider.evolve(s, e), model.decider.initialState);
        let kept: Folded<unknown> | undefined;
        const looked = await execute(
          store,
          streamId,
          model.decider,
          (folded) => {
            kept = folded;
            throw new Looked();
          },
          { metadata: {} },
        ).catch((error: unknown) => error);
        expect(looked).toBeInstanceOf(Looked);
        expect(kept!.revision).toBe(fresh.revision);
        expect(kept!.state).toEqual(fresh.state);
      }),
      { numRuns: 15 },
    );
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
