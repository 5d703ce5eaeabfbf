import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { formatScope, type RequestContext } from '@jejak/kernel';
import { ApiAuthenticated } from '../http/openapi';
import { Ctx } from '../http/auth';

/** Who the token says the caller is: lets a client check its token and show the officer's role and area. */
@ApiTags('identity')
@ApiAuthenticated()
@Controller('auth')
export class MeController {
  @Get('me')
  @ApiOkResponse({ description: 'The actor of the bearer token: id, role and scopes' })
  me(@Ctx() context: RequestContext): object {
    const actor = context.actor!;
    return { id: actor.id, role: actor.role, scopes: actor.scopes.map(formatScope) };
  }
}
