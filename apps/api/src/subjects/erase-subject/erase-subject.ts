import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_SUBJECT } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse } from '../../http/revision';
import { DecideOnSubject } from '../subjects.handlers';
import { SubjectRoutes, SubjectsRoute, UUID } from '../subjects.routes';

export class ErasureDto {
  @ApiProperty({ example: 'request of the data subject, received 2026-11-28' })
  @IsString()
  @Length(1, 500)
  reason!: string;

  @ApiProperty({ example: 'UU 27/2022 art. 8' })
  @IsString()
  @Length(1, 200)
  legalBasis!: string;
}

@SubjectsRoute()
export class EraseSubjectRoute extends SubjectRoutes {
  @CommandRoute(':id/erasure')
  // Data-subject requests are the deploying organisation's duty (Law 27/2022): admins answer them.
  @Allow(['admin'], IN_SUBJECT)
  @ApiOkResponse({ description: 'The subject key is destroyed; every personal field now reads "[erased]"' })
  @ApiProblems(400, 404, 409, 412)
  async erase(
    @Param('id', UUID) id: string,
    @Body() body: ErasureDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(
      new DecideOnSubject(id, { type: 'EraseSubject', reason: body.reason, legalBasis: body.legalBasis }, context, ifMatch),
    );
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
