import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import type { Response } from 'express';

import { Allow, IN_PREVENTION } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { EmptyDto } from '../preventions.dto';
import { PreventionRoutes, PreventionsRoute, PROBLEMS, UUID } from '../preventions.routes';

@PreventionsRoute()
export class ClosePreventionRoute extends PreventionRoutes {
  @CommandRoute(':id/closure')
  @Allow(['officer'], IN_PREVENTION)
  @ApiProblems(...PROBLEMS)
  close(
    @Param('id', UUID) id: string,
    @Body() _b: EmptyDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'ClosePrevention' }, {}, c, m, r);
  }
}
