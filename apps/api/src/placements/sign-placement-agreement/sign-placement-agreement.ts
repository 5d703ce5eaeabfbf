import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PLACEMENT } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { DatedDto } from '../placements.dto';
import { type PlacementStep } from '../placements.handlers';
import { PlacementRoutes, PlacementsRoute, UUID } from '../placements.routes';

export class AgreementDto extends DatedDto {
  @ApiProperty()
  @IsUUID()
  agreementDocumentId!: string;

  @ApiProperty()
  @IsUUID()
  familyPermissionDocumentId!: string;

  @ApiProperty()
  @IsUUID()
  maritalStatusDocumentId!: string;

  @ApiProperty({ example: 'LTSA Kabupaten Bogor' })
  @IsString()
  @Length(1, 200)
  ltsa!: string;
}

@PlacementsRoute()
export class SignPlacementAgreementRoute extends PlacementRoutes {
  @CommandRoute(':id/placement-agreement')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  agreement(
    @Param('id', UUID) id: string,
    @Body() body: AgreementDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const step: PlacementStep = {
      type: 'SignPlacementAgreement',
      agreementDocumentId: body.agreementDocumentId.toLowerCase(),
      familyPermissionDocumentId: body.familyPermissionDocumentId.toLowerCase(),
      maritalStatusDocumentId: body.maritalStatusDocumentId.toLowerCase(),
      ltsa: body.ltsa,
    };
    return this.advance(id, step, body.on, context, ifMatch, response);
  }
}
