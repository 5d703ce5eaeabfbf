import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_COMMUNITY } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { CommunitiesRoute, CommunityRoutes, PROBLEMS, UUID } from '../communities.routes';

export class MemberLeavingDto {
  @ApiProperty({ description: "why they left, in the officer's words: stored sealed with the member's key" })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @DateField({ example: '2026-06-01', description: 'the day they left; defaults to today', optional: true })
  on?: string;
}

@CommunitiesRoute()
export class RecordMemberLeavingRoute extends CommunityRoutes {
  @CommandRoute(':id/members/:subjectId/leaving')
  @Allow(['officer'], IN_COMMUNITY)
  @ApiProblems(...PROBLEMS)
  leave(
    @Param('id', UUID) id: string,
    @Param('subjectId', UUID) subjectId: string,
    @Body() b: MemberLeavingDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'RecordMemberLeaving', subjectId: subjectId.toLowerCase() }, { reason: b.reason }, b.on, c, m, r);
  }
}
