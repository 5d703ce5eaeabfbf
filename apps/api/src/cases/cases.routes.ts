import type { RequestContext } from '@jejak/kernel';
import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { RecordedBy } from '../access/rules';
import { ApiAuthenticated } from '../http/openapi';
import { revisionResponse } from '../http/revision';
import { UuidPipe } from '../http/uuid.pipe';
import { ActOnCase, type CaseStep } from './cases.handlers';

export const UUID = new UuidPipe();
export const PROBLEMS = [400, 404, 409, 412, 422];

/** The class decorators every route of this context carries. */
export const CasesRoute = (): ClassDecorator =>
  applyDecorators(ApiTags('cases'), ApiAuthenticated(), Controller('cases'), RecordedBy('info_advocacy'));

/** Case accompaniment over HTTP: one POST per command, If-Match and Idempotency-Key honoured. */
@Injectable()
export abstract class CaseRoutes {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly queries: QueryBus,
  ) {}

  protected async act(
    id: string,
    step: CaseStep,
    secrets: Record<string, string | undefined>,
    context: RequestContext,
    ifMatch: bigint | undefined,
    response: Response,
    created: Record<string, string> = {},
  ) {
    const written = await this.commands.execute(new ActOnCase(id, step, secrets, context, ifMatch));
    return { ...revisionResponse(response, written.id, written.revision, written.position), ...created };
  }
}
