import { formatScope, type RequestContext, UNITS } from '@jejak/kernel';
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
  @ApiOkResponse({ description: "The actor of the bearer token: id, role and scopes, and an officer's units" })
  me(@Ctx() context: RequestContext): object {
    const actor = context.actor!;
    const units = actor.role === 'officer' ? { units: actor.units ?? UNITS } : {};
    return { id: actor.id, role: actor.role, scopes: actor.scopes.map(formatScope), ...units };
  }
}
