import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';

import { Clock } from '../http/clock';
import { ApiAuthenticated } from '../http/openapi';

/** The class decorators every route of this context carries. */
export const MoratoriumsRoute = (): ClassDecorator =>
  applyDecorators(ApiTags('reference data'), ApiAuthenticated(), Controller('moratoriums'));

/** Destinations and sectors under moratorium; seeded from Kepmenaker 260/2015, changed by admins. */
@Injectable()
export abstract class MoratoriumRoutes {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly queries: QueryBus,
    protected readonly clock: Clock,
  ) {}
}
