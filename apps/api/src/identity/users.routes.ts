import type { RequestContext } from '@jejak/kernel';
import { applyDecorators, Controller, Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { ApiAuthenticated } from '../http/openapi';
import { revisionResponse } from '../http/revision';
import { UuidPipe } from '../http/uuid.pipe';
import { ChangeUser } from './users.handlers';

export const UUID = new UuidPipe();

/** The class decorators every route of this context carries. */
export const UsersRoute = (): ClassDecorator => applyDecorators(ApiTags('users'), ApiAuthenticated(), Controller('users'));

@Injectable()
export abstract class UserRoutes {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly queries: QueryBus,
  ) {}

  protected async change(
    id: string,
    change: ChangeUser['change'],
    context: RequestContext,
    ifMatch: bigint | undefined,
    response: Response,
  ) {
    const written = await this.commands.execute(new ChangeUser(id, change, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
