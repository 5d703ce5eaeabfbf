import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { ReasonDto } from '../users.dto';
import { UserRoutes, UsersRoute, UUID } from '../users.routes';

@UsersRoute()
export class EnableUserRoute extends UserRoutes {
  @CommandRoute(':id/enable')
  @Allow(['admin'])
  @ApiProblems(400, 404, 409, 412)
  async enable(
    @Param('id', UUID) id: string,
    @Body() body: ReasonDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.change(id, { type: 'EnableUser', reason: body.reason }, context, ifMatch, response);
  }
}
