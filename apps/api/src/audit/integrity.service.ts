import { type Integrity, type SealKey, startIntegrity } from '@jejak/audit';
import type { JejakConfig } from '@jejak/config';
import { type EventStore, type RunnerStatus, type SqlClient, TableMaintenance } from '@jejak/event-store';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { CONFIG, EVENT_STORE, SEAL_KEY, SQL_CLIENT } from '../tokens';

/**
 * Runs the chainer and the sealer in this process when JEJAK_PROJECTOR=inline (the embedded default);
 * otherwise the projector runs them. With them, on PostgreSQL with autovacuum off, the table maintenance. Leased: started in several processes, the chainer runs in one.
 */
@Injectable()
export class IntegrityService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Integrity');
  private integrity?: Integrity;
  private maintenance?: TableMaintenance;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    @Inject(SEAL_KEY) private readonly key: SealKey,
    @Inject(CONFIG) private readonly config: JejakConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.projector !== 'inline') return;
    this.integrity = await startIntegrity(
      this.store,
      this.db,
      this.key,
      {
        everyEvents: this.config.audit.sealEveryEvents,
        everySeconds: this.config.audit.sealEverySeconds,
      },
      (message) => this.logger.warn(message),
    );
    this.logger.log(`integrity chain running; seals signed by key ${this.key.fingerprint}`);
    // On a PostgreSQL server with autovacuum off, Jejak vacuums its own tables (see TableMaintenance).
    this.maintenance = new TableMaintenance(this.db, (round) =>
      this.logger.log(
        `table maintenance: vacuumed ${round.vacuumed.join(', ') || 'none'}; analyzed ${round.analyzed.join(', ') || 'none'}`,
      ),
    );
    if (await this.maintenance.start())
      this.logger.warn(
        "autovacuum is off on this PostgreSQL server: this process vacuums and analyzes Jejak's tables once a minute (turn autovacuum on to leave it to the server)",
      );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.integrity?.stop();
    await this.maintenance?.stop();
  }

  status(): RunnerStatus | null {
    return this.integrity?.status() ?? null;
  }

  /** Seals now whatever is chained and not yet sealed (tests, and operators before an export). */
  async sealNow(): Promise<void> {
    await this.integrity?.sealer.sealIfDue(new Date(), true);
  }
}
