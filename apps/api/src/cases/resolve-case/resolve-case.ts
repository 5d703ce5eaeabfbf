import { type Outcome, OUTCOMES } from '@jejak/accompaniment';
import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_CASE } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { Rupiah } from '../cases.dto';
import { CaseRoutes, CasesRoute, PROBLEMS, UUID } from '../cases.routes';

export class ResolutionDto {
  @ApiProperty({ enum: OUTCOMES })
  @IsIn(OUTCOMES)
  outcome!: Outcome;

  @ApiPropertyOptional({ description: 'in whole rupiah: required for `wages_recovered`; for `compensation_paid` when known' })
  @Optional()
  @Rupiah()
  amountRecovered?: number;

  @ApiPropertyOptional({ description: 'stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  summary?: string;
}

@CasesRoute()
export class ResolveCaseRoute extends CaseRoutes {
  @CommandRoute(':id/resolution')
  @Allow(['officer'], IN_CASE)
  @ApiOkResponse({ description: "Resolved: the case now awaits a supervisor's approval to close" })
  @ApiProblems(...PROBLEMS)
  resolve(
    @Param('id', UUID) id: string,
    @Body() b: ResolutionDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(
      id,
      { type: 'ResolveCase', outcome: b.outcome, amountRecovered: b.amountRecovered ?? null, allowOpenReferrals: false },
      { summary: b.summary },
      c,
      m,
      r,
    );
  }
}
