import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';

import { RecordedBy } from '../access/rules';
import { ApiAuthenticated } from '../http/openapi';
import { UuidPipe } from '../http/uuid.pipe';

export const UUID = new UuidPipe();
export const PROBLEMS = [400, 404, 409, 412, 422];

/** Dissemination sessions: recorded by the information-and-advocacy unit. */
export const SessionsRoute = (): ClassDecorator =>
  applyDecorators(ApiTags('information services'), ApiAuthenticated(), Controller('sessions'), RecordedBy('info_advocacy'));

/** Enquiries answered or referred: recorded by the information-and-advocacy unit. */
export const EnquiriesRoute = (): ClassDecorator =>
  applyDecorators(ApiTags('information services'), ApiAuthenticated(), Controller('enquiries'), RecordedBy('info_advocacy'));

/** The topic catalog: read by everyone who records information work, extended by administrators. */
export const TopicsRoute = (): ClassDecorator =>
  applyDecorators(ApiTags('information services'), ApiAuthenticated(), Controller('information-topics'));

/** Information services over HTTP: one POST per command, If-Match and Idempotency-Key honoured. */
@Injectable()
export abstract class InformationRoutes {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly queries: QueryBus,
  ) {}
}
