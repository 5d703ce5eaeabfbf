import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow, IN_CASE } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { EmptyDto } from '../cases.dto';
import { CaseRoutes, CasesRoute, PROBLEMS, UUID } from '../cases.routes';

@CasesRoute()
export class ApproveClosureRoute extends CaseRoutes {
  @CommandRoute(':id/closure-approval')
  @Allow(['supervisor'], IN_CASE)
  @ApiOkResponse({ description: 'Approved and closed; the approver must not be who resolved the case' })
  @ApiProblems(...PROBLEMS)
  approve(
    @Param('id', UUID) id: string,
    @Body() _b: EmptyDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'ApproveClosure' }, {}, c, m, r);
  }
}
