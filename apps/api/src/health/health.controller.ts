import type { JejakConfig } from '@jejak/config';
import type { EventStore } from '@jejak/event-store';
import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow } from '../access/rules';
import type { Drain } from '../http/drain';
import { ReadModels } from '../read-models/read-models.service';
import { CONFIG, DRAIN, EVENT_STORE } from '../tokens';

/**
 * Health for load balancers and orchestrators (public: they carry no token).
 * - `/health/live`: the process answers (restart it when this fails);
 * - `/health/ready`: send it traffic: migrations done (the server listens only after them), the event store
 *   answers, no read model has failed or is further behind the log than JEJAK_READY_MAX_LAG_SECONDS, and
 *   the process is not shutting down;
 * - `/health`: liveness plus event-store reachability, as before.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  private readiness?: { at: number; ready: boolean; body: object };

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFIG) private readonly config: JejakConfig,
    @Inject(DRAIN) private readonly drain: Drain,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Allow('public')
  @ApiOkResponse({ description: 'Up, and the event store answers' })
  @ApiServiceUnavailableResponse({ description: 'Up, but the event store does not answer' })
  async health(@Res({ passthrough: true }) response: Response): Promise<object> {
    const eventStore = await this.store.health();
    if (!eventStore.ready) response.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', '5');
    return { status: eventStore.ready ? 'ok' : 'unavailable', eventStore };
  }

  @Get('live')
  @Allow('public')
  @ApiOkResponse({ description: 'The process answers' })
  live(): object {
    return { status: 'ok' };
  }

  @Get('ready')
  @Allow('public')
  @ApiOkResponse({ description: 'Ready for traffic: event store reachable, read models caught up within the configured lag' })
  @ApiServiceUnavailableResponse({ description: 'Not ready: which check failed is in the body' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<object> {
    const { ready, body } = await this.check();
    if (!ready) response.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', '5');
    return body;
  }

  /** The verdict, kept for a second: probes from several balancers do not each read the log's tail. */
  private async check(): Promise<{ ready: boolean; body: object }> {
    const now = Date.now();
    if (this.drain.isDraining) return { ready: false, body: { status: 'shutting_down' } };
    if (this.readiness && now - this.readiness.at < 1_000) return this.readiness;
    const eventStore = await this.store.health();
    const maxLagSeconds = this.config.health.readyMaxLagSeconds;
    let behind: { name: string; lagSeconds: number | null }[] = [];
    let failed: string[] = [];
    if (eventStore.ready) {
      const reports = await this.readModels.report().catch(() => null);
      if (reports === null) behind = [{ name: 'read models', lagSeconds: null }];
      else {
        failed = reports.filter((r) => r.state === 'failed').map((r) => r.name);
        behind = reports
          .filter((r) => r.lag === null || r.lag.seconds > maxLagSeconds)
          .map((r) => ({ name: r.name, lagSeconds: r.lag?.seconds ?? null }));
      }
    }
    const ready = eventStore.ready && failed.length === 0 && behind.length === 0;
    const body = {
      status: ready ? 'ready' : 'not_ready',
      eventStore,
      readModels: { maxLagSeconds, failed, behind },
    };
    this.readiness = { at: now, ready, body };
    return this.readiness;
  }
}
