import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_SUBJECT } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { Optional } from '../../http/optional';
import { revisionResponse } from '../../http/revision';
import { DecideOnSubject } from '../subjects.handlers';
import { SubjectRoutes, SubjectsRoute, UUID } from '../subjects.routes';

export class LegalHoldDto {
  @ApiProperty({ example: 'TPPO case before the Cibinong district court' })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @ApiProperty({ example: 'court order 12/Pid.Sus/2026' })
  @IsString()
  @Length(1, 200)
  legalBasis!: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @Length(1, 200)
  reference?: string;
}

@SubjectsRoute()
export class PlaceLegalHoldRoute extends SubjectRoutes {
  @CommandRoute(':id/legal-hold')
  @Allow(['supervisor', 'admin'], IN_SUBJECT)
  @ApiProblems(400, 404, 409, 412)
  async hold(
    @Param('id', UUID) id: string,
    @Body() body: LegalHoldDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const hold = { reason: body.reason, legalBasis: body.legalBasis, ...(body.reference ? { reference: body.reference } : {}) };
    const written = await this.commands.execute(new DecideOnSubject(id, { type: 'PlaceLegalHold', hold }, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
