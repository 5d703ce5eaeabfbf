import type { EventStore } from '@jejak/event-store';
import { type Logger, StateLog } from '@jejak/logging';
import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';

import { IntegrityService } from '../audit/integrity.service';
import { ProcessManagers } from '../links/process-managers.service';
import { ReadModels } from '../read-models/read-models.service';
import { EVENT_STORE, LOGGER } from '../tokens';

/**
 * Logs the state changes of what this process runs (the projections, process managers and chainer when
 * JEJAK_PROJECTOR=inline), as the projector does: started, took over the lease, caught up, failed on event X.
 */
@Injectable()
export class ComponentLog implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private states?: StateLog;

  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly managers: ProcessManagers,
    private readonly modules: ModuleRef,
  ) {}

  onApplicationBootstrap(): void {
    const integrity = this.modules.get(IntegrityService, { strict: false });
    this.states = new StateLog(
      this.logger,
      () => [...this.readModels.status(), ...this.managers.statuses(), ...(integrity.status() ? [integrity.status()!] : [])],
      () => this.store.head(),
    );
    this.states.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.states?.stop();
  }
}
