import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { UserRoutes, UsersRoute, UUID } from '../users.routes';

export class ResetPasswordDto {
  @ApiProperty({ writeOnly: true })
  @IsString()
  @Length(1, 256)
  password!: string;
}

@UsersRoute()
export class ResetPasswordRoute extends UserRoutes {
  @CommandRoute(':id/password')
  @Allow(['admin'])
  @ApiProblems(400, 404, 409, 412)
  async resetPassword(
    @Param('id', UUID) id: string,
    @Body() body: ResetPasswordDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.change(id, { type: 'ResetUserPassword', password: body.password }, context, ifMatch, response);
  }
}
