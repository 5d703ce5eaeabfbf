import type { JejakConfig } from '@jejak/config';
import {
  type EventStore,
  LeasedRunner,
  runnerLag,
  type RunnerStatus,
  SqlCheckpointStore,
  type SqlClient,
  SubscriptionRunner,
} from '@jejak/event-store';
import type { PersonalDataVault } from '@jejak/personal-data';
import { linkManagers } from '@jejak/process-managers';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { Clock } from '../http/clock';
import { CONFIG, EVENT_STORE, SQL_CLIENT, VAULT } from '../tokens';

/**
 * Runs the process managers that link the workflows, in this process when JEJAK_PROJECTOR=inline (the
 * embedded default), each on a checkpointed subscription: a restart continues where it stopped.
 */
@Injectable()
export class ProcessManagers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ProcessManagers');
  private runners: LeasedRunner[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    @Inject(CONFIG) private readonly config: JejakConfig,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.projector !== 'inline') return;
    const checkpoints = await SqlCheckpointStore.create(this.db);
    // Leased: wherever they are started (API replicas, projectors), each runs in one process at a time.
    this.runners = linkManagers({ store: this.store, vault: this.vault, today: (at?: Date) => this.clock.today(at) }).map(
      (handler) => new LeasedRunner(this.db, new SubscriptionRunner(this.store, checkpoints, handler), `jejak:${handler.name}`),
    );
    await Promise.all(this.runners.map((runner) => runner.start()));
    this.logger.log(`${this.runners.length} process managers running`);
  }

  /** Before the store closes (onApplicationShutdown), so no runner is cut off mid-batch. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  statuses(): RunnerStatus[] {
    return this.runners.map((runner) => runner.status());
  }

  /** How far behind the log each process manager this process runs is, in events (for the metrics). */
  lag(): Promise<{ name: string; events: number }[]> {
    return runnerLag(this.store, this.statuses());
  }
}
