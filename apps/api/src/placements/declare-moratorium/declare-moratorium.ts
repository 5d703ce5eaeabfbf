import type { RequestContext } from '@jejak/kernel';
import { Body, Res } from '@nestjs/common';
import type { Response } from 'express';

import { Allow } from '../../access/rules';
import { CommandRoute } from '../../http/command-route';
import { Ctx } from '../../http/context';
import { ApiProblems } from '../../http/openapi';
import { revisionResponse } from '../../http/revision';
import { MoratoriumRoutes, MoratoriumsRoute } from '../moratoriums.routes';
import { MoratoriumDto } from '../placements.dto';
import { ChangeMoratorium } from '../reference.handlers';

@MoratoriumsRoute()
export class DeclareMoratoriumRoute extends MoratoriumRoutes {
  @CommandRoute('')
  @Allow(['admin'])
  @ApiProblems(400, 409, 422)
  async declare(@Body() body: MoratoriumDto, @Ctx() context: RequestContext, @Res({ passthrough: true }) response: Response) {
    const written = await this.commands.execute(
      new ChangeMoratorium(
        { type: 'DeclareMoratorium', ...body, effectiveOn: body.effectiveOn ?? this.clock.today(context.occurredAt) },
        context,
      ),
    );
    return revisionResponse(response, written.id, written.revision, written.position);
  }
}
