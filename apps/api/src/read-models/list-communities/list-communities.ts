import { COMMUNITY_STATUSES } from '@jejak/community';
import type { RequestContext } from '@jejak/kernel';
import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { Allow, READERS } from '../../access/rules';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiAuthenticated, ApiProblems } from '../../http/openapi';
import { Lists, PageQuery } from '../lists';
import { minPosition } from '../min-position';
import { ReadModels } from '../read-models.service';

export class CommunityListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: COMMUNITY_STATUSES })
  @IsOptional()
  @IsIn(COMMUNITY_STATUSES)
  status?: (typeof COMMUNITY_STATUSES)[number];

  @DateField({ example: '2026-01-01', description: 'formed on or after this day', optional: true })
  formedFrom?: string;

  @DateField({ example: '2026-01-31', description: 'formed on or before this day', optional: true })
  formedTo?: string;
}

@ApiTags('communities')
@ApiAuthenticated()
@Controller('communities')
export class CommunityListController {
  constructor(
    private readonly lists: Lists,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Allow(READERS)
  @ApiOkResponse({
    description: '`{ items, nextCursor }`: communities within your territory, the latest formed first, with their number of members',
  })
  @ApiProblems(400, 503)
  async communities(@Query() q: CommunityListQuery, @Ctx() context: RequestContext, @Headers('x-min-position') min: string | undefined) {
    await this.readModels.awaitPosition('communities', minPosition(min));
    return this.lists.communities(q, context.actor!);
  }
}
