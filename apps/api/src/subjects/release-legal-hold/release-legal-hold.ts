import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import type { Response } from 'express';

import { Allow, IN_SUBJECT } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse } from '../../http/revision';
import { ReasonDto } from '../subjects.dto';
import { DecideOnSubject } from '../subjects.handlers';
import { SubjectRoutes, SubjectsRoute, UUID } from '../subjects.routes';

@SubjectsRoute()
export class ReleaseLegalHoldRoute extends SubjectRoutes {
  @CommandRoute(':id/legal-hold/release')
  @Allow(['supervisor', 'admin'], IN_SUBJECT)
  @ApiProblems(400, 404, 409, 412)
  async release(
    @Param('id', UUID) id: string,
    @Body() body: ReasonDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(
      new DecideOnSubject(id, { type: 'ReleaseLegalHold', reason: body.reason }, context, ifMatch),
    );
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
