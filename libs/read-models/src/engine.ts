import {
  type EventStore,
  migrate,
  type Migration,
  type RunnerStatus,
  type SessionLock,
  SqlCheckpointStore,
  type SqlClient,
  SubscriptionRunner,
} from '@jejak/event-store';

import { applyBatch, createIndexes, createTable, type DocumentProjection, dropTables, tableName } from './projection';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'projection registry',
    sql: `
      -- Which generation of each projection queries read, and which code version built it.
      create table jejak_projections (
        name text primary key,
        version integer not null,
        generation integer not null,
        updated_at timestamptz not null default now()
      );
    `,
  },
  {
    version: 2,
    name: 'settings the projections were built with',
    sql: `alter table jejak_projections add column settings text not null default '';`,
  },
];

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  readonly generation: number | null;
  /** running: owned here and live; rebuilding: a new generation is catching up beside the live one;
   *  standby: another process owns it; failed: stopped on an event, named in `failure`. */
  readonly state: 'running' | 'rebuilding' | 'standby' | 'failed' | 'stopped';
  readonly position: string | null;
  /** How far the live generation has scanned the log, events it does not take included. */
  readonly scanned: string | null;
  /** Events this process has applied to the live generation since it took the projection. */
  readonly handled: number;
  readonly lastEventAt: string | null;
  readonly rebuild: { readonly generation: number; readonly position: string | null; readonly handled: number } | null;
  readonly failure: RunnerStatus['failure'];
}

/** How far behind the log a projection is: the events it has still to apply, and the age of the oldest. */
export interface ProjectionLag {
  /** Counted up to LAG_COUNT_CAP; `eventsAtLeast` says the count stopped there. */
  readonly events: number;
  readonly eventsAtLeast: boolean;
  /** Seconds since the oldest event it has still to apply was recorded; 0 when caught up. */
  readonly seconds: number;
}

export type ProjectionReport = ProjectionStatus & { readonly lag: ProjectionLag | null };

const LAG_COUNT_CAP = 10_000;
/** PostgreSQL's undefined_table: a query named a generation that a switch-over has dropped. */
const UNDEFINED_TABLE = '42P01';

interface Live {
  readonly projection: DocumentProjection;
  lock?: SessionLock;
  generation?: number;
  runner?: SubscriptionRunner;
  building?: { generation: number; runner: SubscriptionRunner };
  switching?: boolean;
  lastEventAt?: string;
}

/**
 * Runs document projections. Each is owned by one process at a time (a session lock that a dead
 * process drops, so a standby takes over), applies events in batches with its checkpoint in the same
 * transaction, and is rebuilt beside the live generation (after a version bump or on request) while
 * queries keep reading the live one, then switched over and the old generation dropped.
 */
/** A projection no process has built yet (a fresh deployment whose projector has not started). */
export class ProjectionNotBuilt extends Error {
  constructor(readonly projection: string) {
    super(`Projection ${projection} has no generation yet`);
  }
}

export class ProjectionEngine {
  private readonly live = new Map<string, Live>();
  /** Switch-overs under way, which stop() lets finish. */
  private readonly switching = new Set<Promise<boolean>>();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** The periodic claim under way, which stop() waits for: a lock won after stop() must not start a runner. */
  private claiming?: Promise<void>;
  /**
   * In a process that does not own a projection (the API beside a projector), its live generation as last
   * read from the registry, and when: queries use it for `registryTtlMs` instead of a round trip each.
   */
  private readonly known = new Map<string, { generation: number; at: number }>();

  private constructor(
    private readonly store: EventStore,
    private readonly db: SqlClient,
    private readonly checkpoints: SqlCheckpointStore,
    projections: readonly DocumentProjection[],
    private readonly standbyRetryMs: number,
    private readonly batchSize: number,
    private readonly registryTtlMs: number,
  ) {
    for (const projection of projections) this.live.set(projection.name, { projection });
  }

  static async create(
    store: EventStore,
    db: SqlClient,
    projections: readonly DocumentProjection[],
    /**
     * batchSize: most events applied in one transaction (default 5,000). registryTtlMs: how long a process
     * that does not own a projection trusts the live generation it last read (default 1 s; see withTables).
     */
    options: { standbyRetryMs?: number; batchSize?: number; registryTtlMs?: number } = {},
  ): Promise<ProjectionEngine> {
    await migrate(db, 'read-models', MIGRATIONS);
    const checkpoints = await SqlCheckpointStore.create(db);
    return new ProjectionEngine(
      store,
      db,
      checkpoints,
      projections,
      options.standbyRetryMs ?? 5_000,
      options.batchSize ?? 5_000,
      options.registryTtlMs ?? 1_000,
    );
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.claimAll();
    this.timer = setInterval(() => {
      if (this.claiming) return;
      const claiming = this.claimAll().catch(() => undefined);
      this.claiming = claiming;
      void claiming.finally(() => {
        if (this.claiming === claiming) this.claiming = undefined;
      });
    }, this.standbyRetryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.claiming;
    // A switch under way finishes first (it drops the old generation and its checkpoint): stopping must
    // not leave it running against a database its owner is about to close.
    await Promise.allSettled([...this.switching]);
    for (const live of this.live.values()) {
      await live.building?.runner.stop();
      await live.runner?.stop();
      await live.lock?.release();
      live.lock = undefined;
      live.runner = undefined;
      live.building = undefined;
    }
  }

  /**
   * The table queries read for a projection: its live generation. A process that does not own it uses the
   * generation it read from the registry within the last `registryTtlMs`; run the query through
   * `withTables`, which reads the registry again if that generation has just been switched away and dropped.
   */
  async table(name: string): Promise<string> {
    const live = this.live.get(name);
    if (!live) throw new Error(`Unknown projection ${name}`);
    const known = this.known.get(name);
    const generation =
      live.generation ?? (known && Date.now() - known.at < this.registryTtlMs ? known.generation : (await this.registry(name))?.generation);
    if (generation === undefined) throw new ProjectionNotBuilt(name);
    return tableName(live.projection, generation);
  }

  /**
   * Runs a query over the live tables of some projections. When a generation this process still believed
   * live was dropped by a switch-over in another process (PostgreSQL's undefined_table), it reads the
   * registry and runs the query once more: a rebuild elsewhere never turns into an error here. Until the
   * switch-over drops it, the old generation is complete up to the switch, so a query within the
   * `registryTtlMs` after it reads a consistent, at most that much older, state; a reader that asked for
   * its own write (waitFor) reads the registry first and gets the new generation.
   */
  async withTables<T>(names: readonly string[], query: (tables: string[]) => Promise<T>): Promise<T> {
    const tables = await Promise.all(names.map((n) => this.table(n)));
    try {
      return await query(tables);
    } catch (error) {
      const forgot = names.map((n) => this.known.delete(n)).some(Boolean);
      if ((error as { code?: unknown })?.code !== UNDEFINED_TABLE || !forgot) throw error;
      return query(await Promise.all(names.map((n) => this.table(n))));
    }
  }

  /**
   * What a projection's tables hold right now, as a short string that changes whenever they do (its
   * generation and how far it has scanned): a key for caching answers computed from them.
   */
  async version(name: string): Promise<string> {
    const live = this.live.get(name);
    if (!live) throw new Error(`Unknown projection ${name}`);
    const generation = live.generation ?? (await this.registry(name))?.generation;
    if (generation === undefined) return 'none';
    const scanned = live.runner
      ? live.runner.status().position
      : ((await this.checkpoints.scanned(`projection:${name}:g${generation}`))?.toString() ?? null);
    return `${generation}@${scanned ?? '-'}`;
  }

  /**
   * Resolves true once the live generation has scanned past `position`: from the runner when this
   * process owns the projection, else from the checkpoint its owner keeps in the database.
   */
  async waitFor(name: string, position: bigint, timeoutMs: number): Promise<boolean> {
    const live = this.live.get(name);
    if (!live) return false;
    if (live.runner) return live.runner.waitFor(position, timeoutMs);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const entry = await this.registry(name);
      const scanned = entry ? await this.checkpoints.scanned(`projection:${name}:g${entry.generation}`) : undefined;
      if (scanned !== undefined && scanned >= position) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  status(): ProjectionStatus[] {
    return [...this.live.values()].map((live) => {
      const runner = live.runner?.status();
      const state: ProjectionStatus['state'] = !live.lock
        ? this.stopped
          ? 'stopped'
          : 'standby'
        : runner?.state === 'failed'
          ? 'failed'
          : live.building
            ? 'rebuilding'
            : 'running';
      const building = live.building?.runner.status();
      return {
        name: live.projection.name,
        version: live.projection.version,
        generation: live.generation ?? null,
        state,
        position: runner?.position ?? null,
        scanned: runner?.scanned ?? null,
        handled: runner?.handled ?? 0,
        lastEventAt: live.lastEventAt ?? null,
        rebuild: live.building ? { generation: live.building.generation, position: building!.position, handled: building!.handled } : null,
        failure: runner?.failure ?? building?.failure ?? null,
      };
    });
  }

  /**
   * Status with lag, for operators: the live generation's position (from this process's runner, or the
   * checkpoint its owner keeps in the database) and what of the log is still ahead of it.
   */
  async report(now = new Date()): Promise<ProjectionReport[]> {
    return Promise.all(
      this.status().map(async (status) => {
        const live = this.live.get(status.name)!;
        const entry = await this.registry(status.name);
        const position =
          status.position !== null
            ? BigInt(status.position)
            : entry
              ? await this.checkpoints.scanned(`projection:${status.name}:g${entry.generation}`)
              : undefined;
        if (!entry) return { ...status, lag: null };
        // Counted from how far the runner has scanned, not from the last event it took: everything in
        // between was passed over, and a projection whose events are rare would otherwise scan the log from
        // its last event to the head on every report (a scrape of the metrics), more as the log grows.
        // (A runner's scanned position is never behind the last event it took.)
        const from = status.scanned !== null ? BigInt(status.scanned) : position;
        let events = 0;
        let oldest: Date | undefined;
        for await (const event of this.store.readAll({
          fromPosition: from === undefined ? 'start' : from + 1n,
          filter: live.projection.filter,
          maxCount: LAG_COUNT_CAP,
          settle: false, // a count for a report: never wait for other writers' transactions
        })) {
          oldest ??= event.recordedAt;
          events++;
        }
        return {
          ...status,
          generation: status.generation ?? entry.generation,
          position: position?.toString() ?? null,
          lag: {
            events,
            eventsAtLeast: events === LAG_COUNT_CAP,
            seconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
          },
        };
      }),
    );
  }

  /** Builds a new generation beside the live one; queries keep reading the live one until the switch. */
  async rebuild(name: string): Promise<number> {
    const live = this.live.get(name);
    if (!live?.lock || live.generation === undefined) throw new Error(`Projection ${name} is not owned by this process`);
    if (live.building) return live.building.generation;
    return this.startBuilding(live, live.generation + 1);
  }

  private async claimAll(): Promise<void> {
    for (const live of this.live.values()) {
      if (this.stopped) return;
      if (!live.lock) await this.claim(live);
      else if (live.building) await this.maybeSwitch(live);
    }
  }

  private async claim(live: Live): Promise<void> {
    const lock = await this.db.tryLock(`jejak:projection:${live.projection.name}`);
    if (!lock) return;
    if (this.stopped) return void (await lock.release());
    live.lock = lock;
    let entry = await this.registry(live.projection.name);
    if (!entry) {
      await this.db.transaction(async (tx) => {
        await createTable(tx, live.projection, 1);
        await tx.query(
          `insert into jejak_projections (name, version, generation, settings) values ($1, $2, 1, $3) on conflict (name) do nothing`,
          [live.projection.name, live.projection.version, live.projection.settings ?? ''],
        );
      });
      entry = { version: live.projection.version, generation: 1, settings: live.projection.settings ?? '' };
    }
    live.generation = entry.generation;
    live.runner = this.runnerFor(live, entry.generation);
    await live.runner.start();
    // Code with another version, or settings other than those that built the live generation: rebuild beside it.
    if (entry.version !== live.projection.version || entry.settings !== (live.projection.settings ?? ''))
      await this.startBuilding(live, entry.generation + 1);
  }

  private runnerFor(live: Live, generation: number): SubscriptionRunner {
    const projection = live.projection;
    return new SubscriptionRunner(this.store, this.checkpoints, {
      name: `projection:${projection.name}:g${generation}`,
      filter: projection.filter,
      transactional: true,
      batchSize: this.batchSize,
      handle: async (events, tx) => {
        await applyBatch(tx!, projection, generation, events);
        if (generation === live.generation) live.lastEventAt = events[events.length - 1]!.recordedAt.toISOString();
      },
    });
  }

  private async startBuilding(live: Live, generation: number): Promise<number> {
    await this.db.transaction((tx) => createTable(tx, live.projection, generation, { indexes: false }));
    const runner = this.runnerFor(live, generation);
    live.building = { generation, runner };
    await runner.start();
    void this.watchBuild(live);
    return generation;
  }

  private async watchBuild(live: Live): Promise<void> {
    while (live.building && !this.stopped) {
      if (await this.maybeSwitch(live)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Switches to the new generation once it has reached the live one's position (both apply the same
   * events in the same order, so from then on they hold the same documents).
   */
  private maybeSwitch(live: Live): Promise<boolean> {
    const switching = this.trySwitch(live);
    this.switching.add(switching);
    void switching.finally(() => this.switching.delete(switching)).catch(() => undefined);
    return switching;
  }

  private async trySwitch(live: Live): Promise<boolean> {
    const building = live.building;
    if (!building || !live.runner || live.switching) return false;
    // Taken before the first await: the build watcher and the periodic claim both call this, and two
    // switches of one build would drop the generation just switched to.
    live.switching = true;
    try {
      const target = live.runner.status().position;
      const reached = building.runner.status().position;
      const caughtUp =
        target === null ? reached !== null || (await this.nothingToProject(live)) : reached !== null && BigInt(reached) >= BigInt(target);
      if (!caughtUp) return false;
      const old = live.generation!;
      // The indexes, built once over the loaded rows; then statistics and the visibility map for the
      // fresh tables before queries read them: row estimates and index-only scans depend on them. Each
      // index in its own statement, so that none holds a lock on one table while waiting for another
      // (the builder's batches write the document and the sums tables in one transaction). If the
      // database goes away while they are built, the next check tries again.
      try {
        await createIndexes(this.db, live.projection, building.generation);
      } catch {
        return false;
      }
      await this.vacuumAnalyze(live.projection, building.generation);
      await this.db.query(`update jejak_projections set version = $2, generation = $3, settings = $4, updated_at = now() where name = $1`, [
        live.projection.name,
        live.projection.version,
        building.generation,
        live.projection.settings ?? '',
      ]);
      const oldRunner = live.runner;
      live.runner = building.runner;
      live.generation = building.generation;
      await oldRunner.stop();
      await this.db.transaction((tx) => dropTables(tx, live.projection, old));
      await this.db.query(`delete from jejak_checkpoints where name = $1`, [`projection:${live.projection.name}:g${old}`]);
      // The rebuild is over once the old generation is gone: until then the status still shows it.
      live.building = undefined;
      return true;
    } finally {
      live.switching = false;
    }
  }

  /** VACUUM ANALYZE of a projection's live tables, after a bulk load (a rebuild does it by itself). */
  async analyze(name: string): Promise<void> {
    const live = this.live.get(name);
    const generation = live?.generation ?? (await this.registry(name))?.generation;
    if (live && generation !== undefined) await this.vacuumAnalyze(live.projection, generation);
  }

  /** VACUUM ANALYZE of a generation's tables; only an optimisation, so a failure is not one. */
  private async vacuumAnalyze(projection: DocumentProjection, generation: number): Promise<void> {
    const table = tableName(projection, generation);
    for (const t of projection.facts ? [table, `${table}_daily`, `${table}_monthly`] : [table]) {
      await this.db.exec(`vacuum analyze ${t}`).catch(() => undefined);
    }
  }

  private async nothingToProject(live: Live): Promise<boolean> {
    for await (const _ of this.store.readAll({ filter: live.projection.filter, maxCount: 1 })) return false;
    return true;
  }

  private async registry(name: string): Promise<{ version: number; generation: number; settings: string } | undefined> {
    const rows = await this.db.query<{ version: number; generation: number; settings: string }>(
      `select version, generation, settings from jejak_projections where name = $1`,
      [name],
    );
    if (rows[0]) this.known.set(name, { generation: rows[0].generation, at: Date.now() });
    return rows[0];
  }
}
