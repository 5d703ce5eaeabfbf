import type { RequestContext } from '@jejak/kernel';
import type { WorklistItem } from '@jejak/read-models';
import { Controller, Get, Headers } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { Allow } from '../../access/rules';
import { Ctx } from '../../http/context';
import { ApiAuthenticated, ApiProblems } from '../../http/openapi';
import { Lists } from '../lists';
import { minPosition } from '../min-position';
import { ReadModels } from '../read-models.service';

@ApiTags('worklist')
@ApiAuthenticated()
@Controller('worklist')
export class WorklistController {
  constructor(
    private readonly lists: Lists,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Allow(['officer', 'supervisor'])
  @ApiOkResponse({ description: 'Open cases by what falls due first (overdue marked), then open placements and prevention records' })
  @ApiProblems(400, 503)
  async worklist(@Ctx() context: RequestContext, @Headers('x-min-position') min: string | undefined): Promise<{ items: WorklistItem[] }> {
    // Read-your-writes as the lists do: the worklist reads all three read models.
    const position = minPosition(min);
    await Promise.all(['cases', 'placements', 'preventions'].map((name) => this.readModels.awaitPosition(name, position)));
    return this.lists.worklist(context.actor!, context.now);
  }
}
