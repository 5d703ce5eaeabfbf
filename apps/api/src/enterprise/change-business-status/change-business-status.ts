import { BUSINESS_STATUSES, type BusinessStatus } from '@jejak/enterprise';
import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_BUSINESS } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { BusinessesRoute, EnterpriseRoutes, PROBLEMS, UUID } from '../enterprise.routes';

export class BusinessStatusDto {
  @ApiProperty({ enum: BUSINESS_STATUSES })
  @IsIn(BUSINESS_STATUSES)
  status!: BusinessStatus;

  @DateField({ example: '2026-04-01', description: 'the day it changed; defaults to today', optional: true })
  on?: string;

  @ApiProperty({ example: 'harvest season' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

@BusinessesRoute()
export class ChangeBusinessStatusRoute extends EnterpriseRoutes {
  @CommandRoute(':id/status')
  @Allow(['officer'], IN_BUSINESS)
  @ApiProblems(...PROBLEMS)
  change(
    @Param('id', UUID) id: string,
    @Body() b: BusinessStatusDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.business(id, { type: 'ChangeBusinessStatus', status: b.status, reason: b.reason }, b.on, c, m, r);
  }
}
