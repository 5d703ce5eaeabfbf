import type { EventStore } from '@jejak/event-store';
import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow } from '../access/rules';
import { EVENT_STORE } from '../tokens';

/** Liveness plus event-store readiness. Public: load balancers and orchestrators carry no token. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @Allow('public')
  @ApiOkResponse({ description: 'Up, and the event store answers' })
  @ApiServiceUnavailableResponse({ description: 'Up, but the event store does not answer' })
  async health(@Res({ passthrough: true }) response: Response): Promise<object> {
    const eventStore = await this.store.health();
    if (!eventStore.ready) response.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', '5');
    return { status: eventStore.ready ? 'ok' : 'unavailable', eventStore };
  }
}
