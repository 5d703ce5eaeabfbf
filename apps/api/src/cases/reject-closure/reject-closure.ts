import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import type { Response } from 'express';

import { Allow, IN_CASE } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { ReasonDto } from '../cases.dto';
import { CaseRoutes, CasesRoute, PROBLEMS, UUID } from '../cases.routes';

@CasesRoute()
export class RejectClosureRoute extends CaseRoutes {
  @CommandRoute(':id/closure-rejection')
  @Allow(['supervisor'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  reject(
    @Param('id', UUID) id: string,
    @Body() b: ReasonDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'RejectClosure', reason: b.reason }, {}, c, m, r);
  }
}
