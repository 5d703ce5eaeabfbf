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

export class RenewLicenceDto {
  @ApiProperty()
  @IsString()
  @Length(1, 100)
  licenceNumber!: string;

  @DateField()
  validUntil!: string;
}

@AgenciesRoute()
export class RenewLicenceRoute extends AgencyRoutes {
  @CommandRoute(':id/renewal')
  @Allow(['admin'])
  @ApiProblems(400, 404, 409, 412, 422)
  async renew(
    @Param('id', UUID) id: string,
    @Body() body: RenewLicenceDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new ActOnAgency(id, { type: 'RenewAgencyLicence', ...body }, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
