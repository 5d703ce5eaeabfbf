import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import type { Response } from 'express';

import { Allow, IN_PLACEMENT } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { DocumentStepDto } from '../placements.dto';
import { PlacementRoutes, PlacementsRoute, UUID } from '../placements.routes';

@PlacementsRoute()
export class CertifyCompetencyRoute extends PlacementRoutes {
  @CommandRoute(':id/competency-certification')
  @Allow(['officer'], IN_PLACEMENT)
  @ApiProblems(400, 404, 409, 412, 422)
  competency(
    @Param('id', UUID) id: string,
    @Body() body: DocumentStepDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    return this.advance(id, { type: 'CertifyCompetency', documentId: body.documentId.toLowerCase() }, body.on, context, ifMatch, response);
  }
}
