import { type Background, BACKGROUNDS } from '@jejak/identity';
import { type RequestContext, type Unit, UNITS } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { UserRoutes, UsersRoute, UUID } from '../users.routes';

export class OfficerProfileDto {
  @ApiProperty({ enum: UNITS, isArray: true, description: 'the units the officer works in: one or both' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(UNITS, { each: true })
  units!: Unit[];

  @ApiPropertyOptional({ enum: BACKGROUNDS })
  @IsOptional()
  @IsIn(BACKGROUNDS)
  background?: Background;

  @ApiProperty()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

@UsersRoute()
export class ChangeOfficerProfileRoute extends UserRoutes {
  /** An officer's units and background; an officer in one unit may record only that unit's work. */
  @CommandRoute(':id/officer-profile')
  @Allow(['admin'])
  @ApiProblems(400, 404, 409, 412, 422)
  changeProfile(
    @Param('id', UUID) id: string,
    @Body() body: OfficerProfileDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const officer = { units: body.units, ...(body.background !== undefined ? { background: body.background } : {}) };
    return this.change(id, { type: 'ChangeOfficerProfile', officer, reason: body.reason }, context, ifMatch, response);
  }
}
