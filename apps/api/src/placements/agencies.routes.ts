import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';

import { ApiAuthenticated } from '../http/openapi';
import { UuidPipe } from '../http/uuid.pipe';

export const UUID = new UuidPipe();

/** The class decorators every route of this context carries. */
export const AgenciesRoute = (): ClassDecorator => applyDecorators(ApiTags('reference data'), ApiAuthenticated(), Controller('agencies'));

// Reference data: everyone who works with placements reads it; admins keep it.
/** Licensed placement companies (P3MI): reference data, each an `agency-<uuid>` stream, kept by admins. */
@Injectable()
export abstract class AgencyRoutes {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly queries: QueryBus,
  ) {}
}
