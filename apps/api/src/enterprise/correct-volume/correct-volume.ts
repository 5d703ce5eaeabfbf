import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_BUSINESS } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { BusinessesRoute, EnterpriseRoutes, PROBLEMS, UUID } from '../enterprise.routes';
import { VolumeReportDto } from '../report-volume/report-volume';

export class VolumeCorrectionDto extends VolumeReportDto {
  @ApiProperty({ example: 'one invoice was missed' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

@BusinessesRoute()
export class CorrectVolumeRoute extends EnterpriseRoutes {
  /** A correction of a month reported: an event beside the report, which stays in the history. */
  @CommandRoute(':id/volume-corrections')
  @Allow(['officer', 'supervisor'], IN_BUSINESS)
  @ApiProblems(...PROBLEMS)
  correct(
    @Param('id', UUID) id: string,
    @Body() b: VolumeCorrectionDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    const step = { type: 'CorrectVolume', month: b.month, turnover: b.turnover, employed: b.employed, reason: b.reason } as const;
    return this.business(id, step, undefined, c, m, r);
  }
}
