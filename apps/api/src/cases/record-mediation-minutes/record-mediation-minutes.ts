import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_CASE } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { CaseRoutes, CasesRoute, PROBLEMS, UUID } from '../cases.routes';

export class MinutesDto {
  @ApiProperty({ description: 'the mediation minutes; stored sealed' })
  @IsString()
  @Length(1, 20000)
  minutes!: string;
}

@CasesRoute()
export class RecordMediationMinutesRoute extends CaseRoutes {
  @CommandRoute(':id/actions/:actionId/minutes')
  @Allow(['officer'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  minutes(
    @Param('id', UUID) id: string,
    @Param('actionId', UUID) actionId: string,
    @Body() b: MinutesDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(id, { type: 'RecordMediationMinutes', actionId }, { minutes: b.minutes }, c, m, r);
  }
}
