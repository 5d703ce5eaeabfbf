import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_CASE } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { ValidationFailed } from '../../http/problem';
import { Rupiah } from '../cases.dto';
import { CaseRoutes, CasesRoute, PROBLEMS, UUID } from '../cases.routes';

export class ActionOutcomeDto {
  @ApiProperty({
    enum: ['accepted', 'declined', 'no_response', 'completed'],
    example: 'no_response',
    description:
      'a referral is `accepted` or `declined` by the body referred to; `no_response` records its silence: once JEJAK_REFERRAL_NO_RESPONSE_DAYS (default 30) have passed since the referral, or earlier with a `reason`',
  })
  @IsIn(['accepted', 'declined', 'no_response', 'completed'])
  outcome!: 'accepted' | 'declined' | 'no_response' | 'completed';

  @ApiPropertyOptional({ description: 'why the referral is recorded as unanswered before the waiting period; stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 2000)
  reason?: string;

  @ApiPropertyOptional({ description: 'claims: the amount paid, in whole rupiah, when known' })
  @Optional()
  @Rupiah()
  amountPaid?: number;

  @ApiPropertyOptional({ description: 'stored sealed' })
  @Optional()
  @IsString()
  @Length(1, 5000)
  note?: string;
}

@CasesRoute()
export class RecordActionOutcomeRoute extends CaseRoutes {
  @CommandRoute(':id/actions/:actionId/outcome')
  @Allow(['officer'], IN_CASE)
  @ApiProblems(...PROBLEMS)
  outcome(
    @Param('id', UUID) id: string,
    @Param('actionId', UUID) actionId: string,
    @Body() b: ActionOutcomeDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    if (b.outcome !== 'no_response' && b.reason !== undefined)
      throw new ValidationFailed([{ field: 'reason', message: 'is only for the outcome no_response' }]);
    // The policy's waiting period is added by the handler.
    return this.act(
      id,
      { type: 'RecordActionOutcome', actionId, outcome: b.outcome, amountPaid: b.amountPaid ?? null, noResponseAfterDays: 0 },
      { note: b.note, reason: b.reason },
      c,
      m,
      r,
    );
  }
}
