import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_BUSINESS } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { BusinessesRoute, EnterpriseRoutes, PROBLEMS, UUID } from '../enterprise.routes';

/** A calendar month, YYYY-MM. */
export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class VolumeReportDto {
  @ApiProperty({ example: '2026-03', description: 'the month reported (YYYY-MM): over, and not before the business started' })
  @Matches(MONTH, { message: 'must be a month as YYYY-MM' })
  month!: string;

  @ApiProperty({ example: 4500000, description: 'turnover in the month, whole rupiah' })
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  turnover!: number;

  @ApiProperty({ example: 2, description: 'people working in the business that month, owners included' })
  @IsInt()
  @Min(0)
  @Max(10_000)
  employed!: number;
}

@BusinessesRoute()
export class ReportVolumeRoute extends EnterpriseRoutes {
  /** A month's volume, reported once; a later figure for it is a correction. */
  @CommandRoute(':id/volumes')
  @Allow(['officer'], IN_BUSINESS)
  @ApiProblems(...PROBLEMS)
  report(
    @Param('id', UUID) id: string,
    @Body() b: VolumeReportDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.business(id, { type: 'ReportVolume', month: b.month, turnover: b.turnover, employed: b.employed }, undefined, c, m, r);
  }
}
