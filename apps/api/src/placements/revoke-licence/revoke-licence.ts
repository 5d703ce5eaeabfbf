import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse } from '../../http/revision';
import { AgenciesRoute, AgencyRoutes, UUID } from '../agencies.routes';
import { ActOnAgency } from '../reference.handlers';

export class RevokeLicenceDto {
  @DateField()
  revokedOn!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 500)
  reason!: string;
}

@AgenciesRoute()
export class RevokeLicenceRoute extends AgencyRoutes {
  @CommandRoute(':id/revocation')
  @Allow(['admin'])
  @ApiProblems(400, 404, 409, 412, 422)
  async revoke(
    @Param('id', UUID) id: string,
    @Body() body: RevokeLicenceDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new ActOnAgency(id, { type: 'RevokeAgencyLicence', ...body }, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
