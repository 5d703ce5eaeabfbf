import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_CASE } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { CaseRoutes, CasesRoute, PROBLEMS, UUID } from '../cases.routes';

export class AssignDto {
  @ApiProperty({ example: 'officer-2' })
  @IsString()
  @Length(1, 200)
  officerId!: string;

  @ApiPropertyOptional({ description: 'required when reassigning' })
  @Optional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

@CasesRoute()
export class AssignCaseRoute extends CaseRoutes {
  @CommandRoute(':id/assignment')
  // Supervisors share out the work and reopen; closure is theirs to approve, never the resolver's.
  @Allow(['officer', 'supervisor'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  assign(
    @Param('id', UUID) id: string,
    @Body() b: AssignDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'AssignCase', officerId: b.officerId, reason: b.reason ?? null }, {}, c, m, r);
  }
}
