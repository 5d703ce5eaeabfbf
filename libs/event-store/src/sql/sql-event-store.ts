import { DuplicateEventId, InvalidAppend, StoreUnavailable, StreamNotFound, WrongExpectedRevision } from '../errors';
import { MAC_METADATA_KEY } from '../integrity';
import { SharedTail } from '../shared-tail';
import { type Page, PollingSubscription } from '../subscription';
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
} from '../types';
import { prepareAppend, type PreparedEvent, validateStreamName } from '../validation';
import { Wakeup } from '../wakeup';
import { EVENT_STORE_MIGRATIONS, POSITION_TX_SHIFT } from './event-store.migrations';
import { migrate } from './migrations';
import type { SqlClient } from './sql-client';

export interface SqlEventStoreOptions {
  readonly limits?: Partial<EventStoreLimits>;
  /** Rows per page when reading. Default 500. */
  readonly pageSize?: number;
  /** Longest a caught-up subscription waits before polling without a wake-up. Default 1 s. */
  readonly pollIntervalMs?: number;
  /** Longest a one-shot readAll waits for older transactions to finish (see settle). Default 1 s. */
  readonly settleTimeoutMs?: number;
  /**
   * Link each event into its stream's hash chain (default). Off only to measure what the chain costs:
   * events written without links fail verification.
   */
  readonly chain?: boolean;
  /** The event MAC key (integrity.ts eventMacKey): every event written gets its MAC. */
  readonly macKey?: Buffer;
  /** Newest events kept in memory for the process's followers (SharedTail). Default 5,000. */
  readonly tailKeep?: number;
}

const CHANNEL = 'jejak_events';
const WRONG_EXPECTED = 'JJ001';
const UNIQUE_VIOLATION = '23505';

interface EventRow {
  position: string;
  stream_id: string;
  revision: string;
  id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: Date | string;
}

const COLUMNS = `e.position::text as position, e.stream_id, e.revision::text as revision, e.id::text as id, e.type,
  e.data::text as data, e.metadata::text as metadata, e.recorded_at`;

// Only events of transactions below the snapshot's xmin: see event-store.migrations.ts for why.
const VISIBLE_BOUND = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint * ${POSITION_TX_SHIFT})`;

/** The parameters of jejak_append for one stream's part of an append. */
function appendParams(streamId: string, expected: ExpectedRevision, prepared: readonly PreparedEvent[], chain: boolean): unknown[] {
  return [
    streamId,
    typeof expected === 'bigint' ? expected.toString() : expected,
    prepared.map((e) => e.id),
    prepared.map((e) => e.type),
    prepared.map((e) => e.dataJson),
    prepared.map((e) => e.metadataJson),
    chain,
  ];
}

function toRecorded(row: EventRow): RecordedEvent {
  const { [MAC_METADATA_KEY]: mac, ...metadata } = JSON.parse(row.metadata) as Record<string, JsonValue>;
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data) as JsonValue,
    metadata: metadata as RecordedEvent['metadata'],
    ...(typeof mac === 'string' ? { mac } : {}),
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
  };
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN']);

/** Storage-level failures (connection lost, server shutting down, too many clients) become StoreUnavailable. */
export function mapStorageError(error: unknown): unknown {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (
    CONNECTION_CODES.has(code) ||
    code.startsWith('08') || // connection exception
    code.startsWith('57P') || // operator intervention: shutdown, cannot connect now
    code === '53300' || // too many connections
    /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|PGlite is closed/i.test(
      message,
    )
  ) {
    return new StoreUnavailable(`The event store is unavailable (${code || 'connection lost'})`, error);
  }
  return error;
}

function filterSql(filter: EventFilter | undefined, params: unknown[]): string {
  let sql = '';
  if (filter?.streamPrefixes && filter.streamPrefixes.length > 0) {
    // LIKE with the prefix's own wildcards escaped: a plain row filter, so the scan stays in index order.
    params.push(filter.streamPrefixes.map((p) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
    sql += ` and e.stream_id like any($${params.length}::text[])`;
  }
  if (filter?.eventTypes && filter.eventTypes.length > 0) {
    params.push(filter.eventTypes);
    sql += ` and e.type = any($${params.length}::text[])`;
  }
  return sql;
}

/**
 * The event store over PostgreSQL's SQL, shared by the PostgreSQL and the embedded PGlite adapters:
 * same schema, same migrations, same function, so both behave identically.
 */
export class SqlEventStore implements EventStore {
  readonly adapter: string;
  private readonly limits: EventStoreLimits;
  private readonly macKey: Buffer | undefined;
  private readonly pageSize: number;
  private readonly chain: boolean;
  private readonly pollIntervalMs: number;
  private readonly settleTimeoutMs: number;
  private readonly wakeup = new Wakeup();
  /** Followers woken by one append read its events once between them. */
  private readonly tail: SharedTail;
  private unlisten?: () => Promise<void>;
  private listening?: Promise<void>;
  private notifyState: 'idle' | 'scheduled' | 'again' = 'idle';
  private closed = false;

  private constructor(
    private readonly db: SqlClient,
    options: SqlEventStoreOptions,
  ) {
    this.adapter = db.dialect;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.macKey = options.macKey;
    this.pageSize = options.pageSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.chain = options.chain ?? true;
    this.settleTimeoutMs = options.settleTimeoutMs ?? 1000;
    this.tail = new SharedTail({
      readPage: (after, limit) => this.readUnfiltered(after, limit),
      storeWakeup: this.wakeup,
      pollIntervalMs: this.pollIntervalMs,
      ...(options.tailKeep ? { keep: options.tailKeep } : {}),
      ...this.followerPacing(),
    });
  }

  /**
   * How a follower of this store paces its reads. PostgreSQL: a few quick re-reads after a wake-up, for
   * events behind a transaction still open. Embedded: one connection, so an append is visible the moment
   * its wake-up arrives; and every follower shares that connection with the writers, so under a burst of
   * commands one read for several appends leaves the connection to the commands.
   */
  private followerPacing(): { quickRetries: number; coalesceMs: number } {
    return this.db.dialect === 'postgres' ? { quickRetries: 4, coalesceMs: 0 } : { quickRetries: 0, coalesceMs: 10 };
  }

  /** Applies the event store's migrations, then returns a store over `db`. The store does not own `db`. */
  static async create(db: SqlClient, options: SqlEventStoreOptions = {}): Promise<SqlEventStore> {
    try {
      await migrate(db, 'event-store', EVENT_STORE_MIGRATIONS);
    } catch (error) {
      throw mapStorageError(error);
    }
    return new SqlEventStore(db, options);
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const prepared = prepareAppend(streamId, events, options?.expectedRevision, this.limits, this.macKey);
    const expected = options.expectedRevision;
    let result: AppendResult;
    try {
      const rows = await this.db.query<{ next_revision: string; last_position: string }>(
        `select * from jejak_append($1, $2, $3::uuid[], $4::text[], $5::text[], $6::text[], $7)`,
        appendParams(streamId, expected, prepared, this.chain),
        'jejak_append',
      );
      const row = rows[0]!;
      result = { nextExpectedRevision: BigInt(row.next_revision), position: BigInt(row.last_position) };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === WRONG_EXPECTED || code === UNIQUE_VIOLATION) {
        const repeat = await this.findRepeat(streamId, prepared, expected);
        if (repeat) return repeat;
        if (code === WRONG_EXPECTED) {
          const detail = (error as { detail?: string }).detail ?? 'no_stream';
          throw new WrongExpectedRevision(streamId, expected, detail === 'no_stream' ? 'no_stream' : BigInt(detail));
        }
        throw new DuplicateEventId(streamId, await this.existingIds(prepared));
      }
      throw mapStorageError(error);
    }
    this.announce();
    return result;
  }

  /**
   * Appends to several streams in one transaction: all of them or none. Each stream's expected revision is
   * checked as in `append`; positions follow the order of the appends.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const prepared = appends.map((a) => prepareAppend(a.streamId, a.events, a.expectedRevision, this.limits, this.macKey));
    const total = prepared.reduce((n, p) => n + p.length, 0);
    if (total > this.limits.maxBatchEvents)
      throw new InvalidAppend('Invalid append', [
        { field: 'events', message: `at most ${this.limits.maxBatchEvents} events in one append` },
      ]);
    let failed: { index: number; error: unknown } | undefined;
    let results: AppendResult[];
    try {
      results = await this.db.transaction(async (tx) => {
        const out: AppendResult[] = [];
        let offset = 0;
        for (const [index, append] of appends.entries()) {
          const events = prepared[index]!;
          const expected = append.expectedRevision;
          try {
            const rows = await tx.query<{ next_revision: string; last_position: string }>(
              `select * from jejak_append($1, $2, $3::uuid[], $4::text[], $5::text[], $6::text[], $7, $8)`,
              [...appendParams(append.streamId, expected, events, this.chain), offset],
            );
            out.push({ nextExpectedRevision: BigInt(rows[0]!.next_revision), position: BigInt(rows[0]!.last_position) });
          } catch (error) {
            failed = { index, error };
            throw error;
          }
          offset += events.length;
        }
        return out;
      });
    } catch (error) {
      if (!failed) throw mapStorageError(error);
      const code = (failed.error as { code?: string }).code;
      if (code === WRONG_EXPECTED || code === UNIQUE_VIOLATION) {
        // The same appends again (a retried request): answer as the first time, write nothing.
        const repeats = await Promise.all(appends.map((a, i) => this.findRepeat(a.streamId, prepared[i]!, a.expectedRevision)));
        if (repeats.every((r) => r !== undefined)) return repeats as AppendResult[];
        const append = appends[failed.index]!;
        if (code === WRONG_EXPECTED) {
          const detail = (failed.error as { detail?: string }).detail ?? 'no_stream';
          throw new WrongExpectedRevision(append.streamId, append.expectedRevision, detail === 'no_stream' ? 'no_stream' : BigInt(detail));
        }
        throw new DuplicateEventId(append.streamId, await this.existingIds(prepared[failed.index]!));
      }
      throw mapStorageError(failed.error);
    }
    this.announce();
    return results;
  }

  /**
   * Idempotent append: if every event id of this append is already in this stream, in this order, as one
   * contiguous run where the expected revision says it should start, the append already happened.
   */
  private async findRepeat(
    streamId: string,
    prepared: readonly PreparedEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult | undefined> {
    const rows = await this.db.query<{ id: string; stream_id: string; revision: string; position: string }>(
      `select id::text as id, stream_id, revision::text as revision, position::text as position
         from jejak_events where id = any($1::uuid[])`,
      [prepared.map((e) => e.id)],
    );
    if (rows.length !== prepared.length) return undefined;
    const byId = new Map(rows.map((r) => [r.id, r]));
    const first = byId.get(prepared[0]!.id)!;
    const start = BigInt(first.revision);
    const startOk =
      expected === 'any' ||
      (expected === 'no_stream' && start === 0n) ||
      (expected === 'stream_exists' && start > 0n) ||
      (typeof expected === 'bigint' && start === expected + 1n);
    if (!startOk) return undefined;
    let last = first;
    for (let i = 0; i < prepared.length; i++) {
      const row = byId.get(prepared[i]!.id);
      if (!row || row.stream_id !== streamId || BigInt(row.revision) !== start + BigInt(i)) return undefined;
      last = row;
    }
    return { nextExpectedRevision: BigInt(last.revision), position: BigInt(last.position) };
  }

  private async existingIds(prepared: readonly PreparedEvent[]): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(`select id::text as id from jejak_events where id = any($1::uuid[])`, [
      prepared.map((e) => e.id),
    ]);
    return rows.map((r) => r.id);
  }

  /** Wakes subscribers here at once, and in other processes through one coalesced NOTIFY. */
  private announce(): void {
    this.wakeup.signal();
    if (this.db.dialect !== 'postgres' || this.closed) return;
    // NOTIFY inside the append transaction would serialise every commit on PostgreSQL's notify queue
    // lock; sent after commit and coalesced, it costs at most one small query per burst of appends.
    if (this.notifyState !== 'idle') {
      this.notifyState = 'again';
      return;
    }
    this.notifyState = 'scheduled';
    const send = (): void => {
      this.db.notify(CHANNEL).then(
        () => {
          if (this.notifyState === 'again' && !this.closed) {
            this.notifyState = 'scheduled';
            setImmediate(send);
          } else this.notifyState = 'idle';
        },
        () => {
          this.notifyState = 'idle'; // other processes fall back to polling
        },
      );
    };
    setImmediate(send);
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const problem = validateStreamName(streamId, this.limits);
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const from = options.fromRevision;
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        if (problem) throw new StreamNotFound(String(streamId));
        // `undefined` while reading backwards means "from the last event".
        let next: bigint | undefined;
        if (forwards) {
          if (from === 'end') return; // nothing comes after the end
          next = from === undefined || from === 'start' ? 0n : from;
        } else {
          next = from === undefined || from === 'end' ? undefined : from === 'start' ? 0n : from;
        }
        let remaining = maxCount;
        let first = true;
        while (remaining > 0) {
          const limit = Math.min(remaining, self.pageSize);
          const page = forwards
            ? `select ${COLUMNS} from jejak_events e where e.stream_id = $1 and e.revision >= $2 order by e.revision limit $3`
            : `select ${COLUMNS} from jejak_events e where e.stream_id = $1 and ($2::bigint is null or e.revision <= $2)
                 order by e.revision desc limit $3`;
          // The first page says in the same statement whether the stream exists: a read after a revision
          // already known (the command path's cached fold) usually finds nothing new, and would otherwise
          // take a second round trip to tell "nothing new" from "no such stream".
          const read = await self.query<EventRow & { present: number | null }>(
            first
              ? `select (select 1 from jejak_streams where stream_id = $1) as present, m.* from (select 1) one
                   left join lateral (${page}) m on true`
              : page,
            [streamId, next === undefined ? null : next.toString(), limit],
          );
          const rows = first ? read.filter((row) => row.position !== null) : read;
          if (first && rows.length === 0 && !read[0]?.present) throw new StreamNotFound(streamId);
          first = false;
          for (const row of rows) yield toRecorded(row);
          remaining -= rows.length;
          if (rows.length < limit) return;
          const lastRevision = BigInt(rows[rows.length - 1]!.revision);
          next = forwards ? lastRevision + 1n : lastRevision - 1n;
          if (next < 0n) return;
        }
      },
    };
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const from = options.fromPosition === undefined || options.fromPosition === 'start' ? -1n : options.fromPosition - 1n;
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const self = this;
    return {
      async *[Symbol.asyncIterator]() {
        if (options.settle !== false) await self.settle();
        let after = from;
        let remaining = maxCount;
        while (remaining > 0) {
          const page = await self.readPage(after, options.filter, Math.min(remaining, self.pageSize));
          for (const event of page.events) yield event;
          remaining -= page.events.length;
          // An empty page may still have scanned a window of events the filter skipped: go on until the
          // scan stops advancing (the settled end of the log).
          if (page.scannedTo <= after) return;
          after = page.scannedTo;
        }
      },
    };
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    this.ensureListening();
    const after = options.fromPosition === undefined || options.fromPosition === 'start' ? -1n : options.fromPosition;
    const limit = Math.max(1, Math.min(options.batchSize ?? this.pageSize, 10_000));
    return new PollingSubscription({
      after,
      readPage: (from) => this.readPage(from, options.filter, limit),
      tail: { shared: this.tail, filter: options.filter, limit },
      wakeup: this.wakeup,
      pollIntervalMs: this.pollIntervalMs,
      ...this.followerPacing(),
    });
  }

  /**
   * One page of the visible, final prefix of the log after `after`. `scannedTo` lets filtered readers move
   * past long runs of events they do not want without reading them again.
   */
  private async readPage(after: Position, filter: EventFilter | undefined, limit: number): Promise<Page> {
    // One statement per page (followers read after every append, so round trips count): the visibility
    // bound, and the page under it, come from the same snapshot.
    if (!filter?.streamPrefixes?.length && !filter?.eventTypes?.length) return this.readUnfiltered(after, limit);
    // Work per page is bounded by a window of the next events in key order, found with an index scan
    // and a limit. A query with a range and a filter lets the planner, on stale statistics (right after a
    // bulk import) or a filter it misjudges, scan and sort everything that remains, on every page. So each
    // scan here has one bound only (`position > $1`) and a limit, which the planner always walks in key
    // order and stops early; the visibility bound and the filter apply to the rows it yields (the rows
    // under the bound are a prefix of them). Two bounds made the planner read and sort the rest of a
    // freshly loaded log on every page: 136 ms a page instead of 5, 6,400 events/s instead of 58,000.
    // The window's end is needed only when the page is not full (a full page was scanned up to its last
    // event), so it is counted only then: a dense filter (a projection catching up) reads a page's worth of
    // rows, not the whole window.
    const window = Math.max(limit * 10, 5000);
    const params: unknown[] = [after.toString(), window, limit];
    const rows = await this.query<EventRow & { bound: string; window_end: string | null; window_count: string }>(
      `with b as (select ${VISIBLE_BOUND} as bound),
            m as (select ${COLUMNS} from (select * from jejak_events where position > $1 order by position limit $2) e
                   where e.position < (select bound from b) ${filterSql(filter, params)}
                   order by e.position limit $3),
            w as (select max(position) filter (where position < (select bound from b)) as window_end,
                         count(*) filter (where position < (select bound from b)) as window_count
                    from (select position from jejak_events where position > $1 order by position limit $2) x
                   where (select count(*) from m) < $3)
       select (select bound from b)::text as bound, w.window_end::text as window_end, w.window_count::text as window_count, m.*
         from w left join m on true order by m.position::bigint`,
      params,
    );
    const bound = BigInt(rows[0]!.bound);
    const events = rows.filter((r) => r.position !== null).map(toRecorded);
    // A full page: scanned up to its last event. Otherwise the whole window was scanned, and when the
    // window was not full either, everything visible was.
    if (events.length === limit) return { events, scannedTo: events[events.length - 1]!.position };
    const windowEnd = rows[0]!.window_end;
    if (windowEnd === null) return { events: [], scannedTo: bound - 1n > after ? bound - 1n : after, caughtUp: true };
    return { events, scannedTo: BigInt(windowEnd), caughtUp: Number(rows[0]!.window_count) < window };
  }

  /**
   * Without a filter: only `position > after` in SQL, so the planner walks the primary key in order and
   * stops at the limit whatever the statistics say; the visibility bound, read in the same statement, is
   * applied to the rows here (they come in order, so the first one at or past the bound ends the page).
   */
  private async readUnfiltered(after: Position, limit: number): Promise<Page> {
    const rows = await this.query<EventRow & { bound: string }>(
      `select b.bound::text as bound, m.* from (select ${VISIBLE_BOUND} as bound) b
         left join lateral (select ${COLUMNS} from jejak_events e where e.position > $1 order by e.position limit $2) m on true`,
      [after.toString(), limit],
    );
    const bound = BigInt(rows[0]!.bound);
    const events: RecordedEvent[] = [];
    for (const row of rows) {
      if (row.position === null) break;
      const event = toRecorded(row);
      if (event.position >= bound) break;
      events.push(event);
    }
    const settled = bound - 1n > after ? bound - 1n : after;
    if (events.length === limit) return { events, scannedTo: events[events.length - 1]!.position };
    return { events, scannedTo: settled, caughtUp: true };
  }

  /**
   * Read-your-writes for one-shot reads: waits (at most `settleTimeoutMs`) until every event committed
   * before the call is in the settled prefix, i.e. no transaction older than it is still open anywhere in
   * the cluster. Usually immediate; a few milliseconds under concurrent writers. After the timeout the
   * read returns the settled prefix, which is still in commit order, just shorter.
   */
  private async settle(): Promise<void> {
    const deadline = Date.now() + this.settleTimeoutMs;
    for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
      const [row] = await this.query<{ settled: boolean }>(
        `select coalesce((select max(position) from jejak_events), -1) < ${VISIBLE_BOUND} as settled`,
        [],
      );
      if (row!.settled || Date.now() >= deadline) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private ensureListening(): void {
    if (this.listening || this.db.dialect !== 'postgres') return;
    this.listening = this.db
      .listen(CHANNEL, () => this.wakeup.signal())
      .then(
        (unlisten) => {
          this.unlisten = unlisten;
        },
        () => undefined, // polling still delivers everything, only later
      );
  }

  private async query<Row>(text: string, params: readonly unknown[]): Promise<Row[]> {
    try {
      return await this.db.query<Row>(text, params);
    } catch (error) {
      throw mapStorageError(error);
    }
  }

  async head(): Promise<Position | null> {
    const [row] = await this.query<{ p: string | null }>(`select max(position)::text as p from jejak_events`, []);
    return row?.p ? BigInt(row.p) : null;
  }

  async health(): Promise<EventStoreHealth> {
    try {
      await this.db.query('select 1 from jejak_streams limit 1');
      return { adapter: this.adapter, ready: true };
    } catch (error) {
      const mapped = mapStorageError(error);
      return { adapter: this.adapter, ready: false, detail: mapped instanceof StoreUnavailable ? 'unreachable' : 'error' };
    }
  }

  /** Stops listening and wakes subscribers; the SqlClient is closed by whoever opened it. */
  async close(): Promise<void> {
    this.closed = true;
    this.tail.close();
    this.wakeup.signal();
    await this.listening;
    await this.unlisten?.();
  }
}
