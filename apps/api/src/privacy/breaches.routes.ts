import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';

import { Clock } from '../http/clock';
import { ApiAuthenticated } from '../http/openapi';

/** The class decorators every route of this context carries. */
export const BreachesRoute = (): ClassDecorator => applyDecorators(ApiTags('subjects'), ApiAuthenticated(), Controller('breaches'));

// Breaches are the deploying organisation's to record and notify: no personal content, subject ids only.
/** Personal-data breaches: the subjects concerned and the written notices, due within 3 × 24 hours of discovery. */
@Injectable()
export abstract class BreachRoutes {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly queries: QueryBus,
    protected readonly clock: Clock,
  ) {}
}
