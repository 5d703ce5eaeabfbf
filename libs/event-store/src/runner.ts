import { JejakError } from '@jejak/kernel';

import { StoreUnavailable } from './errors';
import { migrate, type Migration } from './sql/migrations';
import type { SessionLock, SqlClient, SqlQueryable } from './sql/sql-client';
import type { EventFilter, EventStore, Position, RecordedEvent, Subscription } from './types';

const CHECKPOINT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'checkpoints',
    sql: `
      create table jejak_checkpoints (
        name text primary key,
        position bigint not null,
        updated_at timestamptz not null default now()
      );
    `,
  },
  {
    version: 2,
    name: 'how far each runner has scanned, for readers in other processes',
    sql: `alter table jejak_checkpoints add column scanned_to bigint`,
  },
  {
    version: 3,
    name: 'progress of a runner that has taken no event yet',
    // Without a row, a runner whose events have not come yet (a projection of a unit the deployment does not
    // use) showed other processes no progress at all, and each lag report there counted from the start of
    // the log: the whole log read again at every metrics scrape and readiness probe, more as it grew.
    sql: `alter table jejak_checkpoints alter column position drop not null`,
  },
];

/** Where subscription runners keep how far they got: in the read-model database, next to what they write. */
export class SqlCheckpointStore {
  private constructor(private readonly db: SqlClient) {}

  static async create(db: SqlClient): Promise<SqlCheckpointStore> {
    await migrate(db, 'checkpoints', CHECKPOINT_MIGRATIONS);
    return new SqlCheckpointStore(db);
  }

  async load(name: string): Promise<Position | undefined> {
    const rows = await this.db.query<{ position: string | null }>(
      `select position::text as position from jejak_checkpoints where name = $1`,
      [name],
    );
    return rows[0]?.position ? BigInt(rows[0].position) : undefined;
  }

  /** Saves with `tx` when given, so that a projection's changes and its checkpoint commit together. */
  async save(name: string, position: Position, tx: SqlQueryable = this.db, scannedTo: Position = position): Promise<void> {
    await tx.query(
      `insert into jejak_checkpoints (name, position, scanned_to) values ($1, $2, $3)
         on conflict (name) do update set position = excluded.position, scanned_to = excluded.scanned_to, updated_at = now()`,
      [name, position.toString(), (scannedTo > position ? scannedTo : position).toString()],
    );
  }

  /**
   * Records scanning progress past events the runner does not handle; the checkpoint itself stays (a runner
   * that has taken nothing yet gets a row with no position, so other processes still see how far it got).
   */
  async saveProgress(name: string, scannedTo: Position): Promise<void> {
    await this.db.query(
      `insert into jejak_checkpoints (name, position, scanned_to) values ($1, null, $2)
         on conflict (name) do update
           set scanned_to = greatest(coalesce(jejak_checkpoints.scanned_to, jejak_checkpoints.position), excluded.scanned_to)`,
      [name, scannedTo.toString()],
    );
  }

  /** How far a runner (in any process) has scanned the log. */
  async scanned(name: string): Promise<Position | undefined> {
    const rows = await this.db.query<{ scanned: string | null }>(
      `select greatest(position, coalesce(scanned_to, position))::text as scanned from jejak_checkpoints where name = $1`,
      [name],
    );
    return rows[0]?.scanned ? BigInt(rows[0].scanned) : undefined;
  }

  get database(): SqlClient {
    return this.db;
  }
}

/** Something that follows the log: a process manager or a projection. */
export interface EventHandler {
  /** Stable: it names the checkpoint. */
  readonly name: string;
  readonly filter: EventFilter;
  /**
   * Handles events in order. With `transactional`, `tx` is the transaction the checkpoint is saved in:
   * writes made through it commit (or roll back) with the checkpoint, so nothing is applied twice.
   * Without it, the handler must be idempotent: after a crash the last batch is handled again.
   */
  handle(events: readonly RecordedEvent[], tx?: SqlQueryable): Promise<void>;
  readonly transactional?: boolean;
  /** Most events handed to one `handle` call. Larger batches mean fewer round trips while catching up. */
  readonly batchSize?: number;
}

export interface RunnerFailure {
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly position: string;
  readonly code: string;
  readonly message: string;
}

/** How often a runner saves its scanning progress past events it does not take (at most). */
const PROGRESS_EVERY_MS = 250;

export interface RunnerStatus {
  readonly name: string;
  readonly state: 'stopped' | 'running' | 'failed' | 'standby';
  readonly position: string | null;
  /** How far the log has been scanned, events the handler does not take included (at least `position`). */
  readonly scanned: string | null;
  readonly handled: number;
  readonly failure: RunnerFailure | null;
}

export interface RunnerOptions {
  /** Attempts for a batch when storage is unavailable, with doubling backoff, before failing. Default 8. */
  readonly retries?: number;
  readonly backoffMs?: number;
}

/**
 * Runs one handler over a catch-up subscription from its saved checkpoint: in order, batch by batch,
 * saving the checkpoint after each batch. A batch that fails for any reason but unavailable storage stops
 * the runner visibly, naming the event; nothing is ever skipped. Unavailable storage is retried.
 */
export class SubscriptionRunner {
  private subscription?: Subscription;
  private loop?: Promise<void>;
  /** Scanning progress past events the handler does not take, waiting for its throttled save. */
  private pendingProgress: Position | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  private state: RunnerStatus['state'] = 'stopped';
  private position: Position | undefined;
  /** How far the log has been scanned, filtered-out events included: what waitFor compares with. */
  private scanned: Position | undefined;
  /** The progress save under way, if any. */
  private saving?: Promise<void>;
  private handled = 0;
  private failure: RunnerFailure | null = null;
  private readonly waiters = new Set<{ position: Position; resolve: () => void }>();

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: SqlCheckpointStore,
    private readonly handler: EventHandler,
    private readonly options: RunnerOptions = {},
  ) {}

  async start(): Promise<void> {
    if (this.state === 'running') return;
    this.position = await this.checkpoints.load(this.handler.name);
    this.scanned = this.position;
    this.failure = null;
    this.state = 'running';
    this.subscription = this.store.subscribeToAll({
      fromPosition: this.position ?? 'start',
      filter: this.handler.filter,
      ...(this.handler.batchSize ? { batchSize: this.handler.batchSize } : {}),
    });
    this.loop = this.run(this.subscription);
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    await this.loop;
    clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
    await this.saving; // a trailing save already under way ends before the owner may delete the row
    await this.saveProgressNow();
    if (this.state === 'running') this.state = 'stopped';
  }

  /** Saves the scanning progress not yet saved, if any (best effort: the next save carries it anyway). */
  private async saveProgressNow(): Promise<void> {
    const pending = this.pendingProgress;
    if (pending === undefined || this.state === 'failed') return;
    this.pendingProgress = undefined;
    const saving = this.checkpoints.saveProgress(this.handler.name, pending).catch(() => undefined);
    this.saving = saving;
    await saving;
  }

  status(): RunnerStatus {
    return {
      name: this.handler.name,
      state: this.state,
      position: this.position?.toString() ?? null,
      scanned: (this.scanned ?? this.position)?.toString() ?? null,
      handled: this.handled,
      failure: this.failure,
    };
  }

  /** Resolves once the runner has handled (and checkpointed) everything up to `position`. */
  waitFor(position: Position, timeoutMs = 10_000): Promise<boolean> {
    if (this.scanned !== undefined && this.scanned >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { position, resolve: () => resolve(true) };
      this.waiters.add(waiter);
      setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs).unref();
    });
  }

  private async run(subscription: Subscription): Promise<void> {
    try {
      let progressSavedAt = 0;
      for await (const { events: batch, scannedTo } of subscription.batches()) {
        if (batch.length > 0) {
          await this.handleWithRetries(batch, scannedTo);
          this.position = batch[batch.length - 1]!.position;
          this.handled += batch.length;
        } else {
          // Throttled: readers in other processes (X-Min-Position, lag) need it soon, not at every poll. The
          // last progress inside a throttle window is saved when the window ends (a trailing save): when the
          // log then goes quiet no batch comes to save it, and the saved progress stayed behind until the
          // next event arrived (seen as lag that did not reach zero after the soak's and the chaos runs' load).
          const wait = PROGRESS_EVERY_MS - (Date.now() - progressSavedAt);
          this.pendingProgress = scannedTo;
          if (wait <= 0) {
            progressSavedAt = Date.now();
            await this.saveProgressNow();
          } else {
            if (!this.progressTimer) {
              this.progressTimer = setTimeout(() => {
                this.progressTimer = undefined;
                progressSavedAt = Date.now();
                void this.saveProgressNow();
              }, wait);
              this.progressTimer.unref();
            }
          }
        }
        this.scanned = scannedTo > (this.position ?? -1n) ? scannedTo : this.position;
        for (const waiter of [...this.waiters]) {
          if (this.scanned !== undefined && this.scanned >= waiter.position) {
            this.waiters.delete(waiter);
            waiter.resolve();
          }
        }
      }
    } catch (error) {
      this.state = 'failed';
      if (!this.failure) {
        this.failure = { eventId: '', eventType: '', streamId: '', position: '', code: codeOf(error), message: messageOf(error) };
      }
      await subscription.close();
    }
  }

  private async handleWithRetries(batch: readonly RecordedEvent[], scannedTo: Position): Promise<void> {
    const retries = this.options.retries ?? 8;
    let backoff = this.options.backoffMs ?? 100;
    for (let attempt = 0; ; attempt++) {
      try {
        if (this.handler.transactional) {
          await this.checkpoints.database.transaction(async (tx) => {
            await this.handler.handle(batch, tx);
            await this.checkpoints.save(this.handler.name, batch[batch.length - 1]!.position, tx, scannedTo);
          });
        } else {
          await this.handler.handle(batch);
          await this.checkpoints.save(this.handler.name, batch[batch.length - 1]!.position, undefined, scannedTo);
        }
        return;
      } catch (error) {
        if (error instanceof StoreUnavailable && attempt < retries) {
          await new Promise((resolve) => setTimeout(resolve, backoff));
          backoff *= 2;
          continue;
        }
        const failed = (error as { event?: RecordedEvent }).event ?? batch[0]!;
        this.failure = {
          eventId: failed.id,
          eventType: failed.type,
          streamId: failed.streamId,
          position: failed.position.toString(),
          code: codeOf(error),
          message: messageOf(error),
        };
        throw error;
      }
    }
  }
}

/** Lets a handler say which event of a batch failed, for the runner's status. */
export class HandlerFailed extends Error {
  constructor(
    readonly event: RecordedEvent,
    override readonly cause: unknown,
  ) {
    super(messageOf(cause));
  }
}

const codeOf = (error: unknown): string => {
  const inner = error instanceof HandlerFailed ? error.cause : error;
  return inner instanceof JejakError ? inner.code : ((inner as { name?: string })?.name ?? 'Error');
};
// Messages of typed errors carry no personal data by design; others are named, not quoted.
const messageOf = (error: unknown): string => {
  const inner = error instanceof HandlerFailed ? error.cause : error;
  return inner instanceof JejakError ? inner.message : `unexpected ${(inner as { name?: string })?.name ?? 'error'}`;
};

/**
 * A runner that only runs while this process holds its lease (a session lock a dead process drops):
 * started in several processes, exactly one runs and the others stand by and take over.
 */
export class LeasedRunner {
  private lock?: SessionLock;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** The claim under way, which stop() waits for: a lock won after stop() must not start the runner. */
  private claiming?: Promise<void>;

  constructor(
    private readonly db: SqlClient,
    private readonly runner: SubscriptionRunner,
    private readonly key: string,
    private readonly retryMs = 5_000,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.claim();
    this.timer = setInterval(() => void this.claim().catch(() => undefined), this.retryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.claiming?.catch(() => undefined);
    await this.runner.stop();
    await this.lock?.release();
    this.lock = undefined;
  }

  status(): RunnerStatus & { readonly owned: boolean } {
    const status = this.runner.status();
    return { ...status, state: this.lock ? status.state : this.stopped ? 'stopped' : 'standby', owned: this.lock !== undefined };
  }

  private claim(): Promise<void> {
    if (this.lock || this.stopped || this.claiming) return this.claiming ?? Promise.resolve();
    const claiming = (async () => {
      const lock = await this.db.tryLock(this.key);
      if (!lock) return;
      if (this.stopped) return void (await lock.release());
      this.lock = lock;
      await this.runner.start();
    })();
    this.claiming = claiming;
    return claiming.finally(() => {
      if (this.claiming === claiming) this.claiming = undefined;
    });
  }
}

/** Events after `scanned` (all of them when null), counted up to `cap`: how far a runner is behind the log. */
export async function eventsAfter(store: EventStore, scanned: string | null, cap = 10_000): Promise<number> {
  let events = 0;
  for await (const _ of store.readAll({ fromPosition: scanned === null ? 'start' : BigInt(scanned) + 1n, maxCount: cap, settle: false }))
    events++;
  return events;
}

/** The lag of the runners this process owns (a standby's is its owner's to report). */
export async function runnerLag(store: EventStore, statuses: readonly RunnerStatus[]): Promise<{ name: string; events: number }[]> {
  const owned = statuses.filter((s) => s.state === 'running' || s.state === 'failed');
  return Promise.all(owned.map(async (s) => ({ name: s.name, events: await eventsAfter(store, s.scanned) })));
}
