import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PLACEMENT } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { DatedDto } from '../placements.dto';
import { PlacementRoutes, PlacementsRoute, UUID } from '../placements.routes';

export class ArrivalDto extends DatedDto {
  @ApiProperty({ example: 'KBRI Kuala Lumpur' })
  @IsString()
  @Length(1, 200)
  mission!: string;
}

@PlacementsRoute()
export class ReportArrivalRoute extends PlacementRoutes {
  @CommandRoute(':id/arrival-report')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  arrival(
    @Param('id', UUID) id: string,
    @Body() body: ArrivalDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(id, { type: 'ReportArrivalToEmbassy', mission: body.mission }, body.on, context, ifMatch, response);
  }
}
