import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { Response } from 'express';

import { Allow, IN_PLACEMENT } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { DatedDto } from '../placements.dto';
import { type PlacementStep } from '../placements.handlers';
import { PlacementRoutes, PlacementsRoute, UUID } from '../placements.routes';

export class DocumentsCompletionDto extends DatedDto {
  @ApiProperty()
  @IsUUID()
  passportDocumentId!: string;

  @ApiProperty()
  @IsUUID()
  visaDocumentId!: string;

  @ApiProperty()
  @IsUUID()
  contractDocumentId!: string;
}

@PlacementsRoute()
export class CompleteDocumentsRoute extends PlacementRoutes {
  @CommandRoute(':id/documents-completion')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  documentsComplete(
    @Param('id', UUID) id: string,
    @Body() body: DocumentsCompletionDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const step: PlacementStep = {
      type: 'CompleteDocuments',
      passportDocumentId: body.passportDocumentId.toLowerCase(),
      visaDocumentId: body.visaDocumentId.toLowerCase(),
      contractDocumentId: body.contractDocumentId.toLowerCase(),
    };
    return this.advance(id, step, body.on, context, ifMatch, response);
  }
}
