import { type Relation, RELATIONS } from '@jejak/community';
import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_COMMUNITY } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { CommunitiesRoute, CommunityRoutes, PROBLEMS, UUID } from '../communities.routes';

export class MemberRelationDto {
  @ApiProperty({ enum: RELATIONS, description: 'their relation to migration from this day' })
  @IsIn(RELATIONS)
  relation!: Relation;

  @DateField({ example: '2026-03-10', description: 'the day it changed; defaults to today', optional: true })
  on?: string;
}

@CommunitiesRoute()
export class ChangeMemberRelationRoute extends CommunityRoutes {
  @CommandRoute(':id/members/:subjectId/relation')
  @Allow(['officer'], IN_COMMUNITY)
  @ApiProblems(...PROBLEMS)
  change(
    @Param('id', UUID) id: string,
    @Param('subjectId', UUID) subjectId: string,
    @Body() b: MemberRelationDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'ChangeMemberRelation', subjectId: subjectId.toLowerCase(), relation: b.relation }, {}, b.on, c, m, r);
  }
}
