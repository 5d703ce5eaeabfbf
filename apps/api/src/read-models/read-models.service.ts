import type { JejakConfig } from '@jejak/config';
import type { EventStore, SqlClient } from '@jejak/event-store';
import { JejakError } from '@jejak/kernel';
import { programProjections, ProjectionEngine, ProjectionNotBuilt, type ProjectionReport, type ProjectionStatus } from '@jejak/read-models';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { CONFIG, EVENT_STORE, SQL_CLIENT } from '../tokens';

/** A query asked (X-Min-Position) for a position its projection has not reached in time. */
export class ProjectionBehind extends JejakError {
  readonly code = 'PROJECTION_BEHIND';
  readonly kind = 'unavailable' as const;
  override readonly retryAfterSeconds = 1;
  constructor() {
    super('The list has not caught up with that write yet; retry in a moment');
  }
}

/**
 * A list or report asked of a deployment whose projector has not built its read models yet (the API runs
 * with JEJAK_PROJECTOR=off and the projector has not started): 503 with Retry-After, never a 500.
 */
export class ReadModelsNotReady extends JejakError {
  readonly code = 'READ_MODELS_NOT_READY';
  readonly kind = 'unavailable' as const;
  override readonly retryAfterSeconds = 5;
  constructor() {
    super('The lists and reports are not built yet: the projector has not started; retry in a moment');
  }
}

export class UnknownProjection extends JejakError {
  readonly code = 'PROJECTION_NOT_FOUND';
  readonly kind = 'not_found' as const;
}

/**
 * The read models and their engine. With JEJAK_PROJECTOR=inline (the embedded default) this process
 * runs the projections; with `off` it only reads what another process projects.
 */
@Injectable()
export class ReadModels implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ReadModels');
  private engine?: ProjectionEngine;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(CONFIG) private readonly config: JejakConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.engine = await ProjectionEngine.create(
      this.store,
      this.db,
      programProjections({ deadlines: this.config.cases.deadlines, timeZone: this.config.timeZone }),
    );
    if (this.config.projector !== 'inline') return;
    await this.engine.start();
    this.logger.log('projections running');
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.engine?.stop();
  }

  status(): ProjectionStatus[] {
    return this.engine?.status() ?? [];
  }

  /** Status with lag in events and seconds (reads the log ahead of each projection). */
  report(): Promise<ProjectionReport[]> {
    return this.engine?.report() ?? Promise.resolve([]);
  }

  async rebuild(name: string): Promise<number> {
    if (!this.status().some((s) => s.name === name)) throw new UnknownProjection(`No projection named ${name}`);
    return this.engine!.rebuild(name);
  }

  /**
   * Runs a query over the live tables of some projections (in `names` order), however a rebuild in another
   * process switches them over meanwhile (see ProjectionEngine.withTables); 503 while none is built yet.
   */
  withTables<T>(names: readonly string[], query: (tables: string[]) => Promise<T>): Promise<T> {
    return this.engine!.withTables(names, query).catch((error: unknown) => {
      throw error instanceof ProjectionNotBuilt ? new ReadModelsNotReady() : error;
    });
  }

  /** The live table of a projection, for inspection (tests, tools); queries go through `withTables`. */
  table(name: string): Promise<string> {
    return this.withTable(name, async (table) => table);
  }

  /** `withTables` for one projection. */
  withTable<T>(name: string, query: (table: string) => Promise<T>): Promise<T> {
    return this.withTables([name], ([table]) => query(table!));
  }

  /** Changes whenever any of these projections' tables change: a cache key for answers built on them. */
  async version(...names: string[]): Promise<string> {
    return (await Promise.all(names.map((n) => this.engine!.version(n)))).join(',');
  }

  /**
   * A document's folded state from the projection, when it reflects the stream's last revision (one
   * indexed read of the stream's head proves it); undefined when the projection has not caught up or
   * does not have it, and the caller replays the log instead. Current either way, cheap when it can be.
   */
  async latest<S>(name: string, id: string, streamId: string): Promise<{ state: S; revision: bigint } | undefined> {
    const rows = await this.withTable(name, (table) =>
      this.db.query<{ state: string; revision: string | null }>(
        `select doc->'state' as state, doc->>'revision' as revision from ${table} where id = $1`,
        [id],
      ),
    ).catch(() => undefined);
    const row = rows?.[0];
    if (!row?.revision) return undefined;
    for await (const head of this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 })) {
      if (head.revision.toString() !== row.revision) return undefined;
      return { state: (typeof row.state === 'string' ? JSON.parse(row.state) : row.state) as S, revision: head.revision };
    }
    return undefined;
  }

  /** Read-your-writes: waits (bounded) until the projection has passed `position`, else 503. */
  async awaitPosition(name: string, position: bigint | undefined, timeoutMs = 2_000): Promise<void> {
    if (position === undefined) return;
    if (!(await this.engine!.waitFor(name, position, timeoutMs))) throw new ProjectionBehind();
  }
}
