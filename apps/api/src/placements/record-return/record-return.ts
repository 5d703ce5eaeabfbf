import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PLACEMENT } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { DatedDto } from '../placements.dto';
import { PlacementRoutes, PlacementsRoute, UUID } from '../placements.routes';

export class ReturnDto extends DatedDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 500)
  note?: string;
}

@PlacementsRoute()
export class RecordReturnRoute extends PlacementRoutes {
  @CommandRoute(':id/return')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  returned(
    @Param('id', UUID) id: string,
    @Body() body: ReturnDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(id, { type: 'RecordReturn', note: body.note ?? null }, body.on, context, ifMatch, response);
  }
}
