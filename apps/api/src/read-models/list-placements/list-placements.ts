import type { RequestContext } from '@jejak/kernel';
import { MILESTONES, PLACEMENT_STATUSES, type PlacementStatus } from '@jejak/placement';
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

export class PlacementListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PLACEMENT_STATUSES })
  @IsOptional()
  @IsIn(PLACEMENT_STATUSES)
  status?: PlacementStatus;

  @ApiPropertyOptional({ enum: ['registered', ...MILESTONES] })
  @IsOptional()
  @IsIn(['registered', ...MILESTONES])
  stage?: string;

  @DateField({ example: '2026-01-01', description: 'registered on or after this day (the day the figures count it on)', optional: true })
  registeredFrom?: string;

  @DateField({ example: '2026-01-31', description: 'registered on or before this day', optional: true })
  registeredTo?: string;
}

@ApiTags('placements')
@ApiAuthenticated()
@Controller('placements')
export class PlacementListController {
  constructor(
    private readonly lists: Lists,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Allow(READERS)
  @ApiOkResponse({ description: '`{ items, nextCursor }`: placements within your territory, newest first' })
  @ApiProblems(400, 503)
  async placements(@Query() query: PlacementListQuery, @Ctx() context: RequestContext, @Headers('x-min-position') min: string | undefined) {
    await this.readModels.awaitPosition('placements', minPosition(min));
    return this.lists.placements(query, context.actor!);
  }
}
