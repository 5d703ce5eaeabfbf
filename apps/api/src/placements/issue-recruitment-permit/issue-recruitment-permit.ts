import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse } from '../../http/revision';
import { AgenciesRoute, AgencyRoutes, UUID } from '../agencies.routes';
import { ActOnAgency } from '../reference.handlers';

export class RecruitmentPermitDto {
  @ApiProperty({ example: 'SIP2MI 0042/2026' })
  @IsString()
  @Length(1, 100)
  permitNumber!: string;

  @ApiProperty({ example: 'MY', description: 'the destination the permit allows recruiting for (ISO 3166-1 alpha-2)' })
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code' })
  destinationCountry!: string;

  @DateField({ example: '2026-01-01' })
  validFrom!: string;

  @DateField({ example: '2027-12-31' })
  validUntil!: string;
}

@AgenciesRoute()
export class IssueRecruitmentPermitRoute extends AgencyRoutes {
  @CommandRoute(':id/recruitment-permits')
  @Allow(['admin'])
  @ApiOkResponse({ description: 'A recruitment permit (SIP2MI) for one destination and period; job orders of the P3MI scheme name one' })
  @ApiProblems(400, 404, 409, 412, 422)
  async permit(
    @Param('id', UUID) id: string,
    @Body() body: RecruitmentPermitDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new ActOnAgency(id, { type: 'IssueRecruitmentPermit', ...body }, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
