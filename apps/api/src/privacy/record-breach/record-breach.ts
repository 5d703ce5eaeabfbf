import type { RequestContext } from '@jejak/kernel';
import { Body, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse } from '@nestjs/swagger';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse } from '../../http/revision';
import { BreachesRoute, BreachRoutes } from '../breaches.routes';
import { BreachDto } from '../privacy.dto';
import { ActOnBreach } from '../privacy.handlers';

@BreachesRoute()
export class RecordBreachRoute extends BreachRoutes {
  @Post()
  @Allow(['admin'])
  @ApiCreatedResponse({ description: '`{ id, revision }`: the breach on record, its notice due 3 × 24 hours after discovery' })
  @ApiProblems(400)
  async record(@Body() body: BreachDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(new ActOnBreach(undefined, { kind: 'record', dto: body }, context, undefined));
    response.setHeader('Location', `/breaches/${written.id}`);
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
