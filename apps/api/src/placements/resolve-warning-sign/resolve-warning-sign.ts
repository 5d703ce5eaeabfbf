import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PLACEMENT } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { DatedDto } from '../placements.dto';
import { PlacementRoutes, PlacementsRoute, UUID } from '../placements.routes';

export class WarningSignResolutionDto extends DatedDto {
  @ApiProperty({
    enum: ['cleared', 'confirmed'],
    description:
      '`cleared`: no irregularity (a renewed passport, a typing error); `confirmed`: the passport is a duplicate and cannot be used',
  })
  @IsIn(['cleared', 'confirmed'])
  decision!: 'cleared' | 'confirmed';

  @ApiProperty({ example: 'immigration confirmed the passport was renewed in 2025' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

@PlacementsRoute()
export class ResolveWarningSignRoute extends PlacementRoutes {
  /** A supervisor's decision on a warning sign (a duplicate or second passport): cleared, or confirmed as a duplicate. */
  @CommandRoute(':id/warning-signs/:signId/resolution')
  // A warning sign on a document (a duplicate or second passport) is the supervisor's to resolve.
  @Allow(['supervisor'], IN_PLACEMENT)
  @ApiProblems(400, 403, 404, 409, 412, 422)
  resolveSign(
    @Param('id', UUID) id: string,
    @Param('signId', UUID) signId: string,
    @Body() body: WarningSignResolutionDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(
      id,
      { type: 'ResolveWarningSign', signId, decision: body.decision, reason: body.reason },
      body.on,
      context,
      ifMatch,
      response,
    );
  }
}
