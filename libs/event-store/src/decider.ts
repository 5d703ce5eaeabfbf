import { type Decider, JejakError } from '@jejak/kernel';

import { StreamNotFound, WrongExpectedRevision } from './errors';
import type { EventMetadata, EventStore, JsonValue, Position, RecordedEvent, StreamAppend } from './types';

/** An event as the domain sees it: a readonly discriminated union member. */
export interface DomainEvent {
  readonly type: string;
  readonly data: JsonValue;
}

/** A stale If-Match: the client saw an older revision than the stream has now. Nothing was written. */
export class PreconditionFailed extends JejakError {
  readonly code = 'PRECONDITION_FAILED';
  readonly kind = 'precondition_failed' as const;
  constructor(
    readonly expected: bigint,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`The resource is at revision ${String(actual)}, not ${expected}: reload it and try again`);
  }
}

export interface Folded<State> {
  readonly state: State;
  /** Revision of the last event folded, or undefined when the stream does not exist. */
  readonly revision: bigint | undefined;
}

/** Reads a stream and folds it; `upTo` limits the fold (state as of a revision or an instant). */
export async function foldStream<State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  evolve: (state: State, event: Event) => State,
  initialState: State,
  upTo: { revision?: bigint; recordedAt?: Date } = {},
  upcast?: (event: RecordedEvent) => Event,
): Promise<Folded<State>> {
  let state = initialState;
  let revision: bigint | undefined;
  try {
    for await (const event of store.readStream(streamId)) {
      if (upTo.revision !== undefined && event.revision > upTo.revision) break;
      if (upTo.recordedAt !== undefined && event.recordedAt > upTo.recordedAt) break;
      state = evolve(state, upcast ? upcast(event) : ({ type: event.type, data: event.data } as Event));
      revision = event.revision;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  return { state, revision };
}

/**
 * What a command path decides: the command itself, or a function that builds it from the state just read
 * (to seal free text with a key the state names, to check consent), so a handler never reads the stream
 * a second time to prepare its command.
 */
export type CommandFrom<Command, State> =
  Command | ((folded: Folded<State> & { readonly revision: bigint | undefined }) => Command | Promise<Command>);

export interface ExecuteOptions {
  readonly metadata: EventMetadata;
  /**
   * The error when the stream does not exist yet (a command on an unknown record): thrown after the one
   * read, before the If-Match check and before the command is built.
   */
  readonly notFound?: () => Error;
  /** The revision the client last saw (If-Match). A different current revision is a 412, nothing written. */
  readonly ifMatch?: bigint;
  /**
   * Appends that belong to the same command (a person registered with the record that names them): written
   * with the command's events, all or nothing, before them in the log. Given as a function, they are built
   * from the state read and the events decided (what a decision counts elsewhere).
   */
  readonly alongside?:
    readonly StreamAppend[] | ((decided: { readonly state: unknown; readonly events: readonly DomainEvent[] }) => readonly StreamAppend[]);
}

export interface Executed<Event> {
  readonly events: readonly Event[];
  /** Revision after the command: unchanged when the command decided no events. */
  readonly revision: bigint | undefined;
  readonly position: Position | undefined;
}

/**
 * The one command path. Runs one command: read the stream once, fold, build the command from the state
 * when it is given as a function, decide, append with the revision read. Two racing writers can
 * never both win. With If-Match the loser gets PreconditionFailed (412): the client decided on what it saw.
 * Without it, the command is decided again on the stream as it now is (a process manager's link written
 * meanwhile must not refuse an officer's step), a few times, then WrongExpectedRevision (409).
 */
export async function execute<Command, State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<State, Command, Event>,
  command: CommandFrom<Command, State>,
  options: ExecuteOptions,
): Promise<Executed<Event>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await executeOnce(store, streamId, decider, command, options);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevision) || options.ifMatch !== undefined || attempt >= EXECUTE_ATTEMPTS) throw error;
    }
  }
}

/** How many times a command without If-Match is decided before a concurrent writer wins with a 409. */
export const EXECUTE_ATTEMPTS = 3;

/**
 * The states the command path folded last, per store and stream (those used in the last FOLD_TTL_MS, at most
 * MAX_FOLDS; a time bound, so that a process's memory settles within minutes of steady work instead of
 * growing until the count bound is reached, as the soak saw): the next command on
 * a stream reads only the events after the revision kept, in the same one read, and folds them on. It can
 * never decide on a stale state: whatever another process appended since is in that read, and the append
 * still names the revision read. Kept as read (before this process appends), so every event is folded as
 * stored, through the decider's upcaster; dropped when an append finds the stream elsewhere than expected.
 */
const folds = new WeakMap<
  EventStore,
  Map<string, { readonly decider: unknown; readonly state: unknown; readonly revision: bigint; readonly at: number }>
>();
const MAX_FOLDS = 5_000;
const FOLD_TTL_MS = 5 * 60_000;

async function foldForCommand<Command, State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<State, Command, Event>,
): Promise<Folded<State>> {
  let kept = folds.get(store);
  if (!kept) folds.set(store, (kept = new Map()));
  const now = Date.now();
  const hit = kept.get(streamId);
  const from = hit?.decider === decider && hit.at > now - FOLD_TTL_MS ? hit : undefined;
  let state = from ? (from.state as State) : decider.initialState;
  let revision = from?.revision;
  try {
    for await (const event of store.readStream(streamId, from ? { fromRevision: from.revision + 1n } : undefined)) {
      state = decider.evolve(state, decider.upcast ? decider.upcast(event) : ({ type: event.type, data: event.data } as unknown as Event));
      revision = event.revision;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
    kept.delete(streamId);
    return { state: decider.initialState, revision: undefined };
  }
  kept.delete(streamId);
  if (revision !== undefined) {
    kept.set(streamId, { decider, state, revision, at: now });
    if (kept.size > MAX_FOLDS) kept.delete(kept.keys().next().value!);
  }
  // Each use moves its entry to the end: the front holds the least recently used, dropped once stale.
  for (const [id, entry] of kept) {
    if (entry.at > now - FOLD_TTL_MS) break;
    kept.delete(id);
  }
  return { state, revision };
}

async function executeOnce<Command, State, Event extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<State, Command, Event>,
  from: CommandFrom<Command, State>,
  options: ExecuteOptions,
): Promise<Executed<Event>> {
  const { state, revision } = await foldForCommand(store, streamId, decider);
  if (revision === undefined && options.notFound) throw options.notFound();
  if (options.ifMatch !== undefined && options.ifMatch !== revision) {
    throw new PreconditionFailed(options.ifMatch, revision ?? 'no_stream');
  }
  const command =
    typeof from === 'function' ? await (from as (folded: Folded<State>) => Command | Promise<Command>)({ state, revision }) : from;
  const events = decider.decide(command, state);
  const alongside = typeof options.alongside === 'function' ? options.alongside({ state, events }) : (options.alongside ?? []);
  if (events.length === 0 && alongside.length === 0) return { events, revision, position: undefined };
  try {
    const own = {
      streamId,
      events: events.map((e) => ({ type: e.type, data: e.data, metadata: options.metadata })),
      expectedRevision: revision ?? 'no_stream',
    } as const;
    if (events.length === 0) {
      const results = await store.appendMany(alongside);
      return { events, revision, position: results.at(-1)!.position };
    }
    const result =
      alongside.length === 0 ? await store.append(own.streamId, own.events, own) : (await store.appendMany([...alongside, own])).at(-1)!;
    return { events, revision: result.nextExpectedRevision, position: result.position };
  } catch (error) {
    if (error instanceof WrongExpectedRevision) folds.get(store)?.delete(streamId);
    if (error instanceof WrongExpectedRevision && options.ifMatch !== undefined) {
      throw new PreconditionFailed(options.ifMatch, error.actual);
    }
    throw error;
  }
}
