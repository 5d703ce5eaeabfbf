import { BUSINESS_STATUSES } from '@jejak/enterprise';
import type { RequestContext } from '@jejak/kernel';
import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { Allow, READERS } from '../../access/rules';
import { Ctx } from '../../http/context';
import { ApiAuthenticated, ApiProblems } from '../../http/openapi';
import { Lists, PageQuery } from '../lists';
import { minPosition } from '../min-position';
import { ReadModels } from '../read-models.service';

export class BusinessListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: BUSINESS_STATUSES })
  @IsOptional()
  @IsIn(BUSINESS_STATUSES)
  status?: string;
}

@ApiTags('economic unit')
@ApiAuthenticated()
@Controller('businesses')
export class BusinessListController {
  constructor(
    private readonly lists: Lists,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Allow(READERS)
  @ApiOkResponse({
    description: "`{ items, nextCursor }`: businesses within your territory, the latest started first; `subject` gives an owner's",
  })
  @ApiProblems(400, 503)
  async businesses(@Query() q: BusinessListQuery, @Ctx() context: RequestContext, @Headers('x-min-position') min: string | undefined) {
    await this.readModels.awaitPosition('enterprise', minPosition(min));
    return this.lists.enterprise('business', q, context.actor!);
  }
}

@ApiTags('economic unit')
@ApiAuthenticated()
@Controller('business-groups')
export class GroupListController {
  constructor(
    private readonly lists: Lists,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Allow(READERS)
  @ApiOkResponse({
    description: "`{ items, nextCursor }`: business groups and cooperatives within your territory; `subject` gives a member's",
  })
  @ApiProblems(400, 503)
  async groups(@Query() q: PageQuery, @Ctx() context: RequestContext, @Headers('x-min-position') min: string | undefined) {
    await this.readModels.awaitPosition('enterprise', minPosition(min));
    return this.lists.enterprise('group', q, context.actor!);
  }
}
