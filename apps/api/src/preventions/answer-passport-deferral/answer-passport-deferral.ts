import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PREVENTION } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { PreventionRoutes, PreventionsRoute, PROBLEMS, UUID } from '../preventions.routes';

export class DeferralAnswerDto {
  @ApiProperty({ enum: ['granted', 'refused'] })
  @IsIn(['granted', 'refused'])
  answer!: 'granted' | 'refused';

  @DateField({ optional: true })
  on?: string;
}

@PreventionsRoute()
export class AnswerPassportDeferralRoute extends PreventionRoutes {
  @CommandRoute(':id/interventions/:interventionId/answer')
  @Allow(['officer'], IN_PREVENTION)
  @ApiOkResponse({ description: "Immigration's answer to a passport deferral request" })
  @ApiProblems(...PROBLEMS)
  answer(
    @Param('id', UUID) id: string,
    @Param('interventionId', UUID) interventionId: string,
    @Body() b: DeferralAnswerDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.act(
      id,
      { type: 'AnswerPassportDeferral', interventionId, answer: b.answer, on: b.on ?? this.clock.today(c.occurredAt) },
      {},
      c,
      m,
      r,
    );
  }
}
