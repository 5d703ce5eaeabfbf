import type { RequestContext } from '@jejak/kernel';
import { Body, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse } from '@nestjs/swagger';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { revisionResponse } from '../../http/revision';
import { AgenciesRoute, AgencyRoutes } from '../agencies.routes';
import { ActOnAgency } from '../reference.handlers';

export class LicenseAgencyDto {
  @ApiPropertyOptional()
  @Optional()
  @IsUUID()
  agencyId?: string;

  @ApiProperty({ example: 'PT Maju Bersama' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'SIP3MI 123/2024' })
  @IsString()
  @Length(1, 100)
  licenceNumber!: string;

  @DateField({ example: '2024-01-01' })
  validFrom!: string;

  @DateField({ example: '2029-12-31' })
  validUntil!: string;
}

@AgenciesRoute()
export class LicenseAgencyRoute extends AgencyRoutes {
  @Post()
  @Allow(['admin'])
  @ApiCreatedResponse({ description: '`{ id, revision }`, Location and ETag' })
  @ApiProblems(400, 409, 422)
  async license(@Body() body: LicenseAgencyDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const { agencyId, ...licence } = body;
    const written = await this.commands.execute(new ActOnAgency(agencyId, { type: 'LicenseAgency', ...licence }, context, undefined));
    response.setHeader('Location', `/agencies/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
