/**
 * The event store port. Its semantics follow KurrentDB (EventStoreDB) so that the KurrentDB adapter can
 * sit behind the same interface without callers noticing: expected-revision kinds, idempotent appends by
 * event id, 0-based stream revisions, a global position that orders all events by commit.
 */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

/** `no_stream`: the stream must not exist; `stream_exists`: it must; `any`: no check; a bigint: its last revision. */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | bigint;

/** The actual state reported by a failed revision check. */
export type ActualRevision = 'no_stream' | bigint;

/** Global position in commit order. Opaque to callers: compare it, store it, never compute with it. */
export type Position = bigint;

/** Metadata every event of the system carries. Further keys are allowed. */
export interface EventMetadata {
  readonly actorId?: string;
  readonly role?: string;
  readonly scope?: readonly string[];
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly schemaVersion?: number;
  readonly [key: string]: JsonValue | undefined;
}

/** An event to append. `id` defaults to a new UUID; re-sending the same id makes the append idempotent. */
export interface NewEvent<Type extends string = string, Data extends JsonValue = JsonValue> {
  readonly id?: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata?: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data extends JsonValue = JsonValue> {
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly streamId: string;
  /** 0-based within the stream. */
  readonly revision: bigint;
  readonly position: Position;
  /** Set by the store at commit time, never by the caller. */
  readonly recordedAt: Date;
  /**
   * The event's link in its stream's hash chain, where the adapter carries it on the event (KurrentDB).
   * The SQL adapters keep it in a column that the audit code reads directly, and leave this unset.
   */
  readonly linkHash?: Buffer;
  /** The event's MAC (see integrity.ts), taken out of its metadata; absent on events written before MACs. */
  readonly mac?: string;
}

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the last event of the stream after this append: pass it as the next expected revision. */
  readonly nextExpectedRevision: bigint;
  /** The global position of the last event written (or found, for an idempotent repeat). */
  readonly position: Position;
}

export interface ReadStreamOptions {
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: bigint | 'start' | 'end';
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface EventFilter {
  /** Stream name prefixes, e.g. `case-` for the case category. An event matches if its stream starts with any. */
  readonly streamPrefixes?: readonly string[];
  /** Exact event types. An event matches if its type is one of them. */
  readonly eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** Inclusive lower bound (as in KurrentDB's readAll). Defaults to the start. */
  readonly fromPosition?: Position | 'start';
  readonly maxCount?: number;
  readonly filter?: EventFilter;
  /**
   * Read-your-writes (the default): on PostgreSQL the read first waits, up to the store's settle timeout,
   * until every transaction begun before it has ended, so that an append just acknowledged is in it. A
   * count for a report (a projection's lag) does not need that and must not wait: under steady writes the
   * wait often runs to its timeout, and a scrape that counted a dozen projections that way held the
   * connection pool for a second. `false` reads the settled prefix as it is now (still in commit order).
   */
  readonly settle?: boolean;
}

export interface SubscribeToAllOptions {
  /** Exclusive: the subscription delivers events after this position (a saved checkpoint). Defaults to the start. */
  readonly fromPosition?: Position | 'start';
  readonly filter?: EventFilter;
  /** Most events per batch (a page read from the store). Adapters may deliver fewer. */
  readonly batchSize?: number;
}

export interface SubscriptionBatch {
  readonly events: readonly RecordedEvent[];
  readonly scannedTo: Position;
}

/** A catch-up subscription: delivers history, then new events as they commit, in position order. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  /**
   * The same events in runs of those already available, for consumers that apply them in batches. Each run
   * says how far the log has been scanned (`scannedTo`): with a filter, past events the consumer never sees.
   * A run may be empty when only that progress is news.
   */
  batches(): AsyncIterable<SubscriptionBatch>;
  /** Stops the subscription; a pending iteration ends (done) rather than throwing. */
  close(): Promise<void>;
}

export interface EventStoreHealth {
  readonly adapter: string;
  readonly ready: boolean;
  readonly detail?: string;
}

/** One stream's part of an append to several streams. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
}

export interface EventStore {
  readonly adapter: string;
  append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to several streams, each with its expected revision: on the SQL stores in one transaction (all
   * or nothing, positions in the order of the parts). KurrentDB's gRPC protocol of this client has no
   * multi-stream append: there every part is validated and checked first, then appended last part first,
   * so put last the part a racing writer can refuse (the record that names the others): a race then
   * refuses before anything is written, and only an outage between two appends leaves a part out.
   */
  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** Throws StreamNotFound (lazily, on first iteration) when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  /** The position of the last event written (null while the log is empty): what a reader waits for to be caught up. */
  head(): Promise<Position | null>;
  health(): Promise<EventStoreHealth>;
  close(): Promise<void>;
}

export interface EventStoreLimits {
  /** Largest serialised event (data plus metadata), in bytes. Default 1 MiB. */
  readonly maxEventBytes: number;
  /** Most events in one append. Default 10,000. */
  readonly maxBatchEvents: number;
  /** Longest stream name, in characters. Default 256. */
  readonly maxStreamNameLength: number;
}

export const DEFAULT_LIMITS: EventStoreLimits = {
  maxEventBytes: 1024 * 1024,
  maxBatchEvents: 10_000,
  maxStreamNameLength: 256,
};
