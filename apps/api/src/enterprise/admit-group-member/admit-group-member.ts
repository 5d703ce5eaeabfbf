import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_GROUP } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { EnterpriseRoutes, GroupsRoute, PROBLEMS, UUID } from '../enterprise.routes';

export class GroupMemberDto {
  @ApiProperty({ format: 'uuid', description: 'the person, on record in your territory' })
  @IsUUID()
  subjectId!: string;

  @DateField({ example: '2026-02-01', description: 'the day they joined; defaults to today', optional: true })
  on?: string;
}

@GroupsRoute()
export class AdmitGroupMemberRoute extends EnterpriseRoutes {
  @CommandRoute(':id/members')
  @Allow(['officer'], IN_GROUP)
  @ApiProblems(...PROBLEMS)
  admit(
    @Param('id', UUID) id: string,
    @Body() b: GroupMemberDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.group(id, { type: 'AdmitGroupMember', subjectId: b.subjectId.toLowerCase() }, b.on, c, m, r);
  }
}
