import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import type { Response } from 'express';

import { Allow, IN_GROUP } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { EnterpriseRoutes, GroupsRoute, PROBLEMS, UUID } from '../enterprise.routes';

export class GroupLeavingDto {
  @DateField({ example: '2026-05-01', description: 'the day they left; defaults to today', optional: true })
  on?: string;
}

@GroupsRoute()
export class RecordGroupMemberLeavingRoute extends EnterpriseRoutes {
  @CommandRoute(':id/members/:subjectId/leaving')
  @Allow(['officer'], IN_GROUP)
  @ApiProblems(...PROBLEMS)
  leave(
    @Param('id', UUID) id: string,
    @Param('subjectId', UUID) subjectId: string,
    @Body() b: GroupLeavingDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.group(id, { type: 'RecordGroupMemberLeaving', subjectId: subjectId.toLowerCase() }, b.on, c, m, r);
  }
}
