import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PLACEMENT } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { DatedDto } from '../placements.dto';
import { PlacementRoutes, PlacementsRoute, UUID } from '../placements.routes';

export class OrientationDto extends DatedDto {
  @ApiPropertyOptional()
  @Optional()
  @IsUUID()
  documentId?: string;

  @ApiProperty({ example: 'BP3MI Jawa Barat' })
  @IsString()
  @Length(1, 200)
  place!: string;
}

@PlacementsRoute()
export class CompleteOrientationRoute extends PlacementRoutes {
  @CommandRoute(':id/orientation')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  orientation(
    @Param('id', UUID) id: string,
    @Body() body: OrientationDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(
      id,
      { type: 'CompleteOrientation', documentId: body.documentId?.toLowerCase() ?? null, place: body.place },
      body.on,
      context,
      ifMatch,
      response,
    );
  }
}
