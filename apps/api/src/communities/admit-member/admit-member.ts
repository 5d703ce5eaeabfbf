import { type Relation, RELATIONS } from '@jejak/community';
import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_COMMUNITY } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { CommunitiesRoute, CommunityRoutes, PROBLEMS, UUID } from '../communities.routes';

export class AdmitMemberDto {
  @ApiProperty({ format: 'uuid', description: 'the person, registered first with POST /subjects (or found by NIK)' })
  @IsUUID()
  subjectId!: string;

  @ApiProperty({ enum: RELATIONS, description: 'their relation to migration' })
  @IsIn(RELATIONS)
  relation!: Relation;

  @DateField({ example: '2026-02-01', description: 'the day they joined; defaults to today', optional: true })
  on?: string;
}

@CommunitiesRoute()
export class AdmitMemberRoute extends CommunityRoutes {
  @CommandRoute(':id/members')
  @Allow(['officer'], IN_COMMUNITY)
  @ApiProblems(...PROBLEMS)
  admit(
    @Param('id', UUID) id: string,
    @Body() b: AdmitMemberDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'AdmitMember', subjectId: b.subjectId.toLowerCase(), relation: b.relation }, {}, b.on, c, m, r);
  }
}
