import { formatScope, type RequestContext } from '@jejak/kernel';
import { Get } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';

import { Allow } from '../../access/rules';
import { Ctx } from '../../http/context';
import { ApiAuthenticated } from '../../http/openapi';
import { AuthRoute, AuthRoutes } from '../auth.routes';

@AuthRoute()
export class MeRoute extends AuthRoutes {
  @Get('me')
  @Allow('authenticated')
  @ApiAuthenticated()
  @ApiOkResponse({ description: 'The actor of the bearer token: id, role and scopes' })
  me(@Ctx() context: RequestContext): object {
    const actor = context.actor!;
    return { id: actor.id, role: actor.role, scopes: actor.scopes.map(formatScope) };
  }
}
