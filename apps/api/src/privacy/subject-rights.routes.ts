import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';

import { ApiAuthenticated } from '../http/openapi';
import { UuidPipe } from '../http/uuid.pipe';

export const UUID = new UuidPipe();

/** The class decorators every route of this context carries. */
export const SubjectRightsRoute = (): ClassDecorator => applyDecorators(ApiTags('subjects'), ApiAuthenticated(), Controller('subjects'));

/** Consent and data-subject requests of one person (Law 27/2022): the administrators' duty. */
@Injectable()
export abstract class SubjectRightsRoutes {
  constructor(protected readonly commands: CommandBus) {}
}
