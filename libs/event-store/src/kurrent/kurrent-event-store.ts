import {
  type AllStreamResolvedEvent,
  BACKWARDS,
  END,
  type EventData,
  EventStoreDBClient,
  eventTypeFilter,
  excludeSystemEvents,
  type Filter,
  FORWARDS,
  type ResolvedEvent,
  START,
  streamNameFilter,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';

import { collectIfAny } from '../collect';
import { DuplicateEventId, InvalidAppend, StoreUnavailable, StreamNotFound, WrongExpectedRevision } from '../errors';
import { canonicalJson, contentHash, linkHash, MAC_METADATA_KEY } from '../integrity';
import {
  type AppendOptions,
  type AppendResult,
  DEFAULT_LIMITS,
  type EventFilter,
  type EventStore,
  type EventStoreHealth,
  type EventStoreLimits,
  type ExpectedRevision,
  type JsonValue,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeToAllOptions,
  type Subscription,
  type SubscriptionBatch,
} from '../types';
import { prepareAppend, type PreparedEvent, validateStreamName } from '../validation';

/**
 * The key under which the adapter keeps, in each event's KurrentDB metadata, what the SQL adapters keep in
 * columns: the event's link in its stream's hash chain and the instant it was recorded. Callers never see
 * it (it is removed on read) and may not use it.
 */
export const RESERVED_METADATA_KEY = '$jejak';

/** How many of a stream's last events an append checks for reused event ids: the repeats that matter (a retried command) sit at the tail; KurrentDB's own idempotence is per stream and recent. */
const ID_WINDOW = 16;
/** Appends with `any` or `stream_exists` that lose a race for the tail are retried this many times. */
const MAX_RACE_RETRIES = 50;

export interface KurrentEventStoreOptions {
  readonly limits?: Partial<EventStoreLimits>;
  /** Longest wait between reconnection attempts of a subscription. Default 2 s. */
  readonly maxReconnectDelayMs?: number;
  /** The event MAC key (integrity.ts eventMacKey): every event written gets its MAC. */
  readonly macKey?: Buffer;
}

interface Stamp {
  readonly link: string;
  readonly at: string;
}

type KurrentEvent = NonNullable<ResolvedEvent['event']>;

/** What an append needs to know of a stream's last events: ids (repeats, reuse), revision, link. */
type TailEntry = Pick<RecordedEvent, 'id' | 'revision' | 'linkHash'>;

/** Streams whose tails an adapter remembers. */
const TAIL_CACHE_STREAMS = 10_000;

/** Connection strings may use the new `kurrentdb://` scheme; the 6.x client knows them as `esdb://`. */
export function clientConnectionString(connectionString: string): string {
  return connectionString.replace(/^kurrentdb(\+discover)?:\/\//i, (_m, discover: string | undefined) => `esdb${discover ?? ''}://`);
}

const UNAVAILABLE_TYPES = new Set(['unavailable', 'deadline-exceeded', 'not-leader', 'cancelled', 'timeout']);

/** Transport-level failures (gRPC UNAVAILABLE, status 14; deadlines; a follower answering) become StoreUnavailable. */
export function mapKurrentError(error: unknown): unknown {
  if (error instanceof WrongExpectedRevision || error instanceof StreamNotFound || error instanceof DuplicateEventId) return error;
  const e = error as { type?: unknown; code?: unknown; message?: unknown };
  if ((typeof e?.type === 'string' && UNAVAILABLE_TYPES.has(e.type)) || e?.code === 14 || e?.code === 4) {
    return new StoreUnavailable(
      `The event store is unavailable (KurrentDB: ${typeof e.type === 'string' ? e.type : 'connection lost'})`,
      error,
    );
  }
  return error;
}

function position(event: KurrentEvent): Position {
  const p = event.position;
  if (!p) throw new Error(`KurrentDB returned event ${event.id} without a position`);
  // Over gRPC there are no explicit transactions: commit and prepare positions are the same for every event.
  return p.commit;
}

function toRecorded(event: KurrentEvent | undefined): RecordedEvent | undefined {
  if (!event || event.streamId.startsWith('$')) return undefined; // system streams are KurrentDB's, not ours
  const raw = event.metadata;
  const metadata: Record<string, JsonValue> =
    raw && typeof raw === 'object' && !(raw instanceof Uint8Array) ? { ...(raw as Record<string, JsonValue>) } : {};
  const stamp = metadata[RESERVED_METADATA_KEY] as unknown as Stamp | undefined;
  delete metadata[RESERVED_METADATA_KEY];
  const mac = metadata[MAC_METADATA_KEY];
  delete metadata[MAC_METADATA_KEY];
  return {
    id: event.id,
    type: event.type,
    data: (event.isJson ? event.data : null) as JsonValue,
    metadata,
    streamId: event.streamId,
    revision: event.revision,
    position: position(event),
    recordedAt: stamp?.at ? new Date(stamp.at) : event.created,
    ...(stamp?.link ? { linkHash: Buffer.from(stamp.link, 'hex') } : {}),
    ...(typeof mac === 'string' ? { mac } : {}),
  };
}

function matches(filter: EventFilter | undefined, event: RecordedEvent): boolean {
  if (filter?.streamPrefixes?.length && !filter.streamPrefixes.some((p) => event.streamId.startsWith(p))) return false;
  if (filter?.eventTypes?.length && !filter.eventTypes.includes(event.type)) return false;
  return true;
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The event store port over KurrentDB (EventStoreDB 20+) through `@eventstore/db-client`.
 *
 * - Appends: the adapter reads the stream's tail (or remembers it from its last append to the stream),
 *   checks the caller's expected revision and the recent
 *   event ids itself (repeats are idempotent, reused ids a DuplicateEventId), links every new event into
 *   the stream's hash chain, and appends at the exact revision it read; KurrentDB refuses the append if
 *   another writer got there first, and the adapter then decides again (retrying for `any` and
 *   `stream_exists`, reporting the conflict for an exact expectation).
 * - Positions: KurrentDB's commit position (equal to the prepare position over gRPC).
 * - Subscriptions: catch-up subscriptions to $all with a server-side filter (stream prefixes, or event
 *   types), checkpoints from the server's filtered scan, and resubscription from the last position
 *   received when the connection drops, so that no event is lost or repeated.
 * - Event ids are unique within a stream's recent events, not across streams: that is KurrentDB's rule.
 */
export class KurrentEventStore implements EventStore {
  readonly adapter = 'kurrentdb';
  private readonly limits: EventStoreLimits;
  private readonly macKey: Buffer | undefined;
  private readonly subscriptions = new Set<KurrentSubscription>();
  /** The last events of streams this process appended to or read the tail of, newest first; least recently used dropped first. */
  private readonly tails = new Map<string, TailEntry[]>();

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: KurrentEventStoreOptions,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.macKey = options.macKey;
  }

  /** Connects and proves the server answers, so that a bad connection string fails at start. */
  static async connect(connectionString: string, options: KurrentEventStoreOptions = {}): Promise<KurrentEventStore> {
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(clientConnectionString(connectionString));
    } catch (error) {
      throw new StoreUnavailable(`EVENTSTORE_CONNECTION_STRING is not a valid KurrentDB connection string (${(error as Error).message})`);
    }
    const store = new KurrentEventStore(client, options);
    const health = await store.health();
    if (!health.ready) {
      await client.dispose().catch(() => undefined);
      throw new StoreUnavailable(`KurrentDB is unavailable (${health.detail ?? 'no answer'})`);
    }
    return store;
  }

  /**
   * No multi-stream append in this client's protocol: every part is validated and every expectation checked
   * first, then the parts are appended one by one, last part first, with their event ids fixed up front (a
   * retry of the whole call is idempotent). Callers put last the part a racing writer can refuse (the
   * record); the others are new streams. So a race refuses the call before anything is written; only an
   * outage between two appends leaves the later parts written without the earlier ones.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const fixed = appends.map((a) => {
      const prepared = this.validate(a.streamId, a.events, a.expectedRevision);
      return { ...a, events: a.events.map((e, i) => ({ ...e, id: prepared[i]!.id })) };
    });
    // Every expectation checked on the server's tails before anything is written: only a writer racing
    // between this check and the appends can still refuse a later part after an earlier one was written.
    for (const a of fixed) {
      if (a.expectedRevision === 'any') continue;
      const current = (await this.tail(a.streamId))[0]?.revision;
      const ok =
        a.expectedRevision === 'no_stream'
          ? current === undefined
          : a.expectedRevision === 'stream_exists'
            ? current !== undefined
            : current === a.expectedRevision;
      if (!ok) throw new WrongExpectedRevision(a.streamId, a.expectedRevision, current ?? 'no_stream');
    }
    const results: AppendResult[] = [];
    for (const a of [...fixed].reverse())
      results.unshift(await this.append(a.streamId, a.events, { expectedRevision: a.expectedRevision }));
    return results;
  }

  private validate(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): PreparedEvent[] {
    const prepared = prepareAppend(streamId, events, expected, this.limits, this.macKey);
    if (streamId.startsWith('$')) {
      throw new InvalidAppend('Invalid append', [{ field: 'streamId', message: 'must not start with $ (KurrentDB system streams)' }]);
    }
    prepared.forEach((e, i) => {
      if (e.metadataJson.includes(`"${RESERVED_METADATA_KEY}"`) && RESERVED_METADATA_KEY in (JSON.parse(e.metadataJson) as object)) {
        throw new InvalidAppend('Invalid append', [
          { field: `events[${i}].metadata`, message: `must not use the reserved key ${RESERVED_METADATA_KEY}` },
        ]);
      }
    });
    return prepared;
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const prepared = this.validate(streamId, events, options?.expectedRevision);
    const expected = options.expectedRevision;
    const parsed = prepared.map((e) => ({ data: JSON.parse(e.dataJson) as JsonValue, metadata: JSON.parse(e.metadataJson) as JsonValue }));
    try {
      for (let attempt = 0; ; attempt++) {
        // The tail this process last wrote or read, if any: the append then costs one round trip. It is
        // only ever trusted to go ahead (KurrentDB refuses the append if another process wrote since);
        // refusing the caller is decided on a tail read from the server.
        // Creating a stream needs no tail at all: KurrentDB refuses `no_stream` if the stream exists.
        const cached = attempt === 0 ? (this.tails.get(streamId) ?? (expected === 'no_stream' ? [] : undefined)) : undefined;
        const tail = cached ?? (await this.tail(streamId));
        const current = tail[0]?.revision;
        let outcome: AppendResult | undefined;
        try {
          outcome = await this.check(streamId, prepared, expected, current, tail);
        } catch (error) {
          if (!cached) throw error;
          this.tails.delete(streamId);
          continue;
        }
        if (outcome) return outcome;
        // Link the new events into the stream's chain, from the link of the event they follow.
        const at = new Date();
        let previous = tail[0]?.linkHash ?? null;
        const first = current === undefined ? 0n : current + 1n;
        const written: TailEntry[] = [];
        const data: EventData[] = prepared.map((e, i) => {
          previous = linkHash(
            previous,
            contentHash(e.id, e.type, canonicalJson(parsed[i]!.data), canonicalJson(parsed[i]!.metadata)),
            streamId,
            first + BigInt(i),
            at,
          );
          written.unshift({ id: e.id, revision: first + BigInt(i), linkHash: previous });
          const stamp = JSON.stringify({ link: previous.toString('hex'), at: at.toISOString() });
          const metadata = `{"${RESERVED_METADATA_KEY}":${stamp}${e.metadataJson === '{}' ? '}' : `,${e.metadataJson.slice(1)}`}`;
          return {
            id: e.id,
            type: e.type,
            contentType: 'application/json',
            data: parsed[i]!.data as never,
            // A plain Uint8Array: the client sends it as is (a Buffer would be stringified again).
            metadata: new Uint8Array(Buffer.from(metadata, 'utf8')),
          } as EventData;
        });
        try {
          const result = await this.client.appendToStream(streamId, data, {
            expectedRevision: current === undefined ? 'no_stream' : current,
          });
          this.remember(streamId, [...written, ...tail]);
          return { nextExpectedRevision: result.nextExpectedRevision, position: result.position!.commit };
        } catch (error) {
          this.tails.delete(streamId);
          // Another writer appended between our read of the tail and our append: decide again on the new
          // tail. For an exact expectation that reports the conflict (or finds this append was a repeat).
          if (!(error instanceof WrongExpectedVersionError) || attempt >= MAX_RACE_RETRIES) throw error;
          if (attempt > 3) await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
        }
      }
    } catch (error) {
      throw mapKurrentError(error);
    }
  }

  /**
   * Decides, on the stream's tail, whether the append is a repeat (returns its result), a conflict or a
   * reuse of ids (throws), or may go ahead (returns undefined).
   */
  private async check(
    streamId: string,
    prepared: readonly PreparedEvent[],
    expected: ExpectedRevision,
    current: bigint | undefined,
    tail: readonly TailEntry[],
  ): Promise<AppendResult | undefined> {
    const revisionOk =
      expected === 'any' ||
      (expected === 'no_stream' && current === undefined) ||
      (expected === 'stream_exists' && current !== undefined) ||
      (typeof expected === 'bigint' && current === expected);
    const ids = new Set(prepared.map((e) => e.id));
    const reused = tail.filter((e) => ids.has(e.id));
    if (revisionOk && reused.length === 0) return undefined;
    let start: bigint | undefined;
    if (typeof expected === 'bigint') start = expected + 1n;
    else if (expected === 'no_stream') start = 0n;
    else start = tail.find((e) => e.id === prepared[0]!.id)?.revision;
    if (expected === 'stream_exists' && start === 0n) start = undefined;
    if (start !== undefined) {
      const run = await collectIfAny(this.readStream(streamId, { fromRevision: start, maxCount: prepared.length }));
      if (run.length === prepared.length && run.every((e, i) => e.id === prepared[i]!.id)) {
        const last = run[run.length - 1]!;
        return { nextExpectedRevision: last.revision, position: last.position };
      }
    }
    if (!revisionOk) throw new WrongExpectedRevision(streamId, expected, current ?? 'no_stream');
    throw new DuplicateEventId(
      streamId,
      reused.map((e) => e.id),
    );
  }

  /** The stream's last events, newest first (empty when the stream does not exist), read from the server. */
  private async tail(streamId: string): Promise<TailEntry[]> {
    const events = await collectIfAny(this.readStream(streamId, { direction: 'backwards', maxCount: ID_WINDOW }));
    const tail = events.map((e) => ({ id: e.id, revision: e.revision, ...(e.linkHash ? { linkHash: e.linkHash } : {}) }));
    if (tail.length > 0) this.remember(streamId, tail);
    return tail;
  }

  private remember(streamId: string, tail: readonly TailEntry[]): void {
    this.tails.delete(streamId);
    this.tails.set(streamId, tail.slice(0, ID_WINDOW));
    if (this.tails.size > TAIL_CACHE_STREAMS) this.tails.delete(this.tails.keys().next().value!);
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const problem = validateStreamName(streamId, this.limits);
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    const from = options.fromRevision;
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const client = this.client;
    return {
      async *[Symbol.asyncIterator]() {
        if (problem || streamId.startsWith('$')) throw new StreamNotFound(String(streamId));
        if (forwards && from === 'end') return;
        if (maxCount <= 0) return;
        const fromRevision = from === undefined ? (forwards ? START : END) : from === 'start' ? START : from === 'end' ? END : from;
        const stream = client.readStream(streamId, { direction: forwards ? FORWARDS : BACKWARDS, fromRevision, maxCount });
        let complete = false;
        try {
          for await (const resolved of stream) {
            const event = toRecorded((resolved as ResolvedEvent).event);
            if (event) yield event;
          }
          complete = true;
        } catch (error) {
          complete = true;
          if (error instanceof StreamNotFoundError) throw new StreamNotFound(streamId);
          throw mapKurrentError(error);
        } finally {
          // A reader that stops early must cancel the gRPC call, or it stays open until the client closes.
          if (!complete) await stream.cancel().catch(() => undefined);
        }
      },
    };
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const from = options.fromPosition;
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const client = this.client;
    return {
      async *[Symbol.asyncIterator]() {
        if (maxCount <= 0) return;
        // The 6.x client reads $all without a server-side filter: the adapter filters (and leaves out
        // KurrentDB's system streams) as the events arrive.
        const stream = client.readAll({
          direction: FORWARDS,
          fromPosition: from === undefined || from === 'start' ? START : { commit: from, prepare: from },
          maxCount: Number.MAX_SAFE_INTEGER,
        });
        let count = 0;
        let complete = false;
        try {
          for await (const resolved of stream) {
            const event = toRecorded((resolved as AllStreamResolvedEvent).event);
            if (!event || !matches(options.filter, event)) continue;
            yield event;
            if (++count >= maxCount) return;
          }
          complete = true;
        } catch (error) {
          complete = true;
          throw mapKurrentError(error);
        } finally {
          if (!complete) await stream.cancel().catch(() => undefined);
        }
      },
    };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    const subscription = new KurrentSubscription(this.client, options, this.options.maxReconnectDelayMs ?? 2000, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async head(): Promise<Position | null> {
    // Backwards from the end of $all, past KurrentDB's own system events.
    const stream = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: Number.MAX_SAFE_INTEGER });
    let complete = false;
    try {
      for await (const resolved of stream) {
        const event = toRecorded((resolved as AllStreamResolvedEvent).event);
        if (event) return event.position;
      }
      complete = true;
      return null;
    } catch (error) {
      complete = true;
      throw mapKurrentError(error);
    } finally {
      if (!complete) await stream.cancel().catch(() => undefined);
    }
  }

  async health(): Promise<EventStoreHealth> {
    try {
      const stream = this.client.readAll({ maxCount: 1, fromPosition: START, direction: FORWARDS });
      for await (const _ of stream) void _; // reads to the end (one event), so the call completes
      return { adapter: this.adapter, ready: true };
    } catch (error) {
      return { adapter: this.adapter, ready: false, detail: mapKurrentError(error) instanceof StoreUnavailable ? 'unreachable' : 'error' };
    }
  }

  /**
   * Closes the subscriptions, then the client. Neither waits more than CLOSE_WAIT_MS for the server: under
   * load an unsubscribe's cancel or the channel's drain can go unanswered, and a shutdown that waits on it
   * never ends (seen with two test suites at once: every runner stopped, app.close() waiting on one gRPC
   * socket). Nothing is lost by not waiting: writes are acknowledged or not before close is called.
   */
  async close(): Promise<void> {
    await bounded(Promise.all([...this.subscriptions].map((s) => s.close())), CLOSE_WAIT_MS);
    await bounded(
      this.client.dispose().catch(() => undefined),
      CLOSE_WAIT_MS,
    );
  }
}

const CLOSE_WAIT_MS = 5_000;

/** Waits for `work`, or `ms` at most; whatever it was doing goes on without being waited for. */
async function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

type Item = { readonly event: RecordedEvent } | { readonly checkpoint: Position };

const HIGH_WATER = 20_000;

/**
 * A catch-up subscription to $all. Events and server checkpoints are queued as they arrive (the server
 * stream is paused while the consumer is far behind) and handed out in batches. When the connection drops,
 * it subscribes again from the last position received: events received are never asked for again, events
 * not yet received are.
 */
class KurrentSubscription implements Subscription {
  private readonly queue: Item[] = [];
  private received: Position;
  private closed = false;
  private notify: (() => void) | undefined;
  private current: ReturnType<EventStoreDBClient['subscribeToAll']> | undefined;
  private reconnectDelay = 50;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly batchSize: number;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: SubscribeToAllOptions,
    private readonly maxReconnectDelayMs: number,
    private readonly onClose: () => void,
  ) {
    this.received = options.fromPosition === undefined || options.fromPosition === 'start' ? -1n : options.fromPosition;
    this.batchSize = Math.max(1, Math.min(options.batchSize ?? 500, 10_000));
    this.subscribe();
  }

  private serverFilter(): Filter {
    const checkpointReached = (_s: unknown, at: { commit: bigint }): void => {
      if (at.commit <= this.received) return;
      this.received = at.commit;
      this.push({ checkpoint: at.commit });
    };
    const filter = this.options.filter;
    if (filter?.streamPrefixes?.length) return streamNameFilter({ prefixes: [...filter.streamPrefixes], checkpointReached });
    if (filter?.eventTypes?.length) {
      return eventTypeFilter({ regex: `^(?:${filter.eventTypes.map(escapeRegex).join('|')})$`, checkpointReached });
    }
    return excludeSystemEvents({ checkpointReached });
  }

  private subscribe(): void {
    if (this.closed) return;
    const from = this.received;
    const sub = this.client.subscribeToAll({
      fromPosition: from < 0n ? START : { commit: from, prepare: from },
      filter: this.serverFilter(),
    });
    this.current = sub;
    let failed = false;
    const retry = (): void => {
      if (failed || this.closed || this.current !== sub) return;
      failed = true;
      this.current = undefined;
      sub.removeAllListeners('data');
      sub.unsubscribe().catch(() => undefined);
      this.reconnectTimer = setTimeout(() => this.subscribe(), this.reconnectDelay);
      this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.maxReconnectDelayMs);
    };
    sub.on('data', (resolved: AllStreamResolvedEvent) => {
      this.reconnectDelay = 50;
      const raw = resolved.event;
      if (!raw?.position) return;
      const event = toRecorded(raw);
      const at = raw.position.commit;
      if (at <= this.received) return; // never twice, whatever the server sends again after a reconnect
      this.received = at;
      if (event && matches(this.options.filter, event)) this.push({ event });
      else this.push({ checkpoint: at });
    });
    sub.on('error', retry);
    sub.on('end', retry);
    sub.on('close', retry);
  }

  private push(item: Item): void {
    this.queue.push(item);
    if (this.queue.length > HIGH_WATER) this.current?.pause();
    this.notify?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    for await (const batch of this.batches()) {
      for (const event of batch.events) {
        if (this.closed) return;
        yield event;
      }
    }
  }

  async *batches(): AsyncIterable<SubscriptionBatch> {
    let scannedTo: Position =
      this.options.fromPosition === undefined || this.options.fromPosition === 'start' ? -1n : this.options.fromPosition;
    while (!this.closed) {
      if (this.queue.length === 0) {
        await new Promise<void>((resolve) => (this.notify = resolve));
        this.notify = undefined;
        continue;
      }
      const events: RecordedEvent[] = [];
      let to = scannedTo;
      while (this.queue.length > 0 && events.length < this.batchSize) {
        const item = this.queue.shift()!;
        if ('event' in item) {
          events.push(item.event);
          if (item.event.position > to) to = item.event.position;
        } else if (item.checkpoint > to) to = item.checkpoint;
      }
      if (this.queue.length < HIGH_WATER / 2 && this.current?.isPaused()) this.current.resume();
      if (events.length > 0 || to > scannedTo) {
        scannedTo = to;
        yield { events, scannedTo };
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const sub = this.current;
    this.current = undefined;
    this.notify?.();
    this.onClose();
    await sub?.unsubscribe().catch(() => undefined);
  }
}
