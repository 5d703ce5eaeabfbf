import type { RequestContext } from '@jejak/kernel';
import { Controller, Get, Headers, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

import { Allow, READERS } from '../../access/rules';
import { Ctx } from '../../http/context';
import { DateField } from '../../http/dates';
import { ApiAuthenticated, ApiProblems } from '../../http/openapi';
import { Lists, PageQuery } from '../lists';
import { minPosition } from '../min-position';
import { ReadModels } from '../read-models.service';

export class SessionListQuery extends PageQuery {
  @DateField({ example: '2026-01-01', description: 'held on or after this day', optional: true })
  heldFrom?: string;

  @DateField({ example: '2026-01-31', description: 'held on or before this day', optional: true })
  heldTo?: string;

  @ApiPropertyOptional({ example: 'required_documents', description: 'sessions that covered this topic' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  topic?: string;
}

@ApiTags('information services')
@ApiAuthenticated()
@Controller('sessions')
export class SessionListController {
  constructor(
    private readonly lists: Lists,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Allow(READERS)
  @ApiOkResponse({ description: '`{ items, nextCursor }`: dissemination sessions within your territory, latest first' })
  @ApiProblems(400, 503)
  async sessions(@Query() q: SessionListQuery, @Ctx() context: RequestContext, @Headers('x-min-position') min: string | undefined) {
    await this.readModels.awaitPosition('information', minPosition(min));
    const { heldFrom: from, heldTo: to, ...rest } = q;
    return this.lists.information('session', { ...rest, from, to }, context.actor!);
  }
}
