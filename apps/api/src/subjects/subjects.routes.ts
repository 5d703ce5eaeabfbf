import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';

import { ApiAuthenticated } from '../http/openapi';
import { UuidPipe } from '../http/uuid.pipe';

export const UUID = new UuidPipe();

/** The class decorators every route of this context carries. */
export const SubjectsRoute = (): ClassDecorator => applyDecorators(ApiTags('subjects'), ApiAuthenticated(), Controller('subjects'));

/** Data subjects: the people whose personal data Jejak holds, and their rights under Law 27/2022. */
@Injectable()
export abstract class SubjectRoutes {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly queries: QueryBus,
  ) {}
}
