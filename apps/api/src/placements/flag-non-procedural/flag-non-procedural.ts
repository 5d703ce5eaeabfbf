import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, Matches } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PLACEMENT } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { DatedReasonDto } from '../placements.dto';
import { PlacementRoutes, PlacementsRoute, UUID } from '../placements.routes';

/** A placement found non-procedural: why, and the warning signs seen. */
export class NonProceduralFlagDto extends DatedReasonDto {
  @ApiProperty({ example: ['tourist_visa_for_work', 'unlicensed_recruiter'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(/^[a-z_]{2,60}$/, { each: true, message: 'each flag must be a snake_case code' })
  flags!: string[];
}

@PlacementsRoute()
export class FlagNonProceduralRoute extends PlacementRoutes {
  @CommandRoute(':id/non-procedural-flag')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  flag(
    @Param('id', UUID) id: string,
    @Body() body: NonProceduralFlagDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(id, { type: 'FlagNonProcedural', reason: body.reason, flags: body.flags }, body.on, context, ifMatch, response);
  }
}
