import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import type { Response } from 'express';

import { Allow, IN_PREVENTION } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { ReasonDto } from '../preventions.dto';
import { PreventionRoutes, PreventionsRoute, PROBLEMS, UUID } from '../preventions.routes';

@PreventionsRoute()
export class DismissFlagRoute extends PreventionRoutes {
  @CommandRoute(':id/flags/:flagId/dismissal')
  @Allow(['officer'], IN_PREVENTION)
  @ApiProblems(...PROBLEMS)
  dismissFlag(
    @Param('id', UUID) id: string,
    @Param('flagId', UUID) flagId: string,
    @Body() b: ReasonDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'DismissFlag', flagId, reason: b.reason }, {}, c, m, r);
  }
}
