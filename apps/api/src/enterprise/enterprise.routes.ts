import type { RequestContext } from '@jejak/kernel';
import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { RecordedBy } from '../access/rules';
import { ApiAuthenticated } from '../http/openapi';
import { revisionResponse } from '../http/revision';
import { UuidPipe } from '../http/uuid.pipe';
import { ActOnBusiness, ActOnGroup, type BusinessStep, type GroupStep } from './enterprise.handlers';

export const UUID = new UuidPipe();
export const PROBLEMS = [400, 404, 409, 412, 422];

/** Business units: recorded by the economic unit. */
export const BusinessesRoute = (): ClassDecorator =>
  applyDecorators(ApiTags('economic unit'), ApiAuthenticated(), Controller('businesses'), RecordedBy('economic'));

/** Business groups and cooperatives: recorded by the economic unit. */
export const GroupsRoute = (): ClassDecorator =>
  applyDecorators(ApiTags('economic unit'), ApiAuthenticated(), Controller('business-groups'), RecordedBy('economic'));

/** People's business credit (KUR) applications: recorded by the economic unit. */
export const KurRoute = (): ClassDecorator =>
  applyDecorators(ApiTags('economic unit'), ApiAuthenticated(), Controller('kur'), RecordedBy('economic'));

/** Business-development consultations: recorded by the economic unit. */
export const ConsultationsRoute = (): ClassDecorator =>
  applyDecorators(ApiTags('economic unit'), ApiAuthenticated(), Controller('consultations'), RecordedBy('economic'));

/** The economic unit over HTTP: one POST per command, If-Match and Idempotency-Key honoured. */
@Injectable()
export abstract class EnterpriseRoutes {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly queries: QueryBus,
  ) {}

  protected async business(
    id: string,
    step: BusinessStep,
    on: string | undefined,
    context: RequestContext,
    ifMatch: bigint | undefined,
    response: Response,
  ) {
    const written = await this.commands.execute(new ActOnBusiness(id, step, on, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }

  protected async group(
    id: string,
    step: GroupStep,
    on: string | undefined,
    context: RequestContext,
    ifMatch: bigint | undefined,
    response: Response,
  ) {
    const written = await this.commands.execute(new ActOnGroup(id, step, on, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
