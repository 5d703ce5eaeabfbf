import type { RequestContext } from '@jejak/kernel';
import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { ApiAuthenticated } from '../http/openapi';
import { revisionResponse } from '../http/revision';
import { UuidPipe } from '../http/uuid.pipe';
import { ActOnCommunity, type CommunityStep } from './communities.handlers';

export const UUID = new UuidPipe();
export const PROBLEMS = [400, 404, 409, 412, 422];

/** The class decorators every route of this context carries. */
export const CommunitiesRoute = (): ClassDecorator =>
  applyDecorators(ApiTags('communities'), ApiAuthenticated(), Controller('communities'));

/** KKBM communities and their members over HTTP: one POST per command, If-Match and Idempotency-Key honoured. */
@Injectable()
export abstract class CommunityRoutes {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly queries: QueryBus,
  ) {}

  protected async act(
    id: string,
    step: CommunityStep,
    secrets: Record<string, string | undefined>,
    on: string | undefined,
    context: RequestContext,
    ifMatch: bigint | undefined,
    response: Response,
  ) {
    const written = await this.commands.execute(new ActOnCommunity(id, step, secrets, on, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
