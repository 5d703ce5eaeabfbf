import type { RequestContext } from '@jejak/kernel';
import { OUTCOMES, type PreventionOutcome } from '@jejak/prevention';
import { Body, Param, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PREVENTION } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { PreventionRoutes, PreventionsRoute, PROBLEMS, UUID } from '../preventions.routes';

export class OutcomeDto {
  @ApiProperty({ enum: OUTCOMES })
  @IsIn(OUTCOMES)
  outcome!: PreventionOutcome;

  @ApiPropertyOptional({ description: 'redirected: an existing placement to link instead of registering one' })
  @Optional()
  @IsUUID()
  placementId?: string;

  @ApiPropertyOptional({ description: 'stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  note?: string;
}

@PreventionsRoute()
export class RecordOutcomeRoute extends PreventionRoutes {
  @CommandRoute(':id/outcome')
  @Allow(['officer'], IN_PREVENTION)
  @ApiOkResponse({ description: 'Redirected: a process manager registers (or links) the legal placement, linked both ways' })
  @ApiProblems(...PROBLEMS)
  outcome(
    @Param('id', UUID) id: string,
    @Body() b: OutcomeDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(
      id,
      { type: 'RecordOutcome', outcome: b.outcome, placementId: b.placementId?.toLowerCase() ?? null },
      { note: b.note },
      c,
      m,
      r,
    );
  }
}
