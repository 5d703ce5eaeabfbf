import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsUUID } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_CASE } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { CaseRoutes, CasesRoute, PROBLEMS, UUID } from '../cases.routes';

export class VerifyDto {
  @ApiProperty({ enum: ['procedural', 'non_procedural', 'unknown'] })
  @IsIn(['procedural', 'non_procedural', 'unknown'])
  procedural!: 'procedural' | 'non_procedural' | 'unknown';

  @ApiPropertyOptional({ description: 'the placement stream, when the placement was facilitated here' })
  @Optional()
  @IsUUID()
  placementId?: string;
}

@CasesRoute()
export class VerifyCaseRoute extends CaseRoutes {
  @CommandRoute(':id/verification')
  @Allow(['officer'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  verify(
    @Param('id', UUID) id: string,
    @Body() b: VerifyDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'VerifyCase', procedural: b.procedural, placementId: b.placementId?.toLowerCase() ?? null }, {}, c, m, r);
  }
}
