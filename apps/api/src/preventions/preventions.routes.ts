import type { RequestContext } from '@jejak/kernel';
import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { RecordedBy } from '../access/rules';
import { Clock } from '../http/clock';
import { ApiAuthenticated } from '../http/openapi';
import { revisionResponse } from '../http/revision';
import { UuidPipe } from '../http/uuid.pipe';
import { ActOnPrevention, type PreventionStep } from './preventions.handlers';

export const UUID = new UuidPipe();
export const PROBLEMS = [400, 404, 409, 412, 422];

/** The class decorators every route of this context carries. */
export const PreventionsRoute = (): ClassDecorator =>
  applyDecorators(ApiTags('preventions'), ApiAuthenticated(), Controller('preventions'), RecordedBy('info_advocacy'));

/** Prevention of non-procedural placement over HTTP: one POST per command. */
@Injectable()
export abstract class PreventionRoutes {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly queries: QueryBus,
    protected readonly clock: Clock,
  ) {}

  protected async act(
    id: string,
    step: PreventionStep,
    secrets: Record<string, string | undefined>,
    context: RequestContext,
    ifMatch: bigint | undefined,
    response: Response,
    created: Record<string, string> = {},
  ) {
    const written = await this.commands.execute(new ActOnPrevention(id, step, secrets, context, ifMatch));
    return { ...revisionResponse(response, written.id, written.revision, written.position), ...created };
  }
}
