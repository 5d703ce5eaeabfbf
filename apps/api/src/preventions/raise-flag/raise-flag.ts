import { randomUUID } from 'node:crypto';

import type { RequestContext } from '@jejak/kernel';
import { Body, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';

import { Allow, IN_PREVENTION } from '../../access/rules';
import { IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { FlagDto } from '../preventions.dto';
import { PreventionRoutes, PreventionsRoute, PROBLEMS, UUID } from '../preventions.routes';

@PreventionsRoute()
export class RaiseFlagRoute extends PreventionRoutes {
  @Post(':id/flags')
  @Allow(['officer'], IN_PREVENTION)
  @HttpCode(201)
  @ApiProblems(...PROBLEMS)
  flag(
    @Param('id', UUID) id: string,
    @Body() b: FlagDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const flagId = randomUUID();
    return this.act(id, { type: 'RaiseFlag', flagId, flag: b.flag }, { evidence: b.evidence }, c, m, r, { flagId });
  }
}
