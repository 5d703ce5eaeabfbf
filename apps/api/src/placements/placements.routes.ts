import type { RequestContext } from '@jejak/kernel';
import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { RecordedBy } from '../access/rules';
import { ApiAuthenticated } from '../http/openapi';
import { revisionResponse } from '../http/revision';
import { UuidPipe } from '../http/uuid.pipe';
import { AdvancePlacement, type PlacementStep, type Written } from './placements.handlers';

export const UUID = new UuidPipe();

/** The class decorators every route of this context carries. */
export const PlacementsRoute = (): ClassDecorator =>
  applyDecorators(ApiTags('placements'), ApiAuthenticated(), Controller('placements'), RecordedBy('info_advocacy'));

/**
 * Placement facilitation over HTTP: one POST per command, each with If-Match and Idempotency-Key, each
 * answering `{ id, revision }` with the new ETag.
 */
@Injectable()
export abstract class PlacementRoutes {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly queries: QueryBus,
  ) {}

  protected async advance(
    id: string,
    step: PlacementStep,
    on: string | undefined,
    context: RequestContext,
    ifMatch: bigint | undefined,
    response: Response,
  ) {
    return this.respond(response, await this.commands.execute(new AdvancePlacement(id, step, on, context, ifMatch)));
  }

  protected respond(response: Response, written: Written) {
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
