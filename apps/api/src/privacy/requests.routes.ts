import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';

import { Clock } from '../http/clock';
import { ApiAuthenticated } from '../http/openapi';

/** The class decorators every route of this context carries. */
export const RequestsRoute = (): ClassDecorator =>
  applyDecorators(ApiTags('subjects'), ApiAuthenticated(), Controller('data-subject-requests'));

/** Every data-subject request, with its deadline: the administrators' worklist of requests. */
@Injectable()
export abstract class RequestRoutes {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly queries: QueryBus,
    protected readonly clock: Clock,
  ) {}
}
