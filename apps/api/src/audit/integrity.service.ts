import { type Integrity, type SealKey, startIntegrity } from '@jejak/audit';
import type { JejakConfig } from '@jejak/config';
import type { EventStore, RunnerStatus, SqlClient } from '@jejak/event-store';
import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { CONFIG, EVENT_STORE, SEAL_KEY, SQL_CLIENT } from '../tokens';

/**
 * Runs the chainer and the sealer in this process when JEJAK_PROJECTOR=inline (the embedded default);
 * otherwise the projector runs them. Leased: started in several processes, the chainer runs in one.
 */
@Injectable()
export class IntegrityService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Integrity');
  private integrity?: Integrity;

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
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.integrity?.stop();
  }

  status(): RunnerStatus | null {
    return this.integrity?.status() ?? null;
  }

  /** Seals now whatever is chained and not yet sealed (tests, and operators before an export). */
  async sealNow(): Promise<void> {
    await this.integrity?.sealer.sealIfDue(new Date(), true);
  }
}
