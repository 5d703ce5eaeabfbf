import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PREVENTION } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { ValidationFailed } from '../../http/problem';
import { type PreventionStep } from '../preventions.handlers';
import { PreventionRoutes, PreventionsRoute, PROBLEMS, UUID } from '../preventions.routes';

export class VerificationDto {
  @ApiProperty({ enum: ['confirmed', 'dismissed'] })
  @IsIn(['confirmed', 'dismissed'])
  result!: 'confirmed' | 'dismissed';

  @ApiPropertyOptional({ description: 'required when dismissed' })
  @Optional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

@PreventionsRoute()
export class VerifyReportRoute extends PreventionRoutes {
  @CommandRoute(':id/verification')
  @Allow(['officer'], IN_PREVENTION)
  @ApiProblems(...PROBLEMS)
  verify(
    @Param('id', UUID) id: string,
    @Body() b: VerificationDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    if (b.result === 'dismissed' && !b.reason)
      throw new ValidationFailed([{ field: 'reason', message: 'is required to dismiss a report' }]);
    const step: PreventionStep = b.result === 'confirmed' ? { type: 'ConfirmReport' } : { type: 'DismissReport', reason: b.reason! };
    return this.act(id, step, {}, c, m, r);
  }
}
