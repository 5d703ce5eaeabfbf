import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_GROUP } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { EnterpriseRoutes, GroupsRoute, PROBLEMS, UUID } from '../enterprise.routes';

export class CooperativeRegistrationDto {
  @ApiProperty({ example: 'AHU-0001234.AH.01.26', description: 'the registration number of the cooperative' })
  @IsString()
  @Length(1, 100)
  registrationNumber!: string;

  @DateField({ example: '2026-04-01', description: 'the day it was registered; defaults to today', optional: true })
  on?: string;
}

@GroupsRoute()
export class RegisterCooperativeRoute extends EnterpriseRoutes {
  /** An informal group registered as a cooperative (koperasi). */
  @CommandRoute(':id/cooperative')
  @Allow(['officer'], IN_GROUP)
  @ApiProblems(...PROBLEMS)
  register(
    @Param('id', UUID) id: string,
    @Body() b: CooperativeRegistrationDto,
    @Ctx() c: RequestContext,
    @IfMatch() m: bigint | undefined,
    @Res({ passthrough: true }) r: Response,
  ) {
    return this.group(id, { type: 'RegisterAsCooperative', registrationNumber: b.registrationNumber }, b.on, c, m, r);
  }
}
