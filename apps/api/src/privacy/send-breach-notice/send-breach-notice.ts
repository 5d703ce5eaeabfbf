import type { RequestContext } from '@jejak/kernel';
import { Body, Param, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { CommandRoute, IfMatch } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse } from '../../http/revision';
import { BreachesRoute, BreachRoutes } from '../breaches.routes';
import { BreachNoticeDto } from '../privacy.dto';
import { ActOnBreach } from '../privacy.handlers';
import { UUID } from '../subject-rights.routes';

@BreachesRoute()
export class SendBreachNoticeRoute extends BreachRoutes {
  @CommandRoute(':id/notices')
  @Allow(['admin'])
  @ApiOkResponse({ description: 'the written notice on record; `late` when sent after the deadline' })
  @ApiProblems(400, 404, 409, 412)
  async notice(
    @Param('id', UUID) id: string,
    @Body() body: BreachNoticeDto,
    @Ctx() context: RequestContext,
    @IfMatch() ifMatch: bigint | undefined,
    @Res({ passthrough: true }) response: Response,
  ) {
    const written = await this.commands.execute(new ActOnBreach(id, { kind: 'notice', dto: body }, context, ifMatch));
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
