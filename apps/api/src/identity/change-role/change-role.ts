import type { RequestContext } from '@jejak/kernel';
import { type Role, ROLES } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Length, Matches } from 'class-validator';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { SCOPE } from '../users.dto';
import { UserRoutes, UsersRoute, UUID } from '../users.routes';

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ example: ['province:32'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(SCOPE, { each: true, message: 'each scope must be national, province:NN, regency:NNNN, district:NNNNNN or village:NNNNNNNNNN' })
  scopes!: string[];

  @ApiProperty()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

@UsersRoute()
export class ChangeRoleRoute extends UserRoutes {
  @CommandRoute(':id/role')
  @Allow(['admin'])
  @ApiProblems(400, 404, 409, 412)
  async changeRole(
    @Param('id', UUID) id: string,
    @Body() body: ChangeRoleDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.change(
      id,
      { type: 'ChangeUserRole', role: body.role, scopes: body.scopes, reason: body.reason },
      context,
      ifMatch,
      response,
    );
  }
}
